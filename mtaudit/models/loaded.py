"""The one model-lifetime rule: a model loads lazily, once per process, and is then shared.

Loaded models (translators, scorers) sit in a small cache keyed by what decides the object:
the spec, the engine and its settings. Building happens on first use only, under a lock, so
two signals asking for the same model get the same object.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

_LOADED: dict[Hashable, Any] = {}
_LOCK = threading.RLock()


def load_once(key: Hashable, build: Callable[[], T]) -> T:
    """Return the object loaded under ``key``; call ``build`` the first time only."""
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = build()
        loaded: T = _LOADED[key]
        return loaded


def loaded_count() -> int:
    """Count the models this process holds (lets tests check that nothing was loaded)."""
    return len(_LOADED)


def clear() -> None:
    """Forget every loaded model (frees its memory once nothing else refers to it)."""
    with _LOCK:
        _LOADED.clear()
