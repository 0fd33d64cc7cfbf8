"""Incremental reruns of `mtaudit check` with the state database, on a 1,000-document feed.

The default feed is built from the example article and its Arabic source: each document reorders
the paragraphs (seeded) and carries its own numbers, so no two documents are the same; the
article is deliberately broken (7 of its 9 sentences are problems), so every report is long.
With --feed flores each document is ten consecutive FLORES-dev ar-en sentences translated by one
of the MT systems in the shared data, a feed with a realistic share of problems. Three runs of
the whole command (read, audit, JSON report, gate) share one state database: the first audits
everything, the second reruns the unchanged feed, the third reruns it with one document
changed. Each run writes the report (text, or the JSON run with --json) and JUnit XML. The
baseline, in the same process, is the same command without the state database.
By default model signals are off (deterministic checks only), so the first run is as cheap as
it gets and the ratios are the least favourable. With --models the fidelity signal runs too, on
tiny MarianMT models built for the tests (CTranslate2 int8, converted before timing; the
translation cache starts empty): real model work, though far less of it than opus-mt's.

Targets: the unchanged rerun at least 20x faster than the first run, one changed document at
least 10x faster.

    python benchmarks/incremental.py [--documents 1000] [--repeat 3] [--json] [--models]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from mtaudit.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]
TARGET = (ROOT / "examples" / "article.en.txt").read_text(encoding="utf-8")
SOURCE = (ROOT / "examples" / "article.ar.txt").read_text(encoding="utf-8")


def _document(i: int, changed: bool = False) -> dict[str, str]:
    rng = random.Random(i)
    target = TARGET.strip().split("\n\n")
    source = SOURCE.strip().split("\n\n")
    order = list(range(1, len(target))) if len(target) == len(source) else []
    rng.shuffle(order)
    if order:
        target = [target[0]] + [target[k] for k in order]
        source = [source[0]] + [source[k] for k in order]
    text = "\n\n".join(target) + f"\n\nReport number {i} was filed by {1000 + i} staff."
    src = "\n\n".join(source) + f"\n\nقدم التقرير رقم {i} من قبل {1000 + i} موظف."
    if changed:
        text += " The the correction was added later."
    return {"id": f"story-{i:04d}", "target": text, "source": src}


FLORES = ROOT.parent / "shared" / "data" / "flores-dev" / "ar-en"


def _flores() -> tuple[list[str], list[tuple[str, list[str]]]]:
    sources = (FLORES / "flores-dev.ar").read_text(encoding="utf-8").splitlines()
    systems = sorted(p.name.split(".")[1] for p in FLORES.glob("flores-dev.*.en"))
    outputs = [
        (name, (FLORES / f"flores-dev.{name}.en").read_text(encoding="utf-8").splitlines())
        for name in systems
    ]
    return sources, outputs


def _flores_document(i: int, data: Any, changed: bool = False) -> dict[str, str]:
    """Ten consecutive FLORES-dev sentences in two paragraphs, one MT system per document."""
    sources, outputs = data
    system, targets = outputs[i % len(outputs)]
    picks = [(i * 10 + k) % len(sources) for k in range(10)]
    target = (
        " ".join(targets[k] for k in picks[:5]) + "\n\n" + " ".join(targets[k] for k in picks[5:])
    )
    source = (
        " ".join(sources[k] for k in picks[:5]) + "\n\n" + " ".join(sources[k] for k in picks[5:])
    )
    if changed:
        target += " The the correction was added later."
    return {"id": f"{system}-{i:04d}", "target": target, "source": source}


def write_feed(path: Path, n: int, changed: int | None = None, feed: str = "article") -> None:
    """Write an n-document JSONL feed; document ``changed`` gets an extra broken sentence."""
    data = _flores() if feed == "flores" else None
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            if data is not None:
                record = _flores_document(i, data, i == changed)
            else:
                record = _document(i, i == changed)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def timed(args: list[str]) -> tuple[float, str]:
    """Wall time of one in-process `mtaudit check` run, and its standard error."""
    start = time.perf_counter()
    result = CliRunner().invoke(cli, ["check", *args])
    elapsed = time.perf_counter() - start
    if result.exit_code not in (0, 1):
        raise SystemExit(f"check failed ({result.exit_code}): {result.stderr}")
    return elapsed, result.stderr


def tiny_models(folder: Path) -> Path:
    """Build tiny ar-en and en-ar Marian models (as the tests do) and their CTranslate2 copies."""
    sys.path.insert(0, str(ROOT))
    from mtaudit.models.convert import convert
    from tests.helpers.tiny_marian import build_marian

    for name, src, tgt, seed in (
        ("opus-mt-ar-en", "ar", "en", 1),
        ("opus-mt-en-ar", "en", "ar", 2),
    ):
        build_marian(folder / "hf" / name, src, tgt, seed=seed, train_steps=120)
        convert(folder / "hf" / name, folder / f"{name}-ct2-int8")
    return folder


def _state_line(err: str) -> str:
    return next((line for line in err.splitlines() if line.startswith("state:")), "-")


def measure(
    args: argparse.Namespace, models: Path, rows: dict[str, list[float]], notes: dict[str, str]
) -> None:
    """Run the three runs and the baseline ``args.repeat`` times; fill ``rows`` and ``notes``."""
    signals = ["--no-signals"]
    if args.models:
        tiny_models(models)
        config = models / "bench.toml"
        config.write_text('[translation]\nengine = "ct2"\n', encoding="utf-8")
        signals = ["--signals", "fidelity", "--config", str(config)]
    os.environ["MTAUDIT_MODELS_DIR"] = str(models)
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            os.environ["MTAUDIT_TRANSLATION_CACHE"] = str(folder / "cache.sqlite3")
            feed, state = folder / "feed.jsonl", folder / "state.sqlite3"
            write_feed(feed, args.documents, feed=args.feed)
            common = [str(feed), *signals, "-o", str(folder / "report.txt")]
            common += ["--max-flagged", "100%", "--junit", str(folder / "junit.xml")]
            if args.json:
                common += ["--format", "json"]
            rows["none"].append(timed([*common, "--no-state"])[0])
            Path(os.environ["MTAUDIT_TRANSLATION_CACHE"]).unlink(missing_ok=True)
            for name in ("first", "unchanged"):
                seconds, err = timed([*common, "--state", str(state)])
                rows[name].append(seconds)
                notes[name] = _state_line(err)
            write_feed(feed, args.documents, changed=args.documents // 2, feed=args.feed)
            seconds, err = timed([*common, "--state", str(state)])
            rows["one"].append(seconds)
            notes["one"] = _state_line(err)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--json", action="store_true", help="write the JSON run instead of the text report"
    )
    parser.add_argument(
        "--models", action="store_true", help="run the fidelity signal on tiny test models"
    )
    parser.add_argument(
        "--feed",
        choices=["article", "flores"],
        default="article",
        help="article: the example article varied per document (7 of its 9 sentences are "
        "problems); flores: ten FLORES-dev ar-en sentences a document, one MT system each "
        "(needs the shared data)",
    )
    args = parser.parse_args()
    rows: dict[str, list[float]] = {"none": [], "first": [], "unchanged": [], "one": []}
    notes: dict[str, str] = {}
    models = Path(tempfile.mkdtemp(prefix="mtaudit-bench-models-"))
    try:
        measure(args, models, rows, notes)
    finally:
        shutil.rmtree(models, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in rows.items()}
    labels = {
        "none": "baseline: no state database",
        "first": "first run (empty state)",
        "unchanged": "second run, feed unchanged",
        "one": "third run, one document changed",
    }
    print(
        f"Incremental check: {args.documents} documents ({args.feed} feed), "
        f"{args.repeat} repetitions, medians; "
        + ("fidelity on tiny models" if args.models else "model signals off")
        + f"; {'JSON' if args.json else 'text'} report and JUnit XML written"
    )
    print()
    print("| run | seconds | first run / this run | state |")
    print("|---|---:|---:|---|")
    for key in ("none", "first", "unchanged", "one"):
        ratio = med["first"] / med[key]
        print(f"| {labels[key]} | {med[key]:.3f} | {ratio:.1f}x | {notes.get(key, '-')} |")
    print()
    unchanged, one = med["first"] / med["unchanged"], med["first"] / med["one"]
    for label, ratio, target in (("unchanged rerun", unchanged, 20), ("one changed", one, 10)):
        verdict = "met" if ratio >= target else "NOT met"
        print(f"{label}: {ratio:.1f}x faster (target {target}x: {verdict})")


if __name__ == "__main__":
    main()
