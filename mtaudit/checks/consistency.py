"""Consistency across a run: one source translated two ways, two sources translated one way."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from mtaudit.checks.base import Check, DocContext, RunHit

_SPACE = re.compile(r"\s+")

Place = tuple[int, int]
"""(document position in the run, target sentence index)."""


def normalise(text: str) -> str:
    """Case folded, white space collapsed: what counts as "the same" segment."""
    return _SPACE.sub(" ", text.casefold()).strip()


class ConsistencyCheck(Check):
    """Inconsistent translations across every document of a run (as Xbench and CheckMate do).

    - The same source segment (case and white space aside) translated differently: every
      occurrence whose translation differs from the most frequent one is reported, naming the
      other occurrences.
    - Different source segments translated identically: the later occurrences are reported.

    Segments are the aligned beads (one source sentence with its target sentences); segments
    with fewer than ``min_words`` source words are left out (headings, "Yes.").
    """

    id = "consistency"
    default_severity = "minor"
    scope = "run"

    def across(self, contexts: list[DocContext]) -> Iterator[RunHit]:
        """Group the run's segments by source and by target."""
        min_words = int(self.settings.get("min_words", 3))
        by_source: dict[str, dict[str, list[Place]]] = defaultdict(lambda: defaultdict(list))
        by_target: dict[str, dict[str, list[Place]]] = defaultdict(lambda: defaultdict(list))
        shown: dict[Place, str] = {}
        names: dict[int, str] = {}
        for position, ctx in enumerate(contexts):
            names[position] = ctx.document.id
            for pair in ctx.pairs:
                if not pair.source or pair.target.index != min(pair.target_indices, default=-1):
                    continue
                source = normalise(pair.source)
                if len(source.split()) < min_words:
                    continue
                target_text = " ".join(ctx.sentences[i].text for i in pair.target_indices)
                target = normalise(target_text)
                place = (position, pair.target.index)
                shown[place] = target_text
                by_source[source][target].append(place)
                by_target[target][source].append(place)

        def where(place: Place) -> str:
            doc, index = place
            return f"{names[doc]} sentence {index + 1}"

        for variants in by_source.values():
            if len(variants) < 2:
                continue
            ranked = sorted(variants.values(), key=lambda places: (-len(places), places[0]))
            main = ranked[0]
            for places in ranked[1:]:
                others = ", ".join(where(p) for p in main[:3])
                for place in places:
                    yield (
                        *place,
                        self.finding(
                            f"the same source is translated differently at {others}: "
                            f"“{_short(shown[main[0]])}”"
                        ),
                    )
        for sources in by_target.values():
            if len(sources) < 2:
                continue
            ordered = sorted(sources.values(), key=lambda places: places[0])
            first = ordered[0][0]
            for places in ordered[1:]:
                for place in places:
                    yield (
                        *place,
                        self.finding(
                            f"the same translation stands for a different source at {where(first)}"
                        ),
                    )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
