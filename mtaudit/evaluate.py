"""``mtaudit eval``: how well the risk ranks broken segments, beside baselines from the same run.

Every ranking is scored on the same segments: the judge's risk (as audited with the configured
model, or cross-validated: refitted on the other folds, grouped by source sentence), and three
baselines: the length ratio alone (|log(target/source) - median|), chrF against the engine alone
(100 - the fidelity signal's forward chrF; only when it ran) and a seeded random ranking.
Figures: average precision, AUROC, Kendall's tau against the continuous score, precision/recall
and the flagged share at the flag threshold, each with a 95% bootstrap interval over source
sentences.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

from mtaudit.calibrate import Row
from mtaudit.features import length_log_ratio
from mtaudit.metrics import at_threshold, auroc, average_precision, bootstrap, kendall_tau

FIGURES = ("ap", "auroc", "tau")


def baselines(rows: Sequence[Row], seed: int = 0) -> dict[str, list[float] | None]:
    """Baseline rankings (larger = worse); ``None`` where the evidence is missing."""
    ratios = [length_log_ratio(r.source, r.target) for r in rows if r.source and r.source.strip()]
    out: dict[str, list[float] | None] = {}
    if len(ratios) == len(rows) and rows:
        norm = sorted(ratios)[len(ratios) // 2]
        out["length ratio"] = [abs(x - norm) for x in ratios]
    else:
        out["length ratio"] = None
    chrf = [r.signals.get("fidelity.chrf_forward") for r in rows]
    present = [c for c in chrf if c is not None]
    if present:
        fill = sum(present) / len(present)  # a sentence the engine did not cover ranks midway
        out["chrF vs engine"] = [100.0 - (fill if c is None else c) for c in chrf]
    else:
        out["chrF vs engine"] = None
    rng = random.Random(seed)
    out["random"] = [rng.random() for _ in rows]
    return out


def figures(
    scores: Sequence[float],
    rows: Sequence[Row],
    rounds: int,
    flagged: Sequence[bool] | None = None,
) -> dict[str, Any]:
    """AP, AUROC and tau with bootstrap intervals; precision/recall of ``flagged`` if given."""
    labels = [r.label for r in rows]
    targets = [r.score for r in rows]
    groups = [r.group for r in rows]
    out: dict[str, Any] = {
        "ap": average_precision(scores, labels),
        "auroc": auroc(scores, labels),
        "tau": kendall_tau(scores, targets),
    }
    if rounds:
        out["ap_ci"] = bootstrap(
            lambda s, y: average_precision(list(s), [int(v) for v in y]),
            scores,
            labels,
            groups,
            rounds,
        )
        out["auroc_ci"] = bootstrap(
            lambda s, y: auroc(list(s), [int(v) for v in y]), scores, labels, groups, rounds
        )
        out["tau_ci"] = bootstrap(
            lambda s, t: kendall_tau(list(s), list(t)), scores, targets, groups, rounds
        )
    if flagged is not None:
        point = at_threshold([float(f) for f in flagged], labels, 1.0)
        out.update({k: point[k] for k in ("precision", "recall", "flagged_share")})
    return out


def evaluate(rows: Sequence[Row], rounds: int = 200, seed: int = 0) -> dict[str, Any]:
    """The risk and every baseline on ``rows`` (their ``risk`` and ``flagged`` already set)."""
    labels = [r.label for r in rows]
    rankings: dict[str, Any] = {
        "risk": figures([r.risk for r in rows], rows, rounds, [r.flagged for r in rows])
    }
    for name, scores in baselines(rows, seed).items():
        rankings[name] = None if scores is None else figures(scores, rows, rounds)
    bases: dict[str, int] = {}
    for r in rows:
        key = "+".join(r.basis) or "?"
        bases[key] = bases.get(key, 0) + 1
    return {
        "segments": len(rows),
        "broken": sum(labels),
        "broken_share": sum(labels) / len(rows) if rows else math.nan,
        "source_sentences": len({r.group for r in rows}),
        "bases": bases,
        "rankings": rankings,
    }


def _cell(value: float, ci: tuple[float, float] | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if ci is None or math.isnan(ci[0]):
        return f"{value:.3f}"
    return f"{value:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]"


def table(result: dict[str, Any]) -> str:
    """The evaluation as a Markdown table with a few lines of context."""
    lines = [
        f"{result['segments']:,} segments, {result['broken']:,} broken "
        f"({result['broken_share']:.1%}), {result['source_sentences']:,} source sentences",
        "risk basis: " + ", ".join(f"{k} ({v:,})" for k, v in sorted(result["bases"].items())),
        "",
        "| ranking | AP | AUROC | Kendall tau | precision | recall | flagged |",
        "|---|---|---|---|---:|---:|---:|",
    ]
    for name, fig in result["rankings"].items():
        if fig is None:
            lines.append(f"| {name} | n/a | n/a | n/a | | | |")
            continue
        rest = [
            "" if k not in fig or math.isnan(fig[k]) else f"{fig[k]:.3f}"
            for k in ("precision", "recall")
        ]
        share = "" if "flagged_share" not in fig else f"{fig['flagged_share']:.1%}"
        lines.append(
            f"| {name} | {_cell(fig['ap'], fig.get('ap_ci'))} | "
            f"{_cell(fig['auroc'], fig.get('auroc_ci'))} | {_cell(fig['tau'], fig.get('tau_ci'))} "
            f"| {rest[0]} | {rest[1]} | {share} |"
        )
    return "\n".join(lines)
