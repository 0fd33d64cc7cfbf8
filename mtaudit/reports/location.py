"""Where a sentence or block came from in its input, as one short phrase for reports."""

from __future__ import annotations

from mtaudit.runfile import RunBlock, RunSentence

__all__ = ["location"]


def location(record: RunSentence | RunBlock) -> str:
    """``unit p2 (line 14)``, an element path, or ``""`` for a run's sentence or block.

    Sentences and blocks carry ``unit`` and ``element`` when the input names them; a sentence's
    ``metadata.line`` is the unit's line in its file.
    """
    if record.unit:
        line = record.metadata.get("line") if isinstance(record, RunSentence) else None
        return f"unit {record.unit}" + (f" (line {line})" if isinstance(line, int) else "")
    return record.element or ""
