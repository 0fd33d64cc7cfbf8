"""Fake translator and scorer backends, registered through the real registries by fixtures.

``fake-dict`` translates by looking texts up in a table the test fills; ``fake-words`` scores
every word as one token, cheaply for a word of the shipped fluent sample text (3 to 5 bits, by a
stable hash) and dearly for any other word. Neither imports torch nor reads model files, so
pipeline and signal tests run on canned outputs through the code paths real models take.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources

import pytest

from mtaudit import lm, translate
from mtaudit.config import Config
from mtaudit.lm.loading import ScorerSpec
from mtaudit.lm.scorer import SentenceScore
from mtaudit.lm.spans import window_span, worst_window
from mtaudit.models import loaded
from mtaudit.models.specs import ModelSpec
from mtaudit.translate import TranslationKey

_WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)


class DictTranslator:
    """Translates by lookup; a text the table lacks comes back as ``"?"`` (and is counted)."""

    def __init__(self, key: TranslationKey, table: dict[str, str]) -> None:
        self.key = key
        self.table = table
        self.calls: list[list[str]] = []
        self.unknown: list[str] = []

    def translate(self, texts: Sequence[str]) -> list[str]:
        """One lookup per text."""
        self.calls.append(list(texts))
        out = []
        for text in texts:
            found = self.table.get(text.strip())
            if found is None:
                self.unknown.append(text)
            out.append("?" if found is None else found)
        return out

    def signature(self) -> dict[str, str]:
        """The resolved state, as the real backends give it."""
        return {
            "model": f"{self.key.model}@{self.key.revision}",
            "direction": self.key.direction,
            "engine": "fake-dict",
            "decoding": self.key.decoding,
        }


@dataclass
class DictBackend:
    """Registry entry ``fake-dict``: ``tables[direction][text] = translation``."""

    name: str = "fake-dict"
    tables: dict[str, dict[str, str]] = field(default_factory=dict)
    opened: list[DictTranslator] = field(default_factory=list)

    def present(self, config: Config, spec: ModelSpec) -> bool:
        """Present for every direction the test gave a table."""
        return spec.direction in self.tables

    def open(self, config: Config, spec: ModelSpec) -> DictTranslator:
        """A translator over the direction's table, keyed like the real backends."""
        from mtaudit.translate.engine import translation_key

        translator = DictTranslator(translation_key(config, spec), self.tables[spec.direction])
        self.opened.append(translator)
        return translator


def _fluent_words() -> frozenset[str]:
    words: set[str] = set()
    for lang in ("en", "ar"):
        text = (resources.files("mtaudit") / "data" / f"fluent.{lang}.txt").read_text("utf-8")
        words.update(w.lower() for w in _WORD.findall(text))
    return frozenset(words)


class WordScorer:
    """Deterministic surprisal: known words 3 to 5 bits, unknown words 14 bits."""

    engine_name = "fake-words"
    compute_type = "none"
    plain_quotes = True
    max_length = 512

    def __init__(self, window: int, model: str) -> None:
        self.window = window
        self.name = "fake-words"
        self.model = model
        self.vocabulary = _fluent_words()

    def _bits(self, word: str) -> float:
        if word.lower() not in self.vocabulary:
            return 14.0
        return 3.0 + hashlib.sha256(word.lower().encode()).digest()[0] / 128.0

    def score(
        self, texts: Sequence[str], contexts: Sequence[str | None] | None = None
    ) -> list[SentenceScore]:
        """One score per text (contexts are accepted and ignored)."""
        out = []
        for text in texts:
            matches = list(_WORD.finditer(text))
            offsets = tuple((m.start(), m.end()) for m in matches)
            bits = [self._bits(m.group()) for m in matches]
            start, end, w_mean = worst_window(bits, self.window)
            out.append(
                SentenceScore(
                    text=text,
                    surprisal=tuple(bits),
                    offsets=offsets,
                    mean=sum(bits) / len(bits) if bits else math.nan,
                    window=(start, end),
                    window_mean=w_mean,
                    span=window_span(text, list(offsets), start, end),
                )
            )
        return out

    def signature(self) -> dict[str, str]:
        """The resolved state, as the real scorers give it."""
        return {"model": self.model, "engine": self.engine_name, "window": str(self.window)}


@dataclass
class WordScorerBackend:
    """Registry entry ``fake-words``."""

    name: str = "fake-words"
    needs: tuple[str, ...] = ()
    reads_model_files: bool = False
    opened: list[WordScorer] = field(default_factory=list)

    def open(self, spec: ScorerSpec) -> WordScorer:
        """A word scorer with the spec's window."""
        scorer = WordScorer(spec.window, spec.model)
        self.opened.append(scorer)
        return scorer


@pytest.fixture
def fake_translator(monkeypatch: pytest.MonkeyPatch) -> Iterator[DictBackend]:
    """Register ``fake-dict`` as a translation engine for one test."""
    backend = DictBackend()
    monkeypatch.setitem(translate.BACKENDS, backend.name, backend)
    loaded.clear()
    yield backend
    loaded.clear()


@pytest.fixture
def fake_scorer(monkeypatch: pytest.MonkeyPatch) -> Iterator[WordScorerBackend]:
    """Register ``fake-words`` as a fluency engine for one test."""
    backend = WordScorerBackend()
    monkeypatch.setitem(lm.BACKENDS, backend.name, backend)
    loaded.clear()
    yield backend
    loaded.clear()
