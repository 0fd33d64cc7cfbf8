"""Units of measurement in English and Arabic: one table for the checks that read them.

The ``units`` check asks whether the kind of a measurement (a length, a mass ...) still has a
unit in the target; the ``numbers`` check asks ``measures`` whether two numbers are one
measurement written in two units of a kind ("186 miles" → "300 كيلومتر").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    r"""A unit of measurement: its kind, its names and, where it is converted, its factor.

    Names are regular-expression alternatives, matched without case. A conversion reads them as
    whole words after a number. The units check reads the English names as whole words and the
    Arabic ones as the start of a word, because Arabic adds endings: ``يارد(?:ة|ات)?`` is the
    word يارد, ياردة or ياردات to a conversion and any word that starts with يارد to the units
    check. A name that ends in ``(?!\w)`` is a whole word to both.
    """

    kind: str
    english: str
    arabic: str
    # The factor to the kind's base unit (km/h, m², m, kg); for a temperature, its scale (0 for
    # Celsius, 1 for Fahrenheit: the conversion has an offset). None: not converted.
    factor: float | None = None
    # A letter that stands for the unit right after a number ("50C"). A conversion reads it
    # there; the units check only glued to a number in a target, since a source's "5C" may be
    # a name ("iPhone 5C") that the target need not mark as a temperature.
    symbol: str = ""


_DEGREE = r"°(?!\s?(?:[NSEW]\b|شمال|جنوب|شرق|غرب))"
"""A degree sign, but not of a longitude or latitude ("35°W", "35° غربًا")."""

# Squares are written with a 2 or a superscript ² ("km2", "km²", "كم²"). Kinds in the order the
# units check tries them, and units within a kind in the order a conversion tries them: speed
# and area before length, whose units they contain ("km/h", "km2"), and longer units before the
# shorter ones they start with.
UNITS: list[Unit] = [
    Unit(
        "speed",
        r"km\s*/\s*h(?:our)?|kph|(?:km|kilomet(?:re|er)s?) (?:per|an|a|in an) hour",
        r"(?:كم|km)\s*/\s*(?:س|ساعة)|كيلومترا?ت? في (?:ال)?ساعة",
        1.0,
    ),
    Unit("speed", r"mph|miles? (?:per|an|a|in an) hour", r"ميلا? في (?:ال)?ساعة", 1.609344),
    Unit("speed", r"knots?", r"عقد[ةه]"),
    Unit(
        "area",
        r"km[2²]|sq\.?\s*km|square kilomet(?:re|er)s?",
        r"كيلومترا?ت? مربع[ةا]?|كم ?[2²]|كم مربع",
        1e6,
    ),
    Unit("area", r"mi²|sq\.?\s*mi|square miles?", r"ميلا? مربع[ةا]?|أميال مربعة", 2_589_988.0),
    Unit("area", r"hectares?", r"هكتار(?:اً|ا|ات)?", 1e4),
    # as the start of a word, أكر would also be أكراد and أكرم
    Unit("area", r"acres?", r"أكرا?(?!\w)", 4046.856),
    Unit(
        "area", r"m[2²]|sq\.?\s*m|square met(?:re|er)s?", r"مترا? مربع[ةا]?|أمتار مربعة|م[2²]", 1.0
    ),
    # not converted (the feddan and the dunam differ by country)
    Unit("area", r"mm[2²]|cm[2²]|sq\.?\s*ft|ft²", r"مم ?[2²]|سم ?[2²]|فدان|دونم"),
    # any square unit, for the units check (a conversion needs to know which)
    Unit("area", r"square", r"مربع"),
    # كم alone, whole: as the start of a word it is also كما ("as") and كمية ("quantity")
    Unit("length", r"km|kilomet(?:re|er)s?", r"كم(?!\w)|كيلو ?متر(?:اً|ا|ات)?", 1000.0),
    Unit("length", r"miles?|mi", r"ميل(?:اً|ا)?|أميال|اميال", 1609.344),
    Unit("length", r"cm|centimet(?:re|er)s?", r"سم|سنتيمتر(?:اً|ا|ات)?", 0.01),
    Unit("length", r"mm|millimet(?:re|er)s?", r"مم|ملم|مليمتر(?:اً|ا|ات)?", 0.001),
    Unit("length", r"m|met(?:re|er)s?", r"متر(?:اً|ا)?|أمتار|امتار", 1.0),
    Unit("length", r"feet|foot|ft", r"قدم(?:اً|ا)?|أقدام", 0.3048),
    # whole words: بوص also starts بوصفه ("as"), إنش also إنشاء
    Unit("length", r"inch(?:es)?", r"بوص(?:ة|ات)?(?!\w)|إنش(?!\w)", 0.0254),
    Unit("length", r"yards?", r"يارد(?:ة|ات)?", 0.9144),
    # not converted: a bare م is also the mark of a Gregorian year
    Unit("length", "", r"م(?!\w)"),
    # كيلو alone is a kilogram; not كيلو متر
    Unit("mass", r"kg|kilo(?:gram)?s?", r"كغ|كجم|كيلو(?! ?مت)(?:[غج]رام(?:اً|ا|ات)?)?", 1.0),
    Unit("mass", r"tonnes?|tons?", r"طن(?:اً|ا)?|أطنان|اطنان", 1000.0),
    Unit("mass", r"pounds?|lbs?", r"رطل(?:اً|ا)?|أرطال|ارطال|باوند", 0.45359237),
    Unit("mass", r"ounces?|oz", r"[أا]ونص(?:ة|ات)?|[أا]وقي(?:ة|ات)?", 0.028349523),
    Unit("mass", r"grams?|g", r"غرام(?:اً|ا|ات)?|جرام(?:اً|ا|ات)?", 0.001),
    Unit(
        "temperature",
        r"°\s*C|degrees? (?:celsius|centigrade)|celsius",
        # المئوية is a percentage or a centenary ("النسبة المئوية", "الذكرى المئوية")
        r"درجة مئوية|درجات مئوية|(?<!ال)مئوي(?:ة)?",
        0.0,
        "C",
    ),
    Unit(
        "temperature",
        r"°\s*F|degrees? fahrenheit|fahrenheit",
        r"درجة فهرنهايت|درجات فهرنهايت|فهرنهايت",
        1.0,
        "F",
    ),
    # any degree, for the units check, but a magnitude "on the Richter scale" is no temperature,
    # nor a longitude or latitude ("35°W")
    Unit(
        "temperature",
        rf"{_DEGREE}|degrees?(?![^.]{{0,30}}Richter)",
        rf"{_DEGREE}|درج(?![^.،]{{0,30}}ريختر)",
    ),
    Unit(
        "currency",
        r"dollars?|euros?|dinars?|riyals?|dirhams?|lira|yen|rupees?|cents?",
        r"دولار|يورو|جنيه|دينار|ريال|درهم|ليرة|ين(?!\w)|روبي|سنت(?!ي)",
    ),
    Unit(
        "percentage",
        r"%|٪|percent|per cent|percentage",
        r"%|٪|بالمئة|بالمائة|في المئة|في المائة|نسبة|المئوية",
    ),
]

TEMPERATURE_SYMBOLS = "".join(unit.symbol for unit in UNITS if unit.kind == "temperature")
"""The letters that stand for a temperature right after a number ("50C", "122F")."""
