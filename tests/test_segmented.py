"""Documents whose segments the input fixes, inline tag placeholders, and the tags check."""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from mtaudit.checks.base import DocContext
from mtaudit.checks.tags import TagsCheck
from mtaudit.config import Config
from mtaudit.io.inline import flatten, render
from mtaudit.pipeline import prepare
from mtaudit.types import Document, Pair, Place, Sentence

TWO = "The council met on Tuesday. It approved the budget."


def test_a_segment_document_is_one_unit_never_re_split() -> None:
    doc = Document("d", TWO, "اجتمع المجلس يوم الثلاثاء. ووافق على الموازنة.", unit="segment")
    prepared = prepare(doc, Config.load())
    assert [s.text for s in prepared.sentences] == [TWO]
    assert [p.source for p in prepared.pairs] == [doc.source]


def test_the_same_text_unsegmented_is_split() -> None:
    prepared = prepare(Document("d", TWO), Config.load())
    assert len(prepared.sentences) == 2


def test_places_pair_each_segment_with_its_own_source() -> None:
    target, source = "One. Two.\n\nThree.", "واحد. اثنان.\n\nثلاثة."
    places = [
        Place(0, 9, unit="a", source_start=0, source_end=12, metadata={"state": "final"}),
        Place(11, 17, unit="b"),  # no source of its own: paired with nothing, never guessed
    ]
    doc = Document("d", target, source, places=places, unit="segment")
    assert doc.fixed_units
    prepared = prepare(doc, Config.load())
    assert [(s.text, s.unit) for s in prepared.sentences] == [("One. Two.", "a"), ("Three.", "b")]
    assert [p.source for p in prepared.pairs] == ["واحد. اثنان.", ""]
    assert prepared.sentences[0].metadata == {"state": "final"}


def test_places_of_an_unsegmented_document_name_each_sentence_element() -> None:
    text = "Title\n\nFirst one. Second one."
    places = [Place(0, 5, element="/html/body/h1"), Place(7, 28, element="/html/body/p")]
    prepared = prepare(Document("d", text, places=places), Config.load())
    assert [(s.text, s.element) for s in prepared.sentences] == [
        ("Title", "/html/body/h1"),
        ("First one.", "/html/body/p"),
        ("Second one.", "/html/body/p"),
    ]


def seg(xml: str) -> Any:
    return etree.fromstring(f"<seg>{xml}</seg>")


@pytest.mark.parametrize(
    ("source", "target", "expected_source", "expected_target"),
    [
        ('a <g id="1">b</g> c', 'A <g id="1">B</g> C', "a ⟦①⟧b⟦/①⟧ c", "A ⟦①⟧B⟦/①⟧ C"),
        ('a<x id="7"/>b<x id="8"/>', 'A<x id="8"/>B', "a⟦①/⟧b⟦②/⟧", "A⟦②/⟧B"),
        ('<bpt i="1">&lt;b&gt;</bpt>x<ept i="1">&lt;/b&gt;</ept>', "x", "⟦①⟧x⟦/①⟧", "x"),
        ('<ph id="1">{0}</ph> items', '<ph id="1">{0}</ph> عناصر', "⟦①/⟧ items", "⟦①/⟧ عناصر"),
        ('<pc id="1">x<mrk id="m">y</mrk></pc>', "<pc id='1'>xy</pc>", "⟦①⟧xy⟦/①⟧", "⟦①⟧xy⟦/①⟧"),
        ('<sc id="2"/>x<ec startRef="2"/>', '<sc id="2"/>x', "⟦①⟧x⟦/①⟧", "⟦①⟧x"),
        ('a<cp hex="00A0"/>b', "ab", "a\u00a0b", "ab"),
        ("  padded  ", "\n text \n", "padded", "text"),
    ],
)
def test_inline_tags_become_numbered_placeholders(
    source: str, target: str, expected_source: str, expected_target: str
) -> None:
    src_text, _, tgt_text, _ = render(flatten(seg(source)), flatten(seg(target)))
    assert (src_text, tgt_text) == (expected_source, expected_target)


@pytest.mark.parametrize(
    ("source", "target", "messages"),
    [
        ('a <g id="1">b</g>', 'A <g id="1">B</g>', []),
        ('a <g id="1">b</g>', "A B", ["⟦①⟧ (opening <g> 1) of the source is missing",
                                      "⟦/①⟧ (closing <g> 1) of the source is missing"]),
        ('a<x id="1"/>', 'A<x id="1"/><x id="2"/>', ["⟦②/⟧ (standalone <x> 2) is not in"]),
        ('<x id="1"/>a<x id="1"/>', 'A<x id="1"/>', ["⟦①/⟧ (standalone <x> 1) of the source"]),
        ("no tags", "none here", []),
    ],
)  # fmt: skip
def test_tags_check(source: str, target: str, messages: list[str]) -> None:
    src_text, src_tags, tgt_text, tgt_tags = render(flatten(seg(source)), flatten(seg(target)))
    sentence = Sentence(
        0, tgt_text, 0, len(tgt_text), metadata={"tags": {"source": src_tags, "target": tgt_tags}}
    )
    pair = Pair("d", sentence, src_text)
    check = TagsCheck.from_config(Config.load())
    ctx = DocContext(Document("d", tgt_text, src_text), [sentence], [pair])
    found = check.sentence(pair, ctx)
    assert len(found) == len(messages)
    for finding, message in zip(found, messages, strict=True):
        assert message in finding.message
