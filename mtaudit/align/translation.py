"""Sentence alignment guided by translation, in the spirit of Bleualign.

The target sentences are translated into the source language; a dynamic programme then picks
the beads (1-1, 1-2, 2-1, 1-0, 0-1) that maximise the total similarity (chrF) between each
bead's source sentences and the translation of its target sentences. Many-to-one beads pay a
small penalty; empty beads gain nothing. The search is banded around the diagonal
(``mtaudit.align.band``), so long documents stay cheap.

With an upper ``bound`` for many-to-one beads, those beads are first scored by their bound and
compared exactly only when they lie on the best path; the search is repeated until every bead
on the best path has its exact score. The beads are then the same as when every bead is
compared exactly: each step's cost is never above its exact cost, so no cell of the table is
dearer than with exact scores, and along the returned path the costs are exact; at each of its
cells every other step costs at least as much as with bounds, where the chosen step was already
the first cheapest, so the exact table chooses the same step (floating-point subtraction is
monotonic, so this holds for the computed sums too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from mtaudit.align.band import solve
from mtaudit.types import Bead

MOVES = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))

Bound = Callable[[Sequence[str], Sequence[str]], float | None]
"""``bound(hypotheses, references)``: at least ``similarity(" ".join(hypotheses), " ".join(
references))`` for a many-to-one bead, computed from its sentences; ``None`` when unknown."""


@dataclass(frozen=True)
class BeadSettings:
    """The ``[fidelity]`` keys of this method: the 1-2/2-1 penalty and the search band."""

    SECTION: ClassVar[str] = "fidelity"
    align_merge_penalty: float
    align_band: int


def align(
    source: Sequence[str],
    back_translations: Sequence[str],
    similarity: Callable[[str, str], float],
    *,
    merge_penalty: float,
    width: int,
    bound: Bound | None = None,
) -> list[Bead]:
    """Align ``source`` sentences with target sentences via their ``back_translations``.

    ``similarity(hypothesis, reference)`` returns a value in [0, 1]; ``width`` is the band's
    half-width in sentences; ``bound`` (optional) bounds many-to-one beads from above, so that
    fewer of them are compared exactly (the beads returned are the same). Returns beads that
    cover both sides in order.
    """
    exact: dict[tuple[int, int, int, int], float] = {}
    bounded: dict[tuple[int, int, int, int], float] = {}

    def gain(i: int, j: int, di: int, dj: int, lazy: bool) -> float:
        key = (i, j, di, dj)
        if key in exact:
            return exact[key]
        hyps, refs = back_translations[j - dj : j], source[i - di : i]
        if lazy and bound is not None and di + dj > 2:
            if key not in bounded:
                value = bound(hyps, refs)
                if value is not None:
                    bounded[key] = value
            if key in bounded:
                return bounded[key]
        exact[key] = similarity(" ".join(hyps), " ".join(refs))
        return exact[key]

    def extend(start: float, i: int, j: int, di: int, dj: int) -> float:
        # the search minimises cost = -similarity; negation is exact, so the sums and their
        # comparisons are those of a maximising table
        if not (di and dj):
            return start
        value = gain(i, j, di, dj, True)
        if di + dj > 2:
            value -= merge_penalty
        return start - value

    n, m = len(source), len(back_translations)
    while True:
        beads = solve(n, m, MOVES, extend, width)
        guessed = []
        i = j = 0
        for src, tgt in beads:
            i, j = i + len(src), j + len(tgt)
            key = (i, j, len(src), len(tgt))
            if key in bounded and key not in exact:
                guessed.append(key)
        if not guessed:
            return beads
        for i, j, di, dj in guessed:
            gain(i, j, di, dj, False)
