"""Load a causal-LM scorer once per process, lazily, with the engine the registry names."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.extras import installed
from mtaudit.lm import BACKENDS, Scorer, get_backend
from mtaudit.lm.engines import Engine
from mtaudit.lm.scorer import FluencyScorer
from mtaudit.models.loaded import load_once
from mtaudit.models.paths import missing_reason

logger = logging.getLogger("mtaudit")


def resolve_engine(engine: str) -> str:
    """Turn ``"auto"`` into the fastest installed engine; check the others are registered."""
    if engine != "auto" and engine not in BACKENDS:
        known = ", ".join(("auto", *BACKENDS))
        raise ConfigError(f"fluency.engine must be one of {known}, not {engine!r}")
    if engine == "auto":
        return "ct2" if installed("ctranslate2") else "transformers"
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
    """Everything that decides which scorer object a request gets (the cache key).

    The settings come from ``[fluency]`` (``signals.fluency.FluencySettings``); they have no
    defaults here.
    """

    model_dir: Path
    engine: str
    compute_type: str
    batch_size: int
    threads: int
    padding_side: str
    window: int
    plain_quotes: bool
    max_tokens: int | None = None
    ct2_dir: Path | None = None
    model: str = ""  # hub id @ the revision in use, for signatures


def load_tokenizer(spec: ScorerSpec) -> Any:
    """Load the model's Hugging Face tokenizer from ``spec.model_dir``."""
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(str(spec.model_dir))
    except (OSError, ValueError) as exc:
        raise ModelMissingError(f"cannot load the tokenizer at {spec.model_dir}: {exc}") from None


def make_scorer(spec: ScorerSpec, engine: Engine, tokenizer: Any = None) -> FluencyScorer:
    """Wrap ``engine`` in a :class:`FluencyScorer` with the spec's settings."""
    logger.info("fluency: loaded %s with the %s engine", spec.model_dir.name, engine.name)
    return FluencyScorer(
        tokenizer if tokenizer is not None else load_tokenizer(spec),
        engine,
        window=spec.window,
        max_tokens=spec.max_tokens,
        name=spec.model_dir.name,
        plain_quotes=spec.plain_quotes,
        model=spec.model,
    )


def unavailable(spec: ScorerSpec) -> str | None:
    """Say why ``spec`` cannot be loaded (library or files missing), looking at disk only."""
    backend = get_backend(resolve_engine(spec.engine))
    for module in backend.needs:
        if not installed(module):
            return f"{module} is not installed"
    if backend.reads_model_files:
        return missing_reason(spec.model_dir)
    return None


def load_scorer(spec: ScorerSpec) -> Scorer:
    """Return the scorer for ``spec``: built on first use, reused for the rest of the process."""

    def build() -> Scorer:
        backend = get_backend(resolve_engine(spec.engine))
        if backend.reads_model_files:
            reason = missing_reason(spec.model_dir)
            if reason is not None:
                raise ModelMissingError(reason)
        return backend.open(spec)

    return load_once(("scorer", spec), build)
