"""The ``mtaudit`` command line: a click group with one thin module per command."""

from __future__ import annotations

import click

from mtaudit import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mtaudit")
def main() -> None:
    """Audit machine-translated articles and flag the broken sentences for a reviewer.

    \b
    Examples:
      mtaudit audit examples/article.en.txt
      mtaudit audit article.en.txt --source article.ar.txt --format json -o run.json
      mtaudit check feed.jsonl --max-flagged 5%
    """  # noqa: D301


def _register() -> None:
    from mtaudit.cli.audit import audit
    from mtaudit.cli.check import check

    main.add_command(audit)
    main.add_command(check)


_register()


from mtaudit.cli.apply import apply  # noqa: E402
from mtaudit.cli.report import report  # noqa: E402

main.add_command(report)
main.add_command(apply)


from mtaudit.cli.cache import cache  # noqa: E402
from mtaudit.cli.models import models  # noqa: E402

main.add_command(models)
main.add_command(cache)


from mtaudit.cli.judging import calibrate, evaluate  # noqa: E402

main.add_command(calibrate)
main.add_command(evaluate)
