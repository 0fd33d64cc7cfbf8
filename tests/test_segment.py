import pytest

from mtaudit.text.segment import paragraphs, split_sentences

CASES = [
    ("Dr. Ali paid 1,000.5 dinars. He left.", "en", ["Dr. Ali paid 1,000.5 dinars.", "He left."]),
    ('He said "It is over." Then he left.', "en", ['He said "It is over."', "Then he left."]),
    (
        "The U.S. Army came at 9.30 a.m. local time.",
        "en",
        ["The U.S. Army came at 9.30 a.m. local time."],
    ),
    ("J. Smith spoke. Mr. Brown agreed!", "en", ["J. Smith spoke.", "Mr. Brown agreed!"]),
    ("Is it true? Yes… It is.", "en", ["Is it true?", "Yes…", "It is."]),
    ("“It is over.” He left.", "en", ["“It is over.”", "He left."]),
    ("the report said. about terrorism", "en", ["the report said. about terrorism"]),
    (
        "هل ستنجح الخطة؟ لا أحد يعلم. وأضاف، بحسب التقرير؛ إن 1,000.5 دينار.",
        "ar",
        ["هل ستنجح الخطة؟", "لا أحد يعلم.", "وأضاف، بحسب التقرير؛ إن 1,000.5 دينار."],
    ),
    ("قال: «انتهى الأمر.» ثم غادر.", "ar", ["قال: «انتهى الأمر.»", "ثم غادر."]),
    (
        "# Title\n\nA line that wraps\nonto the next. Next one.",
        "en",
        ["Title", "A line that wraps\nonto the next.", "Next one."],
    ),
    ("1. First point. Second.\n2. Next point", "en", ["First point.", "Second.", "Next point"]),
    ("- item one\n- item two", "en", ["item one", "item two"]),
    ("", "en", []),
    ("   \n\n  ", "en", []),
    # the look-back at each mark stops at the word or line it belongs to
    ("Costs rose approx. Forty said so.", "en", ["Costs rose approx. Forty said so."]),
    ("Internationalisation. Then more.", "en", ["Internationalisation.", "Then more."]),
    ("See U.S.A. News here.", "en", ["See U.S.A. News here."]),
    ("He won 12. Then lost.", "en", ["He won 12.", "Then lost."]),
    ("Intro line\n  12. Twelfth point", "en", ["Intro line", "Twelfth point"]),
    ("Wait... What?! No.", "en", ["Wait...", "What?!", "No."]),
    (
        "A line ends here,\n   and goes on. Done.",
        "en",
        ["A line ends here,\n   and goes on.", "Done."],
    ),
]


@pytest.mark.parametrize(("text", "lang", "expected"), CASES)
def test_split(text: str, lang: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text, lang)] == expected


@pytest.mark.parametrize(("text", "lang", "_"), CASES)
def test_offsets_point_into_the_text(text: str, lang: str, _: object) -> None:
    for sent in split_sentences(text, lang):
        assert text[sent.start : sent.end] == sent.text


def test_paragraph_numbers() -> None:
    text = "One. Two.\n\n\nThree.\n \nFour."
    assert [s.paragraph for s in split_sentences(text)] == [0, 0, 1, 2]
    assert len(paragraphs(text)) == 3


def test_long_texts_split_like_short_ones() -> None:
    """The same sentences in a long paragraph or one per line split the same way."""
    sentences = ["Dr. Ali paid 1,000.5 dinars.", "J. Smith agreed!", "Is it true?", "“Yes.”"]
    many = sentences * 2500
    assert [s.text for s in split_sentences(" ".join(many))] == many
    assert [s.text for s in split_sentences("\n".join(many))] == many
