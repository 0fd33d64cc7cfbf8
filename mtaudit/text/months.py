"""Month names in English and Arabic: one table for the checks that read dates.

The ``units`` check compares the months and days of a source and its target; the ``numbers``
reading takes a month written by name as the number it stands for ("11 أيلول" answers "9/11").
"""

from __future__ import annotations

# (English, its abbreviation, Arabic of the Egyptian series, Arabic of the Levantine series);
# the English forms are lower case, the Arabic ones regular-expression alternatives
GREGORIAN: list[tuple[str, str, str, str]] = [
    ("january", "jan", "يناير", "كانون الثاني"), ("february", "feb", "فبراير", "شباط"),
    ("march", "mar", "مارس", "آذار|اذار"), ("april", "apr", "أبريل|ابريل|إبريل", "نيسان"),
    ("may", "may", "مايو", "أيار|ايار"), ("june", "jun", "يونيو|يونيه", "حزيران"),
    ("july", "jul", "يوليو|يوليه", "تموز"), ("august", "aug", "أغسطس|اغسطس", "آب"),
    ("september", "sept?", "سبتمبر", "أيلول|ايلول"),
    ("october", "oct", "أكتوبر|اكتوبر", "تشرين الأول|تشرين الاول"),
    ("november", "nov", "نوفمبر", "تشرين الثاني"),
    ("december", "dec", "ديسمبر", "كانون الأول|كانون الاول"),
]  # fmt: skip
# Short Arabic spellings that are also other words ("اب" is also "father"), by month number:
# the units check reads them as months (it looks for a day beside them), a number reading does
# not take them as the month's number.
SHORT_ARABIC: dict[int, str] = {5: "ماي", 8: "اب"}
# (English, Arabic) alternatives of the Hijri months
HIJRI: list[tuple[str, str]] = [
    ("muharram", "محرم"), ("safar", "صفر"),
    ("rabi(?:'|‘|’)? ?al-? ?awwal|rabi i", "ربيع الأول|ربيع الاول"),
    ("rabi(?:'|‘|’)? ?al-? ?(?:thani|akhir)|rabi ii", "ربيع الثاني|ربيع الآخر"),
    ("jumada al-? ?(?:ula|awwal)", "جمادى الأولى|جمادى الاولى"),
    ("jumada al-? ?(?:akhirah|thani)", "جمادى الآخرة|جمادى الثانية"), ("rajab", "رجب"),
    ("sha(?:'|‘|’)?ban", "شعبان"), ("ramadan|ramadhan", "رمضان"), ("shawwal", "شوال"),
    ("dhu al-? ?qa(?:'|‘|’)?dah|dhul-qadah", "ذو القعدة|ذي القعدة"),
    ("dhu al-? ?hijjah|dhul-hijjah", "ذو الحجة|ذي الحجة"),
]  # fmt: skip


def arabic_gregorian(number: int, short: bool) -> str:
    """The Arabic alternatives of Gregorian month ``number`` (1-12), both series.

    With ``short``, the short spellings that are also other words are added, each followed by
    no further letter.
    """
    _, _, egyptian, levantine = GREGORIAN[number - 1]
    names = f"{egyptian}|{levantine}"
    if short and number in SHORT_ARABIC:
        names += rf"|{SHORT_ARABIC[number]}(?!\w)"
    return names
