"""Offsets, worst windows and highlight spans (no model needed)."""

from __future__ import annotations

import math
import unicodedata

import pytest

from mtaudit.lm.background import Fit
from mtaudit.lm.spans import (
    align_pieces,
    clamp_offsets,
    expand_to_words,
    snap_to_clusters,
    window_span,
    worst_window,
)

MIXED = "Al-Kazemi (الكاظمي) said 👍🏽 the cafe\u0301 and 👨\u200d👩\u200d👧 were fine."


def is_cluster_boundary(text: str, i: int) -> bool:
    """No combining mark or joined emoji part starts at i, and i does not follow a ZWJ."""
    if i <= 0 or i >= len(text):
        return True
    ch = text[i]
    skin_tone = "\U0001f3fb" <= ch <= "\U0001f3ff"
    attached = unicodedata.combining(ch) or ch in "\u200d\ufe0f" or skin_tone
    return not attached and text[i - 1] != "\u200d"


@pytest.mark.parametrize(
    ("values", "size", "expected"),
    [
        ([1.0, 1.0, 9.0, 9.0, 1.0], 2, (2, 4, 9.0)),
        ([5.0, 1.0, 1.0], 4, (0, 3, 7.0 / 3)),
        ([1.0, 2.0, 3.0], 1, (2, 3, 3.0)),
        ([2.0, 2.0, 2.0, 2.0], 2, (0, 2, 2.0)),  # ties keep the first window
    ],
)
def test_worst_window(values: list[float], size: int, expected: tuple[int, int, float]) -> None:
    start, end, mean = worst_window(values, size)
    assert (start, end) == expected[:2]
    assert mean == pytest.approx(expected[2])


def test_worst_window_empty() -> None:
    start, end, mean = worst_window([], 4)
    assert (start, end) == (0, 0) and math.isnan(mean)


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("a signal of non-existent intentions, and", 15, 22, "non-existent"),
        ("a signal of non-existent intentions, and", 20, 30, "non-existent intentions"),
        ("in addition to To the broader issue", 15, 17, "To"),
        ("قال الكاظمي إن", 5, 8, "الكاظمي"),
        ("ok 👨\u200d👩\u200d👧 fine", 4, 5, "👨\u200d👩\u200d👧"),
        ("the cafe\u0301 opened", 4, 8, "cafe\u0301"),
        ("end .", 4, 5, "."),  # punctuation alone stays as it is
    ],
)
def test_expand_to_words(text: str, start: int, end: int, expected: str) -> None:
    lo, hi = expand_to_words(text, start, end)
    assert text[lo:hi] == expected


def test_expand_is_bounded_without_spaces() -> None:
    text = "这" * 200
    lo, hi = expand_to_words(text, 100, 102)
    assert (lo, hi) == (100, 102)


def test_snap_never_splits_clusters() -> None:
    for start in range(len(MIXED)):
        for end in range(start, len(MIXED) + 1):
            lo, hi = snap_to_clusters(MIXED, start, end)
            assert lo <= start and hi >= end
            assert is_cluster_boundary(MIXED, lo) and is_cluster_boundary(MIXED, hi)


@pytest.mark.parametrize(
    "pieces",
    [
        ["\u2581The", "\u2581mini", "ster", "\u2581said", "."],  # sentencepiece markers
        ["The", "\u0120mini", "ster", "\u0120said", "."],  # byte-level BPE markers
    ],
)
def test_align_pieces_simple(pieces: list[str]) -> None:
    text = "The minister said."
    offsets = align_pieces(text, pieces)
    assert [text[s:e] for s, e in offsets] == ["The", "mini", "ster", "said", "."]


def test_align_pieces_unknown_bytes_fill_gaps() -> None:
    text = "he said 👍 ok"
    pieces = ["he", " said", " \ufffd", "\ufffd", " ok"]
    offsets = align_pieces(text, pieces)
    assert offsets[0] == (0, 2) and offsets[1] == (3, 7) and offsets[-1] == (10, 12)
    # The two byte pieces of the emoji point at the emoji, in order, inside the text.
    assert all(7 <= s <= e <= 10 for s, e in offsets[2:4])
    assert "👍" in text[offsets[2][0] : offsets[3][1]]


def test_clamp_offsets_after_prefix() -> None:
    assert clamp_offsets([(0, 1), (1, 4), (4, 9)], 1, 6) == [(0, 0), (0, 3), (3, 6)]


def test_window_span_grows_to_words() -> None:
    text = "which is a signal of non-existent intentions"
    offsets = [(0, 5), (5, 8), (8, 10), (10, 17), (17, 20), (20, 24), (24, 33), (33, 44)]
    assert text[slice(*window_span(text, offsets, 5, 7))] == "non-existent"


def test_fit_removes_length_trend() -> None:
    # Scores fall with log(length) plus symmetric noise: z must ignore the trend.
    counts = [n for n in range(5, 60) for _ in range(3)]
    noise = [-0.5, 0.0, 0.5] * 55
    values = [9.0 - 1.5 * math.log(n) + e for n, e in zip(counts, noise, strict=True)]
    fit = Fit.from_scores(values, counts)
    assert fit.slope == pytest.approx(-1.5, abs=1e-6)
    assert fit.z(9.0 - 1.5 * math.log(10), 10) == pytest.approx(0.0, abs=1e-6)
    assert fit.z(9.0 - 1.5 * math.log(40), 40) == pytest.approx(0.0, abs=1e-6)
    assert fit.percentile(9.0 - 1.5 * math.log(20) + 0.6, 20) == 100.0
    assert fit.percentile(9.0 - 1.5 * math.log(20) + 0.4, 20) > 60
    assert 30 < fit.percentile(9.0 - 1.5 * math.log(20), 20) < 70
    assert fit.percentile(0.0, 20) == 0.0
    # Beyond the fluent lengths the expectation stays at the longest length's.
    assert fit.expected(500) == pytest.approx(fit.expected(59))
