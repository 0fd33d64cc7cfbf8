"""The state database: SQLite in WAL mode, like the translation cache, one row a document."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mtaudit.config import Config
from mtaudit.errors import CacheError
from mtaudit.sqlitedb import WalFile, in_chunks

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    content TEXT NOT NULL,
    settings TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    result TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (content, settings)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_by_id ON documents (doc_id, settings);
CREATE TABLE IF NOT EXISTS signatures (
    run_key TEXT PRIMARY KEY,
    signature TEXT NOT NULL
) WITHOUT ROWID;
"""

STATE_ENV = "MTAUDIT_STATE"
KEEP_SECONDS = 30 * 24 * 3600.0
"""Records of settings no longer in use are dropped once they are this old (30 days)."""


def default_path(config: Config) -> Path:
    """The state file beside the translation cache: ``<cache folder>/state.sqlite3``."""
    from mtaudit.translate.settings import cache_path

    return cache_path(config).parent / "state.sqlite3"


class StateDB(WalFile):
    """The state database; each process opens its own connection."""

    SCHEMA = SCHEMA
    WHAT = "the state database"

    def get_many(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Stored records (JSON text) by (content hash, settings key), for those present."""
        wanted = list(dict.fromkeys(keys))
        found: dict[tuple[str, str], str] = {}
        by_settings: dict[str, list[str]] = {}
        for content, settings in wanted:
            by_settings.setdefault(settings, []).append(content)
        try:
            for settings, contents in by_settings.items():
                for chunk, marks in in_chunks(contents):
                    rows = self.conn.execute(
                        "SELECT content, result FROM documents WHERE settings=? "
                        f"AND content IN ({marks})",
                        (settings, *chunk),
                    ).fetchall()
                    found.update({(c, settings): r for c, r in rows})
        except sqlite3.Error as exc:
            raise CacheError(f"cannot read the state database {self.path}: {exc}") from None
        return found

    def put_many(self, rows: Iterable[tuple[str, str, str, dict[str, Any]]]) -> int:
        """Store (content hash, settings key, document id, record) rows in one transaction.

        Older records of the same document id under the same settings are dropped.
        """
        now = time.time()
        data = [
            (content, settings, doc_id, json.dumps(record, ensure_ascii=False), now)
            for content, settings, doc_id, record in rows
        ]
        try:
            with self.conn:
                self.conn.execute("BEGIN IMMEDIATE")
                for content, settings, doc_id, _, _ in data:
                    self.conn.execute(
                        "DELETE FROM documents WHERE doc_id=? AND settings=? AND content<>?",
                        (doc_id, settings, content),
                    )
                self.conn.executemany(
                    "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?)", data
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
                f"DELETE FROM documents WHERE settings NOT IN ({marks}) AND updated < ?",
                (*kept, time.time() - older_than),
            )
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write the state database {self.path}: {exc}") from None
        return int(cursor.rowcount)

    def count(self) -> int:
        """How many document records are stored."""
        return int(self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
