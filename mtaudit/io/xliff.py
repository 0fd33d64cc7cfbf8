"""XLIFF 1.2 and 2.x files, read unit by unit.

Each ``<trans-unit>`` (1.2) or ``<segment>`` of a ``<unit>`` (2.x) is one segment, audited as
one unit and never re-split. One document per ``<file>`` element. The language pair comes from
the file (``source-language``/``target-language`` in 1.2, ``srcLang``/``trgLang`` in 2.x).
Notes and state attributes are kept as segment metadata; inline tags become placeholders
(``mtaudit.io.inline``). Units with no target are listed as untranslated, not audited. A unit
that cannot be read (no id, no source, an id used twice) is reported with its line and the
other units are still read.

Every segment's metadata carries ``xliff_unit``, the position of its unit among all the file's
units, which ``mtaudit.reports.annotate`` uses to write verdicts back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from lxml import etree

from mtaudit.errors import InputError
from mtaudit.io.inline import flatten
from mtaudit.io.units import Unit, build_document, language
from mtaudit.io.xmlsafe import document_id, local, read_xml
from mtaudit.types import Document

__all__ = ["UNIT_TAGS", "read_xliff"]

UNIT_TAGS = {"1": "trans-unit", "2": "unit"}
"""The element each XLIFF major version calls a unit."""

ReadItem = Document | InputError
_V1_LANGS = ("source-language", "target-language")


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next((c for c in element if local(c) == name), None)


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if local(c) == name]


def _line(element: etree._Element) -> int | None:
    line = element.sourceline
    return int(line) if line else None


def _identified(
    elements: Iterable[etree._Element], label: str, path: str, errors: list[InputError]
) -> Iterator[tuple[etree._Element, str, int | None]]:
    """Each unit element with its id and line.

    A missing or repeated id is an error; units marked translate="no" are left out.
    """
    seen: set[str] = set()
    for element in elements:
        line = _line(element)
        uid = element.get("id")
        if not uid:
            errors.append(InputError(f"<{label}> has no id attribute", path, line))
            continue
        if uid in seen:
            errors.append(InputError(f"{label} id {uid!r} is used twice", path, line))
            continue
        seen.add(uid)
        if element.get("translate") != "no":
            yield element, uid, line


def _notes(parent: etree._Element | None, key: str) -> list[dict[str, str]]:
    """The ``<note>`` children of ``parent`` as {key: its attribute, "text": its text}.

    Empty parts are left out.
    """
    if parent is None:
        return []
    return [
        {k: v for k, v in ((key, n.get(key)), ("text", "".join(n.itertext()))) if v}
        for n in _children(parent, "note")
    ]


def _units_v1(
    file_el: etree._Element, path: str, ordinals: dict[Any, int]
) -> tuple[list[Unit], list[InputError]]:
    units: list[Unit] = []
    errors: list[InputError] = []
    trans_units = file_el.iter("{*}trans-unit", "trans-unit")
    for tu, uid, line in _identified(trans_units, "trans-unit", path, errors):
        source = _child(tu, "source")
        if source is None:
            errors.append(InputError(f"trans-unit {uid!r} has no <source>", path, line))
            continue
        target = _child(tu, "target")
        meta: dict[str, Any] = {"xliff_unit": ordinals[tu]}
        if target is not None:
            for attr in ("state", "state-qualifier"):
                if target.get(attr):
                    meta[attr] = target.get(attr)
        if tu.get("approved"):
            meta["approved"] = tu.get("approved")
        notes = _notes(tu, "from")
        if notes:
            meta["notes"] = notes
        units.append(
            Unit(uid, flatten(source), None if target is None else flatten(target), line, meta)
        )
    return units, errors


def _units_v2(
    file_el: etree._Element, path: str, ordinals: dict[Any, int]
) -> tuple[list[Unit], list[InputError]]:
    units: list[Unit] = []
    errors: list[InputError] = []
    for unit, uid, line in _identified(file_el.iter("{*}unit", "unit"), "unit", path, errors):
        notes = _notes(_child(unit, "notes"), "category")
        segments = _children(unit, "segment")
        if not segments:
            errors.append(InputError(f"unit {uid!r} has no <segment>", path, line))
            continue
        seen: set[str] = set()
        for number, seg in enumerate(segments, start=1):
            sid = uid if len(segments) == 1 else f"{uid}/{seg.get('id') or number}"
            if sid in seen:
                errors.append(InputError(f"segment id {sid!r} is used twice", path, _line(seg)))
                continue
            seen.add(sid)
            source = _child(seg, "source")
            if source is None:
                errors.append(InputError(f"unit {sid!r} has no <source>", path, _line(seg)))
                continue
            target = _child(seg, "target")
            meta: dict[str, Any] = {"xliff_unit": ordinals[unit]}
            for attr in ("state", "subState"):
                if seg.get(attr):
                    meta[attr] = seg.get(attr)
            if notes:
                meta["notes"] = notes
            units.append(
                Unit(
                    sid,
                    flatten(source),
                    None if target is None else flatten(target),
                    _line(seg),
                    meta,
                )
            )
    return units, errors


def read_xliff(path: str, source_lang: str, target_lang: str) -> list[ReadItem]:
    """Read an XLIFF 1.2 or 2.x file: one segmented document per ``<file>``, plus its errors."""
    root, path = read_xml(path, "xliff", "an XLIFF")
    version = root.get("version", "")
    major = version.split(".")[0]
    if major not in UNIT_TAGS:
        raise InputError(
            f"XLIFF version {version!r} is not supported (1.2 and 2.x are)", path, _line(root)
        )
    unit_tag = UNIT_TAGS[major]
    ordinals = {el: i for i, el in enumerate(root.iter(f"{{*}}{unit_tag}", unit_tag))}
    files = _children(root, "file")
    if not files:
        raise InputError("the XLIFF file has no <file> element", path, _line(root))
    out: list[ReadItem] = []
    stem = document_id(path)
    for number, file_el in enumerate(files, start=1):
        langs = (root, "srcLang", "trgLang") if major != "1" else (file_el, *_V1_LANGS)
        try:
            src = language(langs[0].get(langs[1]), source_lang, path, _line(langs[0]))
            tgt = language(langs[0].get(langs[2]), target_lang, path, _line(langs[0]))
        except InputError as exc:
            out.append(exc)
            continue
        reader = _units_v1 if major == "1" else _units_v2
        units, errors = reader(file_el, path, ordinals)
        name = file_el.get("original") or file_el.get("id") or ""
        doc_id = stem if len(files) == 1 else f"{stem}#{name or number}"
        meta: dict[str, Any] = {"format": f"xliff-{version}"}
        if name:
            meta["original"] = name
        out.append(build_document(doc_id, units, path, src, tgt, meta))
        out.extend(errors)
    return out
