"""Load a causal LM scorer once per process, lazily, with the chosen engine."""

from __future__ import annotations

import importlib.util
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.fluency.engines import CT2Engine, Engine, TransformersEngine
from mtaudit.fluency.scorer import FluencyScorer
from mtaudit.models.convert import convert
from mtaudit.models.loaded import load_once
from mtaudit.models.paths import ct2_dir_for, ct2_present, missing_reason

logger = logging.getLogger("mtaudit")

ENGINES = ("auto", "transformers", "ct2")


def has_module(name: str) -> bool:
    """Tell whether ``name`` can be imported, without importing it."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


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


def _build(spec: ScorerSpec) -> FluencyScorer:
    reason = missing_reason(spec.model_dir)
    if reason is not None:
        raise ModelMissingError(reason)
    engine_name = resolve_engine(spec.engine)
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(spec.model_dir))
    except (OSError, ValueError) as exc:
        raise ModelMissingError(f"cannot load the tokenizer at {spec.model_dir}: {exc}") from None
    engine: Engine
    if engine_name == "ct2":
        ct2_dir = spec.ct2_dir or ct2_dir_for(spec.model_dir, spec.compute_type)
        if not ct2_present(ct2_dir):
            convert(spec.model_dir, ct2_dir, quantization=spec.compute_type)
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
    return load_once(("scorer", spec), lambda: _build(spec))
