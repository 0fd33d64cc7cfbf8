"""Scale benchmark on FLORES-derived feeds: throughput, --jobs, memory, long articles, fidelity.

Every figure is a run of the real command line (``python -m mtaudit audit ...``) in a fresh
process, timed from outside (wall clock) with its peak resident memory (``ru_maxrss``), and each
target is a ratio against a baseline measured in the same run:

- checks-only throughput at 10k and 100k sentences with ``--jobs 1`` and ``--jobs 2``
  alternated (medians of ``--rounds`` runs) (target: ``--jobs 2`` at least 1.8x ``--jobs 1``);
- peak memory of the 10k and 100k runs (target: within 20% of each other);
- whole-article time at 1k and 5k sentences, the source's paragraphs differing from the
  target's so that the whole article is one alignment block (target: within 8x);
- fidelity from the translation cache (no model) against checks-only on the same 10k feed,
  with the default metrics (``["auto"]``: what the shipped judge models read, chrF only today)
  and, for comparison, with TER as well, each run alternated with checks-only (medians of
  ``--rounds`` runs, since the machine may be shared) (target for the default: at most 2x).

Feeds: documents of five consecutive FLORES-dev sentences (Arabic source, one MT system's
English), cycling through the systems (and again) until the sentence count is reached.

    python benchmarks/scale.py [--data ../shared/data/flores-dev] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "flores-dev"

_RUNNER = """
import resource, runpy, sys
sys.argv = ["mtaudit", *sys.argv[1:]]
try:
    runpy.run_module("mtaudit", run_name="__main__")
except SystemExit as exc:
    code = exc.code or 0
else:
    code = 0
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"@@rss {self_kb} {children_kb} {code}", file=sys.stderr)
"""


@dataclass
class Measure:
    """One command's wall time, peak RSS (MiB; main process and largest child) and exit code."""

    seconds: float
    rss_mib: float
    child_rss_mib: float
    code: int


def mtaudit(*args: str) -> Measure:
    """Run ``mtaudit ARGS`` in a fresh interpreter; measure it.

    The command runs as installed: with its modules' bytecode compiled (pip compiles it on
    install), so bytecode is written even where the environment says not to
    (``PYTHONDONTWRITEBYTECODE``); else every run would compile the package's source again,
    about a tenth of a second of start-up that no installed copy pays.
    """
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    line = [x for x in done.stderr.splitlines() if x.startswith("@@rss")]
    if not line:
        raise RuntimeError(f"mtaudit {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    _, self_kb, child_kb, code = line[-1].split()
    return Measure(seconds, int(self_kb) / 1024, int(child_kb) / 1024, int(code))


# -- FLORES-derived inputs ---------------------------------------------------------------------


def flores(data: Path) -> tuple[list[str], list[list[str]], list[str], list[str]]:
    """Arabic sources, every system's English (reference first), en->ar and ar->en MT."""
    read = lambda p: (data / p).read_text(encoding="utf-8").splitlines()  # noqa: E731
    arabic = read("ar-en/flores-dev.ar")
    names = sorted(p.name for p in (data / "ar-en").glob("flores-dev.*.en"))
    english = [read("ar-en/flores-dev.en")] + [read(f"ar-en/{n}") for n in names]
    return arabic, english, read("en-ar/flores-dev.nllb.ar"), read("ar-en/flores-dev.opusmt.en")


def write_feed(path: Path, sentences: int, data: Path, per_doc: int = 5) -> int:
    """A JSONL feed of ``per_doc``-sentence documents; return the documents written."""
    arabic, english, _, _ = flores(data)
    n = len(arabic)
    docs = written = 0
    with path.open("w", encoding="utf-8") as fh:
        while written < sentences:
            system = english[(written // n) % len(english)]
            start = written % n
            stop = min(start + per_doc, n, start + sentences - written)
            record = {
                "id": f"d{docs}",
                "source": " ".join(arabic[start:stop]),
                "target": " ".join(system[start:stop]),
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += stop - start
            docs += 1
    return docs


def write_article(folder: Path, sentences: int, data: Path, seed: int = 7) -> tuple[Path, Path]:
    """One long article: target paragraphs of four sentences, source paragraphs of five, 2% of
    the target sentences dropped and 2% merged with the next, so paragraphs cannot anchor."""
    arabic, english, _, _ = flores(data)
    rng = random.Random(seed)
    n = len(arabic)
    src = [arabic[i % n] for i in range(sentences)]
    tgt_all = [english[1 + (i // n) % (len(english) - 1)][i % n] for i in range(sentences)]
    tgt: list[str] = []
    i = 0
    while i < len(tgt_all):
        roll = rng.random()
        if roll < 0.02:
            i += 1
            continue
        if roll < 0.04 and i + 1 < len(tgt_all):
            tgt.append(tgt_all[i] + " " + tgt_all[i + 1])
            i += 2
            continue
        tgt.append(tgt_all[i])
        i += 1

    def paragraphs(lines: list[str], size: int) -> str:
        return "\n\n".join(" ".join(lines[k : k + size]) for k in range(0, len(lines), size))

    source, target = folder / f"article{sentences}.ar.txt", folder / f"article{sentences}.en.txt"
    source.write_text(paragraphs(src, 5) + "\n", encoding="utf-8")
    target.write_text(paragraphs(tgt, 4) + "\n", encoding="utf-8")
    return target, source


def fill_cache(feed: Path, config_path: Path, data: Path) -> None:
    """Put into the translation cache every translation a fidelity run of ``feed`` asks for:
    the back-translation of each target sentence, the forward translation of each aligned
    source, and (for round trips) the way back; taken from FLORES MT outputs where they exist."""
    from mtaudit.config import Config
    from mtaudit.io.stream import iter_inputs
    from mtaudit.pipeline import prepare, segment
    from mtaudit.translate.cache import TranslationCache
    from mtaudit.translate.engine import translation_key
    from mtaudit.translate.settings import cache_path, engine_for
    from mtaudit.translate.shared import Translations
    from mtaudit.types import Document

    arabic, english, back_mt, forward_mt = flores(data)
    to_arabic = {e: back_mt[i] for system in english for i, e in enumerate(system)}
    to_english = dict(zip(arabic, forward_mt, strict=True))
    config = Config.load(config_path)
    docs = [d for d in iter_inputs([str(feed)]) if isinstance(d, Document)]
    back: dict[str, str] = {}
    segmented = [segment(d, config) for d in docs]
    for doc in segmented:
        for k, sent in enumerate(doc.sentences):
            src = doc.source_sentences
            back[sent.text] = to_arabic.get(sent.text) or (src[min(k, len(src) - 1)].text)
    spec_back, spec_fwd = engine_for(config, "en-ar"), engine_for(config, "ar-en")
    assert spec_back is not None and spec_fwd is not None
    with TranslationCache(cache_path(config)) as cache:
        cache.put_many(translation_key(config, spec_back), back.items(), origin="benchmark")
    translations = Translations(config)
    forward: dict[str, str] = {}
    for doc in segmented:
        for pair in prepare(doc, config, translations.translate_if_available).pairs:
            if pair.source:
                forward[pair.source] = to_english.get(pair.source) or pair.target.text
    translations.close()
    with TranslationCache(cache_path(config)) as cache:
        cache.put_many(translation_key(config, spec_fwd), forward.items(), origin="benchmark")


def time_alignment(target: Path, source: Path) -> tuple[float, float, int, int]:
    """Seconds to segment both sides, and to align them (banded); and the sentence counts."""
    from mtaudit.config import Config
    from mtaudit.io import read_inputs
    from mtaudit.pipeline import prepare, segment
    from mtaudit.types import Document

    config = Config.load()
    (doc,) = read_inputs([str(target)], source=str(source))
    assert isinstance(doc, Document)
    start = time.perf_counter()
    segmented = segment(doc, config)
    middle = time.perf_counter()
    prepare(segmented, config)
    end = time.perf_counter()
    return middle - start, end - middle, len(segmented.source_sentences), len(segmented.sentences)


def time_full_table(target: Path, source: Path) -> float:
    """Seconds to align the same article with a band as wide as the table (the old cost)."""
    from mtaudit.align import AlignSettings, align_lengths
    from mtaudit.config import Config
    from mtaudit.settings import settings_of
    from mtaudit.text.segment import split_sentences

    src = [len(s.text) for s in split_sentences(source.read_text(encoding="utf-8"), "ar")]
    tgt = [len(s.text) for s in split_sentences(target.read_text(encoding="utf-8"), "en")]
    start = time.perf_counter()
    settings = settings_of(Config.load(), AlignSettings)
    align_lengths(src, tgt, settings, width=max(len(src), len(tgt)))
    return time.perf_counter() - start


# -- the benchmark -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--quick", action="store_true", help="1k/10k feeds and 500/2.5k articles")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="alternated runs (medians) of --jobs 1 and 2, and of checks-only and fidelity",
    )
    args = parser.parse_args()
    small, large = (1_000, 10_000) if args.quick else (10_000, 100_000)
    short, long = (500, 2_500) if args.quick else (1_000, 5_000)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"scale benchmark: {cores} CPUs, load average {load:.1f} at start, "
        f"Python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out = work / "out.jsonl"
        rows: list[str] = []
        feeds = {}
        for size in (small, large):
            feeds[size] = work / f"feed{size}.jsonl"
            docs = write_feed(feeds[size], size, args.data)
            print(f"feed of {size:,} sentences: {docs:,} documents")
        # one untimed run first, so that every timed one finds the modules' bytecode written
        write_feed(work / "warm.jsonl", 100, args.data)
        warm = ("audit", str(work / "warm.jsonl"), "--no-signals", "--format", "jsonl")
        mtaudit(*warm, "-o", str(out), "--jobs", "2")
        # --jobs 1 and --jobs 2 alternated, medians of --rounds runs: the machine's speed drifts
        # over minutes, and one run after the other would measure the drift as well
        speed: dict[tuple[int, int], Measure] = {}
        for size in (small, large):
            runs: dict[int, list[Measure]] = {1: [], 2: []}
            for _ in range(args.rounds):
                for jobs in (1, 2):
                    m = mtaudit(
                        "audit", str(feeds[size]), "--no-signals", "--format", "jsonl",
                        "-o", str(out), "--jobs", str(jobs),
                    )  # fmt: skip
                    runs[jobs].append(m)
            for jobs in (1, 2):
                m = Measure(
                    statistics.median(x.seconds for x in runs[jobs]),
                    max(x.rss_mib for x in runs[jobs]),
                    max(x.child_rss_mib for x in runs[jobs]),
                    max(x.code for x in runs[jobs]),
                )
                speed[(size, jobs)] = m
                rows.append(
                    f"| checks only | {size:,} | {jobs} | {m.seconds:.1f} | "
                    f"{size / m.seconds:,.0f} | {m.rss_mib:.0f} | "
                    f"{m.child_rss_mib if jobs > 1 else float('nan'):.0f} |"
                )
        # fidelity from the cache, no model on disk: with the default metrics (what the shipped
        # judge models read) and with TER as well; each alternated with checks-only on the same
        # feed, medians of --rounds runs
        models, cache = work / "no-models", work / "cache.sqlite3"
        fidelity_configs = {}
        for name, metrics in (("default metrics", '["auto"]'), ("chrF and TER", '["ter"]')):
            config = work / f"fidelity{len(fidelity_configs)}.toml"
            config.write_text(
                f'[translation]\nmodels_dir = "{models}"\ncache = "{cache}"\n'
                '[fidelity]\nparts = ["back_translation", "forward"]\n'
                f"metrics = {metrics}\n",
                encoding="utf-8",
            )
            fidelity_configs[name] = config
        fill_cache(feeds[small], fidelity_configs["default metrics"], args.data)
        timed: dict[str, list[Measure]] = {"checks only": []} | {n: [] for n in fidelity_configs}
        for _ in range(args.rounds):
            m = mtaudit(
                "audit", str(feeds[small]), "--no-signals", "--format", "jsonl",
                "-o", str(out), "--jobs", "1",
            )  # fmt: skip
            timed["checks only"].append(m)
            for name, config in fidelity_configs.items():
                m = mtaudit(
                    "audit", str(feeds[small]), "--signals", "fidelity", "--strict",
                    "-c", str(config), "--format", "jsonl", "-o", str(out), "--jobs", "1",
                )  # fmt: skip
                if m.code != 0:
                    raise SystemExit("the fidelity run did not run from the cache (see --strict)")
                timed[name].append(m)
        medians = {n: statistics.median(x.seconds for x in ms) for n, ms in timed.items()}
        for name in fidelity_configs:
            rows.append(
                f"| fidelity from cache, {name} | {small:,} | 1 | {medians[name]:.1f} | "
                f"{small / medians[name]:,.0f} | {max(x.rss_mib for x in timed[name]):.0f} | nan |"
            )
        articles: dict[int, Measure] = {}
        align_notes: list[str] = []
        for size in (short, long):
            target, source = write_article(work, size, args.data)
            m = mtaudit(
                "audit", str(target), "--source", str(source), "--no-signals",
                "--format", "json", "-o", str(work / "article.json"), "--jobs", "1",
            )  # fmt: skip
            articles[size] = m
            rows.append(
                f"| whole article | {size:,} | 1 | {m.seconds:.1f} | {size / m.seconds:,.0f} | "
                f"{m.rss_mib:.0f} | nan |"
            )
            seg, aligned, n_src, n_tgt = time_alignment(target, source)
            align_notes.append(
                f"- article of {size:,} sentences ({n_src:,} source, {n_tgt:,} target "
                f"sentences found): segmentation {seg:.1f} s, banded alignment {aligned:.2f} s"
            )
            if size == short:
                full = time_full_table(target, source)
                align_notes.append(
                    f"  (baseline, same process: the full table for the same article "
                    f"{full:.2f} s, {full / aligned:.1f}x the banded alignment)"
                )
    print()
    print("| run | sentences | jobs | seconds | sentences/s | peak RSS MiB | worker RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print()
    for size in (small, large):
        ratio = speed[(size, 1)].seconds / speed[(size, 2)].seconds
        verdict = "met" if ratio >= 1.8 else "NOT met"
        print(
            f"- {size:,} sentences: --jobs 2 is {ratio:.2f}x --jobs 1 (target >= 1.8x: {verdict})"
        )
    mem = speed[(large, 1)].rss_mib / speed[(small, 1)].rss_mib
    print(
        f"- peak memory {large:,} vs {small:,} sentences (--jobs 1): {mem:.2f}x "
        f"(target within 20%: {'met' if mem <= 1.2 else 'NOT met'})"
    )
    art = articles[long].seconds / articles[short].seconds
    print(
        f"- whole article {long:,} vs {short:,} sentences: {art:.2f}x the time "
        f"(target within 8x: {'met' if art <= 8 else 'NOT met'})"
    )
    print("\n".join(align_notes))
    base = medians["checks only"]
    print(
        f"- fidelity from cache vs checks only ({small:,} sentences, --jobs 1, medians of "
        f"{args.rounds} alternated runs; checks only {base:.1f} s):"
    )
    for name in fidelity_configs:
        fid = medians[name] / base
        met = "met" if fid <= 2 else "NOT met"
        verdict = f" (target <= 2x: {met})" if "default" in name else ""
        print(f"  {name}: {fid:.2f}x{verdict}")


if __name__ == "__main__":
    main()
