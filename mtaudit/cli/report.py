"""``mtaudit report``: render a saved run as the reviewer's HTML report."""

from __future__ import annotations

import click

from mtaudit.cli.paths import refuse_overwrite
from mtaudit.reports.html import write_html
from mtaudit.runfile import load_run


@click.command("report")
@click.argument("run_file", metavar="RUN", type=click.Path(allow_dash=True))
@click.option(
    "--html",
    "html_path",
    required=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the reviewer's HTML report to FILE (one self-contained page).",
)
def report(run_file: str, html_path: str) -> None:
    """Render a saved run (from `mtaudit audit --format json` or `jsonl`) as a report.

    The HTML report is one self-contained file: summary and charts, every sentence with its
    source, translation, back-translation or round trip and suggestion side by side, filters,
    keyboard navigation (j/k between flagged sentences, f fine, e correct), and an export of the
    reviewer's corrections for `mtaudit apply`. RUN is the JSON run, the JSON Lines run, the
    results folder of `--executor ray`, or - for standard input.

    \b
    Example:
      mtaudit audit article.en.txt --format json -o run.json
      mtaudit report run.json --html report.html
    """  # noqa: D301 (click's \b marks a paragraph kept as written)
    refuse_overwrite({"--html": html_path}, [run_file])
    run = load_run(run_file)
    path = write_html(run, html_path)
    sentences = sum(len(d.sentences) for d in run.documents)
    click.echo(
        f"wrote {path} ({_plural(len(run.documents), 'article')}, "
        f"{_plural(sentences, 'sentence')})",
        err=True,
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
