"""The JSON run report, schema ``mtaudit.run/1`` (documented in docs/json-schema.md)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from typing import Any

from mtaudit.types import DocumentResult, Finding, RunResult, SentenceResult, Severity

SCHEMA = "mtaudit.run/1"


def _by_severity(sentences: list[SentenceResult]) -> dict[str, int]:
    counts = Counter(s.verdict.severity for s in sentences)
    return {level.label: counts.get(level, 0) for level in Severity}


def _finding(found: Finding) -> dict[str, Any]:
    return {
        "id": found.check,
        "severity": found.severity.label,
        "message": found.message,
        "span": list(found.span) if found.span else None,
    }


def sentence_to_dict(result: SentenceResult) -> dict[str, Any]:
    """One target sentence's record."""
    pair, verdict = result.pair, result.verdict
    return {
        "index": pair.target.index,
        "text": pair.target.text,
        "start": pair.target.start,
        "end": pair.target.end,
        "paragraph": pair.target.paragraph,
        "unit": pair.target.unit,
        "element": pair.target.element,
        "metadata": pair.target.metadata,
        "source": pair.source,
        "source_indices": list(pair.source_indices),
        "risk": verdict.risk,
        "severity": verdict.severity.label,
        "flagged": verdict.flagged,
        "basis": verdict.basis,
        "reasons": verdict.reasons,
        "spans": [list(span) for span in verdict.spans],
        "checks": [_finding(f) for f in result.findings],
        "signals": {k: round(v, 4) for k, v in result.signals.items()},
        "texts": dict(result.texts),
    }


def document_to_dict(result: DocumentResult) -> dict[str, Any]:
    """One document's record."""
    doc = result.document
    return {
        "id": doc.id,
        "origin": doc.origin,
        "source_lang": doc.source_lang,
        "target_lang": doc.target_lang,
        "metadata": doc.metadata,
        "unit": doc.unit,
        "error": result.error,
        "target": doc.target,
        "source": doc.source,
        "summary": {
            "sentences": len(result.sentences),
            "flagged": result.flagged,
            "by_severity": _by_severity(result.sentences),
            **suppressed_summary(result.suppressed),
        },
        "blocks": [
            {
                "kind": b.kind,
                "start": b.start,
                "end": b.end,
                "text": b.text,
                "reason": b.reason,
                "unit": b.unit,
                "element": b.element,
            }
            for b in result.blocks
        ],
        "unaligned_source": [
            {"index": s.index, "text": s.text, "start": s.start, "end": s.end}
            for s in result.unaligned_source
        ],
        "sentences": [sentence_to_dict(s) for s in result.sentences],
    }


def suppressed_summary(by_check: dict[str, int]) -> dict[str, Any]:
    """The summary fields for silenced findings: only when the suppressions silenced something."""
    if not by_check:
        return {}
    return {
        "suppressed": sum(by_check.values()),
        "suppressed_by_check": dict(sorted(by_check.items())),
    }


def run_to_dict(run: RunResult) -> dict[str, Any]:
    """The whole run as a JSON-ready dictionary."""
    every = [s for d in run.documents for s in d.sentences]
    return {
        "schema": SCHEMA,
        "signature": run.signature,
        "summary": {
            "documents": len(run.documents),
            "sentences": len(every),
            "flagged": run.flagged_count,
            "errors": sum(1 for d in run.documents if d.error),
            "by_severity": _by_severity(every),
            **suppressed_summary(run.suppressed),
        },
        "documents": [document_to_dict(d) for d in run.documents],
    }


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def strict(value: Any) -> Any:
    """Copy ``value`` so that it is strict JSON that can be written as UTF-8.

    Non-finite numbers (NaN, ±infinity, which JSON has no words for) become ``None``, and a lone
    surrogate in any text (half a character: an undecodable file name, a bad escape) becomes
    U+FFFD. Readers refuse such records already; this keeps the writer safe whatever it is given.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {strict(str(k)): strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict(v) for v in value]
    return value


def dumps(data: dict[str, Any], *, pretty: bool = False) -> str:
    """Serialise a run dictionary as strict JSON (UTF-8 text kept readable).

    Compact by default (one line, by the C encoder); ``pretty`` indents it for reading.
    """
    indent, separators = (2, None) if pretty else (None, (",", ":"))
    try:
        text = json.dumps(
            data, ensure_ascii=False, indent=indent, separators=separators, allow_nan=False
        )
    except ValueError:  # a non-finite number somewhere: the slower copying pass
        text = json.dumps(
            strict(data), ensure_ascii=False, indent=indent, separators=separators, allow_nan=False
        )
    # Lone surrogates only occur inside JSON strings, so replacing them in the text is the same
    # as replacing them in the values.
    return _LONE_SURROGATE.sub("\ufffd", text) + "\n"
