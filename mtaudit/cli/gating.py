"""What ``mtaudit check`` does after the audit: budgets, baseline, JUnit XML, annotations.

Its options and its decision live here; ``cli/check.py`` only wires them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from mtaudit.atomic import write_text_atomic
from mtaudit.baseline import ACCEPTED, KNOWN, NEW, Baseline
from mtaudit.cli.exits import quiet
from mtaudit.cli.options import stack
from mtaudit.config import Config
from mtaudit.errors import UsageError
from mtaudit.gate import (
    MEASURES,
    SCOPES,
    GateResult,
    GateSettings,
    Rule,
    build_rules,
    evaluate_rules,
    option_name,
)
from mtaudit.reports import get_ci_format
from mtaudit.reports.locate import Locator
from mtaudit.reports.problems import Gated, problems
from mtaudit.runfile import Run, RunSentence
from mtaudit.settings import settings_of

F = TypeVar("F", bound=Callable[..., Any])

_HELP = {
    "flagged": "flagged sentences",
    "critical": "critical sentences",
    "major": "sentences of major severity or worse",
    "minor": "sentences of minor severity or worse",
}


def gate_options(func: F) -> F:
    """The options of ``check`` beyond the shared auditing ones."""
    options = []
    for measure in MEASURES:
        for scope in SCOPES:
            where = "the whole run" if scope == "run" else "any one document"
            default = "" if scope == "document" else " Default: [gate] in the config."
            options.append(
                click.option(
                    option_name(measure, scope),
                    f"max_{measure}_{scope}",
                    metavar="N|P%",
                    help=f"{_HELP[measure].capitalize()} allowed in {where}: a count (3) or a "
                    f"percentage of sentences (5%).{default}",
                )
            )
    options += [
        click.option(
            "--fail-on",
            type=click.Choice(["critical", "major", "minor"]),
            help="Fail on any sentence of this severity or worse.",
        ),
        click.option(
            "--baseline",
            "baseline_path",
            type=click.Path(dir_okay=False),
            help="Known problems (mtaudit.baseline/1): only new problems count against budgets.",
        ),
        click.option(
            "--update-baseline",
            is_flag=True,
            help="Write the current problems to --baseline FILE (atomically), keeping "
            "accepted marks; the gate then passes on them.",
        ),
        click.option(
            "--accept",
            "accept_paths",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="A corrections export of the HTML report: sentences the reviewer marked "
            "fine stay quiet until their text changes (repeatable).",
        ),
        click.option(
            "--junit",
            "junit_path",
            type=click.Path(dir_okay=False),
            help="Write JUnit XML (one test case per document) to this file.",
        ),
        click.option(
            "--github",
            is_flag=True,
            help="Print GitHub Actions annotations (::error file=…,line=…::…) for problems.",
        ),
        click.option(
            "--state",
            "state_path",
            type=click.Path(dir_okay=False),
            envvar="MTAUDIT_STATE",
            help="State database for incremental runs (env: MTAUDIT_STATE). "
            "Default: state.sqlite3 beside the translation cache.",
        ),
        click.option(
            "--no-state",
            is_flag=True,
            help="Audit every document; neither read nor write the state database.",
        ),
    ]
    return stack(func, options)


@dataclass
class GateOptions:
    """What ``check`` was asked to do after the audit."""

    budgets: dict[str, str | None]
    fail_on: str | None = None
    baseline: str | None = None
    update_baseline: bool = False
    accept: tuple[str, ...] = ()
    junit: str | None = None
    github: bool = False
    annotations_to_stderr: bool = False

    def outputs(self) -> list[tuple[str, str | None]]:
        """The CI outputs asked for (``CI_FORMATS`` names) and their files (``None``: echo)."""
        wanted: list[tuple[str, str | None]] = []
        if self.junit:
            wanted.append(("junit", self.junit))
        if self.github:
            wanted.append(("github", None))
        return wanted

    @classmethod
    def pop(cls, kwargs: dict[str, Any]) -> GateOptions:
        """Take the gate's options out of a command's keyword arguments."""
        budgets = {
            option_name(m, s): kwargs.pop(f"max_{m}_{s}", None) for m in MEASURES for s in SCOPES
        }
        return cls(
            budgets=budgets,
            fail_on=kwargs.pop("fail_on", None),
            baseline=kwargs.pop("baseline_path", None),
            update_baseline=bool(kwargs.pop("update_baseline", False)),
            accept=tuple(kwargs.pop("accept_paths", ()) or ()),
            junit=kwargs.pop("junit_path", None),
            github=bool(kwargs.pop("github", False)),
        )


def rules_for(options: GateOptions, config: Config) -> list[Rule]:
    """The budget rules from the config and the options; ``UsageError`` on bad values."""
    if options.update_baseline and not options.baseline:
        raise UsageError("--update-baseline needs --baseline FILE to write to")
    return build_rules(settings_of(config, GateSettings), options.budgets, options.fail_on)


def _baseline(options: GateOptions, run: Run) -> Baseline | None:
    if not options.baseline and not options.accept:
        return None
    exists = bool(options.baseline) and Path(str(options.baseline)).exists()
    if options.baseline and not exists and not options.update_baseline:
        raise UsageError(
            f"{options.baseline}: no such baseline file; create it with "
            f"--baseline {options.baseline} --update-baseline"
        )
    baseline = Baseline.load(options.baseline) if options.baseline and exists else Baseline()
    for path in options.accept:
        baseline.accept_corrections(path)
    if options.update_baseline and options.baseline:
        baseline = baseline.updated(run)
        baseline.write(options.baseline, run.signature_text)
    return baseline


def _document_breaches(result: GateResult) -> dict[int, list[str]]:
    """The budget lines of each failed document: its own breaches and the run-wide ones."""
    run_wide = [str(b) for b in result.breaches if b.position is None]
    out: dict[int, list[str]] = {d: list(run_wide) for d in result.failed_documents}
    for breach in result.breaches:
        if breach.position is not None:
            out.setdefault(breach.position, []).append(str(breach))
    return out


def decide(run: Run, rules: list[Rule], options: GateOptions) -> int:
    """Apply baseline, budgets and the CI outputs to an audited run; return the exit status."""
    baseline = _baseline(options, run)
    statuses = baseline.classify(run) if baseline else {}
    ignored = [key for key, status in statuses.items() if status != NEW]
    result = evaluate_rules(run, rules, ignored)

    def wanted(sentence: RunSentence) -> bool:
        return sentence.is_problem and (
            sentence.flagged or any(rule.counts(sentence) for rule in rules)
        )

    outputs = options.outputs()
    if outputs:
        locator = Locator()
        gated = Gated(
            run,
            list(problems(run, statuses, wanted, locator)),
            result.failed_documents,
            _document_breaches(result),
            [locator.file_of(doc) or doc.origin or "<stdin>" for doc in run.documents],
        )
        for name, path in outputs:
            text = get_ci_format(name).render(gated)
            if path is not None:
                write_text_atomic(text, path)
            elif text:
                click.echo(text, nl=False, err=options.annotations_to_stderr)
    if baseline is not None and not quiet():
        counts = dict.fromkeys((NEW, KNOWN, ACCEPTED), 0)
        for status in statuses.values():
            counts[status] += 1
        click.echo(
            f"baseline: {counts[NEW]} new, {counts[KNOWN]} known, "
            f"{counts[ACCEPTED]} accepted problem sentence(s)"
            + (f"; written to {options.baseline}" if options.update_baseline else ""),
            err=True,
        )
    for breach in result.breaches:
        click.echo(f"over budget: {breach}", err=True)
    if run.summary.errors:
        return 2
    return 0 if result.passed else 1


def stdout_is_data(fmt: str, output: str | None) -> bool:
    """Whether a report meant for programs (any but the terminal text) goes to standard output.

    Annotations must not mix into it: they go to standard error then.
    """
    return fmt != "text" and output is None
