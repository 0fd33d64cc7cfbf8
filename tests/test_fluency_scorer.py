"""The fluency scorer on a tiny GPT-2 trained on the shipped fluent text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mtaudit.config import Config
from mtaudit.lm import background as background_module
from mtaudit.lm.background import background_path, load_background
from mtaudit.lm.loading import ScorerSpec, load_scorer
from mtaudit.lm.scorer import FluencyScorer
from mtaudit.lm.spans import window_span
from mtaudit.models.convert import convert
from mtaudit.models.loaded import clear as clear_cache
from mtaudit.models.paths import ct2_dir_for
from mtaudit.settings import settings_of
from mtaudit.signals.fluency import FluencyOptions
from tests.test_fluency_spans import is_cluster_boundary

pytestmark = pytest.mark.slow

# (fluent original from the training text, damaged copy, the damaged words)
DAMAGE = {
    "shuffled": (
        "A new bridge linking the two banks of the river opened to traffic on Monday.",
        "A bridge new the linking two banks river of the to opened on traffic Monday.",
        "the linking two banks river of the to opened on traffic",
    ),
    "doubled": (
        "A new bridge linking the two banks of the river opened to traffic on Monday.",
        "A new bridge linking the two banks of the river the river opened to traffic on Monday.",
        "the river the river",
    ),
    "wrong language": (
        "The city council approved a new budget on Tuesday after three weeks of debate.",
        "The city council approved a new الميزانية budget on Tuesday after three weeks of debate.",
        "الميزانية",
    ),
}

MIXED = [
    "Al-Kazemi (الكاظمي) met them 👍🏽 in the cafe\u0301 on Sunday 👨\u200d👩\u200d👧.",
    "قال رئيس الوزراء مصطفى الكاظمي إن الحكومة تعمل 🙂 على خفض الكلفة.",
    "Zoe\u0308 said the naïve plan—costing €5m—was “fine” 🇮🇶.",
]


def spec_for(model_dir: Path, **kwargs: Any) -> ScorerSpec:
    """The scorer spec of ``[fluency]`` in the shipped defaults, with ``kwargs`` changed."""
    options = settings_of(Config.load(), FluencyOptions)
    keys = ("engine", "compute_type", "batch_size", "threads", "padding_side", "window")
    shipped = {k: getattr(options, k) for k in (*keys, "plain_quotes")}
    return ScorerSpec(model_dir=model_dir, **(shipped | kwargs))


def scorer_for(model_dir: Path, **kwargs: Any) -> FluencyScorer:
    return load_scorer(spec_for(model_dir, **kwargs))


@pytest.fixture(scope="module")
def hf(tiny_gpt2: Path) -> FluencyScorer:
    return scorer_for(tiny_gpt2, engine="transformers")


def overlaps(span: tuple[int, int], lo: int, hi: int) -> bool:
    return span[0] < hi and lo < span[1]


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damage_scores_worse_and_window_covers_it(hf: FluencyScorer, kind: str) -> None:
    fluent, broken, damage = DAMAGE[kind]
    good, bad = hf.score([fluent, broken])
    assert bad.mean > good.mean + 0.3
    assert bad.window_mean > good.window_mean
    lo = broken.index(damage)
    assert overlaps(bad.span, lo, lo + len(damage)), (kind, bad.span_text)


def test_worst_window_points_at_the_foreign_word(hf: FluencyScorer) -> None:
    _, broken, damage = DAMAGE["wrong language"]
    (bad,) = hf.score([broken])
    assert damage in bad.span_text
    assert len(bad.span_text) < len(broken) / 2


@pytest.mark.parametrize("text", MIXED)
def test_offsets_on_arabic_emoji_and_combining_marks(hf: FluencyScorer, text: str) -> None:
    (score,) = hf.score([text])
    assert score.tokens == len(score.offsets) > 0
    previous_start = 0
    for start, end in score.offsets:
        assert 0 <= start <= end <= len(text)
        assert start >= previous_start
        previous_start = start
    # Together the tokens cover every non-space character of the sentence.
    covered = set()
    for start, end in score.offsets:
        covered.update(range(start, end))
    assert {i for i, ch in enumerate(text) if not ch.isspace()} <= covered
    # Every possible window maps to a span of whole words without edge spaces or split clusters.
    for i in range(score.tokens):
        lo, hi = window_span(text, list(score.offsets), i, min(i + 4, score.tokens))
        assert 0 <= lo < hi <= len(text)
        assert not text[lo].isspace() and not text[hi - 1].isspace()
        assert is_cluster_boundary(text, lo) and is_cluster_boundary(text, hi)
        assert lo == 0 or text[lo - 1].isspace() or not text[lo - 1].isalnum()


class SlowTokenizer:
    """The same tokenizer, pretending it cannot report offsets (the fallback path)."""

    is_fast = False

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.bos_token_id = inner.bos_token_id
        self.eos_token_id = inner.eos_token_id

    def __call__(self, text: str, add_special_tokens: bool = False) -> Any:
        return self.inner(text, add_special_tokens=add_special_tokens)

    def convert_ids_to_tokens(self, ids: list[int]) -> list[str]:
        return list(self.inner.convert_ids_to_tokens(ids))

    def convert_tokens_to_string(self, tokens: list[str]) -> str:
        return str(self.inner.convert_tokens_to_string(tokens))


@pytest.mark.parametrize("text", [*MIXED, "The city council approved a new budget."])
def test_offsets_fallback_without_a_fast_tokenizer(hf: FluencyScorer, text: str) -> None:
    slow = FluencyScorer(SlowTokenizer(hf.tokenizer), hf.engine, window=4)
    fast_ids, fast_offsets = hf.encode(text)
    slow_ids, slow_offsets = slow.encode(text)
    assert slow_ids == fast_ids
    assert all(0 <= s <= e <= len(text) for s, e in slow_offsets)
    assert [s for s, _ in slow_offsets] == sorted(s for s, _ in slow_offsets)
    # Tokens that are whole characters are located exactly where the fast tokenizer puts them.
    for (fs, fe), (ss, se), tid in zip(fast_offsets, slow_offsets, fast_ids, strict=True):
        piece = hf.tokenizer.convert_tokens_to_string([hf.tokenizer.convert_ids_to_tokens(tid)])
        if "\ufffd" not in piece and piece.strip():
            assert text[ss:se] == text[fs:fe].strip(), piece


@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_padding_does_not_change_scores(tiny_gpt2: Path, padding_side: str) -> None:
    scorer = scorer_for(tiny_gpt2, engine="transformers", padding_side=padding_side)
    short = "Officials said the talks on a new trade agreement had made good progress."
    longer = [
        "The government announced plans to build four new hospitals in the south of the "
        "country, and each hospital will have at least two hundred beds.",
        "Prices of fruit and vegetables fell in local markets after the harvest season began, "
        "and traders said supplies from local farms had increased sharply this month.",
    ]
    (alone,) = scorer.score([short])
    batched = scorer.score([longer[0], short, longer[1]], [None, "Talks resumed.", None])[1]
    (with_context_alone,) = scorer.score([short], ["Talks resumed."])
    assert alone.surprisal == pytest.approx(
        scorer_for(tiny_gpt2, engine="transformers").score([short])[0].surprisal, abs=1e-4
    )
    assert batched.surprisal == pytest.approx(with_context_alone.surprisal, abs=1e-4)
    assert batched.span == with_context_alone.span


def test_context_helps_a_pronoun_initial_sentence(hf: FluencyScorer) -> None:
    previous = "Several members had argued for deeper cuts to administrative costs."
    sentence = "They said the savings could have paid for more teachers."
    alone, after = hf.score([sentence, sentence], [None, previous])
    assert after.mean < alone.mean
    assert after.surprisal[0] < alone.surprisal[0]  # "They" is expected after the context
    # The context's own tokens are not scored: the offsets still point into the sentence.
    assert after.context_tokens > 5
    assert after.tokens <= alone.tokens + 1
    assert all(0 <= s <= e <= len(sentence) for s, e in after.offsets)
    assert after.span_text and after.span_text in sentence


def test_ct2_int8_agrees_with_transformers(
    hf: FluencyScorer,
    tiny_gpt2: Path,
    tiny_gpt2_ct2: Path,
) -> None:
    fast = scorer_for(tiny_gpt2, engine="ct2", compute_type="int8")
    texts = [d[i] for d in DAMAGE.values() for i in (0, 1)] + MIXED
    contexts: list[str | None] = [None] * len(texts)
    contexts[1] = "Engineers said the delays were caused by difficult soil conditions."
    reference = hf.score(texts, contexts)
    quick = fast.score(texts, contexts)
    for a, b in zip(reference, quick, strict=True):
        assert a.offsets == b.offsets
        assert b.mean == pytest.approx(a.mean, abs=0.1)
        assert max(abs(x - y) for x, y in zip(a.surprisal, b.surprisal, strict=True)) < 0.5
    # The ranking of fluent against damaged text is the same with both engines.
    assert [s.mean > r.mean for s, r in zip(quick[1::2], quick[0::2], strict=False)] == [
        s.mean > r.mean for s, r in zip(reference[1::2], reference[0::2], strict=False)
    ]


def test_ct2_float32_matches_transformers_exactly(
    hf: FluencyScorer,
    tiny_gpt2: Path,
) -> None:
    pytest.importorskip("ctranslate2")
    convert(tiny_gpt2, ct2_dir_for(tiny_gpt2, "float32"), quantization="float32")
    exact = scorer_for(tiny_gpt2, engine="ct2", compute_type="float32")
    texts = [DAMAGE["doubled"][1], MIXED[1]]
    for a, b in zip(hf.score(texts), exact.score(texts), strict=True):
        assert b.surprisal == pytest.approx(a.surprisal, abs=2e-3)


def test_model_is_loaded_once_per_process(tiny_gpt2: Path) -> None:
    spec = spec_for(tiny_gpt2, engine="transformers")
    assert load_scorer(spec) is load_scorer(spec)


def test_long_sentences_are_truncated_not_failed(hf: FluencyScorer) -> None:
    text = " ".join(["The council met again on Tuesday."] * 60)
    (score,) = hf.score([text], ["A context that must give way."])
    assert score.truncated
    assert score.tokens == hf.max_length - 1
    assert score.context_tokens == 0


def test_empty_sentence(hf: FluencyScorer) -> None:
    (score,) = hf.score([""])
    assert score.tokens == 0 and score.span == (0, 0)


def test_background_is_stored_beside_the_model_and_reused(
    tiny_gpt2: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scorer = scorer_for(tiny_gpt2, engine="ct2")
    store = background_path(tiny_gpt2)
    assert store.parent == tiny_gpt2.parent and store.name == "tiny-gpt2.fluency-background.json"
    store.unlink(missing_ok=True)
    first = load_background(scorer, tiny_gpt2, "en", context=True)
    data = json.loads(store.read_text(encoding="utf-8"))
    assert data["format"] == "mtaudit.fluency-background/1"
    assert list(data["entries"]) == [first.key]
    assert first.sentences > 300 and first.engine == "ct2" and first.context

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the stored background should have been reused")

    monkeypatch.setattr(background_module, "compute_background", forbidden)
    again = load_background(scorer, tiny_gpt2, "en", context=True)
    assert again == first
    monkeypatch.undo()

    # A different setting (no context) is a different background, stored next to the first.
    other = load_background(scorer, tiny_gpt2, "en", context=False)
    assert other.key != first.key
    assert len(json.loads(store.read_text(encoding="utf-8"))["entries"]) == 2


def test_normalised_scores_separate_fluent_from_broken(
    tiny_gpt2: Path,
) -> None:
    scorer = scorer_for(tiny_gpt2, engine="ct2")
    bg = load_background(scorer, tiny_gpt2, "en", context=False)
    for fluent, broken, _ in DAMAGE.values():
        good, bad = (bg.normalise(s) for s in scorer.score([fluent, broken]))
        assert bad["surprisal_z"] > good["surprisal_z"]
        assert bad["window_z"] > good["window_z"]
        assert 0.0 <= good["window_pct"] <= 100.0
    # A sentence the model never saw in a language it never learnt is far outside fluent text.
    (arabic,) = scorer.score([MIXED[1]])
    assert bg.normalise(arabic)["surprisal_z"] > 3.0
    assert bg.normalise(arabic)["surprisal_pct"] == 100.0


def teardown_module() -> None:
    clear_cache()


def test_typographic_quotes_score_as_plain_ones(hf: FluencyScorer) -> None:
    plain = 'The minister said the country\'s plan was "fair" to all.'
    curly = "The minister said the country\u2019s plan was \u201cfair\u201d to all."
    a, b = hf.score([plain, curly], ['It\'s "new".', "It\u2019s \u201cnew\u201d."])
    assert b.surprisal == pytest.approx(a.surprisal, abs=1e-6)
    assert b.offsets == a.offsets  # one character for one: offsets hold in the original
    assert b.span_text == curly[a.span[0] : a.span[1]]
    literal = FluencyScorer(hf.tokenizer, hf.engine, plain_quotes=False)
    (c,) = literal.score([curly], ["It\u2019s \u201cnew\u201d."])
    assert c.surprisal != pytest.approx(a.surprisal, abs=1e-3)
