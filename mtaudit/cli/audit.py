"""``mtaudit audit``: the newsroom QA command."""

from __future__ import annotations

import click

from mtaudit.cli.common import AuditJob, audit_options, pass_audit


@click.command()
@audit_options
@pass_audit
def audit(
    job: AuditJob,
    fmt: str,
    output: str | None,
    show_all: bool,
    html_path: str | None,
    config_path: str | None,
) -> None:
    """Audit translated articles and list the sentences a reviewer should correct.

    INPUT is a translated article (plain text or Markdown), a JSONL feed (one record a
    document: id, target, source, source_lang, target_lang), a TSV/CSV bitext with a header
    naming those fields, a folder of NAME.<lang>.txt articles, or - for stdin.

    Exit status: 0 when every input was audited, 2 when an input could not be read (the
    others are still audited and reported) or on bad usage, 3 on an internal error.

    \b
    Examples:
      mtaudit audit examples/article.en.txt
      mtaudit audit article.en.txt --source article.ar.txt
      mtaudit audit feed.jsonl --format json -o run.json
      mtaudit audit articles/ --html report.html
      mtaudit audit feed.jsonl --format jsonl --jobs 4 -o results.jsonl
      mtaudit audit feeds/ --executor ray -o results/
      cat article.txt | mtaudit audit -
    """  # noqa: D301
    run = job.write(fmt, output, show_all, html_path)
    if run["summary"]["errors"]:
        raise SystemExit(2)
