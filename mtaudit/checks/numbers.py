"""Numbers and dates that differ between source and target."""

from __future__ import annotations

import re
from collections import Counter

from mtaudit.checks.base import Check, DocContext
from mtaudit.types import Finding, Pair

# Arabic-Indic (U+0660..) and Extended Arabic-Indic/Persian (U+06F0..) digits; Arabic decimal
# and thousands separators; the Arabic comma is a list separator, never inside a number.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "hundred": "100", "thousand": "1000", "million": "1000000", "billion": "1000000000",
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6",
    "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10", "once": "1", "twice": "2",
    "dozen": "12", "single": "1", "double": "2", "triple": "3", "january": "1",
    "february": "2", "march": "3", "april": "4", "may": "5", "june": "6", "july": "7",
    "august": "8", "september": "9", "october": "10", "november": "11", "december": "12",
}  # fmt: skip
# Arabic number words by stem, matched at a word start after an optional clitic (و ب ل ال).
ARABIC_WORDS = {
    "1": "واحد|أول|اول", "2": "اثن|ثاني|مرتين", "3": "ثلاث", "4": "أربع|اربع", "5": "خمس",
    "6": r"ستة|ست(?!\w)|سادس", "7": "سبع", "8": "ثمان", "9": "تسع", "10": "عشر",
    "100": "مائة|مئة|مئات", "1000": "ألف|آلاف|الف", "1000000": "مليون|ملايين",
    "1000000000": "مليار",
}  # fmt: skip
_ARABIC_WORD = {
    value: re.compile(rf"(?<!\w)(?:و|ب|ل)?(?:ال)?(?:{stems})")
    for value, stems in ARABIC_WORDS.items()
}
_WORD = re.compile(r"[A-Za-z]+")


def normalise(text: str) -> str:
    """Map Arabic digits and separators to ASCII."""
    return text.translate(_DIGITS)


def numbers(text: str) -> list[tuple[str, tuple[int, int]]]:
    """Return the digit groups of every number in ``text`` with the number's span.

    Thousands separators are removed; other separators (``.``, ``:``, ``/``, ``-``) split a
    number into groups, so ``9:30`` and ``9.30`` agree, and so do ``2021-07-31`` and ``31/7/2021``.
    Leading zeros are dropped (``07`` is ``7``).
    """
    text = normalise(text)
    out: list[tuple[str, tuple[int, int]]] = []
    for match in _NUMBER.finditer(text):
        raw = _THOUSANDS.sub("", match.group(0))
        for group in re.split(r"[.,:/-]", raw):
            out.append((group.lstrip("0") or "0", match.span()))
    return out


class NumbersCheck(Check):
    """Numbers in the source missing from the target, and numbers the target made up."""

    id = "numbers"

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Compare the digit groups of the aligned source and target."""
        if not pair.source:
            return []
        target = numbers(pair.target.text)
        source = Counter(n for n, _ in numbers(pair.source))
        if not target and not source:
            return []
        target_count = Counter(n for n, _ in target)
        found: list[Finding] = []
        extra = target_count - source
        missing = source - target_count
        if missing:
            # A number may be spelled out in the target ("seven times").
            spelled = Counter(WORDS.get(w.lower()) for w in _WORD.findall(pair.target.text))
            missing -= Counter({k: v for k, v in spelled.items() if k})
        for value in sorted(missing):
            found.append(self.finding(f"number {value} in the source is missing from the target"))
        reported: set[tuple[int, int]] = set()
        for value, span in target:
            spelled_in_source = value in _ARABIC_WORD and _ARABIC_WORD[value].search(pair.source)
            if extra[value] > 0 and span not in reported and not spelled_in_source:
                extra[value] -= 1
                reported.add(span)
                found.append(
                    self.finding(f"number {value} in the target is not in the source", span)
                )
        return found
