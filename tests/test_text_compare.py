from __future__ import annotations

import random
from pathlib import Path

import pytest
from sacrebleu.metrics.chrf import CHRF

from mtaudit.align import align_translations as align
from mtaudit.text.compare import (
    ChrfMemo,
    chrf,
    compare,
    lost_names,
    lost_numbers,
    names,
    normalise,
)
from mtaudit.text.numbers import numbers


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("أَحْمَد", "ar", "احمد"),  # diacritics dropped, hamza-alef folded
        ("مدرسة إلى", "ar", "مدرسه الي"),
        ("عام ٢٠٢١", "ar", "عام 2021"),
        ("كتـــاب", "ar", "كتاب"),  # tatweel
        ("Hello   world", "en", "Hello world"),
        ("آمن، ٱلسلام؛ أين ذهبت؟ مكة ١٬٢٣٤٫٥", "ar", "امن, السلام; اين ذهبت? مكه 1,234.5"),
        ("۱۲ and 12", "en", "12 and 12"),  # Persian digits too, in any language
    ],
)
def test_normalise(text: str, lang: str, expected: str) -> None:
    assert normalise(text, lang) == expected


def test_shuffled_and_wrong_translations_score_worse() -> None:
    ref = "The minister said on Monday that the government will support new projects in Basra."
    words = ref.split()
    random.Random(0).shuffle(words)
    shuffled = " ".join(words)
    wrong = "Heavy rain flooded the streets of the capital overnight."
    good = compare(ref, ref, "en")
    bad = compare(shuffled, ref, "en")
    worse = compare(wrong, ref, "en")
    assert good.chrf == pytest.approx(100.0) and good.ter == pytest.approx(0.0)
    assert good.bleu > bad.bleu > worse.bleu
    assert bad.chrf > worse.chrf
    assert worse.ter > bad.ter > good.ter


def test_arabic_comparison_ignores_spelling_variants() -> None:
    a = "قالَ الوزيرُ إنّ المدرسة ستفتح عام ٢٠٢١"
    b = "قال الوزير ان المدرسه ستفتح عام 2021"
    assert compare(a, b, "ar").chrf == pytest.approx(100.0)
    assert chrf("", b, "ar") == 0.0


def test_numbers_understand_arabic_indic_digits_and_separators() -> None:
    assert [n for n, _, _ in numbers("قتل ١٢ وجرح 1,500 في ٢٠٢١.")] == ["12", "1500", "2021"]
    lost = lost_numbers("Prices rose 12 percent in 2021.", "ارتفعت الأسعار ١٢ بالمئة في ٢٠٢٠")
    assert [(v, s, e) for v, s, e in lost] == [("2021", 26, 30)]


def test_names_skip_sentence_initial_words_and_find_losses() -> None:
    text = "The Canadian Diabetes Association met in Ottawa. Then NATO said so."
    assert [w for w, _, _ in names(text)] == [
        "Canadian",
        "Diabetes",
        "Association",
        "Ottawa",
        "NATO",
    ]
    lost = lost_names(text, "the canadian society of cecry met in ottawa; nato said so")
    assert [w for w, _, _ in lost] == ["Diabetes", "Association"]
    word, start, end = lost[0]
    assert text[start:end] == word


def test_align_finds_merged_and_dropped_sentences() -> None:
    def sim(hyp: str, ref: str) -> float:
        return chrf(hyp, ref, "en") / 100.0

    source = [
        "the army attacked the city at night",
        "many people were wounded",
        "the hospital was full",
        "the minister visited Basra on Monday",
        "an unrelated sentence about football scores",
    ]
    # the back-translations of 3 target sentences: 1-1, 2-1 (merged), 1-1, and one source dropped
    back = [
        "the army attacked the city at night",
        "many people were wounded and the hospital was full",
        "the minister visited Basra on Monday",
    ]
    beads = align(source, back, sim, merge_penalty=0.05, width=10)  # the shipped defaults
    assert beads[:3] == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]
    assert beads[3:] == [((4,), ())]
    covered_src = [i for s, _ in beads for i in s]
    covered_tgt = [j for _, t in beads for j in t]
    assert covered_src == list(range(5)) and covered_tgt == list(range(3))


def sacrebleu_chrf(hyp: str, ref: str, lang: str) -> float:
    """sacrebleu's own sentence chrF of the normalised texts (0 when either is empty)."""
    h, r = normalise(hyp, lang), normalise(ref, lang)
    return float(CHRF().sentence_score(h, [r]).score) if h and r else 0.0


@pytest.mark.parametrize(
    ("hyp", "ref", "lang"),
    [
        ("The army attacked the city at night.", "The army attacked the town by night.", "en"),
        ("هاجم الجيش المدينة في الليل.", "هاجم الجيشُ المدينةَ ليلاً.", "ar"),
        ("Completely different words here.", "Nothing alike.", "en"),
        ("", "Something.", "en"),
        ("Same text.", "Same text.", "en"),
        ("١٢ بالمئة", "12 بالمئة", "ar"),
        ("ab", "abcdefgh", "en"),  # shorter than the longest n-grams on one side
        ("abcdefgh", "ab", "en"),
        ("a", "a", "en"),
        ("aaaaaaaaaaaaaaaaaaaa", "aaaaaaaaa", "en"),  # one n-gram many times per order
        ("abababababab ab ab", "ababab abab", "en"),
        ("ha ha ha ha ha ha ha ha ha ha ha ha", "ha ha ha", "en"),
        ("x" * 40 + "y" * 3, "y" * 10 + "x" * 5, "en"),
    ],
)
def test_chrf_equals_sacrebleu(hyp: str, ref: str, lang: str) -> None:
    expected = sacrebleu_chrf(hyp, ref, lang)
    memo = ChrfMemo(lang)
    assert chrf(hyp, ref, lang) == expected
    assert memo(hyp, ref) == expected
    assert memo(hyp, ref) == expected  # from the memo
    assert compare(hyp, ref, lang, ["chrf"]).chrf == expected


def flores_outputs(shared_data: Path) -> list[tuple[str, list[str], list[str]]]:
    """Per target language: one system's FLORES-dev outputs and the human references."""
    folder = shared_data / "flores-dev"
    return [
        (
            lang,
            (folder / outputs).read_text(encoding="utf-8").splitlines(),
            (folder / references).read_text(encoding="utf-8").splitlines(),
        )
        for lang, outputs, references in (
            ("en", "ar-en/flores-dev.google.en", "ar-en/flores-dev.en"),
            ("ar", "en-ar/flores-dev.nllb.ar", "en-ar/flores-dev.ar"),
        )
    ]


def test_chrf_equals_sacrebleu_on_flores(shared_data: Path) -> None:
    for lang, hyps, refs in flores_outputs(shared_data):
        rng = random.Random(lang)
        memo = ChrfMemo(lang)
        for _ in range(300):
            i = rng.randrange(len(hyps))
            j = i if rng.random() < 0.5 else rng.randrange(len(refs))
            hyp = hyps[i] if rng.random() < 0.8 else hyps[i] + " " + hyps[i - 1]
            expected = sacrebleu_chrf(hyp, refs[j], lang)
            assert memo(hyp, refs[j]) == expected
            assert chrf(hyp, refs[j], lang) == expected


def test_merged_bound_is_never_below_the_score(shared_data: Path) -> None:
    """The bound for two sentences joined, from the parts' comparisons, is at least the real
    chrF of the joined text, on either side (1-2 and 2-1 beads), related or not."""
    for lang, ones, others in flores_outputs(shared_data):
        rng = random.Random(lang)
        memo = ChrfMemo(lang)
        for _ in range(300):
            i = rng.randrange(1, len(ones))
            j = i if rng.random() < 0.5 else rng.randrange(1, len(others))
            pair, single = [ones[i - 1], ones[i]], others[j]
            hyp_bound = memo.bound(pair, [single])
            ref_bound = memo.bound([single], pair)
            assert hyp_bound is not None and ref_bound is not None
            assert hyp_bound >= sacrebleu_chrf(" ".join(pair), single, lang)
            assert ref_bound >= sacrebleu_chrf(single, " ".join(pair), lang)


@pytest.mark.parametrize(
    ("parts", "single", "expected"),
    [
        (["abc", "\u0301def"], "abc def", None),  # the second part starts with a combining mark
        (["abc", ""], "abc", None),
        (["", "abc"], "abc", None),
        (["abc", "def"], "   ", None),
    ],
)
def test_no_merged_bound_where_the_join_is_not_plain(
    parts: list[str], single: str, expected: None
) -> None:
    memo = ChrfMemo("en")
    assert memo.bound(parts, [single]) is expected
    assert memo.bound([single], parts) is expected
