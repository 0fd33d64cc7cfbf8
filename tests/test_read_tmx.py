"""TMX memories: units audited one by one, the language pair from the header."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mtaudit.cli import main
from mtaudit.config import Config
from mtaudit.errors import InputError
from mtaudit.io import read_inputs
from mtaudit.pipeline import audit
from mtaudit.reports.json_report import run_to_dict
from mtaudit.types import Document

MEMORY = Path(__file__).parent / "data" / "memory-ar-en.tmx"


def test_memory_units_languages_and_errors() -> None:
    doc, error = read_inputs([str(MEMORY)], source_lang="en", target_lang="fr")
    assert isinstance(doc, Document) and doc.unit == "segment" and doc.fixed_units
    assert (doc.source_lang, doc.target_lang) == ("ar", "en")  # from the file, not the defaults
    assert [p.unit for p in doc.places] == ["1", "2", "3", "4"]
    assert [b.unit for b in doc.blocks] == ["5"] and doc.blocks[0].kind == "untranslated"
    assert isinstance(error, InputError) and error.line == 26
    assert "tu '6' has no <tuv> in the source language 'ar'" in str(error)
    assert doc.places[0].metadata["props"] == {"x-domain": "news"}
    assert doc.places[1].metadata["notes"] == ["Imported from the 2021 vendor delivery."]
    assert doc.places[0].metadata["target_language"] == "en-US"


@pytest.mark.parametrize(
    ("unit", "checks"),
    [
        ("1", set()),
        ("2", {"tags"}),
        ("3", set()),
        ("4", {"repetition", "truncation"}),
    ],
)
def test_memory_is_audited_unit_by_unit(unit: str, checks: set[str]) -> None:
    run = run_to_dict(audit(read_inputs([str(MEMORY)]), Config.load(), signals=[]))
    [doc] = [d for d in run["documents"] if not d["error"]]
    [sent] = [s for s in doc["sentences"] if s["unit"] == unit]
    assert {f["id"] for f in sent["checks"]} >= checks
    assert bool(checks) == sent["flagged"]


def test_multilingual_memory_gives_one_document_per_target(tmp_path: Path) -> None:
    tmx = tmp_path / "multi.tmx"
    tmx.write_text(
        '<tmx version="1.4"><header srclang="en" segtype="sentence" datatype="plaintext" '
        'adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/><body>'
        '<tu><tuv xml:lang="en"><seg>Twelve new stations.</seg></tuv>'
        '<tuv xml:lang="ar"><seg>اثنتا عشرة محطة جديدة.</seg></tuv>'
        '<tuv xml:lang="fr"><seg>Douze nouvelles stations.</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    docs = read_inputs([str(tmx)])
    assert [(d.id, d.source_lang, d.target_lang) for d in docs if isinstance(d, Document)] == [
        ("multi.ar", "en", "ar"),
        ("multi.fr", "en", "fr"),
    ]


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b'<tmx version="1.4"><header srclang="ar"/><body><tu>\n</body></tmx>', "malformed XML", 2),
        (b'<tmx version="1.4"><body/></tmx>', "needs a <header> and a <body>", 1),
        (b"<xliff/>", "not a TMX file", 1),
    ],
)
def test_bad_memories(tmp_path: Path, data: bytes, message: str, line: int) -> None:
    path = tmp_path / "bad.tmx"
    path.write_bytes(data)
    [item] = read_inputs([str(path)])
    assert isinstance(item, InputError) and message in str(item) and item.line == line


def test_cli_names_units_and_exits_2_for_a_bad_unit() -> None:
    result = CliRunner().invoke(main, ["audit", str(MEMORY), "--no-signals"])
    assert result.exit_code == 2
    assert "at unit 2 (line 10)" in result.output
    assert "memory-ar-en.tmx:26: cannot audit: tu '6'" in result.output
