from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from pathlib import Path

import pytest

from mtaudit.translate import TranslationKey, Translator
from mtaudit.translate.cache import CachedTranslator, TranslationCache

KEY = TranslationKey("Helsinki-NLP/opus-mt-ar-en", "abc123", "ar-en", "beam=1")


class Upper:
    """A stand-in backend that counts what it is asked to translate."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.key = KEY
        self.seen: list[str] = []
        self.calls = 0
        self.fail_after = fail_after

    def translate(self, texts: Sequence[str]) -> list[str]:
        if self.fail_after is not None and self.calls >= self.fail_after:
            raise KeyboardInterrupt  # the run is interrupted mid-way
        self.calls += 1
        self.seen.extend(texts)
        return [t.upper() for t in texts]


def refuse() -> Translator:
    raise AssertionError("the model must not be loaded when everything is cached")


def test_put_get_and_keys_are_separate(tmp_path: Path) -> None:
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        assert cache.put_many(KEY, [("نص", "text"), ("  نص آخر ", "other text"), ("", "x")]) == 2
        assert cache.get_many(KEY, ["نص", "نص آخر", "missing"]) == {
            "نص": "text",
            "نص آخر": "other text",
        }
        beam4 = TranslationKey(KEY.model, KEY.revision, KEY.direction, "beam=4")
        other_rev = TranslationKey(KEY.model, "def456", KEY.direction, KEY.decoding)
        assert cache.get_many(beam4, ["نص"]) == {}
        assert cache.get_many(other_rev, ["نص"]) == {}
        assert cache.missing(KEY, ["نص", "جديد", "جديد", " "]) == ["جديد"]
        assert cache.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        stats = cache.stats()
        assert [(s.direction, s.rows) for s in stats] == [("ar-en", 2)]
        assert cache.clear(model="someone/else") == 0
        assert cache.clear(model=KEY.model, direction="ar-en") == 2


def test_cached_translator_translates_only_misses(tmp_path: Path) -> None:
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        cache.put_many(KEY, [("a", "imported A")], origin="import:test")
        backend = Upper()
        tr = CachedTranslator(KEY, cache, lambda: backend, batch_size=2)
        assert tr.translate(["a", "b", "", "b", "c"]) == ["imported A", "B", "", "B", "C"]
        assert sorted(backend.seen) == ["b", "c"]  # each miss once, the hit never
        again = CachedTranslator(KEY, cache, refuse)
        assert again.complete(["a", "b", "c"])
        assert again.translate(["c", "a"]) == ["C", "imported A"]


def test_interrupted_run_resumes_with_only_the_rest(tmp_path: Path) -> None:
    texts = [f"sentence {i:03d}" for i in range(40)]
    path = tmp_path / "c.sqlite3"
    with TranslationCache(path) as cache:
        first = Upper(fail_after=2)
        tr = CachedTranslator(KEY, cache, lambda: first, batch_size=4)  # 16 texts per commit
        with pytest.raises(KeyboardInterrupt):
            tr.translate(texts)
        assert len(first.seen) == 32
    with TranslationCache(path) as cache:  # a new process would reopen the file
        second = Upper()
        tr = CachedTranslator(KEY, cache, lambda: second, batch_size=4)
        out = tr.translate(texts)
    assert out == [t.upper() for t in texts]
    assert sorted(second.seen) == sorted(set(texts) - set(first.seen))
    assert len(second.seen) == 8


def _writer(path: str, worker: int, rows: int) -> None:
    with TranslationCache(Path(path)) as cache:
        for start in range(0, rows, 10):
            cache.put_many(
                KEY, [(f"w{worker} s{i}", f"t{worker} {i}") for i in range(start, start + 10)]
            )
            cache.get_many(KEY, [f"w{1 - worker} s{start}"])  # read while the other writes


def test_two_processes_write_at_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    TranslationCache(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), w, 200)) for w in (0, 1)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    with TranslationCache(path) as cache:
        wanted = [f"w{w} s{i}" for w in (0, 1) for i in range(200)]
        found = cache.get_many(KEY, wanted)
    assert len(found) == 400
    assert found["w1 s199"] == "t1 199"


def test_unwritable_cache_is_a_clear_error(tmp_path: Path) -> None:
    from mtaudit.errors import CacheError

    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(CacheError, match="cannot open the translation cache"):
        TranslationCache(blocker / "c.sqlite3")


def test_a_damaged_cache_says_how_to_recover(tmp_path: Path) -> None:
    from mtaudit.errors import CacheError

    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"this is not a SQLite file, but it is long enough to look like one" * 20)
    with pytest.raises(CacheError) as caught:
        TranslationCache(path)
    assert "file is not a database" in str(caught.value)
    assert caught.value.fix == f"move {path} aside or delete it; a new one is created"
