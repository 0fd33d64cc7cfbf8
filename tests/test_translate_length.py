from __future__ import annotations

from collections.abc import Sequence

import pytest

from mtaudit.translate import TranslationKey
from mtaudit.translate.length import ChunkedTranslator, split_to_budget


def words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize(
    ("text", "budget", "expected"),
    [
        ("short sentence.", 5, ["short sentence."]),
        (
            "one two three, four five six, seven eight.",
            4,
            ["one two three,", "four five six,", "seven eight."],
        ),
        ("a b c d e f g h", 3, ["a b c", "d e f", "g h"]),
        (
            "قال الوزير، إن الحكومة ستدعم؛ المشاريع الجديدة",
            3,
            ["قال الوزير،", "إن الحكومة ستدعم؛", "المشاريع الجديدة"],
        ),
        ("x, y, z.", 2, ["x, y,", "z."]),
    ],
)
def test_split_to_budget(text: str, budget: int, expected: list[str]) -> None:
    parts = split_to_budget(text, words, budget)
    assert parts == expected
    assert all(words(p) <= budget for p in parts)
    assert " ".join(parts).split() == text.split()  # nothing lost, nothing truncated


def test_split_giant_token_by_characters() -> None:
    url = "https://example.org/" + "a" * 100
    parts = split_to_budget(url, len, 30)
    assert "".join(parts) == url
    assert all(len(p) <= 30 for p in parts)


class Reverser(ChunkedTranslator):
    """Translates by reversing words; records the batches it saw."""

    def __init__(self, budget: int, batch_size: int = 2) -> None:
        super().__init__(TranslationKey("toy", "1", "xx-yy", "beam=1"), batch_size, budget)
        self.batches: list[list[str]] = []

    def count_tokens(self, text: str) -> int:
        return words(text) + 1  # + </s>

    def translate_batch(self, texts: list[str]) -> list[str]:
        self.batches.append(list(texts))
        return [" ".join(reversed(t.split())) for t in texts]


def run(tr: Reverser, texts: Sequence[str]) -> list[str]:
    return tr.translate(texts)


def test_chunked_translator_keeps_order_sorts_batches_and_splits() -> None:
    tr = Reverser(budget=5)
    texts = ["a b c d e f g, h i j.", "", "x y", "p q r s"]
    out = run(tr, texts)
    # the first input is over budget: translated as "a b c d" / "e f g," / "h i j." and rejoined
    assert out == ["d c b a g, f e j. i h", "", "y x", "s r q p"]
    assert tr.split_inputs == 1
    lengths = [len(t) for batch in tr.batches for t in batch]
    assert lengths == sorted(lengths)  # batches are formed from length-sorted chunks
    assert all(len(b) <= 2 for b in tr.batches)
