"""JUnit XML parsed back, and GitHub annotations with lines, columns and escaping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from mtaudit.cli import main
from mtaudit.reports.github import command, escape_data, escape_property
from mtaudit.reports.locate import Locator
from mtaudit.runfile import RunDocument

ARTICLE = (
    "Water projects\n"
    "\n"
    "The council approved twelve projects on Sunday. Officials said said the work\n"
    "would start soon.\n"
    "\n"
    "The minister spoke about &quot;reform&quot; at length yesterday.\n"
)
FEED = [
    {"id": "clean", "target": "The weather was fine and the markets were calm all week long."},
    {"id": "broken", "target": "Officials said said the talks would continue next week."},
]


def _check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", "--no-signals", "--no-state", *args])
    return result.exit_code, result.stdout, result.stderr


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    article = tmp_path / "article.en.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in FEED), encoding="utf-8")
    return article, feed


def _validate_common_junit(root: etree._Element) -> None:
    """The structure GitLab, Jenkins and GitHub reporters read (the common JUnit schema)."""
    assert root.tag == "testsuites"
    order = {"skipped": 0, "error": 1, "failure": 2, "system-out": 3, "system-err": 4}
    for suite in root:
        assert suite.tag == "testsuite" and suite.get("name") and suite.get("tests")
        cases = [c for c in suite if c.tag == "testcase"]
        assert [c.tag for c in suite] == ["testcase"] * len(cases)
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("errors")) == sum(c.find("error") is not None for c in cases)
        for case in cases:
            assert case.get("name") and case.get("classname")
            ranks = [order[child.tag] for child in case]
            assert ranks == sorted(ranks), "children out of schema order"
    for name in ("tests", "failures", "errors"):
        assert int(root.get(name)) == sum(int(s.get(name)) for s in root)


def test_junit_parsed_back(tmp_path: Path) -> None:
    article, feed = _inputs(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9\n")
    report = tmp_path / "out" / "junit.xml"
    code, _, _ = _check(str(article), str(feed), str(bad), "--junit", str(report))
    assert code == 2  # an unreadable input: the gate's exit status for bad input
    root = etree.parse(str(report)).getroot()
    _validate_common_junit(root)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "2", "1")
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}
    assert set(cases) == {
        (str(article), "article"),
        (str(feed), "clean"),
        (str(feed), "broken"),
        (str(bad), f"{bad}:1"),
    }
    failure = cases[(str(article), "article")].find("failure")
    assert failure is not None and failure.get("message", "").startswith("over budget: 2 new")
    text = failure.text or ""
    assert "line 3, column 49; sentence 3, offset 64-" in text
    assert "major [repetition]: Officials said said the work\nwould start soon." in text
    assert "line 6, column 1" in text and "&quot;reform&quot;" in text
    assert "    - HTML entity &quot; was not decoded" in text
    assert cases[(str(feed), "clean")].find("failure") is None
    feed_failure = cases[(str(feed), "broken")].find("failure")
    assert feed_failure is not None and "line 2; sentence 1" in (feed_failure.text or "")
    assert cases[(str(bad), f"{bad}:1")].find("error") is not None


def test_junit_passes_within_budget_and_keeps_known_problems_out_of_failures(
    tmp_path: Path,
) -> None:
    article, _ = _inputs(tmp_path)
    report, base = tmp_path / "junit.xml", tmp_path / "baseline.json"
    assert _check(str(article), "--baseline", str(base), "--update-baseline")[0] == 0
    code, _, _ = _check(str(article), "--baseline", str(base), "--junit", str(report))
    root = etree.parse(str(report)).getroot()
    case = root.find("testsuite/testcase")
    assert code == 0 and root.get("failures") == "0" and case is not None
    assert case.find("failure") is None
    assert "(known)" in (case.findtext("system-out") or "")


def test_junit_keeps_hostile_text_as_text(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    hostile = 'Officials said said <b>"x"</b> ]]> &amp; \u0007 end of the story here.'
    feed.write_text(json.dumps({"id": "<id & 'q'>", "target": hostile}) + "\n", encoding="utf-8")
    report = tmp_path / "junit.xml"
    _check(str(feed), "--junit", str(report))
    case = etree.parse(str(report)).getroot().find("testsuite/testcase")
    assert case is not None and case.get("name") == "<id & 'q'>"
    assert '<b>"x"</b> ]]> &amp;' in (case.findtext("failure") or "")


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100% sure", "100%25 sure", "100%25 sure"),
        ("two\nlines\r\n", "two%0Alines%0D%0A", "two%0Alines%0D%0A"),
        ("a: b, c", "a: b, c", "a%3A b%2C c"),
        ("%0A literal", "%250A literal", "%250A literal"),
    ],
)
def test_escaping(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data and escape_property(text) == prop


def test_command_line_shape() -> None:
    line = command("error", "50% off\nnow", {"file": "a,b.txt", "line": 3, "col": None})
    assert line == "::error file=a%2Cb.txt,line=3::50%25 off%0Anow"


def test_github_annotations_point_into_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    article, feed = _inputs(tmp_path)
    code, out, _ = _check(str(article), "feed.jsonl", "--github")  # paths relative to the cwd
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("::")]
    assert len(lines) == 3 and all("\n" not in line for line in lines)
    first, second, third = lines
    assert first.startswith("::error file=article.en.txt,line=3,col=49,title=mtaudit major")
    assert "::article #3: Officials said said the work%0Awould start soon.%0A- repeated" in first
    assert second.startswith("::error file=article.en.txt,line=6,col=1,")
    assert third.startswith("::error file=feed.jsonl,line=2,title=")


def test_github_annotations_go_to_stderr_beside_a_json_report(tmp_path: Path) -> None:
    _, feed = _inputs(tmp_path)
    code, out, err = _check(str(feed), "--github", "--format", "json")
    assert code == 1 and json.loads(out)["schema"] == "mtaudit.run/1"
    assert "::error file=" in err


def test_locator_offsets_to_lines_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffA b.\r\nأهلا C.\r\n".encode())
    doc = RunDocument("a", origin=str(path), target="A b.\nأهلا C.\n")
    where = Locator().locate(doc, 10)
    assert (where.path, where.line, where.col) == (str(path), 2, 6)
    assert Locator().locate(RunDocument("b", origin="-", target="x"), 0).path is None
    changed = RunDocument("c", origin=str(path), target="Something else entirely.")
    assert Locator().locate(changed, 0).line is None


def test_known_problems_are_notices_and_new_ones_errors(tmp_path: Path) -> None:
    _, feed = _inputs(tmp_path)
    base = tmp_path / "baseline.json"
    assert _check(str(feed), "--baseline", str(base), "--update-baseline")[0] == 0
    with feed.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "new", "target": "Prices rose rose sharply on Monday."}) + "\n")
    code, out, _ = _check(str(feed), "--baseline", str(base), "--github")
    kinds = [line.split(" ", 1)[0] for line in out.splitlines() if line.startswith("::")]
    assert code == 1 and kinds == ["::notice", "::error"]
    assert ",title=mtaudit major (repetition)%2C known::" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--junit", "{feed}"],
        ["--baseline", "{feed}", "--update-baseline"],
        ["--state", "{feed}"],
        ["--junit", "{out}", "-o", "{out}"],
    ],
)
def test_outputs_never_overwrite_inputs_or_each_other(tmp_path: Path, args: list[str]) -> None:
    _, feed = _inputs(tmp_path)
    before = feed.read_bytes()
    paths = {"feed": str(feed), "out": str(tmp_path / "out.xml")}
    code, _, err = _check(str(feed), *[a.format(**paths) for a in args])
    assert code == 2 and "Traceback" not in err and feed.read_bytes() == before
