"""JSONL feeds and TSV/CSV bitexts: one record a document.

Fields: ``id``, ``target`` (required), ``source``, ``source_lang``, ``target_lang``; every other
field is kept as metadata. A bad record becomes an ``InputError`` in the output list and does not
stop the records after it.
"""

from __future__ import annotations

import csv
import json
import logging
import math
import re
import sys
from collections.abc import Iterator
from typing import Any

from mtaudit.config_check import LANGUAGE_CODE
from mtaudit.errors import InputError
from mtaudit.types import Document

KNOWN_FIELDS = ("id", "target", "source", "source_lang", "target_lang")
MAX_DEPTH = 32
"""Deepest nesting of lists and objects kept in a record's metadata."""

log = logging.getLogger("mtaudit")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON value")


def _check_value(value: Any, field: str, path: str, line: int) -> Any:
    """Return ``value`` with non-finite numbers as ``None``; raise for what JSON cannot hold.

    The walk stops at ``MAX_DEPTH``, so it cannot exhaust the stack. Text with a lone surrogate
    (a JSON escape such as backslash-u-d800, half of a character) cannot be written as UTF-8,
    and nesting deeper than ``MAX_DEPTH`` is refused; both are ``InputError``s naming the
    field. NaN and infinities (which Python's JSON reader accepts but JSON does not) become
    ``None`` with a warning.
    """

    def fix(item: Any, name: str, depth: int) -> Any:
        if isinstance(item, str):
            bad = None if item.isascii() else _SURROGATE.search(item)
            if bad:
                raise InputError(
                    f"field {name!r} holds a lone surrogate (U+{ord(bad.group(0)):04X} at "
                    f"character {bad.start()}), half of a character, which is not valid text; "
                    "the producer of this feed must encode its text correctly",
                    path,
                    line,
                )
            return item
        if isinstance(item, float) and not math.isfinite(item):
            log.warning(
                "%s:%d: field %r is %s, not a JSON number; kept as null", path, line, name, item
            )
            return None
        if isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                raise InputError(
                    f"field {name!r} is nested deeper than {MAX_DEPTH} levels", path, line
                )
            if isinstance(item, list):
                return [fix(v, f"{name}[{i}]", depth + 1) for i, v in enumerate(item)]
            out = {}
            for key, v in item.items():
                fix(key, f"{name} key", depth)
                out[key] = fix(v, f"{name}.{key}", depth + 1)
            return out
        return item

    return fix(value, field, 0)


def record_to_document(
    record: Any, path: str, line: int, source_lang: str, target_lang: str
) -> Document:
    """Validate one record (a parsed JSON object or CSV row) and build its ``Document``."""
    if not isinstance(record, dict):
        raise InputError("record is not a JSON object", path, line)
    record = _check_value(record, "record", path, line)
    target = record.get("target")
    if not isinstance(target, str):
        what = "missing" if target is None else f"a {_kind(target)}, not text"
        raise InputError(f"field 'target' is {what}", path, line)
    if not target.strip():
        raise InputError("field 'target' is empty: there is no translation to audit", path, line)
    source = record.get("source")
    if source is not None and not isinstance(source, str):
        raise InputError(f"field 'source' is a {_kind(source)}, not text", path, line)
    if source is not None and not source.strip():
        source = None
    langs: dict[str, str] = {}
    for key in ("source_lang", "target_lang"):
        value = record.get(key)
        if value is None or value == "":
            continue
        code = value.strip().lower() if isinstance(value, str) else ""
        if not LANGUAGE_CODE.match(code):
            raise InputError(
                f"field '{key}' is {_show(value)}, not a language code like 'ar' or 'en'",
                path,
                line,
            )
        langs[key] = code
    doc_id = record.get("id")
    if doc_id is not None and (isinstance(doc_id, bool) or not isinstance(doc_id, str | int)):
        raise InputError(f"field 'id' is a {_kind(doc_id)}; give text or a number", path, line)
    return Document(
        id=str(doc_id) if doc_id not in (None, "") else f"{path}:{line}",
        target=target,
        source=source,
        source_lang=langs.get("source_lang", source_lang),
        target_lang=langs.get("target_lang", target_lang),
        origin=f"{path}:{line}",
        metadata={k: v for k, v in record.items() if k not in KNOWN_FIELDS},
    )


def _kind(value: Any) -> str:
    names = {dict: "JSON object", list: "list", bool: "true/false", int: "number", float: "number"}
    return names.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 30 else text[:27] + "..."


def parse_line(
    line: str, path: str, number: int, source_lang: str, target_lang: str
) -> Document | InputError:
    """Parse one JSONL line into its ``Document``, or the ``InputError`` naming what is wrong."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(f"malformed JSON ({exc.msg} at column {exc.colno})", path, number)
    except RecursionError:
        return InputError(f"nested deeper than {MAX_DEPTH} levels", path, number)
    except ValueError:  # an integer longer than Python converts
        limit = sys.get_int_max_str_digits()
        return InputError(
            f"malformed JSON (a number of more than {limit} digits; write it as text)",
            path,
            number,
        )
    try:
        return record_to_document(record, path, number, source_lang, target_lang)
    except InputError as exc:
        return exc


def read_jsonl(
    text: str, path: str, source_lang: str, target_lang: str
) -> list[Document | InputError]:
    """Parse a JSONL feed; blank lines are skipped."""
    return [
        parse_line(line, path, number, source_lang, target_lang)
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    ]


def read_table(
    text: str, path: str, delimiter: str, source_lang: str, target_lang: str
) -> list[Document | InputError]:
    """Parse a TSV/CSV bitext whose header names the fields; each row is one segment.

    Quotes are read strictly: a quoted field that is never closed, or closed in the middle of
    a field, would swallow the rows after it into one record, so such a row is reported with
    the line where it starts and reading resumes on the next line.
    """
    limit = csv.field_size_limit(max(len(text), 131072))  # one cell may hold a whole article
    try:
        return _read_rows(_lines(text), path, delimiter, source_lang, target_lang)
    finally:
        csv.field_size_limit(limit)


def _lines(text: str) -> list[str]:
    """Physical lines with their ends, split at newlines only (not at U+2028 and the like)."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _read_rows(
    lines: list[str], path: str, delimiter: str, source_lang: str, target_lang: str
) -> list[Document | InputError]:
    rows = _rows(lines, delimiter)
    first = next(rows, None)
    if first is None:
        raise InputError("no readable header row", path, 1)
    line, header_row = first
    if isinstance(header_row, str):
        raise InputError(f"no readable header row ({header_row})", path, line)
    header = [h.strip() for h in header_row]
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise InputError(
            f"header names {', '.join(repr(h) for h in twice)} more than once; which column "
            "to read would be a guess (rename or remove the extra column)",
            path,
            line,
        )
    if "target" not in header:
        raise InputError(
            f"header must name a 'target' column (found: {', '.join(header) or 'nothing'})",
            path,
            1,
        )
    out: list[Document | InputError] = []
    for number, row in rows:
        if isinstance(row, str):
            out.append(InputError(row, path, number))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            out.append(
                InputError(
                    f"row has {len(row)} fields but the header has {len(header)}", path, number
                )
            )
            continue
        record = dict(zip(header, row, strict=True))
        try:
            doc = record_to_document(record, path, number, source_lang, target_lang)
            doc.unit = "segment"  # a bitext row is one segment: never re-split
            out.append(doc)
        except InputError as exc:
            out.append(exc)
    if not out:
        raise InputError("has a header but no records: there is nothing to audit", path)
    return out


def _rows(lines: list[str], delimiter: str) -> Iterator[tuple[int, list[str] | str]]:
    """Yield (line number where the row starts, cells) or (line, what is wrong) per row."""
    start = 0
    while start < len(lines):
        rest = (lines[i] for i in range(start, len(lines)))
        reader = csv.reader(rest, delimiter=delimiter, strict=True)
        consumed = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = start + consumed + 1
                quote = any(w in str(exc) for w in ("quote", "expected after", "end of data"))
                if quote:
                    problem = (
                        "unbalanced quote: the row starting here does not close its quoted "
                        f"field properly ({exc}); it is skipped (a quote inside a quoted field "
                        'is written twice: "")'
                    )
                else:
                    problem = f"malformed row ({exc}); it is skipped"
                yield line, problem
                start = line  # resume on the next physical line
                break
            yield start + consumed + 1, row
            consumed = reader.line_num
        else:  # pragma: no cover
            return
