"""Source-language script left in the target (Arabic letters in English output, and back)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtaudit.checks.base import Check, CheckSettings, DocContext
from mtaudit.checks.patterns import blank_kept
from mtaudit.types import Finding, Pair, Severity

_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_RUN = re.compile(rf"[{_ARABIC}](?:[{_ARABIC}\s]*[{_ARABIC}])?")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
# Latin words separated by spaces only: one run of untranslated text or one name.
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ \t]+[A-Za-z][A-Za-z'’-]*)*")
# Lower-case words that belong inside names ("Callejon del Beso", "Leonardo da Vinci").
NAME_PARTICLES = frozenset(
    ["de", "del", "della", "da", "di", "do", "dos", "du", "la", "le", "van", "von", "der", "den"]
    + ["al", "el", "bin", "ibn", "y", "and", "of", "the", "for", "on", "in", "upon"]
)
QUOTES = "\"'“”«»‘’"
SCRIPT_LANGS = {"ar": "Arabic", "fa": "Arabic", "ur": "Arabic"}


@dataclass(frozen=True)
class ScriptSettings(CheckSettings):
    """``[checks.script]``."""

    min_letters: int
    latin_names: str


class ScriptCheck(Check):
    """Letters of the source's script in a target written in another script."""

    id = "script"
    settings_type = ScriptSettings
    settings: ScriptSettings

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Report runs of Arabic letters in a Latin-script target, or copied Latin words."""
        min_letters = self.settings.min_letters
        text = pair.target.text
        found: list[Finding] = []
        if pair.source_lang in SCRIPT_LANGS and pair.target_lang not in SCRIPT_LANGS:
            for match in _ARABIC_RUN.finditer(text):
                if sum(ch.isalpha() for ch in match.group(0)) >= min_letters:
                    found.append(
                        self.finding(f"untranslated Arabic text “{match.group(0)}”", match.span())
                    )
        elif pair.target_lang in SCRIPT_LANGS and pair.source_lang not in SCRIPT_LANGS:
            found.extend(self._latin_in_arabic(pair, min_letters))
        return found

    def _latin_in_arabic(self, pair: Pair, min_letters: int) -> list[Finding]:
        """Latin words left in an Arabic target.

        A run of lower-case words copied from the source is untranslated text (major when it
        has two lower-case words or more, minor for a single word such as "wifi"). Names (runs
        with a capitalised word: "Callejon del Beso"), acronyms and words in quotes (a word
        cited as a word: the Latin "cella") are normal in Arabic text, and so are URLs, e-mail
        addresses, hashtags and handles; with ``latin_names = "flag"`` names left in Latin
        letters are reported as minor.
        """
        text = pair.target.text
        masked = blank_kept(text)
        source_words = {w.lower() for w in _LATIN_WORD.findall(pair.source or "")}
        flag_names = self.settings.latin_names == "flag"
        found: list[Finding] = []
        for run in _LATIN_RUN.finditer(masked):
            words = _LATIN_WORD.findall(run.group(0))
            if not words or _quoted(masked, run.start(), run.end()) or _glued(masked, run):
                continue
            copied = [
                w
                for w in words
                if w.islower()
                and w not in NAME_PARTICLES
                and len(w) >= max(min_letters, 3)
                and (pair.source is None or w.lower() in source_words)
            ]
            if len(copied) >= 2 or (copied and all(w.islower() for w in words)):
                lower = sum(1 for w in words if w.islower())
                severity = None if len(copied) >= 2 or lower >= 2 else Severity.MINOR
                found.append(
                    self.finding(
                        f"untranslated text “{text[slice(*run.span())]}”", run.span(), severity
                    )
                )
            elif flag_names and any(w[:1].isupper() for w in words):
                found.append(
                    self.finding(
                        f"name left in Latin letters “{run.group(0)}”", run.span(), Severity.MINOR
                    )
                )
        return found


def _glued(text: str, run: re.Match[str]) -> bool:
    """Whether a run is one Latin word glued to digits: a name or code ("flightradar24")."""
    if len(run.group(0).split()) != 1:
        return False  # "1960s he headed back to ...": copied prose that starts after digits
    before = text[run.start() - 1 : run.start()]
    after = text[run.end() : run.end() + 1]
    return before.isdigit() or after.isdigit()


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands between quotation marks."""
    before = text[:start].rstrip()[-1:]
    after = text[end:].lstrip()[:1]
    return before in QUOTES and after in QUOTES
