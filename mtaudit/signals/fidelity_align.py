"""Sentence alignment guided by back-translation, in the spirit of Bleualign.

The target sentences are translated back into the source language; a dynamic programme then
picks the beads (1-1, 1-2, 2-1, 1-0, 0-1) that maximise the total similarity (chrF) between
each bead's source sentences and the back-translation of its target sentences. Many-to-one
beads pay a small penalty; empty beads gain nothing. A band around the diagonal keeps long
documents cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mtaudit.types import Bead

MOVES = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))


def align(
    source: Sequence[str],
    back_translations: Sequence[str],
    similarity: Callable[[str, str], float],
    *,
    merge_penalty: float = 0.05,
    band: int = 10,
) -> list[Bead]:
    """Align ``source`` sentences with target sentences via their ``back_translations``.

    ``similarity(hypothesis, reference)`` returns a value in [0, 1]. Returns beads that cover
    both sides in order.
    """
    n, m = len(source), len(back_translations)
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    width = band + abs(n - m)

    def in_band(i: int, j: int) -> bool:
        expected = i * m / n if n else 0
        return abs(j - expected) <= width

    for i in range(n + 1):
        for j in range(m + 1):
            if (i == 0 and j == 0) or not in_band(i, j):
                continue
            for di, dj in MOVES:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or best[pi][pj] == neg:
                    continue
                if di and dj:
                    gain = similarity(" ".join(back_translations[pj:j]), " ".join(source[pi:i]))
                    if di + dj > 2:
                        gain -= merge_penalty
                else:
                    gain = 0.0
                score = best[pi][pj] + gain
                if score > best[i][j]:
                    best[i][j] = score
                    back[i][j] = (di, dj)
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        if (di, dj) == (0, 0):  # unreachable cell (should not happen inside the band)
            raise RuntimeError("alignment failed to reach the end")
        beads.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads
