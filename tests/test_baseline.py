"""Baselines: only new problems count; matching survives edits; accepted findings stay quiet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtaudit.baseline import ACCEPTED, KNOWN, NEW, Baseline, normalise
from mtaudit.cli import main
from mtaudit.errors import InputError
from mtaudit.runfile import Run, RunDocument, RunFinding, RunSentence
from mtaudit.types import Severity
from tests.helpers.run_fixtures import document, run, sent

NUMBERS = [RunFinding("numbers", Severity.MAJOR, "number changed")]
REPEAT = [RunFinding("repetition", Severity.MAJOR, "repeated")]

BROKEN_A = sent("The minister said 14 stations.", severity="major", checks=NUMBERS)
BROKEN_B = sent("The council met met on Sunday.", severity="major", checks=REPEAT)
CLEAN_1 = sent("Residents welcomed the plan.")
CLEAN_2 = sent("Work starts next month.")


def _run(*sentences: RunSentence, doc_id: str = "doc") -> Run:
    return run([document(doc_id, [list(sentences)], has_source=False)])


BASE = Baseline().updated(_run(CLEAN_1, BROKEN_A, CLEAN_2, BROKEN_B))


def _new(current: Run, baseline: Baseline = BASE) -> list[str]:
    statuses = baseline.classify(current)
    doc = current.documents[0]
    return [doc.sentences[s].text for (_, s), st in sorted(statuses.items()) if st == NEW]


@pytest.mark.parametrize(
    ("case", "current", "new"),
    [
        ("unchanged", _run(CLEAN_1, BROKEN_A, CLEAN_2, BROKEN_B), []),
        ("clean sentence inserted", _run(CLEAN_2, CLEAN_1, CLEAN_1, BROKEN_A, BROKEN_B), []),
        ("broken sentence removed", _run(CLEAN_1, BROKEN_B), []),
        ("reordered", _run(BROKEN_B, CLEAN_2, BROKEN_A, CLEAN_1), []),
        (
            "new broken sentence inserted",
            _run(sent("Prices rose rose.", severity="major", checks=REPEAT), BROKEN_A, BROKEN_B),
            ["Prices rose rose."],
        ),
        (
            "whitespace differs only",
            _run(sent("The minister  said\n14 stations. ", severity="major", checks=NUMBERS)),
            [],
        ),
        (
            "same sentence, another check fires",
            _run(sent(BROKEN_A.text, severity="major", checks=NUMBERS + REPEAT)),
            [BROKEN_A.text],
        ),
        ("repeated twice, known once", _run(BROKEN_A, BROKEN_A), [BROKEN_A.text]),
        (
            "another document with the same sentence",
            _run(BROKEN_A, doc_id="other"),
            [BROKEN_A.text],
        ),
    ],
)
def test_matching(case: str, current: Run, new: list[str]) -> None:
    assert _new(current) == new, case


def test_a_corrected_sentence_that_breaks_again_is_new() -> None:
    fixed = _run(CLEAN_1, sent("The minister said 12 stations."), CLEAN_2, BROKEN_B)
    after_fix = BASE.updated(fixed)
    assert len(after_fix.entries) == 1  # the fixed problem left the baseline
    broken_again = _run(
        CLEAN_1, sent("The minister said 13 stations.", severity="major", checks=NUMBERS), BROKEN_B
    )
    assert _new(broken_again, after_fix) == ["The minister said 13 stations."]
    # even back to the very text it had before: the baseline no longer knows it
    assert _new(_run(BROKEN_A, BROKEN_B), after_fix) == [BROKEN_A.text]


def test_accepted_entries_stay_quiet_until_the_sentence_changes(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    BASE.write(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["problems"]:
        entry["accepted"] = entry["checks"] == ["numbers"]
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = Baseline.load(path)
    statuses = loaded.classify(_run(BROKEN_A, BROKEN_B))
    assert sorted(statuses.values()) == [ACCEPTED, KNOWN]
    # update keeps the mark while the sentence stays; a changed sentence loses it
    kept = loaded.updated(_run(BROKEN_A, BROKEN_B))
    assert [e.accepted for e in kept.entries] == [True, False]
    changed = sent("The minister said 15 stations.", severity="major", checks=NUMBERS)
    assert loaded.classify(_run(changed)) == {(0, 0): NEW}
    assert not any(e.accepted for e in loaded.updated(_run(changed)).entries)


def test_accepting_from_the_html_reports_corrections_export(tmp_path: Path) -> None:
    export = {
        "schema": "mtaudit.corrections/1",
        "corrections": [
            {
                "document": "doc",
                "sentence": 0,
                "original": BROKEN_A.text,
                "corrected": None,
                "decision": "fine",
                "verdict": {"severity": "major", "checks": ["numbers"], "reasons": ["x"]},
                "decided_at": "2026-11-01T10:00:00Z",
            },
            {
                "document": "doc",
                "sentence": 1,
                "original": BROKEN_B.text,
                "corrected": "The council met on Sunday.",
                "decision": "corrected",
                "verdict": {"severity": "major", "checks": ["repetition"]},
            },
        ],
    }
    path = tmp_path / "corrections.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    baseline = Baseline()
    assert baseline.accept_corrections(path) == 1  # only "fine" decisions are acceptances
    assert baseline.classify(_run(BROKEN_A, BROKEN_B)) == {(0, 0): ACCEPTED, (0, 1): NEW}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ('{"schema": "mtaudit.run/1"}', "not a baseline"),
        ('{"schema": "mtaudit.baseline/1"}', "no 'problems' list"),
        ('{"schema": "mtaudit.baseline/1", "problems": [{"document": 1}]}', "problems[0]"),
    ],
)
def test_bad_baseline_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("[", r"\[")):
        Baseline.load(path)


def test_normalise() -> None:
    assert normalise(" a\u00a0 b\n c ") == "a b c"
    assert normalise("cafe\u0301") == "caf\u00e9"


# -- the command line ---------------------------------------------------------------------------


def _write_feed(path: Path, targets: list[str]) -> Path:
    records = [{"id": "story", "target": " ".join(targets)}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--no-signals", "--no-state", *args])
    return result.exit_code, result.stderr


GOOD = "The weather was fine and the markets were calm all week long."
GOOD_2 = "The new library opens to the public on Saturday morning."
BAD_1 = "The minister spoke about &quot;reform&quot; at length yesterday."
BAD_2 = "Officials said said the talks would continue next week."


def test_cli_baseline_round_trip(tmp_path: Path) -> None:
    feed, base = tmp_path / "feed.jsonl", tmp_path / "ci" / "baseline.json"
    _write_feed(feed, [GOOD, BAD_1, BAD_2])
    code, err = _check(str(feed), "--baseline", str(base))
    assert code == 2 and "no such baseline file; create it with" in err
    code, err = _check(str(feed), "--baseline", str(base), "--update-baseline")
    assert code == 0 and "0 new, 2 known" in err and "written to" in err and base.is_file()
    assert not list(base.parent.glob(".baseline.json.*")), "temporary file left behind"
    code, err = _check(str(feed), "--baseline", str(base))
    assert code == 0 and "0 new, 2 known" in err
    # reordered, one removed, a clean one inserted: still nothing new
    _write_feed(feed, [BAD_2, GOOD_2, GOOD])
    assert _check(str(feed), "--baseline", str(base))[0] == 0
    # a new problem fails, and only it counts against the budget
    _write_feed(feed, [BAD_2, "Prices rose rose sharply in the capital on Monday.", BAD_1])
    code, err = _check(str(feed), "--baseline", str(base), "--max-flagged", "1")
    assert code == 0 and "1 new, 2 known" in err
    code, err = _check(str(feed), "--baseline", str(base))
    assert code == 1 and "run: 1 flagged of 3 sentences" in err


def test_cli_accept_from_the_html_export_then_keep_it_in_the_baseline(tmp_path: Path) -> None:
    feed, base = tmp_path / "feed.jsonl", tmp_path / "baseline.json"
    _write_feed(feed, [GOOD, BAD_1])
    export = tmp_path / "corrections.json"
    entry = {
        "document": "story",
        "original": BAD_1,
        "decision": "fine",
        "corrected": None,
        "verdict": {"severity": "major", "checks": ["encoding"]},
    }
    export.write_text(
        json.dumps({"schema": "mtaudit.corrections/1", "corrections": [entry]}), encoding="utf-8"
    )
    code, err = _check(str(feed))
    assert code == 1
    code, err = _check(str(feed), "--accept", str(export), "--github")
    assert code == 0 and "0 new, 0 known, 1 accepted" in err
    code, err = _check(
        str(feed), "--accept", str(export), "--baseline", str(base), "--update-baseline"
    )
    assert code == 0 and json.loads(base.read_text(encoding="utf-8"))["problems"][0]["accepted"]
    assert _check(str(feed), "--baseline", str(base))[0] == 0
    # the sentence changes: the acceptance no longer applies
    _write_feed(feed, [GOOD, BAD_1.replace("yesterday", "today")])
    assert _check(str(feed), "--baseline", str(base))[0] == 1


def test_update_keeps_the_entries_of_documents_that_could_not_be_read() -> None:
    current = _run(BROKEN_B, doc_id="other")
    current.documents.append(RunDocument("doc", error="not UTF-8"))
    kept = BASE.updated(current)
    assert sorted(e.key[0] for e in kept.entries) == ["doc", "doc", "other"]
