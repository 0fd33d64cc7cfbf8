"""Hostile inputs: each is reported with its file and line, exits 2, never a traceback, and
every good record beside it is still audited and written (the JSON output is parsed back).
"""

from __future__ import annotations

import codecs
import json
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from mtaudit import atomic
from mtaudit.cli import main
from mtaudit.config import Config
from mtaudit.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "article.en.txt"
GOOD = "The minister said the talks would resume on Monday."


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Models and translation cache in a fresh folder, never the project's own."""
    home = tmp_path_factory.mktemp("models")
    monkeypatch.setenv("MTAUDIT_MODELS_DIR", str(home))
    monkeypatch.setenv("MTAUDIT_TRANSLATION_CACHE", str(home / "cache.sqlite3"))


def invoke(*args: str, stdin: str | bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def strict_json(text: str) -> Any:
    """Parse JSON the way other languages do: NaN and Infinity are errors."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


def line(record: dict[str, Any] | str) -> str:
    return record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)


def feed(*records: dict[str, Any] | str) -> bytes:
    return ("\n".join(line(r) for r in records) + "\n").encode("utf-8")


DEEP = "[" * 100_000 + "]" * 100_000
NESTED: Any = "x"
for _ in range(40):
    NESTED = {"a": NESTED}
HUGE_INT = "1" + "0" * 5000

# (case id, file name, bytes, message expected on stderr, line reported, good ids written)
BAD_INPUTS: list[tuple[str, str, bytes, str, int | None, list[str]]] = [
    (
        "lone surrogate in target",
        "feed.jsonl",
        feed({"id": "ok", "target": GOOD}, '{"id": "bad", "target": "Hi \\ud800 there."}'),
        "lone surrogate",
        2,
        ["ok"],
    ),
    (
        "lone surrogate in metadata value",
        "feed.jsonl",
        feed('{"id": "bad", "target": "Fine.", "tag": "\\udfff"}', {"id": "ok", "target": GOOD}),
        "lone surrogate",
        1,
        ["ok"],
    ),
    (
        "lone surrogate in metadata key",
        "feed.jsonl",
        feed('{"id": "bad", "target": "Fine.", "\\ud83d": 1}', {"id": "ok", "target": GOOD}),
        "lone surrogate",
        1,
        ["ok"],
    ),
    (
        "lone surrogate in source",
        "feed.jsonl",
        feed('{"id": "bad", "target": "Fine.", "source": "\\ud800"}', {"id": "ok", "target": GOOD}),
        "lone surrogate",
        1,
        ["ok"],
    ),
    (
        "record nested 100000 deep",
        "feed.jsonl",
        feed({"id": "ok", "target": GOOD}, DEEP),
        "nested deeper",
        2,
        ["ok"],
    ),
    (
        "metadata nested 40 deep",
        "feed.jsonl",
        feed({"id": "bad", "target": GOOD, "meta": NESTED}, {"id": "ok", "target": GOOD}),
        "nested deeper than 32",
        1,
        ["ok"],
    ),
    (
        "integer of 5000 digits",
        "feed.jsonl",
        feed(
            '{"id": "bad", "target": "Fine.", "n": ' + HUGE_INT + "}", {"id": "ok", "target": GOOD}
        ),
        "malformed JSON",
        1,
        ["ok"],
    ),
    (
        "malformed JSON line",
        "feed.jsonl",
        feed({"id": "ok", "target": GOOD}, '{"id": "bad", "target": '),
        "malformed JSON",
        2,
        ["ok"],
    ),
    (
        "record is a list",
        "feed.jsonl",
        feed(["a"], {"id": "ok", "target": GOOD}),
        "not a JSON object",
        1,
        ["ok"],
    ),
    (
        "target is a number",
        "feed.jsonl",
        feed({"id": "bad", "target": 5}, {"id": "ok", "target": GOOD}),
        "'target' is a number",
        1,
        ["ok"],
    ),
    (
        "target is an object",
        "feed.jsonl",
        feed({"id": "bad", "target": {"en": "x"}}, {"id": "ok", "target": GOOD}),
        "'target' is a JSON object",
        1,
        ["ok"],
    ),
    (
        "id is a list",
        "feed.jsonl",
        feed({"id": [1], "target": GOOD}, {"id": "ok", "target": GOOD}),
        "field 'id'",
        1,
        ["ok"],
    ),
    (
        "target is empty",
        "feed.jsonl",
        feed({"id": "bad", "target": ""}, {"id": "ok", "target": GOOD}),
        "'target' is empty",
        1,
        ["ok"],
    ),
    (
        "target is blank",
        "feed.jsonl",
        feed({"id": "ok", "target": GOOD}, {"id": "bad", "target": " \n\t "}),
        "'target' is empty",
        2,
        ["ok"],
    ),
    (
        "target missing",
        "feed.jsonl",
        feed({"id": "bad", "source": "x"}, {"id": "ok", "target": GOOD}),
        "'target' is missing",
        1,
        ["ok"],
    ),
    (
        "language is not a code",
        "feed.jsonl",
        feed(
            {"id": "bad", "target": GOOD, "target_lang": "English!"}, {"id": "ok", "target": GOOD}
        ),
        "not a language code",
        1,
        ["ok"],
    ),
    (
        "language is a number",
        "feed.jsonl",
        feed({"id": "bad", "target": GOOD, "source_lang": 7}, {"id": "ok", "target": GOOD}),
        "not a language code",
        1,
        ["ok"],
    ),
    (
        "CSV quote never closed",
        "feed.csv",
        f'id,target\n1,"{GOOD}\n2,{GOOD}\n3,{GOOD}\n'.encode(),
        "unbalanced quote",
        2,
        ["2", "3"],
    ),
    (
        "CSV quote closed mid-field",
        "feed.csv",
        f'id,target\n1,"{GOOD}\n2,{GOOD}\n3,"Fine"\n4,{GOOD}\n'.encode(),
        "unbalanced quote",
        2,
        ["2", "3", "4"],
    ),
    (
        "CSV blank target",
        "feed.csv",
        f"id,target\n1,  \n2,{GOOD}\n".encode(),
        "'target' is empty",
        2,
        ["2"],
    ),
    (
        "TSV empty target",
        "feed.tsv",
        f"id\tsource\ttarget\n1\tمرحبا\t\n2\tشكرا\t{GOOD}\n".encode(),
        "'target' is empty",
        2,
        ["2"],
    ),
    (
        "CSV row with too many fields",
        "feed.csv",
        f"id,target\n1,{GOOD}\n2,a,b\n".encode(),
        "row has 3 fields",
        3,
        ["1"],
    ),
    (
        "CSV cell of 200 KB, a U+2028 in a cell, then a bad row",
        "feed.csv",
        f'id,target\n1,"{GOOD * 4000}"\n2,{GOOD}\u2028{GOOD}\n3,a,b\n'.encode(),
        "row has 3 fields",
        4,
        ["1", "2"],
    ),
    ("CSV header only", "feed.csv", b"id,source,target\n", "header but no records", None, []),
    (
        "UTF-16 LE with BOM",
        "article.txt",
        codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"),
        "UTF-16 (little-endian)",
        None,
        [],
    ),
    (
        "UTF-16 BE with BOM",
        "article.txt",
        codecs.BOM_UTF16_BE + GOOD.encode("utf-16-be"),
        "UTF-16 (big-endian)",
        None,
        [],
    ),
    (
        "UTF-32 LE with BOM",
        "article.txt",
        codecs.BOM_UTF32_LE + GOOD.encode("utf-32-le"),
        "UTF-32 (little-endian)",
        None,
        [],
    ),
    (
        "UTF-16 without BOM",
        "article.txt",
        GOOD.encode("utf-16-le"),
        "UTF-16 (little-endian, no byte-order mark)",
        None,
        [],
    ),
    (
        "NUL byte after 8 KB",
        "article.txt",
        ((GOOD + "\n") * 200).encode() + b"\x00 tail\n",
        "binary",
        201,
        [],
    ),
    ("NUL byte at the start", "article.txt", b"\x00\x01binary", "binary", 1, []),
    ("binary (PNG)", "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary", 3, []),
    ("not UTF-8 (Latin-1)", "article.txt", b"Fine line.\ncaf\xe9 au lait\n", "not UTF-8", 2, []),
    (
        "Arabic in Windows-1256",
        "article.txt",
        "قال الوزير".encode("cp1256"),
        "looks like Windows-1256 (Arabic)",
        1,
        [],
    ),
    (
        "curly quotes in Windows-1252",
        "article.txt",
        "He said \u201chello\u201d.".encode("cp1252"),
        "looks like Windows-1252 (Western European)",
        1,
        [],
    ),
    ("empty file", "article.txt", b"", "is empty", None, []),
    ("blank file", "article.txt", b" \n\n\t\n", "is empty", None, []),
    ("empty feed", "feed.jsonl", b"\n\n", "is empty", None, []),
]


@pytest.mark.parametrize(
    ("name", "data", "message", "line_no", "good"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUTS],
)
@pytest.mark.parametrize("command", ["audit", "check"])
def test_hostile_input_is_reported_and_good_records_are_kept(
    tmp_path: Path,
    command: str,
    name: str,
    data: bytes,
    message: str,
    line_no: int | None,
    good: list[str],
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    other = tmp_path / "other.en.txt"
    other.write_text(GOOD + "\n", encoding="utf-8")
    out = tmp_path / "run.json"
    page = tmp_path / "run.html"
    args = [command, str(path), str(other), "--format", "json", "-o", str(out), "--html", str(page)]
    if command == "check":
        args += ["--max-flagged", "100%"]
    result = invoke(*args)
    where = f"{path}:{line_no}" if line_no else str(path)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and where in result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.stderr
    run = strict_json(out.read_text(encoding="utf-8"))
    written = {d["id"]: d for d in run["documents"] if not d["error"]}
    assert set(written) == {*good, "other"}
    assert all(d["sentences"] for d in written.values())
    assert run["summary"]["errors"] >= 1
    assert "mtaudit-data" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (feed('{"id": "bad", "target": "\\ud800"}', {"id": "ok", "target": GOOD}), "surrogate"),
        (codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"), "UTF-16"),
        (b"caf\xe9\n", "not UTF-8"),
        (b"", "is empty"),
    ],
    ids=["surrogate", "utf-16", "latin-1", "empty"],
)
def test_hostile_stdin(stdin: bytes, message: str) -> None:
    result = invoke("audit", "-", "--format", "json", stdin=stdin)
    assert result.exit_code == 2 and message in result.stderr and "<stdin>" in result.stderr
    assert "Traceback" not in result.output
    run = strict_json(result.stdout)
    assert [d["id"] for d in run["documents"] if not d["error"]] == (
        ["ok"] if message == "surrogate" else []
    )


@pytest.mark.parametrize(
    "value", ["NaN", "Infinity", "-Infinity", "1e999"], ids=["nan", "inf", "-inf", "overflow"]
)
def test_non_finite_metadata_becomes_null_in_strict_json(tmp_path: Path, value: str) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(feed('{"id": "a", "target": "' + GOOD + '", "score": ' + value + "}"))
    result = invoke("audit", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    run = strict_json(result.stdout)
    assert run["documents"][0]["metadata"] == {"score": None}
    assert f"{path}:1" in result.stderr and "kept as null" in result.stderr
    quiet = invoke("-q", "audit", str(path), "--format", "json")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_duplicate_ids_are_warned_about(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(feed({"id": "a", "target": GOOD}, {"id": "a", "target": GOOD}))
    result = invoke("audit", str(path), "--format", "json")
    assert result.exit_code == 0 and f"{path}:2: document id 'a' is also used by" in result.stderr
    assert len(strict_json(result.stdout)["documents"]) == 2


def test_undecodable_file_name_still_gives_strict_utf8_json(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")  # a lone surrogate in the str (surrogateescape)
    path = tmp_path / name
    path.write_text(GOOD + "\n", encoding="utf-8")
    result = invoke("audit", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    [doc] = strict_json(result.stdout)["documents"]
    assert "\ufffd" in doc["origin"] and doc["sentences"]
    report, page = tmp_path / os.fsdecode(b"r\xe9.txt"), tmp_path / "r.html"
    result = invoke("audit", str(path), "-o", str(report), "--html", str(page))
    assert result.exit_code == 0, result.output
    assert "caf\ufffd" in report.read_text(encoding="utf-8")
    assert "caf\ufffd" in page.read_text(encoding="utf-8")


# ------------------------------------------------------------------ outputs never overwrite inputs


def _files(tmp_path: Path) -> dict[str, Path]:
    article = tmp_path / "article.en.txt"
    article.write_text(GOOD + "\n", encoding="utf-8")
    source = tmp_path / "article.ar.txt"
    source.write_text("قال الوزير إن المحادثات ستستأنف يوم الاثنين.\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(article)
    hard = tmp_path / "hard.txt"
    os.link(article, hard)
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.en.txt").write_text(GOOD + "\n", encoding="utf-8")
    return {"article": article, "source": source, "link": link, "hard": hard, "folder": folder}


OVERWRITES: list[tuple[str, Callable[[dict[str, Path]], list[str]], str]] = [
    ("-o is the input", lambda f: [str(f["article"]), "-o", str(f["article"])], "article"),
    ("--html is the input", lambda f: [str(f["article"]), "--html", str(f["article"])], "article"),
    (
        "-o is the --source file",
        lambda f: [str(f["article"]), "--source", str(f["source"]), "-o", str(f["source"])],
        "source",
    ),
    (
        "-o is a symlink to the input",
        lambda f: [str(f["article"]), "-o", str(f["link"])],
        "article",
    ),
    ("input is a symlink to -o", lambda f: [str(f["link"]), "-o", str(f["article"])], "article"),
    (
        "-o is a hard link to the input",
        lambda f: [str(f["article"]), "-o", str(f["hard"])],
        "article",
    ),
    (
        "-o spelt with ..",
        lambda f: [str(f["article"]), "-o", str(f["folder"] / ".." / "article.en.txt")],
        "article",
    ),
    (
        "-o an article inside the input folder",
        lambda f: [str(f["folder"]), "-o", str(f["folder"] / "report.txt")],
        "article",
    ),
    (
        "-o and --html the same file",
        lambda f: [
            str(f["article"]),
            "-o",
            str(f["folder"] / "r.out"),
            "--html",
            str(f["folder"] / "r.out"),
        ],
        "article",
    ),
]


@pytest.mark.parametrize(
    ("make_args", "kept"),
    [pytest.param(c[1], c[2], id=c[0]) for c in OVERWRITES],
)
@pytest.mark.parametrize("command", ["audit", "check"])
def test_outputs_never_overwrite_inputs(
    tmp_path: Path, command: str, make_args: Callable[[dict[str, Path]], list[str]], kept: str
) -> None:
    files = _files(tmp_path)
    before = files[kept].read_bytes()
    result = invoke(command, *make_args(files))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    assert "overwrite" in result.stderr or "same file" in result.stderr or "folder" in result.stderr
    assert files[kept].read_bytes() == before


def test_report_and_apply_refuse_to_overwrite_their_inputs(tmp_path: Path) -> None:
    run_file = tmp_path / "run.json"
    assert invoke("audit", str(EXAMPLE), "--format", "json", "-o", str(run_file)).exit_code == 0
    before = run_file.read_bytes()
    result = invoke("report", str(run_file), "--html", str(run_file))
    assert result.exit_code == 2 and "overwrite" in result.stderr
    corrections = tmp_path / "corrections.json"
    corrections.write_text("{}", encoding="utf-8")
    for target in (run_file, corrections):
        result = invoke("apply", str(corrections), "--run", str(run_file), "-o", str(target))
        assert result.exit_code == 2 and "overwrite" in result.stderr
    assert run_file.read_bytes() == before and corrections.read_text() == "{}"


# ----------------------------------------------------------------------- options before any work


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--max-flagged", "lots"],
        ["check", "--max-flagged", "-3"],
        ["check", "--max-flagged", "150%"],
        ["check", "--max-flagged", "1.5"],
        ["check", "--max-flagged-per-doc", "many"],
        ["audit", "--source-lang", "Arabic"],
        ["audit", "--target-lang", "e"],
        ["audit", "--signals", "telepathy"],
    ],
)
def test_bad_options_fail_before_any_input_is_read(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "never-read.txt"
    result = invoke(*args, str(missing))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "no such file" not in result.stderr and result.stdout == ""
    assert args[1] in result.stderr or args[2] in result.stderr


# ------------------------------------------------------------------------- configuration


CONFIGS = [
    ('[report]\nprogress_min_documents = "many"\n', "report.progress_min_documents"),
    ("[report]\nprogress_min_documents = 2.5\n", "report.progress_min_documents"),
    ("[report]\nprogress_min_documents = -1\n", "must not be negative"),
    ("[judge]\nflag = 1.5\n", "judge.flag"),
    ("[judge]\nflag = -0.1\n", "judge.flag"),
    ("[judge]\nminor = 0.6\nmajor = 0.5\n", "judge.minor"),
    ("[judge]\nflag = nan\n", "finite"),
    ("[align]\nratio = 0\n", "align.ratio"),
    ("[checks.length]\nmin_ratio = 3.0\n", "checks.length.min_ratio"),
    ("[checks.numbers]\nenabled = 1\n", "true or false"),
    ("[checks.numbers]\nseverity = 'apocalyptic'\n", "checks.numbers.severity"),
    ("[fidelity]\nnumbers_severity = 'huge'\n", "fidelity.numbers_severity"),
    ("[fidelity.forward]\nchrf_minor = 140\n", "fidelity.forward.chrf_minor"),
    ("[fidelity]\nparts = ['forward', 'sideways']\n", "fidelity.parts"),
    ("[checks.repetition]\nallowed_doubles = ['had', 3]\n", "checks.repetition.allowed_doubles"),
    ("[checks.lenght]\nmin_ratio = 0.5\n", "checks.lenght"),
    ("[checks.length]\nmin_ratoi = 0.5\n", "did you mean min_ratio"),
    ("[reprot]\nx = 1\n", "reprot"),
    ("judge = 3\n", "must be a table"),
    ('[languages]\nsource = "Arabic"\n', "languages.source"),
    ('[languages]\ntarget = "EN"\n', "languages.target"),
    ('[gate]\nmax_flagged = "lots"\n', "gate.max_flagged"),
    ('[gate]\nmax_flagged = "150%"\n', "at most 100%"),
    ('[translation]\nengine = "warp"\n', "translation.engine"),
    ("[translation]\nbatch_size = 0\n", "translation.batch_size"),
    ('[translation.engines]\nar-en = "nope"\n', "no [models.nope] table"),
    ('[translation.engines]\narabic = "opus-mt-ar-en"\n', "translation.engines.arabic"),
    ('[models.mine]\nhub_id = "x/y"\nrevision = "main"\nkind = "rnn"\n', "models.mine.kind"),
    ('[models.mine]\nhub_id = "x/y"\nrevison = "main"\n', "models.mine.revison"),
    ('[models.gpt2]\nlanguages = ["english"]\n', "models.gpt2.languages"),
    ('[checks.glossary]\nterms = { "الكاظمي" = 3 }\n', "checks.glossary.terms"),
    ("[fluency]\nsample_texts = { english = 'x.txt' }\n", "fluency.sample_texts.english"),
    ("[judge\nflag = 0.5\n", "not valid TOML"),
]


@pytest.mark.parametrize(("text", "message"), CONFIGS, ids=[c[1] for c in CONFIGS])
def test_bad_config_is_an_error_naming_key_and_file(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "my.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Config.load(path)
    assert str(path) in str(info.value) and message in str(info.value)
    for args in (["audit", str(EXAMPLE)], ["models", "list"], ["cache", "stats"]):
        result = invoke(*args, "--config", str(path))
        assert result.exit_code == 2 and message in result.stderr, (args, result.output)
        assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "text",
    [
        "[judge]\nflag = 0.4\nminor = 0.1\n",
        '[checks.glossary]\nterms = { "الكاظمي" = "Al-Kazemi" }\n',
        '[models.nllb]\nhub_id = "facebook/nllb"\nrevision = "main"\ndirection = "ar-en"\n'
        'kind = "nllb"\nsource_code = "arb_Arab"\ntarget_code = "eng_Latn"\n'
        '[translation.engines]\nar-en = "nllb"\n',
        "[fluency]\nsample_texts = { fr = 'fr.txt' }\n",
        "[report]\nprogress_min_documents = 0\n",
        "[align]\nratio = 2\n",  # an int where the default is a float
    ],
)
def test_good_config_loads(tmp_path: Path, text: str) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(text, encoding="utf-8")
    Config.load(path)


def test_shipped_defaults_validate() -> None:
    Config.load()


def test_a_new_default_key_is_known_and_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys added to the defaults file are picked up with no change to the validation."""
    defaults = tmp_path / "default.toml"
    shipped = Path(ROOT / "configs" / "default.toml").read_text(encoding="utf-8")
    defaults.write_text(shipped + "\n[checks.novel]\nenabled = true\nlimit = 3\n", "utf-8")
    monkeypatch.setattr("mtaudit.config.default_config_path", lambda: defaults)
    user = tmp_path / "user.toml"
    user.write_text("[checks.novel]\nlimit = 5\n", encoding="utf-8")
    assert Config.load(user).get("checks.novel.limit") == 5
    user.write_text("[checks.novel]\nlimit = 'five'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="checks.novel.limit"):
        Config.load(user)


# ---------------------------------------------------------------------------------- exit codes


@pytest.mark.parametrize(
    "args",
    [
        ["models", "pull", "no-such-model"],
        ["models", "verify", "no-such-model"],
        ["models", "convert", "no-such-model"],
        ["cache", "import", "--model", "no-such", "--direction", "ar-en", "{f}", "{f}"],
        ["cache", "clear", "--model", "no-such", "--yes"],
        ["report", "{f}", "--html", "{d}/r.html"],
        ["apply", "{f}", "--run", "{f}", "-o", "{d}/x.txt"],
        ["apply", "{d}/missing.json", "--run", "{d}/missing.json"],
        ["audit", "{d}/missing.txt"],
        ["audit", "--format", "yaml", "{f}"],
        ["audit", "{d}/feed.jsonl", "--source", "{f}"],
        ["nonsense"],
    ],
)
def test_every_command_exits_2_on_bad_usage(tmp_path: Path, args: list[str]) -> None:
    some = tmp_path / "some.txt"
    some.write_text("not json\n", encoding="utf-8")
    (tmp_path / "feed.jsonl").write_bytes(feed({"id": "a", "target": GOOD}))
    filled = [a.format(f=some, d=tmp_path) for a in args]
    result = invoke(*filled)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stderr.strip()


@pytest.mark.parametrize(
    ("flags", "traceback"), [([], False), (["-v"], True)], ids=["plain", "verbose"]
)
def test_internal_error_exits_3_with_one_line(
    monkeypatch: pytest.MonkeyPatch, flags: list[str], traceback: bool
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ZeroDivisionError("division by zero in a check")

    monkeypatch.setattr("mtaudit.cli.common.run_batches", broken)
    for command in ("audit", "check"):
        result = invoke(*flags, command, str(EXAMPLE))
        assert result.exit_code == 3
        assert "internal error: ZeroDivisionError: division by zero in a check" in result.stderr
        assert ("Traceback" in result.stderr) is traceback


def test_verbose_shows_info_and_quiet_hides_warnings(tmp_path: Path) -> None:
    plain = invoke("audit", str(EXAMPLE), "--no-signals")
    verbose = invoke("-v", "audit", str(EXAMPLE), "--no-signals")
    assert "INFO: read 1 document(s)" in verbose.stderr and "INFO" not in plain.stderr
    assert plain.stdout == verbose.stdout


def test_ctrl_c_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("mtaudit.cli.common.run_batches", interrupted)
    result = invoke("check", str(EXAMPLE))
    assert result.exit_code == 130 and "interrupted" in result.stderr


def test_sigterm_during_a_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(fd: int) -> None:
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(atomic.os, "fsync", killed)
    out = tmp_path / "run.json"
    result = invoke("audit", str(EXAMPLE), "--format", "json", "-o", str(out))
    assert result.exit_code == atomic.TERMINATED == 143
    assert list(tmp_path.iterdir()) == [], "temporary file left behind"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        atomic.write_text_atomic("new", out)
    assert info.value.code == 143 and out.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.json"]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_help_has_no_stray_markers() -> None:
    commands = [[], ["audit"], ["check"], ["report"], ["apply"], ["models"], ["cache"]]
    commands += [["models", c] for c in ("list", "pull", "verify", "convert")]
    commands += [["cache", c] for c in ("import", "stats", "clear")]
    for command in commands:
        result = invoke(*command, "--help")
        assert result.exit_code == 0
        assert "\\b" not in result.stdout and "\b" not in result.stdout, command
        assert "Example" in result.stdout, command


# ------------------------------------------------------------------------------ cache import


def test_cache_import_counts_new_replaced_unchanged(tmp_path: Path) -> None:
    src, out = tmp_path / "doc.ar", tmp_path / "doc.en"

    def load(sources: str, translations: str) -> Result:
        src.write_text(sources, encoding="utf-8")
        out.write_text(translations, encoding="utf-8")
        return invoke(
            "cache",
            "import",
            "--model",
            "opus-mt-ar-en",
            "--direction",
            "ar-en",
            str(src),
            str(out),
        )

    first = load("أ\nب\nأ\n", "A\nB\nA again\n")
    assert first.exit_code == 0, first.output
    assert "2 new, 0 replaced, 0 unchanged" in first.stdout
    assert "1 line(s) repeat an earlier source text, 1 with another translation" in first.stderr
    second = load("أ\nب\nج\n", "A again\nB2\nC\n")
    assert "1 new, 1 replaced, 1 unchanged" in second.stdout
    assert "3  in all" in invoke("cache", "stats").stdout
    empty = load("أ\nب\n", "A\n\n")
    assert empty.exit_code == 2 and f"{out}:2" in empty.stderr


def test_skip_message_counts_distinct_texts(tmp_path: Path) -> None:
    path = tmp_path / "a.en.txt"
    path.write_text("The talks resumed on Monday. The talks resumed on Monday.\n", "utf-8")
    result = invoke("audit", str(path), "--format", "json", "--signals", "fidelity")
    assert result.exit_code == 0, result.output
    reasons = [s["reason"] for s in strict_json(result.stdout)["signature"]["signals"]]
    assert any("1 of 1 " in r for r in reasons), reasons
