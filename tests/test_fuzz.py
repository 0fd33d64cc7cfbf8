"""Generated hostile inputs through the real command line, and the regressions they found.

The contract (README "Exit codes", docs/inputs.md): a bad input or record is reported with its
file and line and exits 2, never a traceback or exit 3; every good record beside a bad one is
still audited and written; nothing is dropped in silence; the JSON report is strict JSON.

The property tests are derandomised with a fixed number of examples, so a run is the same
every time; set ``HYPOTHESIS_PROFILE=fuzz-long`` to explore further by hand.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtaudit.checks.untranslated import longest_runs
from mtaudit.cli import main
from mtaudit.features import Evidence, group_of, merge
from mtaudit.types import Finding, Severity

GOOD = "The minister said the talks would resume on Monday."

settings.register_profile(
    "fuzz",
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz-long",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "fuzz"))


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Models and translation cache in a fresh folder, never the project's own."""
    home = tmp_path_factory.mktemp("models")
    monkeypatch.setenv("MTAUDIT_MODELS_DIR", str(home))
    monkeypatch.setenv("MTAUDIT_TRANSLATION_CACHE", str(home / "cache.sqlite3"))


def strict_json(text: str) -> Any:
    """Parse JSON the way other languages do: NaN and Infinity are errors."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


def audit(folder: Path, *inputs: str, extra: tuple[str, ...] = ()) -> tuple[Result, Any]:
    """Run ``mtaudit audit`` with JSON and HTML output; assert the contract; return the run."""
    out, page = folder / "run.json", folder / "run.html"
    for stale in (out, page):
        stale.unlink(missing_ok=True)
    args = ["audit", *inputs, "--format", "json", "-o", str(out), "--html", str(page), *extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output and "internal error" not in result.stderr
    run = strict_json(out.read_text(encoding="utf-8"))
    assert "mtaudit-data" in page.read_text(encoding="utf-8")
    assert (result.exit_code == 2) == (run["summary"]["errors"] > 0), result.output
    return result, run


def audited(doc: Any) -> bool:
    """A document was audited: it has sentences, or its text was reported as page furniture.

    (A paragraph with words run together, ``aAaA``, and no final stop is furniture by design;
    see mtaudit/text/boilerplate.py.)
    """
    return bool(doc["sentences"]) or any(b["kind"] == "boilerplate" for b in doc["blocks"])


def good_ids(run: Any) -> list[str]:
    return [d["id"] for d in run["documents"] if not d["error"]]


# Regressions found by fuzzing: (case id, file name, bytes, message on stderr, line, good ids).
# A single .jsonl input is streamed a record at a time (mtaudit.io.stream), unlike the feed
# beside another input in tests/test_hostile.py, so each feed row here runs that path.
FOUND: list[tuple[str, str, bytes, str | None, int | None, list[str]]] = [
    (
        "streamed feed: a record nested 100000 deep",
        "feed.jsonl",
        b'{"id": "ok", "target": "Fine."}\n' + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "nested deeper than 32",
        2,
        ["ok"],
    ),
    (
        "streamed feed: an integer of 5000 digits",
        "feed.jsonl",
        b'{"id": "bad", "target": "Fine.", "n": 1'
        + b"0" * 5000
        + b'}\n{"id": "ok", "target": "Fine."}\n',
        "a number of more than 4300 digits",
        1,
        ["ok"],
    ),
    (
        "streamed feed: lines ending in CR alone",
        "feed.jsonl",
        b'{"id": "a", "target": "Hello there."}\r{"id": "b", "target": 5}\r\r{"id": "c", '
        b'"target": "Fine, thanks."}\r',
        "'target' is a number",
        2,
        ["a", "c"],
    ),
    (
        "streamed feed: CR, CRLF and LF mixed",
        "feed.jsonl",
        b'{"id": "a", "target": "Hello."}\r\n{"id": "b", "target": "Fine."}\r{"id": "c"}\n',
        "'target' is missing",
        3,
        ["a", "b"],
    ),
    (
        "CSV header naming 'target' twice",
        "feed.csv",
        b"id,target,source,target\n1,Hello.,x,Fine.\n",
        "header names 'target' more than once",
        1,
        [],
    ),
    (
        "XLIFF target-language that is not a language code",
        "x.xlf",
        b'<?xml version="1.0"?>\n<xliff version="1.2" '
        b'xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        b'\n<file source-language="ar" target-language="!!" original="a"><body>'
        b'<trans-unit id="1"><source>x</source><target>Hello.</target></trans-unit></body></file>'
        b'\n<file source-language="ar" target-language="en-GB" original="b"><body>'
        b'<trans-unit id="1"><source>y</source><target>Fine.</target></trans-unit></body></file>'
        b"</xliff>",
        "language '!!' is not a language code",
        3,
        ["x#b"],
    ),
    (
        "TMX variant whose xml:lang is a path",
        "m.tmx",
        b'<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="ar" datatype="plaintext" '
        b'segtype="sentence" adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/>'
        b'<body>\n<tu tuid="1"><tuv xml:lang="ar"><seg>x</seg></tuv><tuv xml:lang="../../etc">'
        b'<seg>Evil.</seg></tuv><tuv xml:lang="en"><seg>Hello.</seg></tuv></tu></body></tmx>',
        "language '../../etc' is not a language code",
        3,
        ["m"],
    ),
    (
        "TMX header srclang that is not a language code",
        "m.tmx",
        b'<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="?" datatype="plaintext" '
        b'segtype="sentence" adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/>'
        b'<body><tu><tuv xml:lang="ar"><seg>x</seg></tuv><tuv xml:lang="en"><seg>Hi.</seg></tuv>'
        b"</tu></body></tmx>",
        "language '?' is not a language code",
        3,
        [],
    ),
    (
        "XLIFF 2 segment id used twice in a unit",
        "x.xlf",
        b'<?xml version="1.0"?>\n<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"'
        b' srcLang="ar" trgLang="en"><file id="f"><unit id="u">'
        b'<segment id="a"><source>x</source><target>Hello.</target></segment>\n'
        b'<segment id="a"><source>y</source><target>Fine.</target></segment></unit></file></xliff>',
        "segment id 'u/a' is used twice",
        3,
        ["x"],
    ),
    (
        "XLIFF nested past the parser's depth limit",
        "x.xlf",
        b'<?xml version="1.0"?>\n<xliff version="1.2"><file source-language="ar" target-language='
        b'"en"><body><trans-unit id="1"><source>x</source><target>'
        + b"<g>" * 300
        + b"Hi."
        + b"</g>" * 300
        + b"</target></trans-unit></body></file></xliff>",
        "elements nested more than 256 deep",
        2,
        [],
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "message", "line_no", "good"),
    [pytest.param(*case[1:], id=case[0]) for case in FOUND],
)
def test_found_by_fuzzing(
    tmp_path: Path, name: str, data: bytes, message: str, line_no: int | None, good: list[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result, run = audit(tmp_path, str(path))
    assert result.exit_code == 2
    where = f"{path}:{line_no}" if line_no else str(path)
    assert message in result.stderr and where in result.stderr, result.stderr
    assert "XML_PARSE_HUGE" not in result.stderr
    assert good_ids(run) == good
    assert all(d["sentences"] for d in run["documents"] if not d["error"])


# Odd but good inputs that fuzzing found failing: (case id, file name, bytes, a check that must
# fire on the audited text, or None). Each is audited, exit 0.
ODD_BUT_GOOD: list[tuple[str, str, bytes, str | None]] = [
    (
        "control characters in a page's headline and text (lxml refused them in the extractor)",
        "page.en.html",
        b"<html><body><article><h1>Title\x01here\x1f</h1><p>The minister\x1b said the talks "
        b"would resume on Monday.</p></article></body></html>",
        "encoding",
    ),
    (
        "a unit separator alone in a heading",
        "page.en.html",
        b"<html><body><article><p>" + GOOD.encode() + b"</p><h1>\x1f</h1>",
        None,
    ),
    (
        "a control character after a line break (the reader sets the break's tail)",
        "page.en.html",
        b"<html><body><article><p>" + GOOD.encode() + b"</p><br>\x1f</br>",
        None,
    ),
    (
        "control characters written as entities",
        "page.en.html",
        b"<html><body><article><p>" + GOOD.encode() + b"<br>&#x1f;&#1; Next.</p></article>",
        "encoding",
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "check"), [pytest.param(*c[1:], id=c[0]) for c in ODD_BUT_GOOD]
)
def test_odd_but_good_inputs_are_audited(
    tmp_path: Path, name: str, data: bytes, check: str | None
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result, run = audit(tmp_path, str(path))
    assert result.exit_code == 0, result.output
    [doc] = run["documents"]
    assert audited(doc)
    fired = {c["id"] for s in doc["sentences"] for c in s["checks"]}
    assert check is None or check in fired, fired


# Findings on a bead (one source, several target sentences) land on the sentence holding them,
# with spans inside it: (case id, target, source, check, sentence index, highlighted text).
BEADS: list[tuple[str, str, str, str, int, str]] = [
    (
        "a made-up code in the second sentence of a 1-2 bead",
        f"{GOOD} 000000000000000000A",
        "0",
        "patterns",
        1,
        "000000000000000000A",
    ),
    (
        "a code the source lacks, in the second sentence of a bead",
        "The F-16 jet flew over the city on Monday morning. It carried a KX-9 pod.",
        "حلقت طائرة F-16 فوق المدينة صباح الاثنين حاملة حاضنة.",
        "patterns",
        1,
        "KX-9",
    ),
]


@pytest.mark.parametrize(
    ("target", "source", "check", "index", "marked"), [pytest.param(*c[1:], id=c[0]) for c in BEADS]
)
def test_bead_findings_are_placed_on_their_sentence(
    tmp_path: Path, target: str, source: str, check: str, index: int, marked: str
) -> None:
    (tmp_path / "a.en.txt").write_text(target, encoding="utf-8")
    (tmp_path / "a.ar.txt").write_text(source, encoding="utf-8")
    _, run = audit(
        tmp_path, str(tmp_path / "a.en.txt"), extra=("--source", str(tmp_path / "a.ar.txt"))
    )
    sentences = run["documents"][0]["sentences"]
    for sentence in sentences:
        for start, end in sentence["spans"]:
            assert 0 <= start <= end <= len(sentence["text"]), sentence
    hits = [
        sentence["text"][c["span"][0] : c["span"][1]]
        for sentence in sentences
        for c in sentence["checks"]
        if c["id"] == check and sentence["index"] == index and c.get("span")
    ]
    assert marked in hits, sentences


# The terminal report shows a feed's ids and errors on one line each, controls as tokens:
# (case id, feed line, text that must not appear, token that must).
TERMINAL: list[tuple[str, bytes, str, str]] = [
    (
        "a line break in an id",
        b'{"id": "a\\nfake: 0 flagged", "target": "Fine."}',
        "\nfake: 0 flagged",
        "a⟨U+000A⟩fake",
    ),
    (
        "an escape sequence in an id",
        b'{"id": "b\\u001b[2J", "target": "Fine."}',
        "\x1b",
        "b⟨U+001B⟩[2J",
    ),
    (
        "a line separator in an id",
        b'{"id": "c\\u2028fake", "target": "Fine."}',
        "\u2028fake",
        "c⟨U+2028⟩fake",
    ),
]


@pytest.mark.parametrize(
    ("record", "absent", "token"), [pytest.param(*c[1:], id=c[0]) for c in TERMINAL]
)
def test_terminal_report_keeps_ids_on_one_line(
    tmp_path: Path, record: bytes, absent: str, token: str
) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(record + b"\n")
    result = CliRunner().invoke(main, ["audit", str(path)])
    assert result.exit_code in (0, 2) and "Traceback" not in result.output
    assert absent not in result.stdout and token in result.stdout, result.stdout


def test_github_annotations_show_escape_sequences_as_tokens(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    text = "He said the talks \x1b[31mresumed\r\n::warning::forged"
    path.write_text(json.dumps({"id": "a", "target": text}) + "\n", encoding="utf-8")
    args = ["check", str(path), "--github", "--no-state", "--max-flagged", "100%"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert commands and all("\x1b" not in line for line in commands)
    assert "⟨U+001B⟩[31mresumed" in result.stdout
    assert not any(line.startswith("::warning::forged") for line in result.stdout.splitlines())


# Hand-edited files that `check` reads: (case id, option, file content). Each is read or refused
# with exit 2, never an internal error.
EDITED = [
    (
        "baseline reasons that are a number",
        "--baseline",
        {
            "schema": "mtaudit.baseline/1",
            "problems": [{"document": "a", "text": "x", "checks": ["repetition"], "reasons": -1}],
        },
    ),
    (
        "baseline reasons that are true",
        "--baseline",
        {
            "schema": "mtaudit.baseline/1",
            "problems": [{"document": "a", "text": "x", "checks": [], "reasons": True}],
        },
    ),
    (
        "accepted corrections whose checks are a number",
        "--accept",
        {
            "schema": "mtaudit.corrections/1",
            "corrections": [
                {
                    "document": "a",
                    "original": "He said that that the the talks",
                    "decision": "fine",
                    "verdict": {"checks": 5, "reasons": 1.5},
                }
            ],
        },
    ),
]


@pytest.mark.parametrize(("option", "content"), [pytest.param(*c[1:], id=c[0]) for c in EDITED])
def test_hand_edited_gate_files(tmp_path: Path, option: str, content: Any) -> None:
    feed_path, edited = tmp_path / "feed.jsonl", tmp_path / "edited.json"
    feed_path.write_text(
        json.dumps({"id": "a", "target": "He said that that the the talks"}) + "\n",
        encoding="utf-8",
    )
    edited.write_text(json.dumps(content), encoding="utf-8")
    args = ["check", str(feed_path), "--no-state", option, str(edited)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (0, 1, 2), result.output
    assert "internal error" not in result.stderr and "Traceback" not in result.output


# Folders: every entry is read, or named in a warning. (files: name -> text, None for a folder;
# ids audited; names the warning must list)
FOLDERS: list[tuple[str, dict[str, str | None], list[str], list[str]]] = [
    ("upper-case extension and language", {"A.EN.TXT": GOOD, "A.AR.TXT": "قال."}, ["A"], []),
    ("a newline in the name", {"x\ny.en.txt": GOOD}, ["x\ny"], []),
    (
        "another language, a sub-folder and a stray file are named",
        {"a.en.txt": GOOD, "b.fr.txt": GOOD, "sub": None, "notes.json": "{}"},
        ["a"],
        ["'b.fr.txt'", "'notes.json'", "'sub/'"],
    ),
]


@pytest.mark.parametrize(
    ("files", "ids", "named"), [pytest.param(*c[1:], id=c[0]) for c in FOLDERS]
)
def test_folder_entries_are_read_or_named(
    tmp_path: Path, files: dict[str, str | None], ids: list[str], named: list[str]
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, content in files.items():
        if content is None:
            (folder / name).mkdir()
        else:
            (folder / name).write_text(content, encoding="utf-8")
    result, run = audit(tmp_path, str(folder))
    assert result.exit_code == 0 and good_ids(run) == ids
    if named:
        assert f"{folder}: {len(named)} entries not read" in result.stderr
        assert all(n in result.stderr for n in named)
    else:
        assert "not read" not in result.stderr


@pytest.mark.parametrize(
    "args", [["-", "-"], ["-", "--source", "-"]], ids=["input twice", "input and source"]
)
def test_standard_input_is_read_once(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["audit", *args], input=GOOD)
    assert result.exit_code == 2 and "standard input (-) can be read once" in result.stderr
    assert "is empty" not in result.stderr


# ---------------------------------------------------------------------------------------------
# Generators

ODD = [
    "\u0301",  # a combining mark (at a sentence start when it comes first)
    "\u200f",
    "\u202e",
    "\u2066",
    "\u200d",
    "\u200b",
    "\ufeff",
    "\u2028",
    "\x85",
    "\x0b",
    "\x1b",
    "\ufffe",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\U0001f3f3\ufe0f\u200d\U0001f308",
    ".",
    "؟",
    "،",
    "!?",
    "«",
    "»",
    '"',
    "(",
    "ـ",
    "١٢٣",
    "3.5",
    "&amp;",
    "<b>",
    "\\",
    " ",
    "\t",
    "\u00a0",
    "\u3000",
    "http://x.y/z",
    "F-16",
    "The",
    "the the",
    "قال",
]
text = st.lists(
    st.one_of(st.text(st.characters(codec="utf-8"), max_size=12), st.sampled_from(ODD)),
    max_size=10,
).map("".join)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)
record = st.dictionaries(
    st.sampled_from(["id", "target", "source", "source_lang", "target_lang", "note"]) | text,
    json_value | text,
    max_size=6,
)


def _expected_line(rec: dict[str, Any]) -> bool:
    """Whether ``rec`` is a record the reader must turn into a document (not an error)."""
    target, source, doc_id = rec.get("target"), rec.get("source"), rec.get("id")
    if not isinstance(target, str) or not target.strip() or "\x00" in json.dumps(rec):
        return False
    if source is not None and not isinstance(source, str):
        return False
    if doc_id is not None and (isinstance(doc_id, bool) or not isinstance(doc_id, str | int)):
        return False
    langs = (rec.get(k) for k in ("source_lang", "target_lang"))
    if any(v not in (None, "") and not _is_code(v) for v in langs):
        return False
    return not _has_surrogate(rec)


def _is_code(value: Any) -> bool:
    code = value.strip().lower() if isinstance(value, str) else ""
    return 2 <= len(code) <= 3 and all("a" <= c <= "z" for c in code)


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


@FUZZ
@given(
    records=st.lists(record, min_size=1, max_size=4),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    ascii_only=st.booleans(),
)
def test_generated_feeds_keep_every_good_record(
    tmp_path: Path, records: list[dict[str, Any]], newline: str, ascii_only: bool
) -> None:
    """Every line of a generated feed is one document or one error naming that line."""
    lines = [json.dumps(r, ensure_ascii=ascii_only) for r in records]
    data = newline.join(lines).encode("utf-8", "surrogatepass")
    path = tmp_path / "feed.jsonl"
    path.write_bytes(data)
    result, run = audit(tmp_path, str(path))
    docs = run["documents"]
    assert len(docs) == len(records)
    for number, (rec, doc) in enumerate(zip(records, docs, strict=True), start=1):
        assert f"{path}:{number}" in (doc["origin"], doc["id"])
        if _expected_line(rec):
            assert not doc["error"] and audited(doc), doc
        elif doc["error"]:
            assert f"{path}:{number}:" in result.stderr
    # The same bytes from standard input (read whole, not streamed) give the same documents.
    piped = CliRunner().invoke(main, ["audit", "-", "--format", "json"], input=data)
    assert piped.exit_code == result.exit_code, piped.output
    again = strict_json(piped.stdout)["documents"]
    assert [(d["error"] is None, d["target"]) for d in again] == [
        (d["error"] is None, d["target"]) for d in docs
    ]


@FUZZ
@given(
    rows=st.lists(st.lists(text, min_size=3, max_size=3), min_size=1, max_size=5),
    kind=st.sampled_from(["csv", "tsv"]),
)
def test_generated_bitexts_keep_every_good_row(
    tmp_path: Path, rows: list[list[str]], kind: str
) -> None:
    """A bitext written by a CSV writer (quotes, tabs, embedded newlines) reads back row by row."""
    rows = [[f"r{i}", src, tgt] for i, (_, src, tgt) in enumerate(rows)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="," if kind == "csv" else "\t", lineterminator="\n")
    writer.writerows([["id", "source", "target"], *rows])
    path = tmp_path / f"feed.{kind}"
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
    result, run = audit(tmp_path, str(path))
    if "\x00" in buffer.getvalue() or _has_surrogate(rows):
        assert result.exit_code == 2
        return
    # Only rows that are blank after normalisation may be skipped; nothing else goes missing.
    normal = buffer.getvalue().replace("\r\n", "\n").replace("\r", "\n")
    expected = [
        r[0]
        for r in csv.reader(io.StringIO(normal, newline=""), delimiter=writer.dialect.delimiter)
        if r and r[0].startswith("r") and len(r) == 3 and r[2].strip()
    ]
    assert good_ids(run) == expected, result.stderr


@FUZZ
@given(target=text, source=text, unit=st.sampled_from([None, "segment", "document"]))
def test_generated_articles_with_a_source(
    tmp_path: Path, target: str, source: str, unit: str | None
) -> None:
    """Unicode edge cases go through segmentation, alignment, checks and every report."""
    target_path, source_path = tmp_path / "a.en.txt", tmp_path / "a.ar.txt"
    target_path.write_bytes(f"{GOOD} {target}".encode("utf-8", "surrogatepass"))
    source_path.write_bytes(source.encode("utf-8", "surrogatepass"))
    extra = ("--source", str(source_path)) + (("--unit", unit) if unit else ())
    result, run = audit(tmp_path, str(target_path), extra=extra)
    [doc] = run["documents"]
    if not doc["error"]:
        assert audited(doc)
        for sentence in doc["sentences"]:
            assert 0 <= sentence["start"] <= sentence["end"] <= len(doc["target"])
            for start, end in sentence["spans"]:
                assert 0 <= start <= end <= len(sentence["text"]), sentence
    text_report = CliRunner().invoke(
        main, ["audit", str(target_path), "--source", str(source_path), "--all"]
    )
    assert text_report.exit_code == result.exit_code and "Traceback" not in text_report.output


TAGS = [
    "p",
    "div",
    "article",
    "b",
    "i",
    "a",
    "script",
    "style",
    "br",
    "table",
    "td",
    "li",
    "ul",
    "h1",
    "span",
    "nav",
    "footer",
    "svg",
    "template",
    "iframe",
    "pre",
    "q",
    "bdo",
]
ENTITIES = ["&amp;", "&lt;", "&#0;", "&#xD800;", "&#x110000;", "&bogus;", "&nbsp;", "&#1575;", "&"]


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """Broken markup: unclosed and misnested tags, odd attributes, entities, scripts."""
    parts = ["<html><body><article><p>", GOOD, "</p>"]
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(st.sampled_from(TAGS))
        attr = draw(
            st.sampled_from(
                [
                    "",
                    ' dir="rtl"',
                    ' onclick="x()"',
                    " title='" + "x" * 500,
                    ' lang="!!"',
                    ' style="display:none"',
                ]
            )
        )
        inner = draw(st.one_of(text, st.sampled_from(ENTITIES)))
        close = draw(st.sampled_from([f"</{tag}>", "", "</p>", "</b></i>"]))
        parts.append(f"<{tag}{attr}>{inner}{close}")
    return "".join(parts)


@FUZZ
@given(page=html_pages())
def test_generated_pages(tmp_path: Path, page: str) -> None:
    path = tmp_path / "page.en.html"
    path.write_bytes(page.encode("utf-8", "surrogatepass"))
    result, run = audit(tmp_path, str(path))
    [doc] = run["documents"]
    assert doc["error"] or audited(doc), result.stderr
    assert "<script" not in json.dumps(run["documents"]).lower() or "&lt;script" in page


@st.composite
def xliff_files(draw: st.DrawFn) -> tuple[str, int]:
    """XLIFF 1.2 with odd ids, missing parts, inline tags; and how many units have a target."""
    units = []
    translated = 0
    for number in range(draw(st.integers(1, 5))):
        uid = draw(st.sampled_from([str(number), str(number), "", "dup", "a&amp;b", "\u0661"]))
        ident = "" if uid == "" else f' id="{uid}"'
        source = draw(
            st.sampled_from(
                ["<source>مرحبا</source>", "", "<source/>", '<source>a <g id="1">b</g></source>']
            )
        )
        target = draw(
            st.sampled_from(
                [
                    "<target>Hello there.</target>",
                    "",
                    "<target/>",
                    '<target><g id="1">Hi</g> <x id="2"/>.</target>',
                    '<target><mrk mtype="seg">Fine.</mrk></target>',
                ]
            )
        )
        translate = draw(st.sampled_from(["", ' translate="no"']))
        units.append(f"<trans-unit{ident}{translate}>{source}{target}</trans-unit>")
        translated += 1
    body = "\n".join(units)
    lang = draw(st.sampled_from(["en", "EN-us", "", "!!", "*all*"]))
    return (
        '<?xml version="1.0"?>\n<xliff version="1.2" '
        'xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        f'<file source-language="ar" target-language="{lang}" original="o"><body>\n'
        f"{body}\n</body></file></xliff>",
        translated,
    )


@FUZZ
@given(xliff=xliff_files())
def test_generated_xliff(tmp_path: Path, xliff: tuple[str, int]) -> None:
    path = tmp_path / "delivery.xlf"
    path.write_text(xliff[0], encoding="utf-8")
    result, run = audit(tmp_path, str(path))
    for doc in run["documents"]:
        if not doc["error"]:
            units = [s["unit"] for s in doc["sentences"]] + [b["unit"] for b in doc["blocks"]]
            assert len(units) == len(set(units)), units


# ---------------------------------------------------------------------------------------------
# Long lines: every stage is linear enough that a 200,000-character line is audited (the
# benchmark in benchmarks/long_lines.py times them; tests never assert times).

LONG_LINES = [
    ("numbers", "1 " * 100_000),
    ("brackets", "( [ « " * 33_000),
    ("capitals", "The To " * 30_000),
    ("repeats", "the the " * 25_000),
    ("no spaces", "a" * 200_000),
    ("marks", "\u200b\u200d\u0301" * 66_000),
    ("hyphenated run", "a-" * 100_000),
    ("brackets and digits", "(1" * 100_000),
]

# The same with a source line beside it: (case id, target unit, source unit).
LONG_PAIRS = [
    ("URLs, one letter changed", "http://a.b/c ", "http://a.b/d "),
    ("the same words on both sides", "a b c d ", "a b c d "),
    ("numbers in both scripts", "1 ", "١ "),
]


@pytest.mark.parametrize(("label", "line"), LONG_LINES, ids=[c[0] for c in LONG_LINES])
def test_a_200000_character_line_is_audited(tmp_path: Path, label: str, line: str) -> None:
    path = tmp_path / "long.en.txt"
    path.write_text(line, encoding="utf-8")
    result, run = audit(tmp_path, str(path))
    assert result.exit_code == 0
    assert run["documents"][0]["sentences"]


@pytest.mark.parametrize(("target", "source"), [pytest.param(*c[1:], id=c[0]) for c in LONG_PAIRS])
def test_a_200000_character_line_with_its_source(tmp_path: Path, target: str, source: str) -> None:
    (tmp_path / "long.en.txt").write_text((target * 200_000)[:200_000], encoding="utf-8")
    (tmp_path / "long.ar.txt").write_text((source * 200_000)[:200_000], encoding="utf-8")
    extra = ("--source", str(tmp_path / "long.ar.txt"))
    result, run = audit(tmp_path, str(tmp_path / "long.en.txt"), extra=extra)
    assert result.exit_code == 0
    assert run["documents"][0]["sentences"]


words = st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=30)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(words, words)
def test_longest_runs_match_the_definition(source: list[str], target: list[str]) -> None:
    """The untranslated check's copied-run search (a suffix automaton) against brute force."""

    def occurs(run: list[str]) -> bool:
        return any(source[i : i + len(run)] == run for i in range(len(source) - len(run) + 1))

    want = []
    for i in range(len(target)):
        length = 0
        while i + length < len(target) and occurs(target[i : i + length + 1]):
            length += 1
        want.append(length)
    assert longest_runs(source, target) == want


# ---------------------------------------------------------------------------------------------
# Merging findings: the indexed merge keeps the rule "join the first overlapping piece".


def _reference_merge(findings: list[Finding]) -> list[Evidence]:
    """The plain quadratic merge the indexed one replaced."""
    pieces: list[Evidence] = []
    for found in findings:
        group = group_of(found.check)
        target = None
        if found.span is not None:
            start, end = found.span
            for piece in pieces:
                span = piece.span
                if piece.group == group and span is not None and start < span[1] and span[0] < end:
                    target = piece
                    break
        if target is None:
            pieces.append(Evidence([found], group))
        else:
            target.findings.append(found)
    return pieces


finding = st.builds(
    lambda check, span: Finding(check, Severity.MINOR, "m", span),
    st.sampled_from(["numbers", "brackets", "fluency", "fidelity.forward"]),
    st.none()
    | st.tuples(st.integers(0, 200), st.integers(0, 100)).map(lambda t: (t[0], t[0] + t[1])),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(finding, max_size=60))
def test_merge_matches_the_plain_rule(findings: list[Finding]) -> None:
    got = [(p.group, [id(f) for f in p.findings]) for p in merge(findings)]
    want = [(p.group, [id(f) for f in p.findings]) for p in _reference_merge(findings)]
    assert got == want
