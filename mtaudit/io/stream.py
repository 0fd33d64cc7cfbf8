"""Reading feeds a record at a time, so a long feed is never held whole in memory.

JSONL files (``.jsonl``/``.ndjson``, or any file with ``--input-format jsonl``) are read line by
line with the same validation as ``read_jsonl``; a line that is not UTF-8 or not a valid record
becomes an ``InputError`` naming the file and line, and the feed goes on. Other inputs are read
by ``read_inputs``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from mtaudit.errors import InputError
from mtaudit.io import _EXTENSIONS, read_inputs
from mtaudit.io.feed import parse_line
from mtaudit.types import Document

ReadItem = Document | InputError


def _is_feed(path: str, fmt: str) -> bool:
    if path == "-" or Path(path).is_dir():
        return False
    return fmt == "jsonl" or (
        fmt == "auto" and _EXTENSIONS.get(Path(path).suffix.lower()) == "jsonl"
    )


def iter_jsonl(path: str, source_lang: str, target_lang: str) -> Iterator[ReadItem]:
    """Yield one ``Document`` (or ``InputError``) per non-blank line of a JSONL file."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is done
    except FileNotFoundError:
        yield InputError("no such file", path)
        return
    except OSError as exc:
        yield InputError(f"cannot be read ({exc.strerror})", path)
        return
    with fh:
        seen = False
        for number, raw in numbered_lines(fh):
            item = read_line(raw, path, number, source_lang, target_lang)
            if item is not None:
                seen = True
                yield item
        if not seen:
            yield InputError("is empty", path)


def numbered_lines(chunks: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """Number the physical lines of a JSONL file read as ``readline`` chunks (BOM dropped)."""
    number = 0
    for chunk in chunks:
        if number == 0 and chunk.startswith(b"\xef\xbb\xbf"):
            chunk = chunk[3:]
        for raw in _physical_lines(chunk):
            number += 1
            yield number, raw


def read_line(
    raw: bytes, path: str, number: int, source_lang: str, target_lang: str
) -> ReadItem | None:
    """One physical line as a ``Document`` or ``InputError``; ``None`` when it is blank."""
    line = _decoded(raw, path, number)
    if isinstance(line, InputError):
        return line
    if not line.strip():
        return None
    return parse_line(line, path, number, source_lang, target_lang)


def is_blank(raw: bytes) -> bool:
    """Whether ``read_line`` skips this line (whitespace only, once decoded)."""
    line = _decoded(raw, "", 0)
    return isinstance(line, str) and not line.strip()


def _decoded(raw: bytes, path: str, number: int) -> str | InputError:
    if b"\x00" in raw:
        return InputError("contains NUL bytes: not a text feed", path, number)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputError(
            f"not UTF-8 text (byte 0x{raw[exc.start : exc.start + 1].hex()} at "
            f"column {exc.start + 1}); re-save the file as UTF-8",
            path,
            number,
        )


def _physical_lines(chunk: bytes) -> list[bytes]:
    """Split what ``readline`` gave at CR, CRLF and LF, as text files are read elsewhere.

    JSON text never holds a raw carriage return (a string writes it as a backslash and r), so a
    feed whose lines end in CR alone is still one record a line, numbered as an editor shows.
    """
    chunk = chunk.removesuffix(b"\n").removesuffix(b"\r")
    return chunk.split(b"\r") if b"\r" in chunk else [chunk]


def iter_inputs(
    paths: list[str],
    *,
    source: str | None = None,
    fmt: str = "auto",
    source_lang: str = "ar",
    target_lang: str = "en",
) -> Iterator[ReadItem]:
    """Like ``read_inputs``, but JSONL feeds are streamed a record at a time."""
    if source is not None or not all(_is_feed(p, fmt) for p in paths):
        yield from read_inputs(
            paths, source=source, fmt=fmt, source_lang=source_lang, target_lang=target_lang
        )
        return
    for path in paths:
        yield from iter_jsonl(path, source_lang, target_lang)
