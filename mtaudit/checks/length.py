"""Length ratio against the source: omission or hallucination; over-long sentences."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Self, cast

from mtaudit.align import AlignSettings
from mtaudit.checks.base import Check, CheckSettings, DocContext
from mtaudit.config import Config
from mtaudit.settings import settings_of
from mtaudit.text.segment import SegmentSettings
from mtaudit.types import Finding, Pair, Severity


@dataclass(frozen=True)
class LengthSettings(CheckSettings):
    """``[checks.length]``."""

    ratios: dict[str, float]
    min_ratio: float
    max_ratio: float
    min_chars: int
    min_z: float
    overlong_severity: Severity


@dataclass(frozen=True)
class LengthNorms:
    """Expected target/source character ratios: per direction, else one for every pair."""

    ratios: dict[str, float]
    fallback: float

    @classmethod
    def from_config(cls, config: Config) -> LengthNorms:
        """``checks.length.ratios``, falling back to ``align.ratio``."""
        ratios = cast(LengthSettings, LengthCheck.read_settings(config)).ratios
        return cls(ratios, settings_of(config, AlignSettings).ratio)

    def expected(self, source_lang: str, target_lang: str) -> float:
        """Expected target/source character ratio for a language pair.

        ``checks.length.ratios`` holds one per direction ("ar-en" = 1.12, "en-ar" = 0.87); a
        direction not listed uses the inverse of the opposite direction, then ``align.ratio``.
        """
        ratios = self.ratios
        if f"{source_lang}-{target_lang}" in ratios:
            return ratios[f"{source_lang}-{target_lang}"]
        if f"{target_lang}-{source_lang}" in ratios:
            return 1.0 / ratios[f"{target_lang}-{source_lang}"]
        return self.fallback


# "41%" is "41 في المائة" and "41 per cent": a percentage counts as one sign in any spelling
_PERCENT = re.compile(r"\s?(?:%|٪|per ?cent\b|في الما?ئة|بالما?ئة)", re.IGNORECASE)


def _length(text: str) -> int:
    """The length compared: characters, a percentage's words counted as its sign."""
    if "%" in text or "٪" in text or "cent" in text or "ئة" in text:
        return len(_PERCENT.sub("%", text))
    return len(text)


class LengthCheck(Check):
    """Target/source character ratio far from the language pair's norm.

    A ratio outside ``min_ratio``..``max_ratio`` is reported when the difference from the
    expected length is also at least ``min_z`` standard deviations, taking the deviation of a
    sentence's length as the square root of its expected length (as Gale and Church do): a short
    quote translated tersely (a 17-character Arabic "قال: «لن نتراجع»." for a 33-character
    English source) is within the spread of human translations, a long sentence at the same
    ratio is not.
    """

    id = "length"
    settings_type = LengthSettings
    settings: LengthSettings

    def __init__(self, settings: CheckSettings, norms: LengthNorms, limit: int) -> None:
        super().__init__(settings)
        self.norms = norms
        self.limit = limit

    @classmethod
    def from_config(cls, config: Config) -> Self:
        """The check, with the ratio norms and ``segment.max_sentence_chars``."""
        limit = settings_of(config, SegmentSettings).max_sentence_chars
        return cls(cls.read_settings(config), LengthNorms.from_config(config), limit)

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Compare the aligned group's lengths; report over-long and sourceless sentences."""
        found: list[Finding] = []
        limit = self.limit
        if len(pair.target.text) > limit:
            found.append(
                self.finding(
                    f"sentence is {len(pair.target.text)} characters long (limit {limit}); "
                    "models will see it in pieces",
                    severity=self.settings.overlong_severity,
                )
            )
        if pair.source is None:
            return found
        if pair.source == "":
            found.append(
                self.finding("no source sentence aligns with this sentence: added or misplaced?")
            )
            return found
        group = [ctx.sentences[i].text for i in pair.target_indices] or [pair.target.text]
        target_len = sum(_length(t) for t in group)
        source_len = _length(pair.source)
        if max(target_len, source_len) < self.settings.min_chars:
            return found
        expected = self.norms.expected(pair.source_lang, pair.target_lang)
        ratio = target_len / max(source_len, 1) / expected
        expected_len = expected * max(source_len, 1)
        if abs(target_len - expected_len) < self.settings.min_z * math.sqrt(expected_len):
            return found
        if ratio < self.settings.min_ratio:
            found.append(
                self.finding(
                    f"translation is {ratio:.0%} of the expected length: "
                    "part of the source may be missing"
                )
            )
        elif ratio > self.settings.max_ratio:
            found.append(
                self.finding(
                    f"translation is {ratio:.0%} of the expected length: "
                    "it may add text the source does not have"
                )
            )
        return found
