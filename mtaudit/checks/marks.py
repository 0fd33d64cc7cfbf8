"""Punctuation against the source and the target's conventions (Arabic ؟ ، ؛ and spacing)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Self

from mtaudit.checks.base import Check, CheckSettings, DocContext
from mtaudit.checks.length import LengthNorms
from mtaudit.config import Config
from mtaudit.text.segment import CLOSERS, TERMINALS
from mtaudit.types import Finding, Pair, Severity

ARABIC_SCRIPT = frozenset(["ar", "fa", "ur"])
_ARABIC = "\u0621-\u064a"
# Latin marks between Arabic words, and Arabic marks in Latin-script text.
_LATIN_MARK_IN_ARABIC = re.compile(rf"(?<=[{_ARABIC}])\s*([,;?])(?=\s*[{_ARABIC}]|\s*$)")
_ARABIC_MARK = re.compile(r"[،؛؟]")
_SPACE_BEFORE = re.compile(r"(?<=\w)\s+([،؛؟!:.])(?=\s|$)")
_NO_SPACE_AFTER = re.compile(rf"([،؛])(?=[{_ARABIC}])")
ARABIC_FOR = {",": "،", ";": "؛", "?": "؟"}


def _end(text: str) -> str:
    return text.rstrip(CLOSERS + " \u200f")[-1:]


@dataclass(frozen=True)
class MarksSettings(CheckSettings):
    """``[checks.marks]``."""

    cut_ratio: float
    arabic_spacing: bool


class MarksCheck(Check):
    """Final punctuation compared with the source, and punctuation in the target's script.

    - The source ends a sentence and the target stops without final punctuation: minor, or
      the check's severity (major) when the target is also shorter than ``cut_ratio`` of the
      expected length (a translation cut off).
    - A question in the source that the target ends as a statement (minor).
    - Arabic targets: Latin ``, ; ?`` between Arabic words instead of ``، ؛ ؟``, a space before
      a mark, no space after ``، ؛`` (minor). Latin-script targets: Arabic marks left (minor).
    """

    id = "marks"
    settings_type = MarksSettings
    settings: MarksSettings

    def __init__(self, settings: CheckSettings, norms: LengthNorms) -> None:
        super().__init__(settings)
        self.norms = norms

    @classmethod
    def from_config(cls, config: Config) -> Self:
        """The check, with the expected length ratios of the length check."""
        return cls(cls.read_settings(config), LengthNorms.from_config(config))

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Compare the final marks and look at the target's punctuation."""
        text = pair.target.text
        found: list[Finding] = []
        last = pair.target.index == max(pair.target_indices, default=pair.target.index)
        if pair.source and last:
            found.extend(self._ending(pair, ctx))
        minor = Severity.MINOR
        if pair.target_lang in ARABIC_SCRIPT:
            for latin in _LATIN_MARK_IN_ARABIC.finditer(text):
                mark = latin.group(1)
                found.append(
                    self.finding(
                        f"Latin “{mark}” in Arabic text: use “{ARABIC_FOR[mark]}”",
                        latin.span(1),
                        minor,
                    )
                )
            if not self.settings.arabic_spacing:
                return found
            if match := _SPACE_BEFORE.search(text):
                found.append(self.finding(f"space before “{match.group(1)}”", match.span(), minor))
            if match := _NO_SPACE_AFTER.search(text):
                found.append(
                    self.finding(f"no space after “{match.group(1)}”", match.span(1), minor)
                )
        elif match := _ARABIC_MARK.search(text):
            found.append(
                self.finding(
                    f"Arabic “{match.group(0)}” in {pair.target_lang} text", match.span(), minor
                )
            )
        return found

    def _ending(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        source = pair.source or ""
        source_end = _end(source)
        target_end = _end(pair.target.text)
        if source_end in "?؟" and source_end and target_end in ".":
            return [
                self.finding(
                    "the source asks a question; the target does not", severity=Severity.MINOR
                )
            ]
        if source_end not in TERMINALS or not source_end or target_end in TERMINALS + ":":
            return []
        group = [ctx.sentences[i].text for i in pair.target_indices] or [pair.target.text]
        ratio = sum(len(t) for t in group) / max(len(source), 1)
        ratio /= self.norms.expected(pair.source_lang, pair.target_lang)
        cut = ratio < self.settings.cut_ratio
        where = (max(len(pair.target.text.rstrip()) - 1, 0), len(pair.target.text.rstrip()))
        if cut:
            return [
                self.finding(
                    f"the source ends with “{source_end}” but the target stops without final "
                    f"punctuation at {ratio:.0%} of the expected length: cut off?",
                    where,
                )
            ]
        return [
            self.finding(
                f"the source ends with “{source_end}”, the target has no final punctuation",
                where,
                Severity.MINOR,
            )
        ]
