"""Repeated words and phrases: "controlled or controlled", "the the", MT loops."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from mtaudit.checks.base import Check, DocContext
from mtaudit.types import Finding, Pair

_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
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
    ]
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


class RepetitionCheck(Check):
    """Immediate repeats, "X or X" coordinations, and n-grams looping through a sentence."""

    id = "repetition"

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Find doubled n-grams, self-coordinations and loops in the target sentence."""
        text = pair.target.text
        matches = list(_TOKEN.finditer(text))
        words = [m.group(0).lower() for m in matches]
        allowed = {str(w).lower() for w in self.settings.get("allowed_doubles", [])}
        max_n = int(self.settings.get("max_ngram", 6))
        loop_count = int(self.settings.get("loop_count", 3))
        found: list[Finding] = []
        covered = -1  # words before this index already belong to a reported repeat

        def span(first: int, last: int) -> tuple[int, int]:
            return matches[first].start(), matches[last].end()

        for i in range(len(words)):
            if i < covered:
                continue
            for n in range(min(max_n, (len(words) - i) // 2), 0, -1):
                if words[i : i + n] != words[i + n : i + 2 * n]:
                    continue
                if n == 1 and (words[i] in allowed or words[i].isdigit()):
                    continue
                phrase = text[slice(*span(i, i + n - 1))]
                found.append(self.finding(f"repeated “{phrase}”", span(i, i + 2 * n - 1)))
                covered = i + 2 * n
                break
            else:
                if i + 2 < len(words) and words[i] == words[i + 2] and words[i] not in STOPWORDS:
                    joint = words[i + 1]
                    if joint == "or" or (joint == "and" and words[i] not in IDIOMS):
                        phrase = text[slice(*span(i, i + 2))]
                        found.append(
                            self.finding(
                                f"word coordinated with itself: “{phrase}”", span(i, i + 2)
                            )
                        )
                        covered = i + 3
        found.extend(self._loops(text, matches, words, max_n, loop_count))
        return found

    def _loops(
        self, text: str, matches: list[re.Match[str]], words: list[str], max_n: int, count: int
    ) -> list[Finding]:
        # A looping n-gram holds a word that is not a stopword and so occurs ``count`` times.
        frequent = {w for w, k in Counter(words).items() if k >= count and w not in STOPWORDS}
        if not frequent:
            return []
        for n in range(max_n, 1, -1):
            seen: dict[tuple[str, ...], list[int]] = defaultdict(list)
            for i in range(len(words) - n + 1):
                gram = tuple(words[i : i + n])
                if all(w in STOPWORDS for w in gram):
                    continue
                starts = seen[gram]
                if not starts or i >= starts[-1] + n:
                    starts.append(i)
            gram, starts = max(seen.items(), key=lambda kv: len(kv[1]), default=((), []))
            if len(starts) >= count:
                first, last = starts[0], starts[-1] + n - 1
                return [
                    self.finding(
                        f"“{' '.join(gram)}” occurs {len(starts)} times: the translation loops",
                        (matches[first].start(), matches[last].end()),
                    )
                ]
        return []
