"""Severity budgets per run and per document: every edge, from the rules to the exit status."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtaudit.cli import main
from mtaudit.errors import UsageError
from mtaudit.gate import Budget, GateSettings, build_rules, evaluate_rules
from mtaudit.runfile import RunDocument
from tests.helpers.run_fixtures import document, run, sent


def settings(table: dict[str, str]) -> GateSettings:
    """``[gate]`` with no budget except those in ``table``."""
    return GateSettings(**({f.name: "" for f in fields(GateSettings)} | table))


def _doc(doc_id: str, severities: list[str]) -> RunDocument:
    sentences = [sent(f"Sentence {i} of {doc_id}.", severity=s) for i, s in enumerate(severities)]
    return document(doc_id, [sentences], has_source=False)


# ten sentences: 1 critical, 2 major, 1 minor (flagged = any severity in the fixtures), 6 clean
TEN = run(
    [
        _doc("a", ["critical", "major", "none", "none", "none"]),
        _doc("b", ["major", "minor", "none", "none", "none"]),
    ]
)


@pytest.mark.parametrize(
    ("options", "passed", "message"),
    [
        ({}, False, "run: 4 flagged of 10 sentences, [gate] max_flagged = '0' allows 0 (4 over)"),
        ({"--max-flagged": "4"}, True, ""),  # exactly at the budget
        ({"--max-flagged": "3"}, False, "allows 3 (1 over)"),
        ({"--max-flagged": "40%"}, True, ""),  # 40% of 10 = 4: at the budget
        ({"--max-flagged": "39%"}, False, "allows 3 (1 over)"),
        ({"--max-flagged": "100%"}, True, ""),
        ({"--max-flagged": "0%"}, False, "allows 0 (4 over)"),
        ({"--max-flagged": "100%", "--max-critical": "1"}, True, ""),
        ({"--max-flagged": "100%", "--max-critical": "0"}, False, "run: 1 critical of 10"),
        ({"--max-flagged": "100%", "--max-major": "3"}, True, ""),  # 1 critical + 2 major
        ({"--max-flagged": "100%", "--max-major": "2"}, False, "3 major-or-worse"),
        ({"--max-flagged": "100%", "--max-minor": "4"}, True, ""),
        (
            {"--max-flagged": "100%", "--max-major-per-doc": "1"},
            False,
            "a: 2 major-or-worse of 5 sentences, --max-major-per-doc 1 allows 1 (1 over)",
        ),
        ({"--max-flagged": "100%", "--max-major-per-doc": "40%"}, True, ""),  # 2 of 5
        ({"--max-flagged": "100%", "--max-flagged-per-doc": "20%"}, False, "b: 2 flagged"),
        ({"--max-flagged": "100%", "--max-flagged-per-doc": "100%"}, True, ""),
        ({"--max-flagged": ""}, True, ""),  # an empty value switches the config's rule off
    ],
)
def test_budget_edges(options: dict[str, str], passed: bool, message: str) -> None:
    rules = build_rules(settings({"max_flagged": "0"}), options)
    result = evaluate_rules(TEN, rules)
    assert result.passed is passed
    assert message in "\n".join(result.failures)
    assert (not passed) == bool(result.failures)


@pytest.mark.parametrize(
    ("fail_on", "passed"), [("critical", False), ("major", False), ("minor", False)]
)
def test_fail_on_any_sentence_of_a_severity(fail_on: str, passed: bool) -> None:
    rules = build_rules(settings({}), {}, fail_on)
    result = evaluate_rules(TEN, rules)
    assert result.passed is passed and f"--fail-on {fail_on}" in result.failures[0]


def test_fail_on_passes_on_a_clean_run() -> None:
    clean = run([_doc("c", ["none", "minor"])])
    assert evaluate_rules(clean, build_rules(settings({}), {}, "major")).passed
    assert not evaluate_rules(clean, build_rules(settings({}), {}, "minor")).passed


def test_config_sets_budgets_and_options_override() -> None:
    gate = {"max_flagged": "100%", "max_critical_per_doc": "0", "fail_on": ""}
    result = evaluate_rules(TEN, build_rules(settings(gate), {}))
    assert result.failures == [
        "a: 1 critical of 5 sentences, [gate] max_critical_per_doc = '0' allows 0 (1 over)"
    ]
    assert evaluate_rules(TEN, build_rules(settings(gate), {"--max-critical-per-doc": "1"})).passed


def test_ignored_sentences_do_not_count_but_percentages_use_all_sentences() -> None:
    rules = build_rules(settings({}), {"--max-flagged": "10%"})  # 1 of 10
    assert not evaluate_rules(TEN, rules).passed
    assert evaluate_rules(TEN, rules, ignored=[(0, 0), (0, 1), (1, 0)]).passed


def test_failed_documents_are_those_carrying_counted_problems() -> None:
    result = evaluate_rules(TEN, build_rules(settings({}), {"--max-critical": "0"}))
    assert result.failed_documents == {0}


@pytest.mark.parametrize(
    ("gate", "options", "fail_on", "message"),
    [
        ({}, {"--max-major": "lots"}, None, "--max-major lots"),
        ({}, {"--max-major": "101%"}, None, "cannot exceed 100%"),
        ({}, {"--max-minor-per-doc": "1.5"}, None, "whole number"),
        ({"max_critical": "x"}, {}, None, "[gate] max_critical"),
        ({"fail_on": "apocalyptic"}, {}, None, "fail-on"),
    ],
)
def test_bad_budgets_are_usage_errors(
    gate: dict[str, str], options: dict[str, str], fail_on: str | None, message: str
) -> None:
    with pytest.raises(UsageError, match=message.replace("[", r"\[").replace("%", "%")):
        build_rules(settings(gate), options, fail_on)


def test_budget_allows() -> None:
    assert [Budget.parse(b).allows(0, 7) for b in ("0%", "50%", "100%", "3")] == [0, 3, 7, 3]


# -- the command line ---------------------------------------------------------------------------

FEED = [
    # critical: three major findings (encoding, repetition, script) on one sentence
    {"id": "one", "target": "The council said &quot;no&quot; and and left الدورة hall today."},
    # major: one encoding finding
    {"id": "two", "target": "The minister spoke at length about &quot;reform&quot; yesterday."},
    {"id": "three", "target": "The weather was fine and the markets were calm all week long."},
]


def _feed(tmp_path: Path, records: list[dict[str, str]] = FEED) -> Path:
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", "--no-signals", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_feed_has_one_critical_and_one_major(tmp_path: Path) -> None:
    code, out, _ = _check(str(_feed(tmp_path)), "--format", "json", "--max-flagged", "100%")
    data = json.loads(out)
    assert code == 0
    assert [d["summary"]["by_severity"] for d in data["documents"]] == [
        {"none": 0, "minor": 0, "major": 0, "critical": 1},
        {"none": 0, "minor": 0, "major": 1, "critical": 0},
        {"none": 1, "minor": 0, "major": 0, "critical": 0},
    ]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--max-flagged", "2"], 0, ""),
        (["--max-flagged", "1"], 1, "run: 2 flagged of 3 sentences, --max-flagged 1 allows 1"),
        (["--max-flagged", "0%"], 1, "allows 0 (2 over)"),
        (["--max-flagged", "100%"], 0, ""),
        (["--max-flagged", "100%", "--fail-on", "critical"], 1, "1 critical of 3 sentences"),
        (["--max-flagged", "100%", "--max-critical", "1"], 0, ""),
        (["--max-flagged", "100%", "--max-major", "1"], 1, "2 major-or-worse"),
        (["--max-flagged", "100%", "--max-major-per-doc", "1"], 0, ""),
        (["--max-flagged", "100%", "--max-major-per-doc", "0"], 1, "one: 1 major-or-worse"),
        (["--max-major", "often"], 2, "--max-major often"),
        (["--update-baseline"], 2, "--update-baseline needs --baseline"),
        (["--fail-on", "sometimes"], 2, "sometimes"),
    ],
)
def test_check_exit_status(tmp_path: Path, args: list[str], code: int, message: str) -> None:
    got, _, err = _check(str(_feed(tmp_path)), *args)
    assert got == code, err
    assert message in err and "Traceback" not in err


def test_an_unreadable_record_exits_2_even_within_budget(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"target": "Fine text here."}\n{broken\n', encoding="utf-8")
    code, _, err = _check(str(path), "--max-flagged", "100%")
    assert code == 2 and f"{path}:2" in err
