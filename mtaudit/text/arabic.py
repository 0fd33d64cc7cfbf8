"""Arabic diacritics, which the checks ignore when they compare words."""

from __future__ import annotations

import re

TASHKEEL = re.compile(r"[\u064b-\u065f\u0670\u0640]")
"""Harakat, tanween, shadda and sukun, the dagger alef, and the tatweel that stretches a word."""


def without_tashkeel(text: str) -> str:
    """``text`` without Arabic diacritics or tatweel ("كيلومتراً" is "كيلومترا")."""
    return TASHKEEL.sub("", text)
