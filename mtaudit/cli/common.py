"""Options and steps shared by ``audit`` and ``check``; library errors become CLI errors here."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from mtaudit.atomic import write_text_atomic
from mtaudit.config import Config
from mtaudit.errors import MtauditError
from mtaudit.io import FORMATS, read_inputs
from mtaudit.pipeline import audit
from mtaudit.reports import terminal
from mtaudit.reports.html import write_html
from mtaudit.reports.json_report import dumps, run_to_dict

F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """A library error shown as one line, with exit code 2 (bad input or usage)."""

    exit_code = 2


def audit_options(func: F) -> F:
    """The options every auditing command takes."""
    options = [
        click.argument("inputs", nargs=-1, required=True, metavar="INPUT..."),
        click.option(
            "--source",
            "source",
            type=click.Path(dir_okay=False),
            help="Source-language text of the (single) translated article.",
        ),
        click.option(
            "--input-format",
            type=click.Choice(FORMATS),
            default="auto",
            show_default=True,
            help="How to read INPUT (auto: by file extension).",
        ),
        click.option(
            "--source-lang",
            help="Source language when the input does not say [default: from config, ar].",
        ),
        click.option(
            "--target-lang",
            help="Target language when the input does not say [default: from config, en].",
        ),
        click.option(
            "-c",
            "--config",
            "config_path",
            type=click.Path(dir_okay=False),
            envvar="MTAUDIT_CONFIG",
            help="TOML file laid over configs/default.toml (env: MTAUDIT_CONFIG).",
        ),
        click.option(
            "--signals",
            help="Comma-separated model signals to run (e.g. "
            "fidelity,fluency); default from config.",
        ),
        click.option("--no-signals", is_flag=True, help="Run the deterministic checks only."),
        click.option(
            "--strict",
            is_flag=True,
            help="Fail (exit 2) when a model signal cannot run, instead of skipping it.",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["text", "json"]),
            default="text",
            show_default=True,
            help="Report format.",
        ),
        click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False),
            help="Write the report to this file (atomically) instead of stdout.",
        ),
        click.option(
            "--html",
            "html_path",
            type=click.Path(dir_okay=False),
            help="Also write the reviewer's self-contained HTML report to this file.",
        ),
        click.option(
            "--all",
            "show_all",
            is_flag=True,
            help="Text report: also list sentences with minor findings.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def run_audit(
    inputs: tuple[str, ...],
    source: str | None,
    input_format: str,
    source_lang: str | None,
    target_lang: str | None,
    config_path: str | None,
    signals: str | None,
    no_signals: bool,
    strict: bool,
    state: str | None = None,
    use_state: bool = False,
) -> dict[str, Any]:
    """Read, audit and return the run dictionary; raise ``CliError`` on bad input or usage.

    With ``use_state``, documents the state database (``state``, else the default beside the
    translation cache) already holds under the current settings are not audited again.
    """
    try:
        config = Config.load(config_path)
        items = read_inputs(
            list(inputs),
            source=source,
            fmt=input_format,
            source_lang=source_lang or str(config.get("languages.source", "ar")),
            target_lang=target_lang or str(config.get("languages.target", "en")),
        )
        chosen: list[str] | None = None
        if no_signals:
            chosen = []
        elif signals is not None:
            chosen = [s.strip() for s in signals.split(",") if s.strip()]
        total = len(items)
        show = total >= int(config.get("report.progress_min_documents", 20))
        with click.progressbar(
            length=total, label="Auditing", file=sys.stderr, hidden=not show
        ) as bar:
            if not use_state:
                return run_to_dict(
                    audit(items, config, signals=chosen, strict=strict, progress=bar.update)
                )
            from mtaudit.state import StateDB, audit_incremental, default_path

            path = Path(state) if state else default_path(config)
            with StateDB(path) as db:
                data, done = audit_incremental(
                    items, config, db, signals=chosen, strict=strict, progress=bar.update
                )
        click.echo(
            f"state: audited {done.audited} document(s), {done.reused} unchanged ({path})",
            err=True,
        )
    except MtauditError as exc:
        raise CliError(str(exc)) from None
    return data


def emit(
    run: dict[str, Any], fmt: str, output: str | None, show_all: bool, html_path: str | None
) -> None:
    """Write the report in the chosen format to ``output`` or stdout, and the HTML if asked."""
    if html_path:
        try:
            write_html(run, html_path)
        except MtauditError as exc:
            raise CliError(str(exc)) from None
    if fmt == "json":
        text = dumps(run)
    else:
        colour = output is None and sys.stdout.isatty()
        text = terminal.render(run, colour=colour, show_all=show_all) + "\n"
    if output:
        try:
            write_text_atomic(text, output)
        except MtauditError as exc:
            raise CliError(str(exc)) from None
    else:
        click.echo(text, nl=False)
    for doc in run["documents"]:
        if doc["error"]:
            click.echo(f"error: {doc['id']}: {doc['error']}", err=True)


def pass_audit(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run the audit from the shared options; hand ``func`` the run dict and ``config_path``."""

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        names = (
            "inputs",
            "source",
            "input_format",
            "source_lang",
            "target_lang",
            "signals",
            "no_signals",
            "strict",
        )
        run = run_audit(config_path=kwargs["config_path"], **{k: kwargs.pop(k) for k in names})
        return func(run=run, **kwargs)

    return wrapper
