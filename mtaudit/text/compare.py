"""Comparing two texts: a sentence with its back-translation, forward translation or round trip.

Used by translation-based alignment, the fidelity signal and the chrF labels of labelled data.

Sentence-level chrF, BLEU and TER from sacrebleu, after a normalisation that suits the language:
for Arabic, diacritics and tatweel are dropped, alef/ya/ta-marbuta variants folded and
Arabic-Indic digits mapped to ASCII, and BLEU uses the Unicode-aware ``intl`` tokenizer; TER
runs with its normalisation on. chrF and TER are computed by ``mtaudit.text.chrf`` and
``mtaudit.text.ter``, which give sacrebleu's scores exactly, faster. Also: numbers and names that
a comparison text lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from mtaudit.errors import ConfigError
from mtaudit.text.chrf import Profile, f_score, matches, merged_bound, profile, statistics
from mtaudit.text.chrf import score as chrf_score
from mtaudit.text.numbers import ascii_digits, numbers

if TYPE_CHECKING:  # sacrebleu is imported when BLEU or TER is first asked for
    from sacrebleu.metrics.bleu import BLEU

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# one replace per letter: ten times faster than str.translate on Arabic text, same result
_ARABIC_FOLD = (
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"), ("،", ","), ("؛", ";"),
    ("؟", "?"),
)  # fmt: skip
_NAME = re.compile(r"\b(?:[A-Z][a-z]+(?:[-'][A-Za-z]+)*|[A-Z]{2,})\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“‘(]\s*)$")
# capitalised words that are not names when they appear mid-sentence
_NOT_NAMES = frozenset({"I", "I'm", "I've", "OK", "TV"})


def normalise(text: str, lang: str) -> str:
    """Return ``text`` in the form the metrics compare (NFKC, ASCII digits, Arabic folded)."""
    text = ascii_digits(unicodedata.normalize("NFKC", text))
    if lang == "ar":
        text = _ARABIC_MARKS.sub("", text)
        for letter, folded in _ARABIC_FOLD:
            if letter in text:
                text = text.replace(letter, folded)
    return " ".join(text.split())


METRICS = ("chrf", "bleu", "ter")


def metric_names(names: object) -> frozenset[str]:
    """The metrics to compute from a config value; chrF is always among them (findings use it)."""
    if isinstance(names, str) or not isinstance(names, list | tuple):
        raise ConfigError(f"fidelity.metrics must be a list of {list(METRICS)}, got {names!r}")
    unknown = [n for n in names if n not in METRICS]
    if unknown:
        raise ConfigError(f"fidelity.metrics: unknown metric(s) {unknown}; known: {list(METRICS)}")
    return frozenset(["chrf", *names])


# chrF scores the aligner computed lately, by (language, hypothesis, reference): the fidelity
# score of a 1-1 or 2-1 bead is a comparison the aligner already made, so it is not redone.
_RECENT: OrderedDict[tuple[str, str, str], float] = OrderedDict()
_RECENT_MAX = 20_000


def _remember(key: tuple[str, str, str], score: float) -> None:
    _RECENT[key] = score
    if len(_RECENT) > _RECENT_MAX:
        _RECENT.popitem(last=False)


class TerScorer(Protocol):
    """Sentence TER of a hypothesis against one reference, as sacrebleu scores it."""

    def score(self, hypothesis: str, reference: str) -> float:
        """TER (0-100 and above) of ``hypothesis`` against ``reference``."""
        ...


class SacrebleuTER:
    """sacrebleu's own sentence TER: the fallback when the fast path cannot be imported."""

    def __init__(self) -> None:
        from sacrebleu.metrics.ter import TER

        self.metric = TER(normalized=True)

    def score(self, hypothesis: str, reference: str) -> float:
        """TER of ``hypothesis`` against ``reference`` (``sentence_score(...).score``)."""
        return float(self.metric.sentence_score(hypothesis, [reference]).score)


def ter_scorer() -> TerScorer:
    """The fast TER (``mtaudit.text.ter``), or sacrebleu's when its internals have moved.

    The fast path reuses private parts of sacrebleu's TER (the shift search); a sacrebleu
    release that renames them makes TER slower, never wrong or unavailable.
    """
    try:
        from mtaudit.text.ter import FastTER
    except ImportError:
        return SacrebleuTER()
    return FastTER()


@lru_cache(maxsize=8)
def _metrics(lang: str) -> tuple[BLEU, TerScorer]:
    # built once per language: sacrebleu's metric objects are costly to construct (and
    # sacrebleu itself to import: a checks-only run never imports it)
    from sacrebleu.metrics.bleu import BLEU

    tokenize = "intl" if lang in ("ar", "fa", "ur", "he") else "13a"
    return BLEU(effective_order=True, tokenize=tokenize), ter_scorer()


@dataclass(frozen=True)
class Scores:
    """Sentence-level chrF, BLEU (both 0-100, higher is closer) and TER (edits per word).

    BLEU and TER are ``None`` when they were not asked for.
    """

    chrf: float
    bleu: float | None = None
    ter: float | None = None


def compare(
    hypothesis: str, reference: str, lang: str, metrics: Collection[str] = METRICS
) -> Scores:
    """Score ``hypothesis`` against ``reference``, both in language ``lang``.

    chrF always; BLEU and TER when named in ``metrics``.
    """
    want_bleu, want_ter = "bleu" in metrics, "ter" in metrics
    known = _RECENT.get((lang, hypothesis, reference))
    if known is not None and not (want_bleu or want_ter):
        return Scores(known)  # only ever remembered for two texts with something to compare
    hyp, ref = normalise(hypothesis, lang), normalise(reference, lang)
    if not hyp or not ref:
        same = hyp == ref
        return Scores(
            100.0 if same else 0.0,
            (100.0 if same else 0.0) if want_bleu else None,
            (0.0 if same else 100.0) if want_ter else None,
        )
    bleu, ter = _metrics(lang)
    return Scores(
        chrf=known if known is not None else chrf_score(profile(hyp), profile(ref)),
        bleu=bleu.sentence_score(hyp, [ref]).score if want_bleu else None,
        ter=ter.score(hyp, ref) if want_ter else None,
    )


def chrf(hypothesis: str, reference: str, lang: str) -> float:
    """Sentence chrF only (the cheap similarity the aligner uses)."""
    return chrf_score(profile(normalise(hypothesis, lang)), profile(normalise(reference, lang)))


class ChrfMemo:
    """Sentence chrF (as ``chrf``) with each text's n-grams extracted once.

    The aligner compares every target sentence (and pair of sentences) with several source
    sentences; each text's n-gram profile (``mtaudit.text.chrf``) is kept for the life of this
    object (one alignment block), and matches are set intersections. Scores equal sacrebleu's
    ``sentence_score``. ``bound`` gives an upper bound for a bead of two sentences on one side
    from the two one-to-one comparisons, without extracting the joined text.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._profiles: dict[str, Profile | None] = {}
        self._found: dict[tuple[str, str], list[int]] = {}

    def _of(self, text: str) -> Profile | None:
        if text not in self._profiles:
            self._profiles[text] = profile(normalise(text, self.lang))
        return self._profiles[text]

    def _matches(self, hyp: str, ref: str, h: Profile, r: Profile) -> list[int]:
        key = (hyp, ref)
        if key not in self._found:
            self._found[key] = matches(h, r)
        return self._found[key]

    def __call__(self, hypothesis: str, reference: str) -> float:
        """Score ``hypothesis`` against ``reference`` with chrF (0-100)."""
        hyp, ref = self._of(hypothesis), self._of(reference)
        if hyp is None or ref is None:
            return 0.0
        found = self._matches(hypothesis, reference, hyp, ref)
        result = f_score(statistics(hyp.totals, ref.totals, found))
        _remember((self.lang, hypothesis, reference), result)
        return result

    def bound(self, hypotheses: Sequence[str], references: Sequence[str]) -> float | None:
        """An upper bound for ``self(" ".join(hypotheses), " ".join(references))``.

        One side has two sentences, the other one. ``None`` when no bound is known: a text is
        empty, or the second sentence starts with a combining mark (then the joined text's
        n-grams need not be the parts' n-grams and those across the join).
        """
        merged_is_hyp = len(hypotheses) == 2
        if merged_is_hyp:
            (first, second), single = hypotheses, references[0]
        else:
            (first, second), single = references, hypotheses[0]
        if not second or unicodedata.combining(second[0]):
            return None
        one, a, b = self._of(single), self._of(first), self._of(second)
        if one is None or a is None or b is None:
            return None
        if merged_is_hyp:
            found_a = self._matches(first, single, a, one)
            found_b = self._matches(second, single, b, one)
        else:
            found_a = self._matches(single, first, one, a)
            found_b = self._matches(single, second, one, b)
        return merged_bound(a, b, one, found_a, found_b, merged_is_hyp)


def lost_numbers(text: str, other: str) -> list[tuple[str, int, int]]:
    """Numbers of ``text`` that do not occur in ``other`` (each value reported once)."""
    kept = {value for value, _, _ in numbers(other)}
    seen: set[str] = set()
    lost = []
    for value, start, end in numbers(text):
        if value not in kept and value not in seen:
            seen.add(value)
            lost.append((value, start, end))
    return lost


def names(text: str) -> list[tuple[str, int, int]]:
    """Capitalised words that are not sentence-initial, and acronyms, in Latin-script text."""
    found = []
    for m in _NAME.finditer(text):
        word = m.group()
        if word in _NOT_NAMES:
            continue
        if not word.isupper() and _SENTENCE_START.search(text[: m.start()]):
            continue
        found.append((word, m.start(), m.end()))
    return found


def lost_names(text: str, other: str) -> list[tuple[str, int, int]]:
    """Names of ``text`` that do not occur (case-insensitively, as words) in ``other``."""
    words = {w.lower() for w in re.findall(r"[\w'-]+", other)}
    seen: set[str] = set()
    lost = []
    for word, start, end in names(text):
        key = word.lower()
        if key not in words and key not in seen:
            seen.add(key)
            lost.append((word, start, end))
    return lost
