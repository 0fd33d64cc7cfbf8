"""Length-based sentence alignment (Gale & Church, 1993) of source and target sentences.

Beads of type 1-1, 1-2, 2-1, 1-0, 0-1 and 2-2 are found by dynamic programming over the cost
``penalty(type) - log P(delta)``, where ``delta`` measures how far the target length is from the
source length times the expected ratio, in standard deviations. A sentence left out on one side
(1-0, 0-1) costs its penalty alone, so a long omitted sentence is not forced into a 2-1 bead.
The search is banded around the diagonal (``mtaudit.align.band``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import ClassVar

from mtaudit.align.band import band_width, solve
from mtaudit.types import Bead

STEPS = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (2, 2))
# However far apart two lengths are, pairing them costs at most this much, so that a badly
# translated sentence stays paired with its source rather than becoming a 1-0 plus a 0-1.
MAX_LENGTH_COST = 6.0


@dataclass(frozen=True)
class AlignSettings:
    """``[align]``: the length model, its penalties, and the search band of both methods."""

    SECTION: ClassVar[str] = "align"
    ratio: float
    variance: float
    penalty_1_2: float
    penalty_2_1: float
    penalty_1_0: float
    penalty_0_1: float
    band: int
    max_band: int


def _length_cost(source_len: int, target_len: int, ratio: float, variance: float) -> float:
    mean = (source_len + target_len / ratio) / 2
    if mean == 0:
        return 0.0
    delta = (target_len - source_len * ratio) / math.sqrt(mean * variance)
    # Two-tailed probability of a standard normal deviation at least |delta|.
    prob = math.erfc(abs(delta) / math.sqrt(2))
    return min(-math.log(max(prob, 1e-300)), MAX_LENGTH_COST)


def penalties(settings: AlignSettings) -> dict[tuple[int, int], float]:
    """The cost added for each bead shape (source sentences, target sentences)."""
    return {
        (1, 1): 0.0,
        (1, 2): settings.penalty_1_2,
        (2, 1): settings.penalty_2_1,
        (1, 0): settings.penalty_1_0,
        (0, 1): settings.penalty_0_1,
        (2, 2): settings.penalty_1_2 * 2,
    }


def align_lengths(
    source: Sequence[int],
    target: Sequence[int],
    settings: AlignSettings,
    *,
    width: int | None = None,
) -> list[Bead]:
    """Align two sequences of sentence lengths; return beads covering both in order.

    The search is banded (``align.band`` sentences either side of the diagonal plus the
    difference in counts, at most ``align.max_band``); ``width`` overrides that half-width.
    """
    ratio = settings.ratio
    variance = settings.variance
    penalty = penalties(settings)
    n, m = len(source), len(target)
    src_sum = [0, *accumulate(source)]
    tgt_sum = [0, *accumulate(target)]

    sqrt, erfc, log, root2 = math.sqrt, math.erfc, math.log, math.sqrt(2)

    def extend(start: float, i: int, j: int, di: int, dj: int) -> float:
        total = start + penalty[(di, dj)]
        if di and dj:
            # _length_cost, inlined: this is the aligner's innermost loop
            source_len = src_sum[i] - src_sum[i - di]
            target_len = tgt_sum[j] - tgt_sum[j - dj]
            mean = (source_len + target_len / ratio) / 2
            if mean == 0:
                return total + 0.0
            delta = (target_len - source_len * ratio) / sqrt(mean * variance)
            prob = erfc(abs(delta) / root2)
            total += min(-log(max(prob, 1e-300)), MAX_LENGTH_COST)
        return total

    if width is None:
        width = band_width(n, m, settings.band, settings.max_band)
    return solve(n, m, STEPS, extend, width)
