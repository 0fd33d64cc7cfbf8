"""``mtaudit check``: the CI gate on translated feeds."""

from __future__ import annotations

from typing import Any

import click

from mtaudit.cli.common import AuditJob, audit_options, pass_audit
from mtaudit.cli.gating import GateOptions, decide, gate_options, rules_for, stdout_is_data
from mtaudit.cli.paths import refuse_overwrite


@click.command()
@audit_options
@gate_options
@pass_audit
def check(job: AuditJob, **kwargs: Any) -> None:
    """Audit like `audit`, then fail when problems exceed the budgets.

    Budgets limit flagged sentences (--max-flagged), or sentences of a severity or worse
    (--max-critical, --max-major, --max-minor), in the whole run or, with -per-doc, in any
    one document: a count (3) or a percentage of sentences (5%). Options override [gate] in
    the config. With --baseline only problems new since the baseline count. Documents already
    audited under the same settings are taken from the state database (--state).

    \b
    Exit status:
      0  problems are within every budget
      1  over budget (the reasons, and by how much, are printed)
      2  an input could not be read (or held no translation), or bad usage
      3  internal error

    \b
    Examples:
      mtaudit check feed.jsonl --max-flagged 5%
      mtaudit check articles/ --max-flagged 10 --max-flagged-per-doc 2
      mtaudit check feed.jsonl --fail-on critical --max-major-per-doc 3 --junit report.xml
      mtaudit check feed.jsonl --baseline baseline.json --github
      mtaudit check feed.jsonl --baseline baseline.json --update-baseline
    """  # noqa: D301
    options = GateOptions.pop(kwargs)
    rules = rules_for(options, job.config)
    written = {
        "-o/--output": kwargs["output"],
        "--html": kwargs["html_path"],
        "--junit": options.junit,
        "--baseline": options.baseline if options.update_baseline else None,
        "--state": kwargs["state_path"],
    }
    refuse_overwrite(written, [*job.inputs, job.source, *options.accept])
    fmt, output = kwargs["fmt"], kwargs["output"]
    run = job.write(
        fmt,
        output,
        kwargs["show_all"],
        kwargs["html_path"],
        keep_all=True,  # the gate reads every sentence's severity and findings
        state=kwargs["state_path"],
        use_state=not kwargs["no_state"],
    )
    options.annotations_to_stderr = stdout_is_data(fmt, output)
    raise SystemExit(decide(run, rules, options))
