"""The cached translations a stored record depends on, and a digest of them.

With the fidelity signal on, a document's verdicts depend on translations that come from the
translation cache: those a model made earlier and those ``mtaudit cache import`` put there (an
imported translation is used exactly as if the model had made it, even when the model is on
disk). The settings key names the models, not what the cache holds for this document's
sentences, so each stored record also keeps the texts it had translated, per direction, and a
digest of the cache's answers for them (a translation, or none). A rerun asks the cache again
for those texts (one query per 500 texts and direction, for the whole feed) and audits again
the documents whose digest changed; every other document keeps its record.

The texts are read back from the record itself: each sentence's target text into the source
language (back-translation, the first leg of the round trip, and alignment by translation), its
aligned source into the target language (forward translation) and, for a sentence without a
source, its stored back-translation into the target language (the round trip's second leg);
only for the parts ``[fidelity] parts`` turns on. A sentence without a source whose round trip
did not run (its translations were not all cached) has no stored back-translation: its target
is read through both legs instead (``chained``: the cached translation of its cached
back-translation), so that importing the missing leg later audits it again. Without the fidelity
signal nothing here runs: the translation cache is neither opened nor read.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Sequence

from mtaudit.config import Config
from mtaudit.runfile import RunDocument
from mtaudit.translate.cache import normalise

Reads = dict[str, list[str]]
"""Texts translated for a record, by direction (``"en-ar"``, or ``chained``), normalised, without
repeats."""


_THEN = ">"


def chained(back: str, forth: str) -> str:
    """The reads key of texts read through ``back`` and then ``forth`` (the round trip)."""
    return f"{back}{_THEN}{forth}"


def uses_translations(signals: Sequence[str]) -> bool:
    """Whether records made with these signals depend on the translation cache."""
    return "fidelity" in signals


class TranslationReads:
    """Derives a record's reads and digests what the translation cache holds for them."""

    def __init__(self, config: Config) -> None:
        from mtaudit.settings import settings_of
        from mtaudit.signals.fidelity import FidelitySettings
        from mtaudit.translate.shared import Translations

        self.config = config
        parts = set(settings_of(config, FidelitySettings).parts)
        self.backward = bool(parts & {"back_translation", "round_trip"})
        self.forward = "forward" in parts
        self.round_trip = "round_trip" in parts
        self.translations = Translations(config)

    def close(self) -> None:
        """Close the translation cache if it was opened."""
        self.translations.close()

    def of(self, record: RunDocument) -> Reads:
        """The texts the fidelity signal had translated for this record, by direction."""
        src, tgt = record.source_lang, record.target_lang
        back, forth = f"{tgt}-{src}", f"{src}-{tgt}"
        trip = chained(back, forth)
        found: dict[str, dict[str, None]] = {back: {}, forth: {}, trip: {}}
        for sent in record.sentences:
            text = normalise(sent.text)
            source = normalise(sent.source or "")
            if text and self.backward:
                found[back][text] = None
            if source:
                if self.forward:
                    found[forth][source] = None
            elif self.round_trip:
                first = normalise(sent.texts.get("back_translation") or "")
                if first:
                    found[forth][first] = None
                elif text:
                    found[trip][text] = None
        return {direction: list(texts) for direction, texts in found.items() if texts}

    def digests(self, reads: Sequence[Reads]) -> list[str]:
        """The digest of the cache's answers for each record's reads (one lookup for all)."""
        wanted: dict[str, dict[str, None]] = {}
        for one in reads:
            for direction, texts in one.items():
                wanted.setdefault(direction, {}).update(dict.fromkeys(texts))
        answers = {
            direction: self._answers(direction, list(texts)) for direction, texts in wanted.items()
        }
        out = []
        for one in reads:
            sha = hashlib.sha256()
            for direction in sorted(one):
                found = answers[direction]
                sha.update(f"\x1d{direction}".encode())
                for text in sorted(one[direction]):
                    answer = found.get(text)
                    sha.update(f"\x1e{text}\x1f{'' if answer is None else answer}".encode())
                    sha.update(b"\x00" if answer is None else b"\x01")
            out.append(sha.hexdigest())
        return out

    def _answers(self, direction: str, texts: list[str]) -> dict[str, str]:
        """The cache's translations of ``texts`` (normalised keys), through both legs if chained."""
        if _THEN not in direction:
            return self.translations.cached(direction, texts)
        back, _, forth = direction.partition(_THEN)
        firsts = self.translations.cached(back, texts)
        seconds = self.translations.cached(forth, list(firsts.values()))
        return {
            text: second
            for text, first in firsts.items()
            if (second := seconds.get(normalise(first))) is not None
        }


def dump(reads: Reads) -> bytes:
    """The stored form of a record's reads."""
    return marshal.dumps(reads)


def load(blob: bytes | None) -> Reads | None:
    """Reads from their stored form; ``None`` when absent or not readable."""
    if blob is None:
        return None
    try:
        value = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        return None
    return value if isinstance(value, dict) else None
