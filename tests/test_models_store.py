"""``models pull|list|verify`` against a fake hub on a loopback port: pins, locks, hashes."""

from __future__ import annotations

import hashlib
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mtaudit.cli import main
from mtaudit.config import Config
from mtaudit.models.specs import model_spec
from mtaudit.models.store import resolved_revision
from mtaudit.translate.engine import translation_key
from tests.helpers.fake_hub import FakeHub

NAME = "opus-mt-ar-en"
REPO = "Helsinki-NLP/opus-mt-ar-en"
PINNED = "9c5efffe6f69dcb65d7156f40dfa27b54be34258"  # configs/default.toml

FILES_V1 = {
    "config.json": b'{"model_type": "marian", "max_position_embeddings": 512}',
    "model.safetensors": b"weights, first release" * 40,
    "source.spm": b"sentencepiece source",
    "vocab.json": b'{"<pad>": 0}',
    "tf_model.h5": b"not wanted: left on the hub by the allow patterns",
    "old-notes.txt": b"only in the first release",
}
FILES_V2 = {k: v for k, v in FILES_V1.items() if k != "old-notes.txt"} | {
    "model.safetensors": b"weights, second release" * 40,
}


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "models"
    monkeypatch.setenv("MTAUDIT_MODELS_DIR", str(root))
    monkeypatch.setenv("MTAUDIT_TRANSLATION_CACHE", str(tmp_path / "cache.sqlite3"))
    return root


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def manifest(models: Path) -> dict[str, Any]:
    with (models / "manifest.toml").open("rb") as fh:
        record: dict[str, Any] = tomllib.load(fh)["models"][NAME]
    return record


def test_a_pinned_revision_the_hub_lacks_says_so_and_names_the_fix(
    fake_hub: FakeHub,
    models: Path,
) -> None:
    fake_hub.publish(REPO, FILES_V1)
    result = invoke("models", "pull", NAME, "--no-convert")
    assert result.exit_code != 0
    assert f"{REPO} has no revision {PINNED} on the hub" in result.output
    assert f"models.{NAME}.revision" in result.output
    assert f"mtaudit models pull {NAME} --revision main" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not models.exists() or not any(models.iterdir())  # nothing half-written


def test_revision_main_resolves_records_a_lock_that_runs_list_and_verify_use(
    fake_hub: FakeHub,
    models: Path,
) -> None:
    commit = fake_hub.publish(REPO, FILES_V1)
    result = invoke("models", "pull", NAME, "--revision", "main", "--no-convert")
    assert result.exit_code == 0, result.output
    assert f"at commit {commit}" in result.output

    record = manifest(models)
    assert record["hub_id"] == REPO and record["commit"] == commit
    assert record["revision"] == "main" and record["pinned"] == PINNED
    wanted = {k: v for k, v in FILES_V1.items() if not k.endswith(".h5")}
    assert record["files"] == {k: hashlib.sha256(v).hexdigest() for k, v in wanted.items()}
    assert not (models / NAME / "tf_model.h5").exists()
    assert not (models / f"{NAME}.partial").exists()

    listing = invoke("models", "list").output
    assert f"commit {commit} (locked from revision main)" in listing
    verified = invoke("models", "verify", NAME)
    assert verified.exit_code == 0 and f"commit {commit}" in verified.output

    # later runs key the translation cache (and their signatures) by the locked commit
    config = Config.load()
    spec = model_spec(config, NAME)
    assert resolved_revision(config, spec) == commit
    assert translation_key(config, spec).revision == commit
    other = model_spec(config, "opus-mt-en-ar")
    assert translation_key(config, other).revision == other.revision  # never pulled: the pin


def test_a_later_pull_fetches_the_locked_commit_until_the_lock_is_moved(
    fake_hub: FakeHub,
    models: Path,
) -> None:
    first = fake_hub.publish(REPO, FILES_V1)
    assert invoke("models", "pull", NAME, "--revision", "main", "--no-convert").exit_code == 0
    second = fake_hub.publish(REPO, FILES_V2)  # main moves on

    fake_hub.requests.clear()
    result = invoke("models", "pull", NAME, "--force", "--no-convert")
    assert result.exit_code == 0, result.output
    assert manifest(models)["commit"] == first
    assert (models / NAME / "model.safetensors").read_bytes() == FILES_V1["model.safetensors"]
    assert all(second not in path for _, path in fake_hub.requests)

    result = invoke("models", "pull", NAME, "--revision", "main", "--no-convert")
    assert result.exit_code == 0, result.output
    assert manifest(models)["commit"] == second
    assert (models / NAME / "model.safetensors").read_bytes() == FILES_V2["model.safetensors"]
    assert not (models / NAME / "old-notes.txt").exists()  # no file left from the old commit
    assert invoke("models", "verify", NAME).exit_code == 0

    fake_hub.requests.clear()
    result = invoke("models", "pull", NAME, "--no-convert")  # present and locked: no network
    assert result.exit_code == 0 and fake_hub.requests == []


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ("change", "model.safetensors: SHA-256 differs from the manifest"),
        ("delete", "vocab.json: missing"),
        ("repin", "but the config now pins 1111111111111111111111111111111111111111"),
    ],
)
def test_verify_checks_files_and_the_pin_against_the_lock(
    fake_hub: FakeHub,
    models: Path,
    tmp_path: Path,
    damage: str,
    expected: str,
) -> None:
    fake_hub.publish(REPO, FILES_V1)
    assert invoke("models", "pull", NAME, "--revision", "main", "--no-convert").exit_code == 0
    args = ["models", "verify", NAME]
    if damage == "change":
        (models / NAME / "model.safetensors").write_bytes(b"tampered")
    elif damage == "delete":
        (models / NAME / "vocab.json").unlink()
    else:
        config = tmp_path / "pin.toml"
        config.write_text(f'[models.{NAME}]\nrevision = "{"1" * 40}"\n', encoding="utf-8")
        args += ["-c", str(config)]
    result = invoke(*args)
    assert result.exit_code == 2
    assert expected in result.output
    assert f"fix: mtaudit models pull --force {NAME}" in result.output


def test_a_pinned_commit_the_hub_has_is_fetched_and_locked(
    fake_hub: FakeHub,
    models: Path,
    tmp_path: Path,
) -> None:
    commit = fake_hub.publish(REPO, FILES_V1)
    fake_hub.publish(REPO, FILES_V2)  # main has moved past the pinned commit
    config = tmp_path / "pin.toml"
    config.write_text(f'[models.{NAME}]\nrevision = "{commit}"\n', encoding="utf-8")
    result = invoke("models", "pull", NAME, "--no-convert", "-c", str(config))
    assert result.exit_code == 0, result.output
    record = manifest(models)
    assert record["commit"] == commit and record["revision"] == commit
    assert (models / NAME / "model.safetensors").read_bytes() == FILES_V1["model.safetensors"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--revision", "no-such-branch"], "has no revision no-such-branch on the hub"),
        (["--revision", "main"], "the hub has no repository 'Helsinki-NLP/opus-mt-ar-en'"),
    ],
)
def test_hub_errors_are_one_line_with_the_fix(
    fake_hub: FakeHub,
    models: Path,
    args: list[str],
    expected: str,
) -> None:
    if "no-such-branch" in args:
        fake_hub.publish(REPO, FILES_V1)
    result = invoke("models", "pull", NAME, "--no-convert", *args)
    assert result.exit_code != 0
    assert expected in result.output and "fix:" in result.output
    assert "Traceback" not in result.output


def test_pull_without_the_neural_extra_names_the_extra(
    models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # as if not installed
    result = invoke("models", "pull", NAME)
    assert result.exit_code != 0
    assert "needs the 'neural' extra" in result.output
    assert "pip install 'mtaudit[neural]'" in result.output


def test_a_download_that_differs_from_the_hubs_hashes_is_refused(
    fake_hub: FakeHub, models: Path
) -> None:
    fake_hub.publish(REPO, FILES_V1)
    fake_hub.served["model.safetensors"] = b"weights altered on the way" * 40
    result = invoke("models", "pull", NAME, "--revision", "main", "--no-convert")
    assert result.exit_code != 0
    assert "downloaded files differ from the hub's hashes (model.safetensors)" in result.output
    assert not (models / NAME).exists() and not (models / f"{NAME}.partial").exists()
    assert not (models / "manifest.toml").exists()


def test_convert_without_the_neural_extra_names_the_extra(
    fake_hub: FakeHub, models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_hub.publish(REPO, FILES_V1)
    assert invoke("models", "pull", NAME, "--revision", "main", "--no-convert").exit_code == 0
    monkeypatch.setitem(sys.modules, "ctranslate2", None)  # as if not installed
    for args in (["models", "convert", NAME], ["models", "pull", NAME]):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        assert "needs the 'neural' extra (ctranslate2 is not installed)" in result.output
        assert "pip install 'mtaudit[neural]'" in result.output
