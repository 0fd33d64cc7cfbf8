"""Numbers and dates that differ between source and target."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterator

from mtaudit.checks.base import Check, DocContext, Hit
from mtaudit.text.measures import converted, measures
from mtaudit.text.numbers import digit_groups, spelled_counts
from mtaudit.types import Sentence


def _excused(
    value: str, here: tuple[Counter[str], set[str]], there: tuple[Counter[str], set[str]]
) -> bool:
    """Whether a number in digits on one side is written in words on the other (``there``).

    The other side must spell it more often than this side does, so that "three hours" beside
    "ثلاث ساعات" cannot excuse a changed "2%" → "3%".
    """
    counts, marks = there
    if value in marks or counts[value] > here[0][value]:
        return True
    number = int(value) if value.isdigit() else -1
    return number >= 10 and number % 10 == 0 and f"decade:{number % 100}" in marks


class NumbersCheck(Check):
    """Numbers in the source missing from the target, and numbers the target made up.

    Numbers are compared per alignment bead: when one source sentence became two target
    sentences, the two together must carry the source's numbers. A number written in words on
    the other side (in English or Arabic, including ordinals, decades and the Arabic dual) is
    not reported; neither is a Hijri year ("1443 هـ") missing from the other side, nor a
    measurement converted to another unit ("186 miles" → "300 كيلومتر").
    """

    id = "numbers"

    def document(self, ctx: DocContext) -> Iterator[Hit]:
        """Compare the digit groups of each aligned source with its target sentences."""
        for pair in ctx.pairs:
            if pair.source and pair.target.index == min(pair.target_indices, default=-1):
                group = [ctx.sentences[i] for i in pair.target_indices]
                yield from self._compare(pair.source, group)

    def _compare(self, source_text: str, group: list[Sentence]) -> Iterator[Hit]:
        target = [
            (n, span, s.index, opt) for s in group for n, span, opt in digit_groups(_plain(s.text))
        ]
        source_all = digit_groups(_plain(source_text))
        source = Counter(n for n, _, opt in source_all if not opt)
        optional = {n for n, _, opt in source_all if opt} | {n for n, _, _, opt in target if opt}
        target_count = Counter(n for n, _, _, opt in target if not opt)
        extra = target_count - source
        missing = source - target_count
        for value in optional:
            extra.pop(value, None)
            missing.pop(value, None)
        if missing or extra:
            target_text = " ".join(s.text for s in group)
            words_source = spelled_counts(source_text)
            words_target = spelled_counts(target_text)
            missing = Counter(
                {k: v for k, v in missing.items() if not _excused(k, words_source, words_target)}
            )
            extra = Counter(
                {k: v for k, v in extra.items() if not _excused(k, words_target, words_source)}
            )
            if missing and extra:
                missing, extra = _conversions(source_text, target_text, missing, extra)
        for value in sorted(missing):
            yield (
                group[0].index,
                self.finding(f"number {value} in the source is missing from the target"),
            )
        reported: set[tuple[int, tuple[int, int]]] = set()
        for value, span, index, opt in target:
            if opt or extra[value] <= 0 or (index, span) in reported:
                continue
            extra[value] -= 1
            reported.add((index, span))
            yield index, self.finding(f"number {value} in the target is not in the source", span)


def _conversions(
    source: str, target: str, missing: Counter[str], extra: Counter[str]
) -> tuple[Counter[str], Counter[str]]:
    """``missing`` and ``extra`` less the numbers of measurements converted to another unit.

    "186 miles" → "300 كيلومتر": 186 is not missing and 300 not made up when one is the other
    converted (rounded, see ``text.measures``).
    """
    targets = measures(_plain(target))
    if not targets:
        return missing, extra
    for first in measures(_plain(source)):
        for second in targets:
            if converted(first, second):
                gone = Counter(n for n, _, _ in digit_groups(first.number))
                made = Counter(n for n, _, _ in digit_groups(second.number))
                if not (gone - missing) and not (made - extra):
                    missing, extra = missing - gone, extra - made
                break
    return missing, extra


def _plain(text: str) -> str:
    """Text with HTML entities decoded, so ``&#39;`` is not read as the number 39."""
    return html.unescape(text) if "&" in text else text
