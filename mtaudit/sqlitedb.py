"""Open the project's SQLite files (translation cache, state database) the one way they share."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from mtaudit.errors import CacheError


def open_wal(path: Path, schema: str, *, timeout: float, what: str) -> sqlite3.Connection:
    """Open (creating the folder and ``schema``) a SQLite file in WAL mode, autocommit.

    Several processes may read and write it: writers wait up to ``timeout`` seconds for each
    other. Raises ``CacheError`` naming ``what`` (e.g. "the translation cache") on failure.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        conn.executescript(schema)
    except (OSError, sqlite3.Error) as exc:
        raise CacheError(f"cannot open {what} {path}: {exc}") from None
    return conn
