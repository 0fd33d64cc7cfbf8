"""Causal-LM scoring: how surprised a language model is by each token, and where.

- :mod:`mtaudit.lm.spans` — token offsets, the worst window, highlight spans (pure Python);
- :mod:`mtaudit.lm.engines` — what an engine is (token log-probabilities);
- :mod:`mtaudit.lm.hf`, :mod:`mtaudit.lm.ct2` — the transformers and CTranslate2 engines;
- :mod:`mtaudit.lm.scorer` — sentences (with optional context) to :class:`SentenceScore`;
- :mod:`mtaudit.lm.loading` — a scorer spec to a scorer, loaded once per process;
- :mod:`mtaudit.lm.background` — normalise against the shipped fluent sample text.

Backends are found through :data:`BACKENDS`: adding one is a module with a ``BACKEND`` object
and a line here (or :func:`register` at run time). Importing this package does not import torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from mtaudit.registry import lookup

if TYPE_CHECKING:
    from mtaudit.lm.loading import ScorerSpec
    from mtaudit.lm.scorer import SentenceScore


class Scorer(Protocol):
    """Scores sentences under one causal LM with fixed settings."""

    name: str
    window: int
    max_length: int
    plain_quotes: bool

    @property
    def engine_name(self) -> str:
        """The engine actually used (``"ct2"``, ``"transformers"``, ...)."""
        ...

    @property
    def compute_type(self) -> str:
        """The engine's weight type (``"int8"``, ``"float32"``, ...)."""
        ...

    def score(
        self, texts: Sequence[str], contexts: Sequence[str | None] | None = None
    ) -> list[SentenceScore]:
        """Score every text; ``contexts[i]`` is the text before it."""
        ...

    def signature(self) -> dict[str, str]:
        """The resolved state: model id@revision, engine, weight type, window, token limit."""
        ...


class ScorerBackend(Protocol):
    """A registry entry: the libraries it needs and how it opens a scorer."""

    name: str
    needs: tuple[str, ...]
    reads_model_files: bool

    def open(self, spec: ScorerSpec) -> Scorer:
        """Load a scorer for ``spec`` (the model is on disk when ``reads_model_files``)."""
        ...


# engine name -> "module:attribute" of its backend object (imported on first use), or the object.
BACKENDS: dict[str, str | ScorerBackend] = {
    "ct2": "mtaudit.lm.ct2:BACKEND",
    "transformers": "mtaudit.lm.hf:BACKEND",
}


def register(name: str, backend: str | ScorerBackend) -> None:
    """Register a scorer backend under ``name`` (usable as ``[fluency] engine``)."""
    BACKENDS[name] = backend


def get_backend(name: str) -> ScorerBackend:
    """Return the backend registered as ``name``; raise ``ConfigError`` for an unknown one."""
    backend: ScorerBackend = lookup(
        BACKENDS, name, lambda: f"unknown fluency engine {name!r} (known: {', '.join(BACKENDS)})"
    )
    return backend
