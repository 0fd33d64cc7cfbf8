"""Registries name their entries by ``"module:attribute"`` so nothing is imported until used."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from mtaudit.errors import ConfigError, MtauditError


def resolve(entry: Any) -> Any:
    """The object a registry entry names: ``"module:attribute"`` is imported, an object returned."""
    if isinstance(entry, str):
        module, _, attr = entry.partition(":")
        return getattr(importlib.import_module(module), attr)
    return entry


def lookup(
    entries: Mapping[str, Any],
    name: str,
    unknown: Callable[[], str],
    error: type[MtauditError] = ConfigError,
) -> Any:
    """The object registered as ``name``; ``error(unknown())`` when there is none.

    A name from the configuration is a ``ConfigError``; one from the command line is given
    ``UsageError``.
    """
    if name not in entries:
        raise error(unknown())
    return resolve(entries[name])
