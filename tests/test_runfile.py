"""The typed run: to_dict/from_dict round trips on real audits, shapes refused with the place
named, and the registry of report formats."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mtaudit import reports
from mtaudit.cli import main
from mtaudit.config import Config
from mtaudit.errors import InputError, UsageError
from mtaudit.io import read_inputs
from mtaudit.pipeline import audit
from mtaudit.reports import CI_FORMATS, FORMATS, Options, ReportFormat, get_format
from mtaudit.reports.json_report import dumps, run_to_dict
from mtaudit.runfile import SCHEMA, Run, RunDocument, documents_digest, load_run
from mtaudit.types import Document
from tests.helpers.run_fixtures import FINDING_IDS, arabic_run, hostile_run, large_run

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def _audited(*paths: Path, source: Path | None = None, config: Config | None = None) -> Run:
    items = read_inputs([str(p) for p in paths], source=str(source) if source else None)
    return Run.from_result(audit(items, config or Config.load(), signals=[]))


REAL_RUNS = {
    "article with its source": lambda: _audited(
        ROOT / "examples" / "article.en.txt", source=ROOT / "examples" / "article.ar.txt"
    ),
    "XLIFF units with metadata": lambda: _audited(DATA / "news-ar-en.xlf"),
    "web page with blocks and elements": lambda: _audited(
        DATA / "baghdad-water.en.html", source=DATA / "baghdad-water.ar.html"
    ),
    "TMX memory": lambda: _audited(DATA / "memory-ar-en.tmx"),
    "suppressed findings and an unreadable input": lambda: Run.from_result(
        audit(
            [
                Document("d", "It will include 14 new stations.", "وستشمل 12 محطة جديدة."),
                InputError("not UTF-8", "feed.jsonl", 3),
            ],
            Config.load().with_overrides({"suppress": [{"check": "numbers", "pattern": "^14$"}]}),
            signals=[],
        )
    ),
}


@pytest.mark.parametrize("name", list(REAL_RUNS))
def test_round_trip_of_a_real_audit_equals_its_json(name: str) -> None:
    run = REAL_RUNS[name]()
    written = json.loads(dumps(run.to_dict()))
    back = Run.from_dict(written, origin="run.json")
    assert back.to_dict() == written
    assert json.loads(dumps(back.to_dict())) == written
    assert documents_digest(back) == documents_digest(run)
    assert back.summary == run.summary


def test_suppressed_and_error_counts_survive_the_round_trip() -> None:
    run = REAL_RUNS["suppressed findings and an unreadable input"]()
    data = json.loads(dumps(run.to_dict()))
    assert data["summary"]["suppressed_by_check"] == {"numbers": 1}
    assert data["summary"]["errors"] == 1
    back = Run.from_dict(data)
    assert back.summary.suppressed == 1 and back.documents[1].error is not None


def test_run_to_dict_is_the_typed_runs_json() -> None:
    items = read_inputs([str(DATA / "news-ar-en.xlf")])
    result = audit(items, Config.load(), signals=[])
    assert run_to_dict(result) == Run.from_result(result).to_dict()
    assert run_to_dict(result)["schema"] == SCHEMA


@pytest.mark.parametrize("pretty", [False, True])
def test_dumps_writes_strict_utf8_json(pretty: bool) -> None:
    data = {"id": "a\ud800b", "metadata": {"k\udfff": ["x", float("nan")]}, "risk": 0.5}
    text = dumps(data, pretty=pretty)
    text.encode("utf-8")  # no lone surrogate left: it would not encode
    assert json.loads(text) == {"id": "a\ufffdb", "metadata": {"k\ufffd": ["x", None]}, "risk": 0.5}
    plain = {"id": "نص عربي", "n": [1, 2.5]}
    assert json.loads(dumps(plain, pretty=pretty)) == plain
    assert "نص عربي" in dumps(plain, pretty=pretty)  # kept readable, not escaped


def test_a_saved_run_loads_back_equal(tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    result = CliRunner().invoke(
        main,
        [
            "audit",
            str(ROOT / "examples" / "article.en.txt"),
            "--source",
            str(ROOT / "examples" / "article.ar.txt"),
            "--format",
            "json",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert load_run(out).to_dict() == json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("build", [arabic_run, hostile_run, lambda: large_run(300, 4)])
def test_fixture_runs_round_trip_and_use_real_finding_ids(build: Any) -> None:
    run = build()
    assert Run.from_dict(json.loads(dumps(run.to_dict()))) == run
    used = {f.id for d in run.documents for s in d.sentences for f in s.checks}
    assert used and used <= FINDING_IDS


def test_fields_missing_from_older_runs_get_their_defaults() -> None:
    run = Run.from_dict(
        {
            "schema": SCHEMA,
            "documents": [
                {"id": "a", "sentences": [{"index": 0, "text": "x", "start": 0, "end": 1}]}
            ],
        }
    )
    [doc] = run.documents
    assert doc.sentences[0].severity.label == "none" and doc.sentences[0].checks == []
    assert doc.summary.sentences == 1 and run.summary.documents == 1
    assert run.signature == {} and run.signals == []


def _valid() -> dict[str, Any]:
    return copy.deepcopy(arabic_run().to_dict())


def _set(path: str, value: Any) -> Any:
    """A change to a valid run: set (or, with ``...``, delete) the field at a dotted path."""

    def change(data: dict[str, Any]) -> Any:
        *parents, last = path.split(".")
        target: Any = data
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is ...:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
        return data

    return change


DOC = "document 'alsumaria-2021-08-02'"
S0 = f"{DOC}: sentences[0]"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: [], "not a mtaudit run: expected a JSON object"),
        (_set("schema", "mtaudit.run/2"), "unsupported run schema 'mtaudit.run/2'; this version"),
        (_set("documents", ...), "the run has no 'documents' list"),
        (_set("documents", {}), "the run has no 'documents' list"),
        (_set("documents.0", "x"), "documents[0] has no string 'id'"),
        (_set("documents.1.id", 7), "documents[1] has no string 'id'"),
        (_set("documents.0.target", 5), f"{DOC}: 'target' is not a string"),
        (_set("documents.0.metadata", []), f"{DOC}: 'metadata' is not an object"),
        (_set("documents.0.error", False), f"{DOC}: 'error' is not a string"),
        (_set("documents.0.sentences", {}), f"{DOC}: 'sentences' is not a list"),
        (_set("documents.0.sentences.0", 3), f"{S0} is not an object"),
        (_set("documents.0.sentences.0.index", ...), f"{S0} has no integer 'index'"),
        (_set("documents.0.sentences.0.start", "3"), f"{S0} has no integer 'start'"),
        (_set("documents.0.sentences.0.end", True), f"{S0} has no integer 'end'"),
        (_set("documents.0.sentences.0.text", None), f"{S0} has no string 'text'"),
        (
            _set("documents.0.sentences.0.severity", "grave"),
            f"{S0}: 'severity' is 'grave'; expected one of none, minor, major, critical",
        ),
        (_set("documents.0.sentences.0.risk", "high"), f"{S0}: 'risk' is not a number"),
        (_set("documents.0.sentences.0.flagged", "yes"), f"{S0}: 'flagged' is not true or false"),
        (_set("documents.0.sentences.0.reasons", "x"), f"{S0}: 'reasons' is not a list"),
        (_set("documents.0.sentences.0.reasons", [1]), f"{S0}: 'reasons' is not a list of strings"),
        (
            _set("documents.0.sentences.0.spans", [[1]]),
            f"{S0}: 'spans' is not a [start, end] pair of integers",
        ),
        (_set("documents.0.sentences.0.source_indices", ["0"]), "is not a list of integers"),
        (_set("documents.0.sentences.0.signals", {"a": "x"}), "'signals' is not an object of nu"),
        (_set("documents.0.sentences.0.texts", {"a": 1}), "'texts' is not an object of strings"),
        (_set("documents.0.sentences.1.checks.0.id", ...), "sentences[1].checks[0] has no string"),
        (
            _set("documents.0.sentences.1.checks.0.span", "2023"),
            f"{DOC}: sentences[1].checks[0]: 'span' is not a [start, end] pair",
        ),
        (_set("documents.0.sentences.1.checks.0", []), "sentences[1].checks[0] is not an object"),
        (_set("documents.1.blocks.0.start", ...), "'shafaq-excerpt': blocks[0] has no integer"),
        (_set("documents.0.unaligned_source.0", "x"), f"{DOC}: unaligned_source[0] is not an"),
        (_set("documents.0.summary", "x"), f"{DOC}: 'summary' is not an object"),
        (
            _set("documents.0.summary.by_severity", {"none": "1"}),
            f"{DOC}: summary: 'by_severity' is not an object of counts",
        ),
        (_set("summary", []), "the run's 'summary' is not an object"),
        (_set("summary.errors", 0.5), "the run's summary: 'errors' is not an integer"),
        (_set("signature", "x"), "the run's 'signature' is not an object"),
        (_set("signature.text", 1), "the run's signature: 'text' is not a string"),
        (
            _set("signature.signals.0.ran", "no"),
            "the run's signature: signals[0] has no true or false 'ran'",
        ),
    ],
)
def test_from_dict_names_the_file_and_what_is_wrong(change: Any, message: str) -> None:
    with pytest.raises(InputError) as info:
        Run.from_dict(change(_valid()), origin="saved/run.json")
    assert message in str(info.value)
    assert info.value.path == "saved/run.json" and "saved/run.json: " in str(info.value)


def test_a_bad_stored_document_names_its_position() -> None:
    with pytest.raises(InputError, match=r"documents\[4\] has no string 'id'"):
        RunDocument.from_dict({"sentences": []}, position=4)


def test_report_command_refuses_a_bad_run_with_its_place(tmp_path: Path) -> None:
    data = _valid()
    data["documents"][0]["sentences"][2]["start"] = "twelve"
    run_file = tmp_path / "run.json"
    run_file.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(run_file), "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert f"{run_file}: {DOC}: sentences[2] has no integer 'start'" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "r.html").exists()


# -- the registry of report formats ----------------------------------------------------------


def test_registry_lists_the_formats() -> None:
    assert list(FORMATS) == ["text", "json", "jsonl", "html"]
    assert list(CI_FORMATS) == ["junit", "github"]
    for name in FORMATS:
        fmt = get_format(name)
        assert fmt.name == name and fmt.help
        assert fmt.render is not None or fmt.stream is not None


@pytest.mark.parametrize(
    ("name", "pretty", "streams"),
    [("text", False, False), ("json", False, True), ("json", True, False), ("jsonl", False, True)],
)
def test_which_formats_stream(name: str, pretty: bool, streams: bool) -> None:
    assert get_format(name).streams(Options(pretty=pretty)) is streams


def test_an_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown report format 'yaml'"):
        get_format("yaml")
    result = CliRunner().invoke(
        main, ["audit", str(ROOT / "examples" / "article.en.txt"), "--format", "yaml"]
    )
    assert result.exit_code == 2
    assert "unknown report format 'yaml' (known: text, json, jsonl, html)" in result.output


def test_html_is_a_format_by_name(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    result = CliRunner().invoke(
        main,
        ["audit", str(ROOT / "examples" / "article.en.txt"), "--format", "html", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_registered_format_is_chosen_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    def ids(run: Run, options: Options) -> str:
        return "".join(f"{d.id}\t{d.summary.flagged}\n" for d in run.documents)

    monkeypatch.setitem(reports.FORMATS, "ids", ReportFormat("ids", "document ids", render=ids))
    result = CliRunner().invoke(
        main, ["audit", str(ROOT / "examples" / "article.en.txt"), "--format", "ids"]
    )
    assert result.exit_code == 0, result.output
    expected = _audited(ROOT / "examples" / "article.en.txt").documents[0].summary.flagged
    assert result.stdout == f"article\t{expected}\n"


@pytest.mark.parametrize("fmt", ["json", "jsonl", "html"])
def test_annotations_never_mix_into_a_report_on_stdout(tmp_path: Path, fmt: str) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "one", "target": "The council said &quot;no&quot; and and left."}) + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["check", str(feed), "--no-signals", "--no-state", "--github", "--format", fmt]
    )
    assert result.exit_code == 1, result.output
    assert "::" not in result.stdout and "::error" in result.stderr
