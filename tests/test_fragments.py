"""Broken joins and verbless fragments: the seed article's real sentences, and references that
must stay silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtaudit.checks.fragments import has_verb, stray_stops
from tests.test_checks import findings

SEED_BARZANI = (
    "The report called on the United States to make it a priority to direct the Iraqi political "
    "parties allied with it, towards concluding this big deal, explaining that Washington has "
    "helped the Kurdistan Regional Government and Baghdad to improve relations between them "
    "since Al-Kazemi and the Prime Minister of Kurdistan Region, Masrour Barzani. his position."
)
SEED_RESPONSIBLE = (
    "The report called for dealing with “Iran’s proxy groups as the same problem and they are "
    "directly responsible.” about terrorism and turmoil in the country."
)
SEED_KILLING = (
    "adding that the forces acting as a proxy for Iran are responsible for the killing. More "
    "than 600 Iraqis, thousands of protesters wounded, activists murdered or kidnapped, and "
    "Iraq “turned into a republic of fear.”"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SEED_BARZANI, ["Barzani. his"]),
        (SEED_RESPONSIBLE, ["responsible.” about"]),
        ("They met at 9.30 a.m. local time.", []),
        ("Fruit, e.g. apples, and tools etc. were sold.", []),
        ("He waited... then he left.", []),
        ("J. smith is a typo but an initial.", []),
        ("The site example.com is down.", []),
        ("It is over. He left.", []),
        ("It ended (see above. but not here).", ["above. but"]),
    ],
)
def test_stray_stops(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in stray_stops(text)] == expected


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        # the seed article's fragment: a list of noun phrases and participles
        (
            "More than 600 Iraqis, thousands of protesters wounded, activists murdered or "
            "kidnapped, and Iraq “turned into a republic of fear.”",
            False,
        ),
        ("Thousands of people in the streets of Baghdad and Basra on Friday.", False),
        # human FLORES-dev references, headlines and datelines: never verbless
        ("When the official arrived, the apartment exploded.", True),
        ('"We were all simply in shock," the mother stated.', True),
        ("In Berlin, police estimated 6,500 protestors.", True),
        ("He died in Osaka on Tuesday.", True),
        ("This causes the skater to turn.", True),
        ("Fish often die because of the high concentrations of the toxin in the waters.", True),
        ("Over 60 cruise ships ply the Galapagos waters.", True),
        ("The nucleus consists of two particles - neutrons and protons.", True),
        ("Fill your home with a rich coffee in the morning.", True),
        ("We experience time as a series of events.", True),
        ("Baghdad council approves new budget for water projects", True),
        ("Five killed in Baghdad blast on Monday", True),
        ("BAGHDAD, July 31 (Reuters) -", True),
        ("“The talks are over,” he said.", True),
    ],
)
def test_has_verb(text: str, verb: bool) -> None:
    assert has_verb(text) is verb


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (
            "The report called on the United States to act, said Masrour Barzani. his position.",
            ["Barzani. his"],
        ),
        (
            SEED_KILLING,
            [
                "More than 600 Iraqis, thousands of protesters wounded, activists "
                "murdered or kidnapped, and Iraq “turned into a republic of fear."
            ],
        ),
        # a headline alone in its paragraph is not prose: no verb needed
        ("Thousands of protesters in the streets of Baghdad on Friday.", []),
        ("The talks ended. Officials said they would meet again.", []),
        # the first sentence of a paragraph is a label or dateline, not a piece of another
        ("Phnom Krom, 12 km from Siem Reap. This hilltop temple was built in the 9th century.", []),
    ],
)
def test_truncation_reports_joins_and_fragments(target: str, expected: list[str]) -> None:
    found = findings("truncation", target)
    joins = [span for msg, span in found if msg.startswith(("full stop", "no verb"))]
    assert joins == expected


def test_verbless_rule_is_quiet_on_human_references(shared_data: Path) -> None:
    lines = (shared_data / "flores-dev" / "ar-en" / "flores-dev.en").read_text().splitlines()
    verbless = [line for line in lines if not has_verb(line)]
    stray = [line for line in lines if stray_stops(line)]
    assert len(lines) == 997
    assert len(verbless) <= 2  # measured: 1 ("If traveling with a laptop ..., store a copy")
    assert stray == []
