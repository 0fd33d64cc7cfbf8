"""Run the deterministic checks on FLORES-dev in both directions: what each system gets flagged.

For each direction (ar→en, en→ar) builds a JSONL feed per system (source = the FLORES source
sentence, target = the system's translation or the human reference), audits it with the checks
only, and prints one table: target sentences, the share flagged by the current judge, the share
with at least one finding of severity major or worse (a measure that does not depend on the
judge), and sentences with a finding per check.

A second table measures recall on synthetic failures made from the human references (a dropped
clause, a repeated phrase, a changed number, an untranslated span, a truncated sentence): the
share of broken sentences flagged. The precision target is references at most 1% flagged while
these shares do not drop.

    python scripts/flores_checks.py [--data ../shared/data/flores-dev] [--write-feeds DIR]
        [--markdown]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from mtaudit.config import Config
from mtaudit.io.feed import read_jsonl
from mtaudit.pipeline import audit
from mtaudit.types import RunResult, Severity

ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "flores-dev"
DEFAULT = ROOT / "ar-en"
DIRECTIONS = ("ar-en", "en-ar")


def _direction(data: Path) -> tuple[str, str]:
    source, _, target = data.name.partition("-")
    return (source, target) if target else ("ar", "en")


def references(data: Path) -> tuple[list[str], list[str]]:
    """The FLORES source sentences and the human reference translations of ``data``."""
    sl, tl = _direction(data)
    sources = (data / f"flores-dev.{sl}").read_text(encoding="utf-8").splitlines()
    targets = (data / f"flores-dev.{tl}").read_text(encoding="utf-8").splitlines()
    return sources, targets


def feed_lines(
    data: Path, system: str, targets: list[str] | None = None, sources: list[str] | None = None
) -> list[str]:
    """One JSONL record per FLORES sentence: the source and the system's translation.

    ``data`` is a direction folder (``ar-en`` or ``en-ar``); ``targets`` replaces the system's
    translations (used for synthetic failures).
    """
    sl, tl = _direction(data)
    src, ref = references(data)
    sources = src if sources is None else sources
    if targets is None:
        name = f"flores-dev.{tl}" if system == "reference" else f"flores-dev.{system}.{tl}"
        targets = ref if system == "reference" else (data / name).read_text("utf-8").splitlines()
    return [
        json.dumps(
            {"id": f"{system}-{i}", "source": s, "target": t, "system": system}, ensure_ascii=False
        )
        for i, (s, t) in enumerate(zip(sources, targets, strict=True))
    ]


def systems(data: Path) -> list[str]:
    """The systems whose outputs lie in ``data``, plus the human reference."""
    _, tl = _direction(data)
    names = sorted(p.name.split(".")[1] for p in data.glob(f"flores-dev.*.{tl}"))
    return ["reference", *names]


# -- synthetic failures ------------------------------------------------------------------------

_CLAUSE = re.compile(r"\s*[,،;؛]\s+|\s+(?:and|but|which|while|و)\s+")
_DIGITS = re.compile(r"[0-9٠-٩]+")


def drop_clause(source: str, target: str, rng: random.Random) -> str | None:
    """Remove the longest clause after the first one (a comma or a conjunction starts it)."""
    cuts = [m for m in _CLAUSE.finditer(target) if m.start() > 10]
    if not cuts:
        return None
    bounds = [m.start() for m in cuts] + [len(target.rstrip(".!?؟ "))]
    i = max(range(len(cuts)), key=lambda k: bounds[k + 1] - bounds[k])
    if bounds[i + 1] - bounds[i] < 15:
        return None
    return target[: bounds[i]] + target[bounds[i + 1] :]


def repeat_phrase(source: str, target: str, rng: random.Random) -> str | None:
    """Say a two-to-four-word phrase twice, as looping MT does."""
    words = target.split()
    if len(words) < 6:
        return None
    n = rng.randint(2, 4)
    i = rng.randrange(1, len(words) - n)
    return " ".join(words[: i + n] + words[i : i + n] + words[i + n :])


def change_number(source: str, target: str, rng: random.Random) -> str | None:
    """Change one number in the target (sentences without digits are skipped)."""
    found = list(_DIGITS.finditer(target))
    if not found:
        return None
    m = rng.choice(found)
    value = int(m.group(0).translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")))
    new = str(value + rng.choice([1, 2, 3, 10]) if value < 1000 else value + 1)
    return target[: m.start()] + new + target[m.end() :]


def untranslated(source: str, target: str, rng: random.Random) -> str | None:
    """Replace the middle third of the target with the source's middle third, untranslated."""
    s, t = source.split(), target.split()
    if len(s) < 6 or len(t) < 6:
        return None
    a, b = len(s) // 3, 2 * len(s) // 3
    c, d = len(t) // 3, 2 * len(t) // 3
    return " ".join(t[:c] + s[a:b] + t[d:])


def truncate(source: str, target: str, rng: random.Random) -> str | None:
    """Cut the sentence off after 40-70% of its words."""
    words = target.split()
    if len(words) < 8:
        return None
    return " ".join(words[: int(len(words) * rng.uniform(0.4, 0.7))])


FAILURES: dict[str, Callable[[str, str, random.Random], str | None]] = {
    "dropped clause": drop_clause,
    "repeated phrase": repeat_phrase,
    "changed number": change_number,
    "untranslated span": untranslated,
    "truncation": truncate,
}


# -- measuring ---------------------------------------------------------------------------------


def shares(run: RunResult) -> tuple[int, float, float, Counter[str]]:
    """Sentences, share flagged by the judge, share with a major finding, sentences per check."""
    sentences = [s for d in run.documents for s in d.sentences]
    major = sum(1 for s in sentences if any(f.severity >= Severity.MAJOR for f in s.findings))
    per_check: Counter[str] = Counter()
    for s in sentences:
        per_check.update({f.check for f in s.findings})
    n = max(len(sentences), 1)
    return len(sentences), run.flagged_count / n, major / n, per_check


def run_feed(lines: list[str], direction: str, config: Config) -> RunResult:
    """Audit one feed with the checks only."""
    sl, _, tl = direction.partition("-")
    return audit(read_jsonl("\n".join(lines), f"{direction}.jsonl", sl, tl), config, signals=[])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT, help="the flores-dev folder")
    parser.add_argument("--write-feeds", type=Path, help="also write one JSONL feed per system")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--seed", type=int, default=11, help="seed for the synthetic failures")
    args = parser.parse_args()
    config = Config.load()
    md = args.markdown
    head = ("direction", "system", "sentences", "flagged", "major+", "sentences with a finding")
    if md:
        print("| " + " | ".join(head) + " |\n|---|---|---:|---:|---:|---|")
    else:
        print(f"{head[0]:<10}{head[1]:<22}{head[2]:>10}{head[3]:>9}{head[4]:>8}  {head[5]}")
    synthetic: list[tuple[str, str, int, float, float, float]] = []
    for direction in DIRECTIONS:
        data = args.data / direction
        if not data.is_dir():
            continue
        for system in systems(data):
            lines = feed_lines(data, system)
            if args.write_feeds:
                args.write_feeds.mkdir(parents=True, exist_ok=True)
                (args.write_feeds / f"{direction}.{system}.jsonl").write_text(
                    "\n".join(lines) + "\n", encoding="utf-8"
                )
            n, flagged, major, per_check = shares(run_feed(lines, direction, config))
            detail = ", ".join(f"{k} {v}" for k, v in sorted(per_check.items(), key=_order))
            arrow = direction.replace("-", "→")
            if md:
                print(f"| {arrow} | {system} | {n} | {flagged:.1%} | {major:.1%} | {detail} |")
            else:
                print(f"{arrow:<10}{system:<22}{n:>10}{flagged:>9.1%}{major:>8.1%}  {detail}")
        sources, refs = references(data)
        for kind, make in FAILURES.items():
            rng = random.Random(args.seed)
            broken = [(s, make(s, t, rng)) for s, t in zip(sources, refs, strict=True)]
            kept = [(s, b) for s, b in broken if b is not None]
            lines = feed_lines(data, kind, [b for _, b in kept], [s for s, _ in kept])
            run = run_feed(lines, direction, config)
            docs = run.documents
            caught = sum(1 for d in docs if any(s.verdict.flagged for s in d.sentences))
            major_docs = sum(
                1
                for d in docs
                if any(f.severity >= Severity.MAJOR for s in d.sentences for f in s.findings)
            )
            by_length = sum(
                1 for d in docs if any(f.check == "length" for s in d.sentences for f in s.findings)
            )
            synthetic.append(
                (
                    direction,
                    kind,
                    len(docs),
                    caught / len(docs),
                    major_docs / len(docs),
                    by_length / len(docs),
                )
            )
    print()
    head = ("direction", "synthetic failure", "broken", "flagged", "major+", "length alone")
    if md:
        print("| " + " | ".join(head) + " |\n|---|---|---:|---:|---:|---:|")
    else:
        print(f"{head[0]:<10}{head[1]:<22}{head[2]:>10}{head[3]:>9}{head[4]:>8}{head[5]:>14}")
    for direction, kind, n, flagged, major, length in synthetic:
        arrow = direction.replace("-", "→")
        if md:
            print(f"| {arrow} | {kind} | {n} | {flagged:.1%} | {major:.1%} | {length:.1%} |")
        else:
            print(f"{arrow:<10}{kind:<22}{n:>10}{flagged:>9.1%}{major:>8.1%}{length:>14.1%}")


def _order(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


if __name__ == "__main__":
    main()
