"""Numbers read from text, in digits (ASCII or Arabic-Indic) or in words (English or Arabic).

One reading for everything that compares numbers across a translation: the ``numbers`` and
``units`` checks and the fidelity signal's lost-number evidence.
"""

from __future__ import annotations

import re
from collections import Counter

from mtaudit.text.months import GREGORIAN, arabic_gregorian

# Arabic-Indic (U+0660..) and Extended Arabic-Indic/Persian (U+06F0..) digits; Arabic decimal
# and thousands separators. The Arabic comma is a list separator, except between a digit and
# exactly three digits, where some writers use it for thousands ("783،562").
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
# str.translate looks every character up; most texts have none of these, and a search says so
# several times faster
_HAS_DIGITS = re.compile("[" + "".join(map(chr, _DIGITS)) + "]")
_ARABIC_THOUSANDS = re.compile(r"(?<=\d)،(?=\d{3}(?!\d))")
# Digits glued to Latin letters belong to a code or a unit ("KV62", "km2"), and so do squares
# and cubes of Arabic units ("مم2", "م2"; spaced, "مم 2" but not "م 2", which may follow a
# year: "عام 2020 م 2"); the patterns check compares codes. Dimensions ("4x4",
# "6×6") are two numbers.
# Arabic clitics glue to numbers and are not part of them ("و34", "بـ2,220", "عام2006").
_NUMBER = re.compile(
    r"(?<![A-Za-z\d])(?<!\bمم|\bسم|\bكم)(?<!\bمم |\bسم |\bكم )(?<!\bم)"
    r"\d+(?:(?:[.,:/-]|(?<=\d)[x×](?=\d))\d+)*"
)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_WIRE_TIME = re.compile(r"\s?(?:GMT|UTC)\b")
# A number followed by a scale word is one value: "1.2 million" = "1,200,000" = "1.2 مليون"
# (also in the accusative: "15 ألفاً"),
# and so are the newsroom abbreviations (lower case) "$2.3bn", "1.2tn", "50mn"; "m" and "k" only
# right after a currency sign ("£50m", "$500k"), since "100m" and "5k" are also distances, and
# "m" before a plural that is counted, not measured ("50m people", "2m barrels", "3m doses").
_SCALE = re.compile(
    r"\s*(million|billion|trillion|thousand|مليون|ملايين|مليار|مليارات|تريليون|ألف|آلاف|الف"
    r"|(?-i:bn|mn|tn))(?:اً|ًا|ا)?(?!\w)",
    re.IGNORECASE,
)
_CURRENCY_SCALE = re.compile(r"(m|k)(?![A-Za-z\d])")
_COUNTED_MILLIONS = re.compile(
    r"(m)\s+(?=(?:people|persons|residents|citizens|inhabitants|voters|viewers|users|customers"
    r"|subscribers|followers|visitors|tourists|passengers|children|adults|workers"
    r"|employees|jobs|refugees|migrants|households|homes|patients|cases|infections|doses"
    r"|vaccines|copies|downloads|barrels|tonnes|tons|euros|dollars|pounds)\b)"
)
_CURRENCY_SIGNS = "$£€¥"
SCALES = {
    "million": 10**6, "billion": 10**9, "trillion": 10**12, "thousand": 10**3,
    "مليون": 10**6, "ملايين": 10**6, "مليار": 10**9, "مليارات": 10**9, "تريليون": 10**12,
    "ألف": 10**3, "آلاف": 10**3, "الف": 10**3,
    "bn": 10**9, "mn": 10**6, "tn": 10**12, "m": 10**6, "k": 10**3,
}  # fmt: skip
_ARABIC_SCALES = "|".join(w for w in SCALES if "\u0600" <= w[0] <= "\u06ff")
_ENGLISH_SCALES = {w: SCALES[w] for w in ("thousand", "million", "billion", "trillion")}
# "3 ملايين ونصف (المليون)" = 3.5 million: the half of the scale follows it
_HALF_OF_SCALE = re.compile(r"\s+و\s?نصف(?:\s+(?:ال)?(?:مليون|مليار|تريليون|ألف|الف))?(?!\w)")
# Spelled out: "ثلاثة ملايين ونصف المليون", "مليون ونصف", "ملياران ونصف المليار" (the word
# before the scale, when it is a number, is the whole part; a dual scale is two; else one),
# and "three and a half million"
_ARABIC_DUAL_SCALES = {
    "مليونين": 10**6, "مليونان": 10**6, "مليوني": 10**6,
    "ملياري": 10**9, "مليارين": 10**9, "ملياران": 10**9,
    "ألفين": 10**3, "ألفان": 10**3, "ألفي": 10**3,
}  # fmt: skip
_ARABIC_HALF_SCALE = re.compile(
    rf"(?:(?<!\w)(\S+)\s+)?(?:ال)?({_ARABIC_SCALES}|{'|'.join(_ARABIC_DUAL_SCALES)})"
    r"\s+و\s?نصف(?!\w)"
)
# "مليوني عام" = two million years: a dual scale word is twice the scale
_ARABIC_DUAL_SCALE = re.compile(rf"(?<!\w)(?:و|ب|ل)?(?:ال)?({'|'.join(_ARABIC_DUAL_SCALES)})(?!\w)")
_ENGLISH_HALF_SCALE = re.compile(
    rf"\b([A-Za-z]+|\d+)\s+and\s+a\s+half\s+({'|'.join(_ENGLISH_SCALES)})\b", re.IGNORECASE
)
# A year marked as Hijri ("1443 هـ") may stand beside its Gregorian year or alone: it is never
# required on the other side.
_HIJRI = re.compile(r"\s*(?:هـ|ه\.|هجري|هجرية|AH\b)")
WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "hundred": "100", "thousand": "1000", "million": "1000000", "billion": "1000000000",
    "trillion": "1000000000000",
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6",
    "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10", "once": "1", "twice": "2",
    "dozen": "12", "single": "1", "double": "2", "triple": "3", "january": "1",
    "february": "2", "march": "3", "april": "4", "may": "5", "june": "6", "july": "7",
    "august": "8", "september": "9", "october": "10", "november": "11", "december": "12",
}  # fmt: skip
# Arabic number words by stem, matched at a word start after an optional clitic (و ب ل ال).
ARABIC_WORDS = {
    "1": r"واحد|أول|اول|حادي(?!\s*عشر)", "2": "اثن|ثاني|مرتين", "3": "ثلاث|ثالث",
    "4": "أربع|اربع|رابع|رباعي",
    "5": "خمس|خامس", "6": r"ستة|ست(?!\w)|سادس", "7": "سبع|سابع", "8": "ثمان|ثامن",
    "9": "تسع|تاسع", "10": r"عشر(?!\w)|عشرة|عاشر",
    "11": "أحد عشر|احد عشر|حادي عشر|إحدى عشر[ةه]?", "12": "اثن[اي] عشر|ثاني عشر",
    "13": "ثلاث[ةه]? عشر|ثالث[ةه]? عشر", "14": "أربع[ةه]? عشر|رابع[ةه]? عشر",
    "15": "خمس[ةه]? عشر|خامس[ةه]? عشر", "16": "ست[ةه]? عشر|سادس[ةه]? عشر",
    "17": "سبع[ةه]? عشر|سابع[ةه]? عشر", "18": "ثماني?[ةه]? عشر|ثامن[ةه]? عشر",
    "19": "تسع[ةه]? عشر|تاسع[ةه]? عشر", "20": "عشر[يو]ن",
    "30": "ثلاث[يو]ن", "40": "أربع[يو]ن", "50": "خمس[يو]ن", "60": "ست[يو]ن", "70": "سبع[يو]ن",
    "80": "ثمان[يو]ن", "90": "تسع[يو]ن",
    "100": "مائة|مئة|مئات", "200": "مئت|مائت",
    "300": "ثلاثمئة|ثلاثمائة", "400": "أربعمئة|أربعمائة|اربعمئة|اربعمائة",
    "500": "خمسمئة|خمسمائة", "600": "ستمئة|ستمائة", "700": "سبعمئة|سبعمائة",
    "800": "ثمانمئة|ثمانمائة|ثمانيمئة|ثمانيمائة", "900": "تسعمئة|تسعمائة",
    "1000": "ألف|آلاف|الف", "1000000": "مليون|ملايين",
    "1000000000": "مليار", "1000000000000": "تريليون",
}  # fmt: skip
_ARABIC_WORD = {
    value: re.compile(rf"(?<!\w)(?:و|ب|ل)?(?:ال)?(?:{stems})")
    for value, stems in ARABIC_WORDS.items()
}
# Decades: "سبعينيات" / "السبعينات" = the 1970s (or the 70s).
_ARABIC_DECADE = re.compile(
    r"(?<!\w)(?:و|ب|ل)?(?:ال)?(عشرين|ثلاثين|أربعين|اربعين|خمسين|ستين|سبعين|ثمانين|تسعين)(?:ي)?ات"
)
_DECADE_TENS = {
    "عشرين": 20, "ثلاثين": 30, "أربعين": 40, "اربعين": 40, "خمسين": 50, "ستين": 60,
    "سبعين": 70, "ثمانين": 80, "تسعين": 90,
}  # fmt: skip
_ENGLISH_DECADES = {
    "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
    "seventies": 70, "eighties": 80, "nineties": 90,
}  # fmt: skip
# The Arabic dual carries the number two without a word for it: "هدفين" (two goals),
# "ساعتين" (two hours), "تمريرتين". Its endings are shared with plurals, so only the number 2
# is excused by it.
_ARABIC_DUAL = re.compile(r"(?<!\w)\w{2,}(?:تين|تان|ين|ان)(?!\w)")
_WORD = re.compile(r"[A-Za-z]+")
_MONTH_WORDS = frozenset(english for english, *_ in GREGORIAN)
_TENS = {"20", "30", "40", "50", "60", "70", "80", "90"}
_TEN_VALUES = {int(t) for t in _TENS}
# number words that do not start a cardinal ("twenty-five", "two hundred")
_NOT_CARDINALS = frozenset(
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
    + ["tenth", "once", "twice", "dozen", "single", "double", "triple"]
)
_UNITS = {str(i) for i in range(1, 10)}


def ascii_digits(text: str) -> str:
    """Map Arabic digits and separators to ASCII."""
    return text.translate(_DIGITS) if _HAS_DIGITS.search(text) else text


def numbers(text: str) -> list[tuple[str, int, int]]:
    """Return the digit groups of every number in ``text`` as (value, start, end).

    Arabic-Indic digits and separators are understood. Thousands separators are removed; other
    separators (``.``, ``:``, ``/``, ``-``) split a number into groups, each with the whole
    number's span, so ``9:30`` and ``9.30`` agree, and so do ``2021-07-31`` and ``31/7/2021``.
    Leading zeros are dropped (``07`` is ``7``). A number followed by a scale word is one value
    (``1.2 million`` is ``1200000``). Hijri years (``1443 هـ``) are left out: see
    ``digit_groups``.
    """
    return [
        (value, start, end) for value, (start, end), optional in digit_groups(text) if not optional
    ]


def digit_groups(text: str) -> list[tuple[str, tuple[int, int], bool]]:
    """Digit groups with their number's span and whether the number is an optional year.

    A year marked as Hijri (``1443 هـ``) is optional: it may stand beside its Gregorian year or
    alone, and is never required on the other side.
    """
    text = ascii_digits(text)
    if "،" in text:
        text = _ARABIC_THOUSANDS.sub(",", text)  # same length: offsets are kept
    out: list[tuple[str, tuple[int, int], bool]] = []
    for match in _NUMBER.finditer(text):
        raw = _THOUSANDS.sub("", match.group(0))
        end = match.end()
        scale = _SCALE.match(text, end)
        if not scale and match.start() and text[match.start() - 1] in _CURRENCY_SIGNS:
            scale = _CURRENCY_SCALE.match(text, end)
        if not scale:
            scale = _COUNTED_MILLIONS.match(text, end)
        if scale and re.fullmatch(r"\d+(?:\.\d+)?", raw):
            factor = SCALES.get(scale.group(1).lower(), 1)
            whole, _, frac = raw.partition(".")
            value = int(whole) * factor + (int(frac) * factor // 10 ** len(frac) if frac else 0)
            if _HALF_OF_SCALE.match(text, scale.end()):
                value += factor // 2
            out.append((str(value), match.span(), False))
            continue
        if len(raw) == 4 and raw.isdigit() and _WIRE_TIME.match(text, end):
            # "0500 GMT" may be "05:00" or "0500" on the other side: never required, never extra
            for group in (raw[:2], raw[2:], raw):
                out.append((group.lstrip("0") or "0", match.span(), True))
            continue
        optional = _HIJRI.match(text, end) is not None or raw == "24/7"
        for group in re.split(r"[.,:/x×-]", raw):
            if group:
                out.append((group.lstrip("0") or "0", match.span(), optional))
    return out


def spelled(text: str) -> set[str]:
    """Numbers written in words in ``text`` (English or Arabic), as digit strings.

    Besides plain number words this knows compounds ("twenty-four", "two-dozen", "four dozen"),
    Arabic ordinals and teens ("الخامس عشر" = 15), decades ("سبعينيات", "the seventies": the
    marker ``decade:70``) and the Arabic dual (``2``).
    """
    counts, marks = spelled_counts(text)
    return set(counts) | marks


def spelled_counts(text: str) -> tuple[Counter[str], set[str]]:
    """Number words in ``text`` counted, and the markers that carry a number without a word.

    Markers are the Arabic dual (``2``), halves (``5`` of "2.5", and ``1`` of "1.5" with "an
    hour and a half" or "ساعة ونصف"), "a couple" (``2``) and decades (``decade:70``); they are
    not counted, since their endings and words have other uses.
    """
    counts: Counter[str] = Counter()
    marks: set[str] = set()
    words = [w.lower() for w in _WORD.findall(text)]
    previous = ""
    phrase = 0  # the cardinal read so far ("twenty-five"), multiplied by a scale after it
    for word in words:
        value = WORDS.get(word)
        if word in _ENGLISH_SCALES and phrase:
            counts[str(phrase * _ENGLISH_SCALES[word])] += 1
        phrase = _next_phrase(phrase, word, previous)
        if word in ("dozen", "dozens") and previous in WORDS:
            counts[str(int(WORDS[previous]) * 12)] += 1
        if word == "couple":
            marks.add("2")
        if word == "half":
            marks.add("5")  # "two and a half hours" = 2.5 hours
        if word in _ENGLISH_DECADES:
            marks.add(f"decade:{_ENGLISH_DECADES[word]}")
        if value and word in _MONTH_WORDS:
            marks.add(value)  # "July 31" for "31/7": a month is its number, not counted
        elif value:
            counts[value] += 1
            if previous in WORDS and WORDS[previous] in _TENS and value in _UNITS:
                counts[str(int(WORDS[previous]) + int(value))] += 1
        previous = word
    if any("\u0600" <= ch <= "\u06ff" for ch in text):
        for value, pattern in _ARABIC_WORD.items():
            found = len(pattern.findall(text))
            if found:
                counts[value] += found
        for match in _ARABIC_DECADE.finditer(text):
            marks.add(f"decade:{_DECADE_TENS[match.group(1)]}")
        if _ARABIC_DUAL.search(text):
            marks.add("2")
        for pattern, value in _ARABIC_MARKS:
            if pattern.search(text):
                marks.add(value)
        if "نصف" in text:
            marks.add("5")  # "ساعتان ونصف" = 2.5 hours
            for match in _ARABIC_HALF_SCALE.finditer(ascii_digits(text)):
                counts[str(_half_scale(match.group(1), match.group(2)))] += 1
        # "واحد وعشرون" = 21: a unit and a ten joined by و; "خمسة وعشرين ألف" = 25,000.
        for match in _ARABIC_COMPOUND.finditer(text):
            unit = _value_of(match.group(1))
            tens = _value_of(match.group(2))
            if unit and tens:
                counts[str(int(unit) + int(tens))] += 1
                if scale := _ARABIC_SCALE_AFTER.match(text, match.end()):
                    counts[str((int(unit) + int(tens)) * SCALES[scale.group(1)])] += 1
        for match in _ARABIC_DUAL_SCALE.finditer(text):
            counts[str(2 * _ARABIC_DUAL_SCALES[match.group(1)])] += 1
        # "ألفاً وخمسمئة" = 1,500, "ألفين وثلاثمئة" = 2,300: thousands and hundreds joined by و
        for match in _THOUSANDS_AND_HUNDREDS.finditer(text):
            thousands = 2000 if match.group(1).startswith(("ألفين", "ألفان")) else 1000
            hundreds = _value_of(match.group(2))
            if hundreds and int(hundreds) % 100 == 0 and int(hundreds) < 1000:
                counts[str(thousands + int(hundreds))] += 1
        # "ربع مليون" = 250,000, "نصف المليار" = 500 million
        for match in _ARABIC_PART_OF_SCALE.finditer(text):
            counts[str(SCALES[match.group(2)] * _PARTS[match.group(1)] // 4)] += 1
        # "مئة ألف" = 100,000, "أربعين مليون" = 40 million: a number word before a scale
        for match in _ARABIC_TIMES_SCALE.finditer(text):
            value = _value_of(match.group(1))
            if value and int(value) < 1000:
                counts[str(int(value) * SCALES[match.group(2)])] += 1
    for part, scale_word in _ENGLISH_PART_OF_SCALE.findall(text):
        counts[str(_ENGLISH_SCALES[scale_word.lower()] * _PARTS[part.lower()] // 4)] += 1
    for pattern, value in _ENGLISH_MARKS:
        if pattern.search(text):
            marks.add(value)
    for whole_word, scale_word in _ENGLISH_HALF_SCALE.findall(text):
        whole = whole_word if whole_word.isdigit() else WORDS.get(whole_word.lower())
        if whole and int(whole) < 1000:
            counts[str((2 * int(whole) + 1) * SCALES[scale_word.lower()] // 2)] += 1
    if "2" not in marks and not counts and _AND_A_HALF.search(text):
        # "an hour and a half", "ساعة ونصف" = 1.5 hours: the one is not written (with a number
        # word or a dual, "two and a half", "ساعتين ونصف", the whole part is that number)
        marks.add("1")
    return counts, marks


_AND_A_HALF = re.compile(r"\band an? half\b|(?<!\w)ونصف(?!\w)", re.IGNORECASE)


def _half_scale(before: str | None, scale: str) -> int:
    """The value of "<before> <scale> ونصف": the whole part and a half, times the scale."""
    if scale in _ARABIC_DUAL_SCALES:
        return 5 * _ARABIC_DUAL_SCALES[scale] // 2
    whole = 1
    if before and before.isdigit():
        whole = int(before)
    elif before and (value := _value_of(before)) and int(value) < 1000:
        whole = int(value)
    return (2 * whole + 1) * SCALES[scale] // 2


_ARABIC_COMPOUND = re.compile(r"(?<!\w)(?:ال)?(\w+)\s+و(?:ال)?(\w+ون|\w+ين)(?!\w)")
_ARABIC_SCALE_AFTER = re.compile(rf"\s+({_ARABIC_SCALES})(?:اً|ًا|ا)?(?!\w)")
_ARABIC_TIMES_SCALE = re.compile(rf"(?<!\w)(\w+)\s+({_ARABIC_SCALES})(?:اً|ًا|ا)?(?!\w)")
# a quarter or half of a scale, in quarters: "ربع مليون", "half a million"
_PARTS = {"ربع": 1, "نصف": 2, "quarter": 1, "half": 2}
_ARABIC_PART_OF_SCALE = re.compile(
    r"(?<!\w)(?:و|ب|ل)?(ربع|نصف)\s+(?:ال)?(مليون|مليار|ألف|تريليون)(?!\w)"
)
_ENGLISH_PART_OF_SCALE = re.compile(
    rf"\b(quarter|half)\s+(?:of\s+)?an?\s+({'|'.join(_ENGLISH_SCALES)})\b", re.IGNORECASE
)
_THOUSANDS_AND_HUNDREDS = re.compile(
    r"(?<!\w)(ألفين|ألفان|ألف(?:اً|ًا|ا)?)\s+و(\w*(?:مئة|مائة|مئت|مائت)\w*)(?!\w)"
)
# Numbers a phrase carries without a number word; like the dual, they only excuse a digit:
# months by name ("أيلول" = 9, so "11 أيلول" answers "9/11"), clock fractions ("التاسعة
# والنصف" = 9:30, "half past"), and a score "without reply" ("3-0" = "ثلاثة أهداف دون رد").
_ARABIC_MARKS = [
    (re.compile(rf"(?<!\w)(?:و|ب|ل|في)?(?:{arabic_gregorian(n, short=False)})(?!\w)"), str(n))
    for n in range(1, 13)
] + [
    (re.compile(r"(?<!\w)(?:وال|و)نصف(?!\w)"), "30"),
    (re.compile(r"(?<!\w)(?:وال|و)ربع(?!\w)"), "15"),
    (re.compile(r"(?<!\w)(?:إلا|الا) ربع"), "45"),
    (re.compile(r"دون رد|دون مقابل|(?<!\w)نظيف"), "0"),
]
_ENGLISH_MARKS = [
    (re.compile(r"\bhalf past\b", re.IGNORECASE), "30"),
    (re.compile(r"\bquarter past\b", re.IGNORECASE), "15"),
    (re.compile(r"\bquarter to\b", re.IGNORECASE), "45"),
    (re.compile(r"\bnil\b|\bwithout reply\b", re.IGNORECASE), "0"),
]
_CARDINALS = {
    word: int(value)
    for word, value in WORDS.items()
    if int(value) < 100 and word not in _MONTH_WORDS and word not in _NOT_CARDINALS
}


def _next_phrase(phrase: int, word: str, previous: str) -> int:
    """The English cardinal read up to ``word``: "twenty five" is 25, "two hundred" 200."""
    if word == "hundred":
        return 100 * (phrase or 1)
    if word == "and" and phrase >= 100:
        return phrase  # "three hundred and fifty"
    if word in _CARDINALS:
        value = _CARDINALS[word]
        if previous in _CARDINALS and _CARDINALS[previous] in _TEN_VALUES and value < 10:
            return phrase + value
        return phrase + value if phrase >= 100 else value
    return 0


def _value_of(word: str) -> str | None:
    """The value of one Arabic number word.

    A whole-word reading comes first ("أربعين" is 40, not the 4 it starts with), else the
    longest stem the word starts with ("خمسة" is 5).
    """
    best, longest = None, 0
    for value, pattern in _ARABIC_WORD.items():
        if pattern.fullmatch(word):
            return value
        found = pattern.match(word)
        if found and found.end() > longest:
            best, longest = value, found.end()
    return best
