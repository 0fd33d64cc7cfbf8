"""The ``models`` and ``cache`` commands through click's CliRunner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mtaudit.cli import main
from mtaudit.translate.cache import TranslationCache
from tests.helpers.fake_hub import FakeHub


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
def test_pull_from_the_hub_converts_and_translates(
    env: dict[str, str],
    tiny_models: Path,
    fake_hub: FakeHub,  # noqa: F811
) -> None:
    commit = fake_hub.publish_dir("Helsinki-NLP/opus-mt-ar-en", tiny_models / "opus-mt-ar-en")
    result = invoke("models", "pull", "opus-mt-ar-en", "--revision", "main")
    assert result.exit_code == 0, result.output
    assert f"(+ opus-mt-ar-en-ct2-int8) at commit {commit}" in result.output
    assert commit in (Path(env["models"]) / "manifest.toml").read_text(encoding="utf-8")
    assert invoke("models", "verify", "opus-mt-ar-en").exit_code == 0

    from mtaudit.config import Config
    from mtaudit.models.specs import model_spec
    from mtaudit.translate.engine import open_backend

    config = Config.load()
    translator = open_backend(config, model_spec(config, "opus-mt-ar-en"))
    (out,) = translator.translate(["مرحبا"])
    assert isinstance(out, str)


def test_pull_network_failure_is_a_clear_error(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from huggingface_hub import constants

    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    result = invoke("models", "pull", "opus-mt-en-ar")
    assert result.exit_code == 2
    assert "cannot fetch Helsinki-NLP/opus-mt-en-ar@" in result.output
    assert "Traceback" not in result.output
    assert invoke("models", "pull", "no-such-model").exit_code == 2


def test_pull_while_offline_says_how_to_go_online(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    result = invoke("models", "pull", "opus-mt-en-ar")
    assert result.exit_code == 2 and "HF_HUB_OFFLINE is set" in result.output


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
    from mtaudit.translate.settings import engine_for

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
