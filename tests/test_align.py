"""Alignment: banded search against the full table, and each document in its own direction."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from mtaudit.align import Alignment, AlignSettings, align, align_lengths, align_translations
from mtaudit.align.band import band_width, limits
from mtaudit.align.length import STEPS, _length_cost, penalties
from mtaudit.config import Config
from mtaudit.io import read_inputs
from mtaudit.pipeline import Auditor
from mtaudit.text.compare import ChrfMemo, chrf
from mtaudit.translate.cache import TranslationCache
from mtaudit.translate.engine import translation_key
from mtaudit.translate.settings import cache_path, engine_for
from mtaudit.translate.shared import Translations
from mtaudit.types import Bead, Sentence
from tests.helpers.translate_fixtures import make_config

pytestmark = pytest.mark.usefixtures("no_model_env")

CONFIG = Config.load()
LENGTHS = Alignment.from_config(CONFIG).lengths
BEADS = Alignment.from_config(CONFIG).beads


# -- the full tables the banded search replaced (kept here as the reference) -------------------


def full_lengths(
    source: Sequence[int], target: Sequence[int], settings: AlignSettings
) -> list[Bead]:
    """Gale-Church over the whole n×m table, as before banding."""
    ratio = settings.ratio
    variance = settings.variance
    penalty = penalties(settings)
    n, m = len(source), len(target)
    inf = math.inf
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            best, step = inf, (0, 0)
            for di, dj in STEPS:
                if di > i or dj > j or cost[i - di][j - dj] == inf:
                    continue
                total = cost[i - di][j - dj] + penalty[(di, dj)]
                if di and dj:
                    total += _length_cost(
                        sum(source[i - di : i]), sum(target[j - dj : j]), ratio, variance
                    )
                if total < best:
                    best, step = total, (di, dj)
            cost[i][j], back[i][j] = best, step
    return _trace(back, n, m)


def full_translations(
    source: Sequence[str], backs: Sequence[str], similarity: Callable[[str, str], float]
) -> list[Bead]:
    """The Bleualign-style aligner over the whole table, as before banding."""
    n, m = len(source), len(backs)
    best = [[-math.inf] * (m + 1) for _ in range(n + 1)]
    back = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            for di, dj in ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1)):
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or best[pi][pj] == -math.inf:
                    continue
                gain = 0.0
                if di and dj:
                    gain = similarity(" ".join(backs[pj:j]), " ".join(source[pi:i]))
                    if di + dj > 2:
                        gain -= BEADS.align_merge_penalty
                if best[pi][pj] + gain > best[i][j]:
                    best[i][j] = best[pi][pj] + gain
                    back[i][j] = (di, dj)
    return _trace(back, n, m)


def _trace(back: list[list[tuple[int, int]]], n: int, m: int) -> list[Bead]:
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        beads.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def inside(beads: list[Bead], n: int, m: int, width: int) -> bool:
    """Whether every cell the path visits lies in the band."""
    rows = limits(n, m, width)
    i = j = 0
    for src, tgt in beads:
        i, j = i + len(src), j + len(tgt)
        lo, hi = rows[i]
        if not lo <= j <= hi:
            return False
    return True


def covers(beads: list[Bead], n: int, m: int) -> bool:
    return [i for s, _ in beads for i in s] == list(range(n)) and [
        j for _, t in beads for j in t
    ] == list(range(m))


# -- realistic documents: FLORES sentences with merges, omissions and insertions --------------


def perturb(
    source: list[str], target: list[str], seed: int, rate: float
) -> tuple[list[str], list[str]]:
    """Target sentences merged in pairs, dropped, or inserted at ``rate`` each."""
    rng = random.Random(seed)
    out: list[str] = []
    i = 0
    while i < len(target):
        roll = rng.random()
        if roll < rate and i + 1 < len(target):
            out.append(target[i] + " " + target[i + 1])
            i += 2
            continue
        if roll < 2 * rate:
            i += 1  # omitted
            continue
        if roll < 3 * rate:
            out.append(target[rng.randrange(len(target))])  # something the source lacks
        out.append(target[i])
        i += 1
    return source, out


@pytest.fixture
def flores(shared_data: Path) -> dict[str, list[str]]:
    folder = shared_data / "flores-dev"
    read = lambda p: (folder / p).read_text(encoding="utf-8").splitlines()  # noqa: E731
    return {
        "ar": read("ar-en/flores-dev.ar"),
        "en": read("ar-en/flores-dev.google.en"),
        "back": read("en-ar/flores-dev.nllb.ar"),  # Arabic MT of the English reference
        "ref": read("ar-en/flores-dev.en"),
    }


@pytest.mark.parametrize(
    ("start", "count", "seed", "rate"),
    [(0, 60, 1, 0.0), (100, 80, 2, 0.03), (300, 120, 3, 0.05), (500, 150, 4, 0.08), (0, 7, 5, 0.2)],
)
def test_banded_lengths_equal_full_table(
    flores: dict[str, list[str]], start: int, count: int, seed: int, rate: float
) -> None:
    source, target = perturb(
        flores["ar"][start : start + count], flores["en"][start : start + count], seed, rate
    )
    src, tgt = [len(s) for s in source], [len(t) for t in target]
    full = full_lengths(src, tgt, LENGTHS)
    width = band_width(len(src), len(tgt), 20, 60)
    assert inside(full, len(src), len(tgt), width)
    assert align_lengths(src, tgt, LENGTHS) == full


@pytest.mark.parametrize(("start", "count", "seed", "rate"), [(0, 30, 7, 0.05), (200, 40, 8, 0.1)])
def test_banded_translations_equal_full_table(
    flores: dict[str, list[str]], start: int, count: int, seed: int, rate: float
) -> None:
    source = flores["ar"][start : start + count]
    _, backs = perturb(source, flores["back"][start : start + count], seed, rate)

    def similarity(hyp: str, ref: str) -> float:
        return chrf(hyp, ref, "ar") / 100.0

    full = full_translations(source, backs, similarity)
    width = band_width(len(source), len(backs), 10, 60)
    assert inside(full, len(source), len(backs), width)
    merge = BEADS.align_merge_penalty
    assert align_translations(source, backs, similarity, merge_penalty=merge, width=width) == full


@pytest.mark.parametrize(
    ("start", "count", "seed", "rate", "lang"),
    [
        (0, 30, 7, 0.05, "ar"),
        (200, 40, 8, 0.1, "ar"),
        (400, 25, 9, 0.25, "ar"),  # many merges, omissions and insertions
        (600, 5, 10, 0.3, "ar"),  # a five-sentence document, as in a feed
        (700, 6, 11, 0.0, "ar"),
        (800, 30, 12, 0.15, "en"),
    ],
)
def test_bounded_merges_give_the_full_tables_beads(
    flores: dict[str, list[str]], start: int, count: int, seed: int, rate: float, lang: str
) -> None:
    """Many-to-one beads scored by their upper bound until they are on the best path: the beads
    are those of the full table with every bead compared exactly, and fewer are compared."""
    if lang == "ar":
        source = flores["ar"][start : start + count]
        _, backs = perturb(source, flores["back"][start : start + count], seed, rate)
    else:
        source = flores["en"][start : start + count]
        _, backs = perturb(source, flores["ref"][start : start + count], seed, rate)
    memo = ChrfMemo(lang)
    asked: list[tuple[str, str]] = []

    def similarity(hyp: str, ref: str) -> float:
        asked.append((hyp, ref))
        return memo(hyp, ref) / 100.0

    def bound(hyps: Sequence[str], refs: Sequence[str]) -> float | None:
        value = memo.bound(hyps, refs)
        return None if value is None else value / 100.0

    width = band_width(len(source), len(backs), 10, 60)
    full = full_translations(source, backs, lambda h, r: chrf(h, r, lang) / 100.0)
    merge = BEADS.align_merge_penalty
    bounded = align_translations(
        source, backs, similarity, merge_penalty=merge, width=width, bound=bound
    )
    assert bounded == full
    exact = len(asked)
    asked.clear()
    assert align_translations(source, backs, similarity, merge_penalty=merge, width=width) == full
    assert exact < len(asked)


@pytest.mark.parametrize(
    ("n", "m", "width"), [(40, 40, 1), (50, 10, 2), (3, 60, 1), (1, 30, 1), (30, 1, 1), (0, 5, 3)]
)
def test_narrow_band_still_covers_both_sides(n: int, m: int, width: int) -> None:
    rng = random.Random(n * 100 + m)
    src = [rng.randint(20, 200) for _ in range(n)]
    tgt = [rng.randint(20, 200) for _ in range(m)]
    assert covers(align_lengths(src, tgt, LENGTHS, width=width), n, m)


def test_band_memory_is_one_byte_per_cell() -> None:
    rows = limits(5000, 4900, band_width(5000, 4900, 20, 60))
    cells = sum(hi - lo + 1 for lo, hi in rows)
    assert cells < 5001 * 125  # linear in the sentence count, not 5000 × 4900


# -- each document in its own direction --------------------------------------------------------

# An ar->en record whose target leaves out the source's middle sentence, and an en->ar record
# doing the same: by length the omission is put in the wrong place, by translation it is not.
AR = ["هاجم الجيش المدينة ليلا بالدبابات.", "أصيب كثير من الناس في الشوارع.", "زار الوزير البصرة."]
EN = ["The army attacked the city at night with tanks.", "The minister visited Basra."]
EN_BACK = ["هاجم الجيش المدينة في الليل بالدبابات.", "زار الوزير البصرة."]
EN_SRC = [
    "The army attacked the city at night with tanks.",
    "Many people were wounded in the streets.",
    "The minister visited Basra on Monday.",
]
AR_TGT = ["هاجم الجيش المدينة ليلا بالدبابات.", "زار الوزير البصرة يوم الاثنين."]
AR_BACK = ["The army attacked the city at night with tanks.", "The minister visited Basra Monday."]


def fill(config: Config, direction: str, rows: dict[str, str]) -> None:
    spec = engine_for(config, direction)
    assert spec is not None
    with TranslationCache(cache_path(config)) as cache:
        cache.put_many(translation_key(config, spec), rows.items(), origin="import:test")


def sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(i, t, 0, len(t)) for i, t in enumerate(texts)]


def test_align_uses_the_given_languages(tmp_path: Path) -> None:
    config = make_config(tmp_path / "none", tmp_path / "c.sqlite3")
    translations = Translations(config)
    settings = Alignment.from_config(config)
    by_length = align(sentences(AR), sentences(EN), settings, source_lang="ar", target_lang="en")
    fill(config, "en-ar", dict(zip(EN, EN_BACK, strict=True)))
    by_translation = align(
        sentences(AR),
        sentences(EN),
        settings,
        source_lang="ar",
        target_lang="en",
        translate=translations.translate_if_available,
    )
    assert by_length == [((0, 1), (0,)), ((2,), (1,))]
    assert by_translation == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    # the other direction's model is absent and nothing is cached for it: length decides
    wrong = align(
        sentences(AR),
        sentences(EN),
        settings,
        source_lang="en",
        target_lang="ar",
        translate=translations.translate_if_available,
    )
    assert wrong == by_length


def test_feed_records_align_in_their_own_direction(tmp_path: Path) -> None:
    config = make_config(tmp_path / "none", tmp_path / "c.sqlite3")
    fill(config, "en-ar", dict(zip(EN, EN_BACK, strict=True)))
    fill(config, "ar-en", dict(zip(AR_TGT, AR_BACK, strict=True)))
    feed = tmp_path / "feed.jsonl"
    records = [
        {"id": "ar2en", "source": " ".join(AR), "target": " ".join(EN)},
        {
            "id": "en2ar",
            "source": " ".join(EN_SRC),
            "target": " ".join(AR_TGT),
            "source_lang": "en",
            "target_lang": "ar",
        },
    ]
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    items = read_inputs([str(feed)], source_lang="ar", target_lang="en")
    config = config.with_overrides({"fidelity.parts": ["back_translation"]})
    auditor = Auditor(config, signals=["fidelity"])
    ar2en, en2ar = auditor.audit_batch(items)
    auditor.close()
    # by length: [(0, 1), (2,)] and [(1,), (2,)]; aligned in the config's direction (ar->en),
    # the en->ar record would find no translations and fall back to length
    assert [s.pair.source_indices for s in ar2en.sentences] == [(0,), (2,)]
    assert [s.pair.source_indices for s in en2ar.sentences] == [(0,), (2,)]
    assert [[x.text for x in d.unaligned_source] for d in (ar2en, en2ar)] == [[AR[1]], [EN_SRC[1]]]
    # each direction was translated once for both alignment and scoring
    assert auditor.translations.calls == {"en-ar": 1, "ar-en": 1}
    assert ar2en.sentences[1].texts["back_translation"] == EN_BACK[1]
    assert en2ar.sentences[1].texts["back_translation"] == AR_BACK[1]
