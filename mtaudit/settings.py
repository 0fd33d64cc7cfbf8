"""Typed settings: a frozen dataclass per component, read from its configuration table once.

A component declares what it reads as a frozen dataclass whose ``SECTION`` names its table and
whose fields are that table's keys, with no default values: the defaults are those of
``configs/default.toml``, which is always loaded under a user's file. ``settings_of`` builds the
object from a loaded ``Config`` (once per configuration: the object is kept on it) and checks
each value's type against the field's annotation, so a component never sees a string where it
wants a number. A field whose type is another dataclass is read from the sub-table of the same name.

Several dataclasses may read parts of one table (alignment reads two ``[fidelity]`` keys); the
keys of a table are covered when the union of their fields is the table's keys, which
``tests/test_settings.py`` checks for every dataclass listed in ``COMPONENTS``.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from mtaudit.errors import ConfigError
from mtaudit.types import Severity

if TYPE_CHECKING:
    from mtaudit.config import Config


class Settings(Protocol):
    """What ``settings_of`` needs of a settings dataclass: the dotted name of its table."""

    SECTION: ClassVar[str]
    __dataclass_fields__: ClassVar[dict[str, Any]]


S = TypeVar("S", bound=Settings)
T = TypeVar("T")

# Every settings dataclass, by "module:attribute" (nothing is imported until asked): the test that
# keeps them and configs/default.toml in step reads this list, and the checks' own dataclasses
# come from the checks registry.
COMPONENTS: tuple[str, ...] = (
    "mtaudit.io:LanguageSettings",
    "mtaudit.text.segment:SegmentSettings",
    "mtaudit.align:AlignSettings",
    "mtaudit.align:BeadSettings",
    "mtaudit.judge:JudgeSettings",
    "mtaudit.gate:GateSettings",
    "mtaudit.pipeline:RunSettings",
    "mtaudit.pipeline:BoilerplateSettings",
    "mtaudit.signals:SignalSettings",
    "mtaudit.translate.settings:TranslationSettings",
    "mtaudit.models.paths:ModelsDirSettings",
    "mtaudit.signals.fidelity:FidelitySettings",
    "mtaudit.signals.fluency:FluencyOptions",
)

# Keys the defaults still carry that no code reads: accepted in old files, with a warning.
DEPRECATED: dict[str, str] = {
    "report.progress_min_documents": (
        "is no longer read (the progress bar shows whenever stderr is a terminal and --quiet "
        "is not given); remove it"
    ),
}


def settings_of(config: Config, cls: type[S]) -> S:
    """The ``cls`` settings of ``config``, built on first use and kept with the configuration."""
    built = config.built
    found = built.get(cls)
    if found is None:
        found = build(cls, config.section(cls.SECTION), cls.SECTION)
        built[cls] = found
    return typing.cast(S, found)


def build(cls: type[T], table: Mapping[str, Any], where: str) -> T:
    """Build the dataclass ``cls`` from ``table`` (the table named ``where``); check types.

    Every field must be a key of ``table``: a missing one means the shipped defaults lack it,
    a ``ConfigError`` naming it (``tests/test_settings.py`` keeps that from happening).
    """
    values: dict[str, Any] = {}
    for name, kind in _fields(cls):
        dotted = f"{where}.{name}"
        if name not in table:
            raise ConfigError(f"{dotted} is not set (configs/default.toml must define it)")
        values[name] = _convert(table[name], kind, dotted)
    return cls(**values)


_FIELDS: dict[type[Any], tuple[tuple[str, Any], ...]] = {}


def _fields(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    found = _FIELDS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.init)
        _FIELDS[cls] = found
    return found


def fields_of(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    """The (name, type) of each field ``build`` reads, in order."""
    return _fields(cls)


def _fail(dotted: str, value: Any, what: str) -> ConfigError:
    return ConfigError(f"config value {dotted} must be {what}, got {value!r}")


def _convert(value: Any, kind: Any, dotted: str) -> Any:
    """``value`` as the annotated ``kind``; ``ConfigError`` naming ``dotted`` when it is not."""
    origin = typing.get_origin(kind)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if not isinstance(value, Mapping):
            raise _fail(dotted, value, "a table")
        return build(kind, value, dotted)
    if kind is bool:
        if not isinstance(value, bool):
            raise _fail(dotted, value, "true or false")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(dotted, value, "a whole number")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(dotted, value, "a number")
        return float(value)
    if kind is str:
        if not isinstance(value, str):
            raise _fail(dotted, value, "text")
        return value
    if kind is Severity:
        try:
            return Severity.parse(str(value))
        except ValueError as exc:
            raise ConfigError(f"{dotted}: {exc}") from None
    if kind is Any:
        return value
    if origin is tuple:
        item = typing.get_args(kind)[0]
        if not isinstance(value, list | tuple):
            raise _fail(dotted, value, "a list")
        return tuple(_convert(v, item, f"{dotted}[{i}]") for i, v in enumerate(value))
    if origin in (Mapping, dict) or kind in (Mapping, dict):
        if not isinstance(value, Mapping):
            raise _fail(dotted, value, "a table")
        args = typing.get_args(kind)
        item = args[1] if args else Any
        return {str(k): _convert(v, item, f"{dotted}.{k}") for k, v in value.items()}
    raise TypeError(f"settings field {dotted}: type {kind!r} is not supported")
