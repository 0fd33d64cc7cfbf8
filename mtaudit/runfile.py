"""Read a saved JSON run (schema ``mtaudit.run/1``, see docs/json-schema.md) back from disk.

Reports and ``mtaudit apply`` work on the plain run dict, so they serve a live audit and a run
saved earlier alike; this module is the one place that reads such a file and checks its shape.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from mtaudit.errors import InputError
from mtaudit.reports.json_report import SCHEMA as RUN_SCHEMA


def read_json(path: str | Path) -> Any:
    """Parse a JSON file (``-`` reads standard input); raise ``InputError`` when it cannot."""
    name = str(path)
    try:
        text = sys.stdin.read() if name == "-" else Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a JSON file", path=name) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=name) from None
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", path=name, line=exc.lineno) from None
    except RecursionError:
        raise InputError("not valid JSON (nested too deeply)", path=name) from None
    except ValueError as exc:
        raise InputError(f"not valid JSON ({exc})", path=name) from None
    if _SURROGATE_ESCAPE.search(text):
        bad = _first_surrogate(data)
        if bad is not None:
            raise InputError(
                f"holds a lone surrogate (U+{ord(bad):04X}), half of a character, which is not "
                "valid text",
                path=name,
            )
    return data


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _no_constant(name: str) -> Any:
    """NaN and infinities are not JSON; runs written by older versions may hold them: null."""
    return None


def _first_surrogate(value: Any) -> str | None:
    """The first lone surrogate in any text of ``value`` (keys included), else ``None``."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            for char in item:
                if "\ud800" <= char <= "\udfff":
                    return char
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def validate_run(run: Any, origin: str | None = None) -> dict[str, Any]:
    """Check that ``run`` is a ``mtaudit.run/1`` object; return it, or raise ``InputError``.

    Only the structure that reports and ``apply`` rely on is checked (documents with ids,
    sentences with text and integer offsets); optional fields may be missing.
    """

    def fail(message: str) -> InputError:
        return InputError(message, path=origin)

    if not isinstance(run, dict):
        raise fail("not a mtaudit run: expected a JSON object")
    schema = run.get("schema")
    if schema != RUN_SCHEMA:
        raise fail(f"unsupported run schema {schema!r}; this version reads {RUN_SCHEMA!r}")
    documents = run.get("documents")
    if not isinstance(documents, list):
        raise fail("the run has no 'documents' list")
    for d, doc in enumerate(documents):
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
            raise fail(f"documents[{d}] has no string 'id'")
        if doc.get("target") is not None and not isinstance(doc.get("target"), str):
            raise fail(f"document {doc['id']!r}: 'target' is not a string")
        sentences = doc.get("sentences") or []
        if not isinstance(sentences, list):
            raise fail(f"document {doc['id']!r}: 'sentences' is not a list")
        for s, sent in enumerate(sentences):
            if not isinstance(sent, dict):
                raise fail(f"document {doc['id']!r}: sentences[{s}] is not an object")
            for key in ("index", "start", "end"):
                value = sent.get(key)
                if not isinstance(value, int) or isinstance(value, bool):
                    raise fail(f"document {doc['id']!r}: sentences[{s}] has no integer {key!r}")
            if not isinstance(sent.get("text"), str):
                raise fail(f"document {doc['id']!r}: sentences[{s}] has no string 'text'")
    return run


def load_run(path: str | Path) -> dict[str, Any]:
    """Read and check a saved JSON run; raise ``InputError`` with the path when it is not one."""
    return validate_run(read_json(path), origin=str(path))
