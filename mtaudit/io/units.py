"""Build a segmented ``Document`` from the units of a translation file (XLIFF, TMX).

Each unit with a translation becomes one segment (a ``Place`` with its own source slice), so it
is audited as one unit and never re-split. A unit with no translation is not audited: it is
listed as an ``untranslated`` block. Segments are joined by blank lines in the document's text,
which is what the reports show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mtaudit.config_check import LANGUAGE_CODE
from mtaudit.errors import InputError
from mtaudit.io.inline import Piece, render
from mtaudit.types import Block, Document, Place

__all__ = ["Unit", "build_document", "language"]

_JOIN = "\n\n"


@dataclass
class Unit:
    """One unit read from a file: its id, source and target content, and what the file says."""

    id: str
    source: list[Piece]
    target: list[Piece] | None
    line: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def language(
    tag: str | None, default: str, path: str | None = None, line: int | None = None
) -> str:
    """The primary language subtag of a BCP 47 tag (``ar-IQ`` -> ``ar``), lower case.

    A tag whose primary subtag is not an ISO 639 code (``!!``, ``../x``) is an ``InputError``
    naming ``path`` and ``line``: it would otherwise become a document's language and name.
    """
    if not tag or not tag.strip() or tag.strip() == "*all*":
        return default
    code = tag.strip().replace("_", "-").split("-")[0].lower()
    if not LANGUAGE_CODE.match(code):
        shown = tag if len(tag) <= 30 else tag[:27] + "..."
        raise InputError(
            f"language {shown!r} is not a language code like 'ar' or 'en-GB'", path, line
        )
    return code


def _empty(pieces: list[Piece] | None) -> bool:
    return not pieces or all(isinstance(p, str) and not p.strip() for p in pieces)


def build_document(
    doc_id: str,
    units: list[Unit],
    origin: str,
    source_lang: str,
    target_lang: str,
    metadata: dict[str, Any],
) -> Document:
    """Join the units into one segmented document with a place (and source slice) per unit."""
    target: list[str] = []
    source: list[str] = []
    places: list[Place] = []
    blocks: list[Block] = []
    t_pos = s_pos = 0
    for unit in units:
        src_text, src_tags, tgt_text, tgt_tags = render(unit.source, unit.target or [])
        meta = dict(unit.metadata)
        if unit.line is not None:
            meta["line"] = unit.line
        if _empty(unit.target):
            blocks.append(
                Block(
                    src_text,
                    t_pos,
                    t_pos,
                    "untranslated",
                    "no translation, not audited",
                    unit=unit.id,
                )
            )
            continue
        if src_tags or tgt_tags:
            meta["tags"] = {"source": src_tags, "target": tgt_tags}
        if target:
            t_pos += len(_JOIN)
            s_pos += len(_JOIN)
        places.append(
            Place(
                t_pos,
                t_pos + len(tgt_text),
                unit=unit.id,
                source_start=s_pos,
                source_end=s_pos + len(src_text),
                metadata=meta,
            )
        )
        target.append(tgt_text)
        source.append(src_text)
        t_pos += len(tgt_text)
        s_pos += len(src_text)
    info = dict(metadata)
    info["units"] = len(units)
    info["untranslated"] = len(blocks)
    return Document(
        id=doc_id,
        target=_JOIN.join(target),
        source=_JOIN.join(source),
        source_lang=source_lang,
        target_lang=target_lang,
        origin=origin,
        metadata=info,
        places=places,
        unit="segment",
        blocks=blocks,
    )
