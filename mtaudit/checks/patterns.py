"""Things that must survive translation unchanged: URLs, e-mails, hashtags, handles, codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from mtaudit.checks.base import Check, CheckSettings, DocContext, Hit
from mtaudit.text.numbers import ascii_digits
from mtaudit.text.units import TEMPERATURE_SYMBOLS
from mtaudit.types import Finding, Pair, Severity

_TRAILING = ".,;:!?)]}»”’'\"،؛؟"
KINDS: dict[str, re.Pattern[str]] = {
    "URL": re.compile(r"\bhttps?://[^\s<>\"«»“”]+|\bwww\.[^\s<>\"«»“”]+", re.IGNORECASE),
    "e-mail address": re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
    "hashtag": re.compile(r"(?<![\w&])#\w+"),
    "handle": re.compile(r"(?<![\w.@])@[A-Za-z0-9_]{2,}"),
    # Letters and digits together, with at least one capital: "F-16", "COVID-19", "A1GP",
    # "KV62", "H5N1", "CG4684". Ordinals and units ("15th", "5am", "160km") have no capital.
    # A temperature ("122F", "50C") is not a code: it may be converted.
    "code": re.compile(
        rf"(?<![\w-])(?!\d+[{TEMPERATURE_SYMBOLS}](?![\w-]))(?=[\w-]*[A-Z])(?=[\w-]*\d)[A-Za-z\d]+"
        r"(?:[-/][A-Za-z\d]+)*(?![\w-])"
    ),
}
# Characters each kind needs, to skip sentences without them quickly.
_CUE = {
    "URL": ("http", "www", "HTTP", "WWW"),
    "e-mail address": ("@",),
    "hashtag": ("#",),
    "handle": ("@",),
    "code": tuple("0123456789"),
}
_DOMAINS = ("com", "org", "net", "gov", "edu", "int", "info", "news", "io", "iq", "uk", "sa")
# What a translation keeps exactly as it is, blanked before looking for copied words: URLs,
# e-mail addresses, hashtags and handles, also right after an Arabic letter (the conjunction
# in "و#وسم" or "وpress@example.org" is written against the next word)
_KEPT = re.compile(
    "|".join(
        [
            KINDS["URL"].pattern,
            r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
            r"(?<![A-Za-z0-9_&])#\w+",
            r"(?<![A-Za-z0-9_.@])@[A-Za-z0-9_]{2,}",
            # a bare domain: "health.gov.iq", "bbc.co.uk/news"
            rf"(?<![\w.@/-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{'|'.join(_DOMAINS)})(?:/[^\s<>\"«»“”]*)?"
            r"(?![\w-])",
        ]
    ),
    re.IGNORECASE,
)
_KEPT_CUES = ("www", "http", "@", "#", *(f".{d}" for d in _DOMAINS))
_ACRONYM = re.compile(r"(?<![\w-])[A-Z]{2,}s?(?![\w-])")
_DIGIT_RUN = re.compile(r"\d+")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


def blank_kept(text: str) -> str:
    """``text`` with its URLs, e-mail addresses, hashtags and handles blanked (offsets kept).

    A translation keeps these as they are (this check asks for them), so the checks that look
    for source words copied into the target (``untranslated``, ``script``) must not count them.
    """
    folded = text.casefold()
    if not any(cue in folded for cue in _KEPT_CUES):
        return text
    return _KEPT.sub(lambda m: " " * len(m.group(0)), text)


def _key(text: str) -> str:
    """A pattern as compared: case folded, without separators."""
    return re.sub(r"[-/\s]", "", text).casefold()


@dataclass(frozen=True)
class PatternsSettings(CheckSettings):
    """``[checks.patterns]``: acronyms' severity and their counterparts in Arabic targets."""

    acronym_severity: Severity
    acronyms: dict[str, str]


class PatternsCheck(Check):
    """URLs, e-mail addresses, hashtags, @handles and codes of the source must be in the target.

    Codes ("F-16", "COVID-19", "UNSC 2254"'s acronym and number) are compared without case and
    separators. In an Arabic-script target a code may be written in Arabic letters ("إف-16"):
    there its digits must survive. ALL-CAPS acronyms of the source need a counterpart in a
    Latin-script target (the acronym itself or a configured expansion) and, in an Arabic
    target, an entry of ``acronyms`` when one is configured.
    """

    id = "patterns"
    settings_type = PatternsSettings
    settings: PatternsSettings

    def __init__(self, settings: CheckSettings) -> None:
        super().__init__(settings)
        self.acronyms = {
            k: [p.strip() for p in v.split("|") if p.strip()]
            for k, v in self.settings.acronyms.items()
        }
        self.acronym_severity = self.settings.acronym_severity

    def document(self, ctx: DocContext) -> Iterator[Hit]:
        """Each pair's findings, a span in the bead's joined text put on its own sentence.

        A source aligned with several target sentences is compared with all of them joined by
        spaces; a code found in the second sentence is reported there, at its offsets in it.
        """
        for pair in ctx.pairs:
            sentences = [ctx.sentences[i] for i in pair.target_indices]
            for found in self.sentence(pair, ctx):
                if found.span is None:
                    yield pair.target.index, found
                    continue
                start, end = found.span
                for sentence in sentences:
                    if start <= len(sentence.text):
                        span = (start, min(end, len(sentence.text)))
                        yield sentence.index, replace(found, span=span)
                        break
                    start, end = start - len(sentence.text) - 1, end - len(sentence.text) - 1

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Report each pattern of the source that the target lost or changed."""
        source = pair.source
        if not source or pair.target.index != min(pair.target_indices, default=-1):
            return []
        # A source aligned with several target sentences is compared with all of them.
        target = " ".join(ctx.sentences[i].text for i in pair.target_indices)
        arabic_target = _ARABIC_LETTER.search(target) is not None
        found: list[Finding] = []
        seen: set[str] = set()
        codes_in_target: set[str] | None = None  # computed when the source has a code
        target_digits: set[str] = set()
        for kind, pattern in KINDS.items():
            if not any(c in source for c in _CUE[kind]):
                continue  # nothing of this kind can be in the source
            for match in pattern.finditer(source):
                item = match.group(0).rstrip(_TRAILING)
                key = _key(item)
                if len(item) < 2 or key in seen:
                    continue
                seen.add(key)
                if kind == "code":
                    if codes_in_target is None:
                        codes_in_target = {_key(m.group(0)) for m in pattern.finditer(target)}
                        target_digits = set(_DIGIT_RUN.findall(ascii_digits(target)))
                    if key in codes_in_target or key in _key(target):
                        continue
                    if arabic_target and _latin_free(item, target, target_digits):
                        continue
                elif item.casefold() in target.casefold():
                    continue
                found.append(self.finding(f"{kind} “{item}” of the source is not in the target"))
        if _DIGIT_RUN.search(target):
            found.extend(self._target_codes(source, target))
        found.extend(self._acronyms(source, target, arabic_target, seen))
        return found

    def _target_codes(self, source: str, target: str) -> list[Finding]:
        """Codes of the target that the source does not have.

        One with the shape of a source code and other digits ("KV65" beside "KV62") is a
        changed code; one whose digits the source lacks altogether was made up or changed.
        """
        shapes: dict[str, set[str]] = {}
        for match in KINDS["code"].finditer(source):
            key = _key(match.group(0))
            shapes.setdefault(re.sub(r"\d+", "#", key), set()).add(key)
        source_key = _key(source)
        source_digits = set(_DIGIT_RUN.findall(ascii_digits(source)))
        found: list[Finding] = []
        in_target = {_key(m.group(0)) for m in KINDS["code"].finditer(target)}
        for match in KINDS["code"].finditer(target):
            key = _key(match.group(0))
            if key in source_key:
                continue
            same_shape = shapes.get(re.sub(r"\d+", "#", key), set())
            if same_shape:
                # When a source code of that shape is missing it was reported already.
                if same_shape <= in_target:
                    found.append(
                        self.finding(
                            f"code “{match.group(0)}” is not in the source (changed?)",
                            match.span(),
                        )
                    )
            elif not set(_DIGIT_RUN.findall(match.group(0))) <= source_digits:
                found.append(
                    self.finding(f"code “{match.group(0)}” is not in the source", match.span())
                )
        return found

    def _acronyms(self, source: str, target: str, arabic: bool, seen: set[str]) -> list[Finding]:
        found: list[Finding] = []
        for match in _ACRONYM.finditer(source):
            acronym = match.group(0).rstrip("s") if match.group(0)[-1] == "s" else match.group(0)
            if _key(acronym) in seen or any(_key(acronym) in s for s in seen):
                continue
            seen.add(_key(acronym))
            counterparts = [acronym, *self.acronyms.get(acronym, [])]
            if any(c.casefold() in target.casefold() for c in counterparts):
                continue
            if arabic and acronym not in self.acronyms:
                continue  # translated or transliterated: nothing to compare against
            found.append(
                self.finding(
                    f"acronym “{acronym}” of the source has no counterpart in the target",
                    severity=self.acronym_severity,
                )
            )
        return found


def _latin_free(item: str, target: str, target_digits: set[str]) -> bool:
    """Whether a code survives in an Arabic target: its letters transliterated, digits kept."""
    digits = _DIGIT_RUN.findall(item)
    if not digits or not all(d in target_digits for d in digits):
        return False
    # Kept in Latin letters but changed ("A1GP" -> "A11GP") is not a transliteration.
    letters = re.sub(r"[^A-Za-z]", "", item).casefold()
    return not any(
        re.sub(r"[^A-Za-z]", "", m.group(0)).casefold() == letters
        for m in KINDS["code"].finditer(target)
    )
