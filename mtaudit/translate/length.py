"""Length handling: inputs over a model's token budget are split, never silently truncated.

A sentence longer than the budget is cut at clause punctuation (Latin and Arabic), then between
words, then (for a single giant token such as a URL) between characters; the pieces are
translated separately and joined with a space. Every split is logged.
"""

from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

from mtaudit.translate import TranslationKey

log = logging.getLogger("mtaudit")

_CLAUSE_END = re.compile(r"(?<=[.!?;:,\u060c\u061b\u061f\u06d4])\s+")


def _split_words(text: str, count: Callable[[str], int], budget: int) -> list[str]:
    pieces: list[str] = []
    for word in text.split():
        while count(word) > budget and len(word) > 1:
            # a single over-long token: halve it until the head fits
            cut = len(word) // 2
            while cut > 1 and count(word[:cut]) > budget:
                cut //= 2
            pieces.append(word[:cut])
            word = word[cut:]
        pieces.append(word)
    return pieces


def _pack(pieces: Sequence[str], count: Callable[[str], int], budget: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current} {piece}" if current else piece
        if current and count(candidate) > budget:
            chunks.append(current)
            current = piece
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


def split_to_budget(text: str, count: Callable[[str], int], budget: int) -> list[str]:
    """Split ``text`` into pieces of at most ``budget`` tokens as counted by ``count``.

    Returns ``[text]`` when it already fits. Clause boundaries are preferred, then words.
    """
    if budget < 1:
        raise ValueError("budget must be positive")
    if count(text) <= budget:
        return [text]
    pieces: list[str] = []
    for clause in _CLAUSE_END.split(text.strip()):
        if not clause:
            continue
        if count(clause) <= budget:
            pieces.append(clause)
        else:
            pieces.extend(_pack(_split_words(clause, count, budget), count, budget))
    return _pack(pieces, count, budget)


class ChunkedTranslator(ABC):
    """Base of the model backends: splitting, length-sorted batching, reassembly.

    Subclasses provide ``count_tokens`` (the model's own tokenizer) and ``translate_batch``.
    """

    key: TranslationKey

    def __init__(self, key: TranslationKey, batch_size: int, budget: int) -> None:
        self.key = key
        self.batch_size = max(1, batch_size)
        self.budget = budget
        self.split_inputs = 0
        self.engine = type(self).__name__
        self.compute_type = ""

    def signature(self) -> dict[str, str]:
        """The resolved state: model id@revision, direction, engine actually used, decoding."""
        sig = {
            "model": f"{self.key.model}@{self.key.revision}",
            "direction": self.key.direction,
            "engine": self.engine,
            "decoding": self.key.decoding,
        }
        if self.compute_type:
            sig["compute_type"] = self.compute_type
        return sig

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """How many source tokens the model sees for ``text`` (special tokens included)."""

    @abstractmethod
    def translate_batch(self, texts: list[str]) -> list[str]:
        """Translate a batch of texts that all fit the budget."""

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate ``texts`` in order; empty texts translate to ``""``."""
        chunks: list[str] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            if not text.strip():
                continue
            parts = split_to_budget(text.strip(), self.count_tokens, self.budget)
            if len(parts) > 1:
                self.split_inputs += 1
                log.warning(
                    "%s: an input of %d tokens is over the %d-token budget; translated in %d parts",
                    self.key.model,
                    self.count_tokens(text),
                    self.budget,
                    len(parts),
                )
            chunks.extend(parts)
            owner.extend([i] * len(parts))
        order = sorted(range(len(chunks)), key=lambda k: len(chunks[k]))
        translated: list[str] = [""] * len(chunks)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            for k, out in zip(batch, self.translate_batch([chunks[k] for k in batch]), strict=True):
                translated[k] = out
        results: list[list[str]] = [[] for _ in texts]
        for k, out in enumerate(translated):
            results[owner[k]].append(out)
        return [" ".join(part for part in parts if part) for parts in results]
