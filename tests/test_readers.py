import io
import json
from pathlib import Path

import pytest

from mtaudit.errors import InputError, UsageError
from mtaudit.io import read_inputs
from mtaudit.types import Document


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def test_text_article_with_source(tmp_path: Path) -> None:
    target = write(tmp_path, "news.en.txt", "One.\r\n\r\nTwo.")
    source = write(tmp_path, "news.ar.txt", "\ufeffواحد.")
    [doc] = read_inputs([target], source=source)
    assert isinstance(doc, Document)
    assert doc.id == "news" and doc.target == "One.\n\nTwo." and doc.source == "واحد."


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"", "is empty", None),
        (b"  \n\n", "is empty", None),
        (b"fine line\ncaf\xe9 au lait\n", "not UTF-8", 2),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary", 3),
    ],
)
def test_bad_files_name_the_file_and_line(
    tmp_path: Path, data: bytes, message: str, line: int | None
) -> None:
    path = write(tmp_path, "bad.txt", data)
    [item] = read_inputs([path])
    assert isinstance(item, InputError)
    assert message in str(item) and path in str(item)
    assert item.line == line


def test_missing_file_is_an_error_item_not_a_crash(tmp_path: Path) -> None:
    good = write(tmp_path, "ok.txt", "Fine.")
    items = read_inputs([str(tmp_path / "nope.txt"), good])
    assert isinstance(items[0], InputError) and "no such file" in str(items[0])
    assert isinstance(items[1], Document)


FEED = "\n".join(
    [
        json.dumps({"id": "a", "target": "Hello.", "source": "مرحبا.", "section": "news"}),
        "{not json",
        json.dumps({"id": "b", "source": "x"}),
        json.dumps(["a list"]),
        "",
        json.dumps({"target": 5}),
        json.dumps({"id": "c", "target": "<script>alert(1)</script>", "target_lang": "en"}),
    ]
)


def test_jsonl_feed_keeps_good_records_and_reports_bad_ones(tmp_path: Path) -> None:
    items = read_inputs([write(tmp_path, "feed.jsonl", FEED)])
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Document", "InputError", "InputError", "InputError", "InputError", "Document"]
    good = items[0]
    assert isinstance(good, Document) and good.metadata == {"section": "news"}
    assert good.source_lang == "ar" and good.target_lang == "en"
    lines = [i.line for i in items if isinstance(i, InputError)]
    assert lines == [2, 3, 4, 6]
    assert "malformed JSON" in str(items[1]) and "'target' is missing" in str(items[2])


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("bi.tsv", "id\tsource\ttarget\n1\tمرحبا\tHello\n2\tشكرا\tThanks\n", ["Hello", "Thanks"]),
        ("bi.csv", 'id,target,source\n1,"Hello, world",مرحبا\n', ["Hello, world"]),
    ],
)
def test_tables(tmp_path: Path, name: str, text: str, expected: list[str]) -> None:
    items = read_inputs([write(tmp_path, name, text)])
    assert [i.target for i in items if isinstance(i, Document)] == expected


def test_table_errors(tmp_path: Path) -> None:
    [item] = read_inputs([write(tmp_path, "x.tsv", "id\tsource\n1\tx\n")])
    assert isinstance(item, InputError) and "'target' column" in str(item)
    items = read_inputs([write(tmp_path, "y.tsv", "id\ttarget\n1\tok\n2\tok\textra\n")])
    assert isinstance(items[1], InputError) and items[1].line == 3


def test_folder_pairs_articles(tmp_path: Path) -> None:
    write(tmp_path, "a.en.txt", "Alpha.")
    write(tmp_path, "a.ar.txt", "ألفا.")
    write(tmp_path, "b.txt", "Beta.")
    write(tmp_path, "c.ar.txt", "جيم.")
    write(tmp_path, "notes.json", "{}")
    items = read_inputs([str(tmp_path)])
    docs = {i.id: i for i in items if isinstance(i, Document)}
    assert docs["a"].source == "ألفا." and docs["b"].source is None
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1 and "c.ar.txt has no translation" in str(errors[0])


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b'{"target": "Hi."}\n'))
    monkeypatch.setattr("sys.stdin", stdin)
    [doc] = read_inputs(["-"])
    assert isinstance(doc, Document) and doc.target == "Hi." and doc.origin == "<stdin>:1"


def test_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        read_inputs(["a", "b"], source="s")
    with pytest.raises(UsageError):
        read_inputs(["a"], fmt="xml")
