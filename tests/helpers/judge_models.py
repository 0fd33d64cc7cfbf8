"""Judge model files for tests: the shipped ar-en model changed in one place."""

from __future__ import annotations

import json
from pathlib import Path

from mtaudit.judge import SHIPPED


def reading_forward_ter(folder: Path, coef: float) -> Path:
    """The shipped ar-en model with a forward-TER weight of ``coef`` in every basis that has the
    forward part, written to ``folder/ar-en.json``; returns its path."""
    model = json.loads((SHIPPED / "ar-en.json").read_text(encoding="utf-8"))
    for basis in model["models"]:
        if "fidelity.forward" in basis["basis"]:
            basis["weights"]["fidelity.forward.ter"] = {"coef": coef, "mean": 0.6, "scale": 0.3}
    path = folder / "ar-en.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    return path
