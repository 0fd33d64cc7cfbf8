"""Each check as a table of (target, source, expected findings)."""

from __future__ import annotations

import pytest

from mtaudit.checks import CHECKS
from mtaudit.config import Config
from mtaudit.pipeline import prepare, run_checks
from mtaudit.types import Document

CONFIG = Config.load().with_overrides({"checks.glossary.terms": {"الكاظمي": "Al-Kazemi"}})


def findings(
    check: str, target: str, source: str | None = None, tl: str = "en", sl: str = "ar"
) -> list[tuple[str, str | None]]:
    """Run one check; return (message start, highlighted text) per finding."""
    doc = Document("d", target, source, source_lang=sl, target_lang=tl)
    prepared = prepare(doc, CONFIG)
    instance = CHECKS[check].from_config(CONFIG)
    out = []
    for index, found in sorted(run_checks(prepared, [instance]).items()):
        text = prepared.sentences[index].text
        for f in found:
            assert f.check == check
            out.append((f.message, text[f.span[0] : f.span[1]] if f.span else None))
    return out


def spans(result: list[tuple[str, str | None]]) -> list[str | None]:
    return [span for _, span in result]


@pytest.mark.parametrize(
    ("target", "source", "expected"),
    [
        ("They paid 250 dinars in 2021.", "دفعوا 250 دينارا في عام ٢٠٢١.", []),
        ("It will include 14 new stations.", "وستشمل 12 محطة جديدة.", [None, "14"]),
        ("The total was 1,000.5 dinars.", "بلغ المجموع ١٬٠٠٠٫٥ دينار.", []),
        ("At 9:30 on 31/7/2021 they met.", "اجتمعوا الساعة 9.30 يوم 2021-07-31.", []),
        ("Bases were attacked seven times in July.", "هوجمت القواعد 7 مرات في تموز.", []),
        ("Bases were attacked 7 times.", "هوجمت القواعد سبع مرات.", []),
        ("He met 3 ministers.", None, []),
        ("The 2021 plan.", "", []),
        # False alarms on human references (FLORES-dev), each a row.
        # Arabic dual carries the number 2.
        ("He had 2 goals and 2 assists.", "سجّل هدفين ومرر تمريرتين حاسمتين.", []),
        ("During his 2 hour speech he spoke.", "وخلال خطابه الذي استمر لمدة ساعتين تحدث.", []),
        # Spelled out on the source side, including Arabic ordinals and teens.
        ("He met three ministers.", "التقى ثلاثة وزراء.", []),
        ("Around the 15th century, it changed.", "في حوالي القرن الخامس عشر تغير.", []),
        ("The 11th Hussars seized the fort.", "استولى الهوسار الحادي عشر على الحصن.", []),
        ("On October 7 an engine separated.", "في السابع من تشرين الأول انفصل محرك.", []),
        # Decades.
        ("It served since the 1970s.", "خدمت منذ سبعينيات القرن العشرين.", []),
        ("In the 1960s he returned.", "عاد في الستينيات.", []),
        ("It became Belgian after the 1830s revolution.", "بعد الثورة في ثلاثينيات القرن.", []),
        # Dozens.
        ("The show has more than two-dozen awards.", "حصل البرنامج على أكثر من 24 جائزة.", []),
        ("Staff live in some four dozen bases.", "يعيش الموظفون في حوالي 48 قاعدة.", []),
        # Percentages either way.
        ("The most violent two percent last long.", "تدوم أعنف 2% طويلا.", []),
        ("Prices rose 5 per cent.", "ارتفعت الأسعار بنسبة ٥٪.", []),
        # Numbers split or merged by units and scale words; Arabic comma as thousands mark.
        ("It covers 2.2 million km2 of ocean.", "تمتد على 2.2 مليون كيلومتر مربع.", []),
        ("They need 1,200,000 signatures.", "يريدون 1.2 مليون توقيع.", []),
        ("It occupies 783,562 square kilometres.", "تحتل 783،562 كيلومتر مربع.", []),
        ("It gives 3136 mm2 versus 864.", "تعطي 3136 مم2 مقابل 864.", []),
        ("It gives 3136 mm2 versus 864.", "تعطي 3136 مم 2 مقابل 864.", []),
        ("The flat is 300 m2.", "تبلغ مساحة الشقة 300 م2.", []),
        ("He is out for the 2009 season.", "يغيب لما تبقى من موسم 2009.", []),
        ("KV62 may be the most famous tomb.", "ربما تكون المقبرة الأشهر.", []),
        ("A 4x4 is advised; many sites need a 4x4.", "ينصح بالدفع الرباعي 4x4 والرباعي.", []),
        # Clitics glued to digits are not letters of a code.
        ("Hall and 34 others were indicted.", "اتهم هال و34 آخرين.", []),
        ("He retired in 2006.", "تقاعد في عام2006.", []),
        # Ranges.
        ("It lasts 3-4 days.", "يستمر من 3 إلى 4 أيام.", []),
        ("It lasts 3-4 days.", "يستمر ثلاثة إلى أربعة أيام.", []),
        ("It lasts 3-5 days.", "يستمر من 3 إلى 4 أيام.", [None, "3-5"]),
        # Years in both calendars where marked.
        ("It was founded in 2021.", "تأسست عام 1443 هـ (2021 م).", []),
        ("It was founded in 1443 AH.", "تأسست عام 1443 هـ.", []),
        ("It was founded in 2022.", "تأسست عام 1443 هـ (2021 م).", [None, "2022"]),
        # Halves: "an hour and a half" is 1.5 hours, and so is "ساعة ونصف".
        ("It lasted 1.5 hours.", "استمر ساعة ونصف.", []),
        ("It lasted 2.5 hours.", "استمر ساعتين ونصف.", []),
        ("It lasted a year and a half.", "استمر 1.5 سنة.", []),
        ("It lasted 1.5 hours.", "استمر ساعتين ونصف.", ["1.5"]),
        # Newsroom abbreviations of scales; "m" and "k" only after a currency sign.
        ("The deal is worth $2.3bn.", "تبلغ قيمة الصفقة 2.3 مليار دولار.", []),
        ("The club paid £50m for him.", "دفع النادي 50 مليون جنيه إسترليني.", []),
        ("Debt reached $1.2tn.", "بلغ الدين 1.2 تريليون دولار.", []),
        ("He earns $500k a year.", "يكسب 500 ألف دولار سنوياً.", []),
        ("He won the 100m sprint.", "فاز في سباق 100 متر.", []),
        ("About 50m people live there.", "يعيش هناك نحو 50 مليون شخص.", []),
        ("Output fell by 2m barrels a day.", "تراجع الإنتاج مليوني برميل يومياً.", []),
        ("The wall is 3m high; 50m people.", "ارتفاع الجدار 3 أمتار؛ 50 شخصا.", [None, "50"]),
        ("She won the 100m women's final.", "فازت في نهائي 100 متر للسيدات.", []),
        ("The deal is worth $2.3bn.", "تبلغ قيمة الصفقة 3.2 مليار دولار.", [None, "2.3"]),
        # Half of a scale: "ثلاثة ملايين ونصف المليون" = 3.5 million.
        ("About 3.5 million people voted.", "صوّت نحو ثلاثة ملايين ونصف المليون شخص.", []),
        ("About 1.5 million people voted.", "صوّت نحو مليون ونصف المليون شخص.", []),
        ("It cost 2.5 billion dinars.", "كلف ملياران ونصف المليار دينار.", []),
        ("About 3.5 million people voted.", "صوّت نحو ٣ ملايين ونصف.", []),
        ("صوّت نحو 3.5 مليون شخص.", "About three and a half million people voted.", []),
        ("About 4.5 million people voted.", "صوّت نحو ثلاثة ملايين ونصف المليون شخص.", ["4.5"]),
        ("About 3.5 million people voted.", "صوّت نحو ثلاثة ملايين شخص.", ["3.5"]),
        # A number word times a scale, and Arabic tens read whole ("أربعين" is 40, not 4).
        ("More than 100,000 refugees arrived.", "وصل أكثر من مئة ألف لاجئ.", []),
        (
            "Iraq's population is about 40 million.",
            "يبلغ عدد سكان العراق نحو أربعين مليون نسمة.",
            [],
        ),
        ("45 people were killed.", "قتل خمسة وأربعون شخصا.", []),
        ("It cost 25,000 dollars.", "كلف خمسة وعشرين ألف دولار.", []),
        ("The lira fell to 15,000 to the dollar.", "تراجعت الليرة إلى 15 ألفاً للدولار.", []),
        ("وصل أكثر من 350000 لاجئ.", "More than three hundred and fifty thousand refugees.", []),
        ("وصل 25000000 لاجئ.", "Twenty-five million refugees arrived.", []),
        ("46 people were killed.", "قتل خمسة وأربعون شخصا.", ["46"]),
        ("Between 2 million and 3 million years.", "بين مليوني وثلاثة ملايين عام.", []),
        # Ordinal compounds, hundreds, months by name, clock fractions, scores, idioms.
        ("It is the 21st century.", "إنه القرن الحادي والعشرون.", []),
        ("The conference drew 1,500 delegates.", "استقطب المؤتمر ألفاً وخمسمئة مندوب.", []),
        ("The attacks of 9/11 changed everything.", "غيرت هجمات 11 أيلول كل شيء.", []),
        ("The talks begin at 9.30am.", "تبدأ المحادثات في التاسعة والنصف صباحاً.", []),
        ("The match ended 3-0.", "انتهت المباراة بثلاثة أهداف دون رد.", []),
        ("The shop is open 24/7.", "المتجر مفتوح على مدار الساعة.", []),
        ("The attacks of 9/12 changed everything.", "غيرت هجمات 11 أيلول كل شيء.", [None, "9/12"]),
        ("The match ended 3-1.", "انتهت المباراة بثلاثة أهداف دون رد.", ["3-1"]),
        ("The talks begin at 9.45am.", "تبدأ المحادثات في التاسعة والنصف صباحاً.", ["9.45"]),
        ("The conference drew 1,700 delegates.", "استقطب المؤتمر ألفاً وخمسمئة مندوب.", ["1,700"]),
        # A wire-style time, a quarter or a half of a scale.
        ("الهجوم وقع الساعة 05:00 بتوقيت غرينتش.", "The attack happened at 0500 GMT.", []),
        ("About 250,000 people were displaced.", "نزح نحو ربع مليون شخص.", []),
        ("نزح نحو 500 ألف شخص.", "Half a million people were displaced.", []),
        ("About 350,000 people were displaced.", "نزح نحو ربع مليون شخص.", ["350,000"]),
        # A measurement converted to another unit of its kind (rounded) is the same number.
        ("تبعد المدينة 300 كيلومتر عن بغداد.", "The city is 186 miles from Baghdad.", []),
        ("وصلت درجة الحرارة إلى 50 درجة مئوية.", "The temperature reached 122F.", []),
        ("يزن الطرد 4.5 كيلوغرام.", "The parcel weighs 10 pounds.", []),
        ("بلغت سرعته 193 كم/ساعة.", "It reached 120 mph.", []),
        ("The river is 1,900 miles long.", "يبلغ طول النهر 3,058 كيلومتر.", []),
        # ... with the names the units check knows too (one table of units serves both)
        ("بلغت سرعته 193 km/س.", "It reached 120 mph.", []),
        ("يزن الطرد 4.5 كيلو.", "The parcel weighs 10 pounds.", []),
        ("يزن الطرد 2.3 كيلوغرام.", "The parcel weighs 5 باوند.", []),
        ("تزن القطعة 2 أوقية.", "The piece weighs 56 grams.", []),
        ("يبلغ طوله 3 يارد.", "It is 9 feet long.", []),
        ("وصلت درجة الحرارة إلى 50 مئوي.", "The temperature reached 122F.", []),
        (
            "تبعد المدينة 400 كيلومتر عن بغداد.",
            "The city is 186 miles from Baghdad.",
            [None, "400"],
        ),
        ("وصلت درجة الحرارة إلى 60 درجة مئوية.", "The temperature reached 122F.", [None, "60"]),
        # Real changes are still reported.
        ("He had 3 goals.", "سجّل هدفين.", ["3"]),
        ("A 4x7 is advised.", "ينصح بسيارة 4x4.", [None, "4x7"]),
        # A number word that the other side also spells cannot excuse a changed digit.
        ("The worst 3% last three hours.", "تدوم أعنف 2% ثلاث ساعات.", [None, "3"]),
        ("It was built in the 17th century.", "بني في القرن الخامس عشر.", ["17"]),
    ],
)
def test_numbers(target: str, source: str | None, expected: list[str | None]) -> None:
    assert spans(findings("numbers", target, source)) == expected


@pytest.mark.parametrize(
    ("target", "tl", "sl", "source", "expected"),
    [
        ("Residents of الدورة complained.", "en", "ar", None, ["الدورة"]),
        ("Residents of Al-Dora complained.", "en", "ar", None, []),
        ("A single letter ب is fine.", "en", "ar", None, []),
        (
            "قال إن the meeting كان مهماً.",
            "ar",
            "en",
            "He said the meeting was important.",
            ["the meeting"],
        ),
        ("قالت وكالة UTC إن الاجتماع مهم.", "ar", "en", "UTC said the meeting matters.", []),
        # Arabic targets: names, quoted words and particles inside names are not untranslated.
        ("شارع Callejon del Beso جميل.", "ar", "en", "Callejon del Beso (Alley of the Kiss).", []),
        ('من الكلمة اللاتينية "cella" وتعني غرفة.', "ar", "en", 'The Latin word "cella".', []),
        ("يوجد wifi في الفندق.", "ar", "en", "The hotel has wifi.", ["wifi"]),
        (
            "وثّق نفسه himself in كتاب.",
            "ar",
            "en",
            "He documented himself in a book.",
            ["himself in"],
        ),
        (
            "ودرس في New York University and Harvard Law School ثم غادر.",
            "ar",
            "en",
            "He studied at New York University and Harvard Law School and left.",
            [],
        ),
        (
            "كانت هناك احتجاجات في جميع prosecutions, and the leaders of the حكومتي.",
            "ar",
            "en",
            "There were prosecutions, and the leaders of the governments resigned.",
            ["prosecutions", "and the leaders of the"],
        ),
        # URLs, e-mail addresses, hashtags and handles are kept as they are
        (
            "التفاصيل على www.health.gov.iq وعبر press@health.gov.iq و#covid_update و@iraq_health.",
            "ar",
            "en",
            "Details on www.health.gov.iq, press@health.gov.iq, #covid_update and @iraq_health.",
            [],
        ),
        (
            "التفاصيل على health.gov.iq وعلى bbc.co.uk/news ووفق بيانات flightradar24.",
            "ar",
            "en",
            "Details on health.gov.iq and bbc.co.uk/news and flightradar24 data.",
            [],
        ),
        (
            "قال please visit www.health.gov.iq for more اليوم.",
            "ar",
            "en",
            "Please visit www.health.gov.iq for more.",
            ["please visit www.health.gov.iq for more"],
        ),
    ],
)
def test_script(target: str, tl: str, sl: str, source: str | None, expected: list[str]) -> None:
    assert spans(findings("script", target, source, tl, sl)) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("Institutions controlled or controlled by them.", ["controlled or controlled"]),
        ("He said the the report was late.", ["the the"]),
        ("More and more people came again and again.", []),
        ("He had had enough of it.", []),
        ("Many, many people came; it took a long, long time.", []),
        ("They spent their honeymoon in Bora Bora.", []),
        ("The officials of Iraq Iraq met.", ["Iraq Iraq"]),
        ("They met in the city in the city centre.", ["in the city in the city"]),
        (
            "The war the war the war the war goes on.",
            ["The war the war the war the war", "The war the war the war the war"],
        ),
        ("Prices rose by 5 5 percent.", []),
        ("We will fight, and we will win.", []),
        # Correct English doubles and coordinations.
        ("He said that that was wrong.", []),
        ("Humans have made lenses for thousands and thousands of years.", []),
        ("It would parody the news—and news reporting—as students.", []),
        ("It caused the emission of light, and light is radiation.", []),
        ("It suits most shoes, for the heels or heels and sole.", []),
        ('One character "Õ/õ" was added.', []),
        # A phrase that returns far apart is not a loop; one that returns close is.
        (
            "Electricity flowing into the socket can shock you if you touch the inside of the "
            "socket or the base of the bulb while it is still partly in the socket.",
            [],
        ),
        (
            "It is the Aegean Sea to the west, the Black Sea to the north and the Red Sea to "
            "the south.",
            [],
        ),
        (
            "He said it was over, it was over, it was over, and left.",
            [
                "it was over, it was over",
                "it was over, it was over, it was over",
            ],
        ),
        (
            'She said, "There is no hope "There is no hope at all.',
            ['There is no hope "There is no hope'],
        ),
        # Arabic: clitics, idioms and spelled acronyms.
        ("قال إن الحرب والحرب مستمرة.", ["الحرب والحرب"]),
        ("قال إن الحرب الحرب مستمرة.", ["الحرب الحرب"]),
        ("ارتفعت الأسعار رويدا رويدا.", []),
        ("حصل برنامج بي بي إس على جوائز.", []),
        ("عاش هنا منذ آلاف وآلاف السنين.", []),
        ("ولكن معظمها سيكون له تأثير فعلى على الأداء.", []),
        ("يقضي الزوّار محدودو الوقت وقتَهم هنا.", []),
        ("في في المدينة حدث ذلك.", ["في في"]),
    ],
)
def test_repetition(target: str, expected: list[str]) -> None:
    assert spans(findings("repetition", target)) == expected


@pytest.mark.parametrize(
    ("target", "source", "expected"),
    [
        (
            "The governor welcomed the decision.",
            "ورحب المحافظ بالقرار، وشكر وزارة البلديات على دعمها، وتعهد بمتابعة تنفيذ المشاريع "
            "ومحاسبة الشركات المتلكئة في العمل.",
            ["part of the source may be missing"],
        ),
        (
            "The council approved the budget on Tuesday after a long debate.",
            "وافق المجلس على الموازنة يوم الثلاثاء بعد نقاش طويل.",
            [],
        ),
        (
            "The council approved the budget on Tuesday after a long debate, and the minister "
            "said that the people of the city will see results, and that nothing will stop it.",
            "وافق المجلس.",
            ["it may add text"],
        ),
        ("Yes.", "نعم.", []),
        # a long sentence far below the expected length (short ones: see below)
        (
            "The governor said the council approved the budget on Tuesday.",
            "قال المحافظ إن المجلس وافق على الموازنة يوم الثلاثاء بعد نقاش طويل استمر ساعات، وإن "
            "الوزارة ستبدأ تنفيذ المشاريع الجديدة في الأحياء الشرقية من المدينة خلال الشهر المقبل.",
            ["part of the source may be missing"],
        ),
    ],
)
def test_length(target: str, source: str, expected: list[str]) -> None:
    messages = [m for m, _ in findings("length", target, source)]
    assert len(messages) == len(expected)
    for message, part in zip(messages, expected, strict=True):
        assert part in message


def test_a_short_sentence_translated_tersely_is_within_the_spread() -> None:
    """59% of the expected length, but 12 characters short of 29: human translations vary that
    much; the same ratio over a long sentence is reported."""
    source = 'He said: "We will not back down."'
    assert findings("length", "قال: «لن نتراجع».", source, "ar", "en") == []
    long_source = (
        'He said: "We will not back down, and the talks with the unions and the employers will go'
        ' on for many weeks until an agreement is reached."'
    )
    target = "قال: «لن نتراجع، وستستمر المحادثات أسابيع»."
    [(message, _)] = findings("length", target, long_source, "ar", "en")
    assert "part of the source may be missing" in message


def test_a_percentage_counts_as_its_sign_in_any_spelling() -> None:
    target = "بلغت نسبة المشاركة 41 في المائة."  # "41 in the hundred": 9 characters for "%"
    assert findings("length", target, "Turnout was 41%.", "ar", "en") == []
    assert findings("length", "Turnout was 41 per cent.", "بلغت نسبة المشاركة 41٪.") == []


def test_overlong_sentence() -> None:
    long = "word " * 300 + "end."
    [(message, _)] = findings("length", long)
    assert "characters long" in message


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("He called it “equivalent to ISIS, and left.", ["“"]),
        ("He said (in a statement that it was over.", ["("]),
        ("It was over) he said.", [")"]),
        ("“It is over. We are done,” he said.", []),
        ('He said "it is over" and left.', []),
        ('He said "it is over and left.', ['"']),
        ("It’s the minister’s view.", []),
        ("قال «انتهى الأمر» ثم غادر.", []),
    ],
)
def test_brackets(target: str, expected: list[str]) -> None:
    assert spans(findings("brackets", target)) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("It began. The report said the militias were responsible for the", ["the", "the"]),
        ("Headline without a full stop but many words here\n\nBody sentence here.", []),
        ("First sentence here.\nand a fragment follows it here.", ["and"]),
        ("He met the prime minister and.", ["and"]),
        ("The report was published on Monday.", []),
        ("Short line\nAnother short line.", []),
        # A finished sentence may end on a preposition; a cut-off one rarely has a full stop.
        ("This tomb has almost never been tampered with.", []),
        ("Requirements depend on the country you come from.", []),
        ("The view from the window can be great to look at.", []),
        ("The minister said he would travel to", ["to"]),
        ("The minister said he would meet the.", ["the"]),
    ],
)
def test_truncation(target: str, expected: list[str]) -> None:
    assert spans(findings("truncation", target)) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("It is, in addition to To the broader issue, a signal.", ["To"]),
        ("He flew to Baghdad on Monday.", []),
        ("The Bank Of America reported.", []),
        ("He said: The matter is closed.", []),
        ("They want plan A to work.", []),
        # A capitalised function word that starts a title or name is correct.
        ("British newspaper The Guardian suggested it.", []),
        ("Long before The Daily Show, they met.", []),
        ("It launched a world atlas called Our Dumb World.", []),
    ],
)
def test_casing(target: str, expected: list[str]) -> None:
    assert spans(findings("casing", target)) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("The minister&#39;s office called.", ["&#39;"]),
        ("Citizens must &quot;rationalize&quot; use.", ["&quot;"]),
        ("The cafÃ© closed.", ["fÃ©"]),
        ("Ordinary text with “curly quotes” and Iraq’s name.", []),
        ("Hidden \u202eevil text.", ["\u202e"]),
        ("Bell \x07 rings.", ["\x07"]),
        ("Text <b>bold</b> here.", ["<b>"]),
        ("The result was 3 < 5 and 7 > 2.", []),
    ],
)
def test_encoding(target: str, expected: list[str]) -> None:
    assert spans(findings("encoding", target)) == expected


def test_bidi_override_is_critical() -> None:
    doc = Document("d", "Hidden \u202eevil text.")
    prepared = prepare(doc, CONFIG)
    check = CHECKS["encoding"].from_config(CONFIG)
    [found] = run_checks(prepared, [check])[0]
    assert found.severity.label == "critical"


@pytest.mark.parametrize(
    ("target", "source", "expected"),
    [
        ("Al-Kazemi met the envoy.", "التقى الكاظمي المبعوث.", 0),
        ("Al-Kadhimi met the envoy.", "التقى الكاظمي المبعوث.", 1),
        ("Al-Kadhimi met the envoy.", "التقى الكاظِمي المبعوث.", 1),
        ("The envoy left.", "غادر المبعوث.", 0),
    ],
)
def test_glossary(target: str, source: str, expected: int) -> None:
    assert len(findings("glossary", target, source)) == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("The council met today in Baghdad. It ended. The council met today in Baghdad.", 1),
        ("It ended. It ended.", 0),
        ("Fine.\n\n—\n\nAlso fine.", 1),
    ],
)
def test_segments(target: str, expected: int) -> None:
    assert len(findings("segments", target)) == expected


def test_every_check_survives_hostile_and_odd_input() -> None:
    hostile = "<script>alert('x')</script> \u202e&#0; ؟؟ ((( ”” " + "ab " * 50
    for name in CHECKS:
        for source in (None, "", hostile):
            findings(name, hostile, source)
