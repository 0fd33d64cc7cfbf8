"""The ``mtaudit`` command line: a click group with one thin module per command.

Every command runs under ``MtauditGroup`` (``cli/exits.py``), which turns errors into the
documented exit codes, so no command catches ``MtauditError`` itself.
"""

from __future__ import annotations

import click

from mtaudit import __version__
from mtaudit.cli.exits import MtauditGroup, setup_logging


@click.group(cls=MtauditGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtaudit")
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Show what mtaudit is doing (info logging) and, on an internal error, the traceback.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Only errors on stderr: no warnings, notes or progress."
)
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Audit machine-translated articles and flag the broken sentences for a reviewer.

    \b
    Examples:
      mtaudit audit examples/article.en.txt
      mtaudit audit article.en.txt --source article.ar.txt --format json -o run.json
      mtaudit check feed.jsonl --max-flagged 5%
      mtaudit -v audit feed.jsonl

    \b
    Exit status (every command):
      0    ok
      1    over budget (check only)
      2    bad input or usage (the message names the file, line or option)
      3    internal error (the traceback with -v)
      130  interrupted (Ctrl-C); 143 terminated (SIGTERM)
    """  # noqa: D301
    ctx.obj = {"verbose": verbose, "quiet": quiet}
    setup_logging(verbose, quiet)


def _register() -> None:
    from mtaudit.cli.apply import apply
    from mtaudit.cli.audit import audit
    from mtaudit.cli.cache import cache
    from mtaudit.cli.check import check
    from mtaudit.cli.judging import calibrate, evaluate
    from mtaudit.cli.models import models
    from mtaudit.cli.report import report

    for command in (audit, check, report, apply, models, cache, calibrate, evaluate):
        main.add_command(command)


_register()
