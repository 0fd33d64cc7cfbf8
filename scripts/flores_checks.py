"""Run the deterministic checks on FLORES-dev ar→en: how many sentences each system gets flagged.

Builds a JSONL feed per system (source = the Arabic sentence, target = the system's English),
audits it with the checks only, and prints flagged sentences and findings per check for every
system next to the human reference. Optionally writes the feeds.

    python scripts/flores_checks.py [--data ../shared/data/flores-dev/ar-en] [--write-feeds DIR]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from mtaudit.config import Config
from mtaudit.io.feed import read_jsonl
from mtaudit.pipeline import audit

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "flores-dev" / "ar-en"


def feed_lines(data: Path, system: str) -> list[str]:
    """One JSONL record per FLORES sentence: the Arabic source and the system's translation."""
    sources = (data / "flores-dev.ar").read_text(encoding="utf-8").splitlines()
    name = "flores-dev.en" if system == "reference" else f"flores-dev.{system}.en"
    targets = (data / name).read_text(encoding="utf-8").splitlines()
    return [
        json.dumps(
            {"id": f"{system}-{i}", "source": s, "target": t, "system": system}, ensure_ascii=False
        )
        for i, (s, t) in enumerate(zip(sources, targets, strict=True))
    ]


def systems(data: Path) -> list[str]:
    """The systems whose outputs lie in ``data``, plus the human reference."""
    names = sorted(p.name.split(".")[1] for p in data.glob("flores-dev.*.en"))
    return ["reference", *names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--write-feeds", type=Path, help="also write one JSONL feed per system")
    args = parser.parse_args()
    config = Config.load()
    print(f"{'system':<22}{'sentences':>10}{'flagged':>9}{'rate':>7}  findings by check")
    for system in systems(args.data):
        lines = feed_lines(args.data, system)
        if args.write_feeds:
            args.write_feeds.mkdir(parents=True, exist_ok=True)
            (args.write_feeds / f"{system}.jsonl").write_text(
                "\n".join(lines) + "\n", encoding="utf-8"
            )
        docs = read_jsonl("\n".join(lines), f"{system}.jsonl", "ar", "en")
        run = audit(docs, config, signals=[])
        by_check = Counter(f.check for d in run.documents for s in d.sentences for f in s.findings)
        rate = run.flagged_count / max(run.sentence_count, 1)
        detail = ", ".join(f"{k} {v}" for k, v in by_check.most_common())
        print(f"{system:<22}{run.sentence_count:>10}{run.flagged_count:>9}{rate:>7.1%}  {detail}")


if __name__ == "__main__":
    main()
