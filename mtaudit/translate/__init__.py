"""Translation: backends behind a registry, a cache in front of them.

:data:`BACKENDS` names every translation engine (``ct2``: CTranslate2 int8, ``transformers``);
adding one is a module with a ``BACKEND`` object and a line there (or :func:`register`).
:mod:`mtaudit.translate.engine` picks the engine the configuration asks for and loads it once
per process; :class:`mtaudit.translate.cache.CachedTranslator` puts the SQLite cache in front so
that only missing translations reach a model, which is loaded lazily on the first miss.
Importing this package does not import torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from mtaudit.registry import lookup

if TYPE_CHECKING:
    from mtaudit.config import Config
    from mtaudit.models.specs import ModelSpec


@dataclass(frozen=True)
class TranslationKey:
    """What makes one model's translation of a text reproducible: the cache key minus the text."""

    model: str
    revision: str
    direction: str
    decoding: str

    def describe(self) -> str:
        """``"Helsinki-NLP/opus-mt-ar-en@<rev> ar-en beam=1;..."`` for logs and signatures."""
        return f"{self.model}@{self.revision} {self.direction} {self.decoding}"


@runtime_checkable
class Translator(Protocol):
    """Anything that translates a batch of texts in one direction with fixed settings."""

    key: TranslationKey

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Return one translation per input text, in order."""
        ...


class TranslatorBackend(Protocol):
    """A registry entry: what it needs, whether it can run a model, and how it opens one."""

    name: str

    def present(self, config: Config, spec: ModelSpec) -> bool:
        """Whether this backend can load ``spec`` now (looks at disk only, loads nothing)."""
        ...

    def open(self, config: Config, spec: ModelSpec) -> Translator:
        """Load ``spec`` and return a translator for it."""
        ...


# engine name -> "module:attribute" of its backend object (imported on first use), or the object.
BACKENDS: dict[str, str | TranslatorBackend] = {
    "ct2": "mtaudit.translate.ct2:BACKEND",
    "transformers": "mtaudit.translate.hf:BACKEND",
}


def register(name: str, backend: str | TranslatorBackend) -> None:
    """Register a translation backend under ``name`` (usable as ``translation.engine``)."""
    BACKENDS[name] = backend


def get_backend(name: str) -> TranslatorBackend:
    """Return the backend registered as ``name``; raise ``ConfigError`` for an unknown one."""
    backend: TranslatorBackend = lookup(
        BACKENDS,
        name,
        lambda: f"translation.engine must be one of {', '.join(('auto', *BACKENDS))}, got {name!r}",
    )
    return backend


__all__ = [
    "BACKENDS",
    "TranslationKey",
    "Translator",
    "TranslatorBackend",
    "get_backend",
    "register",
]
