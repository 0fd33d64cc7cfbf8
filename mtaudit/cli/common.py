"""Options and steps shared by ``audit`` and ``check``; library errors become CLI errors here."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
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
) -> dict[str, Any]:
    """Read, audit and return the run dictionary; raise ``CliError`` on bad input or usage."""
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
        progress = SentenceProgress(
            documents=len(items),
            min_documents=int(config.get("report.progress_min_documents", 20)),
            min_sentences=int(config.get("report.progress_min_sentences", 2000)),
        )
        try:
            run = audit(items, config, signals=chosen, strict=strict, progress=progress)
        finally:
            progress.close()
    except MtauditError as exc:
        raise CliError(str(exc)) from None
    return run_to_dict(run)


class SentenceProgress:
    """A ``click.progressbar`` on stderr counting sentences, shown only when the run is long.

    A run is long when it has at least ``min_documents`` documents or ``min_sentences``
    sentences (``[report]`` in the config), so one large document gets a bar too.
    """

    def __init__(self, documents: int, min_documents: int, min_sentences: int) -> None:
        self.documents = documents
        self.min_documents = min_documents
        self.min_sentences = min_sentences
        self.bar: Any = None
        self.long = False

    def start(self, total: int) -> None:
        """Open the bar for ``total`` sentences (hidden when the run is short)."""
        self.long = self.documents >= self.min_documents or total >= self.min_sentences
        self.bar = click.progressbar(
            length=total, label="Auditing sentences", file=sys.stderr, hidden=not self.long
        )
        self.bar.__enter__()

    def advance(self, count: int) -> None:
        """Move the bar on by ``count`` sentences."""
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        """Finish the bar (also when the run stopped early)."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


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
