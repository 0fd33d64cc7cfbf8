"""Incremental runs: the state database re-audits exactly the documents that changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import mtaudit.state as state_module
from mtaudit.cli import main
from mtaudit.config import Config
from mtaudit.pipeline import audit
from mtaudit.reports.json_report import run_to_dict
from mtaudit.state import StateDB, audit_incremental, content_hash, pack, unpack
from mtaudit.types import Document

TEXTS = [
    "The council approved the plan on Sunday. Officials said said the work would start soon.",
    "The minister spoke about &quot;reform&quot; at length yesterday.",
    "The weather was fine and the markets were calm all week long.",
]


def _docs(n: int = 6, changed: dict[int, str] | None = None) -> list[Document]:
    changed = changed or {}
    docs = []
    for i in range(n):
        target = changed.get(i, f"Story {i}. " + TEXTS[i % len(TEXTS)])
        lang = "ar" if i % 3 == 2 else "en"
        source_lang = "en" if lang == "ar" else "ar"
        docs.append(Document(f"doc-{i}", target, None, source_lang, lang, origin="feed"))
    return docs


class Spy:
    """Counts the documents the pipeline is asked to audit."""

    def __init__(self) -> None:
        self.audited: list[str] = []

    def __call__(self, items: Any, config: Config, **kwargs: Any) -> Any:
        self.audited += [d.id for d in items]
        return audit(items, config, **kwargs)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    found = Spy()
    monkeypatch.setattr(state_module, "audit", found)
    return found


def _run(
    db: StateDB, docs: list[Document], config: Config | None = None
) -> tuple[dict[str, Any], state_module.Incremental]:
    run, stats = audit_incremental(docs, config or Config.load(), db, signals=[])
    return run.to_dict(), stats


def test_second_run_on_an_unchanged_feed_audits_nothing(tmp_path: Path, spy: Spy) -> None:
    with StateDB(tmp_path / "state.sqlite3") as db:
        first, stats = _run(db, _docs())
        assert (stats.audited, stats.reused, len(spy.audited)) == (6, 0, 6)
        second, stats = _run(db, _docs())
        assert (stats.audited, stats.reused, len(spy.audited)) == (0, 6, 6)
    assert json.dumps(second) == json.dumps(first)  # the same record, keys in the same order
    fresh = run_to_dict(audit(_docs(), Config.load(), signals=[]))
    assert second["documents"] == fresh["documents"] and second["summary"] == fresh["summary"]


def test_one_changed_document_audits_one_and_reports_all(tmp_path: Path, spy: Spy) -> None:
    with StateDB(tmp_path / "state.sqlite3") as db:
        _run(db, _docs())
        spy.audited.clear()
        run, stats = _run(db, _docs(changed={3: "A new story about the the budget."}))
        assert spy.audited == ["doc-3"] and (stats.audited, stats.reused) == (1, 5)
        assert [d["id"] for d in run["documents"]] == [f"doc-{i}" for i in range(6)]
        assert run["documents"][3]["target"] == "A new story about the the budget."
        spy.audited.clear()
        grown, stats = _run(db, _docs(8))  # the feed grew by two; doc-3 is back as it was
        assert spy.audited == ["doc-3", "doc-6", "doc-7"]
        assert grown["summary"]["documents"] == 8
        assert db.count() == 8  # the old version of doc-3 was replaced, not kept


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"judge.flag": 0.3}, 6),  # verdicts of every document
        ({"checks.repetition.max_ngram": 4}, 6),
        ({"gate.max_flagged": "10%"}, 0),  # budgets do not change verdicts
        ({"report.progress_min_documents": 5}, 0),
        ({"translation.cache": "elsewhere.sqlite3"}, 0),
    ],
)
def test_a_changed_config_invalidates_what_it_affects(
    tmp_path: Path, spy: Spy, override: dict[str, Any], expected: int
) -> None:
    with StateDB(tmp_path / "state.sqlite3") as db:
        _run(db, _docs())
        spy.audited.clear()
        _run(db, _docs(), Config.load().with_overrides(override))
    assert len(spy.audited) == expected


def test_a_file_the_config_names_invalidates_when_it_changes(
    tmp_path: Path, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "terms.tsv").write_text("a\tb\n", encoding="utf-8")
    config = Config.load().with_overrides({"checks.glossary.file": "terms.tsv"})
    with StateDB(tmp_path / "state.sqlite3") as db:
        _run(db, _docs(), config)
        spy.audited.clear()
        _run(db, _docs(), config)
        assert spy.audited == []
        (tmp_path / "terms.tsv").write_text("a\tc\nd\te\n", encoding="utf-8")
        _run(db, _docs(), config)
        assert len(spy.audited) == 6


def _signal_docs(db: StateDB, config: Config) -> int:
    return audit_incremental(_docs(), config, db, signals=["fluency"])[1].audited


def test_a_changed_language_model_invalidates_the_languages_it_covers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MTAUDIT_MODELS_DIR", str(tmp_path / "models"))
    config = Config.load()
    with StateDB(tmp_path / "state.sqlite3") as db:
        assert _signal_docs(db, config) == 6
        assert _signal_docs(db, config) == 0
        # fluency settings matter only to targets the model covers (English: 4 of 6)
        assert _signal_docs(db, config.with_overrides({"fluency.sentence_minor_z": 2.0})) == 4
        # the model appearing on disk re-audits those same documents
        (tmp_path / "models" / "gpt2").mkdir(parents=True)
        (tmp_path / "models" / "gpt2" / "config.json").write_text("{}", encoding="utf-8")
        assert _signal_docs(db, config) == 4
        assert _signal_docs(db, config) == 0


def test_records_of_old_settings_are_pruned_after_a_while(tmp_path: Path) -> None:
    old = Config.load().with_overrides({"judge.flag": 0.3})
    with StateDB(tmp_path / "state.sqlite3") as db:
        _run(db, _docs(), old)
        _run(db, _docs())
        assert db.count() == 12  # both settings kept while recent
        db.conn.execute("UPDATE documents SET updated = updated - 31 * 24 * 3600")
        _run(db, _docs())
        assert db.count() == 6  # the old settings' records went; the current ones stay
        assert _run(db, _docs())[1].audited == 0


def test_content_hash_covers_every_field() -> None:
    base = Document("a", "Text.", "نص.", "ar", "en", origin="f", metadata={"k": 1})
    variants = [
        Document("b", "Text.", "نص.", "ar", "en", origin="f", metadata={"k": 1}),
        Document("a", "Text!", "نص.", "ar", "en", origin="f", metadata={"k": 1}),
        Document("a", "Text.", None, "ar", "en", origin="f", metadata={"k": 1}),
        Document("a", "Text.", "نص.", "fr", "en", origin="f", metadata={"k": 1}),
        Document("a", "Text.", "نص.", "ar", "en", origin="g", metadata={"k": 1}),
        Document("a", "Text.", "نص.", "ar", "en", origin="f", metadata={"k": 2}),
    ]
    assert len({content_hash(d) for d in [base, *variants]}) == 7


def test_an_interrupted_run_keeps_the_batches_it_finished(tmp_path: Path, spy: Spy) -> None:
    class Stop(Exception):
        pass

    calls = 0

    def progress(n: int) -> None:  # called once a document, with its sentence count
        nonlocal calls
        calls += 1
        if calls == 3:
            raise Stop

    with StateDB(tmp_path / "state.sqlite3") as db:
        with pytest.raises(Stop):
            audit_incremental(_docs(), Config.load(), db, signals=[], progress=progress, batch=2)
        assert db.count() == 2
        assert _run(db, _docs())[1].audited == 4


# -- the command line ---------------------------------------------------------------------------


def _feed(path: Path, n: int, changed: int | None = None) -> Path:
    lines = []
    for i in range(n):
        target = f"Story {i}. " + TEXTS[i % len(TEXTS)]
        if i == changed:
            target += " It was was late."
        lines.append(json.dumps({"id": f"s{i}", "target": target}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", "--no-signals", "--max-flagged", "100%", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_reruns(tmp_path: Path) -> None:
    feed, state = tmp_path / "feed.jsonl", tmp_path / "ci" / "state.sqlite3"
    _feed(feed, 5)
    code, first, err = _check(str(feed), "--state", str(state), "--format", "json")
    assert code == 0 and "state: audited 5 document(s), 0 unchanged" in err
    code, second, err = _check(str(feed), "--state", str(state), "--format", "json")
    assert "state: audited 0 document(s), 5 unchanged" in err
    assert json.loads(second) == json.loads(first)
    _feed(feed, 6, changed=1)
    code, _, err = _check(str(feed), "--state", str(state))
    assert "state: audited 2 document(s), 4 unchanged" in err
    code, _, err = _check(str(feed), "--no-state")
    assert "state:" not in err


def test_cli_default_state_lives_beside_the_translation_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MTAUDIT_STATE", raising=False)
    monkeypatch.setenv("MTAUDIT_TRANSLATION_CACHE", str(tmp_path / "cache" / "cache.sqlite3"))
    code, _, err = _check(str(_feed(tmp_path / "feed.jsonl", 2)))
    where = tmp_path / "cache" / "state.sqlite3"
    assert code == 0 and where.is_file() and str(where) in err


def test_cli_state_that_cannot_be_opened_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = _check(str(_feed(tmp_path / "feed.jsonl", 1)), "--state", str(blocker / "s.db"))
    assert code == 2 and "state database" in err and "Traceback" not in err


def test_stored_records_round_trip_with_their_texts() -> None:
    doc = Document("d", "Target text.", "نص المصدر.", "ar", "en")
    record = {"id": "d", "target": "Target text.", "source": "other", "summary": {}, "x": [1]}
    packed = pack(record, doc)
    assert "target" not in packed and packed["source"] == "other"  # only the document's own
    assert list(unpack(packed, doc).items()) == list(record.items())


def test_progress_counts_reused_sentences_not_documents(tmp_path: Path) -> None:
    with StateDB(tmp_path / "state.sqlite3") as db:
        first: list[int] = []
        run, _ = audit_incremental(_docs(), Config.load(), db, signals=[], progress=first.append)
        sentences = run.summary.sentences
        assert sum(first) == sentences > 6
        again: list[int] = []
        changed = {1: "One new story. It has two sentences."}
        run, stats = audit_incremental(
            _docs(changed=changed), Config.load(), db, signals=[], progress=again.append
        )
        assert stats.audited == 1
        assert sum(again) == run.summary.sentences
