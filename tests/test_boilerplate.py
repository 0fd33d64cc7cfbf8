"""Page furniture against article prose (mtaudit.text.boilerplate), one paragraph at a time."""

from __future__ import annotations

import pytest

from mtaudit.text.boilerplate import find_blocks
from mtaudit.text.segment import paragraphs


@pytest.mark.parametrize(
    ("paragraph", "reason"),
    [
        ("Share this:", "share bar"),
        ("© 2021 Shafaq News. All rights reserved", "site furniture"),
        (
            "Reports & AnalyticsWashingtonbreakingISISShiite factionsMustafa Al-Kazemi "
            "2021-07-31 14:38",
            "byline, date or tag list",
        ),
        ("HomeNewsWorldSportsOpinion", "words run together (tags or navigation)"),
        ("PoliticsIraq BaghdadWater Elections", "words run together (tags or navigation)"),
        # prose that names brands and was cut off before its full stop is still prose
        (
            "The ministry said the new service would reach customers through the iPhone app and a "
            "YouTube channel before the end of",
            None,
        ),
        ("The council approved the budget for the water projects on Tuesday.", None),
        ("Apple showed the iPhone and YouTube stars attended.", None),  # it ends with a stop
    ],
)
def test_furniture_or_prose(paragraph: str, reason: str | None) -> None:
    found = find_blocks(paragraph, paragraphs(paragraph))
    assert [block.reason for _, block in found] == ([reason] if reason else [])
