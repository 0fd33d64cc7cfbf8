"""Where models live on disk, and whether a model is there: one resolver, one presence check.

Looks at the disk only: nothing here loads a model, so a run can say which models are present
before it loads any of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from mtaudit.config import Config, project_root
from mtaudit.models.specs import ModelSpec
from mtaudit.settings import settings_of

MODELS_DIR_ENV = "MTAUDIT_MODELS_DIR"
WEIGHT_FILES = (
    "model.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)
TOKENIZER_FILES = (
    "tokenizer.json",
    "vocab.json",
    "tokenizer.model",
    "source.spm",
    "spm.model",
    "sentencepiece.bpe.model",
)


def resolve_path(path: str | Path) -> Path:
    """Return ``path`` with ``~`` expanded; a relative path is taken from the project root."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else project_root() / p


@dataclass(frozen=True)
class ModelsDirSettings:
    """The ``[translation]`` key that says where every model (translation and LM) lives."""

    SECTION: ClassVar[str] = "translation"
    models_dir: str


def models_dir(config: Config) -> Path:
    """Where model weights live: ``$MTAUDIT_MODELS_DIR``, else ``translation.models_dir``."""
    env = os.environ.get(MODELS_DIR_ENV)
    if env:
        return resolve_path(env)
    return resolve_path(settings_of(config, ModelsDirSettings).models_dir)


def hf_dir(config: Config, spec: ModelSpec) -> Path:
    """Return the Hugging Face snapshot directory of a model: ``models/<name>/``."""
    return models_dir(config) / spec.name


def ct2_dir_for(hf_path: Path, quantization: str = "int8") -> Path:
    """Return the folder of a converted copy: ``<hf_path>-ct2-<quantization>`` beside it."""
    return hf_path.parent / f"{hf_path.name}-ct2-{quantization}"


def ct2_dir(config: Config, spec: ModelSpec, quantization: str = "int8") -> Path:
    """Return the CTranslate2 directory of a model: ``models/<name>-ct2-int8/``."""
    return ct2_dir_for(hf_dir(config, spec), quantization)


def missing_reason(path: Path) -> str | None:
    """Say why ``path`` is not a usable Hugging Face model; ``None`` when it is (files only)."""
    if not path.is_dir():
        return f"no model at {path}"
    if not (path / "config.json").is_file():
        return f"{path} has no config.json"
    if not any((path / name).is_file() for name in WEIGHT_FILES):
        return f"{path} has no weights (model.safetensors or pytorch_model.bin)"
    if not any((path / name).is_file() for name in TOKENIZER_FILES):
        return f"{path} has no tokenizer files"
    return None


def hf_present(path: Path) -> bool:
    """Whether ``path`` holds a loadable Hugging Face model (config, weights, tokenizer)."""
    return missing_reason(path) is None


def ct2_present(path: Path) -> bool:
    """Whether ``path`` holds a converted CTranslate2 model."""
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def model_present(config: Config, spec: ModelSpec) -> bool:
    """Whether either form of the model is on disk."""
    return hf_present(hf_dir(config, spec)) or ct2_present(ct2_dir(config, spec))
