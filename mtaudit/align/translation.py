"""Sentence alignment guided by translation, in the spirit of Bleualign.

The target sentences are translated into the source language; a dynamic programme then picks
the beads (1-1, 1-2, 2-1, 1-0, 0-1) that maximise the total similarity (chrF) between each
bead's source sentences and the translation of its target sentences. Many-to-one beads pay a
small penalty; empty beads gain nothing. The search is banded around the diagonal
(``mtaudit.align.band``), so long documents stay cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from mtaudit.align.band import solve
from mtaudit.types import Bead

MOVES = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))


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
) -> list[Bead]:
    """Align ``source`` sentences with target sentences via their ``back_translations``.

    ``similarity(hypothesis, reference)`` returns a value in [0, 1]; ``width`` is the band's
    half-width in sentences. Returns beads that cover both sides in order.
    """

    def extend(start: float, i: int, j: int, di: int, dj: int) -> float:
        # the search minimises cost = -similarity; negation is exact, so the sums and their
        # comparisons are those of a maximising table
        if not (di and dj):
            return start
        gain = similarity(" ".join(back_translations[j - dj : j]), " ".join(source[i - di : i]))
        if di + dj > 2:
            gain -= merge_penalty
        return start - gain

    return solve(len(source), len(back_translations), MOVES, extend, width)
