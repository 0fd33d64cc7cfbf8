"""Reports: the typed run (``mtaudit.runfile.Run``) as text, JSON, JSON lines, HTML, CI outputs.

Formats are chosen by name from two registries, so adding one is a module and a line here (or
:func:`register`):

- :data:`FORMATS`: reports of the run, for ``--format`` (and ``--html``). A format renders
  the whole run as text, or streams it, writing each document as it finishes so that a
  long feed is never held in memory (``--format jsonl``, compact ``--format json``).
- :data:`CI_FORMATS`: what ``mtaudit check`` writes about the gate's problems (JUnit XML,
  GitHub annotations), rendered from :class:`mtaudit.reports.problems.Gated`.

Entries are ``"module:attribute"`` strings, imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from mtaudit.errors import UsageError
from mtaudit.registry import lookup

if TYPE_CHECKING:
    from mtaudit.reports.problems import Gated
    from mtaudit.reports.stream import RunTotals
    from mtaudit.runfile import Run, RunDocument


@dataclass(frozen=True)
class Options:
    """How a report is wanted: colour (terminal), minor findings too, indented JSON."""

    colour: bool = False
    show_all: bool = False
    pretty: bool = False


class StreamWriter(Protocol):
    """Writes a report a document at a time, then closes it with the run's final state."""

    def write(self, doc: RunDocument, signature: Callable[[], dict[str, Any]]) -> None:
        """Write one document (``signature`` gives the run signature as known now)."""
        ...

    def finish(self, signature: dict[str, Any], totals: RunTotals) -> None:
        """Write what follows the last document."""
        ...


@dataclass(frozen=True)
class ReportFormat:
    """A report of the run: its name, one line of help, and how it is written.

    ``stream`` makes a writer of the documents as they finish; ``render`` makes the report
    from the whole run. A format with both streams unless ``whole`` says that these options
    need the whole run (indented JSON).
    """

    name: str
    help: str
    render: Callable[[Run, Options], str] | None = None
    stream: Callable[[TextIO], StreamWriter] | None = None
    whole: Callable[[Options], bool] | None = None

    def streams(self, options: Options) -> bool:
        """Whether this report is written as documents finish (else rendered at the end)."""
        return self.stream is not None and not (self.whole is not None and self.whole(options))

    def writer(self, out: TextIO) -> StreamWriter:
        """A writer of this report to ``out``, a document at a time."""
        if self.stream is None:
            raise UsageError(f"the {self.name} report is rendered from the whole run")
        return self.stream(out)

    def text(self, run: Run, options: Options) -> str:
        """The whole report of ``run``."""
        if self.render is None:
            raise UsageError(f"the {self.name} report is written as documents finish")
        return self.render(run, options)


@dataclass(frozen=True)
class CiFormat:
    """A CI output of ``mtaudit check``: its name, one line of help, and how it is rendered."""

    name: str
    help: str
    render: Callable[[Gated], str]


# format name -> "module:attribute" of its ReportFormat (imported on first use), or the object.
FORMATS: dict[str, str | ReportFormat] = {
    "text": "mtaudit.reports.terminal:FORMAT",
    "json": "mtaudit.reports.json_report:FORMAT",
    "jsonl": "mtaudit.reports.stream:JSONL_FORMAT",
    "html": "mtaudit.reports.html:FORMAT",
}

# CI output name -> "module:attribute" of its CiFormat, or the object.
CI_FORMATS: dict[str, str | CiFormat] = {
    "junit": "mtaudit.reports.junit:FORMAT",
    "github": "mtaudit.reports.github:FORMAT",
}


def register(name: str, fmt: str | ReportFormat) -> None:
    """Register a report format under ``name`` (usable as ``--format NAME``)."""
    FORMATS[name] = fmt


def get_format(name: str) -> ReportFormat:
    """The report format registered as ``name``; ``UsageError`` naming the known ones."""
    fmt: ReportFormat = lookup(
        FORMATS,
        name,
        lambda: f"--format: unknown report format {name!r} (known: {', '.join(FORMATS)})",
        UsageError,
    )
    return fmt


def get_ci_format(name: str) -> CiFormat:
    """The CI output registered as ``name``; ``UsageError`` naming the known ones."""
    fmt: CiFormat = lookup(
        CI_FORMATS,
        name,
        lambda: f"unknown CI output {name!r} (known: {', '.join(CI_FORMATS)})",
        UsageError,
    )
    return fmt


__all__ = [
    "CI_FORMATS",
    "FORMATS",
    "CiFormat",
    "Options",
    "ReportFormat",
    "StreamWriter",
    "get_ci_format",
    "get_format",
    "register",
]
