"""Reading speed of the web page, XLIFF and TMX readers against plain feeds, on one core.

The FLORES-dev ar→en sentences (source, and one system's translation) are written as a JSONL feed
(the baseline, read in the same process), an XLIFF 1.2 file, an XLIFF 2.1 file and a TMX memory,
one unit per sentence with an inline tag in every tenth unit; and as a web page (paragraphs of
five sentences, with navigation, share bar and comment form) against the same article as plain
text. Reported: units (or sentences) per second to read, the full checks-only audit, and the
time to write the verdicts back with ``--annotate``.

    python benchmarks/inputs_speed.py [--system argos] [--copies 3] [--repeat 3]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from timing import best_of

from mtaudit.config import Config
from mtaudit.io import read_inputs
from mtaudit.pipeline import audit
from mtaudit.reports.annotate import annotate_xliff
from mtaudit.runfile import Run

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "flores-dev" / "ar-en"


G_TAG, PC_TAG = "<g id='1'>", "<pc id='1'>"


def tagged(text: str, i: int, tag: str) -> str:
    first, _, rest = escape(text).partition(" ")
    return f"{tag.format(i=i)}{first}</{tag[1:3].strip()}> {rest}" if i % 10 == 0 else escape(text)


def write_files(folder: Path, pairs: list[tuple[str, str]]) -> dict[str, Path]:
    """Write the same pairs as JSONL, XLIFF 1.2, XLIFF 2.1, TMX, a page and a text article."""
    names = {
        "jsonl": "feed.jsonl",
        "xliff12": "a.xlf",
        "xliff21": "b.xlf",
        "tmx": "m.tmx",
        "html": "page.en.html",
        "text": "page.en.txt",
    }
    files = {key: folder / name for key, name in names.items()}
    files["jsonl"].write_text(
        "".join(
            json.dumps({"id": str(i), "source": s, "target": t}, ensure_ascii=False) + "\n"
            for i, (s, t) in enumerate(pairs)
        ),
        encoding="utf-8",
    )
    units12 = "".join(
        f'<trans-unit id="{i}"><source>{tagged(s, i, G_TAG)}</source>'
        f"<target>{tagged(t, i, G_TAG)}</target></trans-unit>\n"
        for i, (s, t) in enumerate(pairs)
    )
    files["xliff12"].write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
        'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="f" source-language="ar" '
        f'target-language="en" datatype="plaintext"><body>\n{units12}</body></file></xliff>\n',
        encoding="utf-8",
    )
    units21 = "".join(
        f'<unit id="{i}"><segment><source>{tagged(s, i, PC_TAG)}</source>'
        f"<target>{tagged(t, i, PC_TAG)}</target></segment></unit>\n"
        for i, (s, t) in enumerate(pairs)
    )
    files["xliff21"].write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:'
        f'document:2.0" version="2.1" srcLang="ar" trgLang="en"><file id="f">\n{units21}'
        "</file></xliff>\n",
        encoding="utf-8",
    )
    tus = "".join(
        f'<tu tuid="{i}"><tuv xml:lang="ar"><seg>{escape(s)}</seg></tuv>'
        f'<tuv xml:lang="en"><seg>{escape(t)}</seg></tuv></tu>\n'
        for i, (s, t) in enumerate(pairs)
    )
    files["tmx"].write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="ar" '
        f'segtype="sentence" datatype="plaintext" adminlang="en" o-tmf="x" creationtool="x" '
        f'creationtoolversion="1"/><body>\n{tus}</body></tmx>\n',
        encoding="utf-8",
    )
    targets = [t for _, t in pairs]
    paragraphs = [" ".join(targets[i : i + 5]) for i in range(0, len(targets), 5)]
    files["text"].write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    files["html"].write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>FLORES</title>"
        "<script>var x = 1;</script></head><body><nav><a href='/'>Home</a> <a href='/n'>News"
        f"</a></nav><article><h1>FLORES dev</h1>{body}<div class='share'>Share this: Twitter "
        "Facebook</div></article><div id='comments'><h3>Leave a Reply</h3><form><textarea>"
        "</textarea></form></div><footer>All rights reserved.</footer></body></html>",
        encoding="utf-8",
    )
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--system", default="argos")
    parser.add_argument("--copies", type=int, default=3, help="FLORES repeated this many times")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not (args.data / "flores-dev.ar").exists():
        sys.exit(f"no FLORES data at {args.data}")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    sources = (args.data / "flores-dev.ar").read_text(encoding="utf-8").splitlines()
    targets = (args.data / f"flores-dev.{args.system}.en").read_text(encoding="utf-8")
    pairs = list(zip(sources, targets.splitlines(), strict=True)) * args.copies
    config = Config.load()
    with tempfile.TemporaryDirectory() as tmp:
        files = write_files(Path(tmp), pairs)
        n = len(pairs)
        print(f"FLORES-dev ar-en x{args.copies}, system {args.system}: {n} units, 1 core")
        base = best_of(args.repeat, lambda: read_inputs([str(files["jsonl"])]))
        print(f"  read JSONL feed (baseline): {n / base:9.0f} units/s")
        for key, label in [("xliff12", "XLIFF 1.2"), ("xliff21", "XLIFF 2.1"), ("tmx", "TMX")]:
            took = best_of(args.repeat, lambda k=key: read_inputs([str(files[k])]))
            print(f"  read {label:<22} {n / took:9.0f} units/s ({took / base:.2f}x baseline time)")
        feed_docs = read_inputs([str(files["jsonl"])])
        xliff_docs = read_inputs([str(files["xliff12"])])
        feed_audit = best_of(1, lambda: audit(feed_docs, config, signals=[]))
        xliff_audit = best_of(1, lambda: audit(xliff_docs, config, signals=[]))
        print(f"  audit, JSONL feed:          {n / feed_audit:9.0f} units/s")
        print(
            f"  audit, XLIFF 1.2:           {n / xliff_audit:9.0f} units/s "
            f"({xliff_audit / feed_audit:.2f}x the feed's time)"
        )
        run = Run.from_result(audit(xliff_docs, config, signals=[]))
        out = Path(tmp) / "out.xlf"
        took = best_of(args.repeat, lambda: annotate_xliff(str(files["xliff12"]), run, str(out)))
        notes = annotate_xliff(str(files["xliff12"]), run, str(out))
        print(f"  --annotate XLIFF 1.2:       {n / took:9.0f} units/s ({notes} notes written)")
        sentences = sum(len(d.target.split()) for d in read_inputs([str(files["text"])]))
        text = best_of(args.repeat, lambda: read_inputs([str(files["text"])]))
        page = best_of(args.repeat, lambda: read_inputs([str(files["html"])]))
        size = files["html"].stat().st_size / 1e6
        print(f"  read text article (baseline): {size / text:7.1f} MB/s")
        print(
            f"  read web page (extract+map):  {size / page:7.1f} MB/s "
            f"({page / text:.0f}x baseline time; {sentences} words, {size:.2f} MB page)"
        )


if __name__ == "__main__":
    main()
