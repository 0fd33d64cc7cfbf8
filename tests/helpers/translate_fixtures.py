"""Fixtures for the translation tests: tiny Marian models on disk, configs pointing at them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mtaudit.config import Config
from mtaudit.models.paths import MODELS_DIR_ENV
from mtaudit.translate.settings import CACHE_ENV
from tests.helpers.tiny_marian import build_marian


def make_config(models: Path, cache: Path, **overrides: Any) -> Config:
    """The default configuration with models and the cache moved to test directories."""
    settings = {"translation.models_dir": str(models), "translation.cache": str(cache)}
    settings.update(overrides)
    return Config.load().with_overrides(settings)


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models/ directory with tiny opus-mt-ar-en and opus-mt-en-ar (Hugging Face form)."""
    root = tmp_path_factory.mktemp("models")
    build_marian(root / "opus-mt-ar-en", "ar", "en", seed=1, train_steps=120)
    build_marian(root / "opus-mt-en-ar", "en", "ar", seed=2, train_steps=120)
    return root


@pytest.fixture(scope="session")
def tiny_ct2_models(tiny_models: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models/ directory holding only the CTranslate2 int8 conversions of the tiny models."""
    from mtaudit.models.convert import convert

    root = tmp_path_factory.mktemp("models-ct2")
    for name in ("opus-mt-ar-en", "opus-mt-en-ar"):
        convert(tiny_models / name, root / f"{name}-ct2-int8")
    return root


@pytest.fixture
def no_model_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let a test's own config choose the model folder and cache: the environment's locations
    (which the suite points at a temporary home) would override it.

    Used by the modules whose configs come from ``make_config``; every other test keeps the
    isolated locations.
    """
    monkeypatch.delenv(MODELS_DIR_ENV, raising=False)
    monkeypatch.delenv(CACHE_ENV, raising=False)
    yield
