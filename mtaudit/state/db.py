"""The state database: SQLite in WAL mode, like the translation cache, one row a document.

A row holds the document's record as ``records.encode`` stores it and, when the fidelity signal
ran, the translations the record depends on (``reads``: marshal bytes of ``{direction: [text]}``)
with a digest of what the translation cache held for them when the record was stored.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from mtaudit.config import Config
from mtaudit.errors import CacheError
from mtaudit.sqlitedb import WalFile, in_chunks

SCHEMA = """
DROP TABLE IF EXISTS documents;
CREATE TABLE IF NOT EXISTS records (
    content TEXT NOT NULL,
    settings TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    record BLOB NOT NULL,
    reads BLOB,
    reads_digest TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (content, settings)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS records_by_id ON records (doc_id, settings);
CREATE TABLE IF NOT EXISTS signatures (
    run_key TEXT PRIMARY KEY,
    signature TEXT NOT NULL
) WITHOUT ROWID;
"""

STATE_ENV = "MTAUDIT_STATE"
KEEP_SECONDS = 30 * 24 * 3600.0
"""Records of settings no longer in use are dropped once they are this old (30 days)."""
# (``documents`` held the JSON records of earlier versions, which no current settings key
# matches; it is dropped when the database is opened.)


class Stored(NamedTuple):
    """One stored row: the record's bytes and the translations it depends on."""

    record: bytes
    reads: bytes | None
    reads_digest: str


class Row(NamedTuple):
    """A row to store."""

    content: str
    settings: str
    doc_id: str
    record: bytes
    reads: bytes | None = None
    reads_digest: str = ""


def default_path(config: Config) -> Path:
    """The state file beside the translation cache: ``<cache folder>/state.sqlite3``."""
    from mtaudit.translate.settings import cache_path

    return cache_path(config).parent / "state.sqlite3"


class StateDB(WalFile):
    """The state database; each process opens its own connection."""

    SCHEMA = SCHEMA
    WHAT = "the state database"

    def get_many(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Stored]:
        """Stored rows by (content hash, settings key), for those present."""
        wanted = list(dict.fromkeys(keys))
        found: dict[tuple[str, str], Stored] = {}
        by_settings: dict[str, list[str]] = {}
        for content, settings in wanted:
            by_settings.setdefault(settings, []).append(content)
        try:
            for settings, contents in by_settings.items():
                for chunk, marks in in_chunks(contents):
                    rows = self.conn.execute(
                        "SELECT content, record, reads, reads_digest FROM records "
                        f"WHERE settings=? AND content IN ({marks})",
                        (settings, *chunk),
                    ).fetchall()
                    found.update({(c, settings): Stored(r, t, d) for c, r, t, d in rows})
        except sqlite3.Error as exc:
            raise CacheError(f"cannot read the state database {self.path}: {exc}") from None
        return found

    def put_many(self, rows: Iterable[Row]) -> int:
        """Store rows in one transaction.

        Older records of the same document id under the same settings are dropped.
        """
        listed = list(rows)
        now = time.time()
        data = [(*row, now) for row in listed]
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.executemany(
                    "DELETE FROM records WHERE doc_id=? AND settings=? AND content<>?",
                    [(row.doc_id, row.settings, row.content) for row in listed],
                )
                self.conn.executemany(
                    "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", data
                )
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write the state database {self.path}: {exc}") from None
        return len(data)

    def signature(self, run_key: str) -> dict[str, Any] | None:
        """The run signature stored for a run key, if any."""
        row = self.conn.execute(
            "SELECT signature FROM signatures WHERE run_key=?", (run_key,)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def put_signature(self, run_key: str, signature: dict[str, Any]) -> None:
        """Remember the signature of a run key."""
        try:
            self.conn.execute(
                "INSERT OR REPLACE INTO signatures VALUES (?, ?)",
                (run_key, json.dumps(signature, ensure_ascii=False)),
            )
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write the state database {self.path}: {exc}") from None

    def prune(self, keep: Iterable[str], older_than: float = KEEP_SECONDS) -> int:
        """Drop records stored under other settings keys than ``keep`` and older than that.

        Returns how many were dropped. Records of current settings are never dropped, so a feed
        audited rarely keeps its state; records of settings no longer in use go after a while.
        """
        kept = sorted(set(keep))
        marks = ",".join("?" * len(kept)) or "''"
        try:
            cursor = self.conn.execute(
                f"DELETE FROM records WHERE settings NOT IN ({marks}) AND updated < ?",
                (*kept, time.time() - older_than),
            )
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write the state database {self.path}: {exc}") from None
        return int(cursor.rowcount)

    def count(self) -> int:
        """How many document records are stored."""
        return int(self.conn.execute("SELECT COUNT(*) FROM records").fetchone()[0])
