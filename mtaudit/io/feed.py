"""JSONL feeds and TSV/CSV bitexts: one record a document.

Fields: ``id``, ``target`` (required), ``source``, ``source_lang``, ``target_lang``; every other
field is kept as metadata. A bad record becomes an ``InputError`` in the output list and does not
stop the records after it.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from mtaudit.errors import InputError
from mtaudit.types import Document

KNOWN_FIELDS = ("id", "target", "source", "source_lang", "target_lang")


def record_to_document(
    record: Any, path: str, line: int, source_lang: str, target_lang: str
) -> Document:
    """Validate one record (a parsed JSON object or CSV row) and build its ``Document``."""
    if not isinstance(record, dict):
        raise InputError("record is not a JSON object", path, line)
    target = record.get("target")
    if not isinstance(target, str):
        what = "missing" if target is None else f"a {type(target).__name__}, not text"
        raise InputError(f"field 'target' is {what}", path, line)
    source = record.get("source")
    if source is not None and not isinstance(source, str):
        raise InputError(f"field 'source' is a {type(source).__name__}, not text", path, line)
    if source == "":
        source = None
    for key in ("source_lang", "target_lang"):
        value = record.get(key)
        if value is not None and not (isinstance(value, str) and value.strip()):
            raise InputError(f"field '{key}' must be a language code like 'ar'", path, line)
    doc_id = record.get("id")
    return Document(
        id=str(doc_id) if doc_id not in (None, "") else f"{path}:{line}",
        target=target,
        source=source,
        source_lang=record.get("source_lang") or source_lang,
        target_lang=record.get("target_lang") or target_lang,
        origin=f"{path}:{line}",
        metadata={k: v for k, v in record.items() if k not in KNOWN_FIELDS},
    )


def read_jsonl(
    text: str, path: str, source_lang: str, target_lang: str
) -> list[Document | InputError]:
    """Parse a JSONL feed; blank lines are skipped."""
    out: list[Document | InputError] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(
                InputError(f"malformed JSON ({exc.msg} at column {exc.colno})", path, number)
            )
            continue
        try:
            out.append(record_to_document(record, path, number, source_lang, target_lang))
        except InputError as exc:
            out.append(exc)
    return out


def read_table(
    text: str, path: str, delimiter: str, source_lang: str, target_lang: str
) -> list[Document | InputError]:
    """Parse a TSV/CSV bitext whose header names the fields; each row is one segment."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise InputError(f"no readable header row ({exc})", path, 1) from None
    if "target" not in header:
        raise InputError(
            f"header must name a 'target' column (found: {', '.join(header) or 'nothing'})",
            path,
            1,
        )
    out: list[Document | InputError] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            out.append(InputError(f"malformed row ({exc})", path, reader.line_num))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            out.append(
                InputError(
                    f"row has {len(row)} fields but the header has {len(header)}",
                    path,
                    reader.line_num,
                )
            )
            continue
        record = dict(zip(header, row, strict=True))
        try:
            doc = record_to_document(record, path, reader.line_num, source_lang, target_lang)
            doc.unit = "segment"  # a bitext row is one segment: never re-split
            out.append(doc)
        except InputError as exc:
            out.append(exc)
    return out
