"""Model-based signals (fidelity, fluency) behind one small interface and a lazy registry.

Nothing here imports torch: a signal's module is imported only when the audit asks for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Protocol

from mtaudit.config import Config
from mtaudit.errors import ConfigError
from mtaudit.types import Bead, Pair, Sentence, SignalOutput, SignalStatus

# name -> "module:factory"; the factory takes a Config and returns a Signal. All registrations
# live here, in one place.
REGISTRY: dict[str, str] = {
    "fidelity": "mtaudit.signals.fidelity:build",
    "fluency": "mtaudit.signals.fluency:build",
}


class Signal(Protocol):
    """A per-sentence signal computed by a model (or from cached model outputs)."""

    name: str

    def status(self, pairs: Sequence[Pair]) -> list[SignalStatus]:
        """Say which parts of this signal can run on these pairs; for the rest, why not and the fix.

        One entry per part (e.g. ``fidelity.back_translation``); the signal runs when at least
        one part can. Must not load a model, only look for it on disk and in caches.
        """
        ...

    def score(self, pairs: Sequence[Pair]) -> list[SignalOutput]:
        """Score every pair (batched inside) with the parts that can run; one output per pair."""
        ...


class Aligner(Protocol):
    """Optional extra of a signal: align source and target sentences better than by length."""

    def align(self, source: Sequence[Sentence], target: Sequence[Sentence]) -> list[Bead] | None:
        """Return beads covering both sides in order, or ``None`` to fall back to length."""
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
