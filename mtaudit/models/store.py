"""The model store: fetch configured models, lock them to a commit, list them, verify them.

Only ``pull`` touches the network. It asks the hub which commit the wanted revision is, fetches
exactly that commit, and records in ``models/manifest.toml`` the revision asked for, the commit
it resolved to, the configured (pinned) revision at the time, and the SHA-256 of every file:
a lock. Later runs read the model's revision from the lock (cache keys, signatures), a later
``pull`` fetches the locked commit again, and ``verify`` checks the files against it. A pinned
revision the hub does not have is reported with the fix: ``models pull NAME --revision main``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtaudit.config import Config
from mtaudit.errors import ConfigError, PullError
from mtaudit.extras import require_neural
from mtaudit.models.hub import HfHub, Hub, RevisionNotFound
from mtaudit.models.paths import ct2_dir, ct2_present, hf_dir, hf_present, models_dir
from mtaudit.models.specs import ModelSpec, configured_models, model_spec

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
    revision: str = ""

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
    commit: str = ""
    revision: str = ""

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
        "# Written by `mtaudit models pull`: the lock of each pulled model (the revision asked",
        "# for, the commit it resolved to, the configured revision then) and its files' SHA-256.",
        "# Runs read the commit from here; `mtaudit models verify` checks the files against it.",
    ]
    for name in sorted(records):
        rec = records[name]
        lines += ["", f"[models.{_toml_str(name)}]"]
        for key in ("hub_id", "revision", "commit", "pinned", "pulled"):
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


def lock_of(spec: ModelSpec, record: dict[str, Any] | None) -> str:
    """The commit ``record`` locks ``spec`` to, or ``""`` when it does not apply any more.

    A lock holds while the model's hub id and configured revision are those it was made under;
    a config that pins another revision (or another repository) overrides it.
    """
    if not record or record.get("hub_id") != spec.hub_id:
        return ""
    pinned = record.get("pinned", record.get("revision", ""))
    return str(record.get("commit", "")) if pinned == spec.revision else ""


def resolved_revision(config: Config, spec: ModelSpec) -> str:
    """The revision a run uses for ``spec``: its locked commit if it has one, else the pin."""
    return lock_of(spec, read_manifest(models_dir(config)).get(spec.name)) or spec.revision


def states(config: Config) -> list[ModelState]:
    """Describe what is on disk for every configured model."""
    manifest = read_manifest(models_dir(config))
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
                commit=lock_of(spec, rec),
                revision=str(rec.get("revision", "")) if lock_of(spec, rec) else "",
            )
        )
    return out


def _not_found(spec: ModelSpec, revision: str, pinned: bool) -> PullError:
    where = f"models.{spec.name}.revision" if pinned else "--revision"
    return PullError(
        f"{spec.hub_id} has no revision {revision} on the hub (from {where})",
        f"mtaudit models pull {spec.name} --revision main, which fetches the current commit "
        f"and locks it in models/{MANIFEST}; or set models.{spec.name}.revision to a commit "
        "the hub has",
    )


def _fetch(hub: Hub, spec: ModelSpec, commit: str, target: Path) -> None:
    """Download ``commit`` beside ``target`` and move it into place only when complete."""
    partial = target.with_name(target.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.parent.mkdir(parents=True, exist_ok=True)
    try:
        hub.download(spec.hub_id, commit, partial, list(spec.allow_patterns) or ALLOW_PATTERNS)
    except RevisionNotFound:
        shutil.rmtree(partial, ignore_errors=True)
        raise _not_found(spec, commit, pinned=False) from None
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if not hf_present(partial):
        shutil.rmtree(partial, ignore_errors=True)
        raise PullError(f"{spec.hub_id}@{commit} has no loadable model files")
    if target.exists():
        shutil.rmtree(target)
    partial.rename(target)


def pull(
    config: Config,
    names: Sequence[str] = (),
    *,
    revision: str | None = None,
    convert: bool = True,
    force: bool = False,
    hub: Hub | None = None,
) -> list[ModelState]:
    """Fetch ``names`` (default: every configured model) into ``models/`` and lock them.

    The revision fetched is ``revision`` when given (then the lock moves to the commit it names
    now), else the commit of the model's lock, else the configured revision. The files' SHA-256
    go into the manifest; with ``convert`` the CTranslate2 int8 copy is made. ``hub`` replaces
    the Hugging Face Hub (tests).
    """
    specs = [model_spec(config, n) for n in names] if names else configured_models(config)
    root = models_dir(config)
    manifest = read_manifest(root)
    source: Hub | None = hub
    for spec in specs:
        target = hf_dir(config, spec)
        record = manifest.get(spec.name)
        locked = lock_of(spec, record)
        wanted = revision or locked or spec.revision
        if hf_present(target) and not force and locked and revision is None:
            log.info("%s is already in %s (commit %s)", spec.name, target, locked)
        else:
            source = source or HfHub()
            try:
                commit = source.resolve(spec.hub_id, wanted)
            except RevisionNotFound:
                raise _not_found(spec, wanted, pinned=revision is None) from None
            if hf_present(target) and not force and record and locked == commit:
                log.info("%s is already at commit %s in %s", spec.name, commit, target)
                if record.get("revision") != wanted:  # same commit, now asked for by this name
                    record["revision"] = wanted
                    write_manifest(root, manifest)
            else:
                log.info("fetching %s@%s (commit %s) into %s", spec.hub_id, wanted, commit, target)
                _fetch(source, spec, commit, target)
                manifest[spec.name] = {
                    "hub_id": spec.hub_id,
                    "revision": wanted,
                    "commit": commit,
                    "pinned": spec.revision,
                    "pulled": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "files": file_hashes(target),
                }
                write_manifest(root, manifest)
        if convert:
            from mtaudit.models.convert import convert as convert_ct2

            require_neural("mtaudit models pull (converting)", "ctranslate2")
            convert_ct2(target, ct2_dir(config, spec), force=force)
    wanted_names = {s.name for s in specs}
    return [s for s in states(config) if s.spec.name in wanted_names]


def verify(config: Config, names: Sequence[str] = ()) -> list[VerifyResult]:
    """Check each model's files against its lock: missing, changed, unrecorded or stale locks."""
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
        result.commit = str(rec.get("commit", ""))
        result.revision = str(rec.get("revision", ""))
        if rec.get("hub_id") != spec.hub_id:
            result.problems.append(f"pulled from {rec.get('hub_id')}, configured {spec.hub_id}")
        elif not lock_of(spec, rec):
            pinned = rec.get("pinned", rec.get("revision"))
            result.problems.append(
                f"locked for configured revision {pinned}, but the config now pins {spec.revision}"
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
