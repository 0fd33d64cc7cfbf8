"""Comparing two texts: a sentence with its back-translation, forward translation or round trip.

Used by translation-based alignment, the fidelity signal and the chrF labels of labelled data.

Sentence-level chrF, BLEU and TER from sacrebleu, after a normalisation that suits the language:
for Arabic, diacritics and tatweel are dropped, alef/ya/ta-marbuta variants folded and
Arabic-Indic digits mapped to ASCII, and BLEU uses the Unicode-aware ``intl`` tokenizer; TER
runs with its normalisation on. Also: numbers and names that a comparison text lost.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.metrics.helpers import extract_all_char_ngrams
from sacrebleu.metrics.ter import TER

from mtaudit.errors import ConfigError
from mtaudit.text.numbers import ascii_digits, numbers

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "،": ",", "؛": ";", "؟": "?"}
)
_NAME = re.compile(r"\b(?:[A-Z][a-z]+(?:[-'][A-Za-z]+)*|[A-Z]{2,})\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“‘(]\s*)$")
# capitalised words that are not names when they appear mid-sentence
_NOT_NAMES = frozenset({"I", "I'm", "I've", "OK", "TV"})


def normalise(text: str, lang: str) -> str:
    """Return ``text`` in the form the metrics compare (NFKC, ASCII digits, Arabic folded)."""
    text = ascii_digits(unicodedata.normalize("NFKC", text))
    if lang == "ar":
        text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
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


@lru_cache(maxsize=8)
def _metrics(lang: str) -> tuple[CHRF, BLEU, TER]:
    tokenize = "intl" if lang in ("ar", "fa", "ur", "he") else "13a"
    return CHRF(), BLEU(effective_order=True, tokenize=tokenize), TER(normalized=True)


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
    hyp, ref = normalise(hypothesis, lang), normalise(reference, lang)
    want_bleu, want_ter = "bleu" in metrics, "ter" in metrics
    if not hyp or not ref:
        same = hyp == ref
        return Scores(
            100.0 if same else 0.0,
            (100.0 if same else 0.0) if want_bleu else None,
            (0.0 if same else 100.0) if want_ter else None,
        )
    chrf, bleu, ter = _metrics(lang)
    known = _RECENT.get((lang, hypothesis, reference))
    return Scores(
        chrf=known if known is not None else chrf.sentence_score(hyp, [ref]).score,
        bleu=bleu.sentence_score(hyp, [ref]).score if want_bleu else None,
        ter=ter.sentence_score(hyp, [ref]).score if want_ter else None,
    )


def chrf(hypothesis: str, reference: str, lang: str) -> float:
    """Sentence chrF only (the cheap similarity the aligner uses)."""
    hyp, ref = normalise(hypothesis, lang), normalise(reference, lang)
    if not hyp or not ref:
        return 0.0
    return float(_metrics(lang)[0].sentence_score(hyp, [ref]).score)


class ChrfMemo:
    """Sentence chrF (as ``chrf``) with each text's character n-grams extracted once.

    The aligner compares every target sentence (and pair of sentences) with several source
    sentences; extracting n-grams is most of chrF's cost, so they are kept per text for the life
    of this object (one alignment block), with their totals, and matches are counted over the
    n-grams both texts share. Scores equal sacrebleu's ``sentence_score``.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.metric = _metrics(lang)[0]
        self._ngrams: dict[str, list[tuple[Counter[str], int]] | None] = {}

    def _of(self, text: str) -> list[tuple[Counter[str], int]] | None:
        if text not in self._ngrams:
            norm = normalise(text, self.lang)
            self._ngrams[text] = (
                [
                    (grams, sum(grams.values()))
                    for grams in extract_all_char_ngrams(
                        norm, self.metric.char_order, self.metric.whitespace
                    )
                ]
                if norm
                else None
            )
        return self._ngrams[text]

    def __call__(self, hypothesis: str, reference: str) -> float:
        """Score ``hypothesis`` against ``reference`` with chrF (0-100)."""
        hyp, ref = self._of(hypothesis), self._of(reference)
        if hyp is None or ref is None:
            return 0.0
        stats: list[int] = []
        for (h, h_total), (r, r_total) in zip(hyp, ref, strict=True):
            # sacrebleu's _get_match_statistics, counted over the shared n-grams only
            match = sum(min(h[g], r[g]) for g in h.keys() & r.keys())
            stats.extend((h_total if r else 0, r_total, match))
        score = float(self.metric._compute_f_score(stats))
        _remember((self.lang, hypothesis, reference), score)
        return score


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
