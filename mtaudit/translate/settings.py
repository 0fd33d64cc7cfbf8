"""Translation settings from the configuration: which model per direction, decoding, cache file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from mtaudit.config import Config
from mtaudit.errors import ConfigError
from mtaudit.models.paths import models_dir, resolve_path
from mtaudit.models.specs import ModelSpec, model_spec
from mtaudit.settings import settings_of

CACHE_ENV = "MTAUDIT_TRANSLATION_CACHE"


@dataclass(frozen=True)
class TranslationSettings:
    """``[translation]`` (where models live is ``models.paths.ModelsDirSettings``)."""

    SECTION: ClassVar[str] = "translation"
    engine: str
    auto_convert: bool
    beam: int
    batch_size: int
    max_tokens: int
    max_output_ratio: float
    threads: int
    cache: str
    engines: dict[str, str]


def translation_settings(config: Config) -> TranslationSettings:
    """The ``[translation]`` settings of ``config`` (read once per configuration)."""
    return settings_of(config, TranslationSettings)


@dataclass(frozen=True)
class Decoding:
    """Decoding settings that change a model's output, and so are part of the cache key."""

    beam: int
    max_tokens: int
    max_output_ratio: float

    def signature(self) -> str:
        """Return a stable string for the cache key: ``"beam=1;max_tokens=256;out_ratio=2.0"``."""
        return f"beam={self.beam};max_tokens={self.max_tokens};out_ratio={self.max_output_ratio}"


def engine_for(config: Config, direction: str) -> ModelSpec | None:
    """Return the model that translates ``direction`` (``[translation.engines]``), or ``None``."""
    name = translation_settings(config).engines.get(direction)
    if not name:
        return None
    spec = model_spec(config, str(name))
    if spec.direction != direction:
        raise ConfigError(
            f"translation.engines.{direction} names {name!r}, which translates {spec.direction}"
        )
    return spec


def decoding(config: Config) -> Decoding:
    """Return the decoding settings of ``[translation]``."""
    settings = translation_settings(config)
    beam, max_tokens, ratio = settings.beam, settings.max_tokens, settings.max_output_ratio
    if beam < 1 or max_tokens < 8 or ratio <= 0:
        raise ConfigError("translation.beam >= 1, max_tokens >= 8 and max_output_ratio > 0")
    return Decoding(beam=beam, max_tokens=max_tokens, max_output_ratio=ratio)


def cache_path(config: Config) -> Path:
    """Return the cache file: ``$MTAUDIT_TRANSLATION_CACHE``, else ``translation.cache``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return resolve_path(env)
    value = translation_settings(config).cache
    return resolve_path(str(value)) if value else models_dir(config) / "cache.sqlite3"
