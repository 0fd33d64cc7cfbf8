"""Text left untranslated: a target identical to its source, or long runs copied from it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mtaudit.checks.base import Check, CheckSettings, DocContext
from mtaudit.checks.patterns import blank_kept
from mtaudit.types import Finding, Pair

_SPACE = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
# Lower-case words that names carry ("Bank of America", "Leonardo da Vinci").
_PARTICLES = frozenset(
    ["of", "the", "and", "to", "upon", "y", "de", "del", "da", "di"]
    + ["du", "des", "la", "le", "las", "los", "van", "von", "al", "el", "bin", "ibn"]
    + ["plc", "inc", "ltd", "co", "llc", "gmbh", "sa"]
)


def normalise(text: str) -> str:
    """Case folded, white space collapsed."""
    return _SPACE.sub(" ", text.casefold()).strip()


@dataclass(frozen=True)
class UntranslatedSettings(CheckSettings):
    """``[checks.untranslated]``."""

    min_run: int


class UntranslatedCheck(Check):
    """The target repeats the source instead of translating it.

    Reports a target identical to its source (case and white space aside), and, when source
    and target are different languages, the longest run of consecutive source words copied
    into the target: ``min_run - 1`` words or more, one of them not a name (not capitalised,
    not a particle such as "de", "of", "plc"), or more than ``min_run`` words of names.
    Runs of names ("A1GP New Zealand", "Templo de San Diego") are often kept in Latin letters
    and are not reported; neither is a target identical to a source that is only a name. URLs,
    e-mail addresses, hashtags and handles are kept as they are by design (the patterns check
    asks for them) and never count as copied words.
    """

    id = "untranslated"
    settings_type = UntranslatedSettings
    settings: UntranslatedSettings

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Compare the target with its aligned source."""
        if not pair.source or pair.source_lang == pair.target_lang:
            return []
        target = pair.target.text
        if normalise(target) == normalise(pair.source) and _plain_words(blank_kept(target)):
            return [self.finding("the target is identical to the source: not translated")]
        return self._copied_run(blank_kept(pair.source), target, blank_kept(target))

    def _copied_run(self, source: str, target: str, masked: str) -> list[Finding]:
        min_run = self.settings.min_run
        target_words = list(_WORD.finditer(masked))
        if len(target_words) < min_run - 1:
            return []
        source_words = [w.casefold() for w in _WORD.findall(source)]
        keys = [m.group(0).casefold() for m in target_words]
        if len(set(source_words) & set(keys)) < min_run - 1:
            return []  # too few words in common for any copied run
        # From the first target word starting a run of min_run - 1 source words, the run is
        # extended as far as it goes on in the source, and the search resumes after it.
        runs = longest_runs(source_words, keys)
        best: tuple[int, int] = (0, 0)
        i = 0
        while i <= len(keys) - (min_run - 1):
            if runs[i] < min_run - 1 or runs[i] == 0:
                i += 1
                continue
            j = i + runs[i]
            if j - i > best[1] - best[0]:
                best = (i, j)
            i = j
        first, last = best
        if last == first:
            return []
        words = [m.group(0) for m in target_words[first:last]]
        plain = _plain_words(" ".join(words))
        # A run of names ("Templo de San Diego", "Cirque du Soleil") is often kept as it is.
        if not plain and len(words) <= min_run:
            return []
        span = (target_words[first].start(), target_words[last - 1].end())
        return [
            self.finding(
                f"{len(words)} words copied from the source untranslated: “{target[slice(*span)]}”",
                span,
            )
        ]


def _plain_words(text: str) -> int:
    """Words that are not names: not capitalised, not name particles, not numbers or codes."""
    return sum(
        1
        for w in _WORD.findall(text)
        if _LETTER.search(w)
        and not w[:1].isupper()
        and not any(c.isdigit() for c in w)
        and w.casefold() not in _PARTICLES
    )


def longest_runs(source: list[str], target: list[str]) -> list[int]:
    """For each target position, how many of the words from there on occur in a row in ``source``.

    A suffix automaton of the reversed source, walked along the reversed target, gives every
    position's longest match in time linear in both lengths (asking the source again for each
    longer run was quadratic: a feed of repeated URLs took minutes).
    """
    moves: list[dict[str, int]] = [{}]
    link, length, last = [-1], [0], 0
    for word in reversed(source):
        current = len(moves)
        moves.append({})
        length.append(length[last] + 1)
        link.append(0)
        state = last
        while state != -1 and word not in moves[state]:
            moves[state][word] = current
            state = link[state]
        if state != -1:
            nxt = moves[state][word]
            if length[state] + 1 == length[nxt]:
                link[current] = nxt
            else:
                clone = len(moves)
                moves.append(dict(moves[nxt]))
                length.append(length[state] + 1)
                link.append(link[nxt])
                while state != -1 and moves[state].get(word) == nxt:
                    moves[state][word] = clone
                    state = link[state]
                link[nxt] = link[current] = clone
        last = current
    out = [0] * len(target)
    state, matched = 0, 0
    for position in range(len(target) - 1, -1, -1):
        word = target[position]
        while state and word not in moves[state]:
            state = link[state]
            matched = length[state]
        if word in moves[state]:
            state, matched = moves[state][word], matched + 1
        else:
            state, matched = 0, 0
        out[position] = matched
    return out
