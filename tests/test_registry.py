"""Registries: lazy "module:attribute" entries and one message for an unknown name."""

from __future__ import annotations

import pytest

from mtaudit import lm, signals, translate
from mtaudit.config import Config
from mtaudit.errors import ConfigError, ModelMissingError, MtauditError, PullError, UsageError
from mtaudit.registry import lookup, resolve


def test_resolve_imports_a_lazy_entry_and_returns_an_object_as_is() -> None:
    assert resolve("mtaudit.text.numbers:ascii_digits")("٣") == "3"
    marker = object()
    assert resolve(marker) is marker


def test_lookup_names_the_unknown_entry() -> None:
    entries = {"a": "mtaudit.text.numbers:ascii_digits"}
    assert lookup(entries, "a", lambda: "never")("٤٢") == "42"
    with pytest.raises(ConfigError, match="no 'b' here"):
        lookup(entries, "b", lambda: "no 'b' here")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: translate.get_backend("nope"), "translation.engine must be one of auto, ct2, "),
        (lambda: lm.get_backend("nope"), "unknown fluency engine 'nope' (known: ct2, "),
        (lambda: signals.load("nope", Config.load()), "unknown signal 'nope' (known: fidelity, "),
    ],
)
def test_each_registry_reports_an_unknown_name(call: object, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        call()  # type: ignore[operator]
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("error", "text", "fix"),
    [
        (ModelMissingError("no model", "pull x"), "[E400] no model (fix: pull x)", "pull x"),
        (PullError("offline", "copy it"), "[E420] offline (fix: copy it)", "copy it"),
        (PullError("offline"), "[E420] offline", None),
        (UsageError("bad"), "[E300] bad", None),
    ],
)  # fmt: skip
def test_errors_carry_their_fix(error: MtauditError, text: str, fix: str | None) -> None:
    assert str(error) == text and error.fix == fix
