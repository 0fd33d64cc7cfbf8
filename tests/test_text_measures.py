from __future__ import annotations

import pytest

from mtaudit.text.measures import converted, measures


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("186 miles", "300 كيلومتر"),
        ("122F", "50 درجة مئوية"),
        # names that the units check knew and conversions did not, before the two shared a table
        ("120 mph", "193 km/س"),
        ("10 pounds", "4.5 كيلو"),
        ("2.3 kg", "5 باوند"),
        ("56 grams", "2 أوقية"),
        ("9 feet", "3 يارد"),
        ("10 cm", "4 بوص"),
        ("122F", "50 مئوي"),
        ("5 hectares", "50,000 م2"),
        # diacritics are not part of the unit: "كيلومتراً مربعاً" is an area
        ("116 square miles", "300 كيلومتراً مربعاً"),
        # a square written with a superscript
        ("780 km²", "301 square miles"),
        ("300 كم²", "116 mi²"),
    ],
)
def test_converted(first: str, second: str) -> None:
    (a,), (b,) = measures(first), measures(second)
    assert converted(a, b) and converted(b, a)


@pytest.mark.parametrize(
    "text",
    [
        "5 كيلوواط",  # a kilowatt, not a kilo
        "500 أكراد",  # Kurds, not acres
        "3 إنشاءات",  # buildings, not inches
        "2020 م",  # the mark of a Gregorian year, not metres
    ],
)
def test_not_a_measurement(text: str) -> None:
    assert measures(text) == []
