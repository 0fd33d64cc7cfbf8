"""Glossary terms: a source term must come out as its required target term."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mtaudit.checks.base import Check, CheckSettings, DocContext
from mtaudit.errors import ConfigError
from mtaudit.text.arabic import without_tashkeel
from mtaudit.types import Finding, Pair

_ALEF = str.maketrans("أإآٱى", "ااااي")


def normalise(text: str) -> str:
    """Fold case, Arabic diacritics, tatweel and letter variants for term matching."""
    return without_tashkeel(text).translate(_ALEF).casefold()


@dataclass(frozen=True)
class GlossarySettings(CheckSettings):
    """``[checks.glossary]``: source term = required target term, and a TSV file of more."""

    terms: dict[str, str]
    file: str


def load_terms(settings: GlossarySettings) -> dict[str, str]:
    """Terms from the config table plus an optional TSV file (source<TAB>target per line)."""
    terms = dict(settings.terms)
    file = settings.file
    if file:
        try:
            lines = Path(str(file)).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"glossary file {file}: {exc}") from None
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 2:
                raise ConfigError(f"glossary file {file}:{number}: expected source<TAB>target")
            terms[parts[0].strip()] = parts[1].strip()
    return terms


class GlossaryCheck(Check):
    """Required translations of names and terms."""

    id = "glossary"
    settings_type = GlossarySettings
    settings: GlossarySettings

    def __init__(self, settings: CheckSettings) -> None:
        super().__init__(settings)
        terms = load_terms(self.settings)
        self.terms = [(normalise(s), normalise(t), t) for s, t in terms.items()]

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Report each source term whose required translation is absent."""
        if not pair.source or not self.terms:
            return []
        source = normalise(pair.source)
        target = normalise(pair.target.text)
        return [
            self.finding(f"glossary: expected “{shown}” in the translation")
            for term, required, shown in self.terms
            if term in source and required not in target
        ]
