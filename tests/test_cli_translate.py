"""The ``models`` and ``cache`` commands through click's CliRunner."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mtaudit import modelstore
from mtaudit.cli import main
from mtaudit.translate.cache import TranslationCache

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    models = tmp_path / "models"
    monkeypatch.setenv("MTAUDIT_MODELS_DIR", str(models))
    monkeypatch.setenv("MTAUDIT_TRANSLATION_CACHE", str(tmp_path / "cache.sqlite3"))
    return {"models": str(models), "cache": str(tmp_path / "cache.sqlite3")}


def invoke(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.mark.parametrize(
    "command",
    [
        ["models"],
        ["models", "list"],
        ["models", "pull"],
        ["models", "verify"],
        ["models", "convert"],
        ["cache"],
        ["cache", "import"],
        ["cache", "stats"],
        ["cache", "clear"],
    ],
)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and "mtaudit " + command[0] in result.output


def test_models_list_shows_missing_and_the_fix(env: dict[str, str]) -> None:
    result = invoke("models", "list")
    assert result.exit_code == 0
    assert "opus-mt-ar-en" in result.output and "missing" in result.output
    assert "fix: mtaudit models pull opus-mt-en-ar" in result.output


@pytest.mark.slow
def test_pull_records_hashes_and_verify_catches_corruption(
    env: dict[str, str], tiny_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_download(**kwargs: Any) -> str:
        calls.append(kwargs)
        name = kwargs["repo_id"].split("/")[-1]
        dest = Path(kwargs["local_dir"])
        shutil.copytree(tiny_models / name, dest, dirs_exist_ok=True)
        meta = dest / ".cache" / "huggingface" / "download"
        meta.mkdir(parents=True, exist_ok=True)
        (meta / "config.json.metadata").write_text(f"{COMMIT}\netag\n1\n", encoding="utf-8")
        return str(dest)

    monkeypatch.setattr(modelstore, "_default_downloader", lambda: fake_download)
    result = invoke("models", "pull", "opus-mt-ar-en", "--no-convert")
    assert result.exit_code == 0, result.output
    assert calls[0]["repo_id"] == "Helsinki-NLP/opus-mt-ar-en"
    assert calls[0]["revision"] == "9c5efffe6f69dcb65d7156f40dfa27b54be34258"
    assert "model.safetensors" in calls[0]["allow_patterns"]
    manifest = Path(env["models"]) / "manifest.toml"
    assert COMMIT in manifest.read_text(encoding="utf-8")

    result = invoke("models", "verify", "opus-mt-ar-en")
    assert result.exit_code == 0 and "ok (" in result.output
    listing = invoke("models", "list").output
    assert "present" in listing and "transformers" in listing

    result = invoke("models", "verify")  # en-ar was never pulled
    assert result.exit_code == 2 and "not pulled" in result.output

    weights = Path(env["models"]) / "opus-mt-ar-en" / "model.safetensors"
    with weights.open("r+b") as fh:
        fh.seek(200)
        fh.write(b"\x00\x01\x02\x03")
    result = invoke("models", "verify", "opus-mt-ar-en")
    assert result.exit_code == 2
    assert "model.safetensors: SHA-256 differs" in result.output
    assert "mtaudit models pull --force opus-mt-ar-en" in result.output

    (Path(env["models"]) / "opus-mt-ar-en" / "vocab.json").unlink()
    result = invoke("models", "verify", "opus-mt-ar-en")
    assert "vocab.json: missing" in result.output


def test_pull_network_failure_is_a_clear_error(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(**kwargs: Any) -> str:
        raise OSError("Network is unreachable")

    monkeypatch.setattr(modelstore, "_default_downloader", lambda: offline)
    result = invoke("models", "pull", "opus-mt-en-ar")
    assert result.exit_code == 2
    assert "cannot fetch Helsinki-NLP/opus-mt-en-ar@" in result.output
    assert "Traceback" not in result.output
    assert invoke("models", "pull", "no-such-model").exit_code == 2


def test_cache_import_stats_clear(env: dict[str, str], tmp_path: Path) -> None:
    sources = tmp_path / "doc.ar"
    translations = tmp_path / "doc.en"
    sources.write_text("مرحبا\nقال الوزير\n\n", encoding="utf-8")
    translations.write_text("Hello\nThe minister said\n\n", encoding="utf-8")
    result = invoke(
        "cache",
        "import",
        "--model",
        "opus-mt-ar-en",
        "--direction",
        "ar-en",
        str(sources),
        str(translations),
    )
    assert result.exit_code == 0, result.output
    assert "2 new, 0 replaced, 0 unchanged" in result.output

    stats = invoke("cache", "stats")
    assert "Helsinki-NLP/opus-mt-ar-en" in stats.output and "import:doc.en" in stats.output
    assert "2  in all" in stats.output

    from mtaudit.config import Config
    from mtaudit.translate.engine import translation_key
    from mtaudit.translate.specs import engine_for

    config = Config.load()
    spec = engine_for(config, "ar-en")
    assert spec is not None
    with TranslationCache(Path(env["cache"])) as cache:
        assert cache.get_many(translation_key(config, spec), ["قال الوزير"]) == {
            "قال الوزير": "The minister said"
        }

    wrong = invoke(
        "cache",
        "import",
        "--model",
        "opus-mt-ar-en",
        "--direction",
        "en-ar",
        str(sources),
        str(translations),
    )
    assert wrong.exit_code == 2 and "translates ar-en, not en-ar" in wrong.output
    translations.write_text("only one line\n", encoding="utf-8")
    short = invoke(
        "cache",
        "import",
        "--model",
        "opus-mt-ar-en",
        "--direction",
        "ar-en",
        str(sources),
        str(translations),
    )
    assert short.exit_code == 2 and "they must align" in short.output

    assert invoke("cache", "clear", input="n\n").exit_code == 2  # declined
    cleared = invoke("cache", "clear", "--model", "opus-mt-ar-en", "--yes")
    assert "removed 2 cached translations" in cleared.output
