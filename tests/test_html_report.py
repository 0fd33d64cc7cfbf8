"""The HTML report without a browser: escaping, CSP, embedded data, atomic writes, the CLI."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mtaudit.cli import main
from mtaudit.errors import InputError
from mtaudit.reports import html as html_report
from mtaudit.reports.html import (
    json_for_script,
    render_html,
    storage_key,
    visible_controls,
    write_html,
)
from mtaudit.runfile import Run, RunDocument, documents_digest
from tests.helpers.run_fixtures import HOSTILE, arabic_run, hostile_run

SCRIPT_RE = re.compile(r"<script([^>]*)>(.*?)</script>", re.S | re.I)
STYLE_RE = re.compile(r"<style>(.*?)</style>", re.S)


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def embedded(page: str) -> dict[str, Any]:
    data = [body for attrs, body in SCRIPT_RE.findall(page) if "application/json" in attrs]
    assert len(data) == 1
    result: dict[str, Any] = json.loads(data[0])
    return result


def markup_outside_data(page: str) -> str:
    """The page with the JSON data block's content removed."""
    return re.sub(
        r'(<script type="application/json"[^>]*>).*?(</script>)', r"\1\2", page, flags=re.S
    )


@pytest.mark.parametrize(
    "text",
    [
        "</script><script>alert(1)</script>",
        "<!-- <script>",
        "a & b > c < d",
        "line\u2028separator\u2029paragraph",
        "RTL \u202e override",
        'quotes " and \\ backslash',
        "\U0001f600 astral",
    ],
)
def test_json_for_script_round_trips_and_cannot_break_out(text: str) -> None:
    out = json_for_script({"t": text})
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in out
    assert json.loads(out) == {"t": text}


def test_json_for_script_replaces_non_finite_numbers_and_lone_surrogates() -> None:
    out = json.loads(json_for_script({"nan": math.nan, "inf": [math.inf], "s": "a\udcffb"}))
    assert out == {"nan": None, "inf": [None], "s": "a\ufffdb"}


def test_page_is_self_contained_with_a_csp_pinning_its_inline_code() -> None:
    page = render_html(arabic_run())
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp is not None
    policy = csp.group(1).replace("&#x27;", "'")
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    scripts = [body for attrs, body in SCRIPT_RE.findall(page) if "application/json" not in attrs]
    styles = STYLE_RE.findall(page)
    assert len(scripts) == 1 and len(styles) == 1
    assert f"script-src {sha256_source(scripts[0])};" in policy
    assert f"style-src {sha256_source(styles[0])};" in policy
    outside = markup_outside_data(page)
    for needle in ("<link", "<img", "<iframe", "src=", "href=", "@import", "url("):
        assert needle not in outside


def test_embedded_run_is_the_input_run() -> None:
    run = arabic_run()
    data = embedded(render_html(run))
    assert data["run"] == run.to_dict()
    assert Run.from_dict(data["run"]) == run
    assert data["report"]["storage_key"] == storage_key(run)
    assert data["report"]["documents_digest"] == documents_digest(run)


def test_hostile_text_never_appears_as_markup() -> None:
    run = hostile_run()
    page = render_html(run)
    assert len(re.findall(r"<script", page, re.I)) == 2
    assert len(re.findall(r"</script", page, re.I)) == 2
    for text in HOSTILE.values():
        if "<" in text:
            assert text not in page
    without_title = re.sub(r"<title>.*?</title>", "", markup_outside_data(page), flags=re.S)
    assert "window.__pwned" not in without_title
    assert "\u202e" not in page.split('<script type="application/json"')[0]
    single = Run.of(run.signature, run.documents[:1])
    title = re.search(r"<title>(.*?)</title>", render_html(single), re.S)
    assert title is not None
    assert "&lt;img" in title.group(1) and "\u27e8U+202E\u27e9" in title.group(1)
    assert embedded(page)["run"] == run.to_dict()


def test_visible_controls() -> None:
    expected = "a\u27e8U+202E\u27e9b\u27e8U+2066\u27e9c\u27e8U+0007\u27e9"
    assert visible_controls("a\u202eb\u2066c\x07") == expected
    assert visible_controls("عربي plain") == "عربي plain"


def test_storage_key_depends_on_signature_and_documents() -> None:
    run = arabic_run()
    key = storage_key(run)
    assert key.startswith("mtaudit.progress:" + run.signature["text"] + ":")
    other = arabic_run()
    other.documents[0].target = (other.documents[0].target or "") + " More."
    assert storage_key(other) != key
    resigned = arabic_run()
    resigned.signature["text"] = "mtaudit:0.1.0|config:000000000000"
    assert storage_key(resigned) != key
    assert documents_digest(resigned) == documents_digest(run)


def test_empty_run_renders() -> None:
    page = render_html(Run())
    assert embedded(page)["run"]["documents"] == []


def test_write_html_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.html"
    write_html(arabic_run(), target)
    first = target.read_text(encoding="utf-8")
    assert first.startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]

    unwritable = Run.of({}, [RunDocument("x", metadata={"odd": {1, 2}})])  # a set: not JSON
    with pytest.raises(TypeError):
        write_html(unwritable, target)
    assert target.read_text(encoding="utf-8") == first

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(html_report.os, "replace", broken_replace)
    with pytest.raises(InputError, match="No space left"):
        write_html(hostile_run(), target)
    assert target.read_text(encoding="utf-8") == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_html_creates_the_folder(tmp_path: Path) -> None:
    assert write_html(arabic_run(), tmp_path / "new" / "report.html").is_file()


def test_write_html_under_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="cannot write"):
        write_html(arabic_run(), tmp_path / "plain" / "report.html")


def test_written_file_respects_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = write_html(arabic_run(), tmp_path / "r.html")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_cli_report_from_saved_run(tmp_path: Path) -> None:
    run_file = tmp_path / "run.json"
    run_file.write_text(json.dumps(arabic_run().to_dict(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(run_file), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert embedded(out.read_text(encoding="utf-8"))["run"] == arabic_run().to_dict()
    assert "2 articles, 11 sentences" in result.output


def test_cli_report_reads_stdin(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        main, ["report", "-", "--html", str(out)], input=json.dumps(hostile_run().to_dict())
    )
    assert result.exit_code == 0, result.output
    assert out.is_file()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"schema": "mtaudit.corrections/1", "corrections": []}', "unsupported run schema"),
    ],
)
def test_cli_report_errors_are_messages_not_tracebacks(
    tmp_path: Path, content: str, message: str
) -> None:
    run_file = tmp_path / "run.json"
    run_file.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(run_file), "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "Error: [E100]" in result.output and message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()


def test_cli_report_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path / "none.json"), "--html", "x.html"])
    assert result.exit_code == 2 and "no such file" in result.output
