"""TMX translation memories: each ``<tu>`` is one segment, audited unit by unit.

The source language is the header's ``srclang`` (or a unit's own ``srclang``); every other
``<tuv>`` of a unit is a translation, and the memory becomes one document per target language.
A unit with no translation is listed as untranslated; a unit without a variant in the source
language is reported with its line, and the other units are still read. Inline codes
(``<bpt>``/``<ept>``, ``<ph>``, ``<it>``, ``<ut>``) become placeholders; ``<prop>`` and
``<note>`` are kept as metadata.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from mtaudit.errors import InputError
from mtaudit.io.inline import flatten
from mtaudit.io.units import Unit, build_document, language
from mtaudit.io.xmlsafe import document_id, local, read_xml
from mtaudit.types import Document

__all__ = ["read_tmx"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ReadItem = Document | InputError


def _lang(tuv: etree._Element) -> str | None:
    value = tuv.get(_XML_LANG) or tuv.get("lang")
    return str(value) if value else None


def _meta(tu: etree._Element) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    props = {str(p.get("type", "")): "".join(p.itertext()) for p in tu if local(p) == "prop"}
    if props:
        meta["props"] = props
    notes = ["".join(n.itertext()) for n in tu if local(n) == "note"]
    if notes:
        meta["notes"] = notes
    for attr in ("changedate", "creationdate", "creationid", "changeid"):
        if tu.get(attr):
            meta[attr] = tu.get(attr)
    return meta


def read_tmx(path: str, source_lang: str, target_lang: str) -> list[ReadItem]:
    """Read a TMX file: one segmented document per target language, plus unit errors."""
    root, path = read_xml(path, "tmx", "a TMX")
    header = next((c for c in root if local(c) == "header"), None)
    body = next((c for c in root if local(c) == "body"), None)
    if header is None or body is None:
        raise InputError("a TMX file needs a <header> and a <body>", path, root.sourceline)
    header_src = header.get("srclang")
    src_lang = language(header_src, source_lang, path, header.sourceline)
    errors: list[InputError] = []
    by_target: dict[str, list[Unit]] = {}
    untranslated: list[Unit] = []
    for number, tu in enumerate((c for c in body if local(c) == "tu"), start=1):
        line = tu.sourceline
        uid = tu.get("tuid") or str(number)
        src_tag = tu.get("srclang") or header_src
        try:
            src = language(src_tag, source_lang, path, line)
        except InputError as exc:
            errors.append(exc)
            continue
        variants: list[tuple[str, str, etree._Element]] = []
        for tuv in (c for c in tu if local(c) == "tuv"):
            tag = _lang(tuv)
            seg = next((c for c in tuv if local(c) == "seg"), None)
            if not tag or tag.strip() == "*all*":
                errors.append(InputError(f"tu {uid!r}: a <tuv> has no xml:lang", path, line))
                continue
            if seg is None:
                errors.append(InputError(f"tu {uid!r}: the {tag} <tuv> has no <seg>", path, line))
                continue
            try:
                variants.append((language(tag, "", path, line), tag, seg))
            except InputError as exc:
                errors.append(InputError(f"tu {uid!r}: {exc.reason}", path, line))
        sources = [v for v in variants if v[0] == src]
        if not sources:
            errors.append(
                InputError(f"tu {uid!r} has no <tuv> in the source language {src!r}", path, line)
            )
            continue
        source = flatten(sources[0][2])
        meta = _meta(tu)
        translations = [v for v in variants if v[0] != src]
        if not translations:
            untranslated.append(Unit(uid, source, None, line, meta))
        for lang, tag, seg in translations:
            by_target.setdefault(lang, []).append(
                Unit(uid, source, flatten(seg), line, {**meta, "target_language": tag})
            )
    stem = document_id(path)
    out: list[ReadItem] = []
    if not by_target:
        by_target[target_lang] = []
    for lang, units in sorted(by_target.items()):
        doc_id = stem if len(by_target) == 1 else f"{stem}.{lang}"
        meta = {"format": f"tmx-{root.get('version', '')}".rstrip("-")}
        if header.get("srclang"):
            meta["srclang"] = header.get("srclang")
        out.append(build_document(doc_id, units + untranslated, path, src_lang, lang, meta))
    out.extend(errors)
    return out
