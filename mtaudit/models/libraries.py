"""Whether the libraries a model stage needs are installed, and which extra brings them.

One place answers "is ctranslate2 there?" for the translation and fluency engines and for
``models pull``, without importing anything heavy.
"""

from __future__ import annotations

import importlib.util

from mtaudit.errors import PullError

NEURAL_FIX = "pip install 'mtaudit[neural]'"


def has_module(name: str) -> bool:
    """Tell whether ``name`` can be imported, without importing it."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def require_neural(command: str, module: str = "huggingface_hub") -> None:
    """Raise ``PullError`` naming the extra to install when ``module`` is not installed."""
    if not has_module(module):
        raise PullError(
            f"{command} needs the 'neural' extra ({module} is not installed)", NEURAL_FIX
        )
