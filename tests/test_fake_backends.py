"""The pipeline with fake translator and scorer backends registered through the real registries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mtaudit.config import Config
from mtaudit.errors import ConfigError
from mtaudit.pipeline import audit
from mtaudit.reports.json_report import run_to_dict
from mtaudit.types import Document
from tests.helpers.fakes import DictBackend, WordScorerBackend

SRC_1 = "اجتمع المجلس يوم الثلاثاء لمناقشة الميزانية."
SRC_2 = "وافق المجلس على إنفاق 40 مليون دولار على المدارس."
TGT_1 = "The council met on Tuesday to discuss the budget."
TGT_2 = "The council agreed to spend 40 million dollars on schools."
BACK = {TGT_1: SRC_1, TGT_2: "وافق المجلس على إنفاق الملايين على المدارس."}  # loses the 40
FORWARD = {SRC_1: TGT_1, SRC_2: "The council approved spending 40 million dollars on schools."}


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.setenv("MTAUDIT_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("MTAUDIT_TRANSLATION_CACHE", str(tmp_path / "cache.sqlite3"))
    return Config.load().with_overrides(
        {
            "translation.engine": "fake-dict",
            "fluency.engine": "fake-words",
            "fluency.background": str(tmp_path / "background.json"),
        }
    )


def document() -> Document:
    return Document(id="d", target=f"{TGT_1} {TGT_2}", source=f"{SRC_1} {SRC_2}")


def test_fidelity_through_the_pipeline_with_the_fake_translator(
    config: Config, fake_translator: DictBackend
) -> None:
    fake_translator.tables = {"en-ar": dict(BACK), "ar-en": dict(FORWARD)}
    run = audit([document()], config, signals=["fidelity"])
    (result,) = run.documents
    first, second = result.sentences
    assert first.pair.source == SRC_1 and second.pair.source == SRC_2  # aligned by back-translation
    assert first.signals["fidelity.chrf_back"] == 100.0
    assert first.texts["suggestion"] == TGT_1
    numbers = [f for f in second.findings if f.check == "fidelity.numbers"]
    assert [TGT_2[f.span[0] : f.span[1]] for f in numbers if f.span] == ["40"]
    assert second.signals["fidelity.chrf_back"] < first.signals["fidelity.chrf_back"]
    # translation entered once per direction and model, loaded once for the whole run
    assert len(fake_translator.opened) == 2
    assert all(t.unknown == [] for t in fake_translator.opened)

    translators = run.signature["components"]["fidelity"]["translators"]  # type: ignore[index]
    assert translators["en-ar"]["engine"] == "fake-dict"
    assert (
        translators["en-ar"]["model"]
        == "Helsinki-NLP/opus-mt-en-ar@4e12d44b751cbe4197d537902a325ffdaba8fc87"
    )
    # en-ar is entered once: the scoring reuses the translations made to align
    assert translators["en-ar"]["origin"] == "model"
    assert translators["ar-en"]["origin"] == "model"

    again = audit([document()], config, signals=["fidelity"])  # everything is cached now
    translators = again.signature["components"]["fidelity"]["translators"]  # type: ignore[index]
    assert {t["origin"] for t in translators.values()} == {"cache"}
    assert {t["engine"] for t in translators.values()} == {"none (all cached)"}
    assert json.loads(json.dumps(run_to_dict(again)))["signature"]["components"]


def test_fluency_through_the_pipeline_with_the_fake_scorer(
    config: Config, fake_scorer: WordScorerBackend
) -> None:
    text = "The council met on Tuesday. The council met on Tuesday zxqv wibble frobnicate."
    run = audit([Document(id="d", target=text)], config, signals=["fluency"])
    fluent, broken = run.documents[0].sentences
    assert [f.check for f in fluent.findings if f.check.startswith("fluency")] == []
    (finding,) = [f for f in broken.findings if f.check.startswith("fluency")]
    assert finding.span is not None
    assert "wibble" in broken.pair.target.text[finding.span[0] : finding.span[1]]
    assert broken.signals["fluency.window_z"] > fluent.signals["fluency.window_z"]
    component = run.signature["components"]["fluency"]  # type: ignore[index]
    assert component["engine"] == "fake-words"
    assert component["model"].startswith("openai-community/gpt2@")
    assert len(fake_scorer.opened) == 1


def test_an_unregistered_engine_is_a_config_error_naming_the_registered_ones(
    config: Config, fake_translator: DictBackend
) -> None:
    from mtaudit.models.specs import model_spec
    from mtaudit.translate.engine import choose_engine

    spec = model_spec(config, "opus-mt-ar-en")
    assert choose_engine(config, spec) == "fake-dict"
    with pytest.raises(ConfigError, match="auto, ct2, transformers, fake-dict, got 'nope'"):
        choose_engine(config.with_overrides({"translation.engine": "nope"}), spec)


SCRIPT = """
import sys
from tests.helpers.fakes import DictBackend, WordScorerBackend
from mtaudit import lm, translate
from mtaudit.config import Config
from mtaudit.pipeline import audit
from mtaudit.types import Document
back = DictBackend(tables={"en-ar": {"The council met.": "اجتمع المجلس."}, "ar-en": {}})
translate.register("fake-dict", back)
lm.register("fake-words", WordScorerBackend())
config = Config.load().with_overrides({"translation.engine": "fake-dict",
    "fluency.engine": "fake-words", "fluency.background": sys.argv[1],
    "fidelity.parts": ["back_translation"]})
run = audit([Document(id="d", target="The council met.", source="اجتمع المجلس.")], config)
assert [s.name for s in run.signals if s.ran], run.signals
print(sorted(m for m in ("torch", "transformers", "ctranslate2") if m in sys.modules))
"""


def test_a_run_on_fake_backends_never_imports_torch(tmp_path: Path) -> None:
    env = dict(os.environ)
    tests = str(Path(__file__).parent)
    env["PYTHONPATH"] = os.pathsep.join([tests, env.get("PYTHONPATH", "")])
    env["MTAUDIT_MODELS_DIR"] = str(tmp_path / "models")
    env["MTAUDIT_TRANSLATION_CACHE"] = str(tmp_path / "cache.sqlite3")
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "bg.json")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("engine", "registered", "ok"),
    [("fake-dict", True, True), ("fake-dict", False, False), ("ct2", False, True)],
)
def test_config_files_accept_the_engines_the_registry_knows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, registered: bool, ok: bool
) -> None:
    from mtaudit import translate

    if registered:
        monkeypatch.setitem(translate.BACKENDS, "fake-dict", DictBackend())
    path = tmp_path / "engine.toml"
    path.write_text(f'[translation]\nengine = "{engine}"\n', encoding="utf-8")
    if ok:
        assert Config.load(path).get("translation.engine") == engine
    else:
        with pytest.raises(ConfigError, match="translation.engine"):
            Config.load(path)
