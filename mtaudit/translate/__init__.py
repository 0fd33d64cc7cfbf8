"""Translation: backends behind one protocol, a cache in front of them, and model resolution.

``open_translator`` picks the engine the configuration asks for (CTranslate2 int8 or
transformers) and loads it; ``mtaudit.translate.cache.CachedTranslator`` puts the SQLite cache in
front so that only missing translations reach a model, which is loaded lazily on the first miss.
Importing this package does not import torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


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


__all__ = ["TranslationKey", "Translator"]
