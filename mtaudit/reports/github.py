"""GitHub Actions workflow commands (``::error file=…,line=…,col=…::message``) for problems.

Values are escaped as the Actions toolkit does: in the message ``%``, CR and LF; in properties
also ``:`` and ``,``. New critical and major problems are errors, new minor ones warnings, and
problems a baseline already knows are notices; accepted ones are not reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mtaudit.baseline import ACCEPTED
from mtaudit.reports import CiFormat
from mtaudit.reports.location import location
from mtaudit.reports.problems import NEW, Gated, Problem
from mtaudit.reports.terminal import visible


def escape_data(text: str) -> str:
    """Escape a command's message; control and bidi characters become ⟨U+XXXX⟩ tokens.

    (An escape sequence in a translation would otherwise colour or rewrite the CI log.)
    """
    text = visible(text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property's value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, properties: dict[str, str | int | None]) -> str:
    """One workflow command line; properties that are ``None`` are left out."""
    props = ",".join(
        f"{name}={escape_property(str(value))}"
        for name, value in properties.items()
        if value is not None
    )
    return f"::{kind}{' ' + props if props else ''}::{escape_data(message)}"


def relative(path: str) -> str:
    """A path under the working directory (the checkout) relative to it, as GitHub wants."""
    here = Path.cwd()
    try:
        return Path(path).resolve().relative_to(here.resolve()).as_posix()
    except (ValueError, OSError):
        return path


def annotation(problem: Problem, document_id: str) -> str | None:
    """The workflow command for one problem, ``None`` for an accepted one."""
    if problem.status == ACCEPTED:
        return None
    sent, loc = problem.sentence, problem.location
    severity = sent.severity.label
    if problem.status != NEW:
        kind = "notice"
    else:
        kind = "error" if severity in ("critical", "major") else "warning"
    checks = ", ".join(problem.checks)
    title = f"mtaudit {severity}" + (f" ({checks})" if checks else "")
    if problem.status != NEW:
        title += f", {problem.status}"
    where = location(sent)  # an XLIFF/TMX unit or a page element
    at = f" ({where})" if where else ""
    lines = [f"{document_id} #{sent.index + 1}{at}: {sent.text}"]
    lines += [f"- {reason}" for reason in sent.reasons]
    suggestion = sent.texts.get("suggestion")
    if suggestion:
        lines.append(f"suggestion: {suggestion}")
    properties: dict[str, str | int | None] = {}
    if loc.path is not None:
        properties.update(file=relative(loc.path), line=loc.line, col=loc.col)
    properties["title"] = title
    return command(kind, "\n".join(lines), properties)


def workflow_commands(problems: Iterable[Problem], document_ids: list[str]) -> list[str]:
    """Workflow command lines for every problem that is not accepted."""
    lines = (annotation(p, document_ids[p.document]) for p in problems)
    return [line for line in lines if line is not None]


def _render(gated: Gated) -> str:
    ids = [doc.id for doc in gated.run.documents]
    return "".join(line + "\n" for line in workflow_commands(gated.problems, ids))


FORMAT = CiFormat("github", "GitHub Actions annotations for problem sentences", render=_render)
