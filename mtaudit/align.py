"""Length-based sentence alignment (Gale & Church, 1993) of source and target sentences.

Beads of type 1-1, 1-2, 2-1, 1-0, 0-1 and 2-2 are found by dynamic programming over the cost
``penalty(type) - log P(delta)``, where ``delta`` measures how far the target length is from the
source length times the expected ratio, in standard deviations. A sentence left out on one side
(1-0, 0-1) costs its penalty alone, so a long omitted sentence is not forced into a 2-1 bead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from mtaudit.config import Config
from mtaudit.types import Bead

_STEPS = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (2, 2))
# However far apart two lengths are, pairing them costs at most this much, so that a badly
# translated sentence stays paired with its source rather than becoming a 1-0 plus a 0-1.
MAX_LENGTH_COST = 6.0


def _length_cost(source_len: int, target_len: int, ratio: float, variance: float) -> float:
    mean = (source_len + target_len / ratio) / 2
    if mean == 0:
        return 0.0
    delta = (target_len - source_len * ratio) / math.sqrt(mean * variance)
    # Two-tailed probability of a standard normal deviation at least |delta|.
    prob = math.erfc(abs(delta) / math.sqrt(2))
    return min(-math.log(max(prob, 1e-300)), MAX_LENGTH_COST)


def align_lengths(source: Sequence[int], target: Sequence[int], config: Config) -> list[Bead]:
    """Align two sequences of sentence lengths; return beads covering both in order."""
    ratio = config.number("align.ratio", 1.0)
    variance = config.number("align.variance", 6.8)
    penalty = {
        (1, 1): 0.0,
        (1, 2): config.number("align.penalty_1_2", 2.3),
        (2, 1): config.number("align.penalty_2_1", 2.3),
        (1, 0): config.number("align.penalty_1_0", 4.6),
        (0, 1): config.number("align.penalty_0_1", 4.6),
        (2, 2): config.number("align.penalty_1_2", 2.3) * 2,
    }
    n, m = len(source), len(target)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            best, step = inf, (0, 0)
            for di, dj in _STEPS:
                if di > i or dj > j or cost[i - di][j - dj] == inf:
                    continue
                total = cost[i - di][j - dj] + penalty[(di, dj)]
                if di and dj:
                    total += _length_cost(
                        sum(source[i - di : i]), sum(target[j - dj : j]), ratio, variance
                    )
                if total < best:
                    best, step = total, (di, dj)
            cost[i][j], back[i][j] = best, step
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        beads.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads
