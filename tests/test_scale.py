"""Streaming reports, compact JSON, --jobs and the Ray executor give the same verdicts."""

from __future__ import annotations

import builtins
import contextlib
import json
import logging
import os
import random
import re
import signal
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mtaudit.cli import main
from mtaudit.config import Config
from mtaudit.errors import InputError
from mtaudit.io.stream import iter_inputs
from mtaudit.pipeline import audit
from mtaudit.reports.json_report import run_to_dict
from mtaudit.runfile import load_run
from mtaudit.types import Document

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "article.en.txt"
EXAMPLE_SOURCE = ROOT / "examples" / "article.ar.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    err = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        err += f"\n{type(result.exception).__name__}: {result.exception}"
    return result.exit_code, result.stdout, err


def make_feed(path: Path, documents: int, seed: int = 1, bad_line: int | None = None) -> Path:
    """A feed cut from the example article: paragraphs with and without their source, some
    sentences broken (doubled words, lost numbers), and optionally one malformed line."""
    en = EXAMPLE.read_text(encoding="utf-8").split("\n\n")
    ar = EXAMPLE_SOURCE.read_text(encoding="utf-8").split("\n\n")
    rng = random.Random(seed)
    lines = []
    for i in range(documents):
        k = rng.randrange(min(len(en), len(ar)))
        target = en[k]
        if rng.random() < 0.3:
            words = target.split()
            w = rng.randrange(len(words))
            target = " ".join(words[: w + 1] + words[w:])
        record: dict[str, Any] = {"id": f"doc-{i}", "target": target}
        if i % 3:
            record["source"] = ar[k]
        lines.append(json.dumps(record, ensure_ascii=False))
    if bad_line is not None:
        lines.insert(bad_line - 1, '{"id": "broken", "target": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def verdicts(documents: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (d["id"], s["index"], s["risk"], s["severity"], s["flagged"], s["reasons"], s["spans"])
        for d in documents
        for s in d["sentences"]
    ]


def jsonl_documents(text: str) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["schema"] == "mtaudit.run.jsonl/1" and "signature" in lines[0]
    assert "summary" in lines[-1] and "signature" in lines[-1]
    return lines[1:-1]


@pytest.fixture
def small_batches(tmp_path: Path) -> Path:
    config = tmp_path / "batches.toml"
    config.write_text("[run]\nbatch_size = 7\n", encoding="utf-8")
    return config


def test_json_is_compact_unless_pretty(tmp_path: Path) -> None:
    args = ("audit", str(EXAMPLE), "--source", str(EXAMPLE_SOURCE), "--format", "json")
    code, compact, _ = run(*args)
    code_pretty, pretty, _ = run(*args, "--pretty")
    assert code == code_pretty == 0
    assert compact.count("\n") == 1 and pretty.count("\n") > 100
    assert json.loads(compact) == json.loads(pretty)
    items = list(iter_inputs([str(EXAMPLE)], source=str(EXAMPLE_SOURCE)))
    expected = run_to_dict(audit(items, Config.load(), signals=[]))
    assert json.loads(compact)["documents"] == expected["documents"]
    assert json.loads(compact)["summary"] == expected["summary"]


def test_jsonl_streams_one_line_per_document(tmp_path: Path, small_batches: Path) -> None:
    feed = make_feed(tmp_path / "feed.jsonl", 20, bad_line=5)
    code, out, err = run("audit", str(feed), "--format", "jsonl", "-c", str(small_batches))
    assert code == 2  # the malformed line is reported, the rest audited
    docs = jsonl_documents(out)
    assert len(docs) == 21
    assert docs[4]["error"] and docs[4]["id"].endswith("feed.jsonl:5")
    assert "feed.jsonl:5" in err and "malformed JSON" in err
    code, out_json, _ = run("audit", str(feed), "--format", "json", "-c", str(small_batches))
    assert json.loads(out_json)["documents"] == docs


def test_stream_reader_matches_the_whole_file_reader(tmp_path: Path) -> None:
    from mtaudit.io import read_inputs

    feed = make_feed(tmp_path / "feed.jsonl", 12, bad_line=3)
    streamed = list(iter_inputs([str(feed)]))
    whole = read_inputs([str(feed)])
    assert [repr(x) if isinstance(x, Exception) else x for x in streamed] == [
        repr(x) if isinstance(x, Exception) else x for x in whole
    ]


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl"])
def test_jobs_give_the_same_output(tmp_path: Path, small_batches: Path, fmt: str) -> None:
    feed = make_feed(tmp_path / "feed.jsonl", 60)
    base = ("audit", str(feed), "--format", fmt, "-c", str(small_batches), "--no-signals")
    one = run(*base, "--jobs", "1")
    two = run(*base, "--jobs", "2")
    assert one[0] == two[0] == 0
    assert one[1] == two[1]


def fresh_env() -> dict[str, str]:
    """The environment of a fresh interpreter that imports this source tree."""
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    return dict(os.environ, PYTHONPATH=path)


def python(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` in a fresh interpreter: one thread, nothing loaded, as a user runs it."""
    return subprocess.run(
        [sys.executable, *args],
        env=fresh_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def command_line(*args: str) -> subprocess.CompletedProcess[str]:
    """``mtaudit ARGS`` in a fresh interpreter."""
    return python("-m", "mtaudit", *args)


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_the_command_line_forks_its_workers_and_writes_what_one_job_writes(
    tmp_path: Path, small_batches: Path
) -> None:
    feed = make_feed(tmp_path / "feed.jsonl", 40, seed=5)
    base = ("-v", "audit", str(feed), "--format", "jsonl", "-c", str(small_batches))
    one = command_line(*base, "--no-signals", "--jobs", "1")
    # to standard output: a forked worker must not write what the parent had buffered again
    two = command_line(*base, "--no-signals", "--jobs", "2")
    assert one.returncode == two.returncode == 0, two.stderr
    assert "auditing with 2 worker processes (fork)" in two.stderr
    assert two.stdout == one.stdout
    assert len(jsonl_documents(two.stdout)) == 40


FORK_AFTER_PRINT = """
import sys
from mtaudit.config import Config
from mtaudit.io.stream import iter_inputs
from mtaudit.runner import run_batches
print("written before the workers start", end="|")  # buffered: stdout is a pipe
items = list(iter_inputs([sys.argv[1]]))
batches = run_batches(items, Config.load(), signals=[], jobs=2, batch_size=3, start="fork")
print(sum(b.sentences for b in batches))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_forked_workers_do_not_write_the_parents_buffered_output_again(tmp_path: Path) -> None:
    feed = make_feed(tmp_path / "feed.jsonl", 12, seed=4)
    done = python("-c", FORK_AFTER_PRINT, str(feed))
    assert done.returncode == 0, done.stderr
    before, _, count = done.stdout.partition("|")
    assert before == "written before the workers start" and int(count) >= 12


WORKER_DIES = """
import os, sys
from mtaudit import runner
from mtaudit.cli import main

real = runner._work


def dying(items):
    if any(getattr(item, "id", "") == "doc-7" for item in items):
        os._exit(9)  # as if the kernel had killed the worker for memory
    return real(items)


runner._work = dying
main(sys.argv[1:])
"""


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_worker_that_dies_ends_the_run_with_a_clear_error(
    tmp_path: Path, small_batches: Path
) -> None:
    feed = make_feed(tmp_path / "feed.jsonl", 40, seed=6)
    out = tmp_path / "out.jsonl"
    args = ["audit", str(feed), "--no-signals", "-c", str(small_batches), "--jobs", "2"]
    # it used to wait for the lost batch for ever
    done = python("-c", WORKER_DIES, *args, "--format", "jsonl", "-o", str(out), timeout=120)
    assert done.returncode == 2, done.stderr
    assert "[E500] a worker process ended before finishing its batch" in done.stderr
    assert "fewer --jobs" in done.stderr


WORKER_CANNOT_START = """
import sys
from mtaudit import runner
from mtaudit.cli import main
from mtaudit.errors import ConfigError


class Broken:
    def __init__(self, *args, **kwargs):
        raise ConfigError("fluency.engine: no engine named 'nope'")


runner.Auditor = Broken  # only the workers build an Auditor when there are several
main(sys.argv[1:])
"""


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_worker_that_cannot_start_reports_why(tmp_path: Path, small_batches: Path) -> None:
    feed = make_feed(tmp_path / "feed.jsonl", 40, seed=6)
    args = ["audit", str(feed), "--no-signals", "-c", str(small_batches), "--jobs", "2"]
    done = python("-c", WORKER_CANNOT_START, *args, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "[E200] fluency.engine: no engine named 'nope'" in done.stderr
    assert "E500" not in done.stderr


def test_errors_come_back_from_a_worker_whole() -> None:
    import pickle

    from mtaudit.errors import ExtraMissingError, InputError, ModelMissingError

    for error in (
        InputError("malformed JSON", path="feed.jsonl", line=5),
        ExtraMissingError("ray", "ray", "--executor ray"),
        ModelMissingError("no model", fix="mtaudit models pull gpt2"),
    ):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error)
        assert back.__dict__ == error.__dict__


def test_worker_records_travel_as_marshal_bytes(tmp_path: Path) -> None:
    import datetime
    import pickle

    from mtaudit.pipeline import Auditor
    from mtaudit.runner import audit_batch

    items: list[Document | InputError] = list(
        iter_inputs([str(make_feed(tmp_path / "feed.jsonl", 6, seed=3))])
    )
    items.insert(2, InputError("malformed JSON", path="feed.jsonl", line=3))
    auditor = Auditor(Config.load(), signals=[])
    batch = audit_batch(auditor, items)
    expected = list(batch.documents)
    assert any(d.error for d in expected) and any(d.sentences for d in expected)
    batch.pack(items)
    assert batch.documents == [] and batch.packed is not None
    back = pickle.loads(pickle.dumps(batch))  # the way back from a worker
    back.unpack(items)
    assert back.documents == expected and back.packed is None
    # what marshal cannot write (a program's own objects in the metadata) is pickled as it is
    odd = [Document("odd", "The mayor spoke.", metadata={"when": datetime.date(2026, 1, 2)})]
    batch = audit_batch(auditor, list(odd))
    batch.pack(list(odd))
    assert batch.packed is None and batch.documents[0].metadata["when"].year == 2026
    batch.unpack(list(odd))
    assert batch.documents[0].id == "odd"


def test_a_checks_only_audit_imports_only_what_it_uses(tmp_path: Path) -> None:
    # start-up is serial work before any --jobs worker exists: what a run does not use is not
    # imported (the progress bar is not drawn off a terminal; no comparison metric runs)
    feed = make_feed(tmp_path / "feed.jsonl", 4)
    unused = ("tqdm", "sacrebleu", "importlib.metadata", "xml.sax.saxutils")
    args = ["audit", str(feed), "--no-signals", "--format", "jsonl", "-o", str(tmp_path / "o")]
    code = f"""
import sys
before = set(sys.modules)
from mtaudit.cli import main
try:
    main({args!r})
except SystemExit:
    pass
print([m for m in {unused!r} if m in sys.modules and m not in before])
"""
    done = python("-c", code)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stderr


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; it only waits to be reaped


@pytest.mark.skipif(
    not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(),
    reason="needs Linux: the kernel's parent-death signal, and /proc listing a process's children",
)
def test_workers_end_when_the_command_is_killed_outright(tmp_path: Path) -> None:
    feed = make_feed(tmp_path / "feed.jsonl", 3000, seed=8)
    config = tmp_path / "batches.toml"
    config.write_text("[run]\nbatch_size = 5\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    command = subprocess.Popen(
        [sys.executable, "-m", "mtaudit", "audit", str(feed), "--no-signals", "-c", str(config)]
        + ["--jobs", "2", "--format", "jsonl", "-o", str(out)],
        env=fresh_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and command.poll() is None:
            time.sleep(0.05)
            workers = _children(command.pid)
        assert len(workers) == 2, "the workers did not start"
        command.kill()  # SIGKILL: no clean-up runs in the command
        command.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, workers)), "workers outlived the command"
    except BaseException:
        for pid in workers:  # leave nothing behind when the test fails
            if _alive(pid):
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        raise
    finally:
        if command.poll() is None:
            command.kill()


STOP_WORKER = """
import signal
from mtaudit import runner
from mtaudit.config import Config

signal.signal(signal.SIGTERM, lambda *_: print("handled"))  # as the command's output file does
runner._start_worker(Config.load(), [], False)
print(signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)
"""


def test_a_worker_stops_at_once_when_told_to(tmp_path: Path) -> None:
    done = python("-c", STOP_WORKER, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"


@pytest.mark.parametrize(
    ("platform", "threads", "runtime", "method"),
    [
        ("linux", 1, None, "fork"),
        ("linux", 2, None, "spawn"),  # another thread may hold a lock at the fork
        ("linux", 1, "torch", "spawn"),  # its thread pools hang in a forked child
        ("linux", 1, "ctranslate2", "spawn"),
        ("darwin", 1, None, "spawn"),
    ],
)
def test_workers_fork_only_where_that_is_safe(
    monkeypatch: pytest.MonkeyPatch, platform: str, threads: int, runtime: str | None, method: str
) -> None:
    from mtaudit import runner

    monkeypatch.setattr(runner.sys, "platform", platform)
    monkeypatch.setattr(runner.threading, "active_count", lambda: threads)
    modules = {k: v for k, v in sys.modules.items() if k not in runner._RUNTIMES}
    if runtime:
        modules[runtime] = types.ModuleType(runtime)
    monkeypatch.setattr(runner.sys, "modules", modules)
    assert runner.start_method() == method


def test_the_command_keeps_what_it_loaded_out_of_the_collectors_walks_while_workers_run(
    tmp_path: Path,
) -> None:
    import gc

    from mtaudit.runner import run_batches

    items = list(iter_inputs([str(make_feed(tmp_path / "feed.jsonl", 20, seed=4))]))
    gc.unfreeze()  # nothing frozen before the run
    batches = run_batches(items, Config.load(), signals=[], jobs=2, batch_size=7, start="spawn")
    next(batches)
    assert gc.get_freeze_count() > 0  # frozen while the workers run
    assert sum(1 for _ in batches) == 2
    assert gc.get_freeze_count() == 0  # handed back to the collector at the end


def test_spawned_workers_give_the_batches_of_one_job(tmp_path: Path) -> None:
    from mtaudit.runner import run_batches

    items = list(iter_inputs([str(make_feed(tmp_path / "feed.jsonl", 30, seed=2))]))
    config = Config.load()
    one = list(run_batches(items, config, signals=[], jobs=1, batch_size=7))
    two = list(run_batches(items, config, signals=[], jobs=2, batch_size=7, start="spawn"))
    assert [b.documents for b in one] == [b.documents for b in two]
    assert [b.sentences for b in one] == [b.sentences for b in two]


@pytest.mark.parametrize("budget", ["0", "100%"])
def test_check_exit_code_does_not_depend_on_jobs(
    tmp_path: Path, small_batches: Path, budget: str
) -> None:
    feed = make_feed(tmp_path / "feed.jsonl", 30)
    base = ("check", str(feed), "-c", str(small_batches), "--max-flagged", budget)
    assert run(*base, "-j", "1")[0] == run(*base, "-j", "2")[0] == (1 if budget == "0" else 0)


def test_ray_missing_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_ray(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "ray" or name.startswith("ray."):
            raise ImportError("No module named 'ray'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    feed = make_feed(tmp_path / "feed.jsonl", 3)
    code, _, err = run("audit", str(feed), "--executor", "ray", "-o", str(tmp_path / "out"))
    assert code == 2 and "pip install 'mtaudit[ray]'" in err


@pytest.mark.ray
def test_jobs_and_ray_give_the_same_verdicts(tmp_path: Path, small_batches: Path) -> None:
    pytest.importorskip("ray.data")
    feed = make_feed(tmp_path / "feed.jsonl", 80, seed=3)
    base = ("audit", str(feed), "--format", "jsonl", "-c", str(small_batches), "--no-signals")
    code1, out1, _ = run(*base, "--jobs", "1")
    code2, out2, _ = run(*base, "--jobs", "2")
    out_dir = tmp_path / "ray"
    code3, _, err3 = run(*base, "--executor", "ray", "-o", str(out_dir))
    assert code1 == code2 == code3 == 0, err3
    shards = sorted(out_dir.glob("part-*.jsonl"))
    ray_docs = [
        json.loads(line) for shard in shards for line in shard.read_text("utf-8").splitlines()
    ]
    one, two = jsonl_documents(out1), jsonl_documents(out2)
    assert verdicts(one) == verdicts(two) == verdicts(ray_docs)
    assert sum(v[4] for v in verdicts(one)) > 0  # something was flagged
    summary = json.loads((out_dir / "run.json").read_text("utf-8"))
    last = json.loads(out1.splitlines()[-1])
    assert summary["summary"] == last["summary"]
    # the judging happened in workers; the signature still names the model used
    judged = [j["model"] for j in last["signature"]["judge"]]
    assert judged == ["ar-en.json"] == [j["model"] for j in summary["signature"]["judge"]]
    assert json.loads(out2.splitlines()[-1])["signature"]["judge"] == last["signature"]["judge"]


def test_a_jsonl_run_reads_back_as_the_json_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    feed = make_feed(tmp_path / "feed.jsonl", 6, seed=5)
    base = ("audit", str(feed), "--no-signals", "--jobs", "1")
    as_json, as_jsonl = tmp_path / "run.json", tmp_path / "run.jsonl"
    assert run(*base, "--format", "json", "-o", str(as_json))[0] == 0
    assert run(*base, "--format", "jsonl", "-o", str(as_jsonl))[0] == 0
    whole, lines = load_run(as_json), load_run(as_jsonl)
    assert lines.to_dict() == whole.to_dict()
    # as an interrupted run leaves it: no summary line; the summary is counted from the lines
    cut = tmp_path / "cut.jsonl"
    kept = as_jsonl.read_text("utf-8").splitlines()[:4]
    cut.write_text("\n".join(kept) + "\n", encoding="utf-8")
    partial = load_run(cut)
    assert [d.id for d in partial.documents] == [d.id for d in whole.documents[:3]]
    assert partial.summary.documents == 3
    assert partial.summary.flagged == sum(d.summary.flagged for d in whole.documents[:3])
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([kept[0], kept[1], "{not json", kept[2]]), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_run(broken)
    assert caught.value.line == 3 and "not valid JSON" in str(caught.value)
    code, _, err = run("report", str(as_jsonl), "--html", str(tmp_path / "r.html"))
    assert code == 0, err
    assert (tmp_path / "r.html").stat().st_size > 10_000
    # a results folder whose run stopped before run.json: its shards are read, with a warning
    shards = tmp_path / "results"
    shards.mkdir()
    (shards / "part-00000.jsonl").write_text("\n".join(kept[1:]) + "\n", encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mtaudit"):
        unfinished = load_run(shards)
    assert [d.to_dict() for d in unfinished.documents] == [d.to_dict() for d in partial.documents]
    assert "no run.json, the run did not finish" in caplog.text
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="not an --executor ray results folder"):
        load_run(empty)


def test_an_interrupted_jsonl_audit_keeps_what_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from mtaudit.reports.stream import JsonlWriter, JsonWriter

    feed = make_feed(tmp_path / "feed.jsonl", 6, seed=5)
    writes = {JsonlWriter: JsonlWriter.write, JsonWriter: JsonWriter.write}
    written: list[str] = []

    def interrupted(self: Any, doc: Any, signature: Any) -> None:
        if len(written) == 3:
            raise KeyboardInterrupt
        written.append(doc.id)
        writes[type(self)](self, doc, signature)

    monkeypatch.setattr(JsonlWriter, "write", interrupted)
    out = tmp_path / "out.jsonl"
    code, _, err = run("audit", str(feed), "--no-signals", "--format", "jsonl", "-o", str(out))
    assert code == 130 and "interrupted" in err
    partial = tmp_path / "out.jsonl.partial"
    assert not out.exists() and f"what was written so far is kept in {partial}" in err
    with caplog.at_level(logging.WARNING, logger="mtaudit"):
        kept = load_run(partial)
    assert [d.id for d in kept.documents] == written and kept.summary.documents == 3
    assert "no summary line, the run did not finish" in caplog.text
    # a run that finishes supersedes what the interrupted one kept
    monkeypatch.setattr(JsonlWriter, "write", writes[JsonlWriter])
    code, _, err = run("audit", str(feed), "--no-signals", "--format", "jsonl", "-o", str(out))
    assert code == 0 and out.exists() and not partial.exists()
    out.unlink()
    partial.write_text("", encoding="utf-8")
    # the JSON run is one object: interrupted, it leaves nothing half-written
    partial.unlink()
    monkeypatch.setattr(JsonWriter, "write", interrupted)
    written.clear()
    code, _, err = run("audit", str(feed), "--no-signals", "--format", "json", "-o", str(out))
    assert code == 130 and not out.exists() and not partial.exists()
    assert list(tmp_path.glob(".out.jsonl.*")) == []  # no temporary file left either


def fill_fidelity_cache(feed: Path, config_path: Path) -> None:
    """Cache every translation a fidelity run of ``feed`` asks for, so no model is needed:
    each target sentence's back-translation (the aligned source paragraph, every third one
    emptied out) and each aligned source's forward translation (the target itself)."""
    from mtaudit.pipeline import prepare, segment
    from mtaudit.translate.cache import TranslationCache
    from mtaudit.translate.engine import translation_key
    from mtaudit.translate.settings import cache_path, engine_for
    from mtaudit.translate.shared import Translations
    from mtaudit.types import Document

    config = Config.load(config_path)
    docs = [segment(d, config) for d in iter_inputs([str(feed)]) if isinstance(d, Document)]
    back = {}
    for doc in docs:
        for k, sent in enumerate(doc.sentences):
            back[sent.text] = "" if k % 3 == 2 else (doc.document.source or sent.text)
    with TranslationCache(cache_path(config)) as cache:
        spec = engine_for(config, "en-ar")
        assert spec is not None
        cache.put_many(translation_key(config, spec), back.items(), origin="import:test")
    translations = Translations(config)
    forward = {
        pair.source: pair.target.text
        for doc in docs
        for pair in prepare(doc, config, translations.translate_if_available).pairs
        if pair.source
    }
    translations.close()
    with TranslationCache(cache_path(config)) as cache:
        spec = engine_for(config, "ar-en")
        assert spec is not None
        cache.put_many(translation_key(config, spec), forward.items(), origin="import:test")


@pytest.fixture
def fidelity_feed(tmp_path: Path) -> tuple[Path, Path]:
    feed = make_feed(tmp_path / "feed.jsonl", 40, seed=5)
    config = tmp_path / "fidelity.toml"
    config.write_text(
        f'[run]\nbatch_size = 6\n[translation]\nmodels_dir = "{tmp_path / "none"}"\n'
        f'cache = "{tmp_path / "cache.sqlite3"}"\n[fidelity]\nparts = ["back_translation", '
        '"forward"]\n',
        encoding="utf-8",
    )
    fill_fidelity_cache(feed, config)
    return feed, config


def test_fidelity_from_cache_is_the_same_with_jobs(fidelity_feed: tuple[Path, Path]) -> None:
    feed, config = fidelity_feed
    base = ("audit", str(feed), "--format", "jsonl", "-c", str(config), "--signals", "fidelity")
    code1, out1, err1 = run(*base, "--strict", "--jobs", "1")
    code2, out2, _ = run(*base, "--strict", "--jobs", "2")
    assert code1 == code2 == 0, err1
    one, two = jsonl_documents(out1), jsonl_documents(out2)
    assert verdicts(one) == verdicts(two)
    with_source = [s for d in one for s in d["sentences"] if s["source"]]
    assert with_source and all("fidelity.chrf_forward" in s["signals"] for s in with_source)
    flagged_by_fidelity = [
        c for d in one for s in d["sentences"] for c in s["checks"] if c["id"].startswith("fid")
    ]
    assert flagged_by_fidelity  # the emptied back-translations are found


@pytest.mark.ray
def test_ray_actors_give_the_same_fidelity_verdicts(
    tmp_path: Path, fidelity_feed: tuple[Path, Path]
) -> None:
    pytest.importorskip("ray.data")
    feed, config = fidelity_feed
    base = ("audit", str(feed), "--format", "jsonl", "-c", str(config), "--signals", "fidelity")
    code1, out1, _ = run(*base, "--jobs", "1")
    code3, _, err3 = run(*base, "--executor", "ray", "-o", str(tmp_path / "ray"))
    assert code1 == code3 == 0, err3
    shards = sorted((tmp_path / "ray").glob("part-*.jsonl"))
    ray_docs = [json.loads(x) for shard in shards for x in shard.read_text("utf-8").splitlines()]
    assert verdicts(jsonl_documents(out1)) == verdicts(ray_docs)
    summary = json.loads((tmp_path / "ray" / "run.json").read_text("utf-8"))
    assert [s["name"] for s in summary["signature"]["signals"] if s["ran"]] == [
        "fidelity.back_translation",
        "fidelity.forward",
    ]


def hostile_feeds(folder: Path) -> list[Path]:
    """Two feeds whose bad lines each used to stop a Ray run, and a third with no record."""
    good = json.loads(make_feed(folder / "good.jsonl", 4).read_text("utf-8").splitlines()[1])
    lines = [
        json.dumps(good, ensure_ascii=False),
        "{not json",
        "[1, 2, 3]",
        "42",
        json.dumps({"id": 5, "target": 7}),  # other types than the records around it
        '{"target": "no id: named by its file and line"}',
        '{"id": "deep", "target": "x", "meta": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"id": "big", "target": "x", "n": ' + "9" * 5000 + "}",
        '{"id": "twice", "target": "first", "target": "second"}',
        '{"id": "null", "target": null}',
        "\u3000",  # blank once decoded
        json.dumps(dict(good, id="last"), ensure_ascii=False),
    ]
    first = folder / "first.jsonl"
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = folder / "second.jsonl"
    second.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps(dict(good, id="bom")).encode()
        + b'\r{"id": "latin1", "target": "caf\xe9"}\r{"id": "nul", "target": "a\x00"}\r'
    )
    empty = folder / "empty.jsonl"
    empty.write_text("\n \n", encoding="utf-8")
    return [first, second, empty]


@pytest.mark.ray
def test_ray_reads_hostile_lines_as_a_local_run_does(tmp_path: Path) -> None:
    pytest.importorskip("ray.data")
    feeds = [str(p) for p in hostile_feeds(tmp_path)]
    # what an earlier, longer run left in the results folder
    (tmp_path / "ray").mkdir()
    (tmp_path / "ray" / "part-00003.jsonl").write_text('{"id": "stale"}\n', encoding="utf-8")
    (tmp_path / "ray" / "run.json").write_text("{}", encoding="utf-8")
    code1, out1, _ = run("audit", *feeds, "--format", "jsonl", "--no-signals", "--jobs", "1")
    code3, _, err3 = run(
        "audit", *feeds, "--no-signals", "--executor", "ray", "-o", str(tmp_path / "ray")
    )
    assert code1 == code3 == 2, err3
    shards = sorted((tmp_path / "ray").glob("part-*.jsonl"))
    ray_docs = [json.loads(x) for shard in shards for x in shard.read_text("utf-8").splitlines()]
    local = jsonl_documents(out1)
    assert ray_docs == local
    errors = [(d.get("origin"), d.get("error")) for d in local if d.get("error")]
    assert len(errors) == 10, errors
    assert [d["id"] for d in local if not d.get("error")] == [
        local[0]["id"],
        f"{feeds[0]}:6",
        "twice",
        "last",
        "bom",
    ]
    summary = json.loads((tmp_path / "ray" / "run.json").read_text("utf-8"))
    assert summary["summary"] == json.loads(out1.splitlines()[-1])["summary"]
    # the results folder is a run that report, apply and eval read
    folder_run = load_run(tmp_path / "ray")
    assert [d.to_dict() for d in folder_run.documents] == local
    assert folder_run.summary.to_dict() == summary["summary"]


@pytest.mark.ray
def test_ray_keeps_segments_whole_and_warns_of_repeated_ids(tmp_path: Path) -> None:
    pytest.importorskip("ray.data")
    two = "The council met on Tuesday. It approved the budget of 12 million dinars."
    feed = tmp_path / "segments.jsonl"
    records = [{"id": "s1", "target": two}, {"id": "s1", "target": "A second record."}]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    base = ("audit", str(feed), "--no-signals", "--unit", "segment")
    code1, out1, err1 = run(*base, "--format", "jsonl", "--jobs", "1")
    code3, _, err3 = run(*base, "--executor", "ray", "-o", str(tmp_path / "ray"))
    assert code1 == code3 == 0, err3
    shards = sorted((tmp_path / "ray").glob("part-*.jsonl"))
    ray_docs = [json.loads(x) for shard in shards for x in shard.read_text("utf-8").splitlines()]
    assert ray_docs == jsonl_documents(out1)
    assert [len(d["sentences"]) for d in ray_docs] == [1, 1]  # the segment was not re-split
    warning = f"{feed}:2: document id 's1' is also used by {feed}:1"
    assert warning in err1 and warning in err3


@pytest.mark.ray
def test_ray_check_writes_the_same_junit_annotations_and_baseline(tmp_path: Path) -> None:
    pytest.importorskip("ray.data")
    feed = make_feed(tmp_path / "feed.jsonl", 12, seed=4)
    outputs = {}
    for name, extra in (("local", ["--no-state"]), ("ray", ["--executor", "ray", "-o", "res"])):
        folder = tmp_path / name
        folder.mkdir()
        args = [str(feed), "--no-signals", "--github", "--max-flagged", "1%"]
        args += ["--junit", str(folder / "junit.xml"), "--baseline", str(folder / "base.json")]
        args += ["--update-baseline", *extra]
        code, out, err = run("check", *[a.replace("res", str(folder / "res")) for a in args])
        assert code == 0, err  # every problem is written to the baseline, so known
        baseline = json.loads((folder / "base.json").read_text("utf-8"))
        baseline.pop("created", None)
        junit = re.sub(r' time(stamp)?="[^"]*"', "", (folder / "junit.xml").read_text("utf-8"))
        notes = [line for line in out.splitlines() if line.startswith("::")]
        outputs[name] = (junit, notes, baseline)
    assert outputs["ray"] == outputs["local"]
    junit, notes, baseline = outputs["local"]
    # one case per document, flagged sentences listed (all known once written to the baseline)
    assert 'tests="12"' in junit and "<system-out>" in junit and notes and baseline["problems"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--ray-address", "auto"], "--ray-address goes with --executor ray"),
        (["--executor", "ray"], "give -o FOLDER"),
        (["--executor", "ray", "-o", "out", "--html", "r.html"], "no --source or --html"),
        (["--jobs", "0"], "--jobs"),
        (["--executor", "ray", "-o", "out", "--format", "html"], "--format html: for local runs"),
        (["--executor", "ray", "-o", "out", "--pretty", "--all"], "--pretty, --all: for local"),
        (["--executor", "ray", "-o", "out", "--state", "s.db"], "--state: for local runs only"),
        (["--executor", "ray", "-o", "."], "holds the input feed: give the results another"),
    ],
)
def test_scale_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    feed = make_feed(tmp_path / "feed.jsonl", 2)
    command = "check" if "--state" in extra else "audit"
    code, _, err = run(command, str(feed), *extra)
    assert code == 2 and message in err


def test_output_that_is_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    feed = make_feed(tmp_path / "feed.jsonl", 2)
    code, _, err = run("audit", str(feed), "--format", "json", "-o", str(tmp_path))
    assert code == 2 and "cannot write" in err


@pytest.mark.parametrize(
    ("documents", "batch_size", "jobs"),
    [
        (1, None, 1),  # one large document: in this process, a slice at a time
        (1, None, 2),  # one batch never starts workers, so it moves a slice at a time too
        (3, 1, 2),  # workers: each finished batch counts once, in the parent
    ],
)
def test_progress_sums_to_the_sentences_with_jobs(
    documents: int, batch_size: int | None, jobs: int
) -> None:
    from mtaudit.runner import run_batches

    text = "\n\n".join(
        " ".join(f"The council approved project {p * 10 + j} on Tuesday." for j in range(10))
        for p in range(120)
    )
    items: list[Any] = [Document(id=f"d{i}", target=text) for i in range(documents)]
    seen: list[int] = []
    batches = list(
        run_batches(
            items, Config.load(), signals=[], jobs=jobs, batch_size=batch_size, progress=seen.append
        )
    )
    sentences = sum(len(d.sentences) for b in batches for d in b.documents)
    assert sentences == 1200 * documents
    assert sum(seen) == sentences
    if documents == 1:
        assert len(seen) > 1  # moved before the document finished
    else:
        assert seen == [1200] * documents


def test_more_jobs_than_cores_is_warned_about(tmp_path: Path) -> None:
    from mtaudit.runner import default_jobs

    feed = make_feed(tmp_path / "feed.jsonl", 3)  # one batch: audited in this process
    too_many = str(default_jobs() + 1)
    code, _, err = run("audit", str(feed), "--no-signals", "--jobs", too_many)
    assert code == 0 and f"--jobs {too_many} is more than the {default_jobs()} core" in err
    code, _, err = run("audit", str(feed), "--no-signals", "--jobs", str(default_jobs()))
    assert code == 0 and "more than the" not in err
