"""The command line through click's runner: outputs, exit codes, clear errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtaudit.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "article.en.txt"
EXAMPLE_SOURCE = ROOT / "examples" / "article.ar.txt"


def run(*args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", [[], ["audit"], ["check"]])
def test_help_explains_with_an_example(command: list[str]) -> None:
    code, out, _ = run(*command, "--help")
    assert code == 0 and "Example" in out


def test_audit_text_report_marks_spans() -> None:
    code, out, _ = run("audit", str(EXAMPLE), "--source", str(EXAMPLE_SOURCE))
    assert code == 0
    assert "⟦controlled or controlled⟧" in out and "⟦to To⟧" in out
    assert "Total: 1 document(s), 9 sentences, 5 flagged" in out


def test_audit_json_to_file(tmp_path: Path) -> None:
    out_file = tmp_path / "sub" / "run.json"
    code, out, _ = run("audit", str(EXAMPLE), "--format", "json", "-o", str(out_file))
    assert code == 0 and out == ""
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert data["schema"] == "mtaudit.run/1"
    assert not list(out_file.parent.glob(".run.json.*")), "temporary file left behind"


def test_folder_input_pairs_source() -> None:
    code, out, _ = run("audit", str(EXAMPLE.parent), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["documents"][0]["source"].startswith("مجلس")


def test_stdin_feed_with_hostile_html() -> None:
    feed = json.dumps({"id": "x", "target": "<script>alert(1)</script> Hello there."}) + "\n"
    code, out, _ = run("audit", "-", "--format", "json", stdin=feed)
    data = json.loads(out)
    assert code == 0
    checks = [c["id"] for s in data["documents"][0]["sentences"] for c in s["checks"]]
    assert "encoding" in checks


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"caf\xe9\n", "not UTF-8"), (b"", "is empty"), (b"\x00\x01binary", "binary")],
)
def test_bad_input_exits_2_without_traceback(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    for command in ("audit", "check"):
        code, _, err = run(command, str(path))
        assert code == 2 and message in err and "Traceback" not in err


def test_bad_record_does_not_stop_the_feed(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"target": "Fine text."}\n{broken\n{"target": "Also fine."}\n', encoding="utf-8"
    )
    code, out, err = run("audit", str(path), "--format", "json")
    data = json.loads(out)
    assert code == 2 and f"{path}:2" in err
    assert [d["error"] is None for d in data["documents"]] == [True, False, True]


@pytest.mark.parametrize(
    ("budget", "expected"), [("5", 0), ("4", 1), ("60%", 0), ("50%", 1), ("0", 1)]
)
def test_check_exit_codes(budget: str, expected: int) -> None:
    code, _, err = run(
        "check", str(EXAMPLE), "--source", str(EXAMPLE_SOURCE), "--max-flagged", budget
    )
    assert code == expected, err
    if expected:
        assert "over budget" in err


def test_check_per_document_budget() -> None:
    code, _, err = run("check", str(EXAMPLE), "--max-flagged", "100%", "--max-flagged-per-doc", "1")
    assert code == 1 and "article:" in err


@pytest.mark.parametrize(
    "args",
    [
        ["check", str(EXAMPLE), "--max-flagged", "lots"],
        ["audit", str(EXAMPLE), "--config", "/nonexistent/config.toml"],
        ["audit", str(EXAMPLE), str(EXAMPLE), "--source", str(EXAMPLE_SOURCE)],
        ["audit", str(EXAMPLE), "--signals", "telepathy"],
        ["audit"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, _, err = run(*args)
    assert code == 2 and "Traceback" not in err and err.strip()


def test_config_override_changes_the_verdict(tmp_path: Path) -> None:
    config = tmp_path / "strict.toml"
    config.write_text("[judge]\nflag_at = 0.05\n", encoding="utf-8")
    code, out, _ = run("audit", str(EXAMPLE), "--config", str(config), "--format", "json")
    loose = json.loads(run("audit", str(EXAMPLE), "--format", "json")[1])
    assert json.loads(out)["summary"]["flagged"] > loose["summary"]["flagged"]


def test_bad_config_value(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[checks.numbers]\nseverity = 'apocalyptic'\n", encoding="utf-8")
    code, _, err = run("audit", str(EXAMPLE), "--config", str(config))
    assert code == 2 and "severity" in err


def test_audit_writes_the_html_report(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    code, _, _ = run("audit", str(EXAMPLE), "--source", str(EXAMPLE_SOURCE), "--html", str(page))
    html = page.read_text(encoding="utf-8")
    assert code == 0 and "Content-Security-Policy" in html
    assert "controlled or controlled" in html and "<script>alert" not in html


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from mtaudit.cli import common

    monkeypatch.setattr(common.sys, "stderr", io.StringIO())  # a pipe, a CI log
    with common.progress_bar("Auditing") as bar:
        bar.update(5)
        bar.set_description_str("Auditing (aligning)")
    assert common.sys.stderr.getvalue() == ""

    terminal = _Terminal()
    monkeypatch.setattr(common.sys, "stderr", terminal)
    with common.progress_bar("Auditing") as bar:
        bar.update(5)
        bar.set_description_str("Auditing (aligning)")
    assert "Auditing (aligning)" in terminal.getvalue() and "5 sentences" in terminal.getvalue()
    from tqdm import tqdm

    assert tqdm.monitor_interval == 0  # no monitor thread, so --jobs may still fork
