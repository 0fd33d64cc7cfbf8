"""The package's folders read as the flow: no module imports from a later stage.

Every module of ``mtaudit`` belongs to one stage; a module may import from its own stage and
from earlier ones. Imports are read with ``ast``, at module level and inside functions alike
(a lazy import is still a dependency). A deliberate exception is listed in ``ALLOWED`` with its
reason; an entry that no longer matches an import fails too, so the list stays true.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "mtaudit"

# The flow, first to last. A name is a module or a package (which covers everything in it).
STAGES: list[tuple[str, tuple[str, ...]]] = [
    (
        "shared",
        (
            "mtaudit",  # the package itself: __version__
            "mtaudit.errors",
            "mtaudit.types",
            "mtaudit.extras",
            "mtaudit.atomic",
            "mtaudit.registry",
            "mtaudit.sqlitedb",
            "mtaudit.config",
            "mtaudit.config_check",
            "mtaudit.settings",  # typed settings per component, read from the config
        ),
    ),
    ("read", ("mtaudit.io",)),
    ("text", ("mtaudit.text",)),
    ("align", ("mtaudit.align",)),
    ("translate", ("mtaudit.models", "mtaudit.translate")),
    ("score", ("mtaudit.checks", "mtaudit.signals", "mtaudit.lm")),
    ("judge", ("mtaudit.features", "mtaudit.judge")),
    ("run", ("mtaudit.pipeline", "mtaudit.runfile", "mtaudit.records")),
    ("gate", ("mtaudit.gate", "mtaudit.baseline")),
    ("report", ("mtaudit.reports", "mtaudit.apply")),
    (
        "drive",
        (
            "mtaudit.runner",
            "mtaudit.executors",
            "mtaudit.state",
            "mtaudit.labelled",
            "mtaudit.calibrate",
            "mtaudit.evaluate",
            "mtaudit.metrics",
        ),
    ),
    ("cli", ("mtaudit.cli", "mtaudit.__main__")),
]

# (importing module, imported module): why the later stage is imported on purpose.
ALLOWED: dict[tuple[str, str], str] = {
    ("mtaudit.config_check", "mtaudit.lm"): (
        "the validator learns the valid LM engine names from the backend registry (names and "
        "lazy 'module:attribute' strings; no backend is imported)"
    ),
    ("mtaudit.config_check", "mtaudit.translate"): (
        "the validator learns the valid translation engine names from the backend registry"
    ),
    ("mtaudit.config_check", "mtaudit.models.specs"): (
        "the validator learns the model kinds (translator, causal LM) from the model specs"
    ),
    ("mtaudit.signals.fidelity", "mtaudit.judge"): (
        "with `metrics = auto` the fidelity signal computes only the comparison metrics the "
        "direction's judge model reads; it asks the judge (lazily) instead of reading the "
        "model file a second way"
    ),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stage_of(module: str) -> int | None:
    """The index of the stage ``module`` belongs to (``mtaudit`` alone covers no submodule)."""
    for index, (_, names) in enumerate(STAGES):
        for name in names:
            if module == name or (name != "mtaudit" and module.startswith(name + ".")):
                return index
    return None


def imports_of(module: str) -> list[tuple[str, int]]:
    """The ``mtaudit`` modules ``module`` imports, with line numbers (functions included)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            for alias in node.names:
                # `from mtaudit.models import loaded` imports the module mtaudit.models.loaded
                sub = f"{name}.{alias.name}"
                found.append((sub if sub in MODULES else name, node.lineno))
    return [(name, line) for name, line in found if name.split(".")[0] == "mtaudit"]


def test_every_module_has_a_stage() -> None:
    missing = [m for m in MODULES if stage_of(m) is None]
    assert not missing, f"modules with no stage in tests/test_layout.py STAGES: {missing}"


def violations() -> list[tuple[str, str, str]]:
    """(importer, imported, message) for every import of a later stage."""
    out = []
    for module in MODULES:
        here = stage_of(module)
        for name, line in imports_of(module):
            there = stage_of(name)
            if here is None or there is None or there <= here:
                continue
            path = MODULES[module]
            shown = path.relative_to(PACKAGE.parent) if path.is_relative_to(PACKAGE) else path
            where = f"{shown}:{line}"
            out.append(
                (
                    module,
                    name,
                    f"{where}: {module} ({STAGES[here][0]}) imports {name} "
                    f"({STAGES[there][0]}, a later stage)",
                )
            )
    return out


def test_no_module_imports_from_a_later_stage() -> None:
    bad = [message for importer, imported, message in violations()
           if (importer, imported) not in ALLOWED]  # fmt: skip
    assert not bad, "imports against the flow:\n" + "\n".join(bad)


def test_every_allowed_exception_is_still_needed() -> None:
    used = {(importer, imported) for importer, imported, _ in violations()}
    stale = [pair for pair in ALLOWED if pair not in used]
    assert not stale, f"ALLOWED entries that match no import any more: {stale}"


@pytest.mark.parametrize(
    ("module", "stage"),
    [
        ("mtaudit", "shared"),
        ("mtaudit.errors", "shared"),
        ("mtaudit.io.feed", "read"),
        ("mtaudit.text.segment", "text"),
        ("mtaudit.align.band", "align"),
        ("mtaudit.models.specs", "translate"),
        ("mtaudit.signals.fluency", "score"),
        ("mtaudit.judge", "judge"),
        ("mtaudit.reports.html", "report"),
        ("mtaudit.cli.audit", "cli"),
        ("mtaudit.__main__", "cli"),
    ],
)
def test_stage_of(module: str, stage: str) -> None:
    index = stage_of(module)
    assert index is not None and STAGES[index][0] == stage


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import mtaudit.io\n", ["mtaudit.io"]),
        ("from mtaudit.models import loaded as x\n", ["mtaudit.models.loaded"]),
        ("from mtaudit import __version__\n", ["mtaudit"]),
        ("def f():\n    from mtaudit.cli import main\n", ["mtaudit.cli"]),
        ("from .band import band_width\n", ["mtaudit.align.band"]),
        ("import json\nfrom click import echo\n", []),
    ],
)
def test_imports_are_read_everywhere(
    source: str, expected: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The walker sees module- and function-level, absolute and relative imports."""
    fake = tmp_path / "probe.py"
    fake.write_text(source, encoding="utf-8")
    monkeypatch.setitem(MODULES, "mtaudit.align.probe", fake)
    assert [name for name, _ in imports_of("mtaudit.align.probe")] == expected


def test_a_later_import_is_reported_with_its_place(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = tmp_path / "probe.py"
    fake.write_text('"""Probe."""\n\nfrom mtaudit.judge import Judge\n', encoding="utf-8")
    monkeypatch.setitem(MODULES, "mtaudit.text.probe", fake)
    [(importer, imported, message)] = [v for v in violations() if v[0] == "mtaudit.text.probe"]
    assert (importer, imported) == ("mtaudit.text.probe", "mtaudit.judge")
    assert message == (
        f"{fake}:3: mtaudit.text.probe (text) imports mtaudit.judge (judge, a later stage)"
    )
