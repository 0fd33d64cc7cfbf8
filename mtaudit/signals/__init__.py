"""Model-based signals (fidelity, fluency) behind one small interface and a lazy registry.

Nothing here imports torch: a signal's module is imported only when the audit asks for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from mtaudit.config import Config
from mtaudit.registry import lookup
from mtaudit.settings import settings_of
from mtaudit.types import Pair, SignalOutput, SignalStatus

if TYPE_CHECKING:
    from mtaudit.translate.shared import Translations

# name -> "module:factory"; the factory takes a Config and the run's shared Translations and
# returns a Signal. All registrations live here, in one place.
REGISTRY: dict[str, str] = {
    "fidelity": "mtaudit.signals.fidelity:build",
    "fluency": "mtaudit.signals.fluency:build",
}


@dataclass(frozen=True)
class SignalSettings:
    """``[signals]``: the signals a run computes, in order, unless the command line names them."""

    SECTION: ClassVar[str] = "signals"
    enabled: tuple[str, ...]


def chosen(config: Config, signals: Sequence[str] | None = None) -> list[str]:
    """The signals to run: ``signals`` when given, else ``[signals] enabled``."""
    return list(settings_of(config, SignalSettings).enabled if signals is None else signals)


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


def register(name: str, target: str) -> None:
    """Register a signal factory by dotted path (``"package.module:factory"``)."""
    REGISTRY[name] = target


def load(name: str, config: Config, translations: Translations | None = None) -> Signal:
    """Import and build the named signal; raise ``ConfigError`` for an unknown name.

    ``translations`` is the run's shared translator (one is made when not given).
    """
    factory = lookup(
        REGISTRY,
        name,
        lambda: f"unknown signal {name!r} (known: {', '.join(sorted(REGISTRY)) or 'none'})",
    )
    if translations is None:
        from mtaudit.translate.shared import Translations

        translations = Translations(config)
    signal: Signal = factory(config, translations)
    return signal
