"""Open the project's SQLite files (translation cache, state database) the one way they share."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import ClassVar, Self

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
        damaged = any(words in str(exc) for words in ("not a database", "malformed"))
        fix = f"move {path} aside or delete it; a new one is created" if damaged else None
        raise CacheError(f"cannot open {what} {path}: {exc}", fix=fix) from None
    return conn


class WalFile:
    """A SQLite file opened with ``open_wal``; each process opens its own connection.

    Subclasses name their ``SCHEMA`` and ``WHAT`` (how errors speak of the file). Use it as a
    context manager, or call ``close``.
    """

    SCHEMA: ClassVar[str]
    WHAT: ClassVar[str]

    def __init__(self, path: str | Path, *, timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.conn = open_wal(self.path, self.SCHEMA, timeout=timeout, what=self.WHAT)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def in_chunks(values: Sequence[str], size: int = 500) -> Iterator[tuple[Sequence[str], str]]:
    """``values`` in slices of at most ``size``, each with its ``?,?,…`` placeholders for IN."""
    for start in range(0, len(values), size):
        chunk = values[start : start + size]
        yield chunk, ",".join("?" * len(chunk))
