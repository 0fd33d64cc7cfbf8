"""Measurements read from text: a number with its unit, so that conversions can be recognised.

A translation may convert a measurement ("186 miles" → "300 كيلومتر", "122F" → "50 درجة
مئوية"); the digits then differ, and the ``numbers`` check asks ``converted`` whether the
source's number and the target's are the same measurement in two units of one kind. The units
and their names are those of ``text.units`` that have a factor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtaudit.text.arabic import without_tashkeel
from mtaudit.text.numbers import ascii_digits
from mtaudit.text.units import UNITS, Unit


def _names(unit: Unit) -> str:
    """The names of ``unit`` as one pattern: English, its symbol, Arabic."""
    return "|".join(name for name in (unit.english, unit.symbol, unit.arabic) if name)


# The units that are converted, in the table's order: a match takes the first that fits.
_CONVERTED = [unit for unit in UNITS if unit.factor is not None]
_MEASURE = re.compile(
    r"(?<![\w.,])(\d+(?:,\d{3})*(?:\.\d+)?)\s*-?\s*(?:"
    + "|".join(f"(?P<u{i}>{_names(unit)})" for i, unit in enumerate(_CONVERTED))
    + r")(?![A-Za-z\u0621-\u064a])",
    re.IGNORECASE,
)
# how far a converted value may be from the written one: journalists round conversions
TOLERANCE = 0.05


@dataclass(frozen=True)
class Measure:
    """A number with a unit: its text, value, kind and unit (by index)."""

    number: str
    value: float
    kind: str
    unit: int


def measures(text: str) -> list[Measure]:
    """The measurements written in ``text`` (digits, Arabic or ASCII, followed by a unit)."""
    text = without_tashkeel(ascii_digits(text))  # "كيلومتراً مربعاً" is كيلومترا مربعا
    out: list[Measure] = []
    for match in _MEASURE.finditer(text):
        unit = next(int(name[1:]) for name, value in match.groupdict().items() if value)
        number = match.group(1)
        out.append(Measure(number, float(number.replace(",", "")), _CONVERTED[unit].kind, unit))
    return out


def _base(value: float, index: int) -> float:
    unit = _CONVERTED[index]
    factor = unit.factor
    assert factor is not None  # only units with a factor are read
    if unit.kind == "temperature":
        return (value - 32.0) * 5.0 / 9.0 if factor else value  # in °C
    return value * factor


def converted(first: Measure, second: Measure) -> bool:
    """Whether ``second`` is ``first`` converted to another unit of its kind (rounded)."""
    if first.kind != second.kind or first.unit == second.unit:
        return False
    a, b = _base(first.value, first.unit), _base(second.value, second.unit)
    if first.kind == "temperature":
        return abs(a - b) <= 1.0  # a degree Celsius: "122F" is 50 °C, "100F" is 38 °C
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))
