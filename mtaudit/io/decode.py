"""Turn raw bytes into text, or into an error that names the file and line."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

from mtaudit.errors import InputError

_SNIFF = 8192
# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 (little-endian)", "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32 (big-endian)", "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16 (little-endian)", "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16 (big-endian)", "UTF-16"),
)


def _convert_hint(encoding: str, path: str) -> str:
    name = "FILE" if path.startswith("<") else path
    return f"convert it to UTF-8, e.g. iconv -f {encoding} -t UTF-8 {name} > {name}.utf8"


def _wide_encoding(data: bytes) -> str | None:
    """Name UTF-16/32 text by its byte-order mark, or UTF-16 without one by its NUL pattern."""
    for bom, name, _ in _BOMS:
        if data.startswith(bom):
            return name
    head = data[:_SNIFF]
    if len(head) >= 8:
        even, odd = head[0::2], head[1::2]
        # ASCII-range text in UTF-16 has a NUL in every other byte.
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            return "UTF-16 (little-endian, no byte-order mark)"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "UTF-16 (big-endian, no byte-order mark)"
    return None


def _legacy_encoding(data: bytes) -> tuple[str, str] | None:
    """Guess the 8-bit encoding of text that is not UTF-8: (description, iconv name) or None.

    Only a guess for the message: Arabic Windows-1256 when most non-ASCII characters decode to
    Arabic letters, else Windows-1252 when the bytes decode as Western European text.
    """
    sample = data[: _SNIFF * 8]
    try:
        arabic = sample.decode("cp1256")
    except UnicodeDecodeError:
        arabic = ""
    high = [c for c in arabic if ord(c) > 127]
    if high and sum(1 for c in high if "\u0600" <= c <= "\u06ff") >= 0.8 * len(high):
        return "Windows-1256 (Arabic)", "WINDOWS-1256"
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "Windows-1252 (Western European)", "WINDOWS-1252"


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (a BOM is dropped); raise ``InputError`` for binary or other encodings.

    UTF-16 and UTF-32 text is named as such with the command that converts it; a NUL byte
    anywhere in the file (not only near its start) makes it binary.
    """
    wide = _wide_encoding(data)
    if wide is not None:
        encoding = "UTF-32" if wide.startswith("UTF-32") else "UTF-16"
        raise InputError(
            f"is {wide} text, not UTF-8; {_convert_hint(encoding, path)}",
            path,
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError(
            f"looks like a binary file (a NUL byte at offset {nul}), not text", path, line
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        guess = _legacy_encoding(data)
        fix = (
            f"it looks like {guess[0]}: {_convert_hint(guess[1], path)}"
            if guess
            else "re-save the file as UTF-8"
        )
        raise InputError(
            f"not UTF-8 text (byte 0x{bad} at column {column}); {fix}", path, line
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(path: str) -> bytes:
    """Read a file's bytes (``-``: standard input); raise ``InputError`` if missing or empty."""
    name = "<stdin>" if path == "-" else path
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError("no such file", path) from None
        except IsADirectoryError:
            raise InputError("is a folder; give a file, or the folder alone", path) from None
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror})", path) from None
    if not data.strip():
        raise InputError("is empty", name)
    return data


def read_text(path: str) -> str:
    """Read a file (``-`` for standard input) as UTF-8 text; empty text is an error."""
    name = "<stdin>" if path == "-" else path
    text = decode(read_bytes(path), name)
    if not text.strip():
        raise InputError("is empty", name)
    return text
