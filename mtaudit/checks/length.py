"""Length ratio against the source: omission or hallucination; over-long sentences."""

from __future__ import annotations

from typing import Any

from mtaudit.checks.base import Check, DocContext
from mtaudit.config import Config
from mtaudit.types import Finding, Pair, Severity


def expected_ratio(config: Config, source_lang: str, target_lang: str) -> float:
    """Expected target/source character ratio for a language pair.

    ``checks.length.ratios`` holds one per direction ("ar-en" = 1.12, "en-ar" = 0.87); a
    direction not listed uses the inverse of the opposite direction, then ``align.ratio``.
    """
    ratios: Any = config.get("checks.length.ratios", {})
    if isinstance(ratios, dict):
        if f"{source_lang}-{target_lang}" in ratios:
            return float(ratios[f"{source_lang}-{target_lang}"])
        if f"{target_lang}-{source_lang}" in ratios:
            return 1.0 / float(ratios[f"{target_lang}-{source_lang}"])
    return float(config.get("align.ratio", 1.0))


class LengthCheck(Check):
    """Target/source character ratio far from the language pair's norm."""

    id = "length"

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Compare the aligned group's lengths; report over-long and sourceless sentences."""
        found: list[Finding] = []
        limit = int(self.config.get("segment.max_sentence_chars", 1000))
        if len(pair.target.text) > limit:
            found.append(
                self.finding(
                    f"sentence is {len(pair.target.text)} characters long (limit {limit}); "
                    "models will see it in pieces",
                    severity=Severity.parse(str(self.settings.get("overlong_severity", "minor"))),
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
        target_len = sum(len(t) for t in group)
        source_len = len(pair.source)
        if max(target_len, source_len) < int(self.settings.get("min_chars", 20)):
            return found
        expected = expected_ratio(self.config, pair.source_lang, pair.target_lang)
        ratio = target_len / max(source_len, 1) / expected
        if ratio < float(self.settings.get("min_ratio", 0.45)):
            found.append(
                self.finding(
                    f"translation is {ratio:.0%} of the expected length: "
                    "part of the source may be missing"
                )
            )
        elif ratio > float(self.settings.get("max_ratio", 2.2)):
            found.append(
                self.finding(
                    f"translation is {ratio:.0%} of the expected length: "
                    "it may add text the source does not have"
                )
            )
        return found
