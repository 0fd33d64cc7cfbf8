"""Reports written as the documents come in, so that a run never holds its corpus twice.

``RunTotals`` keeps the run's counts and one small record per document (id, error, summary),
enough for the gate and the error lines. The writers:

- ``JsonlWriter``: one line per document as it finishes, after a header line with the schema
  and the run signature as known then; a last line holds the summary and the final signature.
- ``JsonWriter``: the ``mtaudit.run/1`` object written piece by piece (compact, C encoder):
  ``documents`` first, then ``signature`` and ``summary``; parsed, it equals ``run_to_dict``.
- ``Collector``: keeps the document records for reports that need all of them at once (the
  terminal text, the HTML page, pretty-printed JSON).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, TextIO

from mtaudit.reports.json_report import SCHEMA, dumps, suppressed_summary
from mtaudit.types import Severity

JSONL_SCHEMA = "mtaudit.run.jsonl/1"
Signature = Callable[[], dict[str, Any]]


def compact(data: Any) -> str:
    """One line of strict JSON by the C encoder (UTF-8 text kept readable), as ``dumps``."""
    return dumps(data).rstrip("\n")


class RunTotals:
    """The run's summary, added up one document record at a time.

    Of each document only what the gate and the error lines can need is kept, and only for
    documents that failed or have flagged sentences (no budget is exceeded by zero flags), so
    memory stays flat over a long clean feed.
    """

    def __init__(self) -> None:
        self.documents: list[dict[str, Any]] = []
        self.count = 0
        self.sentences = 0
        self.flagged = 0
        self.errors = 0
        self.severity: Counter[str] = Counter()
        self.suppressed: Counter[str] = Counter()

    def add(self, doc: dict[str, Any]) -> None:
        """Count one document record (``document_to_dict`` form)."""
        summary = doc["summary"]
        self.count += 1
        if doc["error"] or summary["flagged"]:
            self.documents.append(
                {
                    "id": doc["id"],
                    "error": doc["error"],
                    "summary": {"sentences": summary["sentences"], "flagged": summary["flagged"]},
                }
            )
        self.sentences += summary["sentences"]
        self.flagged += summary["flagged"]
        self.errors += 1 if doc["error"] else 0
        self.severity.update(summary["by_severity"])
        self.suppressed.update(summary.get("suppressed_by_check", {}))

    def summary(self) -> dict[str, Any]:
        """The run summary, as in ``run_to_dict``."""
        return {
            "documents": self.count,
            "sentences": self.sentences,
            "flagged": self.flagged,
            "errors": self.errors,
            "by_severity": {level.label: self.severity.get(level.label, 0) for level in Severity},
            **suppressed_summary(dict(self.suppressed)),
        }

    def skeleton(self, signature: dict[str, Any]) -> dict[str, Any]:
        """A run dictionary whose documents are the small records kept (for the gate)."""
        return {
            "schema": SCHEMA,
            "signature": signature,
            "summary": self.summary(),
            "documents": self.documents,
        }


class Collector:
    """Keeps every document record; ``run`` builds the whole run dictionary at the end."""

    def __init__(self) -> None:
        self.documents: list[dict[str, Any]] = []

    def write(self, doc: dict[str, Any], signature: Signature) -> None:
        """Keep one document record."""
        self.documents.append(doc)

    def run(self, signature: dict[str, Any], totals: RunTotals) -> dict[str, Any]:
        """The run dictionary (schema ``mtaudit.run/1``)."""
        return {
            "schema": SCHEMA,
            "signature": signature,
            "summary": totals.summary(),
            "documents": self.documents,
        }


class JsonlWriter:
    """One JSON line per document, a header line first and a summary line last."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = False

    def _header(self, signature: Signature) -> None:
        if not self.started:
            self.stream.write(compact({"schema": JSONL_SCHEMA, "signature": signature()}) + "\n")
            self.started = True

    def write(self, doc: dict[str, Any], signature: Signature) -> None:
        """Write one document's line (after the header, the first time)."""
        self._header(signature)
        self.stream.write(compact(doc) + "\n")
        self.stream.flush()

    def finish(self, signature: dict[str, Any], totals: RunTotals) -> None:
        """Write the summary line with the run's final signature."""
        self._header(lambda: signature)
        self.stream.write(compact({"summary": totals.summary(), "signature": signature}) + "\n")
        self.stream.flush()


class JsonWriter:
    """The run object written as documents arrive (compact)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0

    def write(self, doc: dict[str, Any], signature: Signature) -> None:
        """Append one document to the ``documents`` array."""
        if self.count == 0:
            self.stream.write('{"schema":' + compact(SCHEMA) + ',"documents":[')
        else:
            self.stream.write(",")
        self.stream.write(compact(doc))
        self.count += 1

    def finish(self, signature: dict[str, Any], totals: RunTotals) -> None:
        """Close the array and write the signature and the summary."""
        if self.count == 0:
            self.stream.write('{"schema":' + compact(SCHEMA) + ',"documents":[')
        self.stream.write(
            '],"signature":'
            + compact(signature)
            + ',"summary":'
            + compact(totals.summary())
            + "}\n"
        )
        self.stream.flush()
