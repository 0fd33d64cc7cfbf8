"""``mtaudit check``: the CI gate on translated feeds."""

from __future__ import annotations

import click

from mtaudit.cli.common import AuditJob, audit_options, pass_audit
from mtaudit.gate import Budget, evaluate


@click.command()
@audit_options
@click.option(
    "--max-flagged",
    help="Flagged sentences allowed in the whole run: a count (3) "
    "or a percentage of sentences (5%). Default: [gate] max_flagged in the config.",
)
@click.option(
    "--max-flagged-per-doc",
    help="Flagged sentences allowed in any one document: "
    "a count or a percentage of that document's sentences.",
)
@pass_audit
def check(
    job: AuditJob,
    fmt: str,
    output: str | None,
    show_all: bool,
    html_path: str | None,
    config_path: str | None,
    max_flagged: str | None,
    max_flagged_per_doc: str | None,
) -> None:
    """Audit like `audit`, then fail when flagged sentences exceed the budget.

    \b
    Exit status:
      0  flagged sentences are within budget (per run and per document)
      1  over budget
      2  an input could not be read (or held no translation), or bad usage
      3  internal error

    \b
    Examples:
      mtaudit check feed.jsonl --max-flagged 5%
      mtaudit check articles/ --max-flagged 10 --max-flagged-per-doc 2
    """  # noqa: D301
    default = str(job.config.get("gate.max_flagged", "0"))
    per_run = Budget.parse(max_flagged if max_flagged is not None else default)
    per_doc = Budget.parse(max_flagged_per_doc) if max_flagged_per_doc else None
    run = job.write(fmt, output, show_all, html_path)
    result = evaluate(run, per_run, per_doc)
    for line in result.failures:
        click.echo(f"over budget: {line}", err=True)
    if run["summary"]["errors"]:
        raise SystemExit(2)
    raise SystemExit(0 if result.passed else 1)
