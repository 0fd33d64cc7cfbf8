"""Sentence TER equal to sacrebleu's ``TER(normalized=True).sentence_score``, computed faster.

sacrebleu's TER (a port of Tercom) shifts phrases of the hypothesis greedily while a shift
lowers the word edit distance, and measures every candidate shift with a beam edit distance (a
band of 25 words either side of the diagonal) in pure Python, cell by cell. Here the shift
search is sacrebleu's, step for step (same candidates, same order, same ranking, same limits),
and the edit distance is computed with bit-parallel words (Hyyrö's form of Myers' algorithm:
one row of the table per hypothesis word, as a few integer operations):

- the distance of the full table equals the beam's whenever it is below the beam's half-width
  less two: every path that cheap stays inside the beam (a path through cell (i, j) costs at
  least the distance of j from the diagonal i·R/H), so the beam loses none of them;
- the trace of edit operations is read back from the rows kept for the hypothesis in hand,
  preferring a substitution or match, then a deletion, then an insertion, as sacrebleu's table
  does; the cells it passes are on cheapest paths, where the beam's values equal the table's,
  so the operations are the same;
- above that distance, sacrebleu's own beam edit distance is used.

The shift search (``_shift``, ``_find_shifted_pairs``, ``_perform_shift``,
``trace_to_alignment``) follows sacrebleu's ``lib_ter`` (Apache License 2.0, from the Tercom
port by Memsource), with word positions of the reference looked up instead of scanned.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sacrebleu.metrics.lib_ter import (
    _BEAM_WIDTH,
    _INT_INFINITY,
    _MAX_SHIFT_CANDIDATES,
    _MAX_SHIFT_DIST,
    _MAX_SHIFT_SIZE,
    BeamEditDistance,
    _perform_shift,
    trace_to_alignment,
)
from sacrebleu.metrics.ter import TER

_INFINITY = _INT_INFINITY
_FLIP = str.maketrans("id", "di")

State = tuple[int, int, int]
"""Bit-parallel state after some hypothesis words: vertical +1 and -1 bits, distance."""


class EditDistance:
    """Word edit distance to one reference, equal to sacrebleu's ``BeamEditDistance``."""

    def __init__(self, words_ref: Sequence[str]) -> None:
        self.ref = list(words_ref)
        self.n_ref = len(self.ref)
        self.full = (1 << self.n_ref) - 1
        self.last = 1 << (self.n_ref - 1) if self.n_ref else 0
        self.peq: dict[str, int] = {}
        for j, word in enumerate(self.ref):
            self.peq[word] = self.peq.get(word, 0) | (1 << j)
        self.start: State = (self.full, 0, self.n_ref)
        self._beam: BeamEditDistance | None = None

    def _fallback(self) -> BeamEditDistance:
        if self._beam is None:
            self._beam = BeamEditDistance(self.ref)
        return self._beam

    def safe_limit(self, n_hyp: int) -> int:
        """Distances up to this are the same with and without sacrebleu's beam."""
        ratio = self.n_ref / n_hyp if n_hyp else 1
        width = math.ceil(ratio / 2 + _BEAM_WIDTH) if ratio / 2 > _BEAM_WIDTH else _BEAM_WIDTH
        return width - 2

    def advance(self, state: State, words: Sequence[str], keep: bool = True) -> list[State]:
        """The states after each of ``words`` from ``state`` (without ``keep``: the last)."""
        vp, vn, dist = state
        full, last, peq = self.full, self.last, self.peq
        states = []
        for word in words:
            x = peq.get(word, 0)
            d0 = ((((x & vp) + vp) ^ vp) | x | vn) & full
            hp = (vn | ~(d0 | vp)) & full
            hn = d0 & vp
            if hp & last:
                dist += 1
            elif hn & last:
                dist -= 1
            hp = ((hp << 1) | 1) & full
            hn = (hn << 1) & full
            vp = (hn | ~(d0 | hp)) & full
            vn = hp & d0
            if keep:
                states.append((vp, vn, dist))
        return states if keep else [(vp, vn, dist)]

    def quick(
        self, words_hyp: Sequence[str], state: State | None = None, done: int = 0
    ) -> tuple[int, bool]:
        """The full table's distance of ``words_hyp``, and whether the beam's is the same.

        Otherwise the beam's is larger. ``state`` is the one after the first ``done`` words.
        """
        start = state if state is not None else self.start
        rest = words_hyp[done:]
        dist = self.advance(start, rest, keep=False)[-1][2]
        return dist, dist <= self.safe_limit(len(words_hyp))

    def distance(self, words_hyp: Sequence[str]) -> int:
        """The beam edit distance of ``words_hyp``, as sacrebleu's."""
        dist, same = self.quick(words_hyp)
        return dist if same else self.banded(words_hyp)

    def banded(self, words_hyp: Sequence[str]) -> int:
        """Sacrebleu's beam edit distance, values only (no operations kept)."""
        n_hyp, n_ref, ref = len(words_hyp), self.n_ref, self.ref
        ratio = n_ref / n_hyp if n_hyp else 1
        width = math.ceil(ratio / 2 + _BEAM_WIDTH) if ratio / 2 > _BEAM_WIDTH else _BEAM_WIDTH
        inf = _INFINITY
        prev = list(range(n_ref + 1))
        for i in range(1, n_hyp + 1):
            diagonal = math.floor(i * ratio)
            lo = max(0, diagonal - width)
            hi = n_ref + 1 if i == n_hyp else min(n_ref + 1, diagonal + width)
            row = [inf] * (n_ref + 1)
            word = words_hyp[i - 1]
            left = inf
            for j in range(lo, hi):
                if j == 0:
                    value = prev[0] + 1
                else:
                    value = prev[j - 1] + (word != ref[j - 1])
                    if prev[j] + 1 < value:
                        value = prev[j] + 1
                    if left + 1 < value:
                        value = left + 1
                    if value > inf:
                        value = inf
                row[j] = left = value
            prev = row
        return prev[n_ref]

    def traced(self, words_hyp: Sequence[str]) -> tuple[int, str, list[State]]:
        """Distance, trace of operations (as sacrebleu's) and the state after each word."""
        states = self.advance(self.start, words_hyp)
        rows = [self.start, *states]
        dist = rows[-1][2]
        if self.n_ref == 0 or dist > self.safe_limit(len(words_hyp)):
            value, trace = self._fallback()(list(words_hyp))
            return int(value), trace, states

        def cell(i: int, j: int) -> int:
            vp, vn, _ = rows[i]
            low = (1 << j) - 1
            return i + (vp & low).bit_count() - (vn & low).bit_count()

        ops: list[str] = []
        i, j = len(words_hyp), self.n_ref
        current = dist
        while i > 0 or j > 0:
            if j == 0:
                ops.append("d")
                i -= 1
                current = i
                continue
            if i == 0:
                ops.append("i")
                j -= 1
                current = j
                continue
            same = words_hyp[i - 1] == self.ref[j - 1]
            diagonal = cell(i - 1, j - 1)
            if diagonal + (0 if same else 1) == current:
                ops.append(" " if same else "s")
                i, j, current = i - 1, j - 1, diagonal
                continue
            up = cell(i - 1, j)
            if up + 1 == current:
                ops.append("d")
                i, current = i - 1, up
                continue
            ops.append("i")
            j, current = j - 1, current - 1
        return dist, "".join(reversed(ops)), states


def _find_shifted_pairs(
    words_h: Sequence[str], words_r: Sequence[str], positions: dict[str, list[int]]
) -> list[tuple[int, int, int]]:
    """Sacrebleu's matching word sub-sequences, in its order, from the reference's positions."""
    n_h, n_r = len(words_h), len(words_r)
    found = []
    for start_h in range(n_h):
        for start_r in positions.get(words_h[start_h], ()):
            if abs(start_r - start_h) > _MAX_SHIFT_DIST:
                continue
            length = 0
            while (
                words_h[start_h + length] == words_r[start_r + length] and length < _MAX_SHIFT_SIZE
            ):
                length += 1
                found.append((start_h, start_r, length))
                if n_h == start_h + length or n_r == start_r + length:
                    break
    return found


def _shift(
    words_h: list[str],
    words_r: Sequence[str],
    edit: EditDistance,
    positions: dict[str, list[int]],
    checked: int,
) -> tuple[int, list[str], int]:
    """Sacrebleu's ``_shift``: the shift that lowers the edit distance most."""
    pre_score, inv_trace, states = edit.traced(words_h)
    # read as rewriting the reference into the hypothesis: insertions and deletions swap
    align, ref_err, hyp_err = trace_to_alignment(inv_trace.translate(_FLIP))
    best: tuple[int, int, int, int, list[str]] | None = None
    for start_h, start_r, length in _find_shifted_pairs(words_h, words_r, positions):
        if sum(hyp_err[start_h : start_h + length]) == 0:
            continue
        if sum(ref_err[start_r : start_r + length]) == 0:
            continue
        if start_h <= align[start_r] < start_h + length:
            continue
        prev_idx = -1
        for offset in range(-1, length):
            if start_r + offset == -1:
                idx = 0
            elif start_r + offset in align:
                idx = align[start_r + offset] + 1
            else:
                break
            if idx == prev_idx:
                continue
            prev_idx = idx
            shifted = _perform_shift(words_h, start_h, length, idx)
            kept = min(start_h, idx)  # the words before this are not moved
            dist, same = edit.quick(shifted, states[kept - 1] if kept else None, kept)
            score = pre_score - dist
            # the beam's distance is at least the full table's, so ``score`` is an upper bound:
            # the exact value is needed only where the candidate could still be chosen (a best
            # score of 0 or less stops the search whatever it is)
            if not same and score > 0 and (best is None or score >= best[0]):
                score = pre_score - edit.banded(shifted)
            candidate = (
                score,
                length,
                -start_h,
                -idx,
                shifted,
            )
            checked += 1
            if not best or candidate > best:
                best = candidate
        if checked >= _MAX_SHIFT_CANDIDATES:
            break
    if not best:
        return 0, words_h, checked
    return best[0], best[4], checked


def translation_edit_rate(words_hyp: list[str], words_ref: list[str]) -> tuple[int, int]:
    """Sacrebleu's ``translation_edit_rate``: (number of edits, reference length)."""
    if not words_ref:
        return len(words_hyp), 0
    edit = EditDistance(words_ref)
    positions: dict[str, list[int]] = {}
    for j, word in enumerate(words_ref):
        positions.setdefault(word, []).append(j)
    shifts = 0
    words = words_hyp
    checked = 0
    while True:
        delta, shifted, checked = _shift(words, words_ref, edit, positions, checked)
        if checked >= _MAX_SHIFT_CANDIDATES or delta <= 0:
            break
        shifts += 1
        words = shifted
    return shifts + edit.distance(words), len(words_ref)


class FastTER:
    """Sentence TER (0-100 and above) with sacrebleu's tokenisation and normalisation."""

    def __init__(self) -> None:
        self.metric = TER(normalized=True)

    def words(self, text: str) -> list[str]:
        """The words TER compares: sacrebleu's Tercom tokenisation of ``text``."""
        return str(self.metric._preprocess_segment(text)).split()

    def score(self, hypothesis: str, reference: str) -> float:
        """TER of ``hypothesis`` against one ``reference``, as ``sentence_score(...).score``."""
        hyp, ref = self.words(hypothesis), self.words(reference)
        edits, ref_len = (0, len(ref)) if hyp == ref else translation_edit_rate(hyp, ref)
        length = ref_len / 1
        if length > 0:
            return float(100 * (edits / length))
        return 100.0 if edits > 0 else 0.0
