"""Ranking and calibration figures for ``mtaudit eval`` and ``mtaudit calibrate``.

Scores are oriented larger = more likely broken. Ties are handled explicitly: average precision
steps over groups of tied scores (as scikit-learn does), AUROC counts a tied positive/negative
pair as one half, and Kendall's tau is tau-b.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]


def _arrays(scores: Sequence[float], labels: Sequence[int]) -> tuple[Floats, Floats]:
    return np.asarray(scores, dtype=np.float64), np.asarray(labels, dtype=np.float64)


def average_precision(scores: Sequence[float], labels: Sequence[int]) -> float:
    """AP = sum over distinct thresholds of (recall step) x precision at that threshold."""
    s, y = _arrays(scores, labels)
    positives = y.sum()
    if positives == 0:
        return math.nan
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    last = np.r_[np.nonzero(np.diff(s))[0], len(s) - 1]  # last index of each tied group
    tp = np.cumsum(y)[last]
    precision = tp / (last + 1)
    recall_step = np.diff(np.r_[0.0, tp]) / positives
    return float(np.sum(recall_step * precision))


def auroc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Probability that a broken sentence outranks a sound one; ties count one half."""
    s, y = _arrays(scores, labels)
    pos, neg = y.sum(), len(y) - y.sum()
    if pos == 0 or neg == 0:
        return math.nan
    order = np.argsort(s, kind="mergesort")
    sorted_s = s[order]
    ranks = np.empty(len(s))
    starts = np.r_[0, np.nonzero(np.diff(sorted_s))[0] + 1]
    ends = np.r_[starts[1:], len(s)]
    for a, b in zip(starts, ends, strict=True):
        ranks[order[a:b]] = (a + b + 1) / 2.0  # average 1-based rank of the tied group
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def kendall_tau(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall's tau-b between two rankings (ties in either lower the denominator)."""
    from scipy.stats import kendalltau

    if len(x) < 2:
        return math.nan
    tau = kendalltau(np.asarray(x, dtype=float), np.asarray(y, dtype=float)).statistic
    return float(tau)


def at_threshold(
    scores: Sequence[float], labels: Sequence[int], threshold: float
) -> dict[str, float]:
    """Precision, recall and the flagged share when flagging scores >= ``threshold``."""
    s, y = _arrays(scores, labels)
    flagged = s >= threshold
    tp = float((flagged & (y == 1)).sum())
    return {
        "threshold": threshold,
        "precision": tp / flagged.sum() if flagged.sum() else math.nan,
        "recall": tp / y.sum() if y.sum() else math.nan,
        "flagged_share": float(flagged.mean()) if len(s) else math.nan,
    }


def threshold_for(
    scores: Sequence[float],
    labels: Sequence[int],
    point: str,
    reference: Sequence[bool] | None = None,
) -> float:
    """The flag threshold for an operating point.

    ``flag_share:0.1`` gives the lowest threshold that flags at most 10% of the sentences;
    ``precision:0.5`` the lowest with precision at least 0.5 (the flag-share rule at 10% when no
    threshold reaches it); ``reference_share:0.01`` the lowest that flags at most 1% of the
    known-good human reference translations (``reference`` marks them; the flag-share rule at
    10% when there are none). Several rules joined by ``+`` give the highest of their
    thresholds (every rule holds).
    """
    if "+" in point:
        return max(threshold_for(scores, labels, p, reference) for p in point.split("+"))
    kind, _, raw = point.partition(":")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(
            f"operating point {point!r}: expected flag_share:Q, precision:P or reference_share:Q"
        ) from None
    s, y = _arrays(scores, labels)
    if kind == "reference_share":
        if not 0 < value <= 1:
            raise ValueError(f"operating point {point!r}: the share must be in (0, 1]")
        mask = np.array(reference if reference is not None else [False] * len(s), dtype=bool)
        if not mask.any():
            return threshold_for(scores, labels, "flag_share:0.1")
        return threshold_for(s[mask].tolist(), y[mask].astype(int).tolist(), f"flag_share:{raw}")
    distinct = np.unique(s)[::-1]  # high to low
    if kind == "flag_share":
        if not 0 < value <= 1:
            raise ValueError(f"operating point {point!r}: the share must be in (0, 1]")
        best = float(distinct[0]) + 1e-9
        for t in distinct:
            if (s >= t).mean() > value:
                break
            best = float(t)
        return best
    if kind == "precision":
        if not 0 < value <= 1:
            raise ValueError(f"operating point {point!r}: the precision must be in (0, 1]")
        chosen = None
        for t in distinct:
            flagged = s >= t
            if (y[flagged] == 1).mean() >= value:
                chosen = float(t)
        return chosen if chosen is not None else threshold_for(scores, labels, "flag_share:0.1")
    raise ValueError(
        f"operating point {point!r}: expected flag_share:Q, precision:P or reference_share:Q"
    )


def bootstrap(
    metric: Callable[[Floats, Floats], float],
    scores: Sequence[float],
    labels: Sequence[float],
    groups: Sequence[str],
    rounds: int = 200,
    seed: int = 0,
) -> tuple[float, float]:
    """95% interval of ``metric`` over resamples of whole groups (source sentences)."""
    s, y = np.asarray(scores, dtype=float), np.asarray(labels, dtype=float)
    names, inverse = np.unique(np.asarray(groups), return_inverse=True)
    members = [np.nonzero(inverse == g)[0] for g in range(len(names))]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(rounds):
        pick = np.concatenate([members[g] for g in rng.integers(0, len(names), len(names))])
        value = metric(s[pick], y[pick])
        if not math.isnan(value):
            values.append(value)
    if not values:
        return math.nan, math.nan
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)
