"""Validation of configuration files against the shipped defaults.

The schema is the shipped ``configs/default.toml`` itself: every key a user file may set is a key
of the defaults, and its type is the type of its default value (``true`` a boolean, ``20`` a
whole number, ``0.5`` a number, ``"major"`` text, ``["a"]`` a list of text, a table a table). So
a key added to the defaults is known, typed and checked with no change here. What the defaults
cannot say is in the small tables below: ranges, enumerations, language codes, and the tables
whose keys are the user's own (model names, glossary terms, directions).
"""

from __future__ import annotations

import difflib
import fnmatch
import math
import re
from collections.abc import Callable
from typing import Any

from mtaudit.lm import BACKENDS as LM_BACKENDS
from mtaudit.models.specs import CAUSAL_LM, TRANSLATOR_KINDS
from mtaudit.translate import BACKENDS as TRANSLATION_BACKENDS

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
DIRECTION = re.compile(r"^[a-z]{2,3}-[a-z]{2,3}$")
SEVERITIES = ("minor", "major", "critical")
BUDGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")

Rule = Callable[[Any], str | None]
"""A check on one value: ``None`` when it is fine, else what is wrong (for the message)."""


def _choice(*allowed: str) -> Rule:
    def rule(value: Any) -> str | None:
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if v not in allowed]
        return f"must be one of {', '.join(allowed)}" if bad else None

    return rule


def _registered(registry: dict[str, Any]) -> Rule:
    """``auto`` or a name registered in ``registry`` at the time the value is checked."""

    def rule(value: Any) -> str | None:
        return _choice("auto", *registry)(value)

    return rule


def _range(low: float | None = None, high: float | None = None, *, above: bool = False) -> Rule:
    def rule(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        if low is not None and (value <= low if above else value < low):
            return f"must be {'above' if above else 'at least'} {low:g}"
        if high is not None and value > high:
            return f"must be at most {high:g}"
        return None

    return rule


def _pattern(regex: re.Pattern[str], what: str) -> Rule:
    def rule(value: Any) -> str | None:
        values = value if isinstance(value, list) else [value]
        bad = [v for v in values if not (isinstance(v, str) and regex.match(v))]
        return f"must be {what}" if bad else None

    return rule


def _budget(value: Any) -> str | None:
    match = BUDGET.match(str(value))
    if not match:
        return 'must be a count like "3" or a percentage like "5%"'
    number, percent = float(match.group(1)), bool(match.group(2))
    if percent and number > 100:
        return "must be at most 100%"
    if not percent and not number.is_integer():
        return "must be a whole count (or a percentage)"
    return None


LANGUAGE = _pattern(LANGUAGE_CODE, 'a language code like "ar" or "en" (ISO 639-1/3, lower case)')

# Dotted key patterns (fnmatch) -> rule. Numbers are also never negative unless named in SIGNED.
RULES: dict[str, Rule] = {
    "languages.*": LANGUAGE,
    "models.*.languages": LANGUAGE,
    "models.*.direction": _pattern(DIRECTION, 'a direction like "ar-en"'),
    "models.*.kind": _choice(*TRANSLATOR_KINDS, CAUSAL_LM),
    "*.severity": _choice(*SEVERITIES),
    "*_severity": _choice(*SEVERITIES),
    "judge.weight_*": _range(0, 1),
    "judge.minor": _range(0, 1),
    "judge.major": _range(0, 1),
    "judge.critical": _range(0, 1),
    "judge.flag": _range(0, 1),
    "judge.flag_at": _range(0, 1),
    "judge.operating_point": _pattern(
        re.compile(
            r"^(flag_share|precision|reference_share):(0(\.\d+)?|1(\.0+)?)"
            r"(\+(flag_share|precision|reference_share):(0(\.\d+)?|1(\.0+)?))*$"
        ),
        'an operating point like "flag_share:0.10", "precision:0.5" or "reference_share:0.01"',
    ),
    "judge.always_flag": _pattern(
        re.compile(r"^[a-z_]+(\.[a-z_]+)?(:(minor|major|critical))?$"),
        'check ids with an optional lowest severity, like "patterns:major" or "numbers"',
    ),
    "gate.max_*": lambda v: None if str(v).strip() == "" else _budget(v),
    "gate.fail_on": _choice("", "critical", "major", "minor"),
    "translation.engine": _registered(TRANSLATION_BACKENDS),
    "fluency.engine": _registered(LM_BACKENDS),
    "fluency.compute_type": _choice("int8", "int8_float32", "int16", "float32"),
    "fluency.padding_side": _choice("right", "left"),
    "fidelity.parts": _choice("back_translation", "forward", "round_trip"),
    "fidelity.metrics": _choice("auto", "chrf", "bleu", "ter"),
    "align.band": _range(1),
    "align.max_band": _range(1),
    "run.ray_actors": _range(1),
    "fidelity.*.chrf_*": _range(0, 100),
    "*.batch_size": _range(1),
    "translation.beam": _range(1),
    "*.max_tokens": _range(1),
    "fluency.window": _range(1),
    "align.ratio": _range(0, above=True),
    "align.variance": _range(0, above=True),
    "checks.length.*_ratio": _range(0, above=True),
    "translation.max_output_ratio": _range(0, above=True),
}

# Pairs of keys whose values must not decrease (first <= second) when both are set.
ORDERED: list[tuple[str, str]] = [
    ("judge.minor", "judge.major"),
    ("judge.major", "judge.critical"),
    ("checks.length.min_ratio", "checks.length.max_ratio"),
    ("fidelity.back_translation.chrf_major", "fidelity.back_translation.chrf_minor"),
    ("fidelity.forward.chrf_major", "fidelity.forward.chrf_minor"),
    ("fidelity.round_trip.chrf_major", "fidelity.round_trip.chrf_minor"),
    ("fluency.sentence_minor_z", "fluency.sentence_major_z"),
    ("fluency.window_minor_z", "fluency.window_major_z"),
]

# Numeric keys that may be negative (none by default; a key whose default is negative is too).
SIGNED: set[str] = set()

# Tables whose keys are chosen by the user. The value is the pattern their keys must match
# (None: any name). Every entry of `models` is a model table, checked against the keys that the
# default model tables use (plus MODEL_KEYS); the entries of the other open tables are text.
# A table whose default is empty ({}) is open too, with text values (glossary terms, samples).
OPEN_TABLES: dict[str, re.Pattern[str] | None] = {
    "models": None,
    "translation.engines": DIRECTION,
    "fluency.sample_texts": LANGUAGE_CODE,
    "checks.length.ratios": DIRECTION,
    "judge.models": DIRECTION,
}
# Lists of tables ([[suppress]], [[checks.rules.rule]]): each item must be a table; the code that
# reads them checks their keys and regular expressions and names the entry.
LISTS_OF_TABLES = {"suppress", "checks.rules.rule"}
MODEL_KEYS: dict[str, Any] = {"source_code": "", "target_code": "", "languages": [""]}


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text in quotes"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _type_problem(value: Any, default: Any) -> str | None:
    """What is wrong with ``value``'s type given its default's, or ``None``."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok and not math.isfinite(value):
            return "must be a finite number"
    elif isinstance(default, str):
        ok = isinstance(value, str)
    elif isinstance(default, list):
        if not isinstance(value, list):
            return f"must be a list (default {_show(default)})"
        sample = default[0] if default else ""
        for item in value:
            problem = _type_problem(item, sample)
            if problem:
                return f"each item {problem.split(' (default')[0]}"
        return None
    elif isinstance(default, dict):
        ok = isinstance(value, dict)
    else:  # dates and times: not used by the defaults
        ok = type(value) is type(default)
    if ok:
        return None
    return f"must be {_type_name(default)} (default {_show(default)})"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    return str(value)


class _Checker:
    def __init__(self, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.problems: list[str] = []
        model_keys = dict(MODEL_KEYS)
        for table in (defaults.get("models") or {}).values():
            if isinstance(table, dict):
                model_keys.update(table)
        self.model_keys = model_keys

    def add(self, dotted: str, message: str) -> None:
        self.problems.append(f"{dotted}: {message}")

    def table(self, user: Any, default: dict[str, Any], dotted: str) -> None:
        """Check a user table against its default: known keys, right types (recursively)."""
        if not isinstance(user, dict):
            self.add(dotted, f"must be a table ([{dotted}]), not {_type_name(user)}")
            return
        if dotted in OPEN_TABLES or (dotted and not default):
            self.open_table(user, dotted, default)
            return
        for key, value in user.items():
            name = f"{dotted}.{key}" if dotted else key
            if name in LISTS_OF_TABLES:
                if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                    self.add(name, f"must be a list of tables ([[{name}]])")
            elif key not in default:
                self.unknown(name, key, default)
            elif isinstance(default[key], dict):
                self.table(value, default[key], name)
            else:
                self.value(name, value, default[key])

    def open_table(
        self, user: dict[str, Any], dotted: str, default: dict[str, Any] | None = None
    ) -> None:
        pattern = OPEN_TABLES.get(dotted)
        # Values are text unless the default table shows another type (ratios are numbers).
        sample = next(iter(default.values()), "") if default else ""
        for key, value in user.items():
            name = f"{dotted}.{key}"
            if pattern is not None and not pattern.match(key):
                what = "a direction like ar-en" if pattern is DIRECTION else "a language code"
                self.add(name, f"the key {key!r} must be {what}")
            if dotted == "models":
                self.table(value, self.model_keys, name)
            elif not isinstance(sample, str):
                problem = _type_problem(value, sample)
                if problem:
                    self.add(name, f"{_show_value(value)} {problem}")
            elif not isinstance(value, str):
                self.add(name, f"must be text in quotes, not {_type_name(value)}")

    def value(self, name: str, value: Any, default: Any) -> None:
        problem = _type_problem(value, default)
        if problem:
            self.add(name, f"{_show_value(value)} {problem}")
            return
        self.rules(name, value, default)

    def rules(self, name: str, value: Any, default: Any) -> None:
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if numeric and value < 0 and name not in SIGNED and not _negative(default):
            self.add(name, f"{_show_value(value)} must not be negative")
            return
        for pattern, rule in RULES.items():
            if fnmatch.fnmatchcase(name, pattern):
                problem = rule(value)
                if problem:
                    self.add(name, f"{_show_value(value)} {problem}")
                    return

    def unknown(self, name: str, key: str, default: dict[str, Any]) -> None:
        close = difflib.get_close_matches(key, [str(k) for k in default], n=1, cutoff=0.7)
        hint = f" (did you mean {close[0]}?)" if close else ""
        prefix = name[: -len(key)]
        known = ", ".join(sorted(str(k) for k in default))
        self.add(name, f"unknown key{hint}; known under [{prefix.rstrip('.') or 'top'}]: {known}")

    def ordered(self, merged: dict[str, Any]) -> None:
        for low, high in ORDERED:
            a, b = _lookup(merged, low), _lookup(merged, high)
            numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
            if numbers and a > b:
                self.add(low, f"{a} must not be above {high} ({b})")

    def engines(self, merged: dict[str, Any]) -> None:
        models = merged.get("models") or {}
        engines = (merged.get("translation") or {}).get("engines") or {}
        if not isinstance(engines, dict) or not isinstance(models, dict):
            return
        for direction, name in engines.items():
            if isinstance(name, str) and name and name not in models:
                self.add(
                    f"translation.engines.{direction}",
                    f"names model {name!r}, but there is no [models.{name}] table",
                )


def _negative(default: Any) -> bool:
    return isinstance(default, int | float) and not isinstance(default, bool) and default < 0


def _show_value(value: Any) -> str:
    text = _show(value) if not isinstance(value, list | dict) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _lookup(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def problems(user: dict[str, Any], defaults: dict[str, Any], merged: dict[str, Any]) -> list[str]:
    """Every problem of a user file (keys, types) and of the merged result (ranges, order).

    Each problem reads ``dotted.key: what is wrong``. An empty list means the file is valid.
    """
    checker = _Checker(defaults)
    checker.table(user, defaults, "")
    if not checker.problems:
        # Ranges and enumerations on the merged result: a user value, or a default it kept.
        _walk_rules(checker, merged, defaults, "")
        checker.ordered(merged)
        checker.engines(merged)
    return checker.problems


def _walk_rules(checker: _Checker, merged: Any, defaults: Any, dotted: str) -> None:
    if isinstance(merged, dict):
        for key, value in merged.items():
            name = f"{dotted}.{key}" if dotted else str(key)
            default = defaults.get(key) if isinstance(defaults, dict) else None
            if dotted == "models":
                default = checker.model_keys
            _walk_rules(checker, value, default, name)
        return
    checker.rules(dotted, merged, defaults)
