"""Numbers read from text: one reading shared by the numbers check and the fidelity signal."""

from __future__ import annotations

import pytest

from mtaudit.text.numbers import ascii_digits, digit_groups, numbers, spelled


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل ١٢ وجرح 1,500 في ٢٠٢١.", ["12", "1500", "2021"]),
        ("at 9:30 on 2021-07-31", ["9", "30", "2021", "7", "31"]),
        ("1.2 million people", ["1200000"]),
        ("1.2 مليون شخص", ["1200000"]),
        ("783،562 دولار", ["783562"]),  # Arabic comma between a digit and three digits
        ("1، 2، 3", ["1", "2", "3"]),  # a list, not thousands
        ("KV62 and km2", []),  # codes and units glued to letters
        ("و34 بـ2,220", ["34", "2220"]),  # clitics are not part of the number
        ("a 4x4 grid", ["4", "4"]),
        ("عام 1443 هـ", []),  # a Hijri year is optional
        ("Page &#39; 07", ["39", "7"]),  # entities are the caller's to decode
        ("", []),
    ],
)
def test_numbers(text: str, expected: list[str]) -> None:
    assert [value for value, _, _ in numbers(text)] == expected


def test_spans_cover_the_whole_number_and_optional_years_are_marked() -> None:
    text = "في ٢٠٢١ أو 1443 هـ"
    groups = digit_groups(text)
    assert [(v, text[s:e], opt) for v, (s, e), opt in groups] == [
        ("2021", "٢٠٢١", False),
        ("1443", "1443", True),
    ]
    assert [(v, s, e) for v, s, e in numbers("9.30 am")] == [("9", 0, 4), ("30", 0, 4)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("twenty-four hours", {"20", "4", "24"}),
        ("four dozen eggs", {"4", "12", "48"}),
        ("the seventies", {"decade:70"}),
        ("في السبعينيات", {"7", "70", "decade:70"}),  # stems match too
        ("سجل هدفين", {"2"}),  # the Arabic dual
        ("الخامس عشر", {"5", "10", "15"}),
        ("واحد وعشرون", {"1", "20", "21"}),
        ("no numbers here", set()),
    ],
)
def test_spelled(text: str, expected: set[str]) -> None:
    assert spelled(text) == expected


def test_ascii_digits_keeps_length() -> None:
    text = "٠١٢٣٤٥٦٧٨٩ ۰۱۲ ٫٬"
    assert ascii_digits(text) == "0123456789 012 .," and len(ascii_digits(text)) == len(text)
