"""Repeated words and phrases: "controlled or controlled", "the the", MT loops."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from mtaudit.checks.base import Check, CheckSettings, DocContext
from mtaudit.text.arabic import without_tashkeel
from mtaudit.types import Finding, Pair

_TOKEN = re.compile(r"[\w\u064b-\u065f\u0670]+(?:['’]\w+)*")
# Arabic clitics: the conjunction و is not part of the word when comparing ("الحرب والحرب"
# coordinates one word with itself); loops also ignore the article ال.
_CONJUNCTION = re.compile(r"^و(?=\w{3})")
_ARTICLE = re.compile(r"^ال(?=\w{2})")
# What may stand between the two halves of an immediate repeat: white space, commas and quotes
# for one word ("the the", but not "Õ/õ" or "news—news"), any punctuation for longer phrases.
_WORD_GAP = re.compile(r"[\s,،\"“”'‘’]*\s[\s,،\"“”'‘’]*")
_PHRASE_GAP = re.compile(r"[^\w/]+")
# "X and X" is idiomatic for these; "X or X" never is.
IDIOMS = frozenset(
    [
        "more",
        "again",
        "over",
        "on",
        "round",
        "through",
        "better",
        "worse",
        "less",
        "fewer",
        "faster",
        "slower",
        "further",
        "higher",
        "lower",
        "bigger",
        "smaller",
        "louder",
        "closer",
        "longer",
        "out",
        "back",
        "forth",
        "thousands",
        "hundreds",
        "millions",
        "billions",
        "years",
        "months",
        "weeks",
        "days",
        "hours",
        "miles",
        "آلاف",
        "مئات",
        "ملايين",
        "مرارا",
    ]
)
# Arabic doublings that are correct: "رويدا رويدا" (little by little), "جدا جدا", and letter
# names in spelled acronyms ("بي بي سي" = BBC).
ARABIC_DOUBLES = frozenset(
    ["رويدا", "شيئا", "جدا", "بي", "سي", "دي", "تي", "جي", "إم", "إس", "إن", "إل", "إي", "آي"]
)
STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "as",
        "from",
        "his",
        "her",
        "their",
        "our",
        "your",
        "my",
        "we",
        "they",
        "he",
        "she",
        "i",
        "you",
        "not",
        "no",
        "so",
        "than",
        "then",
        "و",
        "في",
        "من",
        "على",
        "إلى",
        "الى",
        "أن",
        "ان",
        "عن",
        "مع",
        "هذا",
        "هذه",
        "التي",
        "الذي",
    ]
)


@dataclass(frozen=True)
class RepetitionSettings(CheckSettings):
    """``[checks.repetition]``."""

    max_ngram: int
    loop_count: int
    loop_gap: int
    allowed_doubles: tuple[str, ...]


class RepetitionCheck(Check):
    """Immediate repeats, "X or X" coordinations, and n-grams looping through a sentence."""

    id = "repetition"
    settings_type = RepetitionSettings
    settings: RepetitionSettings

    def __init__(self, settings: CheckSettings) -> None:
        super().__init__(settings)
        self.allowed = {w.lower() for w in self.settings.allowed_doubles} | ARABIC_DOUBLES

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Find doubled n-grams, self-coordinations and loops in the target sentence."""
        text = pair.target.text
        matches = list(_TOKEN.finditer(text))
        words = [_key(m.group(0)) for m in matches]
        conj = [_conjoined(m.group(0)) for m in matches]
        allowed = self.allowed
        max_n = self.settings.max_ngram
        loop_count = self.settings.loop_count
        loop_gap = self.settings.loop_gap
        found: list[Finding] = []
        covered = -1  # words before this index already belong to a reported repeat

        def span(first: int, last: int) -> tuple[int, int]:
            return matches[first].start(), matches[last].end()

        def gap(first: int, second: int) -> str:
            return text[matches[first].end() : matches[second].start()]

        for i in range(len(words)):
            if i < covered:
                continue
            for n in range(min(max_n, (len(words) - i) // 2), 0, -1):
                if words[i : i + n] != words[i + n : i + 2 * n]:
                    continue
                if n == 1 and (words[i] in allowed or words[i].isdigit()):
                    continue
                if not (_WORD_GAP if n == 1 else _PHRASE_GAP).fullmatch(gap(i + n - 1, i + n)):
                    continue
                if conj[i + n] and words[i] in IDIOMS:
                    continue  # "آلاف وآلاف": the Arabic "thousands and thousands"
                phrase = text[slice(*span(i, i + n - 1))]
                if conj[i + n]:
                    message = f"word coordinated with itself: “{text[slice(*span(i, i + n))]}”"
                else:
                    message = f"repeated “{phrase}”"
                found.append(self.finding(message, span(i, i + 2 * n - 1)))
                covered = i + 2 * n
                break
            else:
                if i + 2 < len(words) and words[i] == words[i + 2] and words[i] not in STOPWORDS:
                    joint = words[i + 1]
                    plain = all(gap(k, k + 1).isspace() for k in (i, i + 1))
                    after = words[i + 3] if i + 3 < len(words) else ""
                    if (
                        plain
                        and after not in ("and", "or")
                        and (joint == "or" or (joint == "and" and words[i] not in IDIOMS))
                    ):
                        phrase = text[slice(*span(i, i + 2))]
                        found.append(
                            self.finding(
                                f"word coordinated with itself: “{phrase}”", span(i, i + 2)
                            )
                        )
                        covered = i + 3
        stems = [_ARTICLE.sub("", w) if w[:1] >= "\u0600" else w for w in words]
        # A loop is an n-gram with a word that is not a stop word: that word must occur
        # loop_count times.
        counts = Counter(w for w in stems if w not in STOPWORDS)
        if len(stems) >= 2 * loop_count and max(counts.values(), default=0) >= loop_count:
            found.extend(self._loops(matches, stems, max_n, loop_count, loop_gap))
        return found

    def _loops(
        self, matches: list[re.Match[str]], words: list[str], max_n: int, count: int, gap: int
    ) -> list[Finding]:
        """An n-gram that comes back ``count`` times with at most ``gap`` words between."""
        for n in range(max_n, 1, -1):
            seen: dict[tuple[str, ...], list[int]] = defaultdict(list)
            for i in range(len(words) - n + 1):
                gram = tuple(words[i : i + n])
                if all(w in STOPWORDS for w in gram):
                    continue
                starts = seen[gram]
                if not starts or i >= starts[-1] + n:
                    starts.append(i)
            gram, starts = max(
                ((g, _densest(s, n, gap)) for g, s in seen.items() if len(s) >= count),
                key=lambda kv: len(kv[1]),
                default=((), []),
            )
            if len(starts) >= count:
                first, last = starts[0], starts[-1] + n - 1
                return [
                    self.finding(
                        f"“{' '.join(gram)}” occurs {len(starts)} times: the translation loops",
                        (matches[first].start(), matches[last].end()),
                    )
                ]
        return []


def _key(token: str) -> str:
    """A token as compared for repeats: case folded; Arabic without diacritics and clitics."""
    token = token.lower()
    if token[:1] >= "\u0600":
        token = _CONJUNCTION.sub("", without_tashkeel(token))
    return token


def _conjoined(token: str) -> bool:
    """Whether an Arabic token carries the conjunction و as a clitic."""
    return token[:1] == "و" and len(token) > 3


def _densest(starts: list[int], n: int, gap: int) -> list[int]:
    """The longest run of occurrences with at most ``gap`` words between neighbours."""
    best: list[int] = []
    run: list[int] = []
    for start in starts:
        if run and start - run[-1] - n > gap:
            run = []
        run.append(start)
        if len(run) > len(best):
            best = list(run)
    return best
