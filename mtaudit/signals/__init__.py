"""Model-based signals (fidelity, fluency) behind one small interface and a lazy registry.

Nothing here imports torch: a signal's module is imported only when the audit asks for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Protocol

from mtaudit.config import Config
from mtaudit.errors import ConfigError
from mtaudit.types import Pair, SignalOutput, SignalStatus

# name -> "module:factory"; the factory takes a Config and returns a Signal.
REGISTRY: dict[str, str] = {}


class Signal(Protocol):
    """A per-sentence signal computed by a model (or from cached model outputs)."""

    name: str

    def status(self, pairs: Sequence[Pair]) -> SignalStatus:
        """Say whether this signal can run on these pairs, and if not why and how to fix it."""
        ...

    def score(self, pairs: Sequence[Pair]) -> list[SignalOutput]:
        """Score every pair (batched inside); one output per pair, in order."""
        ...


def register(name: str, target: str) -> None:
    """Register a signal factory by dotted path (``"package.module:factory"``)."""
    REGISTRY[name] = target


def load(name: str, config: Config) -> Signal:
    """Import and build the named signal; raise ``ConfigError`` for an unknown name."""
    try:
        target = REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY)) or "none"
        raise ConfigError(f"unknown signal {name!r} (known: {known})") from None
    module_name, _, attr = target.partition(":")
    factory = getattr(importlib.import_module(module_name), attr)
    signal: Signal = factory(config)
    return signal
