"""Libraries from optional extras: which extra installs each, and one error when one is missing.

Code that needs torch, transformers, ctranslate2, huggingface_hub, ray or playwright asks here
first (:func:`require`, :func:`installed`, :func:`missing`, :func:`require_neural`), so a missing
extra is one line naming the ``pip install`` that fixes it instead of a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from mtaudit.errors import ExtraMissingError, PullError

NEURAL_FIX = "pip install 'mtaudit[neural]'"
"""The command that installs the model libraries."""

#: Top-level module → the extra of ``pyproject.toml`` that installs it.
EXTRA_OF = {
    "torch": "neural",
    "transformers": "neural",
    "sentencepiece": "neural",
    "sacremoses": "neural",
    "ctranslate2": "neural",
    "huggingface_hub": "neural",
    "ray": "ray",
    "pyarrow": "ray",
    "playwright": "browser",
}


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def require(module: str, purpose: str) -> ModuleType:
    """Import ``module`` (a dotted name is fine) or raise ``ExtraMissingError``.

    ``purpose`` says what needed it ("models pull", "the fidelity signal"). Only a missing
    extra's library becomes the domain error; any other import failure propagates unchanged.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = _top(exc.name or "")
        if missing not in EXTRA_OF:
            raise
        raise ExtraMissingError(missing, EXTRA_OF[missing], purpose) from None


def installed(module: str) -> bool:
    """Tell whether ``module`` can be imported, without importing it."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing(modules: tuple[str, ...], purpose: str) -> ExtraMissingError | None:
    """The error for the first of ``modules`` that is not installed; ``None`` when all are."""
    for module in modules:
        if not installed(module):
            top = _top(module)
            return ExtraMissingError(top, EXTRA_OF.get(top, "neural"), purpose)
    return None


def require_neural(command: str, module: str = "huggingface_hub") -> None:
    """Raise ``PullError`` naming the extra to install when ``module`` is not installed."""
    if not installed(module):
        raise PullError(
            f"{command} needs the 'neural' extra ({module} is not installed)", NEURAL_FIX
        )
