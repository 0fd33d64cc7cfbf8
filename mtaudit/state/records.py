"""Stored records leave out what the document itself restores: its target and source texts.

Sentence texts stay in the record: decoding them costs less than rebuilding every sentence's
record from offsets would.
"""

from __future__ import annotations

from typing import Any

from mtaudit.types import Document

_TEXTS = ("target", "source")


def pack(record: dict[str, Any], doc: Document) -> dict[str, Any]:
    """A record without the document's texts (where they are the document's own)."""
    restore = [k for k in _TEXTS if k in record and record[k] == getattr(doc, k)]
    packed = {k: v for k, v in record.items() if k not in restore}
    packed["_restore"] = restore
    packed["_order"] = list(record)
    return packed


def unpack(packed: dict[str, Any], doc: Document) -> dict[str, Any]:
    """The full record from a packed one and the (unchanged) document, keys in their order."""
    restore = packed.get("_restore", [])
    values = {name: getattr(doc, name) for name in restore}
    order = packed.get("_order") or [k for k in packed if not k.startswith("_")]
    return {key: values[key] if key in values else packed[key] for key in order}
