"""The problems of a run as the gate sees them: each with its status and where it is.

JUnit and GitHub annotations both report problem sentences with a severity, reasons, the input
file and a line; this module gathers them once so the two stay consistent.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass

from mtaudit.reports.locate import Location, Locator
from mtaudit.reports.location import location
from mtaudit.runfile import Run, RunSentence

NEW = "new"


@dataclass(frozen=True)
class Problem:
    """One problem sentence of a document."""

    document: int
    sentence: RunSentence
    status: str
    location: Location

    @property
    def checks(self) -> list[str]:
        """Ids of the findings on the sentence, in order, without repeats."""
        return self.sentence.check_ids

    def describe(self) -> str:
        """One line: where, severity, checks and the sentence text."""
        sent, loc, ids = self.sentence, self.location, self.checks
        where = f"sentence {sent.index + 1}, offset {sent.start}-{sent.end}"
        unit = location(sent)  # an XLIFF/TMX unit or a page element
        if unit:
            where = f"{unit}; {where}"
        if loc.line is not None:
            where = f"line {loc.line}" + (f", column {loc.col}" if loc.col else "") + f"; {where}"
        checks = f" [{', '.join(ids)}]" if ids else ""
        known = "" if self.status == NEW else f" ({self.status})"
        return f"{where}: {sent.severity.label}{checks}{known}: {sent.text}"


def problems(
    run: Run,
    statuses: Mapping[tuple[int, int], str],
    wanted: Callable[[RunSentence], bool],
    locator: Locator | None = None,
) -> Iterator[Problem]:
    """Every sentence ``wanted`` selects, with its baseline status (``new`` when unknown)."""
    locator = locator or Locator()
    for d, doc in enumerate(run.documents):
        if doc.error:
            continue
        for s, sent in enumerate(doc.sentences):
            if wanted(sent):
                status = statuses.get((d, s), NEW)
                found = locator.locate(doc, sent.start)
                line = sent.metadata.get("line")  # an XLIFF/TMX unit's line
                if found.path is not None and found.line is None and isinstance(line, int):
                    found = Location(found.path, line)
                yield Problem(d, sent, status, found)


@dataclass(frozen=True)
class Gated:
    """What the CI outputs report: the run, its problems and the gate's decision on it.

    ``failed`` are the positions of documents over budget, ``breaches`` the budget lines per
    document position, ``files`` the input file of each document.
    """

    run: Run
    problems: list[Problem]
    failed: Collection[int]
    breaches: Mapping[int, list[str]]
    files: list[str]
