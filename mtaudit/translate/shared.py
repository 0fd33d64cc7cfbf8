"""The run's translations: one place that alignment and the fidelity signal both translate through.

``Translations`` opens the translation cache and the translators lazily, resolves once per run
whether each direction's model is on disk, and keeps the translations it has returned in memory
(until ``forget``), so that texts translated to align a document are not translated, nor even
looked up in the cache, again when the fidelity signal scores it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mtaudit.config import Config
from mtaudit.errors import ModelMissingError
from mtaudit.extras import NEURAL_FIX
from mtaudit.models.paths import models_dir
from mtaudit.translate import get_backend
from mtaudit.translate.cache import CachedTranslator, TranslationCache, normalise
from mtaudit.translate.engine import (
    cached_translator,
    choose_engine,
    missing_library,
    translation_key,
    translator_present,
)
from mtaudit.translate.settings import cache_path, engine_for


@dataclass
class Availability:
    """Whether a direction can translate some texts; if not, why and the fix."""

    ran: bool
    reason: str = ""
    fix: str = ""
    # With no model on disk and only some translations cached (``partial``): the stripped texts
    # that can be translated; ``None`` means every text can.
    only: frozenset[str] | None = None


CacheFactory = Callable[[Config], TranslationCache]
"""Opens the run's translation cache. The default is the SQLite file at ``translation.cache``;
another store (one shared by a cluster) is a ``TranslationCache`` subclass that overrides
``get_many``, ``missing``, ``put_many`` and ``close``, opened by a factory given here."""


def sqlite_cache(config: Config) -> TranslationCache:
    """The SQLite translation cache of this machine (``translation.cache``)."""
    return TranslationCache(cache_path(config))


class Translations:
    """Translations for one run, per direction, shared by every stage that needs them."""

    def __init__(self, config: Config, open_cache: CacheFactory | None = None) -> None:
        self.config = config
        self.open_cache = open_cache or sqlite_cache
        self._cache: TranslationCache | None = None
        self._translators: dict[str, CachedTranslator] = {}
        self._present: dict[str, bool] = {}
        self._memo: dict[str, dict[str, str]] = {}
        self.calls: dict[str, int] = {}
        """How often each direction's translator was entered (texts not in memory)."""

    # -- cache and models -------------------------------------------------------------------

    def cache_for_reading(self) -> TranslationCache | None:
        """The cache when it exists (never creates the SQLite file)."""
        if (
            self._cache is None
            and self.open_cache is sqlite_cache
            and not cache_path(self.config).exists()
        ):
            return None
        return self._open_cache()

    def _open_cache(self) -> TranslationCache:
        if self._cache is None:
            self._cache = self.open_cache(self.config)
        return self._cache

    def close(self) -> None:
        """Close the cache and drop the remembered translations (the signature stays)."""
        if self._cache is not None:
            self._cache.close()
            self._cache = None
        self._memo.clear()

    def model_present(self, direction: str) -> bool:
        """Whether ``direction``'s model is on disk; looked up once per run."""
        if direction not in self._present:
            spec = engine_for(self.config, direction)
            self._present[direction] = spec is not None and translator_present(self.config, spec)
        return self._present[direction]

    def _translator(self, direction: str) -> CachedTranslator:
        if direction not in self._translators:
            spec = engine_for(self.config, direction)
            if spec is None:
                raise ModelMissingError(f"no translation model configured for {direction}")
            self._translators[direction] = cached_translator(self.config, spec, self._open_cache())
        return self._translators[direction]

    def signature(self) -> dict[str, object]:
        """Each direction's translator as it was really used (model, engine, cache origin)."""
        return {d: t.signature() for d, t in sorted(self._translators.items())}

    def cached(self, direction: str, texts: Sequence[str]) -> dict[str, str]:
        """Translations of ``texts`` already in memory or in the cache (normalised keys)."""
        spec = engine_for(self.config, direction)
        found = {normalise(t): v for t in texts if (v := self._memo.get(direction, {}).get(t))}
        cache = self.cache_for_reading()
        if cache is not None and spec is not None:
            rest = [t for t in texts if normalise(t) not in found]
            found.update(cache.get_many(translation_key(self.config, spec), rest))
        return found

    def available(
        self, direction: str, texts: Sequence[str], partial: bool = False
    ) -> Availability:
        """Whether ``direction`` can translate ``texts``: its model is on disk or all are cached.

        Texts already translated in this run count as cached. With ``partial``, some cached
        translations are enough: the answer names the texts that can be translated (``only``)
        and its reason says how many of them there are.
        """
        spec = engine_for(self.config, direction)
        if spec is None:
            return Availability(
                False,
                f"no translation model is configured for {direction}",
                f'add {direction} = "<model name>" under [translation.engines] in your config',
            )
        if self.model_present(direction):
            return Availability(True)
        memo = self._memo.get(direction, {})
        unique = list(dict.fromkeys(t.strip() for t in texts if t.strip() and t not in memo))
        cache = self.cache_for_reading()
        missing = cache.missing(translation_key(self.config, spec), unique) if cache else unique
        if not missing:
            return Availability(True)
        distinct = len({t.strip() for t in texts if t.strip()})
        if partial and len(missing) < distinct:
            gone = set(missing)
            kept = frozenset(t.strip() for t in texts if t.strip() and t.strip() not in gone)
            return self.partly_cached([direction], texts, kept)
        lacking = missing_library(self.config, spec)
        if lacking is not None and get_backend(choose_engine(self.config, spec)).present(
            self.config, spec
        ):
            return Availability(
                False,
                f"model {spec.name} needs {lacking}, which is not installed, and "
                f"{len(missing)} of {distinct} {direction} translations are not cached",
                NEURAL_FIX,
            )
        return Availability(
            False,
            f"model {spec.name} ({spec.hub_id}) is not in {models_dir(self.config)} and "
            f"{len(missing)} of {distinct} {direction} translations are not cached",
            f"mtaudit models pull {spec.name}",
        )

    def partly_cached(
        self, directions: Sequence[str], texts: Sequence[str], kept: frozenset[str]
    ) -> Availability:
        """``texts`` can be translated where ``kept`` holds them (stripped), no further.

        The models of ``directions`` that are not on disk are named, with the command that
        pulls each; the reason says how many of ``texts`` are scored.
        """
        names = [
            spec.name
            for direction in directions
            if not self.model_present(direction)
            and (spec := engine_for(self.config, direction)) is not None
        ]
        scored = sum(1 for t in texts if t.strip() in kept)
        which = f"model {names[0]} is" if len(names) == 1 else f"models {' and '.join(names)} are"
        return Availability(
            True,
            f"scored {scored:,} of {len(texts):,} sentences: {which} not in "
            f"{models_dir(self.config)} and only those translations are cached",
            " && ".join(f"mtaudit models pull {name}" for name in names),
            only=kept,
        )

    # -- translating ------------------------------------------------------------------------

    def translate(self, texts: Sequence[str], source_lang: str, target_lang: str) -> list[str]:
        """One translation per text; texts already translated in this run are not redone."""
        direction = f"{source_lang}-{target_lang}"
        memo = self._memo.setdefault(direction, {})
        todo = list(dict.fromkeys(t for t in texts if t not in memo))
        if todo:
            self.calls[direction] = self.calls.get(direction, 0) + 1
            memo.update(zip(todo, self._translator(direction).translate(todo), strict=True))
        return [memo[t] for t in texts]

    def translate_if_available(
        self, texts: Sequence[str], source_lang: str, target_lang: str
    ) -> list[str] | None:
        """Like ``translate``, or ``None`` when the model is absent and some text is not cached."""
        if not self.available(f"{source_lang}-{target_lang}", texts).ran:
            return None
        return self.translate(texts, source_lang, target_lang)

    def forget(self) -> None:
        """Drop the translations kept in memory (between batches of a streamed run)."""
        self._memo.clear()
