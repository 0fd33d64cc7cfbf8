"""Stored records leave out what the document itself restores (its texts)."""

from __future__ import annotations

from typing import Any

from mtaudit.types import Document


def _pack_pieces(pieces: list[dict[str, Any]], text: Any) -> list[dict[str, Any]]:
    """Drop each piece's text where it is the slice of ``text`` its offsets say.

    ``_t`` keeps the key's position, so the record reads back with its keys in the same order.
    """
    out = []
    for piece in pieces:
        if isinstance(text, str) and piece.get("text") == text[piece["start"] : piece["end"]]:
            keys = list(piece)
            packed = {k: v for k, v in piece.items() if k != "text"}
            packed["_t"] = keys.index("text")
            out.append(packed)
        else:
            out.append(piece)
    return out


def _unpack_pieces(pieces: list[dict[str, Any]], text: Any) -> list[dict[str, Any]]:
    out = []
    for piece in pieces:
        if "_t" not in piece or not isinstance(text, str):
            out.append(piece)
            continue
        items = [(k, v) for k, v in piece.items() if k != "_t"]
        items.insert(piece["_t"], ("text", text[piece["start"] : piece["end"]]))
        out.append(dict(items))
    return out


def pack(record: dict[str, Any], doc: Document) -> dict[str, Any]:
    """A record without what the document itself restores.

    That is its texts, and the sentence and block texts that are slices of the target.
    """
    packed = {k: v for k, v in record.items() if k not in ("target", "source")}
    target = record.get("target")
    packed["sentences"] = _pack_pieces(record.get("sentences") or [], target)
    packed["blocks"] = _pack_pieces(record.get("blocks") or [], target)
    packed["_restore"] = [k for k in ("target", "source") if record.get(k) == getattr(doc, k)]
    return packed


def unpack(packed: dict[str, Any], doc: Document) -> dict[str, Any]:
    """The full record from a packed one and the (unchanged) document, keys in their order."""
    restore = packed.get("_restore", [])
    record: dict[str, Any] = {}
    for key, value in packed.items():
        if key == "_restore":
            continue
        if key == "summary":
            for name in ("target", "source"):
                if name in restore:
                    record[name] = getattr(doc, name)
        record[key] = value
    for key in ("sentences", "blocks"):
        if key in record:
            record[key] = _unpack_pieces(record[key] or [], record.get("target"))
    return record
