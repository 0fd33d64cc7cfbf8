"""Term lists: required translations, do-not-translate terms and forbidden target terms.

Terms come from the configuration and, optionally, from a file:

    [checks.terms]
    required = { "الكاظمي" = "Al-Kadhimi|Kadhimi" }   # source term = allowed target terms
    keep = ["Apple", "iPhone"]                         # do not translate: kept as they are
    forbidden = ["Kazemi"]                             # never in the target
    file = "terms.csv"                                 # or terms.tbx

A CSV file has the columns ``source,target,type`` (type ``required``, ``keep`` or ``forbidden``;
alternatives in ``target`` separated by ``|``). A TBX file (TBX-Basic or TBX v3) gives one
concept per ``termEntry``/``conceptEntry``: its source-language term requires one of its
target-language terms; a term whose administrative status is ``forbidden`` or
``deprecatedTerm-admn-sts`` is forbidden in the target.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtaudit.checks.base import Check, CheckSettings, DocContext
from mtaudit.checks.glossary import normalise
from mtaudit.errors import ConfigError
from mtaudit.types import Finding, Pair

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_FORBIDDEN_STATUS = {"forbidden", "deprecatedterm-admn-sts", "supersededterm-admn-sts"}


@dataclass(frozen=True)
class TermsSettings(CheckSettings):
    """``[checks.terms]``: required, kept and forbidden terms, and a CSV or TBX file of more."""

    required: dict[str, str]
    keep: tuple[str, ...]
    forbidden: tuple[str, ...]
    file: str


@dataclass
class TermList:
    """Required translations, terms to keep as they are, and forbidden target terms."""

    required: dict[str, list[str]] = field(default_factory=dict)
    keep: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)


def _pattern(term: str) -> re.Pattern[str]:
    """A normalised term as a whole word; Arabic terms may carry the clitics و ب ل ف ك ال."""
    body = re.escape(normalise(term))
    if any("\u0600" <= ch <= "\u06ff" for ch in term):
        return re.compile(rf"(?<!\w)(?:[وبلفك])?(?:ال)?{body}")
    return re.compile(rf"(?<!\w){body}(?!\w)")


def read_csv(path: Path, terms: TermList) -> None:
    """Add the rows of a ``source,target,type`` CSV file."""
    try:
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"term file {path}: {exc}") from None
    for number, row in enumerate(rows, 1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if number == 1 and [c.strip().lower() for c in row[:3]] == ["source", "target", "type"]:
            continue
        kind = row[2].strip().lower() if len(row) > 2 and row[2].strip() else "required"
        source = row[0].strip()
        target = row[1].strip() if len(row) > 1 else ""
        if kind == "required" and source and target:
            terms.required.setdefault(source, []).extend(target.split("|"))
        elif kind == "keep" and source:
            terms.keep.append(source)
        elif kind == "forbidden" and (target or source):
            terms.forbidden.append(target or source)
        else:
            raise ConfigError(
                f"term file {path}:{number}: expected source,target,type with type "
                "required, keep or forbidden"
            )


def read_tbx(path: Path, source_lang: str, target_lang: str, terms: TermList) -> None:
    """Add the concepts of a TBX file for the language pair."""
    from lxml import etree

    # No entity expansion and no network: a term file is input, not trusted.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise ConfigError(f"term file {path}: not readable TBX ({exc})") from None
    for entry in root.iter("{*}termEntry", "{*}conceptEntry", "termEntry", "conceptEntry"):
        sources: list[str] = []
        targets: list[str] = []
        for lang_set in entry.iter("{*}langSet", "{*}langSec", "langSet", "langSec"):
            lang = (lang_set.get(_XML_LANG) or "").split("-")[0].lower()
            for term in lang_set.iter("{*}term", "term"):
                text = "".join(term.itertext()).strip()
                if not text:
                    continue
                holder = term.getparent()
                status = " ".join(
                    (n.text or "").strip().lower()
                    for n in (holder.iter("{*}termNote", "termNote") if holder is not None else [])
                    if (n.get("type") or "") == "administrativeStatus"
                )
                if lang == target_lang and status in _FORBIDDEN_STATUS:
                    terms.forbidden.append(text)
                elif lang == source_lang:
                    sources.append(text)
                elif lang == target_lang:
                    targets.append(text)
        for source in sources:
            if targets:
                terms.required.setdefault(source, []).extend(targets)


def load(settings: TermsSettings, source_lang: str, target_lang: str) -> TermList:
    """The term list of ``[checks.terms]`` plus its file, for one language pair."""
    terms = TermList()
    for source, target in settings.required.items():
        terms.required[source] = [t for t in target.split("|") if t.strip()]
    terms.keep.extend(settings.keep)
    terms.forbidden.extend(settings.forbidden)
    file = settings.file
    if file:
        path = Path(str(file))
        if path.suffix.lower() in (".tbx", ".xml"):
            read_tbx(path, source_lang, target_lang, terms)
        else:
            read_csv(path, terms)
    return terms


class TermsCheck(Check):
    """Required translations, do-not-translate terms and forbidden target terms.

    Matching ignores case, Arabic diacritics, tatweel and letter variants (أ إ آ → ا), and
    allows Arabic clitics before a term (و ب ل ف ك ال).
    """

    id = "terms"
    settings_type = TermsSettings
    settings: TermsSettings

    def __init__(self, settings: CheckSettings) -> None:
        super().__init__(settings)
        self._lists: dict[tuple[str, str], list[Any]] = {}

    def _compiled(self, source_lang: str, target_lang: str) -> list[Any]:
        key = (source_lang, target_lang)
        if key not in self._lists:
            terms = load(self.settings, source_lang, target_lang)
            self._lists[key] = [
                [
                    (s, _pattern(s), [(t, _pattern(t)) for t in ts])
                    for s, ts in terms.required.items()
                ],
                [(k, _pattern(k)) for k in terms.keep],
                [(f, _pattern(f)) for f in terms.forbidden],
            ]
        return self._lists[key]

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Report missing required and kept terms, and forbidden terms present."""
        required, keep, forbidden = self._compiled(pair.source_lang, pair.target_lang)
        if not (required or keep or forbidden):
            return []
        target = normalise(pair.target.text)
        found: list[Finding] = []
        for term, pattern in forbidden:
            if match := pattern.search(target):
                # Offsets hold only when normalising removed nothing (no diacritics).
                span = match.span() if len(target) == len(pair.target.text) else None
                found.append(self.finding(f"forbidden term “{term}” in the target", span))
        if not pair.source:
            return found
        source = normalise(pair.source)
        for term, pattern, targets in required:
            if pattern.search(source) and not any(p.search(target) for _, p in targets):
                expected = " or ".join(f"“{t}”" for t, _ in targets)
                found.append(self.finding(f"term “{term}” should be translated as {expected}"))
        for term, pattern in keep:
            if pattern.search(source) and not pattern.search(target):
                found.append(self.finding(f"“{term}” should be kept as it is (do not translate)"))
        return found
