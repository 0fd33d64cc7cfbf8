"""The translation cache: SQLite in WAL mode, shared by concurrent audits, resumable.

A row is keyed by (model, revision, direction, decoding settings, text). Rows are written per
batch in their own transaction, so an interrupted run keeps what it translated and a rerun
translates only what is missing. Imported translations (``mtaudit cache import``) are rows like
any other, so a run uses them exactly as if the model had produced them.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from mtaudit.errors import CacheError
from mtaudit.sqlitedb import WalFile, in_chunks
from mtaudit.translate import TranslationKey, Translator

log = logging.getLogger("mtaudit")

SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    model TEXT NOT NULL,
    revision TEXT NOT NULL,
    direction TEXT NOT NULL,
    decoding TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    translation TEXT NOT NULL,
    origin TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (model, revision, direction, decoding, text_hash)
) WITHOUT ROWID;
"""


def normalise(text: str) -> str:
    """Return the form of a text the cache stores and looks up (whitespace stripped)."""
    return text.strip()


def text_hash(text: str) -> str:
    """Return the SHA-256 of the normalised text (the key column)."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheStats:
    """One group of cached rows."""

    model: str
    revision: str
    direction: str
    decoding: str
    origin: str
    rows: int


@dataclass(frozen=True)
class ImportCounts:
    """What an import did, counted in distinct source texts.

    ``new``: not cached before; ``replaced``: another translation was cached; ``unchanged``: the
    same translation was cached. ``duplicates``: input lines repeating an earlier source text,
    ``conflicting`` of them with another translation (the last one is kept).
    """

    new: int
    replaced: int
    unchanged: int
    duplicates: int = 0
    conflicting: int = 0

    @property
    def stored(self) -> int:
        """Rows written (new and replaced)."""
        return self.new + self.replaced


class TranslationCache(WalFile):
    """A SQLite file of translations; each process opens its own connection."""

    SCHEMA = SCHEMA
    WHAT = "the translation cache"

    def get_many(self, key: TranslationKey, texts: Iterable[str]) -> dict[str, str]:
        """Return ``{normalised text: translation}`` for the texts that are cached."""
        wanted = {text_hash(t): normalise(t) for t in texts}
        found: dict[str, str] = {}
        hashes = list(wanted)
        for chunk, marks in in_chunks(hashes):
            rows = self.conn.execute(
                "SELECT text_hash, translation FROM translations WHERE model=? AND revision=? "
                f"AND direction=? AND decoding=? AND text_hash IN ({marks})",
                (key.model, key.revision, key.direction, key.decoding, *chunk),
            ).fetchall()
            for h, translation in rows:
                found[wanted[h]] = translation
        return found

    def missing(self, key: TranslationKey, texts: Iterable[str]) -> list[str]:
        """Return the distinct non-empty texts (normalised) that are not cached, in order."""
        distinct = list(dict.fromkeys(normalise(t) for t in texts if normalise(t)))
        found = self.get_many(key, distinct)
        return [t for t in distinct if t not in found]

    def put_many(
        self, key: TranslationKey, pairs: Iterable[tuple[str, str]], origin: str = "model"
    ) -> int:
        """Store (text, translation) pairs in one transaction; return how many texts were stored.

        Texts are stored in their normalised form, so pairs whose texts normalise to the same
        one count once (the last translation is kept); empty texts are skipped.
        """
        distinct = self._distinct(pairs)
        self._write(key, distinct, origin)
        return len(distinct)

    def import_pairs(
        self, key: TranslationKey, pairs: Iterable[tuple[str, str]], origin: str
    ) -> ImportCounts:
        """Store pairs like ``put_many`` and say what changed: new, replaced, unchanged rows."""
        given = [(normalise(t), tr) for t, tr in pairs if normalise(t)]
        distinct = self._distinct(given)
        first: dict[str, str] = {}
        conflicting = 0
        for text, translation in given:
            if text in first and first[text] != translation:
                conflicting += 1
            first.setdefault(text, translation)
        existing = self.get_many(key, distinct)
        counts = ImportCounts(
            new=sum(1 for t in distinct if t not in existing),
            replaced=sum(1 for t, tr in distinct.items() if t in existing and existing[t] != tr),
            unchanged=sum(1 for t, tr in distinct.items() if existing.get(t) == tr),
            duplicates=len(given) - len(distinct),
            conflicting=conflicting,
        )
        self._write(key, {t: tr for t, tr in distinct.items() if existing.get(t) != tr}, origin)
        return counts

    @staticmethod
    def _distinct(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        return {normalise(t): tr for t, tr in pairs if normalise(t)}

    def _write(self, key: TranslationKey, rows: dict[str, str], origin: str) -> None:
        now = time.time()
        values = [
            (key.model, key.revision, key.direction, key.decoding, text_hash(t), t, tr, origin, now)
            for t, tr in rows.items()
        ]
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.executemany(
                    "INSERT OR REPLACE INTO translations VALUES (?,?,?,?,?,?,?,?,?)", values
                )
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write to the translation cache {self.path}: {exc}") from None

    def stats(self) -> list[CacheStats]:
        """Row counts grouped by model, revision, direction, decoding and origin."""
        rows = self.conn.execute(
            "SELECT model, revision, direction, decoding, origin, COUNT(*) FROM translations "
            "GROUP BY model, revision, direction, decoding, origin ORDER BY model, direction"
        ).fetchall()
        return [CacheStats(*row) for row in rows]

    def clear(self, model: str | None = None, direction: str | None = None) -> int:
        """Delete rows (all, or those of one model and/or direction); return how many."""
        where, args = [], []
        if model:
            where.append("model=?")
            args.append(model)
        if direction:
            where.append("direction=?")
            args.append(direction)
        sql = "DELETE FROM translations" + (" WHERE " + " AND ".join(where) if where else "")
        cur = self.conn.execute(sql, args)
        return cur.rowcount


class CachedTranslator:
    """A translator that answers from the cache and sends only misses to the model.

    ``factory`` builds the real backend; it is called at most once, on the first miss, so a run
    whose translations are all cached never loads (or needs) the model. Misses are translated
    and committed batch by batch.
    """

    def __init__(
        self,
        key: TranslationKey,
        cache: TranslationCache,
        factory: Callable[[], Translator],
        *,
        batch_size: int = 16,
    ) -> None:
        self.key = key
        self.cache = cache
        self.factory = factory
        self.batch_size = max(1, batch_size)
        self._backend: Translator | None = None
        self.translated = 0
        self.from_cache = 0

    def signature(self) -> dict[str, str]:
        """The resolved state: the cache key, the engine actually used and where outputs came from.

        ``origin`` is ``cache`` (no model ran), ``model`` or ``cache+model``.
        """
        sig = {
            "model": f"{self.key.model}@{self.key.revision}",
            "direction": self.key.direction,
            "decoding": self.key.decoding,
            "engine": "none (all cached)",
        }
        backend_signature = getattr(self._backend, "signature", None)
        if callable(backend_signature):
            sig.update({k: v for k, v in backend_signature().items() if k not in sig})
            sig["engine"] = str(backend_signature().get("engine", "unknown"))
        parts = [name for name, n in (("cache", self.from_cache), ("model", self.translated)) if n]
        sig["origin"] = "+".join(parts) or "unused"
        return sig

    @property
    def backend(self) -> Translator:
        """The real model backend, loaded on first use."""
        if self._backend is None:
            self._backend = self.factory()
        return self._backend

    def complete(self, texts: Sequence[str]) -> bool:
        """Whether every text is already cached (no model needed)."""
        return not self.cache.missing(self.key, texts)

    def translate(self, texts: Sequence[str]) -> list[str]:
        """Return one translation per text, translating and caching the misses."""
        missing = self.cache.missing(self.key, texts)
        if missing:
            log.info("%s: %d texts not cached, translating", self.key.describe(), len(missing))
            # sort by length so batches are of similar lengths; commit each batch
            missing.sort(key=len)
            step = self.batch_size * 4
            for start in range(0, len(missing), step):
                chunk = missing[start : start + step]
                out = self.backend.translate(chunk)
                self.cache.put_many(self.key, zip(chunk, out, strict=True))
                self.translated += len(chunk)
        found = self.cache.get_many(self.key, texts)
        self.from_cache += len({normalise(t) for t in texts if normalise(t)}) - len(missing)
        return [found.get(normalise(t), "") if normalise(t) else "" for t in texts]
