"""Choosing a registered backend for a configured model, opening it once, the cache in front."""

from __future__ import annotations

import logging

from mtaudit.config import Config
from mtaudit.errors import ModelMissingError
from mtaudit.extras import installed
from mtaudit.models.loaded import load_once
from mtaudit.models.paths import ct2_dir, ct2_present, hf_dir, hf_present
from mtaudit.models.specs import ModelSpec
from mtaudit.translate import TranslationKey, Translator, get_backend
from mtaudit.translate.cache import CachedTranslator, TranslationCache
from mtaudit.translate.settings import decoding, translation_settings

log = logging.getLogger("mtaudit")


def translation_key(config: Config, spec: ModelSpec) -> TranslationKey:
    """Return the cache key of ``spec`` under the configured decoding settings.

    The revision is the commit the model is locked to (``models pull``), else the configured one.
    """
    from mtaudit.models.store import resolved_revision

    revision = resolved_revision(config, spec)
    return TranslationKey(spec.hub_id, revision, spec.direction, decoding(config).signature())


def _engine(config: Config) -> str:
    engine = translation_settings(config).engine
    if engine != "auto":
        get_backend(engine)  # raises ConfigError naming the registered engines
    return engine


def choose_engine(config: Config, spec: ModelSpec) -> str:
    """The engine ``open_backend`` would load for ``spec``, decided from disk.

    ``auto`` prefers a converted CTranslate2 model, converts the Hugging Face model when
    ``translation.auto_convert`` is on and ctranslate2 is installed, and falls back to transformers.
    """
    engine = _engine(config)
    if engine != "auto":
        return engine
    if ct2_present(ct2_dir(config, spec)):
        return "ct2"
    if (
        hf_present(hf_dir(config, spec))
        and translation_settings(config).auto_convert
        and installed("ctranslate2")
    ):
        return "ct2"
    return "transformers"


_LIBRARIES = {
    "ct2": ("ctranslate2", "transformers", "sentencepiece"),
    "transformers": ("torch", "transformers", "sentencepiece"),
}


def missing_library(config: Config, spec: ModelSpec) -> str | None:
    """The first library (of the ``neural`` extra) the chosen backend needs and lacks."""
    needed = _LIBRARIES.get(choose_engine(config, spec), ())
    return next((m for m in needed if not installed(m)), None)


def translator_present(config: Config, spec: ModelSpec) -> bool:
    """Whether the chosen backend can load ``spec`` now: files on disk and libraries installed.

    Looks at the disk and the installed modules only; loads nothing.
    """
    on_disk = get_backend(choose_engine(config, spec)).present(config, spec)
    return on_disk and missing_library(config, spec) is None


def open_backend(config: Config, spec: ModelSpec) -> Translator:
    """Load the model for ``spec`` with the configured engine; raise if it is not on disk.

    Loaded once per process (:mod:`mtaudit.models.loaded`): every signal shares the object. A
    model that is on disk but cannot be loaded (damaged files) raises ``ModelMissingError``
    with the commands that check and repair it.
    """
    engine = choose_engine(config, spec)
    key = (
        "translator",
        spec,
        engine,
        decoding(config),
        translation_settings(config).batch_size,
        translation_settings(config).threads,
        str(hf_dir(config, spec)),
        translation_key(config, spec).revision,
    )
    try:
        return load_once(key, lambda: get_backend(engine).open(config, spec))
    except (OSError, ValueError, RuntimeError) as exc:
        raise ModelMissingError(
            f"cannot load model {spec.name}: {type(exc).__name__}: {exc}",
            fix=f"mtaudit models verify {spec.name}; mtaudit models pull --force {spec.name}",
        ) from None


def cached_translator(config: Config, spec: ModelSpec, cache: TranslationCache) -> CachedTranslator:
    """Return a cache-fronted translator; the model loads only on the first cache miss."""
    return CachedTranslator(
        translation_key(config, spec),
        cache,
        lambda: open_backend(config, spec),
        batch_size=translation_settings(config).batch_size,
    )
