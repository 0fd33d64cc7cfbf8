"""Capitals out of place mid-sentence: "in addition to To the broader issue"."""

from __future__ import annotations

import re

from mtaudit.checks.base import Check, DocContext
from mtaudit.types import Finding, Pair

FUNCTION_WORDS = frozenset(
    [
        "to",
        "the",
        "of",
        "and",
        "or",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "an",
        "as",
        "that",
        "this",
        "which",
        "is",
        "are",
        "was",
        "were",
        "be",
        "it",
        "its",
        "into",
        "than",
        "but",
        "not",
        "their",
        "his",
        "her",
        "our",
        "these",
        "those",
    ]
)
# A lower-case word, plain white space, then a capitalised word, and what follows it: a
# capitalised function word that starts a title or name ("The Guardian", "Our Dumb World") is
# correct. The lower-case word is matched up to 200 characters (longer, the capital is missed):
# unbounded, a run like "a-a-a-…" made every start of a word scan to the end of the run.
_PAIR = re.compile(r"\b([a-z][a-z'’-]{0,199})\s+([A-Z][a-z]+)\b(?!\s+[A-Z0-9])")


class CasingCheck(Check):
    """A capitalised function word right after a lower-case word (English targets)."""

    id = "casing"

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Report capitalised function words in running text."""
        if pair.target_lang != "en":
            return []
        found: list[Finding] = []
        for match in _PAIR.finditer(pair.target.text):
            word = match.group(2)
            if word.lower() in FUNCTION_WORDS:
                found.append(self.finding(f"“{word}” is capitalised mid-sentence", match.span(2)))
        return found
