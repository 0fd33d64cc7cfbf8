"""How well do the fidelity signals rank broken sentences? An evaluation on FLORES-200 dev ar-en.

The ``opusmt`` outputs are imported as the ar->en engine's translations (into a temporary cache),
then the other six systems' outputs are audited with their source by the fidelity signal. A
sentence is labelled *broken* when its chrF to the human reference is more than ``--margin``
points below the median chrF of the six systems' translations of the same source. Each signal
ranks the sentences (lowest similarity first); the script prints average precision (AP) and
AUROC per signal next to a length-ratio baseline computed in the same run, and the precision and
recall of the configured thresholds.

    python scripts/fidelity_eval.py                     # data from ../shared/data
    python scripts/fidelity_eval.py --data DIR --limit 200 --models models/
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtaudit.align import AlignSettings  # noqa: E402
from mtaudit.config import Config  # noqa: E402
from mtaudit.settings import settings_of  # noqa: E402
from mtaudit.signals.fidelity import FidelitySignal  # noqa: E402
from mtaudit.text.compare import chrf  # noqa: E402
from mtaudit.translate.cache import TranslationCache  # noqa: E402
from mtaudit.translate.engine import translation_key  # noqa: E402
from mtaudit.translate.settings import engine_for  # noqa: E402
from mtaudit.types import Pair, Sentence, Severity, SignalOutput  # noqa: E402

SYSTEMS = ("argos", "bergamot-base", "bergamot-base-memory", "google", "microsoft", "nllb")
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "flores-dev" / "ar-en"


def average_precision(scores: Sequence[float], labels: Sequence[int]) -> float:
    """AP of ranking by ``scores`` (higher = more likely positive); ties broken pessimistically."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], labels[i]))
    hits, total = 0, 0.0
    for rank, i in enumerate(order, start=1):
        if labels[i]:
            hits += 1
            total += hits / rank
    return total / hits if hits else float("nan")


def auroc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Area under the ROC curve (Mann-Whitney U with average ranks for ties)."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    pos = sum(labels)
    neg = len(labels) - pos
    if not pos or not neg:
        return float("nan")
    rank_sum = sum(r for r, y in zip(ranks, labels, strict=True) if y)
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def read(path: Path, limit: int) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[:limit]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="flores-dev/ar-en folder")
    parser.add_argument("--limit", type=int, default=100_000, help="first N sentences only")
    parser.add_argument("--margin", type=float, default=10.0, help="chrF points below the median")
    parser.add_argument(
        "--models",
        type=Path,
        default=None,
        help="models folder (default: none, so only the cached forward translations are used)",
    )
    args = parser.parse_args(argv)
    if not (args.data / "flores-dev.ar").is_file():
        print(f"no FLORES data in {args.data}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    source = read(args.data / "flores-dev.ar", args.limit)
    reference = read(args.data / "flores-dev.en", args.limit)
    opus = read(args.data / "flores-dev.opusmt.en", args.limit)
    outputs = {s: read(args.data / f"flores-dev.{s}.en", args.limit) for s in SYSTEMS}

    with tempfile.TemporaryDirectory() as tmp:
        models = args.models or Path(tmp) / "no-models"
        config = Config.load().with_overrides(
            {"translation.models_dir": str(models), "translation.cache": f"{tmp}/cache.sqlite3"}
        )
        spec = engine_for(config, "ar-en")
        assert spec is not None
        with TranslationCache(Path(tmp) / "cache.sqlite3") as cache:
            cache.put_many(translation_key(config, spec), zip(source, opus, strict=True), "import")
        signal = FidelitySignal(config)
        pairs = [
            Pair(system, Sentence(i, text, 0, len(text)), src)
            for system in SYSTEMS
            for i, (src, text) in enumerate(zip(source, outputs[system], strict=True))
        ]
        statuses = signal.status(pairs)
        results: list[SignalOutput] = signal.score(pairs)
        signal.close()

    # labels: far below the other systems' translations of the same source
    quality = {
        s: [chrf(t, r, "en") for t, r in zip(outputs[s], reference, strict=True)] for s in SYSTEMS
    }
    medians = [statistics.median(quality[s][i] for s in SYSTEMS) for i in range(len(source))]
    labels = [
        int(quality[p.doc_id][p.target.index] < medians[p.target.index] - args.margin)
        for p in pairs
    ]
    ratio = settings_of(config, AlignSettings).ratio

    def length_baseline(p: Pair) -> float:
        return abs(math.log(max(len(p.target.text), 1) / (ratio * max(len(p.source or ""), 1))))

    candidates: dict[str, Callable[[int], float]] = {
        "length ratio (baseline)": lambda k: length_baseline(pairs[k]),
    }
    for name, sign in (("chrf", -1.0), ("bleu", -1.0), ("ter", 1.0)):
        for part in ("forward", "back"):
            key = f"{name}_{part}"
            if all(key in r.values for r in results):
                candidates[f"fidelity.{key}"] = lambda k, key=key, sign=sign: (
                    sign * results[k].values[key]
                )
    if "fidelity.chrf_forward" in candidates and "fidelity.chrf_back" in candidates:
        candidates["fidelity.chrf_forward + chrf_back"] = lambda k: (
            -(results[k].values["chrf_forward"] + results[k].values["chrf_back"])
        )

    print("# Fidelity signals on FLORES-200 dev ar-en\n")
    print(f"- sentences: {len(source)} sources x {len(SYSTEMS)} systems = {len(pairs)} pairs")
    print(
        f"- broken (chrF to the reference < per-source median - {args.margin:g}): {sum(labels)} "
        f"({100 * sum(labels) / len(labels):.1f}%)"
    )
    for status in statuses:
        state = "ran" if status.ran else f"skipped: {status.reason}"
        print(f"- {status.name}: {state}")
    print("\n| signal | AP | AUROC |\n|---|---:|---:|")
    base_rate = sum(labels) / len(labels)
    for name, fn in candidates.items():
        scores = [fn(k) for k in range(len(pairs))]
        print(f"| {name} | {average_precision(scores, labels):.3f} | {auroc(scores, labels):.3f} |")
    print(f"| (random ranking) | {base_rate:.3f} | 0.500 |")

    print("\nPer system, AUROC of fidelity.chrf_forward / length ratio:\n")
    print("| system | broken | chrF fwd AUROC | length AUROC | mean chrF fwd |")
    print("|---|---:|---:|---:|---:|")
    for system in SYSTEMS:
        idx = [k for k, p in enumerate(pairs) if p.doc_id == system]
        y = [labels[k] for k in idx]
        fwd = [-results[k].values.get("chrf_forward", 0.0) for k in idx]
        length = [length_baseline(pairs[k]) for k in idx]
        mean_fwd = statistics.mean(results[k].values.get("chrf_forward", 0.0) for k in idx)
        cells = f"{auroc(fwd, y):.3f} | {auroc(length, y):.3f} | {mean_fwd:.1f}"
        print(f"| {system} | {sum(y)} | {cells} |")

    print("\nConfigured thresholds (findings of the forward part):\n")
    print("| severity | flagged | precision | recall |\n|---|---:|---:|---:|")
    for floor in (Severity.MAJOR, Severity.MINOR):
        flagged = [
            int(any(f.check == "fidelity.forward" and f.severity >= floor for f in r.findings))
            for r in results
        ]
        tp = sum(f and y for f, y in zip(flagged, labels, strict=True))
        precision = tp / sum(flagged) if sum(flagged) else float("nan")
        recall = tp / sum(labels) if sum(labels) else float("nan")
        print(f"| >= {floor.label} | {sum(flagged)} | {precision:.3f} | {recall:.3f} |")
    print("\nThreshold sweep (flag when chrF forward < t):\n")
    print("| t | flagged | precision | recall |\n|---:|---:|---:|---:|")
    for t in (30, 40, 45, 50, 55, 60):
        flagged = [int(r.values.get("chrf_forward", 100.0) < t) for r in results]
        tp = sum(f and y for f, y in zip(flagged, labels, strict=True))
        precision = tp / sum(flagged) if sum(flagged) else float("nan")
        print(f"| {t} | {sum(flagged)} | {precision:.3f} | {tp / max(sum(labels), 1):.3f} |")
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
