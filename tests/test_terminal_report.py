"""The terminal summary: counts that add up, unmistakable span marks, visible control
characters, sentences numbered from 1."""

from __future__ import annotations

import pytest

from mtaudit.reports.terminal import mark_spans, render, visible
from mtaudit.runfile import Run, RunDocument, RunSentence, Summary
from mtaudit.types import Severity


def sentence(
    index: int, severity: str, flagged: bool, text: str = "Some text here."
) -> RunSentence:
    return RunSentence(
        index,
        text,
        0,
        len(text),
        risk=0.5,
        severity=Severity.parse(severity),
        flagged=flagged,
        spans=[(0, 4)],
        reasons=[f"reason {index}"],
    )


def run_of(sentences: list[RunSentence]) -> Run:
    doc = RunDocument("doc", summary=Summary.of(sentences, {}), sentences=sentences)
    return Run.of({"signals": []}, [doc])


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        (
            [("critical", True), ("critical", True), ("major", True), ("minor", False)],
            "3 flagged (2 critical, 1 major); 1 more with minor findings",
        ),
        ([("major", True), ("none", False)], "1 flagged (1 major)"),
        ([("none", False)], "0 flagged"),
        (
            [("minor", True), ("major", False)],
            "1 flagged (1 minor); 1 more with findings, not flagged",
        ),
    ],
)
def test_counts_add_up(severities: list[tuple[str, bool]], expected: str) -> None:
    text = render(run_of([sentence(i, s, f) for i, (s, f) in enumerate(severities)]))
    head, *_, total = [line for line in text.splitlines() if line.startswith(("doc:", "Total"))]
    assert head == f"doc: {len(severities)} sentences, {expected}"
    assert total == f"Total: 1 document(s), {len(severities)} sentences, {expected}"


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("He said “stop” twice.", [[9, 13]], "He said “⟦stop⟧” twice."),
        ("a\u202eb c", [[0, 3]], "⟦a⟨U+202E⟩b⟧ c"),
        ("x\x00y\u2066z", [], "x⟨U+0000⟩y⟨U+2066⟩z"),
        ("tab\tand\nline", [], "tab\tand\nline"),
    ],
)
def test_marks_and_control_characters(text: str, spans: list[list[int]], expected: str) -> None:
    assert mark_spans(text, spans, colour=False) == expected


def test_numbers_from_one_and_shows_controls_in_reasons() -> None:
    first = sentence(0, "major", True, "Evil\u202etext here.")
    first.reasons = ["bidi override \u202e found"]
    text = render(run_of([first]))
    assert "  sentence 1 major 0.50  ⟦Evil⟧⟨U+202E⟩text here." in text
    assert "- bidi override ⟨U+202E⟩ found" in text
    assert "\u202e" not in text


def test_visible_leaves_ordinary_text() -> None:
    assert visible("Ordinary “quoted” text, عربي.") == "Ordinary “quoted” text, عربي."
