"""Banded dynamic programming over an n×m alignment grid, shared by both aligners.

Only cells near the diagonal from (0, 0) to (n, m) are filled: row ``i`` covers the columns
within ``width`` of ``i * m / n``, widened where needed so that consecutive rows touch (every
in-band cell stays reachable). Costs are kept for the last rows only (a step goes back at most
two rows) and back-pointers are one byte per in-band cell, so time and memory are linear in the
sentence count for a fixed width.

Steps are tried in the order given and a later step replaces an earlier one only when strictly
cheaper, exactly as the full table does; so whenever the optimal path of the full table lies
inside the band, the banded search returns the same beads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mtaudit.types import Bead

Step = tuple[int, int]
Extend = Callable[[float, int, int, int, int], float]
"""``extend(start, i, j, di, dj)``: the total cost at (i, j) when the bead ending there takes di
source and dj target sentences and the path to its start cost ``start`` (only called for start
cells that were reached). Adding inside the callback keeps the arithmetic of a full table."""


def band_width(n: int, m: int, base: int, cap: int) -> int:
    """The band's half-width: ``base`` plus the difference in sentence counts, at most ``cap``."""
    return max(1, min(cap, base + abs(n - m)))


def limits(n: int, m: int, width: int) -> list[tuple[int, int]]:
    """Inclusive column range of each row 0..n in the band of half-width ``width``."""
    rows: list[tuple[int, int]] = []
    for i in range(n + 1):
        centre = i * m / n if n else 0.0
        lo = max(0, int(centre - width + 0.999999999))
        hi = min(m, int(centre + width))
        rows.append((lo, hi))
    rows[0] = (0, rows[0][1])
    rows[n] = (rows[n][0], m)
    # consecutive rows must touch so that every row can be entered from the one before
    for i in range(n - 1, -1, -1):
        lo_next = rows[i + 1][0]
        if rows[i][1] < lo_next - 1:
            rows[i] = (rows[i][0], lo_next - 1)
    for i in range(1, n + 1):
        hi_prev = rows[i - 1][1]
        if rows[i][0] > hi_prev + 1:
            rows[i] = (hi_prev + 1, rows[i][1])
    return rows


def solve(n: int, m: int, steps: Sequence[Step], extend: Extend, width: int) -> list[Bead]:
    """Cheapest sequence of ``steps`` from (0, 0) to (n, m) inside the band; return its beads."""
    if n == 0 and m == 0:
        return []
    inf = float("inf")
    rows = limits(n, m, width)
    # costs of the last three rows (a step goes back at most two), keyed by row number
    recent: dict[int, list[float]] = {}
    back: list[bytearray] = []
    for i in range(n + 1):
        lo, hi = rows[i]
        current = [inf] * (hi - lo + 1)
        pointers = bytearray(hi - lo + 1)
        # for each step: its number, shape, and the row (with its first column) it starts from
        sources = [
            (k, di, dj, current if di == 0 else recent[i - di], lo if di == 0 else rows[i - di][0])
            for k, (di, dj) in enumerate(steps, start=1)
            if di <= i
        ]
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                current[0] = 0.0
                continue
            best, choice = inf, 0
            for k, di, dj, row, plo in sources:
                at = j - dj - plo
                if at < 0 or at >= len(row):
                    continue
                start = row[at]
                if start == inf:
                    continue
                total = extend(start, i, j, di, dj)
                if total < best:
                    best, choice = total, k
            current[j - lo] = best
            pointers[j - lo] = choice
        recent[i] = current
        recent.pop(i - 3, None)
        back.append(pointers)
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        k = back[i][j - rows[i][0]]
        if k == 0:
            raise RuntimeError("alignment failed to reach the end of the band")
        di, dj = steps[k - 1]
        beads.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads
