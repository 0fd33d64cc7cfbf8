"""The JSON run report: a typed run as strict JSON (schema ``mtaudit.run/1``).

The run and its schema live in ``mtaudit.runfile``; docs/json-schema.md documents the fields.
"""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING, Any, TextIO

from mtaudit.reports import Options, ReportFormat
from mtaudit.runfile import Run
from mtaudit.types import RunResult

if TYPE_CHECKING:
    from mtaudit.reports import StreamWriter


def run_to_dict(run: RunResult) -> dict[str, Any]:
    """The whole run as a JSON-ready dictionary (``Run.from_result(run).to_dict()``)."""
    return Run.from_result(run).to_dict()


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def strict(value: Any) -> Any:
    """Copy ``value`` so that it is strict JSON that can be written as UTF-8.

    Non-finite numbers (NaN, ±infinity, which JSON has no words for) become ``None``, and a lone
    surrogate in any text (half a character: an undecodable file name, a bad escape) becomes
    U+FFFD. Readers refuse such records already; this keeps the writer safe whatever it is given.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {strict(str(k)): strict(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strict(v) for v in value]
    return value


def dumps(data: dict[str, Any], *, pretty: bool = False) -> str:
    """Serialise a run dictionary as strict JSON (UTF-8 text kept readable).

    Compact by default (one line, by the C encoder); ``pretty`` indents it for reading.
    """
    indent, separators = (2, None) if pretty else (None, (",", ":"))
    try:
        text = json.dumps(
            data, ensure_ascii=False, indent=indent, separators=separators, allow_nan=False
        )
    except ValueError:  # a non-finite number somewhere: the slower copying pass
        text = json.dumps(
            strict(data), ensure_ascii=False, indent=indent, separators=separators, allow_nan=False
        )
    # Lone surrogates only occur inside JSON strings, so replacing them in the text is the same
    # as replacing them in the values. Encoding finds them in a third of a search's time.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _LONE_SURROGATE.sub("\ufffd", text)
    return text + "\n"


def _render(run: Run, options: Options) -> str:
    return dumps(run.to_dict(), pretty=options.pretty)


def _stream(out: TextIO) -> StreamWriter:
    from mtaudit.reports.stream import JsonWriter

    return JsonWriter(out)


def _pretty(options: Options) -> bool:
    return options.pretty


FORMAT = ReportFormat(
    "json",
    "the run as one JSON object (schema mtaudit.run/1); compact unless --pretty",
    render=_render,
    stream=_stream,  # compact JSON is written as documents finish
    whole=_pretty,  # indented JSON from the whole run
)
