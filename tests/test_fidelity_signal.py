"""The fidelity signal: statuses, scores, findings, suggestions, alignment."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtaudit.config import Config
from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.judge import JudgeSettings, fidelity_metrics
from mtaudit.settings import settings_of
from mtaudit.signals import load
from mtaudit.signals.fidelity import FidelitySignal, ensure_all_ran
from mtaudit.translate.cache import TranslationCache
from mtaudit.translate.engine import translation_key
from mtaudit.translate.settings import engine_for
from mtaudit.types import Pair, Sentence, Severity
from tests.helpers.judge_models import reading_forward_ter
from tests.helpers.translate_fixtures import make_config

pytestmark = pytest.mark.usefixtures("no_model_env")

SRC_GOOD = "قال وزير النفط يوم الاثنين إن الإنتاج ارتفع بنسبة ١٢ بالمئة."
TGT_GOOD = "The oil minister said on Monday that production rose by 12 percent."
SRC_BAD = "اجتمعت الجمعية الكندية للسكري في أوتاوا عام ٢٠١٩."
TGT_BAD = "The Canadian Society of Cecry gathered at the party in 2018."
TGT_ALONE = "The Iraqi parliament approved the budget of 2021 after long talks."

# what the engines "produced" (imported into the cache)
BACK = {  # en -> ar
    TGT_GOOD: "قال وزير النفط يوم الاثنين إن الإنتاج ارتفع بنسبة 12 بالمئة.",
    TGT_BAD: "اجتمعت جمعية سيكري الكندية في الحفلة عام 2018.",
    TGT_ALONE: "وافق البرلمان العراقي على ميزانية 2021 بعد محادثات طويلة.",
}
FORWARD = {  # ar -> en
    SRC_GOOD: "The oil minister said Monday that production increased by 12 percent.",
    SRC_BAD: "The Canadian Diabetes Association met in Ottawa in 2019.",
    BACK[TGT_ALONE]: "The Iraqi parliament approved the 2021 budget after long talks.",
}


def pair(i: int, target: str, source: str | None) -> Pair:
    return Pair("doc", Sentence(i, target, 0, len(target)), source)


PAIRS = [pair(0, TGT_GOOD, SRC_GOOD), pair(1, TGT_BAD, SRC_BAD), pair(2, TGT_ALONE, None)]


def fill_cache(config: Config, back: dict[str, str], forward: dict[str, str]) -> None:
    from mtaudit.translate.settings import cache_path

    with TranslationCache(cache_path(config)) as cache:
        for direction, rows in (("en-ar", back), ("ar-en", forward)):
            spec = engine_for(config, direction)
            assert spec is not None
            cache.put_many(translation_key(config, spec), rows.items(), origin="import:test")


@pytest.fixture
def cached_config(tmp_path: Path) -> Config:
    config = make_config(tmp_path / "no-models", tmp_path / "cache.sqlite3")
    fill_cache(config, BACK, FORWARD)
    return config


def test_registry_builds_the_signal(cached_config: Config) -> None:
    signal = load("fidelity", cached_config)
    assert isinstance(signal, FidelitySignal) and signal.name == "fidelity"


def test_everything_cached_and_no_model_on_disk(cached_config: Config) -> None:
    signal = FidelitySignal(cached_config)
    statuses = signal.status(PAIRS)
    assert [(s.name, s.ran) for s in statuses] == [
        ("fidelity.back_translation", True),
        ("fidelity.forward", True),
        ("fidelity.round_trip", True),
    ]
    ensure_all_ran(statuses)  # strict mode has nothing to complain about
    good, bad, alone = signal.score(PAIRS)

    assert good.texts["back_translation"] == BACK[TGT_GOOD]
    assert good.texts["suggestion"] == good.texts["forward_translation"] == FORWARD[SRC_GOOD]
    assert good.values["chrf_back"] > 90 and good.values["chrf_forward"] > 60
    assert {"chrf_back", "chrf_forward"} <= set(good.values)
    # metrics "auto": chrF, plus what the shipped ar-en judge model reads (nothing more today)
    wanted = fidelity_metrics(settings_of(cached_config, JudgeSettings), "ar-en")
    computed = {
        (part, metric)
        for part, suffix in (("back_translation", "back"), ("forward", "forward"))
        for metric in ("bleu", "ter")
        if f"{metric}_{suffix}" in good.values
    }
    assert computed == {(part, m) for part, ms in wanted.items() for m in ms if m != "chrf"}
    assert good.findings == []

    assert bad.values["chrf_back"] < good.values["chrf_back"]
    assert bad.values["chrf_forward"] < good.values["chrf_forward"]
    checks = {f.check for f in bad.findings}
    assert "fidelity.names" in checks  # Society, Cecry are not in the independent translation
    names = [
        TGT_BAD[f.span[0] : f.span[1]]
        for f in bad.findings
        if f.check == "fidelity.names" and f.span
    ]
    assert names[:2] == ["Society", "Cecry"]
    assert bad.texts["suggestion"] == FORWARD[SRC_BAD]

    assert "suggestion" not in alone.texts and "forward_translation" not in alone.texts
    assert alone.texts["round_trip"] == FORWARD[BACK[TGT_ALONE]]
    assert alone.values["chrf_round_trip"] > 60
    assert "chrf_back" not in alone.values


def test_auto_metrics_follow_a_judge_model_that_reads_ter(
    cached_config: Config, tmp_path: Path
) -> None:
    path = reading_forward_ter(tmp_path, 0.4)
    config = cached_config.with_overrides({"judge.models": {"ar-en": str(path)}})
    good = FidelitySignal(config).score(PAIRS)[0]
    assert "ter_forward" in good.values  # the model reads it: computed
    assert not {"ter_back", "bleu_back", "bleu_forward"} & set(good.values)  # nobody reads these


def test_numbers_lost_in_the_back_translation(cached_config: Config) -> None:
    signal = FidelitySignal(cached_config)
    (good, bad, _) = signal.score(PAIRS)
    assert not [f for f in good.findings if f.check == "fidelity.numbers"]  # ١٢ == 12
    target = "The Canadian Society of Cecry gathered at the party in 2018."
    # the back-translation keeps 2018 (the target's own number): no loss to report there
    assert not [f for f in bad.findings if f.check == "fidelity.numbers"]
    lost = FidelitySignal(cached_config)
    fill_cache(cached_config, {TGT_BAD: "اجتمعت جمعية سيكري الكندية في الحفلة."}, {})
    out = lost.score([pair(1, target, SRC_BAD)])[0]
    numbers = [f for f in out.findings if f.check == "fidelity.numbers"]
    assert numbers and numbers[0].severity is Severity.MAJOR
    assert numbers[0].span is not None and target[slice(*numbers[0].span)] == "2018"


def test_low_chrf_gives_a_finding_with_the_configured_severity(tmp_path: Path) -> None:
    config = make_config(tmp_path / "none", tmp_path / "c.sqlite3")
    target = "Heavy rain flooded the streets of the capital overnight, officials said."
    source = "قال وزير النفط يوم الاثنين إن الإنتاج ارتفع."
    fill_cache(
        config,
        {target: "غمرت الأمطار الغزيرة شوارع العاصمة ليلا حسبما قال المسؤولون."},
        {source: "The oil minister said on Monday that production rose."},
    )
    out = FidelitySignal(config).score([pair(0, target, source)])[0]
    by_check = {f.check: f for f in out.findings}
    assert by_check["fidelity.back_translation"].severity is Severity.MAJOR
    assert by_check["fidelity.forward"].severity is Severity.MAJOR
    assert "chrF" in by_check["fidelity.forward"].message


def test_missing_model_is_skipped_with_reason_and_fix(tmp_path: Path) -> None:
    config = make_config(tmp_path / "no-models", tmp_path / "cache.sqlite3")
    fill_cache(config, {}, FORWARD)  # only the ar->en engine's output is available
    signal = FidelitySignal(config)
    statuses = {s.name: s for s in signal.status(PAIRS)}
    assert statuses["fidelity.forward"].ran
    back = statuses["fidelity.back_translation"]
    assert not back.ran
    assert "opus-mt-en-ar" in back.reason and "not cached" in back.reason
    assert back.fix == "mtaudit models pull opus-mt-en-ar"
    assert not statuses["fidelity.round_trip"].ran
    with pytest.raises(ModelMissingError, match="opus-mt-en-ar") as info:
        ensure_all_ran(list(statuses.values()))
    assert info.value.fix == "mtaudit models pull opus-mt-en-ar"
    good, _, alone = signal.score(PAIRS)  # goes on with what it can compute
    assert "chrf_forward" in good.values and "chrf_back" not in good.values
    assert alone.values == {} and alone.findings == []


def test_status_does_not_create_a_cache(tmp_path: Path) -> None:
    config = make_config(tmp_path / "no-models", tmp_path / "cache.sqlite3")
    statuses = FidelitySignal(config).status(PAIRS)
    assert not any(s.ran for s in statuses)
    assert not (tmp_path / "cache.sqlite3").exists()


def test_unaligned_target_and_unknown_direction(cached_config: Config) -> None:
    signal = FidelitySignal(cached_config)
    unaligned = pair(2, TGT_ALONE, "")  # the aligner left it without a source
    assert [s.name for s in signal.status([unaligned])] == ["fidelity.round_trip"]
    french = Pair(
        "d", Sentence(0, "Bonjour tout le monde.", 0, 22), None, source_lang="ar", target_lang="fr"
    )
    status = signal.status([french])[0]
    assert not status.ran and "no translation model is configured for fr-ar" in status.reason
    assert "[translation.engines]" in status.fix


def test_parts_can_be_switched_off(cached_config: Config) -> None:
    config = cached_config.with_overrides({"fidelity.parts": ["forward"]})
    signal = FidelitySignal(config)
    assert [s.name for s in signal.status(PAIRS)] == ["fidelity.forward"]


@pytest.mark.parametrize(
    ("metrics", "expected"),
    [
        (["chrf"], {"chrf_back", "chrf_forward"}),
        (["bleu"], {"chrf_back", "chrf_forward", "bleu_back", "bleu_forward"}),
        (["ter", "bleu"], {"chrf_back", "bleu_back", "ter_back", "chrf_forward"}),
    ],
)
def test_metrics_on_request(cached_config: Config, metrics: list[str], expected: set[str]) -> None:
    signal = FidelitySignal(cached_config.with_overrides({"fidelity.metrics": metrics}))
    good = signal.score(PAIRS)[0]
    assert expected <= set(good.values)
    for name in ("bleu", "ter"):
        assert (f"{name}_back" in good.values) == (name in metrics)


@pytest.mark.parametrize("bad", [["chrF++"], "chrf"])
def test_unknown_metric_is_a_config_error(cached_config: Config, bad: object) -> None:
    with pytest.raises(ConfigError, match="fidelity.metrics"):
        FidelitySignal(cached_config.with_overrides({"fidelity.metrics": bad}))


@pytest.mark.slow
def test_tiny_models_then_cache_only(tiny_models: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    pairs = [
        pair(0, "the minister said on Monday.", "قال الوزير يوم الاثنين."),
        pair(1, "police army forces.", None),
    ]
    with_models = make_config(tiny_models, cache, **{"translation.engine": "transformers"})
    signal = FidelitySignal(with_models)
    assert all(s.ran for s in signal.status(pairs))
    first = signal.score(pairs)
    signal.close()
    assert {"chrf_back", "chrf_forward"} <= set(first[0].values)
    assert "chrf_round_trip" in first[1].values and "round_trip" in first[1].texts
    # the same run again with no model on disk: everything comes from the cache
    without = make_config(tmp_path / "gone", cache)
    again = FidelitySignal(without)
    assert all(s.ran for s in again.status(pairs))
    second = again.score(pairs)
    assert [o.texts for o in second] == [o.texts for o in first]
    assert [o.values for o in second] == [o.values for o in first]
