"""Reports written as the documents come in, so that a run never holds its corpus twice.

Documents arrive as typed records (``mtaudit.runfile.RunDocument``), each turned into its JSON
once, when it is written. ``RunTotals`` keeps the run's counts and one small record per failed
or flagged document (id, error, summary), enough for the gate and the error lines. The writers:

- ``JsonlWriter``: one line per document as it finishes, after a header line with the schema
  and the run signature as known then; a last line holds the summary and the final signature.
- ``JsonWriter``: the ``mtaudit.run/1`` object written piece by piece (compact, C encoder):
  ``documents`` first, then ``signature`` and ``summary``; parsed, it equals ``Run.to_dict``.
- ``Collector``: keeps the documents for reports that need all of them at once (the
  terminal text, the HTML page, pretty-printed JSON).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, TextIO

from mtaudit.reports import ReportFormat
from mtaudit.reports.json_report import dumps
from mtaudit.runfile import JSONL_SCHEMA, SCHEMA, Run, RunDocument, RunSummary
from mtaudit.types import Severity

Signature = Callable[[], dict[str, Any]]


def compact(data: Any) -> str:
    """One line of strict JSON by the C encoder (UTF-8 text kept readable), as ``dumps``."""
    return dumps(data).rstrip("\n")


class RunTotals:
    """The run's summary, added up one document at a time.

    Of each document only what the gate and the error lines can need is kept (id, error,
    summary), and only for documents that failed or have flagged sentences (no budget is
    exceeded by zero flags), so memory stays flat over a long clean feed.
    """

    def __init__(self) -> None:
        self.documents: list[RunDocument] = []
        self.totals = RunSummary(by_severity={level.label: 0 for level in Severity})
        self.suppressed: Counter[str] = Counter()

    def add(self, doc: RunDocument) -> None:
        """Count one document."""
        if doc.error or doc.summary.flagged:
            self.documents.append(RunDocument(doc.id, error=doc.error, summary=doc.summary))
        self.totals.add(doc, self.suppressed)

    def summary(self) -> RunSummary:
        """The run summary, as ``RunSummary.of`` adds it up."""
        self.totals.suppressed_by_check = dict(self.suppressed)
        return self.totals

    def skeleton(self, signature: dict[str, Any]) -> Run:
        """A run whose documents are the small records kept (for the gate)."""
        return Run(signature, self.summary(), self.documents)


class Collector:
    """Keeps every document; ``run`` builds the whole run at the end."""

    def __init__(self) -> None:
        self.documents: list[RunDocument] = []

    def write(self, doc: RunDocument, signature: Signature) -> None:
        """Keep one document."""
        self.documents.append(doc)

    def run(self, signature: dict[str, Any], totals: RunTotals) -> Run:
        """The whole run."""
        return Run(signature, totals.summary(), self.documents)


class JsonlWriter:
    """One JSON line per document, a header line first and a summary line last."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = False

    def _header(self, signature: Signature) -> None:
        if not self.started:
            self.stream.write(compact({"schema": JSONL_SCHEMA, "signature": signature()}) + "\n")
            self.started = True

    def write(self, doc: RunDocument, signature: Signature) -> None:
        """Write one document's line (after the header, the first time)."""
        self._header(signature)
        self.stream.write(compact(doc.to_dict()) + "\n")
        self.stream.flush()

    def finish(self, signature: dict[str, Any], totals: RunTotals) -> None:
        """Write the summary line with the run's final signature."""
        self._header(lambda: signature)
        self.stream.write(
            compact({"summary": totals.summary().to_dict(), "signature": signature}) + "\n"
        )
        self.stream.flush()


class JsonWriter:
    """The run object written as documents arrive (compact)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0

    def write(self, doc: RunDocument, signature: Signature) -> None:
        """Append one document to the ``documents`` array."""
        if self.count == 0:
            self.stream.write('{"schema":' + compact(SCHEMA) + ',"documents":[')
        else:
            self.stream.write(",")
        self.stream.write(compact(doc.to_dict()))
        self.count += 1

    def finish(self, signature: dict[str, Any], totals: RunTotals) -> None:
        """Close the array and write the signature and the summary."""
        if self.count == 0:
            self.stream.write('{"schema":' + compact(SCHEMA) + ',"documents":[')
        self.stream.write(
            '],"signature":'
            + compact(signature)
            + ',"summary":'
            + compact(totals.summary().to_dict())
            + "}\n"
        )
        self.stream.flush()


def _jsonl(out: TextIO) -> JsonlWriter:
    return JsonlWriter(out)


JSONL_FORMAT = ReportFormat(
    "jsonl",
    "a header line with the run signature, one line per document as it finishes, "
    "a summary line last",
    stream=_jsonl,
)
