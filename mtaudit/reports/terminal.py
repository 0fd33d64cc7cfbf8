"""The terminal summary: per document, the flagged sentences with their reasons and spans."""

from __future__ import annotations

from typing import Any

import click

from mtaudit.reports.location import location

SEVERITY_COLOURS = {"critical": "red", "major": "yellow", "minor": "cyan", "none": "green"}
_CONTEXT = 90


def _counts(by_severity: dict[str, int]) -> str:
    parts = [f"{by_severity.get(k, 0)} {k}" for k in ("critical", "major", "minor")]
    return ", ".join(parts)


def mark_spans(text: str, spans: list[list[int]], colour: bool) -> str:
    """Mark the spans in ``text`` (bold red with colour, «guillemets» without); clip long text."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    lo, hi = 0, len(text)
    if merged and len(text) > 2 * _CONTEXT + 40:
        lo = max(0, merged[0][0] - _CONTEXT)
        hi = min(len(text), merged[-1][1] + _CONTEXT)
    out, pos = [], lo
    for start, end in merged:
        if start < lo or end > hi:
            continue
        out.append(text[pos:start])
        piece = text[start:end]
        out.append(
            click.style(piece, fg="red", bold=True, underline=True) if colour else f"«{piece}»"
        )
        pos = end
    out.append(text[pos:hi])
    return ("…" if lo else "") + "".join(out) + ("…" if hi < len(text) else "")


def render(run: dict[str, Any], colour: bool = False, show_all: bool = False) -> str:
    """Render a run dictionary (schema mtaudit.run/1) as terminal text."""
    lines: list[str] = []
    for doc in run["documents"]:
        if doc["error"]:
            lines.append(
                click.style(
                    f"{doc['id']}: cannot audit: {doc['error']}", fg="red" if colour else None
                )
            )
            continue
        summary = doc["summary"]
        head = (
            f"{doc['id']}: {summary['sentences']} sentences, {summary['flagged']} flagged "
            f"({_counts(summary['by_severity'])})"
        )
        if doc["blocks"]:
            head += f"; {len(doc['blocks'])} non-prose block(s) not scored"
        lines.append(click.style(head, bold=True) if colour else head)
        for block in doc["blocks"]:
            snippet = " ".join(block["text"].split())[:60]
            where = location(block)
            lines.append(f"  [{block['reason']}] {snippet}" + (f"  ({where})" if where else ""))
        for sent in doc["sentences"]:
            if not (sent["flagged"] or (show_all and sent["severity"] != "none")):
                continue
            level = sent["severity"]
            tag = f"{level} {sent['risk']:.2f}"
            if colour:
                tag = click.style(tag, fg=SEVERITY_COLOURS[level], bold=True)
            where = location(sent)
            lines.append(
                f"  #{sent['index'] + 1} {tag}  {mark_spans(sent['text'], sent['spans'], colour)}"
            )
            if where:
                lines.append(f"      at {where}")
            for reason in sent["reasons"]:
                lines.append(f"      - {reason}")
            if sent["flagged"] and sent["texts"].get("suggestion"):
                lines.append(f"      suggestion: {sent['texts']['suggestion']}")
    total = run["summary"]
    lines.append(
        f"Total: {total['documents']} document(s), {total['sentences']} sentences, "
        f"{total['flagged']} flagged ({_counts(total['by_severity'])})"
        + (f", {total['errors']} could not be read" if total["errors"] else "")
        + (f", {total['suppressed']} finding(s) suppressed" if total.get("suppressed") else "")
    )
    for status in run["signature"]["signals"]:
        fix = f" Fix: {status['fix']}" if status["fix"] else ""
        if not status["ran"]:
            lines.append(f"Skipped {status['name']}: {status['reason']}.{fix}")
        elif status["reason"]:  # ran on part of the sentences (e.g. partial coverage)
            lines.append(f"Partly ran {status['name']}: {status['reason']}.{fix}")
    return "\n".join(lines)
