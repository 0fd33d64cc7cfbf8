"""Time per sentence for segmentation + every check, from 1,000 to 100,000 sentences in one text.

The sentences are the example article's, repeated, laid out two ways: all in one paragraph
(one line), and one sentence per line with no blank line between (one paragraph of many lines).
Each size is timed checks-only (no model signals) on one core, best of a few runs for the small
sizes (best of 5 at 1,000, of 2 at 10,000, one run at 100,000); the 1,000-sentence run in the
same process is the baseline. Linear work shows as a ratio near 1.0 at every size.

    python benchmarks/segment_speed.py [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from timing import best_of

from mtaudit.config import Config
from mtaudit.pipeline import audit, segment_target
from mtaudit.types import Document

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "examples" / "article.en.txt"


def text_of(sentences: list[str], count: int, layout: str) -> str:
    """``count`` sentences cycled from ``sentences``, in one paragraph or one per line."""
    chosen = [sentences[i % len(sentences)] for i in range(count)]
    return (" " if layout == "paragraph" else "\n").join(chosen)


def repeats(size: int) -> int:
    return 5 if size <= 1000 else 2 if size <= 10_000 else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    config = Config.load()
    # The article's prose sentences (its comment section and share bar are not prose) that end
    # where the splitter sees an end, so the sentence count of every text is exact.
    article = Document(id="article", target=ARTICLE.read_text(encoding="utf-8"))
    pool = [s.text for s in segment_target(article, config)[0]]
    pool = [s for s in pool if s[-1] in ".!?" and "\n" not in s and len(s.split()) > 3]
    print(f"{len(pool)} distinct sentences from {ARTICLE.name}, 1 core, checks only")
    print()
    print("| layout | sentences | MB | segment µs/sentence | segment+checks µs/sentence | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for layout in ("paragraph", "lines"):
        base: float | None = None
        for size in args.sizes:
            doc = Document(id="bench", target=text_of(pool, size, layout))
            seg = best_of(repeats(size), lambda doc=doc: segment_target(doc, config))
            run_time = 0.0
            found = 0

            def run(doc: Document = doc) -> None:
                nonlocal found
                found = audit([doc], config, signals=[]).sentence_count

            run_time = best_of(repeats(size), run)
            per = run_time / found * 1e6
            base = base or per
            print(
                f"| {layout} | {found:,} | {len(doc.target.encode()) / 1e6:.1f} | "
                f"{seg / found * 1e6:.1f} | {per:.1f} | {per / base:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
