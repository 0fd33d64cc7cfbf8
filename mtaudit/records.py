"""A document's record as marshal bytes of plain tuples, without the document's texts.

Two uses: the state database stores records this way (``mtaudit.state``), and ``--jobs``
workers send their records back to the command this way (``mtaudit.runner``), which costs two
to three times less than pickling them.

A rerun rebuilds every stored record (the reports cover every document), so the stored form is
chosen for speed: each typed record (``RunDocument`` with its sentences, findings and blocks)
becomes nested tuples of strings, numbers and plain dictionaries in the order of its fields,
written with ``marshal``, and is rebuilt positionally. That is several times faster than
reading the record's JSON object back through ``RunDocument.from_dict``, whose shape checks are
for files from elsewhere; these bytes are only ever written by ``encode``. The rebuilt records
are trees without cycles that live until the run ends, so the cyclic garbage collector is paused
while they are built (it would otherwise walk the growing heap several times over for nothing)
and then told to leave them alone (``gc.freeze``) until the state database is closed at the end
of the audit stage (the objects then join the oldest generation); reference counting
still frees them.

``marshal`` runs no code when it reads (unlike ``pickle``): a tampered state file can hold
wrong verdicts, as a tampered JSON record could, but no program. Its format can change between
Python versions, so the Python version is part of the settings key (see ``mtaudit.state.keys``),
and bytes that do not decode into a record of this layout are treated as not stored.

The target and source texts are left out where they are the document's own (the document is
at hand when the record is read); sentence texts stay, as rebuilding them from offsets would
cost more than decoding them.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
from collections.abc import Iterator
from typing import Any

from mtaudit.runfile import RunBlock, RunDocument, RunFinding, RunSentence, SourceSentence, Summary
from mtaudit.types import Document, Severity

LAYOUT = 1
"""The version of the tuple layout below; bytes of another layout are not a stored record."""
_SEVERITY = tuple(Severity)


def _sentence(s: RunSentence) -> tuple[Any, ...]:
    return (
        s.index,
        s.text,
        s.start,
        s.end,
        s.paragraph,
        s.unit,
        s.element,
        s.metadata,
        s.source,
        s.source_indices,
        s.risk,
        int(s.severity),
        s.flagged,
        s.basis,
        s.reasons,
        s.spans,
        [(f.id, int(f.severity), f.message, f.span) for f in s.checks],
        s.signals,
        s.texts,
    )


def encode(record: RunDocument, doc: Document) -> bytes:
    """The stored bytes of a document's record."""
    own = [record.target == doc.target, record.source == doc.source]
    summary = record.summary
    return marshal.dumps(
        (
            LAYOUT,
            record.id,
            record.origin,
            record.source_lang,
            record.target_lang,
            record.metadata,
            record.unit,
            record.error,
            None if own[0] else record.target,
            None if own[1] else record.source,
            own,
            (summary.sentences, summary.flagged, summary.by_severity, summary.suppressed_by_check),
            [(b.kind, b.start, b.end, b.text, b.reason, b.unit, b.element) for b in record.blocks],
            [(u.index, u.text, u.start, u.end) for u in record.unaligned_source],
            [_sentence(s) for s in record.sentences],
        )
    )


def decode(blob: bytes, doc: Document) -> RunDocument | None:
    """The record stored as ``blob``; ``None`` when the bytes are not a stored record."""
    try:
        data = marshal.loads(blob)
        if type(data) is not tuple or data[0] != LAYOUT:
            return None
        (_, id_, origin, src_lang, tgt_lang, meta, unit, error, target, source, own) = data[:11]
        summary, blocks, unaligned, sentences = data[11:]
        severity = _SEVERITY
        return RunDocument(
            id_,
            origin,
            src_lang,
            tgt_lang,
            meta,
            unit,
            error,
            doc.target if own[0] else target,
            doc.source if own[1] else source,
            Summary(*summary),
            [RunBlock(*b) for b in blocks],
            [SourceSentence(*u) for u in unaligned],
            [
                RunSentence(
                    s[0],
                    s[1],
                    s[2],
                    s[3],
                    s[4],
                    s[5],
                    s[6],
                    s[7],
                    s[8],
                    s[9],
                    s[10],
                    severity[s[11]],
                    s[12],
                    s[13],
                    s[14],
                    s[15],
                    [RunFinding(c[0], severity[c[1]], c[2], c[3]) for c in s[16]],
                    s[17],
                    s[18],
                )
                for s in sentences
            ],
        )
    except (EOFError, ValueError, TypeError, IndexError):
        return None


class KeptOut:
    """Keeps the objects alive now out of the cyclic collector's walks until :meth:`release`.

    Decoded records of a rerun (about a hundred lists and dictionaries a document) would
    otherwise be walked by the collector two or three times more before the run ends, finding
    nothing. Does nothing when the process has frozen objects of its own (``gc.freeze`` is
    process-wide), so that releasing ours never releases theirs.
    """

    def __init__(self) -> None:
        self.held = False

    def hold(self) -> None:
        """Freeze what is alive now (once).

        Best called while the collector is paused, before it walks the new records even once.
        """
        if not self.held and gc.get_freeze_count() == 0:
            gc.freeze()
            self.held = True

    def release(self) -> None:
        """Hand the frozen objects back to the collector."""
        if self.held:
            gc.unfreeze()
            self.held = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while acyclic records are built (then resume it).

    Reference counting still frees everything; only the collector's walks over the heap, which
    find nothing in freshly decoded records, are skipped.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
