"""Turn raw bytes into text, or into an error that names the file and line."""

from __future__ import annotations

import sys
from pathlib import Path

from mtaudit.errors import InputError

_SNIFF = 8192


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (a BOM is dropped); raise ``InputError`` for binary or other encodings."""
    if b"\x00" in data[:_SNIFF]:
        raise InputError("looks like a binary file (it contains NUL bytes), not text", path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise InputError(
            f"not UTF-8 text (byte 0x{bad} at column {column}); re-save the file as UTF-8",
            path,
            line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str) -> str:
    """Read a file (``-`` for standard input) as UTF-8 text; empty text is an error."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        name = path
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError("no such file", path) from None
        except IsADirectoryError:
            raise InputError("is a folder; give a file, or the folder alone", path) from None
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror})", path) from None
    text = decode(data, name)
    if not text.strip():
        raise InputError("is empty", name)
    return text
