"""Unbalanced quotes and brackets; sentences cut off or missing their final punctuation."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from mtaudit.checks.base import Check, CheckSettings, DocContext, Hit
from mtaudit.checks.fragments import has_verb, stray_stops
from mtaudit.text.segment import CLOSERS, TERMINALS
from mtaudit.types import Finding, Pair, Severity

OPENERS = {"(": ")", "[": "]", "{": "}", "“": "”", "«": "»"}
CLOSING = {v: k for k, v in OPENERS.items()}
_DANGLING = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "or",
        "but",
        "with",
        "for",
        "from",
        "by",
        "in",
        "on",
        "at",
        "as",
        "that",
        "which",
        "whose",
        "than",
        "into",
        "ال",
        "و",
        "في",
        "من",
        "على",
        "إلى",
    ]
)


# English prepositions a finished sentence may end on ("a crust you can stand on.", "the country
# you come from."): after a full stop they are not reported; a cut-off sentence rarely has one
_STRANDABLE = frozenset(["on", "in", "at", "from", "into", "with", "for", "by", "to"])


def last_word(text: str) -> tuple[int, int] | None:
    """The span of the last run of word characters in ``text``; scans from the end only."""
    end = len(text)
    while end and not _word(text[end - 1]):
        end -= 1
    start = end
    while start and _word(text[start - 1]):
        start -= 1
    return (start, end) if start < end else None


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


class BracketsCheck(Check):
    """Quotes and brackets opened and never closed (or closed and never opened).

    Balance is kept across the sentences of a paragraph, since a quotation may span several.
    """

    id = "brackets"

    def document(self, ctx: DocContext) -> Iterator[Hit]:
        """Walk each paragraph with a stack of open marks."""
        for _, group in groupby(ctx.sentences, key=lambda s: s.paragraph):
            stack: list[tuple[str, int, int]] = []  # mark, sentence index, offset
            for sent in group:
                for pos, char in enumerate(sent.text):
                    if char == '"':
                        if stack and stack[-1][0] == '"':
                            stack.pop()
                        else:
                            stack.append((char, sent.index, pos))
                    elif char in OPENERS:
                        stack.append((char, sent.index, pos))
                    elif char in CLOSING:
                        if stack and stack[-1][0] == CLOSING[char]:
                            stack.pop()
                        else:
                            yield (
                                sent.index,
                                self.finding(
                                    f"“{char}” closes nothing that was opened", (pos, pos + 1)
                                ),
                            )
            for mark, index, pos in stack:
                yield index, self.finding(f"“{mark}” is opened but never closed", (pos, pos + 1))


@dataclass(frozen=True)
class TruncationSettings(CheckSettings):
    """``[checks.truncation]``."""

    min_words: int
    joined_severity: Severity
    verbless_severity: Severity


class TruncationCheck(Check):
    """Sentences cut off or joined wrongly.

    No final punctuation, a dangling last word, a lower-case start; and for English, a full stop
    before a lower-case word inside the sentence, or running prose with no verb (a piece of the
    sentence before it).
    """

    id = "truncation"
    settings_type = TruncationSettings
    settings: TruncationSettings

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Look at how the sentence starts and ends."""
        text = pair.target.text
        found: list[Finding] = []
        stripped = text.rstrip(CLOSERS + " ")
        words = text.split()
        alone = ctx.paragraph_sizes[pair.target.paragraph] == 1
        heading = alone and stripped[-1:] not in TERMINALS
        min_words = self.settings.min_words
        last = last_word(stripped)
        if not heading and len(words) >= min_words and stripped[-1:] not in TERMINALS + ":":
            where = last or (len(text) - 1, len(text))
            found.append(self.finding("sentence does not end with punctuation: cut off?", where))
        word = stripped[slice(*last)] if last else ""
        stranded = word.lower() in _STRANDABLE and stripped[-1:] in TERMINALS
        if last and word.lower() in _DANGLING and len(words) >= 2 and not stranded:
            found.append(self.finding(f"sentence ends on “{word}”: cut off?", last))
        first = words[0] if words else ""
        if pair.target_lang != "en":
            return found
        if first[:1].islower() and first.isalpha():
            found.append(
                self.finding(
                    f"sentence starts in lower case (“{first}”): a fragment of another sentence?",
                    (0, len(first)),
                )
            )
        for start, end in stray_stops(text):
            found.append(
                self.finding(
                    f"full stop before a lower-case word (“{text[start:end]}”): "
                    "two sentences joined wrongly, or one cut off?",
                    (start, end),
                    self.settings.joined_severity,
                )
            )
        # A piece of the sentence before it has one: the first sentence of a paragraph without a
        # verb is a heading, a dateline or a label ("Phnom Krom, 12 km from Siem Reap.").
        if pair.previous is not None and stripped[-1:] in TERMINALS and not has_verb(text):
            found.append(
                self.finding(
                    "no verb: a fragment of the sentence before it?",
                    (0, len(stripped)),
                    self.settings.verbless_severity,
                )
            )
        return found
