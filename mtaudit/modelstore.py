"""The model store: fetch configured models at pinned revisions, list them, verify them.

Only ``pull`` touches the network (huggingface_hub ``snapshot_download`` at the configured
revision). It records the resolved commit and the SHA-256 of every file in
``models/manifest.toml``; ``verify`` checks the files on disk against that record.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtaudit.config import Config
from mtaudit.errors import ConfigError, PullError
from mtaudit.extras import require
from mtaudit.translate.specs import (
    ModelSpec,
    configured_models,
    ct2_dir,
    ct2_present,
    hf_dir,
    hf_present,
    model_spec,
    models_dir,
)

log = logging.getLogger("mtaudit")

MANIFEST = "manifest.toml"
# What a translation model needs; TensorFlow, Flax and Rust weights are left on the hub.
ALLOW_PATTERNS = [
    "*.json",
    "*.spm",
    "*.model",
    "*.txt",
    "README.md",
    "model.safetensors",
    "pytorch_model.bin",
]


@dataclass
class ModelState:
    """What is on disk for one configured model."""

    spec: ModelSpec
    hf_path: Path
    ct2_path: Path
    hf: bool
    ct2: bool
    recorded: bool
    commit: str = ""

    @property
    def present(self) -> bool:
        """Whether the model can be loaded in either form."""
        return self.hf or self.ct2


@dataclass
class VerifyResult:
    """Problems found in one model's files (empty ``problems`` means all files match)."""

    name: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every recorded file is present and intact."""
        return not self.problems


def sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(root: Path) -> dict[str, Any]:
    """Read the manifest as ``{model name: record}``; empty when there is none."""
    path = root / MANIFEST
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    models = data.get("models", {})
    return models if isinstance(models, dict) else {}


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def write_manifest(root: Path, records: dict[str, Any]) -> Path:
    """Write ``records`` to ``models/manifest.toml`` (atomically)."""
    lines = [
        "# Written by `mtaudit models pull`: the files of each pulled model and their SHA-256.",
        "# `mtaudit models verify` checks the files on disk against this record.",
    ]
    for name in sorted(records):
        rec = records[name]
        lines += ["", f"[models.{_toml_str(name)}]"]
        for key in ("hub_id", "revision", "commit", "pulled"):
            lines.append(f"{key} = {_toml_str(str(rec.get(key, '')))}")
        lines.append(f"[models.{_toml_str(name)}.files]")
        for rel, digest in sorted(rec.get("files", {}).items()):
            lines.append(f"{_toml_str(rel)} = {_toml_str(digest)}")
    path = root / MANIFEST
    root.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def file_hashes(path: Path) -> dict[str, str]:
    """SHA-256 of every file under ``path`` (relative POSIX paths), skipping hub metadata."""
    return {
        f.relative_to(path).as_posix(): sha256(f)
        for f in sorted(path.rglob("*"))
        if f.is_file() and ".cache" not in f.relative_to(path).parts
    }


def states(config: Config) -> list[ModelState]:
    """Describe what is on disk for every configured model."""
    root = models_dir(config)
    manifest = read_manifest(root)
    out = []
    for spec in configured_models(config):
        rec = manifest.get(spec.name, {})
        out.append(
            ModelState(
                spec=spec,
                hf_path=hf_dir(config, spec),
                ct2_path=ct2_dir(config, spec),
                hf=hf_present(hf_dir(config, spec)),
                ct2=ct2_present(ct2_dir(config, spec)),
                recorded=bool(rec),
                commit=str(rec.get("commit", "")),
            )
        )
    return out


def resolved_commit(path: Path) -> str:
    """Return the commit a ``local_dir`` snapshot came from (huggingface_hub's metadata)."""
    meta = path / ".cache" / "huggingface" / "download"
    for record in sorted(meta.rglob("*.metadata")) if meta.is_dir() else []:
        first = record.read_text(encoding="utf-8").splitlines()[:1]
        if first and len(first[0]) == 40:
            return first[0]
    return ""


Downloader = Callable[..., str]


def _default_downloader() -> Downloader:
    hub = require("huggingface_hub", "models pull")
    download: Downloader = hub.snapshot_download
    return download


def pull(
    config: Config,
    names: Sequence[str] = (),
    *,
    convert: bool = True,
    force: bool = False,
    downloader: Downloader | None = None,
) -> list[ModelState]:
    """Fetch ``names`` (default: every configured model) into ``models/`` at their revisions.

    Records the files' SHA-256 in the manifest and, with ``convert``, makes the CTranslate2 int8
    copy. ``downloader`` replaces ``huggingface_hub.snapshot_download`` (tests).
    """
    specs = [model_spec(config, n) for n in names] if names else configured_models(config)
    root = models_dir(config)
    manifest = read_manifest(root)
    fetch = downloader or _default_downloader()
    for spec in specs:
        target = hf_dir(config, spec)
        if hf_present(target) and not force and spec.name in manifest:
            log.info("%s is already in %s", spec.name, target)
        else:
            log.info("fetching %s@%s into %s", spec.hub_id, spec.revision, target)
            try:
                fetch(
                    repo_id=spec.hub_id,
                    revision=spec.revision,
                    local_dir=str(target),
                    allow_patterns=list(spec.allow_patterns) or ALLOW_PATTERNS,
                )
            except Exception as exc:  # network, auth, unknown revision: one clear message
                raise PullError(
                    f"cannot fetch {spec.hub_id}@{spec.revision}: {type(exc).__name__}: {exc}"
                ) from None
            if not hf_present(target):
                raise PullError(f"{spec.hub_id}@{spec.revision} has no loadable model files")
            manifest[spec.name] = {
                "hub_id": spec.hub_id,
                "revision": spec.revision,
                "commit": resolved_commit(target) or spec.revision,
                "pulled": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "files": file_hashes(target),
            }
            write_manifest(root, manifest)
        if convert:
            from mtaudit.translate.ct2 import convert as convert_ct2

            convert_ct2(target, ct2_dir(config, spec), force=force)
    wanted = {s.name for s in specs}
    return [s for s in states(config) if s.spec.name in wanted]


def verify(config: Config, names: Sequence[str] = ()) -> list[VerifyResult]:
    """Check each model's files against the manifest: missing, changed or unrecorded models."""
    specs = [model_spec(config, n) for n in names] if names else configured_models(config)
    root = models_dir(config)
    manifest = read_manifest(root)
    results = []
    for spec in specs:
        result = VerifyResult(spec.name)
        rec = manifest.get(spec.name)
        if not rec:
            result.problems.append(f"not pulled (no entry in {root / MANIFEST})")
            results.append(result)
            continue
        if rec.get("revision") != spec.revision:
            result.problems.append(
                f"pulled at revision {rec.get('revision')}, configured {spec.revision}"
            )
        base = hf_dir(config, spec)
        for rel, digest in rec.get("files", {}).items():
            path = base / rel
            result.checked += 1
            if not path.is_file():
                result.problems.append(f"{rel}: missing")
            elif sha256(path) != digest:
                result.problems.append(f"{rel}: SHA-256 differs from the manifest")
        results.append(result)
    return results
