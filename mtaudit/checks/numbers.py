"""Numbers and dates that differ between source and target."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator

from mtaudit.checks.base import Check, DocContext, Hit
from mtaudit.types import Sentence

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
    "1": "واحد|أول|اول", "2": "اثن|ثاني|مرتين", "3": "ثلاث|ثالث", "4": "أربع|اربع|رابع",
    "5": "خمس|خامس", "6": r"ستة|ست(?!\w)|سادس", "7": "سبع|سابع", "8": "ثمان|ثامن",
    "9": "تسع|تاسع", "10": "عشر|عاشر", "11": "أحد عشر|احد عشر|حادي عشر", "12": "اثن[اي] عشر",
    "13": "ثلاث[ةه]? عشر", "14": "أربع[ةه]? عشر", "15": "خمس[ةه]? عشر", "16": "ست[ةه]? عشر",
    "17": "سبع[ةه]? عشر", "18": "ثماني[ةه]? عشر", "19": "تسع[ةه]? عشر", "20": "عشر[يو]ن",
    "30": "ثلاث[يو]ن", "40": "أربع[يو]ن", "50": "خمس[يو]ن", "60": "ست[يو]ن", "70": "سبع[يو]ن",
    "80": "ثمان[يو]ن", "90": "تسع[يو]ن",
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
    """Numbers in the source missing from the target, and numbers the target made up.

    Numbers are compared per alignment bead: when one source sentence became two target
    sentences, the two together must carry the source's numbers.
    """

    id = "numbers"

    def document(self, ctx: DocContext) -> Iterator[Hit]:
        """Compare the digit groups of each aligned source with its target sentences."""
        for pair in ctx.pairs:
            if pair.source and pair.target.index == min(pair.target_indices, default=-1):
                group = [ctx.sentences[i] for i in pair.target_indices]
                yield from self._compare(pair.source, group)

    def _compare(self, source_text: str, group: list[Sentence]) -> Iterator[Hit]:
        target = [(n, span, s.index) for s in group for n, span in numbers(_plain(s.text))]
        source = Counter(n for n, _ in numbers(_plain(source_text)))
        target_count = Counter(n for n, _, _ in target)
        extra = target_count - source
        missing = source - target_count
        if missing:
            # A number may be spelled out in the target ("seven times").
            words = _WORD.findall(" ".join(s.text for s in group))
            spelled = Counter(WORDS.get(w.lower()) for w in words)
            missing -= Counter({k: v for k, v in spelled.items() if k})
        for value in sorted(missing):
            yield (
                group[0].index,
                self.finding(f"number {value} in the source is missing from the target"),
            )
        reported: set[tuple[int, tuple[int, int]]] = set()
        for value, span, index in target:
            if extra[value] <= 0 or (index, span) in reported:
                continue
            if value in _ARABIC_WORD and _ARABIC_WORD[value].search(source_text):
                continue  # spelled out in the source
            extra[value] -= 1
            reported.add((index, span))
            yield index, self.finding(f"number {value} in the target is not in the source", span)


def _plain(text: str) -> str:
    """Text with HTML entities decoded, so ``&#39;`` is not read as the number 39."""
    return html.unescape(text) if "&" in text else text
