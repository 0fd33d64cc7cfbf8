"""Fast TER against sacrebleu's own TER, pair by pair (exact equality)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sacrebleu.metrics.ter import TER

from mtaudit.text.ter import EditDistance, FastTER

SACREBLEU = TER(normalized=True)


def sacrebleu_ter(hyp: str, ref: str) -> float:
    return float(SACREBLEU.sentence_score(hyp, [ref]).score)


LONG = (
    "the minister said on monday that the government will support new projects in the south "
    "of the country and that the first of them would open before the end of the year while "
    "the opposition asked for a vote on the budget which has been delayed twice already"
)


@pytest.mark.parametrize(
    ("hyp", "ref"),
    [
        ("The army attacked the city at night.", "The army attacked the town by night."),
        ("at night the army attacked the city", "the army attacked the city at night"),  # shift
        ("", "Something here."),
        ("Something here.", ""),
        ("", ""),
        ("Same text.", "Same text."),
        ("SAME text", "same TEXT"),  # TER lowercases
        ("a b c d e f", "f e d c b a"),
        ("a a a a b b b b", "b b b b a a a a"),  # repeated words, several shifts tie
        ("one two three", "four five six seven eight nine ten"),
        (LONG, LONG.replace("monday", "tuesday")),
        (" ".join(reversed(LONG.split())), LONG),  # far beyond the beam's safe distance
        (LONG + " " + LONG, LONG),  # twice as long: a wider beam
        ("word " * 60, "other " * 20),
        ("هاجم الجيش المدينة في الليل .", "في الليل هاجم الجيش المدينة ."),
    ],
)
def test_ter_equals_sacrebleu(hyp: str, ref: str) -> None:
    assert FastTER().score(hyp, ref) == sacrebleu_ter(hyp, ref)


def test_ter_equals_sacrebleu_on_flores(shared_data: Path) -> None:
    folder = shared_data / "flores-dev" / "ar-en"
    read = lambda name: (folder / name).read_text(encoding="utf-8").splitlines()  # noqa: E731
    refs, google, opus = (
        read("flores-dev.en"),
        read("flores-dev.google.en"),
        read("flores-dev.opusmt.en"),
    )
    rng = random.Random(13)
    fast = FastTER()
    for _ in range(40):
        i = rng.randrange(1, len(refs))
        shuffled = google[i].split()
        rng.shuffle(shuffled)
        for hyp, ref in (
            (google[i], refs[i]),
            (opus[i], google[i]),
            (" ".join(shuffled), refs[i]),
            (google[i] + " " + google[i - 1], refs[i]),
            (google[i], refs[rng.randrange(len(refs))]),
        ):
            assert fast.score(hyp, ref) == sacrebleu_ter(hyp, ref), (hyp, ref)


@pytest.mark.parametrize(
    ("hyp", "ref"),
    [
        ("a b c d", "a b c d"),
        ("a b x d", "a b c d"),
        ("b c d", "a b c d"),
        ("a b c d e", "a b c d"),
        ("d c b a", "a b c d"),
        ("", "a b"),
        ("a b", "x y z"),
    ],
)
def test_bit_parallel_trace_is_the_beam_trace(hyp: str, ref: str) -> None:
    from sacrebleu.metrics.lib_ter import BeamEditDistance

    words_hyp, words_ref = hyp.split(), ref.split()
    dist, trace, _ = EditDistance(words_ref).traced(words_hyp)
    assert (dist, trace) == BeamEditDistance(words_ref)(words_hyp)
    assert EditDistance(words_ref).banded(words_hyp) == dist


def test_a_sacrebleu_without_the_reused_internals_falls_back_to_its_own_ter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sacrebleu release that renames the private parts the fast TER reuses slows TER down;
    it never breaks the import or changes a score."""
    import sys
    import types

    from mtaudit.text.compare import SacrebleuTER, ter_scorer

    assert isinstance(ter_scorer(), FastTER)
    monkeypatch.setitem(sys.modules, "sacrebleu.metrics.lib_ter", types.ModuleType("lib_ter"))
    monkeypatch.delitem(sys.modules, "mtaudit.text.ter")
    fallback = ter_scorer()
    assert isinstance(fallback, SacrebleuTER)
    hyp, ref = "The army attacked the city at night.", "The army attacked the town by night."
    assert fallback.score(hyp, ref) == sacrebleu_ter(hyp, ref) == FastTER().score(hyp, ref)
