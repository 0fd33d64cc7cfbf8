"""Registries name their entries by ``"module:attribute"`` so nothing is imported until used."""

from __future__ import annotations

import importlib
from typing import Any


def resolve(entry: Any) -> Any:
    """The object a registry entry names: ``"module:attribute"`` is imported, an object returned."""
    if isinstance(entry, str):
        module, _, attr = entry.partition(":")
        return getattr(importlib.import_module(module), attr)
    return entry
