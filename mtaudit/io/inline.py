"""Inline tags of XLIFF and TMX segments, turned into placeholders that checks can compare.

A segment's content is flattened into text and tag references. Each tag gets a key that is the
same on both sides (its element family and id: ``g:1``, ``bpt:3``, ``pc:2``), then a numbered
placeholder in the text: ``⟦①⟧`` opens a paired tag, ``⟦/①⟧`` closes it, ``⟦①/⟧`` stands
alone. The number is the tag's order of appearance in the source, so the same tag has the same
placeholder in source and target. Circled numbers are not decimal digits (a regular
expression's digit class does not match them), so the numbers check never mistakes a tag for a
number. Native code inside a tag (``<ph>{0}</ph>``, ``<bpt>&lt;b&gt;</bpt>``) is never text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from lxml import etree

from mtaudit.io.xmlsafe import local

__all__ = ["Piece", "TagRef", "flatten", "render"]

OPEN, CLOSE, ALONE = "open", "close", "standalone"


@dataclass(frozen=True)
class TagRef:
    """One inline tag: ``key`` pairs it across source and target; ``role`` is open/close/alone."""

    key: str
    role: str
    name: str
    id: str


Piece = str | TagRef

# element name -> (role, family, id attributes in order of preference, keeps its text)
_RULES: dict[str, tuple[str, str, tuple[str, ...], bool]] = {
    # XLIFF 1.2
    "g": ("pair", "g", ("id",), True),
    "x": (ALONE, "x", ("id",), False),
    "bx": (OPEN, "bx", ("rid", "id"), False),
    "ex": (CLOSE, "bx", ("rid", "id"), False),
    "bpt": (OPEN, "bpt", ("rid", "id", "i"), False),
    "ept": (CLOSE, "bpt", ("rid", "id", "i"), False),
    "ph": (ALONE, "ph", ("id", "x"), False),
    "it": (ALONE, "it", ("id", "x", "pos"), False),
    "ut": (ALONE, "ut", ("id", "x"), False),
    # XLIFF 2.x
    "pc": ("pair", "pc", ("id",), True),
    "sc": (OPEN, "sc", ("id",), False),
    "ec": (CLOSE, "sc", ("startRef", "id"), False),
}
_TRANSPARENT = {"mrk", "hi"}
_SKIPPED = {"sub", "sm", "em"}
_CIRCLED = (
    [chr(c) for c in range(0x2460, 0x2474)]
    + [chr(c) for c in range(0x3251, 0x3260)]
    + [chr(c) for c in range(0x32B1, 0x32C0)]
)


def flatten(element: etree._Element) -> list[Piece]:
    """Flatten a ``<source>``/``<target>``/``<seg>`` element into text and tag references."""
    pieces: list[Piece] = []
    seen: Counter[str] = Counter()

    def ref(name: str, role: str, family: str, attrs: tuple[str, ...], el: Any) -> TagRef:
        ident = next((el.get(a) for a in attrs if el.get(a)), None)
        if ident is None:
            seen[name] += 1
            ident = f"#{seen[name]}"
        return TagRef(f"{family}:{ident}", role, name, ident)

    def walk(el: etree._Element) -> None:
        if el.text:
            pieces.append(el.text)
        for child in el:
            name = local(child)
            if name in _RULES:
                role, family, attrs, keeps_text = _RULES[name]
                if role == "pair":
                    tag = ref(name, OPEN, family, attrs, child)
                    pieces.append(tag)
                    walk(child)
                    pieces.append(TagRef(tag.key, CLOSE, name, tag.id))
                else:
                    pieces.append(ref(name, role, family, attrs, child))
                    if keeps_text:
                        walk(child)
            elif name == "cp":
                try:
                    pieces.append(chr(int(child.get("hex", ""), 16)))
                except (ValueError, OverflowError):
                    pieces.append("\ufffd")
            elif name in _TRANSPARENT or (name and name not in _SKIPPED):
                walk(child)
            if child.tail:
                pieces.append(child.tail)

    walk(element)
    return _strip(pieces)


def _strip(pieces: list[Piece]) -> list[Piece]:
    out = [p for p in pieces if not isinstance(p, str) or p]
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return [p for p in out if not isinstance(p, str) or p]


def _placeholder(number: int, role: str) -> str:
    mark = _CIRCLED[number - 1] if number <= len(_CIRCLED) else f"#{number}"
    return {OPEN: f"⟦{mark}⟧", CLOSE: f"⟦/{mark}⟧"}.get(role, f"⟦{mark}/⟧")


def _text(pieces: list[Piece], numbers: dict[str, int]) -> tuple[str, list[dict[str, Any]]]:
    parts: list[str] = []
    tags: list[dict[str, Any]] = []
    pos = 0
    for piece in pieces:
        if isinstance(piece, str):
            parts.append(piece)
            pos += len(piece)
            continue
        shown = _placeholder(numbers[piece.key], piece.role)
        tags.append(
            {
                "key": piece.key,
                "role": piece.role,
                "name": piece.name,
                "id": piece.id,
                "placeholder": shown,
                "start": pos,
                "end": pos + len(shown),
            }
        )
        parts.append(shown)
        pos += len(shown)
    return "".join(parts), tags


def render(
    source: list[Piece], target: list[Piece]
) -> tuple[str, list[dict[str, Any]], str, list[dict[str, Any]]]:
    """Number the tags of both sides alike; return each side's text and its tags (with offsets)."""
    numbers: dict[str, int] = {}
    for piece in [*source, *target]:
        if isinstance(piece, TagRef) and piece.key not in numbers:
            numbers[piece.key] = len(numbers) + 1
    src_text, src_tags = _text(source, numbers)
    tgt_text, tgt_tags = _text(target, numbers)
    return src_text, src_tags, tgt_text, tgt_tags
