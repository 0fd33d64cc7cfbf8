"""Incremental audits: a SQLite state database of each document's verdicts.

A row holds one document's audited record (its JSON object, as in the JSON run) under two keys:
the hash of the document's content (id, texts, languages, origin, metadata) and the hash of the
settings that can change its verdicts. Rerunning on a feed audits only documents whose content
or relevant settings changed, and reports on all of them.

The keys are built in ``keys.py`` (the settings key is per document: a change to the English
fluency model re-audits English targets only), the database lives in ``db.py``, and ``records.py``
stores records without the texts the document restores.

The database uses the same conventions as the translation cache (WAL mode, one transaction per
batch of documents), so an interrupted run keeps the batches it finished.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtaudit.config import Config
from mtaudit.errors import InputError
from mtaudit.pipeline import audit
from mtaudit.runfile import Run, RunDocument, RunSummary
from mtaudit.signals import chosen
from mtaudit.state.db import STATE_ENV, StateDB, default_path
from mtaudit.state.keys import Settings, code_digest, content_hash
from mtaudit.state.records import pack, unpack
from mtaudit.types import Document, RunResult

__all__ = [
    "BATCH_DOCUMENTS",
    "STATE_ENV",
    "DocumentState",
    "Incremental",
    "StateDB",
    "Settings",
    "audit_incremental",
    "code_digest",
    "content_hash",
    "default_path",
    "open_incremental",
    "pack",
    "summarise",
    "unpack",
]

BATCH_DOCUMENTS = 50
"""Documents audited (and stored) together: signals batch across them; a batch is one commit."""

Progress = Callable[[int], None]


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

    def lookup(self, items: Sequence[Document | InputError]) -> list[RunDocument | None]:
        """The stored record of each document, ``None`` where it must be audited."""
        keys = [self.key(item) for item in items]
        stored = self.db.get_many(k for k in keys if k is not None)
        out: list[RunDocument | None] = []
        for item, key in zip(items, keys, strict=True):
            if key is not None and key in stored and isinstance(item, Document):
                out.append(RunDocument.from_dict(unpack(json.loads(stored[key]), item)))
                self.counts.reused += 1
            else:
                out.append(None)
                self.counts.audited += key is not None
        return out

    def remember(self, pairs: Iterable[tuple[Document, RunDocument]]) -> None:
        """Store the records of audited documents (one transaction); errors are not stored.

        A record is stored as its JSON object (``RunDocument.to_dict``), less the texts the
        document restores, so the stored format is the run schema's.
        """
        rows = []
        for doc, record in pairs:
            if record.error is None:
                content, settings = content_hash(doc), self.settings.key(doc)
                rows.append((content, settings, doc.id, pack(record.to_dict(), doc)))
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


def summarise(documents: list[RunDocument]) -> RunSummary:
    """The run summary from document records."""
    return RunSummary.of(documents)


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
) -> tuple[Run, Incremental]:
    """Audit the documents the state does not know under current settings; reuse the rest.

    Returns the whole run (documents in input order) and how many documents were audited and
    reused. ``auditor`` audits a batch of documents
    (default ``pipeline.audit``; any function with its signature).
    """
    auditor = auditor or audit
    names = chosen(config, signals)
    known = DocumentState(state, config, names)
    records = known.lookup(items)
    todo = [i for i, record in enumerate(records) if record is None]
    if progress and len(items) > len(todo):
        progress(sum(len(r.sentences) for r in records if r is not None))
    signatures: list[dict[str, Any]] = []
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        run = auditor(
            [items[i] for i in chunk], config, signals=names, strict=strict, progress=progress
        )
        signatures.append(run.signature)
        done = []
        for i, result in zip(chunk, run.documents, strict=True):
            record = records[i] = RunDocument.from_result(result)
            item = items[i]
            if isinstance(item, Document):
                done.append((item, record))
        known.remember(done)
    state.prune(known.settings.keys())
    run_key = known.settings.run_key()
    if signatures:
        signature = _merge_statuses(signatures)
        state.put_signature(run_key, signature)
    else:
        signature = (
            state.signature(run_key) or auditor([], config, signals=names, strict=strict).signature
        )
    documents = [r for r in records if r is not None]
    return Run.of(signature, documents), known.counts


class StreamState:
    """The state database wrapped around a batch runner (``runner.run_batches``).

    :meth:`batches` looks every document up, sends only the others to the runner, stores what
    it audits batch by batch, and yields batches holding every document in input order.
    """

    def __init__(
        self, db: StateDB, config: Config, signals: Sequence[str], progress: Progress | None
    ) -> None:
        self.db = db
        self.known = DocumentState(db, config, signals)
        self.progress = progress

    @property
    def counts(self) -> Incremental:
        """How many documents were audited and reused."""
        return self.known.counts

    def batches(
        self,
        items: Iterable[Document | InputError],
        audit_items: Callable[[Iterator[Document | InputError]], Iterable[Any]],
    ) -> Iterator[Any]:
        """Batches (``runner.Batch``) of every document, in input order."""
        from mtaudit.runner import Batch

        listed = list(items)
        records = self.known.lookup(listed)
        pending = [i for i, record in enumerate(records) if record is None]
        if self.progress:
            self.progress(sum(len(r.sentences) for r in records if r is not None))
        emitted = 0

        def ready() -> list[RunDocument]:
            nonlocal emitted
            out = []
            while emitted < len(records) and records[emitted] is not None:
                out.append(records[emitted])
                emitted += 1
            return [r for r in out if r is not None]

        first = ready()
        if first:
            yield Batch(first, [], 0, {})
        if pending:
            queue = iter(pending)
            for batch in audit_items(iter([listed[i] for i in pending])):
                done = []
                for record in batch.documents:
                    i = next(queue)
                    records[i] = record
                    item = listed[i]
                    if isinstance(item, Document):
                        done.append((item, record))
                self.known.remember(done)
                yield Batch(ready(), batch.statuses, batch.sentences, batch.components)
        rest = ready()
        if rest:
            yield Batch(rest, [], 0, {})

    def signature(self, final: dict[str, Any], ran: bool) -> dict[str, Any]:
        """The run signature: ``final`` when documents were audited, else the stored one.

        The stored one is that of the last run that audited under these settings.
        """
        self.db.prune(self.known.settings.keys())
        run_key = self.known.settings.run_key()
        if ran:
            self.db.put_signature(run_key, final)
            return final
        return self.db.signature(run_key) or final


@contextlib.contextmanager
def open_incremental(
    path: str | Path, config: Config, signals: Sequence[str] | None, progress: Progress | None
) -> Iterator[StreamState]:
    """Open the state database at ``path`` for a run with these signals (default: config's)."""
    names = chosen(config, signals)
    with StateDB(path) as db:
        yield StreamState(db, config, names, progress)
