"""XLIFF 1.2 and 2.1: units as segments, inline tags, notes, untranslated units, bad files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from mtaudit.cli import main
from mtaudit.config import Config
from mtaudit.errors import InputError, UsageError
from mtaudit.io import read_inputs
from mtaudit.pipeline import audit
from mtaudit.reports.annotate import annotate_xliff
from mtaudit.reports.json_report import run_to_dict
from mtaudit.runfile import Run
from mtaudit.types import Document

DATA = Path(__file__).parent / "data"
V12 = DATA / "news-ar-en.xlf"
V21 = DATA / "news-ar-en-21.xlf"


def run_of(path: Path) -> dict:
    return run_to_dict(audit(read_inputs([str(path)]), Config.load(), signals=[]))


def sentences(path: Path) -> dict[str, dict]:
    [doc] = [d for d in run_of(path)["documents"] if not d["error"]]
    return {s["unit"]: s for s in doc["sentences"]}


@pytest.mark.parametrize(
    ("path", "units", "untranslated"),
    [
        (V12, ["title", "p1", "p2", "p3", "p7", "p8"], ["p4", "p5"]),
        (V21, ["title", "p1", "p2/s1", "p2/s2", "p4"], ["p3"]),
    ],
)
def test_units_are_segments_and_untranslated_units_are_listed(
    path: Path, units: list[str], untranslated: list[str]
) -> None:
    [doc] = read_inputs([str(path)])
    assert isinstance(doc, Document) and doc.unit == "segment" and doc.fixed_units
    assert (doc.source_lang, doc.target_lang) == ("ar", "en")
    assert [p.unit for p in doc.places] == units
    assert [b.unit for b in doc.blocks] == untranslated
    assert all(b.kind == "untranslated" for b in doc.blocks)
    assert doc.metadata["untranslated"] == len(untranslated)


def test_a_unit_of_two_sentences_is_never_re_split() -> None:
    found = sentences(V12)
    assert found["p8"]["text"] == (
        "The governor thanked the ministry of municipalities. He pledged to follow up on the "
        "projects."
    )
    assert found["p8"]["source"] == "وشكر المحافظ وزارة البلديات. وتعهد بمتابعة تنفيذ المشاريع."
    assert len(found) == 6


@pytest.mark.parametrize(
    ("path", "unit", "key", "value"),
    [
        (V12, "p1", "state", "translated"),
        (V12, "p1", "notes", [{"from": "reviewer", "text": "Check the council's official "
                                                          "English name."}]),
        (V12, "p2", "state-qualifier", "mt-suggestion"),
        (V12, "title", "approved", "yes"),
        (V21, "p1", "notes", [{"category": "reviewer", "text": "Check the council's official "
                                                               "English name."}]),
        (V21, "p2/s1", "state", "translated"),
        (V21, "title", "state", "final"),
    ],
)  # fmt: skip
def test_notes_and_states_are_metadata(path: Path, unit: str, key: str, value: object) -> None:
    assert sentences(path)[unit]["metadata"][key] == value


@pytest.mark.parametrize(
    ("path", "unit", "text", "source"),
    [
        (V12, "p1", "The ⟦①⟧Baghdad Provincial Council⟦/①⟧ approved on Tuesday",
         "وافق ⟦①⟧مجلس محافظة بغداد⟦/①⟧، يوم"),
        (V12, "p3", "He added that ⟦①⟧the first phase⟦/①⟧ will", "وأضاف أن ⟦①⟧المرحلة الأولى⟦/①⟧"),
        (V12, "p7", "The governor ⟦①⟧welcomed⟦/①⟧ the decision ⟦②/⟧.", "ورحب ⟦①⟧المحافظ⟦/①⟧"),
        (V21, "p1", "The Baghdad Provincial Council approved", "وافق ⟦①⟧مجلس محافظة بغداد⟦/①⟧"),
        (V21, "p2/s2", "He added that ⟦①⟧the first phase⟦/①⟧", "وأضاف أن ⟦①⟧المرحلة الأولى⟦/①⟧"),
    ],
)  # fmt: skip
def test_inline_tags_become_placeholders(path: Path, unit: str, text: str, source: str) -> None:
    sent = sentences(path)[unit]
    assert sent["text"].startswith(text) and sent["source"].startswith(source)


@pytest.mark.parametrize(
    ("path", "unit", "messages"),
    [
        (V12, "p2", ["tag ⟦①/⟧ (standalone <x> 2) of the source is missing"]),
        (V12, "p7", ["tag ⟦②/⟧ (standalone <x> 8) is not in the source"]),
        (V21, "p2/s1", ["tag ⟦①/⟧ (standalone <ph> 2) of the source is missing"]),
        (
            V21,
            "p1",
            [
                "tag ⟦①⟧ (opening <pc> 1) of the source is missing",
                "tag ⟦/①⟧ (closing <pc> 1) of the source is missing",
            ],
        ),
        (V12, "p1", []),
        (V12, "p3", []),
        (V21, "p2/s2", []),
    ],
)
def test_tags_check_finds_missing_and_added_tags(
    path: Path, unit: str, messages: list[str]
) -> None:
    sent = sentences(path)[unit]
    assert [f["message"] for f in sent["checks"] if f["id"] == "tags"] == messages
    if messages:
        assert sent["flagged"]


def test_added_tag_is_marked_in_the_target() -> None:
    sent = sentences(V12)["p7"]
    [finding] = [f for f in sent["checks"] if f["id"] == "tags"]
    start, end = finding["span"]
    assert sent["text"][start:end] == "⟦②/⟧"


def test_placeholders_are_not_numbers() -> None:
    sent = sentences(V12)["p3"]
    assert not [f for f in sent["checks"] if f["id"] == "numbers"]


# ---- writing verdicts back ------------------------------------------------------------------

MTAUDIT_NOTE = {
    "1": re.compile(rb'[ \t]*<note from="mtaudit" priority="\d+">[^<]*</note>\r?\n'),
    "2": re.compile(
        rb'\r?\n[ \t]*<notes>\r?\n[ \t]*<note category="mtaudit" priority="\d+">[^<]*</note>'
        rb"\r?\n[ \t]*</notes>"
        rb'|[ \t]*<note category="mtaudit" priority="\d+">[^<]*</note>\r?\n'
    ),
}


def annotate(path: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["audit", str(path), "--no-signals", "--annotate", str(out), *extra]
    )
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("path", "version", "flagged"),
    [(V12, "1", {"p2", "p7"}), (V21, "2", {"p1", "p2"})],
)
def test_annotate_round_trip_changes_nothing_but_the_notes(
    tmp_path: Path, path: Path, version: str, flagged: set[str]
) -> None:
    out = tmp_path / "checked.xlf"
    code, output = annotate(path, out)
    assert code == 0, output
    original, written = path.read_bytes(), out.read_bytes()
    assert MTAUDIT_NOTE[version].sub(b"", written) == original
    root = etree.fromstring(written)
    ns = {"x": root.nsmap[None]}
    if version == "1":
        notes = root.xpath("//x:trans-unit[x:note[@from='mtaudit']]/@id", namespaces=ns)
    else:
        notes = root.xpath("//x:unit[x:notes/x:note[@category='mtaudit']]/@id", namespaces=ns)
    [doc] = run_of(path)["documents"]
    flagged_now = {str(s["unit"]).split("/")[0] for s in doc["sentences"] if s["flagged"]}
    assert set(notes) == flagged_now and flagged <= flagged_now  # the tag findings at least
    assert [p.name for p in tmp_path.iterdir()] == ["checked.xlf"]  # no temporary file left


def test_annotate_keeps_existing_notes_and_adds_to_them(tmp_path: Path) -> None:
    out = tmp_path / "checked.xlf"
    assert annotate(V21, out)[0] == 0
    root = etree.fromstring(out.read_bytes())
    ns = {"x": root.nsmap[None]}
    [unit] = root.xpath("//x:unit[@id='p1']", namespaces=ns)
    notes = unit.xpath("x:notes/x:note", namespaces=ns)
    assert [n.get("category") for n in notes] == ["reviewer", "mtaudit"]
    assert "tag ⟦①⟧ (opening &lt;pc&gt; 1) of the source is missing" not in notes[1].text
    assert "tag ⟦①⟧ (opening <pc> 1) of the source is missing" in notes[1].text
    assert unit[0].tag.endswith("notes")  # notes stay the unit's first child


def test_annotate_of_a_crlf_latin1_file_keeps_its_bytes(tmp_path: Path) -> None:
    text = V12.read_text(encoding="utf-8").replace("\n", "\r\n")
    text = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    text = re.sub(r"<source>[^<]*</source>", "<source>Caf&#233; au lait, 12 cups.</source>", text)
    src = tmp_path / "latin.xlf"
    src.write_bytes(text.encode("latin-1", "xmlcharrefreplace"))
    out = tmp_path / "out.xlf"
    code, output = annotate(src, out)
    assert code == 0, output
    written = out.read_bytes()
    assert MTAUDIT_NOTE["1"].sub(b"", written) == src.read_bytes()
    assert b"\r\n" in written and etree.fromstring(written) is not None


def test_annotate_never_writes_over_the_input(tmp_path: Path) -> None:
    src = tmp_path / "delivery.xlf"
    src.write_bytes(V12.read_bytes())
    code, output = annotate(src, src)
    assert code == 2 and "would overwrite it" in output
    assert src.read_bytes() == V12.read_bytes()
    link = tmp_path / "link.xlf"
    link.symlink_to(src)
    run = Run.from_result(audit(read_inputs([str(src)]), Config.load(), signals=[]))
    with pytest.raises(UsageError, match="would overwrite the input"):
        annotate_xliff(str(src), run, str(link))
    assert src.read_bytes() == V12.read_bytes()


def test_annotate_output_inside_an_input_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.xlf").write_bytes(V12.read_bytes())
    code, output = annotate(tmp_path, tmp_path / "a.checked.xlf")
    assert code == 2 and "inside the input folder" in output


def test_annotate_needs_an_xliff_input(tmp_path: Path) -> None:
    code, output = annotate(DATA / "memory-ar-en.tmx", tmp_path / "out.xlf")
    assert code == 2 and "--annotate needs exactly one XLIFF input" in output
    assert not (tmp_path / "out.xlf").exists()


# ---- bad input ------------------------------------------------------------------------------

GOOD_UNIT = (
    '<trans-unit id="ok"><source>وافق المجلس على الموازنة.</source>'
    "<target>The council approved the budget.</target></trans-unit>"
)


def xliff12(body: str, head: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{head}'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        '<file original="a" source-language="ar" target-language="en"><body>\n'
        f"{body}\n</body></file></xliff>\n"
    ).encode()


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (xliff12(GOOD_UNIT + "\n<trans-unit id='x'><source>a</target></trans-unit>"),
         "malformed XML (Opening and ending tag mismatch", 5),
        (b"<root/>", "not an XLIFF file", 1),
        (b'<xliff version="3.0"><file/></xliff>', "XLIFF version '3.0' is not supported", 1),
        (xliff12(GOOD_UNIT, '<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'),
         "DOCTYPE declares entities", 2),
        (xliff12(GOOD_UNIT, '<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;'
                 '&a;&a;&a;&a;">]>\n'), "DOCTYPE declares entities", 2),
        (xliff12('<trans-unit id="d"><source>' + '<g id="1">' * 5000 + "x" + "</g>" * 5000
                 + "</source></trans-unit>"), "nested more than 256 deep", 4),
        (b"", "is empty", None),
    ],
)  # fmt: skip
def test_unreadable_files_are_one_error_with_the_line(
    tmp_path: Path, data: bytes, message: str, line: int | None
) -> None:
    path = tmp_path / "bad.xlf"
    path.write_bytes(data)
    [item] = read_inputs([str(path)])
    assert isinstance(item, InputError)
    assert message in str(item) and str(path) in str(item) and item.line == line


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        ("<trans-unit><source>a</source><target>b</target></trans-unit>", "has no id attribute"),
        ('<trans-unit id="n"><target>b</target></trans-unit>', "trans-unit 'n' has no <source>"),
        (GOOD_UNIT, "trans-unit id 'ok' is used twice"),
    ],
)
def test_a_bad_unit_is_reported_and_the_others_audited(
    tmp_path: Path, unit: str, message: str
) -> None:
    path = tmp_path / "delivery.xlf"
    path.write_bytes(xliff12(f"{GOOD_UNIT}\n{unit}"))
    doc, error = read_inputs([str(path)])
    assert isinstance(doc, Document) and [p.unit for p in doc.places] == ["ok"]
    assert isinstance(error, InputError) and message in str(error) and error.line == 5
    result = CliRunner().invoke(main, ["audit", str(path), "--no-signals"])
    assert result.exit_code == 2
    assert "delivery: 1 sentences" in result.output and message in result.output


def test_xliff_from_standard_input(tmp_path: Path) -> None:
    args = ["audit", "-", "--input-format", "xliff", "--no-signals"]
    result = CliRunner().invoke(main, args, input=V12.read_bytes())
    assert result.exit_code == 0 and "stdin: 6 sentences" in result.output
    result = CliRunner().invoke(
        main, [*args, "--annotate", str(tmp_path / "o.xlf")], input=V12.read_bytes()
    )
    assert result.exit_code == 2 and "not standard input" in result.output


def test_a_folder_of_deliveries(tmp_path: Path) -> None:
    for name in ("news-ar-en.xlf", "memory-ar-en.tmx", "baghdad-water.en.html"):
        (tmp_path / name).write_bytes((DATA / name).read_bytes())
    (tmp_path / "baghdad-water.ar.html").write_bytes((DATA / "baghdad-water.ar.html").read_bytes())
    items = read_inputs([str(tmp_path)])
    docs = {i.id: i for i in items if isinstance(i, Document)}
    assert set(docs) == {"news-ar-en", "memory-ar-en", "baghdad-water"}
    assert docs["baghdad-water"].source is not None
    assert docs["baghdad-water"].source.startswith("مجلس بغداد")
    assert [str(i) for i in items if isinstance(i, InputError)] == [
        f"[E100] {tmp_path / 'memory-ar-en.tmx'}:26: tu '6' has no <tuv> in the source "
        "language 'ar'"
    ]


def test_utf16_xliff_is_read_but_not_annotated(tmp_path: Path) -> None:
    text = V12.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    src = tmp_path / "u16.xlf"
    src.write_bytes(text.encode("utf-16"))
    [doc] = read_inputs([str(src)])
    assert isinstance(doc, Document) and len(doc.places) == 6
    code, output = annotate(src, tmp_path / "out.xlf")
    assert code == 2 and "convert it to UTF-8 first" in output
    assert not (tmp_path / "out.xlf").exists()


@pytest.mark.parametrize("unit", ["document", "segment"])
def test_xliff_units_stay_whole_whatever_unit_says(unit: str) -> None:
    args = ["audit", str(V12), "--no-signals", "--unit", unit, "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    [doc] = json.loads(result.output)["documents"]
    assert doc["unit"] == "segment"
    assert [s["unit"] for s in doc["sentences"]] == ["title", "p1", "p2", "p3", "p7", "p8"]


def test_annotate_with_streamed_json_and_worker_processes(tmp_path: Path) -> None:
    out, run_file = tmp_path / "checked.xlf", tmp_path / "run.json"
    code, output = annotate(V12, out, "--format", "json", "-o", str(run_file), "--jobs", "2")
    assert code == 0, output
    assert MTAUDIT_NOTE["1"].sub(b"", out.read_bytes()) == V12.read_bytes()
    assert out.read_bytes().count(b'<note from="mtaudit"') == 2
    assert json.loads(run_file.read_text(encoding="utf-8"))["summary"]["flagged"] == 2


def test_ci_annotations_name_the_unit_and_its_line() -> None:
    args = ["check", str(V12), "--no-signals", "--github", "--max-flagged", "5"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    [first, second] = [line for line in result.output.splitlines() if line.startswith("::")]
    assert "line=17" in first and "#3 (unit p2 (line 17))" in first
    assert "line=36" in second and "(unit p7 (line 36))" in second
