"""The example article's JSON report against a reviewed golden file.

Regenerate after an intended change with ``MTAUDIT_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mtaudit.config import Config
from mtaudit.io import read_inputs
from mtaudit.pipeline import audit
from mtaudit.reports.json_report import dumps, run_to_dict

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "example.json"


def stable(run: dict[str, Any]) -> dict[str, Any]:
    """Drop what changes with the version and the machine, not with behaviour."""
    signature = run["signature"]
    for key in ("version", "text", "config_files", "config_digest"):
        signature.pop(key)
    for doc in run["documents"]:
        doc["origin"] = Path(doc["origin"]).name
    return run


def test_example_matches_golden() -> None:
    items = read_inputs(
        [str(ROOT / "examples" / "article.en.txt")],
        source=str(ROOT / "examples" / "article.ar.txt"),
    )
    run = stable(run_to_dict(audit(items, Config.load(), signals=[])))
    if os.environ.get("MTAUDIT_UPDATE_GOLDEN"):
        GOLDEN.write_text(dumps(run, pretty=True), encoding="utf-8")
    assert run == json.loads(GOLDEN.read_text(encoding="utf-8"))
