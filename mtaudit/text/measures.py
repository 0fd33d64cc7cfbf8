"""Measurements read from text: a number with its unit, so that conversions can be recognised.

A translation may convert a measurement ("186 miles" → "300 كيلومتر", "122F" → "50 درجة
مئوية"); the digits then differ, and the ``numbers`` check asks ``converted`` whether the
source's number and the target's are the same measurement in two units of one kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtaudit.text.numbers import ascii_digits

# kind: [(unit pattern, factor to the kind's base unit)], longest units first within a kind.
# Temperatures are converted separately (they have an offset). Ambiguous marks are left out:
# a bare Arabic "م" is also the Gregorian year mark, "دونم" differs by country.
_UNITS: dict[str, list[tuple[str, float]]] = {
    "speed": [
        (
            r"km\s*/\s*h|kph|kilomet(?:re|er)s? (?:per|an) hour|كم\s*/\s*(?:س|ساعة)"
            r"|كيلومترا?ت? في الساعة",
            1.0,
        ),
        (r"mph|miles? (?:per|an) hour|ميلا? في الساعة", 1.609344),
    ],
    "area": [
        (r"km2|sq\.?\s*km|square kilomet(?:re|er)s?|كيلومترا?ت? مربع[ةا]?|كم ?2|كم مربع", 1e6),
        (r"sq\.?\s*mi|square miles?|ميلا? مربع[ةا]?|أميال مربعة", 2_589_988.0),
        (r"hectares?|هكتار(?:اً|ا|ات)?", 1e4),
        (r"acres?|أكرا?", 4046.856),
        (r"m2|sq\.?\s*m|square met(?:re|er)s?|مترا? مربع[ةا]?|أمتار مربعة", 1.0),
    ],
    "length": [
        (r"km|kilomet(?:re|er)s?|كم|كيلو ?متر(?:اً|ا|ات)?", 1000.0),
        (r"miles?|mi|ميل(?:اً|ا)?|أميال|اميال", 1609.344),
        (r"cm|centimet(?:re|er)s?|سم|سنتيمتر(?:اً|ا|ات)?", 0.01),
        (r"mm|millimet(?:re|er)s?|مم|ملم|مليمتر(?:اً|ا|ات)?", 0.001),
        (r"m|met(?:re|er)s?|متر(?:اً|ا)?|أمتار|امتار", 1.0),
        (r"feet|foot|ft|قدم(?:اً|ا)?|أقدام", 0.3048),
        (r"inch(?:es)?|بوصة|بوصات|إنش", 0.0254),
        (r"yards?|ياردة|ياردات", 0.9144),
    ],
    "mass": [
        (r"kg|kilo(?:gram)?s?|كغ|كجم|كيلوغرام(?:اً|ا|ات)?|كيلوجرام(?:اً|ا|ات)?", 1.0),
        (r"tonnes?|tons?|طن(?:اً|ا)?|أطنان|اطنان", 1000.0),
        (r"pounds?|lbs?|رطل(?:اً|ا)?|أرطال|ارطال", 0.45359237),
        (r"ounces?|oz|أونصة|أونصات|اونصة", 0.028349523),
        (r"grams?|g|غرام(?:اً|ا|ات)?|جرام(?:اً|ا|ات)?", 0.001),
    ],
    "temperature": [
        (r"°\s*C|C|degrees? (?:celsius|centigrade)|celsius|درجة مئوية|درجات مئوية|مئوية", 0.0),
        (r"°\s*F|F|degrees? fahrenheit|fahrenheit|درجة فهرنهايت|درجات فهرنهايت|فهرنهايت", 1.0),
    ],
}
_UNIT_LIST = [(kind, unit, factor) for kind, units in _UNITS.items() for unit, factor in units]
_MEASURE = re.compile(
    r"(?<![\w.,])(\d+(?:,\d{3})*(?:\.\d+)?)\s*-?\s*(?:"
    + "|".join(f"(?P<u{i}>{unit})" for i, (_, unit, _) in enumerate(_UNIT_LIST))
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
    text = ascii_digits(text)
    out: list[Measure] = []
    for match in _MEASURE.finditer(text):
        unit = next(int(name[1:]) for name, value in match.groupdict().items() if value)
        number = match.group(1)
        out.append(Measure(number, float(number.replace(",", "")), _UNIT_LIST[unit][0], unit))
    return out


def _base(value: float, unit: int) -> float:
    kind, _, factor = _UNIT_LIST[unit]
    if kind == "temperature":
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
