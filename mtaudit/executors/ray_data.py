"""Auditing a feed with Ray Data, on a cluster or on a small local Ray instance.

The same stage function as a local run (``mtaudit.runner.audit_batch``) runs inside
``map_batches``: checks-only runs are plain Ray tasks; when model signals are on, the stage is
an actor class, so each actor loads its translation models and causal LM once and keeps them
(with ``num_gpus`` per actor when the cluster has GPUs). Feeds are read with
``ray.data.read_binary_files`` (a file, a folder of shards or a glob), each file whole by one
task, and split into lines that are parsed as a local run parses them: a malformed line is one
failed document, named by file and line, and the run goes on. Input order is kept. Results stream
back in order and are written as sharded JSONL (``part-00000.jsonl``...: one document per line,
as in ``--format jsonl``) plus ``run.json`` (schema, signature, summary).

Ray is imported only here, and only when ``--executor ray`` is asked for (extra ``mtaudit[ray]``).

The translation cache is SQLite on each machine's disk (``translation.cache``): fine for one
machine; a cluster should give every node a cache pre-filled with ``mtaudit cache import``, or
point ``translation.cache`` at node-local storage so that each node fills its own.
"""

from __future__ import annotations

import atexit
import glob
import io
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mtaudit.atomic import write_text_atomic
from mtaudit.checks import build_checks
from mtaudit.config import Config
from mtaudit.errors import InputError, MtauditError, UsageError
from mtaudit.io.stream import is_blank, numbered_lines, read_line
from mtaudit.judge import Judge
from mtaudit.pipeline import Auditor, RunSettings, merge_statuses, note_directions, signature
from mtaudit.reports.stream import RunTotals, compact
from mtaudit.runfile import RESULTS_HEAD, RESULTS_SHARDS, SCHEMA, Run, RunDocument, shard_name
from mtaudit.runner import RepeatedIds, audit_batch
from mtaudit.settings import settings_of
from mtaudit.signals import chosen
from mtaudit.types import Document, SignalStatus

log = logging.getLogger("mtaudit")

INSTALL_HINT = "--executor ray needs Ray Data: pip install 'mtaudit[ray]'"
SHARD_DOCUMENTS = 10_000
LINE_BLOCK_BYTES = 2 * 1024 * 1024


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    return ray


def feed_files(inputs: list[str]) -> list[str]:
    """Expand files, folders (``*.jsonl``/``*.ndjson`` inside) and globs into JSONL files.

    Remote URIs (``s3://bucket/feeds/``) are passed to Ray Data as they are.
    """
    files: list[str] = []
    for item in inputs:
        path = Path(item)
        if "://" in item:  # s3://, gs://, hdfs://...: Ray Data reads it from the cluster
            files.append(item)
            continue
        if path.is_dir():
            found = sorted(
                str(p) for p in path.iterdir() if p.suffix.lower() in (".jsonl", ".ndjson")
            )
        elif any(ch in item for ch in "*?["):
            found = sorted(glob.glob(item))
        elif path.is_file():
            found = [str(path)]
        else:
            raise InputError("no such file, folder or glob match", item)
        if not found:
            raise InputError("no .jsonl files in it", item)
        files.extend(found)
    return files


def _file_lines(row: dict[str, Any]) -> list[dict[str, Any]]:
    """One feed file (``read_binary_files`` row) as its non-blank lines, numbered.

    A file with no record gives one row with line 0, read back as "is empty", as a local run
    reports it.
    """
    path = str(row["path"])
    lines = [
        {"path": path, "line": number, "raw": raw}
        for number, raw in numbered_lines(io.BytesIO(row["bytes"]))
        if not is_blank(raw)
    ]
    return lines or [{"path": path, "line": 0, "raw": b""}]


@dataclass(frozen=True)
class Reading:
    """How records become documents: the default languages and ``--unit`` (as locally)."""

    source_lang: str
    target_lang: str
    unit: str | None = None


def _lines_to_items(rows: list[dict[str, Any]], reading: Reading) -> list[Any]:
    """Parse lines exactly as a local run reads a JSONL file (``mtaudit.io.stream``)."""
    items: list[Any] = []
    for row in rows:
        path, number = str(row["path"]), int(row["line"])
        if number == 0:
            items.append(InputError("is empty", path))
            continue
        item = read_line(row["raw"], path, number, reading.source_lang, reading.target_lang)
        if isinstance(item, Document):
            item.choose_unit(reading.unit)
        if item is not None:
            items.append(item)
    return items


def _result_table(auditor: Auditor, rows: list[dict[str, Any]], reading: Reading) -> Any:
    import pyarrow as pa

    auditor.statuses = []
    done = audit_batch(auditor, _lines_to_items(rows, reading))
    statuses = compact([s.__dict__ for s in done.statuses])
    components = compact(done.components)
    return pa.table(
        {
            "document": [compact(doc.to_dict()) for doc in done.documents],
            "statuses": [statuses] * len(done.documents),
            "components": [components] * len(done.documents),
        }
    )


class AuditActor:
    """A Ray actor holding one ``Auditor`` (and so its models) for all the batches it gets."""

    def __init__(
        self, config: Config, signals: list[str] | None, strict: bool, reading: Reading
    ) -> None:
        self.auditor = Auditor(config, signals=signals, strict=strict)
        self.reading = reading

    def __call__(self, batch: Any) -> Any:
        """Audit one batch of records (a pyarrow table) into document lines."""
        return _result_table(self.auditor, batch.to_pylist(), self.reading)


def _audit_task(
    batch: Any, config: Config, signals: list[str] | None, strict: bool, reading: Reading
) -> Any:
    """Checks only: a plain task (building the stages is cheap without models)."""
    auditor = Auditor(config, signals=signals, strict=strict)
    try:
        return _result_table(auditor, batch.to_pylist(), reading)
    finally:
        auditor.close()


def _start(ray: Any, address: str | None) -> bool:
    """Connect to ``address`` or start a small local instance; True when this call started it."""
    logging.getLogger("ray").setLevel(logging.WARNING)
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    if ray.is_initialized():
        return False
    if address:
        ray.init(address=address, log_to_driver=False)
        return False
    # a small local instance: two CPUs, a little object store, no dashboard
    ray.init(
        num_cpus=2,
        object_store_memory=100 * 1024 * 1024,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        runtime_env={"env_vars": {"PYTHONPATH": os.environ.get("PYTHONPATH", "")}},
    )
    return True


def _remote_args() -> dict[str, Any]:
    """Ray options that give the workers this process's ``MTAUDIT_*`` variables.

    The model folder, translation cache and state locations may come from the environment;
    workers of an instance started earlier (or of a cluster) do not share this process's
    environment, so they get those variables with every task and actor.
    """
    env = {k: v for k, v in os.environ.items() if k.startswith("MTAUDIT_")}
    return {"runtime_env": {"env_vars": env}} if env else {}


def run_ray(
    inputs: list[str],
    config: Config,
    output: str,
    *,
    signals: list[str] | None = None,
    strict: bool = False,
    address: str | None = None,
    source_lang: str = "ar",
    target_lang: str = "en",
    input_format: str = "auto",
    unit: str | None = None,
    keep_all: bool = False,
) -> Run:
    """Audit JSONL feeds with Ray Data; write ``output``/part-*.jsonl and ``output``/run.json.

    Returns the run with the small records of failed and flagged documents (for the budgets),
    or with every document when ``keep_all`` asks for them (JUnit, annotations, baseline).
    """
    if input_format not in ("auto", "jsonl"):
        raise UsageError("--executor ray reads JSONL feeds only (--input-format jsonl)")
    files = feed_files(inputs)
    folder = Path(output).resolve()
    if any("://" not in f and Path(f).resolve().parent == folder for f in files):
        raise UsageError(f"-o {output} holds the input feed: give the results another folder")
    ray = _import_ray()
    if _start(ray, address):
        # the local instance lives as long as this process (a second run in the same process,
        # as in tests, reuses it instead of waiting for a new one to start)
        atexit.register(ray.shutdown)
    reading = Reading(source_lang, target_lang, unit)
    return _run(ray, files, config, output, signals, strict, reading, keep_all)


def _run(
    ray: Any,
    files: list[str],
    config: Config,
    output: str,
    signals: list[str] | None,
    strict: bool,
    reading: Reading,
    keep_all: bool,
) -> Run:
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    # a file's lines leave the reading task in blocks of about this size, so that the batches
    # of one large file are audited by several workers at once
    ctx.target_max_block_size = LINE_BLOCK_BYTES
    names = chosen(config, signals)
    run_settings = settings_of(config, RunSettings)
    batch_size = max(1, run_settings.batch_size)
    # each file is read whole by one task and split into lines here, so that every line is
    # parsed and reported exactly as a local run does (pyarrow's JSON reader stops the whole
    # run at one malformed line and numbers no line)
    try:
        ds = ray.data.read_binary_files(files, include_paths=True).flat_map(_file_lines)
    except Exception as exc:  # a remote file system reports what it cannot list its own way
        raise InputError(f"cannot be read by Ray Data ({exc})", files[0]) from None
    remote = _remote_args()
    if names:
        gpus = ray.cluster_resources().get("GPU", 0)
        ds = ds.map_batches(
            AuditActor,
            fn_constructor_args=(config, names, strict, reading),
            batch_size=batch_size,
            batch_format="pyarrow",
            concurrency=max(1, run_settings.ray_actors),
            num_gpus=1 if gpus else 0,
            **remote,
        )
    else:
        ds = ds.map_batches(
            _audit_task,
            fn_args=(config, names, strict, reading),
            batch_size=batch_size,
            batch_format="pyarrow",
            **remote,
        )
    folder = Path(output)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # the results of an earlier run in this folder go first: a shorter run would leave its
        # later shards beside the new ones, and its run.json would describe an interrupted one
        for old in [folder / RESULTS_HEAD, *folder.glob(RESULTS_SHARDS)]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        raise InputError(f"cannot prepare the results folder ({exc.strerror})", output) from None
    checks, judge = build_checks(config), Judge.from_config(config)
    statuses: list[SignalStatus] = []
    components: dict[str, object] = {}
    totals = RunTotals()
    kept: list[RunDocument] = []
    ids = RepeatedIds()
    shard, count, fh = 0, 0, None
    try:
        for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
            for line, status_json, component_json in zip(
                batch.column("document").to_pylist(),
                batch.column("statuses").to_pylist(),
                batch.column("components").to_pylist(),
                strict=True,
            ):
                statuses = merge_statuses(
                    statuses, [SignalStatus(**s) for s in json.loads(status_json)]
                )
                components.update(json.loads(component_json))
                if fh is None or count >= SHARD_DOCUMENTS:
                    if fh is not None:
                        fh.close()
                    fh = open(folder / shard_name(shard), "w", encoding="utf-8")  # noqa: SIM115
                    shard, count = shard + 1, 0
                fh.write(line + "\n")
                count += 1
                document = RunDocument.from_dict(json.loads(line))
                if not document.error:
                    ids.see(document.id, document.origin)
                note_directions(judge, [document])
                totals.add(document)
                if keep_all:
                    kept.append(document)
    except MtauditError:
        raise
    except Exception as exc:
        cause = getattr(exc, "cause", None) or exc
        if isinstance(cause, MtauditError):
            raise cause from None
        raise
    finally:
        if fh is not None:
            fh.close()
    run = totals.skeleton(signature(config, checks, statuses, components or None, judge))
    head = {"schema": SCHEMA, "signature": run.signature, "summary": run.summary.to_dict()}
    write_text_atomic(json.dumps(head, ensure_ascii=False, indent=2) + "\n", folder / RESULTS_HEAD)
    return Run(run.signature, run.summary, kept) if keep_all else run
