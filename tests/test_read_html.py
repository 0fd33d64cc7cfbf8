"""Web pages: the article is extracted, mapped to its elements, and the page furniture listed."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from mtaudit.cli import main
from mtaudit.config import Config
from mtaudit.errors import InputError
from mtaudit.io import read_inputs
from mtaudit.pipeline import audit
from mtaudit.reports.html import render_html
from mtaudit.reports.json_report import run_to_dict
from mtaudit.runfile import Run
from mtaudit.text.segment import split_sentences
from mtaudit.types import Document

DATA = Path(__file__).parent / "data"
SEED_PAGE = DATA / "shafaq-2021-07-31.en.html"
HOSTILE = DATA / "hostile.en.html"


def audit_page(*paths: Path, source: Path | None = None) -> dict:
    items = read_inputs([str(p) for p in paths], source=str(source) if source else None)
    return run_to_dict(audit(items, Config.load(), signals=[]))


def test_seed_page_sentences_are_the_article_and_nothing_else() -> None:
    [doc] = audit_page(SEED_PAGE)["documents"]
    texts = [s["text"] for s in doc["sentences"]]
    assert texts[0].startswith("An American call to treat Iraq’s militias")
    assert texts[1].startswith("Shafaq News/ The American “Brookings Institution”")
    assert texts[-1].endswith("which is an opportunity that Washington and its allies must seize.")
    assert len(texts) == 16
    furniture = [
        "Leave a Reply", "Click to share", "Share this", "Most read", "All rights reserved",
        "Injected by script", "Subscribe", "Tracking pixel", "dataLayer", "Related",
        "Iraq News", "A-AA+", "Connecting to", "Post Comment", "Cookie", "COVID-19",
    ]  # fmt: skip
    for phrase in furniture:
        assert not any(phrase in t for t in texts), phrase
        assert phrase not in doc["target"], phrase


def test_seed_page_matches_the_seed_article(shared_data: Path) -> None:
    seed = (shared_data / "seed" / "shafaq-2021-07-31.en.txt").read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in seed.split("\n\n") if p.strip()]
    article = [paragraphs[0], *paragraphs[2 : paragraphs.index("Leave a Reply")]]
    expected = [s.text for s in split_sentences("\n\n".join(article), "en")]
    [doc] = audit_page(SEED_PAGE)["documents"]
    assert [s["text"] for s in doc["sentences"]] == expected


@pytest.mark.parametrize(
    ("reason", "element", "starts"),
    [
        ("page header", "/html/body/header", "Shafaq News Home Iraq News"),
        ("byline, date or tag list", "/html/body/div/main/article/header/div", "Reports &"),
        ("share bar", "/html/body/div/main/article/div[2]", "Share this:"),
        ("related links", "/html/body/div/main/article/div[3]", "Related Al-Kazemi"),
        ("comment section", "/html/body/div/main/div", "Leave a Reply Fill in"),
        ("sidebar", "/html/body/div/aside", "Most read"),
        ("page footer", "/html/body/footer", "© 2021 Shafaq News"),
    ],
)
def test_page_furniture_is_listed_as_blocks(reason: str, element: str, starts: str) -> None:
    [doc] = audit_page(SEED_PAGE)["documents"]
    [block] = [b for b in doc["blocks"] if b["element"] == element]
    assert block["reason"] == reason and block["text"].startswith(starts)
    assert block["kind"] == "boilerplate" and block["start"] == block["end"]


def test_every_sentence_maps_back_to_its_element_and_offsets() -> None:
    [doc] = audit_page(SEED_PAGE)["documents"]
    page = lxml.html.fromstring(SEED_PAGE.read_bytes()).getroottree()
    assert doc["sentences"][0]["element"] == "/html/body/div/main/article/header/h1"
    for sent in doc["sentences"]:
        assert doc["target"][sent["start"] : sent["end"]] == sent["text"]
        [element] = page.xpath(sent["element"])
        assert " ".join(sent["text"].split()) in " ".join(element.text_content().split())
    elements = [s["element"] for s in doc["sentences"]]
    assert elements.count("/html/body/div/main/article/div[1]/p[4]") == 2  # two sentences


def test_paragraph_structure_is_kept() -> None:
    [item] = read_inputs([str(SEED_PAGE)])
    assert isinstance(item, Document)
    assert len(item.target.split("\n\n")) == 14  # the title and 13 paragraphs
    assert [p.element for p in item.places][1] == "/html/body/div/main/article/div[1]/p[1]"


MARKERS = [
    "HEAD-SCRIPT", "STYLE-CONTENT", "META-REFRESH", "BASE-HREF", "BODY-ONLOAD", "NAV-LINK",
    "H1-ONCLICK", "IMG-ONERROR", "INLINE-SCRIPT", "HTML-COMMENT", "CDATA-SECTION", "SVG-ONLOAD",
    "SVG-TEXT", "IFRAME-SRC", "IFRAME-TEXT", "NOSCRIPT-TEXT", "TEMPLATE-TEXT", "FORM-ACTION",
    "TEXTAREA-TEXT", "BUTTON-ONCLICK", "OBJECT-TEXT", "alert(", "javascript:", "evil.invalid",
]  # fmt: skip


def test_hostile_markup_never_reaches_text_or_reports() -> None:
    run = audit_page(HOSTILE)
    [doc] = run["documents"]
    assert doc["error"] is None
    assert [s["text"] for s in doc["sentences"]][:2] == [
        "Council & ministry agree on water plan",
        "The council and the ministry agreed on Tuesday to fund twelve new pumping stations "
        "in the capital, the governor’s office said in a statement.",
    ]
    assert "open within eighteen months and that the rest would follow next year" in doc["target"]
    everything = json.dumps(run, ensure_ascii=False)
    page = render_html(Run.from_dict(run))
    for marker in MARKERS:
        assert marker not in everything, marker
        assert marker not in page, marker
    # Escaped markup in the article is text: the encoding check names it, and the reviewer's
    # page shows it escaped, never as a tag.
    [sent] = [s for s in doc["sentences"] if "tag <script> shown" in s["text"]]
    assert any(f["id"] == "encoding" for f in sent["checks"])
    assert "tag <script> shown" not in page


def test_html_source_page_is_aligned_with_the_translation() -> None:
    run = audit_page(DATA / "baghdad-water.en.html", source=DATA / "baghdad-water.ar.html")
    [doc] = run["documents"]
    assert doc["source"].startswith("مجلس بغداد يقر موازنة جديدة")
    assert "الرئيسية" not in doc["source"] and "أضف تعليق" not in doc["source"]
    [pumps] = [s for s in doc["sentences"] if "pumping stations" in s["text"]]
    assert "12 محطة" in pumps["source"]
    assert {f["message"] for f in pumps["checks"]} >= {
        "number 12 in the source is missing from the target"
    }
    assert pumps["element"] == "/html/body/main/article/p[2]"


def test_page_in_a_declared_legacy_charset(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="windows-1256"></head><body><article><h1>عنوان الخبر</h1>'
        "<p>وافق مجلس محافظة بغداد على موازنة جديدة لمشاريع المياه في العاصمة يوم الثلاثاء.</p>"
        "<p>وقال البيان إن المشاريع ستنفذ بالتعاون مع وزارة البلديات وستشمل محطات جديدة.</p>"
        "</article></body></html>"
    )
    path = tmp_path / "page.ar.html"
    path.write_bytes(page.encode("cp1256"))
    [doc] = read_inputs([str(path)], source_lang="en", target_lang="ar")
    assert isinstance(doc, Document) and doc.target.startswith("عنوان الخبر\n\nوافق مجلس")


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (b"", "is empty"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
        (b"<html><body>" + b"<div>" * 5000 + b"<p>x</p></body></html>", "nests elements"),
        (b"<html><body><p>caf\xe9 ol\xe9</p></body></html>", "not UTF-8"),
    ],
)
def test_bad_pages_are_reported_and_exit_2(tmp_path: Path, page: bytes, message: str) -> None:
    bad = tmp_path / "bad.html"
    bad.write_bytes(page)
    [item] = read_inputs([str(bad)])
    assert isinstance(item, InputError) and message in str(item) and str(bad) in str(item)
    result = CliRunner().invoke(main, ["audit", str(bad), str(SEED_PAGE), "--no-signals"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "shafaq-2021-07-31: 16 sentences" in result.output


def test_terminal_report_names_the_element() -> None:
    result = CliRunner().invoke(main, ["audit", str(SEED_PAGE), "--no-signals"])
    assert result.exit_code == 0
    assert "at /html/body/div/main/article/div[1]/p[6]" in result.output
    assert "[comment section] Leave a Reply" in result.output


def test_headings_lists_and_quotes_of_an_xhtml_page(tmp_path: Path) -> None:
    page = tmp_path / "story.xhtml"
    page.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        "<head><title>T</title></head><body><article><h1>Council approves budget</h1>"
        "<p>The council approved the budget on Tuesday, officials said in a statement.</p>"
        "<h2>Reaction</h2><ul><li>Residents welcomed the plan for new stations.</li>"
        "<li>Critics said the plan came too late.</li></ul><blockquote><p>This is a good day "
        "for the city, the governor said.</p></blockquote></article></body></html>",
        encoding="utf-8",
    )
    [doc] = read_inputs([str(page)])
    assert isinstance(doc, Document)
    assert [(doc.target[p.start : p.end].split()[0], p.element) for p in doc.places] == [
        ("Council", "/html/body/article/h1"),
        ("The", "/html/body/article/p"),
        ("Reaction", "/html/body/article/h2"),
        ("Residents", "/html/body/article/ul/li[1]"),
        ("Critics", "/html/body/article/ul/li[2]"),
        ("This", "/html/body/article/blockquote/p"),
    ]


def test_line_breaks_separate_words_and_keep_the_element(tmp_path: Path) -> None:
    page = tmp_path / "br.html"
    page.write_text(
        "<html><body><article><h1>Headline here</h1><p>The council met on Tuesday.<br>It "
        "approved the budget for water projects in the city.</p></article></body></html>",
        encoding="utf-8",
    )
    [doc] = read_inputs([str(page)])
    assert isinstance(doc, Document)
    assert doc.target.endswith("Tuesday. It approved the budget for water projects in the city.")
    assert doc.places[1].element == "/html/body/article/p"


def test_oversized_pages_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mtaudit.io.html.MAX_BYTES", 1000)
    page = tmp_path / "huge.html"
    page.write_bytes(b"<html><body>" + b"<p>word </p>" * 200 + b"</body></html>")
    [item] = read_inputs([str(page)])
    assert isinstance(item, InputError) and "are not read" in str(item)
