"""Length ratio against the source: omission or hallucination; over-long sentences."""

from __future__ import annotations

from mtaudit.checks.base import Check, DocContext
from mtaudit.types import Finding, Pair, Severity


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
        expected = float(self.config.get("align.ratio", 1.0))
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
