"""Running an audit in batches: in this process, or across a pool of worker processes.

Either way the documents are cut into the same batches and the results come back batch by batch
in input order, each document already a typed run record (``RunDocument``), so the output
of ``--jobs 4`` is the output of ``--jobs 1``. A worker builds its ``Auditor`` (and so loads its
models) once, when the pool starts, not per batch. Workers are forked where that is safe, else
spawned (``start_method``).
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from mtaudit import records
from mtaudit.config import Config
from mtaudit.errors import InputError, WorkerError
from mtaudit.pipeline import Auditor, Progress, RunSettings, Stage, batched
from mtaudit.runfile import RunDocument
from mtaudit.settings import settings_of
from mtaudit.types import Document, SignalStatus

log = logging.getLogger("mtaudit")

Item = Document | InputError


@dataclass
class Batch:
    """One batch's results: typed document records, its signals' statuses and state."""

    documents: list[RunDocument]
    statuses: list[SignalStatus]
    sentences: int
    components: dict[str, object]
    packed: list[bytes] | None = None
    """The records as a worker sends them back (``records.encode``), ``documents`` then empty."""

    def pack(self, items: list[Item]) -> None:
        """Turn the records into ``marshal`` bytes for the way back from a worker process.

        The state database's stored form (``mtaudit.records``), without the texts the
        parent already holds: two to three times cheaper to write and read than pickling the
        records. Records holding something ``marshal`` cannot write (a program's own objects
        in a document's metadata) stay as they are and are pickled.
        """
        try:
            self.packed = [
                records.encode(doc, _document(item))
                for doc, item in zip(self.documents, items, strict=True)
            ]
        except ValueError:
            return
        self.documents = []

    def unpack(self, items: list[Item]) -> None:
        """Rebuild the records that ``pack`` turned into bytes (``items``: the batch's input)."""
        if self.packed is None:
            return
        self.documents = []
        for blob, item in zip(self.packed, items, strict=True):
            doc = records.decode(blob, _document(item))
            if doc is None:  # written by this very version of the package a moment ago
                raise RuntimeError("a worker's record could not be read back")
            self.documents.append(doc)
        self.packed = None


_NO_TEXTS = Document("", "")
"""What a failed input's record is compared with when packed: it keeps its own texts."""


def _document(item: Item) -> Document:
    return item if isinstance(item, Document) else _NO_TEXTS


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def audit_batch(
    auditor: Auditor,
    items: list[Item],
    progress: Progress | None = None,
    stage: Stage | None = None,
) -> Batch:
    """Audit one batch and turn its results into typed records (the stage every executor runs).

    ``progress`` and ``stage`` are passed to ``Auditor.audit_batch``.
    """
    results = auditor.audit_batch(items, progress, stage)
    return Batch(
        [RunDocument.from_result(r) for r in results],
        list(auditor.statuses),
        sum(len(r.sentences) for r in results),
        auditor.components(),
    )


# -- worker processes ------------------------------------------------------------------------

_WORKER: Auditor | None = None
_WORKER_ERROR: Exception | None = None


def _start_worker(
    config: Config, signals: list[str] | None, strict: bool, parent: int | None = None
) -> None:
    global _WORKER, _WORKER_ERROR
    # a forked worker inherits the command's SIGTERM handler (which turns the signal into an
    # exit with clean-up, for the output file): a worker told to stop must just stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if parent is not None:
        _end_with(parent)
    try:
        _WORKER = Auditor(config, signals=signals, strict=strict)
    except Exception as exc:  # raised again with the first batch (see _work)
        # a failing initializer ends the worker, and the run would only learn that a worker died
        _WORKER_ERROR = exc
    gc.freeze()


_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


def _end_with(parent: int) -> None:
    """On Linux, have the kernel stop this worker (SIGTERM) when ``parent`` ends.

    Without it, a command killed outright (SIGKILL, or the kernel's out-of-memory killer) leaves
    its workers waiting for batches for ever, each holding its models. Elsewhere nothing is done.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)


def _work(items: list[Item]) -> Batch:
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    assert _WORKER is not None, "worker not initialised"
    # a worker's statuses are those of the batches it happened to get: report this batch's only
    _WORKER.statuses = []
    batch = audit_batch(_WORKER, items)
    batch.pack(items)
    return batch


def run_batches(
    items: Iterable[Item],
    config: Config,
    *,
    signals: list[str] | None = None,
    strict: bool = False,
    jobs: int = 1,
    batch_size: int | None = None,
    progress: Progress | None = None,
    stage: Stage | None = None,
    start: str | None = None,
) -> Iterator[Batch]:
    """Audit ``items`` in batches with ``jobs`` processes; yield each batch's results in order.

    With one job, or when the input fits in one batch, everything runs in this process and
    ``progress`` counts sentences as they are judged (a large document a slice at a time), and
    ``stage`` names the stages of a large batch (see ``pipeline.Progress`` and ``Stage``). With
    worker processes, ``progress`` is called with the sentence count of each finished batch.
    ``start`` is how the workers start (``fork`` or ``spawn``; by default ``start_method()``).
    """
    size = max(1, batch_size or settings_of(config, RunSettings).batch_size)
    batches = batched(items, size)
    head = list(itertools.islice(batches, 2))
    if jobs <= 1 or len(head) < 2:
        auditor = Auditor(config, signals=signals, strict=strict)
        # what is loaded now lives for the whole run: keep the collector from scanning it again
        gc.freeze()
        try:
            for batch in itertools.chain(head, batches):
                auditor.statuses = []
                yield audit_batch(auditor, batch, progress, stage)
        finally:
            auditor.close()
            gc.unfreeze()
        return
    method = start or start_method()
    context = multiprocessing.get_context(method)
    log.info("auditing with %d worker processes (%s)", jobs, method)
    # as with one job: what is loaded now lives for the whole run, so the collector need not
    # walk it again (a full collection of it cost the command 0.04 s of its cores' time while
    # the workers ran); forked workers start with it frozen too
    gc.freeze()
    # concurrent.futures rather than multiprocessing.Pool: it starts every forked worker before
    # its own thread, stops idle workers by message instead of SIGTERM, and reports a worker
    # that died (killed, out of memory) instead of waiting for its batch for ever
    pool = ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(config, signals, strict, os.getpid()),
    )
    # at most two batches per worker in flight, so a long feed is never all in memory
    pending: deque[tuple[Future[Batch], list[Item]]] = deque()
    try:
        for batch in itertools.chain(head, batches):
            pending.append((pool.submit(_work, batch), batch))
            if len(pending) >= 2 * jobs:
                yield _finish(*pending.popleft(), progress)
        while pending:
            yield _finish(*pending.popleft(), progress)
    except BrokenProcessPool as exc:  # from a batch's result, or from submitting the next
        raise WorkerError(
            "a worker process ended before finishing its batch (killed, or out of memory?)",
            fix="run again with fewer --jobs; each worker holds its own models",
        ) from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


_RUNTIMES = ("torch", "ctranslate2", "transformers")
"""Model runtimes whose thread pools do not survive ``fork`` once used."""


def start_method() -> str:
    """How worker processes start: ``fork`` where that is safe, else ``spawn``.

    A forked worker starts in milliseconds with everything this process has imported; a
    spawned one starts a new interpreter and imports the package again (about a third of a
    second, most of the gain of a second core on a short feed). Forking is safe only on Linux
    (macOS forbids it after some system libraries start), while this process runs no other
    thread (a thread holding a lock at the fork leaves the lock held forever in the worker) and
    has not imported a model runtime (its thread pools hang in a forked child). The command line
    loads no model before the workers start, so a checks-only or fidelity run forks; a program
    that audits in a process that already holds models gets spawned workers.
    """
    if (
        sys.platform.startswith("linux")
        and threading.active_count() == 1
        and not any(name in sys.modules for name in _RUNTIMES)
    ):
        return "fork"
    return "spawn"


def _finish(result: Future[Batch], items: list[Item], progress: Progress | None) -> Batch:
    done = result.result()
    done.unpack(items)
    if progress:
        progress(done.sentences)
    return done


class RepeatedIds:
    """Warns when a document id is used again: reports, baselines and the state need one each."""

    def __init__(self) -> None:
        self.first: dict[str, str] = {}

    def see(self, doc_id: str, origin: str) -> None:
        """Note a document read from ``origin``; warn when its id was seen before."""
        if doc_id in self.first:
            log.warning(
                "%s: document id %r is also used by %s; give each record its own id",
                origin,
                doc_id,
                self.first[doc_id],
            )
        else:
            self.first[doc_id] = origin
