"""Incremental runs: the state database re-audits exactly the documents that changed."""

from __future__ import annotations

import json
import marshal
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import mtaudit.state as state_module
from mtaudit.cli import main
from mtaudit.config import Config
from mtaudit.pipeline import audit
from mtaudit.records import LAYOUT
from mtaudit.reports.json_report import run_to_dict
from mtaudit.runfile import RunDocument
from mtaudit.state import StateDB, audit_incremental, content_hash, decode, encode
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
        db.conn.execute("UPDATE records SET updated = updated - 31 * 24 * 3600")
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
    target = (
        "The minister said said on Monday that 12 projects were approved. "
        "Share this:\n\nTwitter\n\nFacebook\n\nPrices rose sharply in the capital."
    )
    doc = Document("d", target, "قال الوزير يوم الاثنين إن 14 مشروعا أقرت.", "ar", "en")
    record = RunDocument.from_result(audit([doc], Config.load(), signals=[]).documents[0])
    assert any(s.checks for s in record.sentences) and record.source == doc.source
    blob = encode(record, doc)
    assert doc.target.encode() not in blob  # the document's own texts are not stored
    assert decode(blob, doc) == record
    assert decode(blob, doc).to_dict() == record.to_dict()
    record.source = "مصدر آخر."  # a text that is not the document's own is kept
    assert decode(encode(record, doc), doc) == record
    for bad in (b"not a record", marshal.dumps((LAYOUT + 1, "d")), marshal.dumps((LAYOUT,))):
        assert decode(bad, doc) is None


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


# -- the fidelity signal reads the translation cache ------------------------------------------

# Three ar->en documents: two sentences each, with their sources (aligned by translation).
FEED = [
    (
        "The oil minister said on Monday that production rose by 12 percent. "
        "Exports reached a record level last month.",
        "قال وزير النفط يوم الاثنين إن الإنتاج ارتفع بنسبة 12 بالمئة. "
        "وبلغت الصادرات مستوى قياسيا الشهر الماضي.",
    ),
    (
        "The Canadian Diabetes Association met in Ottawa in 2019. "
        "Doctors discussed new treatments for children.",
        "اجتمعت الجمعية الكندية للسكري في أوتاوا عام 2019. وناقش الأطباء علاجات جديدة للأطفال.",
    ),
    (
        "The Iraqi parliament approved the budget after long talks. "
        "The vote was held late on Sunday night.",
        "وافق البرلمان العراقي على الموازنة بعد محادثات طويلة. "
        "وجرى التصويت في وقت متأخر من ليل الأحد.",
    ),
]


def _sentences(text: str) -> list[str]:
    first, _, second = text.partition(". ")
    return [first + ".", second]


def _fidelity_feed(path: Path) -> Path:
    lines = [
        json.dumps({"id": f"story-{i}", "target": target, "source": source}, ensure_ascii=False)
        for i, (target, source) in enumerate(FEED)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(tmp_path: Path, direction: str, rows: list[tuple[str, str]]) -> None:
    """``mtaudit cache import`` of (text, translation) rows, as a user would run it."""
    model = {"en-ar": "opus-mt-en-ar", "ar-en": "opus-mt-ar-en"}[direction]
    texts, translations = tmp_path / f"{direction}.txt", tmp_path / f"{direction}.mt.txt"
    texts.write_text("".join(f"{t}\n" for t, _ in rows), encoding="utf-8")
    translations.write_text("".join(f"{tr}\n" for _, tr in rows), encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["cache", "import", "--model", model, "--direction", direction]
        + [str(texts), str(translations)],
    )
    assert result.exit_code == 0, result.output


def _fill(tmp_path: Path) -> None:
    """Faithful translations of every sentence in both directions (no model on disk)."""
    back, forth = [], []
    for target, source in FEED:
        for tgt, src in zip(_sentences(target), _sentences(source), strict=True):
            back.append((tgt, src))  # the back-translation is the source itself
            forth.append((src, tgt))
    _import(tmp_path, "en-ar", back)
    _import(tmp_path, "ar-en", forth)


def _fidelity_check(feed: Path, state: Path) -> tuple[dict[str, Any], str]:
    result = CliRunner().invoke(
        main,
        ["check", str(feed), "--signals", "fidelity", "--max-flagged", "100%"]
        + ["--state", str(state), "--format", "json"],
    )
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout), result.stderr


def test_imported_translations_re_audit_exactly_the_documents_they_change(tmp_path: Path) -> None:
    _fill(tmp_path)
    feed, state = _fidelity_feed(tmp_path / "feed.jsonl"), tmp_path / "state.sqlite3"
    first, err = _fidelity_check(feed, state)
    assert "state: audited 3 document(s), 0 unchanged" in err
    assert all(s["ran"] for s in first["signature"]["signals"])  # scored from the cache alone
    assert _fidelity_check(feed, state)[1].count("audited 0 document(s), 3 unchanged") == 1
    before = first["documents"][1]["sentences"][0]
    assert before["signals"]["fidelity.chrf_back"] > 90 and not before["flagged"]

    # a different back-translation of one sentence of story-1: the year and the name are lost
    wrong = "اجتمعت جمعية سيكري في الحفلة عام 2018."
    _import(tmp_path, "en-ar", [(_sentences(FEED[1][0])[0], wrong)])
    third, err = _fidelity_check(feed, state)
    assert "state: audited 1 document(s), 2 unchanged" in err
    after = third["documents"][1]["sentences"][0]
    assert after["texts"]["back_translation"] == wrong
    assert after["signals"]["fidelity.chrf_back"] < before["signals"]["fidelity.chrf_back"]
    assert (before["severity"], after["severity"]) == ("none", "minor")  # the verdict changed
    assert after["risk"] > before["risk"] + 0.3
    assert "2019 is missing from the back-translation" in after["reasons"]
    assert third["documents"][0] == first["documents"][0]  # the others are reused as they were
    assert third["documents"][2] == first["documents"][2]

    # importing the same translations again changes nothing, so nothing is audited again
    _import(tmp_path, "en-ar", [(_sentences(FEED[1][0])[0], wrong)])
    assert "audited 0 document(s), 3 unchanged" in _fidelity_check(feed, state)[1]
    # a translation of a text no document uses changes nothing either
    _import(tmp_path, "ar-en", [("نص لا يرد في أي وثيقة.", "A text no document has.")])
    assert "audited 0 document(s), 3 unchanged" in _fidelity_check(feed, state)[1]
    # a forward translation of story-2's source re-audits story-2 only
    _import(tmp_path, "ar-en", [(_sentences(FEED[2][1])[1], "The vote took place on Monday.")])
    assert "audited 1 document(s), 2 unchanged" in _fidelity_check(feed, state)[1]


def test_recorded_reads_cover_every_cached_translation_the_audit_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mtaudit.state.reads import TranslationReads
    from mtaudit.translate.cache import TranslationCache, normalise

    _fill(tmp_path)
    read: set[tuple[str, str]] = set()
    original = TranslationCache.get_many

    def spy(self: TranslationCache, key: Any, texts: Any) -> dict[str, str]:
        texts = list(texts)
        read.update((key.direction, normalise(t)) for t in texts if normalise(t))
        return original(self, key, texts)

    monkeypatch.setattr(TranslationCache, "get_many", spy)
    docs = [
        Document(f"d{i}", target, source if i != 2 else None, "ar", "en")
        for i, (target, source) in enumerate(FEED)  # d2 has no source: the round trip
    ]
    config = Config.load()
    with StateDB(tmp_path / "state.sqlite3") as db:
        run, _ = audit_incremental(docs, config, db, signals=["fidelity"])
    assert read  # the audit did read the cache
    reads = TranslationReads(config)
    derived = {
        (direction, text)
        for record in run.documents
        for direction, texts in reads.of(record).items()
        for text in texts
    }
    reads.close()
    assert read <= derived


def test_checks_only_never_opens_the_translation_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mtaudit.translate.cache import TranslationCache

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the translation cache was opened")

    monkeypatch.setattr(TranslationCache, "__init__", refuse)
    with StateDB(tmp_path / "state.sqlite3") as db:
        assert _run(db, _docs())[1].audited == 6
        assert _run(db, _docs())[1].reused == 6
        row = db.conn.execute("SELECT reads, reads_digest FROM records LIMIT 1").fetchone()
    assert row == (None, "")


def _outputs(tmp_path: Path, feed: Path, *state: str) -> tuple[Any, ...]:
    """Exit code, text report, JUnit XML (timestamps out), annotations, gate lines of a run,
    and its state line apart."""
    report, junit = tmp_path / "report.txt", tmp_path / "junit.xml"
    result = CliRunner().invoke(
        main,
        ["check", str(feed), "--no-signals", "-o", str(report), "--junit", str(junit)]
        + ["--github", "--max-flagged-per-doc", "1", "--fail-on", "critical", *state],
    )
    xml = re.sub(r'timestamp="[^"]*"', "", junit.read_text(encoding="utf-8"))
    lines = result.stderr.splitlines()
    gate = [line for line in lines if not line.startswith("state:")]
    outputs = (result.exit_code, report.read_text(encoding="utf-8"), xml, result.stdout, gate)
    return outputs, [line for line in lines if line.startswith("state:")]


@pytest.mark.parametrize("changed", [None, 3])
def test_a_rerun_reports_exactly_what_a_full_run_reports(
    tmp_path: Path, changed: int | None
) -> None:
    feed, state = tmp_path / "feed.jsonl", tmp_path / "state.sqlite3"
    _feed(feed, 8)
    _outputs(tmp_path, feed, "--state", str(state))
    _feed(feed, 8, changed=changed)
    full, _ = _outputs(tmp_path, feed, "--no-state")
    rerun, done = _outputs(tmp_path, feed, "--state", str(state))
    reused = 8 if changed is None else 7
    assert f"{8 - reused} document(s), {reused} unchanged" in done[0]
    assert full[0] == 1 and "over budget" in "\n".join(full[4])  # the gate has work to do
    assert full[3].count("::error") >= 2 and "Total: 8 document(s)" in full[1]
    assert rerun == full


def test_importing_a_round_trips_missing_leg_re_audits_its_document(tmp_path: Path) -> None:
    # a target without a source: its round trip needs both legs, and only the first is cached
    target, source = FEED[2]
    feed, state = tmp_path / "feed.jsonl", tmp_path / "state.sqlite3"
    feed.write_text(json.dumps({"id": "alone", "target": target}) + "\n", encoding="utf-8")
    english, arabic = _sentences(target), _sentences(source)
    _import(tmp_path, "en-ar", list(zip(english, arabic, strict=True)))
    first, err = _fidelity_check(feed, state)
    assert "audited 1 document(s), 0 unchanged" in err
    assert not any(
        "fidelity.chrf_round_trip" in s["signals"] for s in first["documents"][0]["sentences"]
    )
    assert "audited 0 document(s), 1 unchanged" in _fidelity_check(feed, state)[1]
    _import(tmp_path, "ar-en", list(zip(arabic, english, strict=True)))  # the second leg
    again, err = _fidelity_check(feed, state)
    assert "audited 1 document(s), 0 unchanged" in err
    assert all(
        "fidelity.chrf_round_trip" in s["signals"] for s in again["documents"][0]["sentences"]
    )
