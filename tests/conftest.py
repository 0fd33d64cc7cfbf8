"""Shared fixtures: isolate user state, and find the shared development data when present."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.fake_hub import fake_hub  # noqa: F401
from tests.helpers.fakes import fake_scorer, fake_translator  # noqa: F401
from tests.helpers.tiny_gpt2 import tiny_gpt2, tiny_gpt2_ct2  # noqa: F401
from tests.helpers.translate_fixtures import no_model_env, tiny_ct2_models, tiny_models  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep tests away from the user's config, caches and any network."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("HF_HOME", str(home / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("MTAUDIT_CONFIG", raising=False)
    # No test reads or writes the project's own models/ folder or translation cache.
    monkeypatch.setenv("MTAUDIT_MODELS_DIR", str(home / "models"))
    monkeypatch.setenv("MTAUDIT_TRANSLATION_CACHE", str(home / "cache.sqlite3"))
    # `mtaudit check` keeps its state database here, not beside the project's cache.
    monkeypatch.setenv("MTAUDIT_STATE", str(home / "state.sqlite3"))


@pytest.fixture
def shared_data() -> Path:
    """The shared data folder beside the project; tests using it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("shared data folder is not present beside the project")
    return SHARED_DATA
