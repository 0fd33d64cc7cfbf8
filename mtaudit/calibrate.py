"""Fit the judge's model file from labelled segments, with cross-validated figures.

Each labelled segment is audited as one unit (checks and the signals that can run), turned into
features (:mod:`mtaudit.features`), and one logistic regression (scikit-learn) is fitted per
evidence basis: every set of evidence groups the data covers, always with the checks. A model
for a basis is fitted on every segment that has at least that evidence, using only the features
of those groups, so at audit time a sentence whose signal did not run is judged exactly as if
that signal did not exist. Features are oriented larger = worse; a feature whose fitted weight
comes out negative is dropped and the model refitted, so the risk is monotone in every feature.
Cross-validation is grouped by source sentence (``GroupKFold``). The flag threshold is chosen on
the cross-validated predictions at the configured operating point.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mtaudit.config import Config
from mtaudit.features import (
    CHECKS,
    FIDELITY,
    Features,
    extract,
    feature_group,
    finding_name,
    length_log_ratio,
    ordered,
)
from mtaudit.judge import FORMAT, BasisModel
from mtaudit.labelled import Labelled
from mtaudit.metrics import at_threshold, auroc, average_precision, threshold_for
from mtaudit.pipeline import audit

log = logging.getLogger("mtaudit")

MIN_SUPPORT = 5
"""A feature must be non-zero in at least this many segments to get a weight."""
MIN_ROWS, MIN_POSITIVES = 40, 8


@dataclass
class Row:
    """One audited labelled segment: its features, label, score, group and raw signals."""

    features: Features
    label: int
    score: float
    group: str
    signals: dict[str, float] = field(default_factory=dict)
    source: str | None = None
    target: str = ""
    risk: float = math.nan
    flagged: bool = False
    basis: list[str] = field(default_factory=list)
    # a known-good human reference translation (``kind`` = reference), for the operating point
    reference: bool = False
    # the segment's weight in the fit (``weight`` column; e.g. to balance synthetic failure kinds)
    weight: float = 1.0


def featurise(
    rows: Sequence[Labelled],
    config: Config,
    signals: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Row], list[dict[str, Any]], float]:
    """Audit every labelled segment (as a segment); return rows, signal statuses, length norm.

    The length norm is the median target/source length log-ratio of the segments (labels are
    not looked at); the length features are measured against it.
    """
    run = audit([r.document for r in rows], config, signals=signals, progress=progress)
    audited = [
        (labelled, result.sentences[0])
        for labelled, result in zip(rows, run.documents, strict=True)
        if result.sentences  # a blank target: nothing to judge
    ]
    ratios = [
        length_log_ratio(s.pair.source, s.pair.target.text)
        for _, s in audited
        if s.pair.source and s.pair.source.strip()
    ]
    norm = float(np.median(ratios)) if ratios else 0.0
    out = [
        Row(
            extract(s.pair, s.findings, s.signals, norm),
            labelled.label,
            labelled.score,
            labelled.group,
            dict(s.signals),
            s.pair.source,
            s.pair.target.text,
            s.verdict.risk,
            s.verdict.flagged,
            s.verdict.basis,
            str(labelled.document.metadata.get("kind", "")).strip() == "reference",
            _weight(labelled.document.metadata.get("weight")),
        )
        for labelled, s in audited
    ]
    statuses = [{"name": s.name, "ran": s.ran, "reason": s.reason} for s in run.signals]
    return out, statuses, norm


def _weight(value: object) -> float:
    try:
        weight = float(str(value).strip()) if value not in (None, "") else 1.0
    except ValueError:
        return 1.0
    return weight if weight > 0 and math.isfinite(weight) else 1.0


def choose_threshold(scores: Sequence[float], rows: Sequence[Row], operating_point: str) -> float:
    """The flag threshold at ``operating_point`` for these rows' risks (references marked)."""
    return threshold_for(
        scores, [r.label for r in rows], operating_point, [r.reference for r in rows]
    )


def candidate_bases(rows: Sequence[Row]) -> list[frozenset[str]]:
    """Every basis the data can fit: subsets of the observed groups, with the checks.

    ``fidelity`` (the signal's own findings) goes with at least one fidelity part and back.
    """
    seen = set().union(*(r.features.groups for r in rows)) if rows else {CHECKS}
    optional = ordered(g for g in seen if g != CHECKS)
    bases = []
    for size in range(len(optional) + 1):
        for combo in itertools.combinations(optional, size):
            basis = frozenset((CHECKS, *combo))
            parts = any(g.startswith(f"{FIDELITY}.") for g in basis)
            if parts != (FIDELITY in basis):
                continue
            covered = [r for r in rows if basis <= r.features.groups]
            if len(covered) >= MIN_ROWS and sum(r.label for r in covered) >= MIN_POSITIVES:
                bases.append(basis)
    return bases


def _matrix(rows: Sequence[Row], names: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.array([[r.features.values.get(n, 0.0) for n in names] for r in rows], dtype=float)


def fit_basis(rows: Sequence[Row], basis: frozenset[str], c: float = 1.0) -> dict[str, Any]:
    """Fit one monotone logistic model on the rows covering ``basis``; a model-file entry."""
    from sklearn.linear_model import LogisticRegression

    covered = [r for r in rows if basis <= r.features.groups]
    y = np.array([r.label for r in covered])
    w = np.array([r.weight for r in covered], dtype=float)
    names = sorted(
        {
            n
            for r in covered
            for n, v in r.features.values.items()
            if v and feature_group(n) in basis and not _plain_count(n)
        }
    )
    x = _matrix(covered, names)
    support = (x != 0).sum(axis=0)
    keep = [i for i, n in enumerate(names) if support[i] >= MIN_SUPPORT and x[:, i].std() > 0]
    names = [names[i] for i in keep]
    x = x[:, keep]
    # findings with enough support to be judged: those left without a weight are uninformative
    seen = [n for n in names if n.startswith("finding:")]
    mean, scale = x.mean(axis=0), x.std(axis=0)
    while True:
        xs = (x - mean) / scale if names else np.zeros((len(y), 0))
        if len(set(y.tolist())) < 2:
            raise ValueError("the labelled data has only one class")
        model = LogisticRegression(C=c, max_iter=5000)
        if names:
            model.fit(xs, y, sample_weight=w)
            coef = model.coef_[0]
            intercept = float(model.intercept_[0])
        else:
            coef = np.zeros(0)
            rate = min(max(float(np.average(y, weights=w)), 1e-6), 1 - 1e-6)
            intercept = math.log(rate / (1 - rate))
        if not len(coef) or coef.min() >= 0:
            break
        worst = int(np.argmin(coef))  # wrong-signed: drop it and refit
        log.info("judge: %s gets a negative weight; dropped", names[worst])
        names.pop(worst)
        x, mean, scale = np.delete(x, worst, 1), np.delete(mean, worst), np.delete(scale, worst)
    raw = {n: float(w / s) for n, w, s in zip(names, coef, scale, strict=True)}
    return {
        "basis": ordered(basis),
        "rows": len(covered),
        "positives": int(y.sum()),
        "intercept": round(intercept, 6),
        "weights": {
            n: {"coef": round(float(w), 6), "mean": round(float(m), 6), "scale": round(float(s), 6)}
            for n, w, m, s in zip(names, coef, mean, scale, strict=True)
        },
        "unknown": unknown_weights(covered, raw),
        "seen": seen,
    }


def _plain_count(name: str) -> bool:
    """``finding:<id>`` without a severity: kept for older model files, not fitted."""
    return name.startswith("finding:") and name.count(":") == 1


def unknown_weights(rows: Sequence[Row], raw: dict[str, float]) -> dict[str, float]:
    """Logit per finding of a check without its own weight, by severity.

    The mean per-finding weight of the checks whose findings mostly have that severity; a
    severity without any borrows from the next one (critical from major at 1.5x, minor from
    major at 0.5x), and a model with no finding weights at all gets 0.5 / 1.0 / 1.5.
    """
    levels: dict[str, dict[str, int]] = {}
    for row in rows:
        for piece in row.features.pieces:
            name = finding_name(piece.owner, piece.severity)
            if name in raw:
                counts = levels.setdefault(name, {})
                counts[piece.severity.label] = counts.get(piece.severity.label, 0) + 1
    by_level: dict[str, list[float]] = {}
    for name, counts in levels.items():
        by_level.setdefault(max(counts, key=lambda k: counts[k]), []).append(raw[name])
    mean = {k: sum(v) / len(v) for k, v in by_level.items()}
    major = mean.get("major", mean.get("critical", 2 * mean.get("minor", 0.5)))
    return {
        "minor": round(mean.get("minor", major / 2), 6),
        "major": round(major, 6),
        "critical": round(mean.get("critical", 1.5 * major), 6),
    }


def _apply(entry: dict[str, Any], rows: Sequence[Row]) -> list[float]:
    probe = dict(entry, thresholds={"flag": 0.5, "minor": 0.25, "major": 0.5, "critical": 0.8})
    model = BasisModel.from_dict(probe)
    return [model.score(r.features) for r in rows]


def bands_for(flag: float) -> dict[str, float]:
    """Severity bands around the flag threshold: minor from half of it, critical from 0.9.

    One strong finding alone (a doubled word, a changed number) reaches about 0.8 with the
    shipped models: major; critical takes more than one, or one with other evidence.
    """
    return {
        "minor": round(flag / 2, 6),
        "major": round(flag, 6),
        "critical": round(max(flag, 0.9), 6),
    }


def _folds(rows: Sequence[Row], folds: int) -> list[tuple[list[int], list[int]]]:
    from sklearn.model_selection import GroupKFold

    groups = [r.group for r in rows]
    n = min(folds, len(set(groups)))
    if n < 2:
        raise ValueError(
            "cross-validation needs segments of at least 2 source sentences "
            f"(the folds are split by source sentence; got {len(set(groups))})"
        )
    splitter = GroupKFold(n_splits=n)
    return [
        (train.tolist(), test.tolist())
        for train, test in splitter.split(np.zeros(len(rows)), groups=groups)
    ]


def fit_models(
    rows: Sequence[Row], operating_point: str, bases: Sequence[frozenset[str]] | None = None
) -> list[dict[str, Any]]:
    """Fit every basis on ``rows``, thresholds from their in-sample predictions."""
    entries = []
    for basis in bases if bases is not None else candidate_bases(rows):
        entry = fit_basis(rows, basis)
        covered = [r for r in rows if basis <= r.features.groups]
        flag = choose_threshold(_apply(entry, covered), covered, operating_point)
        entry["thresholds"] = {"flag": round(flag, 6), **bands_for(flag)}
        entries.append(entry)
    return entries


def _bases_or_fail(rows: Sequence[Row]) -> list[frozenset[str]]:
    bases = candidate_bases(rows)
    if not bases:
        raise ValueError(
            f"too little labelled data: need at least {MIN_ROWS} segments and "
            f"{MIN_POSITIVES} broken ones"
        )
    return bases


def cross_validated(rows: Sequence[Row], operating_point: str, folds: int = 5) -> list[float]:
    """Out-of-fold risk per row: the whole judge refitted on the other folds each time.

    Sets each row's ``risk``, ``flagged`` and ``basis`` and returns the risks.
    """
    risk = [math.nan] * len(rows)
    flagged = [False] * len(rows)
    bases = _bases_or_fail(rows)
    for train, test in _folds(rows, folds):
        models = [
            BasisModel.from_dict(e)
            for e in fit_models([rows[i] for i in train], operating_point, bases)
        ]
        for i in test:
            groups = rows[i].features.groups
            usable = [m for m in models if m.basis <= groups]
            chosen = max(usable, key=lambda m: len(m.basis))
            risk[i] = chosen.score(rows[i].features)
            flagged[i] = risk[i] >= chosen.flag
            rows[i].basis = ordered(chosen.basis)
    for row, value, flag in zip(rows, risk, flagged, strict=True):
        row.risk, row.flagged = value, flag
    return risk


def _reference_share(scores: Sequence[float], rows: Sequence[Row], flag: float) -> dict[str, Any]:
    """The cross-validated share of human references flagged (empty when there are none)."""
    refs = [score for score, row in zip(scores, rows, strict=True) if row.reference]
    if not refs:
        return {}
    return {
        "references": len(refs),
        "references_flagged_share": sum(r >= flag for r in refs) / len(refs),
    }


def calibrate(
    rows: Sequence[Row],
    direction: str,
    operating_point: str,
    folds: int = 5,
    trained_on: str = "",
    length_norm: float = 0.0,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Fit the model file and return it with cross-validated figures per basis.

    The flag threshold of each basis is chosen on its cross-validated predictions.
    """
    bases = _bases_or_fail(rows)
    entries, report = [], []
    splits = _folds(rows, folds)
    for basis in bases:
        covered_idx = [i for i, r in enumerate(rows) if basis <= r.features.groups]
        index = {i: k for k, i in enumerate(covered_idx)}
        oof = [math.nan] * len(covered_idx)
        for train, test in splits:
            entry = fit_basis([rows[i] for i in train], basis)
            held = [i for i in test if i in index]
            for i, value in zip(held, _apply(entry, [rows[i] for i in held]), strict=True):
                oof[index[i]] = value
        labels = [rows[i].label for i in covered_idx]
        flag = choose_threshold(oof, [rows[i] for i in covered_idx], operating_point)
        entry = fit_basis(rows, basis)
        entry["thresholds"] = {"flag": round(flag, 6), **bands_for(flag)}
        entries.append(entry)
        point = at_threshold(oof, labels, flag)
        report.append(
            {
                "basis": ordered(basis),
                "segments": len(covered_idx),
                "broken": sum(labels),
                "ap": average_precision(oof, labels),
                "auroc": auroc(oof, labels),
                **point,
                **_reference_share(oof, [rows[i] for i in covered_idx], flag),
                "features": len(entry["weights"]),
            }
        )
    model = {
        "format": FORMAT,
        "version": "",
        "direction": direction,
        "created": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "trained_on": trained_on,
        "operating_point": operating_point,
        "length_norm": round(length_norm, 6),
        "cross_validation": {
            "folds": len(splits),
            "grouped_by": "source sentence",
            "bases": report,
        },
        "models": entries,
    }
    model["version"] = hashlib.sha256(
        json.dumps(model["models"], sort_keys=True).encode()
    ).hexdigest()[:8]
    return model, report
