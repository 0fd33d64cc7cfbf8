"""Choosing and opening a backend for a configured model, with the cache in front of it."""

from __future__ import annotations

import logging

from mtaudit.config import Config
from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.extras import installed
from mtaudit.translate import TranslationKey, Translator
from mtaudit.translate.cache import CachedTranslator, TranslationCache
from mtaudit.translate.specs import (
    ModelSpec,
    ct2_dir,
    ct2_present,
    decoding,
    hf_dir,
    hf_present,
)

log = logging.getLogger("mtaudit")

ENGINES = ("auto", "ct2", "transformers")


def translation_key(config: Config, spec: ModelSpec) -> TranslationKey:
    """Return the cache key of ``spec`` under the configured decoding settings."""
    return TranslationKey(spec.hub_id, spec.revision, spec.direction, decoding(config).signature())


def _engine(config: Config) -> str:
    engine = str(config.get("translation.engine", "auto"))
    if engine not in ENGINES:
        raise ConfigError(f"translation.engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    return engine


def choose_engine(config: Config, spec: ModelSpec) -> str:
    """``"ct2"`` or ``"transformers"``: what ``open_backend`` would load for ``spec``, from disk.

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
        and bool(config.get("translation.auto_convert", True))
        and installed("ctranslate2")
    ):
        return "ct2"
    return "transformers"


def libraries(config: Config, spec: ModelSpec) -> tuple[str, ...]:
    """The modules ``open_backend`` will import for ``spec`` (all from the ``neural`` extra)."""
    needed = ("transformers", "sentencepiece")
    if choose_engine(config, spec) != "ct2":
        return (*needed, "torch")
    if ct2_present(ct2_dir(config, spec)):
        return (*needed, "ctranslate2")
    return (*needed, "ctranslate2", "torch")  # converts first


def open_backend(config: Config, spec: ModelSpec) -> Translator:
    """Load the model for ``spec`` with the configured engine; raise if it is not on disk.

    A model that is on disk but cannot be loaded (damaged files) raises ``ModelMissingError``
    with the commands that check and repair it.
    """
    try:
        return _open_backend(config, spec)
    except (OSError, ValueError, RuntimeError) as exc:
        raise ModelMissingError(
            f"cannot load model {spec.name}: {type(exc).__name__}: {exc}",
            fix=f"mtaudit models verify {spec.name}; mtaudit models pull --force {spec.name}",
        ) from None


def _open_backend(config: Config, spec: ModelSpec) -> Translator:
    engine = choose_engine(config, spec)
    settings = decoding(config)
    batch_size = int(config.number("translation.batch_size", 16))
    threads = int(config.number("translation.threads", 0))
    if engine == "ct2":
        path = ct2_dir(config, spec)
        if not ct2_present(path):
            from mtaudit.translate.ct2 import convert

            if not hf_present(hf_dir(config, spec)):
                raise ModelMissingError(
                    f"model {spec.name} is not in {hf_dir(config, spec).parent}",
                    fix=f"mtaudit models pull {spec.name}",
                )
            convert(hf_dir(config, spec), path)
        from mtaudit.translate.ct2 import CT2Translator

        return CT2Translator(spec, path, settings, batch_size=batch_size, threads=threads)
    from mtaudit.translate.hf import HFTranslator

    return HFTranslator(
        spec, hf_dir(config, spec), settings, batch_size=batch_size, threads=threads
    )


def cached_translator(config: Config, spec: ModelSpec, cache: TranslationCache) -> CachedTranslator:
    """Return a cache-fronted translator; the model loads only on the first cache miss."""
    return CachedTranslator(
        translation_key(config, spec),
        cache,
        lambda: open_backend(config, spec),
        batch_size=int(config.number("translation.batch_size", 16)),
    )
