"""Find a causal LM on disk and load it once per process, lazily, with the chosen engine."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.extras import installed, require
from mtaudit.fluency.convert import convert_to_ct2, ct2_dir_for, is_ct2_model
from mtaudit.fluency.engines import CT2Engine, Engine, TransformersEngine
from mtaudit.fluency.scorer import FluencyScorer

logger = logging.getLogger("mtaudit")

ENGINES = ("auto", "transformers", "ct2")
_WEIGHTS = (
    "model.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)
_TOKENIZER = ("tokenizer.json", "vocab.json", "tokenizer.model")


def missing_model(model_dir: Path) -> str | None:
    """Say why ``model_dir`` is not a usable Hugging Face causal LM; ``None`` when it is.

    Looks at files only; loads nothing.
    """
    if not model_dir.is_dir():
        return f"no model at {model_dir}"
    if not (model_dir / "config.json").is_file():
        return f"{model_dir} has no config.json"
    if not any((model_dir / name).is_file() for name in _WEIGHTS):
        return f"{model_dir} has no weights (model.safetensors or pytorch_model.bin)"
    if not any((model_dir / name).is_file() for name in _TOKENIZER):
        return f"{model_dir} has no tokenizer files"
    return None


def has_module(name: str) -> bool:
    """Tell whether ``name`` can be imported, without importing it."""
    return installed(name)


def resolve_engine(engine: str) -> str:
    """Turn ``"auto"`` into the fastest installed engine; check the others exist."""
    if engine not in ENGINES:
        raise ConfigError(f"fluency.engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "auto":
        return "ct2" if has_module("ctranslate2") else "transformers"
    return engine


def model_max_length(model_dir: Path) -> int:
    """Return the model's context length from its config.json (1024 when it does not say)."""
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 1024
    for key in ("n_positions", "max_position_embeddings", "n_ctx"):
        value = config.get(key)
        if isinstance(value, int) and value > 0:
            return value
    return 1024


@dataclass(frozen=True)
class ScorerSpec:
    """Everything that decides which scorer object a request gets (the cache key)."""

    model_dir: Path
    engine: str = "auto"
    compute_type: str = "int8"
    batch_size: int = 16
    threads: int = 0
    padding_side: str = "right"
    window: int = 4
    max_tokens: int | None = None
    ct2_dir: Path | None = None
    plain_quotes: bool = True


_CACHE: dict[ScorerSpec, FluencyScorer] = {}
_LOCK = threading.Lock()


def _build(spec: ScorerSpec) -> FluencyScorer:
    reason = missing_model(spec.model_dir)
    if reason is not None:
        raise ModelMissingError(reason)
    engine_name = resolve_engine(spec.engine)
    transformers = require("transformers", "the fluency signal")

    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(spec.model_dir))
    except (OSError, ValueError) as exc:
        raise ModelMissingError(f"cannot load the tokenizer at {spec.model_dir}: {exc}") from None
    engine: Engine
    if engine_name == "ct2":
        ct2_dir = spec.ct2_dir or ct2_dir_for(spec.model_dir, spec.compute_type)
        if not is_ct2_model(ct2_dir):
            convert_to_ct2(spec.model_dir, ct2_dir, quantization=spec.compute_type)
        engine = CT2Engine(
            ct2_dir,
            tokenizer,
            batch_size=spec.batch_size,
            compute_type=spec.compute_type,
            threads=spec.threads,
            max_length=model_max_length(spec.model_dir),
        )
    else:
        engine = TransformersEngine(
            spec.model_dir,
            batch_size=spec.batch_size,
            padding_side=spec.padding_side,
            threads=spec.threads,
        )
    logger.info("fluency: loaded %s with the %s engine", spec.model_dir.name, engine_name)
    return FluencyScorer(
        tokenizer,
        engine,
        window=spec.window,
        max_tokens=spec.max_tokens,
        name=spec.model_dir.name,
        plain_quotes=spec.plain_quotes,
    )


def load_scorer(spec: ScorerSpec) -> FluencyScorer:
    """Return the scorer for ``spec``: built on first use, reused for the rest of the process."""
    with _LOCK:
        scorer = _CACHE.get(spec)
        if scorer is None:
            scorer = _build(spec)
            _CACHE[spec] = scorer
        return scorer


def loaded_count() -> int:
    """Count the scorers this process holds (lets tests check that nothing was loaded)."""
    return len(_CACHE)


def clear_cache() -> None:
    """Forget every loaded scorer (frees their memory once nothing else refers to them)."""
    with _LOCK:
        _CACHE.clear()
