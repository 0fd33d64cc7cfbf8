"""The CI examples stay true: valid YAML whose `mtaudit check` options all exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mtaudit.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [
    ROOT / "examples" / "ci" / "github-actions.yml",
    ROOT / "examples" / "ci" / "gitlab-ci.yml",
]


def _check_options() -> set[str]:
    help_text = CliRunner().invoke(main, ["check", "--help"]).stdout
    return set(re.findall(r"--[a-z][a-z-]+", help_text))


@pytest.mark.parametrize("path", [*EXAMPLES, ROOT / "README.md", ROOT / "docs" / "ci.md"])
def test_documented_check_options_exist(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    commands = re.findall(r"mtaudit check[^\n]*(?:\n\s+--[^\n]*)*", text)
    assert commands, f"no mtaudit check command in {path.name}"
    used = {opt for command in commands for opt in re.findall(r"--[a-z][a-z-]+", command)}
    assert used - _check_options() == set()


@pytest.mark.parametrize("path", EXAMPLES)
def test_examples_are_valid_yaml_with_the_gate(path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = repr(data)
    assert "mtaudit check" in text and "--junit" in text and "--baseline" in text
    assert "MTAUDIT_TRANSLATION_CACHE" in text  # the cache (and the state beside it) is kept
