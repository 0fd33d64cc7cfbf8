"""Where a sentence or block came from in its input, as one short phrase for reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["location"]


def location(record: Mapping[str, Any]) -> str:
    """``unit p2 (line 14)``, an element path, or ``""`` for a run sentence/block record.

    Works on the JSON records (schema ``mtaudit.run/1``) of sentences and blocks, which carry
    ``unit`` and ``element`` (and, for units, ``metadata.line``) when the input names them.
    """
    unit = record.get("unit")
    if unit:
        metadata = record.get("metadata")
        line = metadata.get("line") if isinstance(metadata, dict) else None
        return f"unit {unit}" + (f" (line {line})" if isinstance(line, int) else "")
    element = record.get("element")
    return str(element) if element else ""
