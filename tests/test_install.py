"""What a fresh install needs: every import declared, extras imported only when used.

The declared-imports test reads ``pyproject.toml`` and the package's source with ``ast``; the
extras tests run ``mtaudit`` in a subprocess where the extras' libraries cannot be imported, as on
a machine where only the base dependencies are installed.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from mtaudit.extras import EXTRA_OF

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mtaudit"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
EXTRA_MODULES = sorted(EXTRA_OF)


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return _norm(re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0])


def _declared() -> dict[str, str]:
    """Distribution name → ``"base"`` or the extra that declares it."""
    found = {_requirement_name(r): "base" for r in PYPROJECT["dependencies"]}
    for extra, requirements in PYPROJECT["optional-dependencies"].items():
        for requirement in requirements:
            found.setdefault(_requirement_name(requirement), extra)
    return found


def _imports(tree: ast.AST) -> list[tuple[str, int]]:
    names: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append((node.module, node.lineno))
    return names


def _third_party(name: str) -> bool:
    top = name.split(".")[0]
    return top not in sys.stdlib_module_names and top not in ("mtaudit", "__future__")


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_third_party_import_is_declared() -> None:
    declared = _declared()
    provided = md.packages_distributions()
    undeclared: list[str] = []
    for path in _sources():
        for name, line in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if not _third_party(name):
                continue
            top = name.split(".")[0]
            dists = {_norm(d) for d in provided.get(top, [top])}
            if not dists & declared.keys():
                undeclared.append(f"{path.relative_to(ROOT)}:{line} imports {top}")
    assert undeclared == []


@pytest.mark.parametrize("module", EXTRA_MODULES)
def test_each_extra_module_belongs_to_the_extra_that_declares_it(module: str) -> None:
    declared = _declared()
    dists = {_norm(d) for d in md.packages_distributions().get(module, [module])}
    extras = {declared[d] for d in dists if d in declared}
    assert extras == {EXTRA_OF[module]}


def _top_level_imports(tree: ast.Module) -> list[tuple[str, int]]:
    """Imports that run when the module is imported (outside functions and classes' methods)."""
    found: list[tuple[str, int]] = []

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            found.extend(_imports(node) if isinstance(node, ast.Import | ast.ImportFrom) else [])
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    visit([n for n in inner if isinstance(n, ast.stmt)])
                    for handler in inner:
                        if isinstance(handler, ast.ExceptHandler):
                            visit(handler.body)

    visit(tree.body)
    return found


def test_no_module_imports_an_extra_at_import_time() -> None:
    eager = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _sources()
        for name, line in _top_level_imports(ast.parse(path.read_text(encoding="utf-8")))
        if name.split(".")[0] in EXTRA_OF
    ]
    assert eager == []


# A finder placed first on sys.meta_path makes the named modules unimportable, as on a machine
# where the extras were never installed.
BLOCK = """
import sys
BLOCKED = set(sys.argv.pop(1).split(","))
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
"""


def run_blocked(
    blocked: list[str], code: str, *args: str, models: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if models is not None:
        env["MTAUDIT_MODELS_DIR"] = str(models)
    return subprocess.run(
        [sys.executable, "-c", BLOCK + code, ",".join(blocked), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


CLI = "from mtaudit.cli import main\nmain(prog_name='mtaudit')"


def test_base_install_imports_the_cli_and_every_command_without_extras() -> None:
    code = (
        "import mtaudit.cli, mtaudit.pipeline, mtaudit.signals.fidelity, mtaudit.signals.fluency\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in BLOCKED)\n"
        "print('loaded:', loaded)"
    )
    result = run_blocked(EXTRA_MODULES, code)
    assert result.returncode == 0, result.stderr
    assert "loaded: []" in result.stdout


@pytest.mark.parametrize(
    ("args", "module"),
    [
        (["models", "pull", "gpt2", "--no-convert"], "huggingface_hub"),
        (["models", "pull", "opus-mt-ar-en"], "huggingface_hub"),
    ],
)
def test_a_command_that_needs_an_extra_names_it(args: list[str], module: str) -> None:
    result = run_blocked(EXTRA_MODULES, CLI, *args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{module} is not installed" in result.stderr
    assert "pip install 'mtaudit[neural]'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_convert_without_ctranslate2_names_the_extra(tiny_models: Path) -> None:
    result = run_blocked(
        ["ctranslate2"], CLI, "models", "convert", "opus-mt-ar-en", models=tiny_models
    )
    assert result.returncode == 2, result.stderr
    assert "ctranslate2 is not installed" in result.stderr
    assert "pip install 'mtaudit[neural]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_audit_without_extras_skips_the_model_signals_with_the_fix() -> None:
    result = run_blocked(EXTRA_MODULES, CLI, "audit", "examples/article.en.txt")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Skipped fluency: torch is not installed. Fix: pip install 'mtaudit[neural]'" in (
        result.stdout
    )


@pytest.mark.slow
def test_fidelity_with_its_model_but_without_torch_is_skipped_with_the_fix(
    tiny_models: Path, tmp_path: Path
) -> None:
    args = ["audit", "examples/article.en.txt", "--source", "examples/article.ar.txt"]
    cache = ["--signals", "fidelity"]
    result = run_blocked(["torch", "ctranslate2"], CLI, *args, *cache, models=tiny_models)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "needs torch, which is not installed" in result.stdout, result.stdout
    assert "Fix: pip install 'mtaudit[neural]'" in result.stdout


@pytest.mark.parametrize(
    ("module", "extra"),
    [("torch", "neural"), ("transformers", "neural"), ("ray", "ray"), ("playwright", "browser")],
)
def test_require_raises_the_domain_error_naming_the_extra(module: str, extra: str) -> None:
    code = (
        "from mtaudit.extras import require\nfrom mtaudit.errors import ExtraMissingError\n"
        f"try:\n    require({module!r}, 'this step')\n"
        "except ExtraMissingError as exc:\n    print(exc)\n"
    )
    result = run_blocked([module], code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"[E430] this step needs {module}, which is not installed "
        f"(fix: pip install 'mtaudit[{extra}]')"
    )


def test_require_lets_other_import_errors_through() -> None:
    code = (
        "from mtaudit.extras import require\n"
        "try:\n    require('mtaudit_no_such_module', 'this step')\n"
        "except ModuleNotFoundError as exc:\n    print('raised', exc.name)\n"
    )
    result = run_blocked([], code)
    assert result.stdout.strip() == "raised mtaudit_no_such_module"


def test_the_installed_version_is_the_packages_own() -> None:
    # pyproject.toml reads the version from mtaudit/__init__.py (hatch's version source)
    import mtaudit

    assert PYPROJECT.get("dynamic") == ["version"] and "version" not in PYPROJECT
    assert re.fullmatch(r"\d+\.\d+\.\d+(?:[.+-]\w+)*", mtaudit.__version__)
    try:
        installed = md.version("mtaudit")
    except md.PackageNotFoundError:
        return  # a source tree that was never installed: nothing else to compare
    assert installed == mtaudit.__version__
