"""Dates, times and measurements compared by type between source and target.

- A measurement (a number with a unit) whose kind (length, mass, area, speed, temperature,
  currency, percentage, duration) has no unit of that kind in the target: "a unit that
  disappears". Conversions within a kind (miles → كيلومتر) are fine.
- A month of the source that the target replaces with another month of the same calendar, or
  a day of the month that changes ("October 7" → "8 أكتوبر"). Gregorian months are recognised
  in English and in both Arabic series (يناير… and كانون الثاني…); Hijri months in both
  languages. A Hijri date converted to a Gregorian one (or back) is not reported.
- A clock time whose part of day changes (9:30 am → 9:30 مساءً) or whose value changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mtaudit.checks.base import Check, DocContext
from mtaudit.text.arabic import without_tashkeel
from mtaudit.text.months import GREGORIAN, HIJRI, arabic_gregorian
from mtaudit.text.numbers import ascii_digits, spelled
from mtaudit.text.units import TEMPERATURE_SYMBOLS, UNITS
from mtaudit.types import Finding, Pair

_AR = r"(?<!\w)(?:[وبلفك])?(?:ال)?"


def _names(kind: str) -> tuple[str, str]:
    """The English and the Arabic names of the units of ``kind``, each as alternatives."""
    units = [unit for unit in UNITS if unit.kind == kind]
    english = "|".join(unit.english for unit in units if unit.english)
    arabic = "|".join(unit.arabic for unit in units if unit.arabic)
    return english, arabic


# kind: (English units, whole words; Arabic units, the start of a word), in the table's order
_NAMES = {kind: _names(kind) for kind in dict.fromkeys(unit.kind for unit in UNITS)}
_CURRENCY_SIGN = re.compile(r"[$€£]\s*\d")
# "51C" in a target answers a source's temperature; not required by a source ("iPhone 5C")
_DEGREES_GLUED = re.compile(rf"(?<![A-Za-z\d])\d+(?:\.\d+)?[{TEMPERATURE_SYMBOLS}](?![A-Za-z\d])")
_DIGIT = re.compile(r"\d")
_NUMBER_BEFORE = re.compile(r"\d\s?-?\s?$")
_HEAT = re.compile(r"(?:ة|ات) ال?حرار")
_MEASURE = re.compile(
    "|".join(
        rf"(?P<{kind}>\d(?:[\d.,]*\d)?\s*-?\s*(?:(?:{en})(?![A-Za-z])|(?:{ar})))"
        for kind, (en, ar) in _NAMES.items()
    ),
    re.I,
)
_ANY = re.compile(
    "|".join(
        rf"(?P<{kind}>(?<![A-Za-z])(?:{en})(?![A-Za-z])|{_AR}(?:{ar}))"
        for kind, (en, ar) in _NAMES.items()
    ),
    re.I,
)

_MONTHS: list[tuple[str, int, re.Pattern[str]]] = []
for _number, (_en, _abbr, *_) in enumerate(GREGORIAN, 1):
    # "May" and "March" are also words: only a capitalised month counts in English.
    _MONTHS.append(
        (
            "Gregorian",
            _number,
            re.compile(
                rf"(?<![A-Za-z])(?:{_en.capitalize()}|{_abbr.capitalize()}\.?)(?![a-z])|"
                rf"{_AR}(?:{arabic_gregorian(_number, short=True)})"
            ),
        )
    )
for _number, (_en, _ar) in enumerate(HIJRI, 1):
    _MONTHS.append(
        ("Hijri", _number, re.compile(rf"(?<![A-Za-z])(?i:{_en})(?![a-z])|{_AR}(?:{_ar})"))
    )
_DAY_NEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s*$|^\s*(\d{1,2})(?:st|nd|rd|th)?(?!\d)")
_TIME = re.compile(
    r"(?<![\d:])(\d{1,2})[:.](\d{2})(?![\d:])|(?<!\d)(\d{1,2})\s*(?=[ap]\.?m\b)"
    r"|(?<!\d)([01]\d|2[0-3])([0-5]\d)\s?(?=GMT|UTC)",  # "0500 GMT", the wires' style
    re.I,
)
_MORNING = re.compile(r"\ba\.?m\b|صباح|فجر", re.I)
_EVENING = re.compile(r"\bp\.?m\b|مساء|ليل|عصر", re.I)


def kinds(text: str, after_number: bool) -> set[str]:
    """Kinds of measurement in ``text``: only after a number when ``after_number``."""
    found: set[str] = set()
    if after_number:
        if not _DIGIT.search(text):
            return found
        # Speed and area first: their units contain lengths ("km/h", "km2").
        for match in _MEASURE.finditer(text):
            found.add(str(match.lastgroup))
    else:
        for match in _ANY.finditer(text):
            if not _not_a_unit(text, match):
                found.add(str(match.lastgroup))
        if found & {"speed", "area"}:
            found.add("length")
    if _CURRENCY_SIGN.search(text) or (not after_number and re.search(r"[$€£]", text)):
        found.add("currency")
    if not after_number and _DEGREES_GLUED.search(text):
        found.add("temperature")
    return found


def _not_a_unit(text: str, match: re.Match[str]) -> bool:
    """Whether an Arabic word that starts like a unit is another word here (a target's reading).

    كم alone is also "how many"; a word starting with درج also a rank or an extent ("بالدرجة
    الأولى", "لدرجة أن"): each is a unit only after a number, and a degree also in "درجة
    الحرارة". بالنسبة is "as for", never a percentage.
    """
    word, (start, end) = match.group(0), match.span()
    if word.endswith(("كم", "درج")):
        if _NUMBER_BEFORE.search(text, max(0, start - 4), start):
            return False
        return not (word.endswith("درج") and _HEAT.match(text, end))
    return word.endswith("بالنسبة")


def _first_words(*names: str) -> set[str]:
    """The first word of each alternative of month-name patterns."""
    words = set()
    for name in names:
        for alternative in name.split("|"):
            found = re.findall(r"\w+", alternative)
            if found:
                words.add(found[0])
    return words


_HIJRI_CUES = [
    ["Muharram", "محرم"], ["Safar", "صفر"], ["Rabi", "ربيع"], ["Rabi", "ربيع"],
    ["Jumada", "جمادى"], ["Jumada", "جمادى"], ["Rajab", "رجب"], ["Sha", "Shaban", "شعبان"],
    ["Ramadan", "Ramadhan", "رمضان"], ["Shawwal", "شوال"], ["Dhu", "Dhul", "قعدة", "القعدة"],
    ["Dhu", "Dhul", "حجة", "الحجة"],
]  # fmt: skip
_CLITICS = ("و", "ب", "ل", "ف", "ك", "ال", "وال", "بال", "لل", "فال", "كال")
# A month's pattern is tried only when one of its cue words (with Arabic clitics) is present.
_CUE_MONTHS: dict[str, set[int]] = {}
for _i, (_calendar, _number, _pattern) in enumerate(_MONTHS):
    if _calendar == "Gregorian":
        _en, _abbr = GREGORIAN[_number - 1][:2]
        _cues = _first_words(
            _en.capitalize(),
            _abbr.replace("t?", "").capitalize(),
            arabic_gregorian(_number, short=True),
        )
    else:
        _cues = set(_HIJRI_CUES[_number - 1])
    for _cue in _cues:
        for _form in [_cue] + ([p + _cue for p in _CLITICS] if _cue[:1] >= "\u0600" else []):
            _CUE_MONTHS.setdefault(_form, set()).add(_i)
_TOKEN = re.compile(r"\w+")


def months(text: str) -> dict[tuple[str, int], set[int]]:
    """(calendar, month) → days of the month written beside it (digits or words)."""
    out: dict[tuple[str, int], set[int]] = {}
    candidates: set[int] = set()
    for token in set(_TOKEN.findall(text)) & _CUE_MONTHS.keys():
        candidates |= _CUE_MONTHS[token]
    for index in sorted(candidates):
        calendar, number, pattern = _MONTHS[index]
        for match in pattern.finditer(text):
            days = out.setdefault((calendar, number), set())
            before = text[max(0, match.start() - 12) : match.start()]
            after = text[match.end() : match.end() + 8]
            for side in (before, after):
                day = _DAY_NEAR.search(side)
                if day:
                    value = int(day.group(1) or day.group(2))
                    if 1 <= value <= 31:
                        days.add(value)
    return out


def times(text: str) -> set[int]:
    """Clock times as minutes after midnight when written h:mm, or hours with am/pm."""
    out: set[int] = set()
    for match in _TIME.finditer(text):
        hour = int(match.group(1) or match.group(3) or match.group(4))
        minute = int(match.group(2) or match.group(5) or 0)
        if hour <= 24 and minute < 60:
            out.add(hour % 12 * 60 + minute)
    return out


class UnitsCheck(Check):
    """Measurements, dates and times of the source compared with the target by type."""

    id = "units"

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Compare only once per alignment bead (the first target sentence carries findings)."""
        if not pair.source or pair.target.index != min(pair.target_indices, default=-1):
            return []
        source = _plain(pair.source)
        target = _plain(" ".join(ctx.sentences[i].text for i in pair.target_indices))
        found: list[Finding] = []
        measured = kinds(source, after_number=True)
        lost = measured - kinds(target, after_number=False) if measured else set()
        found.extend(
            self.finding(f"the source gives a {kind} that has no unit in the target")
            for kind in sorted(lost)
        )
        found.extend(self._dates(source, target))
        if _DIGIT.search(source):
            found.extend(self._times(source, target))
        return found

    def _dates(self, source: str, target: str) -> Iterable[Finding]:
        src, tgt = months(source), months(target)
        calendars = {c for c, _ in tgt}
        words = spelled(target) if src else set()
        for (calendar, number), days in sorted(src.items()):
            name = _name(calendar, number)
            if (calendar, number) not in tgt:
                others = [n for c, n in tgt if c == calendar]
                if others:
                    yield self.finding(
                        f"the month changes: {name} in the source, "
                        f"{_name(calendar, others[0])} in the target"
                    )
                continue
            if calendar not in calendars:
                continue
            target_days = tgt[(calendar, number)]
            missing = {d for d in days if d not in target_days and str(d) not in words}
            if missing and target_days:
                yield self.finding(
                    f"the day of {name} changes: {sorted(missing)[0]} in the source, "
                    f"{sorted(target_days)[0]} in the target"
                )

    def _times(self, source: str, target: str) -> Iterable[Finding]:
        src, tgt = times(source), times(target)
        if src and tgt and not src & tgt:
            yield self.finding("a clock time changes between source and target")
        if src:
            if _MORNING.search(source) and _EVENING.search(target) and not _MORNING.search(target):
                yield self.finding("a morning time in the source is an evening time in the target")
            elif (
                _EVENING.search(source) and _MORNING.search(target) and not _EVENING.search(target)
            ):
                yield self.finding("an evening time in the source is a morning time in the target")


def _plain(text: str) -> str:
    """ASCII digits, no Arabic diacritics or tatweel (units are matched without them)."""
    return without_tashkeel(ascii_digits(text))


def _name(calendar: str, number: int) -> str:
    if calendar == "Hijri":
        return f"Hijri month {number}"
    return GREGORIAN[number - 1][0].capitalize()
