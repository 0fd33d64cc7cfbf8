"""Consistency across a run: one source translated two ways, two sources translated one way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mtaudit.checks.base import Check, CheckSettings, DocContext, RunHit

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Case folded, white space collapsed: what counts as "the same" segment."""
    return _SPACE.sub(" ", text.casefold()).strip()


@dataclass(frozen=True)
class ConsistencySettings(CheckSettings):
    """``[checks.consistency]``."""

    min_words: int


class ConsistencyCheck(Check):
    """Inconsistent translations across every document of a run (as Xbench and CheckMate do).

    - The same source segment (case and white space aside) translated differently from its
      first translation in the run: reported on the later occurrence, naming the earlier ones.
    - A different source segment translated identically to an earlier one: reported on the
      later occurrence, naming the earlier one.

    Segments are the aligned beads (one source sentence with its target sentences); segments
    with fewer than ``min_words`` source words are left out (headings, "Yes."). The check keeps
    what it has seen for the whole run, so a run audited in batches (streaming) is compared
    across batches.
    """

    id = "consistency"
    scope = "run"
    settings_type = ConsistencySettings
    settings: ConsistencySettings

    def __init__(self, settings: CheckSettings) -> None:
        super().__init__(settings)
        # source key -> target key -> places; target key -> (source key, first place)
        self._by_source: dict[str, dict[str, list[str]]] = {}
        self._by_target: dict[str, tuple[str, str]] = {}
        self._first_text: dict[str, str] = {}

    def across(self, contexts: list[DocContext]) -> Iterator[RunHit]:
        """Compare each segment of these documents with every segment seen before it."""
        min_words = self.settings.min_words
        for position, ctx in enumerate(contexts):
            for pair in ctx.pairs:
                if not pair.source or pair.target.index != min(pair.target_indices, default=-1):
                    continue
                source = normalise(pair.source)
                if len(source.split()) < min_words:
                    continue
                target_text = " ".join(ctx.sentences[i].text for i in pair.target_indices)
                target = normalise(target_text)
                place = f"{ctx.document.id} sentence {pair.target.index + 1}"
                variants = self._by_source.setdefault(source, {})
                if variants and target not in variants:
                    first_target = next(iter(variants))
                    others = ", ".join(variants[first_target][:3])
                    yield (
                        position,
                        pair.target.index,
                        self.finding(
                            f"the same source is translated differently at {others}: "
                            f"“{_short(self._first_text[first_target])}”"
                        ),
                    )
                variants.setdefault(target, []).append(place)
                self._first_text.setdefault(target, target_text)
                seen = self._by_target.get(target)
                if seen is None:
                    self._by_target[target] = (source, place)
                elif seen[0] != source:
                    yield (
                        position,
                        pair.target.index,
                        self.finding(
                            f"the same translation stands for a different source at {seen[1]}"
                        ),
                    )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
