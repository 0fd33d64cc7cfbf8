"""Where a sentence of a run is in its input file: path, line and column.

A document read from a text file has the file's text as its target (newlines normalised, a BOM
dropped), so sentence offsets turn into lines and columns of that file. A document read from a
record of a feed (origin ``path:line``) points at the record's line. Anything else (standard
input, a file that changed since, a reader that extracted the text) gets the path alone, or
nothing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from mtaudit.errors import InputError
from mtaudit.io.decode import decode
from mtaudit.runfile import RunDocument

_RECORD = re.compile(r"^(?P<path>.+):(?P<line>\d+)$")


@dataclass(frozen=True)
class Location:
    """A place in an input file; ``line`` and ``col`` are 1-based, ``None`` when unknown."""

    path: str | None
    line: int | None = None
    col: int | None = None


class _Text:
    """A text with its line starts, to turn offsets into (line, column)."""

    def __init__(self, text: str, base: int) -> None:
        self.base = base
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def where(self, offset: int) -> tuple[int, int]:
        pos = self.base + offset
        line = bisect.bisect_right(self.starts, pos) - 1
        return line + 1, pos - self.starts[line] + 1


class Locator:
    """Finds sentences of a run's documents in their input files (files read once)."""

    def __init__(self) -> None:
        self._files: dict[str, str | None] = {}
        self._texts: dict[int, _Text | None] = {}
        self._origins: dict[str, str | None] = {}
        self._exists: dict[str, bool] = {}

    def _read(self, path: str) -> str | None:
        if path not in self._files:
            try:
                self._files[path] = decode(Path(path).read_bytes(), path)
            except (OSError, InputError):
                self._files[path] = None
        return self._files[path]

    def file_of(self, doc: RunDocument) -> str | None:
        """The input file a document came from, ``None`` for standard input or no file."""
        origin = doc.origin
        if origin not in self._origins:
            self._origins[origin] = self._file_of(origin)
        return self._origins[origin]

    def _is_file(self, path: str) -> bool:
        if path not in self._exists:
            self._exists[path] = Path(path).is_file()
        return self._exists[path]

    def _file_of(self, origin: str) -> str | None:
        if not origin or origin in ("-", "<stdin>"):
            return None
        match = _RECORD.match(origin)
        if match and self._is_file(match.group("path")):
            return match.group("path")
        return origin if self._is_file(origin) else None

    def locate(self, doc: RunDocument, start: int | None) -> Location:
        """Where offset ``start`` of the document's target is; the record line for feeds."""
        origin = doc.origin
        path = self.file_of(doc)
        if path is None:
            return Location(None)
        if path != origin:  # a record of a feed: its line, no column inside the JSON
            match = _RECORD.match(origin)
            return Location(path, int(match.group("line")) if match else None)
        if start is None:
            return Location(path)
        key = id(doc)
        if key not in self._texts:
            text, target = self._read(path), doc.target or ""
            found = -1 if text is None or not target else text.find(target)
            self._texts[key] = _Text(text, found) if text is not None and found >= 0 else None
        located = self._texts[key]
        if located is None:
            return Location(path)
        line, col = located.where(start)
        return Location(path, line, col)
