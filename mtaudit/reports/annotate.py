"""Write an audit's verdicts back into the XLIFF file it read, as notes a CAT tool shows.

XLIFF 1.2 gets a ``<note from="mtaudit">`` at the end of each ``<trans-unit>`` with a flagged
segment; XLIFF 2.x gets a ``<note category="mtaudit">`` in the unit's ``<notes>`` (a ``<notes>``
element is added as the unit's first child when it has none, as the schema wants). The notes
are inserted at byte positions that the parser reports for the units' tags: the file is never
re-serialised, so every byte outside the added notes is unchanged (encoding, declaration,
entities, attribute order, white space, comments). The result is parsed again before it is
written, atomically, and never over the input.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any
from xml.parsers import expat

from mtaudit.atomic import write_bytes_atomic
from mtaudit.errors import InputError, UsageError
from mtaudit.io.xliff import UNIT_TAGS
from mtaudit.io.xmlsafe import NOT_XML, parse_xml, read_bytes
from mtaudit.runfile import Run, RunDocument
from mtaudit.types import Severity

__all__ = ["annotate_xliff", "notes_by_unit"]

_PRIORITY = {"critical": 1, "major": 2, "minor": 5}
_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "windows-1252"}


def notes_by_unit(document: RunDocument) -> dict[int, tuple[str, str]]:
    """For one XLIFF document of a run: unit position -> (worst severity, note text).

    Only flagged segments get a note (what a reviewer must look at); a unit of several segments
    gets one note naming each flagged segment.
    """
    lines: dict[int, list[tuple[int, str]]] = {}
    worst: dict[int, Severity] = {}
    for sent in document.sentences:
        position = sent.metadata.get("xliff_unit")
        if not isinstance(position, int) or not sent.flagged:
            continue
        unit = sent.unit or ""
        prefix = f"segment {unit.split('/', 1)[1]}: " if "/" in unit else ""
        text = f"{prefix}flagged, {sent.severity.label} (risk {sent.risk:.2f}): " + "; ".join(
            sent.reasons
        )
        lines.setdefault(position, []).append((sent.index, text))
        if sent.severity >= worst.get(position, Severity.NONE):
            worst[position] = sent.severity
    return {
        pos: (worst[pos].label, "mtaudit " + " | ".join(t for _, t in sorted(found)))
        for pos, found in lines.items()
    }


def _locate(data: bytes, unit_tag: str, path: str) -> list[list[int | None]]:
    """Find each unit's tags: byte positions of its start tag, end tag and ``</notes>``.

    One list per unit in document order; the ``</notes>`` position is None without notes.
    """
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    units: list[list[int | None]] = []
    stack: list[tuple[str, int | None]] = []

    def refuse(*_: Any) -> None:
        raise InputError("the DOCTYPE declares entities, which mtaudit never expands", path)

    def start(name: str, _attrs: Any) -> None:
        local = name.rsplit("}", 1)[-1]
        if local == unit_tag:
            units.append([parser.CurrentByteIndex, None, None])
            stack.append((local, len(units) - 1))
        else:
            stack.append((local, None))

    def end(_name: str) -> None:
        local, position = stack.pop()
        if position is not None:
            units[position][1] = parser.CurrentByteIndex
        elif local == "notes" and stack and stack[-1][1] is not None:
            units[stack[-1][1]][2] = parser.CurrentByteIndex

    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        message = expat.errors.messages[exc.code]
        raise InputError(f"malformed XML ({message})", path, exc.lineno) from None
    return units


def _line_start(data: bytes, pos: int) -> tuple[int, bytes, bytes] | None:
    """When only white space precedes ``pos`` on its line: (line start, indent, newline)."""
    start = data.rfind(b"\n", 0, pos) + 1
    indent = data[start:pos]
    if start == 0 or indent.strip(b" \t"):
        return None
    newline = b"\r\n" if data[start - 2 : start] == b"\r\n" else b"\n"
    return start, indent, newline


def _step(indent: bytes) -> bytes:
    return b"\t" if indent.startswith(b"\t") else b"  "


def _end_of_start_tag(data: bytes, pos: int) -> int:
    quote = 0
    for i in range(pos, len(data)):
        byte = data[i]
        if quote:
            if byte == quote:
                quote = 0
        elif byte in (0x22, 0x27):
            quote = byte
        elif byte == 0x3E:
            return i + 1
    raise ValueError("unterminated start tag")


def _insertions(
    data: bytes,
    major: str,
    units: list[list[int | None]],
    notes: dict[int, tuple[str, str]],
    encoding: str,
) -> list[tuple[int, bytes]]:
    out: list[tuple[int, bytes]] = []
    for position, (severity, text) in sorted(notes.items()):
        if position >= len(units):
            continue
        start, end, notes_end = units[position]
        assert start is not None and end is not None
        body = html.escape(NOT_XML.sub("\ufffd", text), quote=False)  # &, <, >
        priority = _PRIORITY.get(severity, 5)
        if major == "1":
            note = f'<note from="mtaudit" priority="{priority}">{body}</note>'
            anchor = end
        else:
            tag = data[start + 1 : start + 80].split(b">")[0].split()[0].rstrip(b"/")
            prefix = tag.decode("ascii", "replace")[: -len("unit")]
            note = f'<{prefix}note category="mtaudit" priority="{priority}">{body}</{prefix}note>'
            if notes_end is not None and data[notes_end : notes_end + 2] == b"</":
                anchor = notes_end
            else:
                after = _end_of_start_tag(data, start)
                where = _line_start(data, start)
                encoded = note.encode(encoding, "xmlcharrefreplace")
                if where is None:
                    out.append(
                        (
                            after,
                            f"<{prefix}notes>".encode() + encoded + f"</{prefix}notes>".encode(),
                        )
                    )
                    continue
                _, indent, nl = where
                inner = indent + _step(indent)
                out.append(
                    (
                        after,
                        nl
                        + inner
                        + f"<{prefix}notes>".encode()
                        + nl
                        + inner
                        + _step(indent)
                        + encoded
                        + nl
                        + inner
                        + f"</{prefix}notes>".encode(),
                    )
                )
                continue
        encoded = note.encode(encoding, "xmlcharrefreplace")
        where = _line_start(data, anchor)
        if where is None:
            out.append((anchor, encoded))
        else:
            line_start, indent, nl = where
            out.append((line_start, indent + _step(indent) + encoded + nl))
    return out


def annotate_xliff(source: str, run: Run, output: str) -> int:
    """Write ``source`` with the run's verdicts added as notes to ``output``; return how many.

    Raises ``UsageError`` when ``output`` is the input itself, ``InputError`` when the input
    cannot be read.
    """
    out_path = Path(output)
    if out_path.resolve() == Path(source).resolve() or (
        out_path.exists() and os.path.samefile(out_path, source)
    ):
        raise UsageError(f"--annotate {output} would overwrite the input; name another file")
    data = read_bytes(source)
    root = parse_xml(data, source)
    major = str(root.get("version", "")).split(".")[0]
    if major not in UNIT_TAGS:
        raise InputError("not an XLIFF 1.2 or 2.x file", source)
    encoding = (root.getroottree().docinfo.encoding or "UTF-8").lower()
    if encoding not in _ENCODINGS:
        raise UsageError(f"cannot annotate a {encoding} file; convert it to UTF-8 first")
    notes: dict[int, tuple[str, str]] = {}
    for doc in run.documents:
        if doc.origin == source and not doc.error:
            notes.update(notes_by_unit(doc))
    units = _locate(data, UNIT_TAGS[major], source)
    pieces: list[bytes] = []
    last = 0
    for pos, piece in sorted(_insertions(data, major, units, notes, encoding)):
        pieces += [data[last:pos], piece]
        last = pos
    result = b"".join([*pieces, data[last:]])
    parse_xml(result, output)
    write_bytes_atomic(result, out_path)
    return len(notes)
