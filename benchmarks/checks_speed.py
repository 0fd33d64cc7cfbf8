"""Checks-only throughput on the FLORES-dev ar→en feed, on one core.

Reports sentences per second for the full model-free audit (segment, align, every check, judge)
next to a baseline measured in the same process on the same inputs: segmentation and alignment
alone. Target: at least 2,000 sentences/s for the full audit.

    python benchmarks/checks_speed.py [--system argos] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mtaudit.config import Config
from mtaudit.io.feed import read_jsonl
from mtaudit.pipeline import audit, prepare
from mtaudit.types import Document

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from flores_checks import DEFAULT, feed_lines  # noqa: E402
from timing import best_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--system", default="argos")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    config = Config.load()
    docs = [
        d
        for d in read_jsonl("\n".join(feed_lines(args.data, args.system)), "feed", "ar", "en")
        if isinstance(d, Document)
    ]
    run = audit(docs, config, signals=[])
    sentences = run.sentence_count
    baseline = best_of(args.repeat, lambda: [prepare(d, config) for d in docs])
    full = best_of(args.repeat, lambda: audit(docs, config, signals=[]))
    print(
        f"FLORES-dev ar-en, system {args.system}: {len(docs)} documents, {sentences} sentences, "
        "1 core"
    )
    print(f"  baseline (segment + align): {sentences / baseline:8.0f} sentences/s")
    print(
        f"  full checks-only audit:     {sentences / full:8.0f} sentences/s "
        f"({full / baseline:.2f}x the baseline's time)"
    )
    print(f"  target 2000 sentences/s: {'met' if sentences / full >= 2000 else 'NOT met'}")


if __name__ == "__main__":
    main()
