"""Time per character of the checks-only audit of one long line with no full stop.

Hostile lines (a number, a bracket, a doubled word, a capitalised function word or a
zero-width mark repeated) make one "sentence" in which nearly every word is a finding. Each
kind is audited at 20,000 characters (the baseline, best of 3) and at 200,000 (one run) in the
same process, checks only, one core; linear work shows as a ratio near 1.0, quadratic work as
a ratio near 10.

    python benchmarks/long_lines.py [--chars 200000]
"""

from __future__ import annotations

import argparse
import os

from timing import best_of

from mtaudit.config import Config
from mtaudit.pipeline import audit
from mtaudit.types import Document

KINDS = {
    "numbers": "1 ",
    "brackets": "( [ « ",
    "capitals": "The To ",
    "doubled words": "the the ",
    "no spaces": "a",
    "zero-width marks": "\u200b\u200d\u0301",
    "words": "word ",
    "hyphenated run": "a-",
    "brackets and digits": "(1",
}


def line(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=200_000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})
    config = Config.load()
    small = args.chars // 10

    def run(text: str) -> None:
        audit([Document("long", text, None, "ar", "en")], config, signals=[])

    print(f"one line, checks only, 1 core; baseline {small:,} characters (best of 3)")
    print(f"| line | findings at {args.chars:,} | s at {small:,} | s at {args.chars:,} | ratio |")
    print("|---|---:|---:|---:|---:|")
    for kind, unit in KINDS.items():
        base = best_of(3, lambda: run(line(unit, small)))  # noqa: B023 - called at once
        full = best_of(1, lambda: run(line(unit, args.chars)))  # noqa: B023
        doc = Document("long", line(unit, args.chars), None, "ar", "en")
        result = audit([doc], config, signals=[])
        findings = sum(len(s.findings) for d in result.documents for s in d.sentences)
        ratio = (full / args.chars) / (base / small)
        print(f"| {kind} | {findings:,} | {base:.2f} | {full:.2f} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
