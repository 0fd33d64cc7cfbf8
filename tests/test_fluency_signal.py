"""The fluency signal: status without loading, scoring pairs, findings and spans."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from mtaudit.config import Config
from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.models import loaded as loading
from mtaudit.signals import load
from mtaudit.signals.fluency import FluencySignal, build, severity_for
from mtaudit.types import Pair, Sentence, Severity
from tests.helpers.fake_hub import FakeHub
from tests.helpers.fakes import WordScorerBackend


def pair(text: str, lang: str = "en", previous: str | None = None, index: int = 0) -> Pair:
    sentence = Sentence(index=index, text=text, start=0, end=len(text))
    return Pair(doc_id="d", target=sentence, source=None, previous=previous, target_lang=lang)


def config_for(model_dir: Path, tmp_path: Path, **fluency: object) -> Config:
    """The default configuration with the tiny model as the fluency model."""
    overrides: dict[str, object] = {
        "translation.models_dir": str(model_dir.parent),
        f"models.{model_dir.name}.hub_id": "local/tiny-gpt2",
        f"models.{model_dir.name}.revision": "none",
        f"models.{model_dir.name}.kind": "causal-lm",
        f"models.{model_dir.name}.languages": ["en"],
        "fluency.model": model_dir.name,
        "fluency.background": str(tmp_path / "background.json"),
    }
    overrides.update({f"fluency.{k}": v for k, v in fluency.items()})
    return Config.load().with_overrides(overrides)


def test_registered_and_built_from_the_default_config() -> None:
    signal = load("fluency", Config.load())
    assert isinstance(signal, FluencySignal)
    assert signal.settings.model == "gpt2"
    assert signal.settings.languages == ("en",)
    assert signal.settings.model_dir.name == "gpt2"


@pytest.fixture(autouse=True)
def _models_dir_from_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let ``translation.models_dir`` decide where models are (the suite sets the env var)."""
    monkeypatch.delenv("MTAUDIT_MODELS_DIR", raising=False)


def test_missing_model_is_skipped_with_reason_and_fix(tmp_path: Path) -> None:
    config = Config.load().with_overrides({"translation.models_dir": str(tmp_path / "nowhere")})
    signal = build(config)
    before = loading.loaded_count()
    (status,) = signal.status([pair("The council met on Tuesday.")])
    assert status.name == "fluency" and not status.ran
    assert "not found" in status.reason and str(tmp_path / "nowhere") in status.reason
    assert status.fix == "mtaudit models pull gpt2"
    assert loading.loaded_count() == before
    with pytest.raises(ModelMissingError) as excinfo:
        signal.score([pair("The council met on Tuesday.")])
    assert excinfo.value.fix == "mtaudit models pull gpt2"


def test_model_without_weights_is_missing(tmp_path: Path) -> None:
    (tmp_path / "half" / "gpt2").mkdir(parents=True)
    (tmp_path / "half" / "gpt2" / "config.json").write_text("{}", encoding="utf-8")
    config = Config.load().with_overrides({"translation.models_dir": str(tmp_path / "half")})
    (status,) = build(config).status([])
    assert not status.ran and "no weights" in status.reason


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"fluency.model": "nope"}, "no [models.nope]"),
        ({"fluency.model": "opus-mt-ar-en"}, "fluency needs a causal-lm"),
        ({"models.gpt2.kind": "translation"}, "models.gpt2.kind must be one of"),
        ({"fluency.window": 0}, "fluency.window"),
        ({"fluency.batch_size": "many"}, "fluency.batch_size"),
        ({"fluency.window_major_z": "high"}, "fluency.window_major_z"),
    ],
)
def test_bad_settings_are_config_errors(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace(".", r"\.")):
        build(Config.load().with_overrides(overrides))


def test_unknown_engine_is_a_config_error(fake_scorer: WordScorerBackend, tmp_path: Path) -> None:
    signal = build(config_for(tmp_path / "models" / "gpt2", tmp_path, engine="onnx"))
    with pytest.raises(ConfigError, match="fluency.engine must be one of auto, ct2, transformers"):
        signal.status([pair("Some text here.")])


@pytest.mark.parametrize(
    ("z", "expected"),
    [(0.0, Severity.NONE), (3.0, Severity.MINOR), (4.5, Severity.MAJOR), (math.nan, Severity.NONE)],
)
def test_severity_for(z: float, expected: Severity) -> None:
    assert severity_for(z, 3.0, 4.5) is expected


def test_status_languages(fake_scorer: WordScorerBackend, tmp_path: Path) -> None:
    signal = build(config_for(tmp_path / "models" / "gpt2", tmp_path, engine="fake-words"))
    before = loading.loaded_count()
    assert signal.status([pair("The council met.")])[0].ran
    (only_ar,) = signal.status([pair("اجتمع المجلس.", "ar")])
    assert not only_ar.ran and "covers en" in only_ar.reason
    (mixed,) = signal.status([pair("The council met."), pair("اجتمع المجلس.", "ar")])
    assert mixed.ran and "1 in ar" in mixed.reason
    assert loading.loaded_count() == before  # status never loads the model


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["transformers", "ct2"])
def test_score_pairs(tiny_gpt2: Path, tmp_path: Path, engine: str) -> None:
    if engine == "ct2":
        pytest.importorskip("ctranslate2")
    signal = build(config_for(tiny_gpt2, tmp_path, engine=engine))
    fluent = "The city council approved a new budget on Tuesday after three weeks of debate."
    broken = (
        "The city council approved a new الميزانية budget on Tuesday after three weeks of debate."
    )
    pronoun = "They said the savings could have paid for more teachers."
    previous = "Several members had argued for deeper cuts to administrative costs."
    pairs = [
        pair(fluent),
        pair(broken, index=1),
        pair(pronoun, previous=previous, index=2),
        pair("اجتمع المجلس يوم الثلاثاء.", "ar", index=3),
        pair("   ", index=4),
    ]
    outputs = signal.score(pairs)
    assert len(outputs) == len(pairs)
    good, bad, after_context, arabic, blank = outputs
    expected = {
        "surprisal_mean",
        "surprisal_z",
        "surprisal_pct",
        "window_mean",
        "window_z",
        "window_pct",
        "tokens",
        "window_start",
        "window_end",
    }
    assert set(good.values) == expected
    assert all(math.isfinite(v) for v in good.values.values())
    assert good.findings == [] and good.texts == {}
    assert bad.values["window_z"] > good.values["window_z"] + 3
    (finding,) = bad.findings
    assert finding.check == "fluency.span" and finding.severity >= Severity.MINOR
    assert finding.span is not None and "الميزانية" in broken[finding.span[0] : finding.span[1]]
    assert "الميزانية" in finding.message and "z=" in finding.message
    assert (bad.values["window_start"], bad.values["window_end"]) == finding.span
    assert after_context.values["surprisal_z"] < 2.0 and after_context.findings == []
    assert arabic.values == {} and arabic.findings == []
    assert blank.values == {} and blank.findings == []
    assert (tmp_path / "background.json").is_file()


def test_thresholds_come_from_the_config(fake_scorer: WordScorerBackend, tmp_path: Path) -> None:
    text = (
        "The city council approved a new الميزانية budget on Tuesday after three weeks of debate."
    )
    model = tmp_path / "models" / "gpt2"  # never on disk: the fake scorer reads no files

    def config_for_fake(**fluency: object) -> Config:
        return config_for(model, tmp_path, engine="fake-words", **fluency)

    strict = build(config_for_fake(window_minor_z=0.5, window_major_z=1.0))
    lenient = build(
        config_for_fake(
            window_minor_z=50.0,
            window_major_z=60.0,
            sentence_minor_z=50.0,
            sentence_major_z=60.0,
        )
    )
    assert strict.score([pair(text)])[0].findings[0].severity is Severity.MAJOR
    assert lenient.score([pair(text)])[0].findings == []
    short = build(config_for_fake(window_minor_z=0.5, min_tokens=100))
    assert short.score([pair(text)])[0].findings == []
    whole = build(
        config_for_fake(
            window_minor_z=50.0,
            window_major_z=60.0,
            sentence_minor_z=-50.0,
            sentence_major_z=50.0,
        )
    )
    (finding,) = whole.score([pair(text)])[0].findings
    assert finding.check == "fluency.sentence" and finding.severity is Severity.MINOR
    assert "as a whole" in finding.message and finding.span is not None
    assert fake_scorer.opened and len(fake_scorer.opened) <= 4  # loaded once per settings
    assert whole.signature()["engine"] == "fake-words"


def test_models_list_names_the_fluency_model(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mtaudit.cli import main

    config = tmp_path / "c.toml"
    config.write_text(f'[translation]\nmodels_dir = "{tmp_path / "models"}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["models", "list", "-c", str(config)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("gpt2 "))
    assert "missing" in line and "openai-community/gpt2@607a30d783df" in line
    assert "fix: mtaudit models pull gpt2" in result.output


@pytest.mark.slow
def test_models_pull_fetches_and_converts_the_fluency_model(
    tiny_gpt2: Path,
    tmp_path: Path,
    fake_hub: FakeHub,
) -> None:
    from mtaudit.models.store import pull

    config = Config.load().with_overrides({"translation.models_dir": str(tmp_path / "models")})
    files = {f.name: f.read_bytes() for f in tiny_gpt2.iterdir() if f.is_file()}
    files["pytorch_model.bin"] = b"a second copy of the weights, left on the hub"
    pinned = "607a30d783dfa663caf39e06633721c8d4cfcd7e"
    commit = fake_hub.publish("openai-community/gpt2", files, branch=pinned)
    assert commit != pinned
    fake_hub.repos["openai-community/gpt2"].refs[pinned] = commit  # the pin names that commit

    (state,) = pull(config, ["gpt2"])
    assert state.commit == commit
    assert not (state.hf_path / "pytorch_model.bin").exists()  # allow_patterns kept it out
    assert state.hf and state.ct2 and state.ct2_path.name == "gpt2-ct2-int8"

    signal = build(config.with_overrides({"fluency.engine": "ct2"}))
    (status,) = signal.status([pair("The council met on Tuesday.")])
    assert status.ran
    (out,) = signal.score([pair("The city council approved a new budget on Tuesday.")])
    assert out.values["tokens"] > 5
    assert (tmp_path / "models" / "gpt2.fluency-background.json").is_file()
