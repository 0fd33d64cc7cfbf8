"""Incremental audits: a SQLite state database of each document's verdicts.

A row holds one document's audited record under two keys: the hash of the document's content
(id, texts, languages, origin, metadata) and the hash of the settings that can change its
verdicts. With the fidelity signal, the row also holds a digest of the cached translations the
record was made from. Rerunning on a feed audits only documents whose content, relevant settings
or cached translations changed, and reports on all of them.

The keys are built in ``keys.py`` (the settings key is per document: a change to the English
fluency model re-audits English targets only), the database lives in ``db.py``, records are stored
as ``mtaudit.records`` writes them (marshal, without the texts the document restores) and
``reads.py`` digests the cached translations a record depends on.

The database uses the same conventions as the translation cache (WAL mode, one transaction per
batch of documents), so an interrupted run keeps the batches it finished.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtaudit.config import Config
from mtaudit.errors import InputError
from mtaudit.pipeline import audit
from mtaudit.records import KeptOut, collector_paused, decode, encode
from mtaudit.runfile import Run, RunDocument, RunSummary
from mtaudit.signals import chosen
from mtaudit.state.db import STATE_ENV, Row, StateDB, Stored, default_path
from mtaudit.state.keys import Settings, code_digest, content_hash
from mtaudit.state.reads import Reads, TranslationReads, uses_translations
from mtaudit.state.reads import dump as dump_reads
from mtaudit.state.reads import load as load_reads
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
    "decode",
    "encode",
    "summarise",
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
    their records to :meth:`remember`. With the fidelity signal, a stored record is reused only
    while the translation cache holds the same translations for its texts (see ``reads.py``).
    """

    def __init__(self, db: StateDB, config: Config, signals: Sequence[str]) -> None:
        self.db = db
        self.settings = Settings(config, signals)
        self.counts = Incremental()
        self.reads = TranslationReads(config) if uses_translations(signals) else None
        self.kept = KeptOut()

    def close(self) -> None:
        """Close the translation cache if the reads opened it; let the collector see records."""
        self.kept.release()
        if self.reads is not None:
            self.reads.close()

    def key(self, item: Document | InputError) -> tuple[str, str] | None:
        """The (content hash, settings key) of a document; ``None`` for an unreadable input."""
        if isinstance(item, InputError):
            return None
        return content_hash(item), self.settings.key(item)

    def _current(self, stored: dict[tuple[str, str], Stored]) -> dict[tuple[str, str], Stored]:
        """The stored rows whose translations are still what the cache holds."""
        if self.reads is None:
            return stored
        keys, reads = [], []
        for key, row in stored.items():
            loaded = load_reads(row.reads)
            if loaded is not None:
                keys.append(key)
                reads.append(loaded)
        digests = self.reads.digests(reads)
        return {
            key: stored[key]
            for key, digest in zip(keys, digests, strict=True)
            if digest == stored[key].reads_digest
        }

    def lookup(self, items: Sequence[Document | InputError]) -> list[RunDocument | None]:
        """The stored record of each document, ``None`` where it must be audited."""
        keys = [self.key(item) for item in items]
        stored = self._current(self.db.get_many(k for k in keys if k is not None))
        out: list[RunDocument | None] = []
        with collector_paused():
            for item, key in zip(items, keys, strict=True):
                row = stored.get(key) if key is not None else None
                record = decode(row.record, item) if row and isinstance(item, Document) else None
                out.append(record)
                if record is not None:
                    self.counts.reused += 1
                else:
                    self.counts.audited += key is not None
            if self.counts.reused:
                self.kept.hold()  # the records live until the run ends (see mtaudit.records)
        return out

    def remember(self, pairs: Iterable[tuple[Document, RunDocument]]) -> None:
        """Store the records of audited documents (one transaction); errors are not stored."""
        kept = [(doc, record) for doc, record in pairs if record.error is None]
        reads: list[Reads] = []
        digests: list[str] = []
        if self.reads is not None:
            reads = [self.reads.of(record) for _, record in kept]
            digests = self.reads.digests(reads)
        rows = []
        for i, (doc, record) in enumerate(kept):
            rows.append(
                Row(
                    content_hash(doc),
                    self.settings.key(doc),
                    doc.id,
                    encode(record, doc),
                    dump_reads(reads[i]) if self.reads is not None else None,
                    digests[i] if self.reads is not None else "",
                )
            )
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
    try:
        return _audit_known(items, config, known, names, strict, progress, batch, auditor)
    finally:
        known.close()


def _audit_known(
    items: Sequence[Document | InputError],
    config: Config,
    known: DocumentState,
    names: list[str],
    strict: bool,
    progress: Progress | None,
    batch: int,
    auditor: Callable[..., RunResult],
) -> tuple[Run, Incremental]:
    state = known.db
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
        stream = StreamState(db, config, names, progress)
        try:
            yield stream
        finally:
            stream.known.close()
