"""``mtaudit audit``: the newsroom QA command."""

from __future__ import annotations

import click

from mtaudit.cli.common import AuditJob, audit_options, pass_audit
from mtaudit.cli.paths import refuse_overwrite
from mtaudit.errors import UsageError
from mtaudit.reports.annotate import annotate_xliff
from mtaudit.runfile import Run


def _annotate(run: Run, output: str) -> None:
    origins = sorted(
        {d.origin for d in run.documents if str(d.metadata.get("format", "")).startswith("xliff")}
    )
    if len(origins) != 1:
        raise UsageError(
            f"--annotate needs exactly one XLIFF input that could be read (got {len(origins)})"
        )
    if origins[0] == "<stdin>":
        raise UsageError("--annotate needs the XLIFF as a file, not standard input")
    count = annotate_xliff(origins[0], run, output)
    click.echo(f"wrote {output}: {count} unit(s) annotated", err=True)


@click.command()
@audit_options
@click.option(
    "--annotate",
    "annotate_path",
    type=click.Path(dir_okay=False),
    help="XLIFF input: write a copy with the verdicts added as notes (mtaudit) to this file; "
    "every other byte is unchanged.",
)
@pass_audit
def audit(
    job: AuditJob,
    fmt: str,
    output: str | None,
    show_all: bool,
    html_path: str | None,
    config_path: str | None,
    annotate_path: str | None,
) -> None:
    """Audit translated articles and list the sentences a reviewer should correct.

    INPUT is a translated article (plain text or Markdown, or a web page .html whose article
    is extracted), a JSONL feed (one record a document: id, target, source, source_lang,
    target_lang), a TSV/CSV bitext with a header naming those fields, an XLIFF 1.2/2.x file
    (.xlf) or a TMX memory (.tmx), audited unit by unit, a folder of NAME.<lang>.txt (or
    .html) articles and XLIFF/TMX files, or - for stdin (with --input-format for pages,
    XLIFF and TMX).

    Exit status: 0 when every input was audited, 2 when an input could not be read (the
    others are still audited and reported) or on bad usage, 3 on an internal error.

    \b
    Examples:
      mtaudit audit examples/article.en.txt
      mtaudit audit article.en.txt --source article.ar.txt
      mtaudit audit feed.jsonl --format json -o run.json
      mtaudit audit articles/ --html report.html
      mtaudit audit page.en.html --source page.ar.html
      mtaudit audit delivery.xlf --annotate delivery.checked.xlf
      mtaudit audit feed.jsonl --format jsonl --jobs 4 -o results.jsonl
      mtaudit audit feeds/ --executor ray -o results/
      cat article.txt | mtaudit audit -
    """  # noqa: D301
    if annotate_path:
        if job.executor == "ray":
            raise UsageError("--annotate writes one XLIFF file: not with --executor ray")
        refuse_overwrite(
            {"--annotate": annotate_path, "-o/--output": output, "--html": html_path},
            [*job.inputs, job.source],
        )
    run = job.write(fmt, output, show_all, html_path, keep_all=bool(annotate_path))
    if annotate_path:
        _annotate(run, annotate_path)
    if run.summary.errors:
        raise SystemExit(2)
