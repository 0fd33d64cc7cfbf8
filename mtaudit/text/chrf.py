"""Sentence chrF from per-text n-gram profiles, equal to sacrebleu's ``CHRF().sentence_score``.

sacrebleu's defaults: character n-grams of orders 1 to 6 with whitespace removed, beta 2, no word
n-grams, effective-order averaging. sacrebleu extracts both texts' n-grams on every call and
counts matches in a Python loop; here each text's n-grams are extracted once (``profile``) and
the matches of two profiles are set intersections:

- order 1 keeps character counts and sums the smaller count of each shared character;
- orders 2 to 6 keep a set of *occurrence tokens*: an n-gram seen ``c`` times gives the tokens
  ``g``, ``g + " "``, ..., ``g + " " * (c - 1)`` (n-grams hold no whitespace, so tokens never
  collide); two texts share ``min(c_h, c_r)`` tokens of ``g``, so the size of the intersection
  is sacrebleu's match count.

``f_score`` repeats sacrebleu's arithmetic operation for operation, so scores are equal to the
last bit (tests compare them with ``==`` on FLORES). ``merged_bound`` gives an upper bound for
the chrF of a text joined from two parts, from the parts' own match counts, without extracting
the joined text (the translation aligner uses it to skip most many-to-one comparisons).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from operator import add

ORDER = 6
BETA = 2
# added to every bound so that rounding can never put a bound below the score it bounds
# (scores are 0-100; rounding errors are about 1e-13)
BOUND_MARGIN = 1e-6


class Profile:
    """One text's character n-grams (whitespace removed), ready to be matched."""

    __slots__ = ("chars", "length", "tokens", "totals")

    def __init__(self, stripped: str) -> None:
        self.length = len(stripped)
        self.chars: dict[str, int] = Counter(stripped)
        self.totals = tuple(max(0, self.length - n + 1) for n in range(1, ORDER + 1))
        self.tokens: list[set[str]] = []
        grams: list[str] = list(stripped)
        for n in range(2, ORDER + 1):
            grams = list(map(add, grams, stripped[n - 1 :]))
            tokens = set(grams)
            if len(tokens) < len(grams):
                counts = Counter(grams)
                tokens.update(
                    [g + " " * k for g in tokens if counts[g] > 1 for k in range(1, counts[g])]
                )
            self.tokens.append(tokens)


def profile(text: str) -> Profile | None:
    """The profile of ``text`` (already normalised); ``None`` when nothing is left of it."""
    stripped = "".join(text.split())
    return Profile(stripped) if stripped else None


def matches(hyp: Profile, ref: Profile) -> list[int]:
    """Matched n-grams per order (1..6) of two profiles: sacrebleu's intersection counts."""
    a, b = hyp.chars, ref.chars
    shared = a.keys() & b.keys()
    found = [sum(map(min, map(a.__getitem__, shared), map(b.__getitem__, shared)))]
    found += [len(h & r) for h, r in zip(hyp.tokens, ref.tokens, strict=True)]
    return found


def statistics(
    hyp_totals: Sequence[int], ref_totals: Sequence[int], found: Sequence[int]
) -> list[int]:
    """The flat [hyp, ref, match] statistics per order (no hits without ref n-grams)."""
    stats: list[int] = []
    for h, r, m in zip(hyp_totals, ref_totals, found, strict=True):
        stats += (h if r else 0, r, m)
    return stats


def f_score(stats: Sequence[int]) -> float:
    """The chrF (0-100) of flat statistics: ``CHRF._compute_f_score`` with the defaults."""
    eps = 1e-16
    effective_order = 0
    factor = BETA**2
    avg_prec, avg_rec = 0.0, 0.0
    for i in range(ORDER):
        n_hyp, n_ref, n_match = stats[3 * i], stats[3 * i + 1], stats[3 * i + 2]
        prec = n_match / n_hyp if n_hyp > 0 else eps
        rec = n_match / n_ref if n_ref > 0 else eps
        if n_hyp > 0 and n_ref > 0:
            avg_prec += prec
            avg_rec += rec
            effective_order += 1
    if effective_order == 0:
        avg_prec = avg_rec = 0.0
    else:
        avg_prec /= effective_order
        avg_rec /= effective_order
    if avg_prec + avg_rec:
        score = (1 + factor) * avg_prec * avg_rec
        score /= (factor * avg_prec) + avg_rec
        return 100 * score
    return 0.0


def score(hyp: Profile | None, ref: Profile | None) -> float:
    """Sentence chrF of two profiles; 0 when either text is empty."""
    if hyp is None or ref is None:
        return 0.0
    return f_score(statistics(hyp.totals, ref.totals, matches(hyp, ref)))


def merged_bound(
    first: Profile,
    second: Profile,
    other: Profile,
    first_found: Sequence[int],
    second_found: Sequence[int],
    merged_is_hyp: bool,
) -> float:
    """An upper bound (0-100) for the chrF between ``first`` and ``second`` joined and ``other``.

    ``first_found`` and ``second_found`` are the parts' ``matches`` with ``other``. The joined
    text's n-grams of order n are the parts' n-grams plus those that span the join, so its
    matches are at most the parts' matches plus the spanning n-grams, and at most either side's
    total; chrF grows with every match count, so the chrF of those counts bounds the real one.
    ``merged_is_hyp`` says whether the joined text is the hypothesis (a 1-2 bead) or the
    reference (2-1).
    """
    length = first.length + second.length
    totals = [max(0, length - n) for n in range(ORDER)]
    found = [
        min(f + s + t - a - b, t, o)
        for f, s, t, a, b, o in zip(
            first_found,
            second_found,
            totals,
            first.totals,
            second.totals,
            other.totals,
            strict=True,
        )
    ]
    if merged_is_hyp:
        return f_score(statistics(totals, other.totals, found)) + BOUND_MARGIN
    return f_score(statistics(other.totals, totals, found)) + BOUND_MARGIN
