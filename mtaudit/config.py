"""Configuration: one TOML file holds every threshold and its meaning.

The shipped ``configs/default.toml`` is always read first; a user file given with ``--config``
is laid over it, so a user file only names what it changes. The defaults are also the schema: a
key the defaults do not have, or a value of another type than its default, is a ``ConfigError``
naming the key and the file (see ``config_check``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtaudit.config_check import LANGUAGE_CODE, problems
from mtaudit.errors import ConfigError, UsageError

log = logging.getLogger("mtaudit")

_PACKAGE_DIR = Path(__file__).resolve().parent


def default_config_path() -> Path:
    """Where the shipped default configuration lives (installed wheel or source tree)."""
    for candidate in (
        _PACKAGE_DIR / "_configs" / "default.toml",
        _PACKAGE_DIR.parent / "configs" / "default.toml",
    ):
        if candidate.is_file():
            return candidate
    raise ConfigError("the default configuration (configs/default.toml) is missing")


def project_root() -> Path:
    """The directory that holds ``models/`` by default: the source tree, else the cwd."""
    root = _PACKAGE_DIR.parent
    return root if (root / "configs").is_dir() else Path.cwd()


def language_code(value: str, what: str) -> str:
    """Return ``value`` as a lower-case language code, or raise ``UsageError`` naming ``what``."""
    code = value.strip().lower()
    if not LANGUAGE_CODE.match(code):
        raise UsageError(
            f"{what} {value!r} is not a language code; give one like ar or en (ISO 639-1/3)"
        )
    return code


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a configuration file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None


# Keys (and tables of keys) whose values are file or folder paths: relative ones in a user's
# file are relative to that file's folder; the other words a key accepts are not paths.
_PATH_KEYS = {
    "judge.model": {"auto", "rules"},
    "checks.glossary.file": set(),
    "checks.terms.file": set(),
    "translation.models_dir": set(),
    "translation.cache": set(),
    "fluency.background": set(),
}
_PATH_TABLES = ("judge.models", "fluency.sample_texts")


def _anchor_paths(user: dict[str, Any], folder: Path) -> dict[str, Any]:
    """``user`` with its paths absolute: ``~`` expanded, relative ones taken from ``folder``."""
    out = copy.deepcopy(user)

    def anchor(table: Any, key: str, words: set[str]) -> None:
        value = table.get(key) if isinstance(table, dict) else None
        if not isinstance(value, str) or not value or value in words:
            return
        path = Path(value).expanduser()
        table[key] = str(path if path.is_absolute() else folder / path)

    def table_of(dotted: str) -> Any:
        node: Any = out
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return node

    for dotted, words in _PATH_KEYS.items():
        head, _, key = dotted.rpartition(".")
        anchor(table_of(head), key, words)
    for dotted in _PATH_TABLES:
        table = table_of(dotted)
        for key in list(table) if isinstance(table, dict) else []:
            anchor(table, key, set())
    return out


def _validate(
    user: dict[str, Any], defaults: dict[str, Any], merged: dict[str, Any], path: Path
) -> None:
    found = problems(user, defaults, merged)
    if found:
        more = f" (and {len(found) - 1} more: {'; '.join(found[1:4])})" if len(found) > 1 else ""
        raise ConfigError(f"{path}: {found[0]}{more}")


def _warn_deprecated(user: dict[str, Any], path: Path) -> None:
    from mtaudit.settings import DEPRECATED

    for dotted, why in DEPRECATED.items():
        head, _, key = dotted.rpartition(".")
        node: Any = user
        for part in head.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and key in node:
            log.warning("%s: %s %s", path, dotted, why)


@dataclass
class Config:
    """A loaded configuration: nested dictionaries, read by components as typed settings."""

    data: dict[str, Any]
    paths: list[Path] = field(default_factory=list)
    built: dict[type, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Typed settings already read from this configuration (``mtaudit.settings.settings_of``)."""

    @classmethod
    def load(cls, path: str | Path | None = None) -> Config:
        """Load the defaults, then lay the user's file (if any) over them."""
        default = default_config_path()
        defaults = _read_toml(default)
        data, paths = defaults, [default]
        if path is not None:
            user = Path(path)
            override = _anchor_paths(_read_toml(user), user.resolve().parent)
            data = _merge(defaults, override)
            _validate(override, defaults, data, user)
            _warn_deprecated(override, user)
            paths.append(user)
        else:
            _validate(defaults, defaults, defaults, default)
        return cls(data=data, paths=paths)

    def section(self, dotted: str) -> dict[str, Any]:
        """Return the table at ``dotted`` (e.g. ``"checks.length"``); ``{}`` if absent."""
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict):
                return {}
            node = node.get(part, {})
        return node if isinstance(node, dict) else {}

    def get(self, dotted: str) -> Any:
        """Return the value at ``dotted``, ``None`` when any part is missing.

        Components do not read keys one by one: they read their typed settings once
        (``mtaudit.settings.settings_of``), whose values all come from ``configs/default.toml``.
        """
        head, _, key = dotted.rpartition(".")
        table = self.section(head) if head else self.data
        return table.get(key)

    def with_overrides(self, overrides: dict[str, Any]) -> Config:
        """Return a copy with dotted keys replaced (used by CLI options)."""
        data = copy.deepcopy(self.data)
        for dotted, value in overrides.items():
            node = data
            *parents, key = dotted.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[key] = value
        return Config(data=data, paths=list(self.paths))

    def digest(self) -> str:
        """A short stable hash of the effective configuration, for result signatures."""
        blob = json.dumps(self.data, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:12]
