"""The two keys of a stored document: its content hash and the settings key.

The settings key is built per document from what affects that document: the mtaudit code and
bundled data, the configuration tables of segmentation, alignment, checks and the judge (and any
table mtaudit does not know to be irrelevant) with the files they name, and, for each signal that
is asked for, its own configuration and the identity of the models it would use for the
document's languages (their configuration and the files on disk). A change to the English
fluency model thus re-audits English targets only; a change to the gate's budgets re-audits
nothing.
"""

from __future__ import annotations

import glob
import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from mtaudit.config import Config
from mtaudit.types import Document

_IRRELEVANT = {"gate", "report", "languages", "state"}
"""Configuration tables that never change a verdict (languages only supply input defaults)."""
_PER_SIGNAL = {"translation", "models", "fidelity", "fluency", "signals"}
"""Tables that are keyed per signal and language pair instead of as a whole."""
_NOT_OUTPUT = {"cache", "threads"}
"""Settings of a signal that change where or how fast it works, not what it says."""


def _digest(value: Any) -> str:
    blob = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of mtaudit's own code and bundled data, so that a new version re-audits."""
    package = Path(__file__).resolve().parents[1]
    sha = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            sha.update(str(path.relative_to(package)).encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def content_hash(doc: Document) -> str:
    """The hash of everything about a document that its record depends on."""
    return _digest(
        [
            doc.id,
            doc.target,
            doc.source,
            doc.source_lang,
            doc.target_lang,
            doc.origin,
            doc.metadata,
        ]
    )


def _model_files(config: Config, name: str) -> list[tuple[str, int, int]]:
    """Files of a model (and its converted forms) on disk: name, size, modification time."""
    from mtaudit.models.paths import models_dir

    root = models_dir(config)
    found: list[tuple[str, int, int]] = []
    for path in sorted(root.glob(f"{glob.escape(name)}*")):
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            stat = file.stat()
            found.append((str(file.relative_to(root)), stat.st_size, stat.st_mtime_ns))
    return found


def _model(config: Config, name: str | None) -> dict[str, Any]:
    if not name:
        return {"model": None}
    return {
        "model": name,
        "spec": config.section(f"models.{name}"),
        "files": _model_files(config, str(name)),
    }


def _named_files(value: Any) -> list[tuple[str, int, int]]:
    """Files that configuration values name (e.g. a judge model file): path, size, mtime.

    A setting that points at a file changes verdicts when the file changes, not only when the
    path does. Relative paths are looked up from the working directory.
    """
    found: list[tuple[str, int, int]] = []
    if isinstance(value, dict):
        for item in value.values():
            found += _named_files(item)
    elif isinstance(value, list):
        for item in value:
            found += _named_files(item)
    elif isinstance(value, str) and value.endswith((".json", ".toml", ".txt", ".tsv", ".csv")):
        try:
            stat = Path(value).stat()
        except (OSError, ValueError):
            return found
        found.append((value, stat.st_size, stat.st_mtime_ns))
    return found


def _without(table: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {k: v for k, v in table.items() if k not in keys}


class Settings:
    """Computes the settings key of each document, caching per language pair."""

    def __init__(self, config: Config, signals: Sequence[str]) -> None:
        self.config = config
        self.signals = list(signals)
        self._pairs: dict[tuple[str, str], str] = {}
        core = {
            name: table
            for name, table in config.data.items()
            if name not in _IRRELEVANT and name not in _PER_SIGNAL
        }
        self.core = {
            "code": code_digest(),
            "config": core,
            "files": _named_files(core),
            "signals": self.signals,
        }

    def _signal(self, name: str, source: str, target: str) -> dict[str, Any]:
        config = self.config
        if name == "fidelity":
            engines = config.section("translation.engines")
            return {
                "fidelity": config.section("fidelity"),
                "translation": _without(config.section("translation"), _NOT_OUTPUT | {"engines"}),
                "forward": _model(config, engines.get(f"{source}-{target}")),
                "backward": _model(config, engines.get(f"{target}-{source}")),
            }
        if name == "fluency":
            table = config.section("fluency")
            model = str(table.get("model", ""))
            languages = config.section(f"models.{model}").get("languages") or []
            samples = table.get("sample_texts") or {}
            if target not in languages:
                return {"fluency": None, "languages": languages}
            return {
                "fluency": _without(table, _NOT_OUTPUT),
                "sample": samples.get(target),
                **_model(config, model),
            }
        return {name: config.section(name)}

    def key(self, doc: Document) -> str:
        """The settings key of one document."""
        pair = (doc.source_lang, doc.target_lang)
        if pair not in self._pairs:
            parts = [self._signal(name, *pair) for name in self.signals]
            self._pairs[pair] = _digest([self.core, pair, parts])
        return self._pairs[pair]

    def keys(self) -> list[str]:
        """The settings keys computed so far (one per language pair seen)."""
        return list(self._pairs.values())

    def run_key(self) -> str:
        """A key for the run as a whole (for the stored run signature)."""
        return _digest([self.core, sorted(self._pairs.values())])
