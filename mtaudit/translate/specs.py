"""Configured translation models: names in ``[models.<name>]`` resolved to specs and directories.

Nothing here imports torch or touches the network: it only reads the configuration and looks at
the disk, so a run can say which models are present before it loads any of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mtaudit.config import Config, project_root
from mtaudit.errors import ConfigError

KINDS = ("marian", "nllb", "m2m100")
# Models that are not translators: a causal LM scores fluency in the languages it lists.
CAUSAL_LM = "causal-lm"
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
MODELS_DIR_ENV = "MTAUDIT_MODELS_DIR"
CACHE_ENV = "MTAUDIT_TRANSLATION_CACHE"


@dataclass(frozen=True)
class ModelSpec:
    """One translation model as the configuration names it.

    ``kind`` says how the model expects its languages: ``marian`` models may need a
    target-language token such as ``>>ara<<`` at the start of every input (multi-target opus-mt
    models); ``nllb`` and ``m2m100`` models take source and target language codes.
    """

    name: str
    hub_id: str
    revision: str
    source_lang: str
    target_lang: str
    kind: str = "marian"
    source_code: str = ""
    target_code: str = ""
    target_token: str = ""
    languages: tuple[str, ...] = ()
    allow_patterns: tuple[str, ...] = ()

    @property
    def direction(self) -> str:
        """The language pair as ``"ar-en"``; a causal LM's languages as ``"en"`` or ``"en,ar"``."""
        if self.kind == CAUSAL_LM:
            return ",".join(self.languages)
        return f"{self.source_lang}-{self.target_lang}"


@dataclass(frozen=True)
class Decoding:
    """Decoding settings that change a model's output, and so are part of the cache key."""

    beam: int = 1
    max_tokens: int = 256
    max_output_ratio: float = 2.0

    def signature(self) -> str:
        """Return a stable string for the cache key: ``"beam=1;max_tokens=256;out_ratio=2.0"``."""
        return f"beam={self.beam};max_tokens={self.max_tokens};out_ratio={self.max_output_ratio}"


def split_direction(direction: str) -> tuple[str, str]:
    """Turn ``"ar-en"`` into ``("ar", "en")``; raise ``ConfigError`` for anything else."""
    parts = direction.strip().split("-")
    if len(parts) != 2 or not all(parts):
        raise ConfigError(f"a direction looks like 'ar-en', got {direction!r}")
    return parts[0], parts[1]


def model_spec(config: Config, name: str) -> ModelSpec:
    """Return the spec of the model configured as ``[models.<name>]``."""
    table = config.section("models").get(name)
    if not isinstance(table, dict):
        known = ", ".join(sorted(config.section("models"))) or "none"
        raise ConfigError(f"no model named {name!r} in the configuration (known: {known})")
    kind = str(table.get("kind", "marian"))
    if kind not in (*KINDS, CAUSAL_LM):
        raise ConfigError(
            f"models.{name}.kind must be one of {', '.join((*KINDS, CAUSAL_LM))}, got {kind!r}"
        )
    required = ("hub_id", "revision") if kind == CAUSAL_LM else ("hub_id", "revision", "direction")
    for key in required:
        if not isinstance(table.get(key), str) or not table[key]:
            raise ConfigError(f"models.{name}.{key} must be a non-empty string")
    patterns = table.get("allow_patterns", [])
    languages = table.get("languages", [])
    for key, value in (("allow_patterns", patterns), ("languages", languages)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"models.{name}.{key} must be a list of strings")
    if kind == CAUSAL_LM:
        return ModelSpec(
            name=name,
            hub_id=table["hub_id"],
            revision=table["revision"],
            source_lang="",
            target_lang="",
            kind=kind,
            languages=tuple(languages),
            allow_patterns=tuple(patterns),
        )
    source, target = split_direction(table["direction"])
    spec = ModelSpec(
        name=name,
        hub_id=table["hub_id"],
        revision=table["revision"],
        source_lang=source,
        target_lang=target,
        kind=kind,
        source_code=str(table.get("source_code", "")),
        target_code=str(table.get("target_code", "")),
        target_token=str(table.get("target_token", "")),
        allow_patterns=tuple(patterns),
    )
    if kind != "marian" and not (spec.source_code and spec.target_code):
        raise ConfigError(f"models.{name}: a {kind} model needs source_code and target_code")
    return spec


def configured_models(config: Config) -> list[ModelSpec]:
    """Every model in the configuration, in file order."""
    return [model_spec(config, name) for name in config.section("models")]


def engine_for(config: Config, direction: str) -> ModelSpec | None:
    """Return the model that translates ``direction`` (``[translation.engines]``), or ``None``."""
    name = config.section("translation.engines").get(direction)
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
    beam = int(config.number("translation.beam", 1))
    max_tokens = int(config.number("translation.max_tokens", 256))
    ratio = config.number("translation.max_output_ratio", 2.0)
    if beam < 1 or max_tokens < 8 or ratio <= 0:
        raise ConfigError("translation.beam >= 1, max_tokens >= 8 and max_output_ratio > 0")
    return Decoding(beam=beam, max_tokens=max_tokens, max_output_ratio=ratio)


def _rooted(path: str) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else project_root() / p


def models_dir(config: Config) -> Path:
    """Where model weights live: ``$MTAUDIT_MODELS_DIR``, else ``translation.models_dir``."""
    env = os.environ.get(MODELS_DIR_ENV)
    return _rooted(env) if env else _rooted(str(config.get("translation.models_dir", "models")))


def cache_path(config: Config) -> Path:
    """Return the cache file: ``$MTAUDIT_TRANSLATION_CACHE``, else ``translation.cache``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return _rooted(env)
    value = config.get("translation.cache", "")
    return _rooted(str(value)) if value else models_dir(config) / "cache.sqlite3"


def hf_dir(config: Config, spec: ModelSpec) -> Path:
    """Return the Hugging Face snapshot directory of a model: ``models/<name>/``."""
    return models_dir(config) / spec.name


def ct2_dir(config: Config, spec: ModelSpec) -> Path:
    """Return the CTranslate2 int8 directory of a model: ``models/<name>-ct2-int8/``."""
    return models_dir(config) / f"{spec.name}-ct2-int8"


def hf_present(path: Path) -> bool:
    """Whether ``path`` holds a loadable Hugging Face model (config and weights)."""
    return (path / "config.json").is_file() and any((path / w).is_file() for w in WEIGHT_FILES)


def ct2_present(path: Path) -> bool:
    """Whether ``path`` holds a converted CTranslate2 model."""
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def model_present(config: Config, spec: ModelSpec) -> bool:
    """Whether either form of the model is on disk."""
    return hf_present(hf_dir(config, spec)) or ct2_present(ct2_dir(config, spec))
