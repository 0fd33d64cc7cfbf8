"""Incremental audits: a SQLite state database of each document's verdicts.

A row holds one document's audited record (as in the JSON run) under two keys: the hash of the
document's content (id, texts, languages, origin, metadata) and the hash of the settings that
can change its verdicts. Rerunning on a feed audits only documents whose content or relevant
settings changed, and reports on all of them.

The settings key is built per document from what affects that document: the mtaudit code and
bundled data, the configuration tables of segmentation, alignment, checks and the judge (and any
table mtaudit does not know to be irrelevant), and, for each signal that is asked for, its own
configuration and the identity of the models it would use for the document's languages (their
configuration and the files on disk). A change to the English fluency model thus re-audits
English targets only; a change to the gate's budgets re-audits nothing.

The database uses the same conventions as the translation cache (WAL mode, one transaction per
batch of documents), so an interrupted run keeps the batches it finished.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from mtaudit.config import Config
from mtaudit.errors import CacheError, InputError
from mtaudit.pipeline import audit
from mtaudit.reports.json_report import SCHEMA as RUN_SCHEMA
from mtaudit.reports.json_report import document_to_dict
from mtaudit.types import Document, RunResult

log = logging.getLogger("mtaudit")

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
BATCH_DOCUMENTS = 50
"""Documents audited (and stored) together: signals batch across them; a batch is one commit."""

_IRRELEVANT = {"gate", "report", "languages", "state"}
"""Configuration tables that never change a verdict (languages only supply input defaults)."""
_PER_SIGNAL = {"translation", "models", "fidelity", "fluency", "signals"}
"""Tables that are keyed per signal and language pair instead of as a whole."""
_NOT_OUTPUT = {"cache", "threads"}
"""Settings of a signal that change where or how fast it works, not what it says."""

Progress = Callable[[int], None]


def default_path(config: Config) -> Path:
    """The state file beside the translation cache: ``<cache folder>/state.sqlite3``."""
    from mtaudit.translate.specs import cache_path

    return cache_path(config).parent / "state.sqlite3"


def _digest(value: Any) -> str:
    blob = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of mtaudit's own code and bundled data, so that a new version re-audits."""
    package = Path(__file__).resolve().parent
    sha = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            sha.update(str(path.relative_to(package)).encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def content_hash(doc: Document) -> str:
    """The hash of everything about a document that its record depends on."""
    return _digest(
        [
            doc.id,
            doc.target,
            doc.source,
            doc.source_lang,
            doc.target_lang,
            doc.origin,
            doc.metadata,
        ]
    )


def _model_files(config: Config, name: str) -> list[tuple[str, int, int]]:
    """Files of a model (and its converted forms) on disk: name, size, modification time."""
    from mtaudit.translate.specs import models_dir

    root = models_dir(config)
    found: list[tuple[str, int, int]] = []
    for path in sorted(root.glob(f"{glob.escape(name)}*")):
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            stat = file.stat()
            found.append((str(file.relative_to(root)), stat.st_size, stat.st_mtime_ns))
    return found


def _model(config: Config, name: str | None) -> dict[str, Any]:
    if not name:
        return {"model": None}
    return {
        "model": name,
        "spec": config.section(f"models.{name}"),
        "files": _model_files(config, str(name)),
    }


def _named_files(value: Any) -> list[tuple[str, int, int]]:
    """Files that configuration values name (e.g. a judge model file): path, size, mtime.

    A setting that points at a file changes verdicts when the file changes, not only when the
    path does. Relative paths are looked up from the working directory.
    """
    found: list[tuple[str, int, int]] = []
    if isinstance(value, dict):
        for item in value.values():
            found += _named_files(item)
    elif isinstance(value, list):
        for item in value:
            found += _named_files(item)
    elif isinstance(value, str) and value.endswith((".json", ".toml", ".txt", ".tsv", ".csv")):
        try:
            stat = Path(value).stat()
        except (OSError, ValueError):
            return found
        found.append((value, stat.st_size, stat.st_mtime_ns))
    return found


def _without(table: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {k: v for k, v in table.items() if k not in keys}


class Settings:
    """Computes the settings key of each document, caching per language pair."""

    def __init__(self, config: Config, signals: Sequence[str]) -> None:
        self.config = config
        self.signals = list(signals)
        self._pairs: dict[tuple[str, str], str] = {}
        core = {
            name: table
            for name, table in config.data.items()
            if name not in _IRRELEVANT and name not in _PER_SIGNAL
        }
        self.core = {
            "code": code_digest(),
            "config": core,
            "files": _named_files(core),
            "signals": self.signals,
        }

    def _signal(self, name: str, source: str, target: str) -> dict[str, Any]:
        config = self.config
        if name == "fidelity":
            engines = config.section("translation.engines")
            return {
                "fidelity": config.section("fidelity"),
                "translation": _without(config.section("translation"), _NOT_OUTPUT | {"engines"}),
                "forward": _model(config, engines.get(f"{source}-{target}")),
                "backward": _model(config, engines.get(f"{target}-{source}")),
            }
        if name == "fluency":
            table = config.section("fluency")
            model = str(table.get("model", ""))
            languages = config.get(f"models.{model}.languages", []) or []
            samples = table.get("sample_texts") or {}
            if target not in languages:
                return {"fluency": None, "languages": languages}
            return {
                "fluency": _without(table, _NOT_OUTPUT),
                "sample": samples.get(target),
                **_model(config, model),
            }
        return {name: config.section(name)}

    def key(self, doc: Document) -> str:
        """The settings key of one document."""
        pair = (doc.source_lang, doc.target_lang)
        if pair not in self._pairs:
            parts = [self._signal(name, *pair) for name in self.signals]
            self._pairs[pair] = _digest([self.core, pair, parts])
        return self._pairs[pair]

    def run_key(self) -> str:
        """A key for the run as a whole (for the stored run signature)."""
        return _digest([self.core, sorted(self._pairs.values())])


class StateDB:
    """The state database; each process opens its own connection."""

    def __init__(self, path: str | Path, *, timeout: float = 60.0) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), timeout=timeout, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            self.conn.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(f"cannot open the state database {self.path}: {exc}") from None

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> StateDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_many(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Stored records (JSON text) by (content hash, settings key), for those present."""
        wanted = list(dict.fromkeys(keys))
        found: dict[tuple[str, str], str] = {}
        by_settings: dict[str, list[str]] = {}
        for content, settings in wanted:
            by_settings.setdefault(settings, []).append(content)
        try:
            for settings, contents in by_settings.items():
                for start in range(0, len(contents), 500):
                    chunk = contents[start : start + 500]
                    marks = ",".join("?" * len(chunk))
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

    def count(self) -> int:
        """How many document records are stored."""
        return int(self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])


def _pack_pieces(pieces: list[dict[str, Any]], text: Any) -> list[dict[str, Any]]:
    """Drop each piece's text where it is the slice of ``text`` its offsets say.

    ``_t`` keeps the key's position, so the record reads back with its keys in the same order.
    """
    out = []
    for piece in pieces:
        if isinstance(text, str) and piece.get("text") == text[piece["start"] : piece["end"]]:
            keys = list(piece)
            packed = {k: v for k, v in piece.items() if k != "text"}
            packed["_t"] = keys.index("text")
            out.append(packed)
        else:
            out.append(piece)
    return out


def _unpack_pieces(pieces: list[dict[str, Any]], text: Any) -> list[dict[str, Any]]:
    out = []
    for piece in pieces:
        if "_t" not in piece or not isinstance(text, str):
            out.append(piece)
            continue
        items = [(k, v) for k, v in piece.items() if k != "_t"]
        items.insert(piece["_t"], ("text", text[piece["start"] : piece["end"]]))
        out.append(dict(items))
    return out


def pack(record: dict[str, Any], doc: Document) -> dict[str, Any]:
    """A record without what the document itself restores.

    That is its texts, and the sentence and block texts that are slices of the target.
    """
    packed = {k: v for k, v in record.items() if k not in ("target", "source")}
    target = record.get("target")
    packed["sentences"] = _pack_pieces(record.get("sentences") or [], target)
    packed["blocks"] = _pack_pieces(record.get("blocks") or [], target)
    packed["_restore"] = [k for k in ("target", "source") if record.get(k) == getattr(doc, k)]
    return packed


def unpack(packed: dict[str, Any], doc: Document) -> dict[str, Any]:
    """The full record from a packed one and the (unchanged) document, keys in their order."""
    restore = packed.get("_restore", [])
    record: dict[str, Any] = {}
    for key, value in packed.items():
        if key == "_restore":
            continue
        if key == "summary":
            for name in ("target", "source"):
                if name in restore:
                    record[name] = getattr(doc, name)
        record[key] = value
    for key in ("sentences", "blocks"):
        if key in record:
            record[key] = _unpack_pieces(record[key] or [], record.get("target"))
    return record


@dataclass
class Incremental:
    """What an incremental audit did."""

    audited: int = 0
    reused: int = 0


class DocumentState:
    """The state database seen per document: look records up, remember new ones.

    Works on any batch of documents, so a runner that audits a feed in batches (or streams it)
    asks :meth:`lookup` for each batch, audits the documents that came back ``None`` and hands
    their records to :meth:`remember`.
    """

    def __init__(self, db: StateDB, config: Config, signals: Sequence[str]) -> None:
        self.db = db
        self.settings = Settings(config, signals)
        self.counts = Incremental()

    def key(self, item: Document | InputError) -> tuple[str, str] | None:
        """The (content hash, settings key) of a document; ``None`` for an unreadable input."""
        if isinstance(item, InputError):
            return None
        return content_hash(item), self.settings.key(item)

    def lookup(self, items: Sequence[Document | InputError]) -> list[dict[str, Any] | None]:
        """The stored record of each document, ``None`` where it must be audited."""
        keys = [self.key(item) for item in items]
        stored = self.db.get_many(k for k in keys if k is not None)
        out: list[dict[str, Any] | None] = []
        for item, key in zip(items, keys, strict=True):
            if key is not None and key in stored and isinstance(item, Document):
                out.append(unpack(json.loads(stored[key]), item))
                self.counts.reused += 1
            else:
                out.append(None)
                self.counts.audited += key is not None
        return out

    def remember(self, pairs: Iterable[tuple[Document, dict[str, Any]]]) -> None:
        """Store the records of audited documents (one transaction); errors are not stored."""
        rows = []
        for doc, record in pairs:
            if record.get("error") is None:
                content, settings = content_hash(doc), self.settings.key(doc)
                rows.append((content, settings, doc.id, pack(record, doc)))
        self.db.put_many(rows)


def _merge_statuses(signatures: list[dict[str, Any]]) -> dict[str, Any]:
    """One signature from those of several batches: a signal ran if it ran in any batch."""
    merged = dict(signatures[-1])
    statuses: dict[str, dict[str, Any]] = {}
    for signature in signatures:
        for status in signature.get("signals", []):
            previous = statuses.get(status["name"])
            if previous is None or (status["ran"] and not previous["ran"]):
                statuses[status["name"]] = status
    merged["signals"] = list(statuses.values())
    ran = [s["name"] for s in merged["signals"] if s["ran"]]
    head = str(merged.get("text", "")).rpartition("|signals:")[0]
    if head:
        merged["text"] = f"{head}|signals:{','.join(ran) or 'none'}"
    return merged


def summarise(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """The run summary from document records (as ``run_to_dict`` computes it)."""
    by_severity = {"none": 0, "minor": 0, "major": 0, "critical": 0}
    for doc in documents:
        for level, count in doc["summary"]["by_severity"].items():
            by_severity[level] = by_severity.get(level, 0) + count
    return {
        "documents": len(documents),
        "sentences": sum(d["summary"]["sentences"] for d in documents),
        "flagged": sum(d["summary"]["flagged"] for d in documents),
        "errors": sum(1 for d in documents if d["error"]),
        "by_severity": by_severity,
    }


def audit_incremental(
    items: Sequence[Document | InputError],
    config: Config,
    state: StateDB,
    *,
    signals: Sequence[str] | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    batch: int = BATCH_DOCUMENTS,
    auditor: Callable[..., RunResult] | None = None,
) -> tuple[dict[str, Any], Incremental]:
    """Audit the documents the state does not know under current settings; reuse the rest.

    Returns the whole run as a dictionary (schema ``mtaudit.run/1``, documents in input order)
    and how many documents were audited and reused. ``auditor`` audits a batch of documents
    (default ``pipeline.audit``; any function with its signature).
    """
    auditor = auditor or audit
    names = list(config.get("signals.enabled", []) if signals is None else signals)
    known = DocumentState(state, config, names)
    records = known.lookup(items)
    todo = [i for i, record in enumerate(records) if record is None]
    if progress and len(items) > len(todo):
        progress(len(items) - len(todo))
    signatures: list[dict[str, Any]] = []
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        run = auditor(
            [items[i] for i in chunk], config, signals=names, strict=strict, progress=progress
        )
        signatures.append(run.signature)
        done = []
        for i, result in zip(chunk, run.documents, strict=True):
            record = records[i] = document_to_dict(result)
            item = items[i]
            if isinstance(item, Document):
                done.append((item, record))
        known.remember(done)
    run_key = known.settings.run_key()
    if signatures:
        signature = _merge_statuses(signatures)
        state.put_signature(run_key, signature)
    else:
        signature = (
            state.signature(run_key) or auditor([], config, signals=names, strict=strict).signature
        )
    documents = [r for r in records if r is not None]
    return {
        "schema": RUN_SCHEMA,
        "signature": signature,
        "summary": summarise(documents),
        "documents": documents,
    }, known.counts
