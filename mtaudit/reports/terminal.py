"""The terminal summary: per document, the flagged sentences with their reasons and spans.

Sentences are numbered from 1 ("sentence 3" is the third), as in the HTML report; the JSON
``index`` counts from 0. Control and bidi characters are shown as ⟨U+202E⟩, never applied.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import click

from mtaudit.reports import Options, ReportFormat
from mtaudit.reports.location import location
from mtaudit.runfile import Run, RunSentence
from mtaudit.types import Severity

SEVERITY_COLOURS = {"critical": "red", "major": "yellow", "minor": "cyan", "none": "green"}
SEVERITIES = ("critical", "major", "minor")
_CONTEXT = 90
OPEN_MARK, CLOSE_MARK = "⟦", "⟧"
"""Plain-text span markers: unlike «» they cannot be mistaken for the article's own quotes."""
# The same characters the HTML report shows as tokens: C0/C1 controls (but tab and line
# breaks), the bidi marks, embeddings, overrides and isolates.
_CONTROL = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def visible(text: str) -> str:
    """``text`` with every control or bidi character replaced by a visible ⟨U+XXXX⟩ token."""
    if text.isprintable():  # the usual case, and cheap: every such character is unprintable
        return text
    return _CONTROL.sub(lambda m: f"⟨U+{ord(m.group(0)):04X}⟩", text)


_BREAKS = re.compile("[\t\n\r\u0085\u2028\u2029]")


def one_line(text: str) -> str:
    """``visible`` text with line breaks and tabs shown as tokens too: a heading or a name.

    A document id or error read from a feed (an id holding a line break and "fake: 0 flagged")
    cannot start a line of its own in the report.
    """
    return _BREAKS.sub(lambda m: f"⟨U+{ord(m.group(0)):04X}⟩", visible(text))


def _counts(sentences: list[RunSentence]) -> str:
    """Count flagged sentences by severity (the parts add up), then the unflagged with findings.

    For example "5 flagged (1 critical, 4 major); 3 more with minor findings".
    """
    flagged = Counter(s.severity for s in sentences if s.flagged)
    parts = [f"{n} {level}" for level in SEVERITIES if (n := flagged[Severity.parse(level)])]
    text = f"{flagged.total()} flagged" + (f" ({', '.join(parts)})" if parts else "")
    below = [s.severity for s in sentences if not s.flagged and s.severity is not Severity.NONE]
    if below:
        kind = "minor findings" if set(below) == {Severity.MINOR} else "findings, not flagged"
        text += f"; {len(below)} more with {kind}"
    return text


def mark_spans(text: str, spans: Iterable[Sequence[int]], colour: bool) -> str:
    """Mark the spans in ``text`` (bold red with colour, ⟦brackets⟧ without); clip long text.

    Control and bidi characters are made visible after marking, so offsets stay true.
    """
    merged: list[list[int]] = []
    for start, end in sorted((span[0], span[1]) for span in spans):
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
        out.append(visible(text[pos:start]))
        piece = visible(text[start:end])
        out.append(
            click.style(piece, fg="red", bold=True, underline=True)
            if colour
            else f"{OPEN_MARK}{piece}{CLOSE_MARK}"
        )
        pos = end
    out.append(visible(text[pos:hi]))
    return ("…" if lo else "") + "".join(out) + ("…" if hi < len(text) else "")


def render(run: Run, colour: bool = False, show_all: bool = False) -> str:
    """Render a run as terminal text."""
    lines: list[str] = []
    for doc in run.documents:
        if doc.error:
            lines.append(
                click.style(
                    f"{one_line(doc.id)}: cannot audit: {one_line(doc.error)}",
                    fg="red" if colour else None,
                )
            )
            continue
        head = f"{one_line(doc.id)}: {doc.summary.sentences} sentences, {_counts(doc.sentences)}"
        if doc.blocks:
            head += f"; {len(doc.blocks)} non-prose block(s) not scored"
        lines.append(click.style(head, bold=True) if colour else head)
        for block in doc.blocks:
            snippet = " ".join(block.text.split())[:60]
            where = location(block)
            lines.append(
                f"  [{block.reason}] {visible(snippet)}" + (f"  ({where})" if where else "")
            )
        for sent in doc.sentences:
            if not (sent.flagged or (show_all and sent.severity is not Severity.NONE)):
                continue
            level = sent.severity.label
            tag = f"{level} {sent.risk:.2f}"
            if colour:
                tag = click.style(tag, fg=SEVERITY_COLOURS[level], bold=True)
            where = location(sent)
            text = mark_spans(sent.text, sent.spans, colour)
            lines.append(f"  sentence {sent.index + 1} {tag}  {text}")
            if where:
                lines.append(f"      at {where}")
            for reason in sent.reasons:
                lines.append(f"      - {visible(reason)}")
            if sent.flagged and sent.texts.get("suggestion"):
                lines.append(f"      suggestion: {visible(sent.texts['suggestion'])}")
    total = run.summary
    every = [s for doc in run.documents for s in doc.sentences]
    lines.append(
        f"Total: {total.documents} document(s), {total.sentences} sentences, "
        f"{_counts(every)}"
        + (f", {total.errors} could not be read" if total.errors else "")
        + (f", {total.suppressed} finding(s) suppressed" if total.suppressed else "")
    )
    for status in run.signals:
        fix = f" Fix: {status.fix}" if status.fix else ""
        if not status.ran:
            lines.append(f"Skipped {status.name}: {status.reason}.{fix}")
        elif status.reason:  # ran on part of the sentences (e.g. partial coverage)
            lines.append(f"Partly ran {status.name}: {status.reason}.{fix}")
    return "\n".join(lines)


def _render(run: Run, options: Options) -> str:
    return render(run, colour=options.colour, show_all=options.show_all) + "\n"


FORMAT = ReportFormat(
    "text",
    "a readable summary: per document, the flagged sentences with reasons and spans",
    render=_render,
)
