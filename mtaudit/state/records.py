"""How a document's record is stored: marshal bytes, without the texts the document restores.

A rerun decodes every stored record (the reports cover every document), so the stored form is
chosen for decoding speed: ``marshal`` reads the plain dictionaries, lists and strings of a
record about twice as fast as ``json``. The decoded records are trees without cycles that live
until the run ends, so the cyclic garbage collector is paused while they are built (it would
otherwise walk the growing heap several times over for nothing) and then told to leave them
alone (``gc.freeze``) until the run is over; reference counting still frees them.

``marshal`` runs no code when it reads (unlike ``pickle``): a tampered state file can hold
wrong verdicts, as a tampered JSON record could, but no program. Its format can change between
Python versions, so the Python version is part of the settings key (see ``keys.py``), and bytes
that do not decode are treated as not stored.

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

from mtaudit.types import Document

_TEXTS = ("target", "source")
_RESTORE = "_restore"


def pack(record: dict[str, Any], doc: Document) -> dict[str, Any]:
    """A copy of ``record`` whose texts that are the document's own are ``None``.

    The names of those texts are listed under ``_restore``, the last key, so that unpacking
    keeps the record's keys in their order without rebuilding it.
    """
    packed = dict(record)
    restore = [k for k in _TEXTS if k in record and record[k] == getattr(doc, k)]
    for name in restore:
        packed[name] = None
    packed[_RESTORE] = restore
    return packed


def unpack(packed: dict[str, Any], doc: Document) -> dict[str, Any]:
    """The full record from a packed one (changed in place) and the unchanged document."""
    for name in packed.pop(_RESTORE, ()):
        packed[name] = getattr(doc, name)
    return packed


def encode(record: dict[str, Any], doc: Document) -> bytes:
    """The stored bytes of a document's record."""
    return marshal.dumps(pack(record, doc))


def decode(blob: bytes, doc: Document) -> dict[str, Any] | None:
    """The record stored as ``blob``; ``None`` when the bytes are not a stored record."""
    try:
        packed = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(packed, dict):
        return None
    return unpack(packed, doc)


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
