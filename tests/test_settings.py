"""Typed settings: every component's dataclass and configs/default.toml stay in step.

The defaults live in one place, the shipped defaults file: no settings field has a default in
code, every field has its key in the file and every key of a covered table has a field, and the
settings built from the defaults alone hold exactly the file's values.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mtaudit.align import Alignment, AlignSettings
from mtaudit.checks import CHECKS, build_checks
from mtaudit.cli import main
from mtaudit.config import Config, default_config_path
from mtaudit.errors import ConfigError
from mtaudit.judge import JudgeSettings
from mtaudit.registry import resolve
from mtaudit.settings import COMPONENTS, DEPRECATED, build, fields_of, settings_of
from mtaudit.signals.fidelity import FidelitySettings
from mtaudit.types import Severity

DEFAULTS: dict[str, Any] = tomllib.loads(default_config_path().read_text(encoding="utf-8"))
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "article.en.txt"

# Tables of the defaults that no settings dataclass covers, and why.
NOT_SETTINGS = {
    "models": "the model registry (open table of user-named models): models/specs.py",
    "suppress": "a list of [[suppress]] tables, checked entry by entry: checks/suppression.py",
    "report": "only deprecated keys (see DEPRECATED)",
}


def _table(dotted: str) -> dict[str, Any]:
    node: Any = DEFAULTS
    for part in dotted.split("."):
        node = node[part]
    assert isinstance(node, dict)
    return node


def _components() -> list[tuple[str, type[Any]]]:
    """Every settings dataclass with the table it reads."""
    found: list[tuple[str, type[Any]]] = []
    for entry in COMPONENTS:
        cls = resolve(entry)
        found.append((cls.SECTION, cls))
    found.extend((f"checks.{name}", check.settings_type) for name, check in CHECKS.items())
    return found


def _by_table() -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {}
    for section, cls in _components():
        tables.setdefault(section, set()).update(name for name, _ in fields_of(cls))
    return tables


def _nested_mismatches(cls: type[Any], table: Mapping[str, Any], where: str) -> list[str]:
    """Fields of ``cls`` whose type is a dataclass must match their sub-table's keys exactly."""
    problems = []
    for name, kind in fields_of(cls):
        if dataclasses.is_dataclass(kind) and isinstance(kind, type):
            keys = set(table[name])
            fields = {n for n, _ in fields_of(kind)}
            if keys != fields:
                problems.append(f"{where}.{name}: keys {sorted(keys)} != fields {sorted(fields)}")
            problems += _nested_mismatches(kind, table[name], f"{where}.{name}")
    return problems


@pytest.mark.parametrize("section", sorted(_by_table()))
def test_fields_and_default_keys_are_the_same(section: str) -> None:
    """Every field has its key in default.toml, and every key of the table has a field."""
    keys = set(_table(section))
    deprecated = {d.rpartition(".")[2] for d in DEPRECATED if d.rpartition(".")[0] == section}
    fields = _by_table()[section]
    assert fields - keys == set(), f"fields without a key in [{section}]"
    assert keys - fields - deprecated == set(), f"keys of [{section}] no settings field reads"
    for table_section, cls in _components():
        if table_section == section:
            assert _nested_mismatches(cls, _table(section), section) == []


def test_every_table_of_the_defaults_is_covered() -> None:
    """A table added to default.toml needs a settings dataclass (or a reason here)."""
    covered = set(_by_table())
    tables = set()
    for key, value in DEFAULTS.items():
        if key == "checks":
            tables.update(f"checks.{name}" for name in value)
        else:
            tables.add(key)
    assert tables - covered - set(NOT_SETTINGS) == set()
    assert set(NOT_SETTINGS) & covered == set()


@pytest.mark.parametrize("cls", sorted({c for _, c in _components()}, key=lambda c: c.__name__))
def test_no_settings_field_has_a_default_in_code(cls: type[Any]) -> None:
    for f in dataclasses.fields(cls):
        assert f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING, (
            f"{cls.__name__}.{f.name}: the default belongs in configs/default.toml"
        )
    assert cls.__dataclass_params__.frozen


def _same(value: Any, raw: Any) -> bool:
    """Whether a settings value holds what default.toml says (as its field's type)."""
    if isinstance(value, Severity):
        return value.label == raw
    if dataclasses.is_dataclass(value):
        return all(_same(getattr(value, k), raw[k]) for k in raw)
    if isinstance(value, tuple):
        return len(value) == len(raw) and all(_same(v, r) for v, r in zip(value, raw, strict=True))
    if isinstance(value, float):
        return type(raw) in (int, float) and value == raw
    return type(value) is type(raw) and value == raw


@pytest.mark.parametrize(("section", "cls"), _components(), ids=lambda v: getattr(v, "__name__", v))
def test_settings_from_the_defaults_hold_the_defaults(section: str, cls: type[Any]) -> None:
    """What a component reads from default.toml alone is the file's value, key by key."""
    settings = build(cls, _table(section), section)
    table = _table(section)
    for name, _ in fields_of(cls):
        assert _same(getattr(settings, name), table[name]), f"{section}.{name}"


# What components used before their settings were typed: the same values, as their types.
BEFORE = [
    (AlignSettings, "ratio", 1.12),
    (AlignSettings, "band", 20),
    (AlignSettings, "penalty_1_0", 4.6),
    (JudgeSettings, "flag", 0.5),
    (JudgeSettings, "weight_major", 0.6),
    (JudgeSettings, "operating_point", "reference_share:0.008"),
    (JudgeSettings, "models", {}),
    (FidelitySettings, "parts", ("back_translation", "forward", "round_trip")),
    (FidelitySettings, "metrics", ("auto",)),
    (FidelitySettings, "min_chars", 15),
    (FidelitySettings, "numbers_severity", Severity.MAJOR),
]


@pytest.mark.parametrize(("cls", "name", "expected"), BEFORE)
def test_typed_values(cls: type[Any], name: str, expected: Any) -> None:
    value = getattr(settings_of(Config.load(), cls), name)
    assert value == expected and type(value) is type(expected)


def test_nested_tables_are_dataclasses() -> None:
    fidelity = settings_of(Config.load(), FidelitySettings)
    assert (fidelity.forward.chrf_major, fidelity.forward.chrf_minor) == (30.0, 45.0)
    assert fidelity.bands("back_translation").chrf_minor == 30.0


def test_check_settings_carry_their_own_keys() -> None:
    checks = {c.id: c for c in build_checks(Config.load())}
    assert "consistency" not in checks  # enabled = false in the defaults
    length = checks["length"]
    assert length.settings.severity is Severity.MAJOR
    assert length.settings.ratios == {"ar-en": 1.12, "en-ar": 0.87}  # type: ignore[attr-defined]
    assert checks["repetition"].settings.allowed_doubles[:2] == ("had", "that")  # type: ignore[attr-defined]


def test_settings_are_read_once_per_configuration() -> None:
    config = Config.load()
    first = settings_of(config, AlignSettings)
    assert settings_of(config, AlignSettings) is first
    assert Alignment.from_config(config).lengths is first
    changed = config.with_overrides({"align.ratio": 1.5})
    assert settings_of(changed, AlignSettings).ratio == 1.5
    assert settings_of(config, AlignSettings).ratio == 1.12


@pytest.mark.parametrize(
    ("override", "cls", "message"),
    [
        ({"align.ratio": "wide"}, AlignSettings, "align.ratio must be a number"),
        ({"align.band": 2.5}, AlignSettings, "align.band must be a whole number"),
        ({"align.band": True}, AlignSettings, "align.band must be a whole number"),
        ({"judge.models": ["a"]}, JudgeSettings, "judge.models must be a table"),
        ({"fidelity.parts": "forward"}, FidelitySettings, "fidelity.parts must be a list"),
        ({"fidelity.parts": ["forward", 3]}, FidelitySettings, "fidelity.parts[1] must be text"),
        ({"fidelity.numbers_severity": "huge"}, FidelitySettings, "unknown severity"),
        ({"fidelity.forward": 3}, FidelitySettings, "fidelity.forward must be a table"),
    ],
)
def test_a_wrong_type_is_a_config_error_naming_the_key(
    override: dict[str, Any], cls: type[Any], message: str
) -> None:
    """Overrides skip the file validation (they come from options); the settings still check."""
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        settings_of(Config.load().with_overrides(override), cls)


def test_a_key_missing_from_the_defaults_is_named() -> None:
    table = dict(_table("align"))
    del table["max_band"]
    with pytest.raises(ConfigError, match=r"align\.max_band is not set"):
        build(AlignSettings, table, "align")


# -- deprecated keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "warned"),
    [
        ("[report]\nprogress_min_documents = 5\n", True),
        ("[report]\n", False),
        ("[judge]\nflag = 0.4\n", False),
    ],
)
def test_a_deprecated_key_loads_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, text: str, warned: bool
) -> None:
    path = tmp_path / "old.toml"
    path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="mtaudit"):
        Config.load(path)
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    if warned:
        assert messages == [
            f"{path}: report.progress_min_documents {DEPRECATED['report.progress_min_documents']}"
        ]
    else:
        assert messages == []


def test_the_shipped_defaults_do_not_warn(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mtaudit"):
        Config.load()
    assert caplog.records == []


def test_the_command_line_shows_the_deprecation_and_runs(tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    path.write_text("[report]\nprogress_min_documents = 5\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["audit", str(EXAMPLE), "--no-signals", "--config", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "report.progress_min_documents is no longer read" in result.stderr


def test_the_glossary_file_key_is_accepted_and_read(tmp_path: Path) -> None:
    """docs/checks.md promised a TSV file for the glossary check; its key is now in the defaults."""
    terms = tmp_path / "terms.tsv"
    terms.write_text("# source<TAB>target\nالكاظمي\tAl-Kadhimi\n", encoding="utf-8")
    path = tmp_path / "my.toml"
    path.write_text(f"[checks.glossary]\nfile = {str(terms)!r}\n", encoding="utf-8")
    check = next(c for c in build_checks(Config.load(path)) if c.id == "glossary")
    assert [shown for _, _, shown in check.terms] == ["Al-Kadhimi"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("documents", [1, 12])
def test_settings_are_built_per_run_not_per_document(
    monkeypatch: pytest.MonkeyPatch, documents: int
) -> None:
    """A run builds each settings object once, however many documents and sentences it has."""
    import mtaudit.checks.base
    import mtaudit.settings
    from mtaudit.pipeline import audit
    from mtaudit.types import Document

    built: list[tuple[str, str]] = []

    def counting(cls: type[Any], table: Mapping[str, Any], where: str) -> Any:
        built.append((cls.__name__, where))
        return build(cls, table, where)

    monkeypatch.setattr(mtaudit.settings, "build", counting)
    monkeypatch.setattr(mtaudit.checks.base, "build", counting)
    text = "The army attacked the city. Many people were hurt. The minister visited Basra."
    source = "هاجم الجيش المدينة. أصيب كثير من الناس. زار الوزير البصرة."
    docs = [
        Document(f"d{i}", text, source, source_lang="ar", target_lang="en")
        for i in range(documents)
    ]
    audit(docs, Config.load(), signals=[])
    assert len(built) == len(set(built))  # each settings object once
    assert len(built) <= len(CHECKS) + len(COMPONENTS)


def test_relative_paths_in_a_user_file_are_relative_to_that_file(tmp_path: Path) -> None:
    folder = tmp_path / "newsroom"
    folder.mkdir()
    path = folder / "newsroom.toml"
    path.write_text(
        '[judge]\nmodel = "rules"\n[judge.models]\nar-en = "models/ar-en.json"\n'
        'en-ar = "/abs/en-ar.json"\n[checks.glossary]\nfile = "terms.tsv"\n'
        '[translation]\nmodels_dir = "../shared-models"\ncache = "~/mtaudit/cache.sqlite3"\n'
        '[fluency]\nbackground = ""\nsample_texts = { fr = "fr.txt" }\n',
        encoding="utf-8",
    )
    config = Config.load(path)
    assert config.get("judge.model") == "rules"  # a word, not a path
    assert config.get("judge.models.ar-en") == str(folder / "models" / "ar-en.json")
    assert config.get("judge.models.en-ar") == "/abs/en-ar.json"
    assert config.get("checks.glossary.file") == str(folder / "terms.tsv")
    assert config.get("translation.models_dir") == str(folder / ".." / "shared-models")
    assert config.get("translation.cache") == str(Path.home() / "mtaudit" / "cache.sqlite3")
    assert config.get("fluency.background") == ""  # empty keeps its meaning (the default)
    assert config.get("fluency.sample_texts") == {"fr": str(folder / "fr.txt")}
    assert Config.load().get("translation.models_dir") == "models"  # the defaults' own


def test_a_calibrated_model_beside_its_config_is_found_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the README shows: `calibrate -o newsroom.ar-en.json`, then name it in the config."""
    folder = tmp_path / "newsroom"
    folder.mkdir()
    shipped = Path(__file__).resolve().parents[1] / "mtaudit" / "data" / "judge" / "ar-en.json"
    (folder / "newsroom.ar-en.json").write_bytes(shipped.read_bytes())
    (folder / "terms.tsv").write_text("الكاظمي\tAl-Kadhimi\n", encoding="utf-8")
    config = folder / "newsroom.toml"
    config.write_text(
        '[judge.models]\nar-en = "newsroom.ar-en.json"\n[checks.glossary]\nfile = "terms.tsv"\n',
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(
        main, ["audit", str(EXAMPLE), "--no-signals", "-c", str(config), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    [judge] = [j for j in run["signature"]["judge"] if j["direction"] == "ar-en"]
    assert judge["model"] == "newsroom.ar-en.json"
