"""The problems of a run as the gate sees them: each with its status and where it is.

JUnit and GitHub annotations both report problem sentences with a severity, reasons, the input
file and a line; this module gathers them once so the two stay consistent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from mtaudit.reports.locate import Location, Locator

NEW = "new"


@dataclass(frozen=True)
class Problem:
    """One problem sentence of a document."""

    document: int
    sentence: Mapping[str, Any]
    status: str
    location: Location

    @property
    def checks(self) -> list[str]:
        """Ids of the findings on the sentence, in order, without repeats."""
        found = [str(c.get("id")) for c in self.sentence.get("checks") or []]
        return list(dict.fromkeys(found))

    def describe(self) -> str:
        """One line: where, severity, checks and the sentence text."""
        sent, loc, ids = self.sentence, self.location, self.checks
        where = f"sentence {int(sent['index']) + 1}, offset {sent['start']}-{sent['end']}"
        if loc.line is not None:
            where = f"line {loc.line}" + (f", column {loc.col}" if loc.col else "") + f"; {where}"
        checks = f" [{', '.join(ids)}]" if ids else ""
        known = "" if self.status == NEW else f" ({self.status})"
        return f"{where}: {sent.get('severity', 'none')}{checks}{known}: {sent.get('text', '')}"


def problems(
    run: Mapping[str, Any],
    statuses: Mapping[tuple[int, int], str],
    wanted: Callable[[Mapping[str, Any]], bool],
    locator: Locator | None = None,
) -> Iterator[Problem]:
    """Every sentence ``wanted`` selects, with its baseline status (``new`` when unknown)."""
    locator = locator or Locator()
    for d, doc in enumerate(run["documents"]):
        if doc.get("error"):
            continue
        for s, sent in enumerate(doc.get("sentences") or []):
            if wanted(sent):
                status = statuses.get((d, s), NEW)
                yield Problem(d, sent, status, locator.locate(doc, int(sent["start"])))
