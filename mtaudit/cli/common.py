"""Options and steps shared by ``audit`` and ``check``; library errors become CLI errors here."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from tqdm import tqdm

from mtaudit.atomic import open_atomic, write_text_atomic
from mtaudit.checks import build_checks
from mtaudit.config import Config
from mtaudit.errors import MtauditError
from mtaudit.io import FORMATS
from mtaudit.io.stream import iter_inputs
from mtaudit.pipeline import merge_statuses, signature
from mtaudit.reports import terminal
from mtaudit.reports.html import write_html
from mtaudit.reports.json_report import dumps
from mtaudit.reports.stream import Collector, JsonlWriter, JsonWriter, RunTotals
from mtaudit.runner import default_jobs, run_batches
from mtaudit.types import SignalStatus

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
            type=click.Choice(["text", "json", "jsonl"]),
            default="text",
            show_default=True,
            help="Report format. jsonl: a header line with the run signature, one line per "
            "document as it finishes, a summary line last.",
        ),
        click.option(
            "--pretty",
            is_flag=True,
            help="JSON: indent the report for reading (default: compact, one line).",
        ),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            default=None,
            help="Worker processes auditing batches of documents in parallel "
            "[default: the number of cores]. The output is the same for any number.",
        ),
        click.option(
            "--executor",
            type=click.Choice(["local", "ray"]),
            default="local",
            show_default=True,
            help="local: this machine (--jobs processes); ray: Ray Data, on the cluster at "
            "--ray-address or on a small local Ray instance (needs mtaudit[ray]).",
        ),
        click.option(
            "--ray-address",
            help="Ray cluster to run on with --executor ray (e.g. ray://head:10001 or auto).",
        ),
        click.option(
            "-o",
            "--output",
            type=click.Path(),
            help="Write the report to this file (atomically) instead of stdout; with "
            "--executor ray, the folder for the sharded results.",
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


def _chosen(signals: str | None, no_signals: bool) -> list[str] | None:
    if no_signals:
        return []
    if signals is not None:
        return [s.strip() for s in signals.split(",") if s.strip()]
    return None


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
    fmt: str = "text",
    output: str | None = None,
    show_all: bool = False,
    html_path: str | None = None,
    pretty: bool = False,
    jobs: int | None = None,
    executor: str = "local",
    ray_address: str | None = None,
) -> dict[str, Any]:
    """Read, audit and write the reports as documents finish; return the run dictionary.

    The dictionary holds every document when a report needed them all (text, HTML, pretty
    JSON), else the small per-document records (id, error, summary) the gate needs. Raises
    ``CliError`` on bad input or usage.
    """
    try:
        config = Config.load(config_path)
        src_lang = source_lang or str(config.get("languages.source", "ar"))
        tgt_lang = target_lang or str(config.get("languages.target", "en"))
        chosen = _chosen(signals, no_signals)
        if ray_address and executor != "ray":
            raise CliError("--ray-address goes with --executor ray")
        if executor == "ray":
            from mtaudit.executors.ray_data import run_ray

            if not output:
                raise CliError("--executor ray writes sharded results: give -o FOLDER")
            if source or html_path:
                raise CliError("--executor ray audits JSONL feeds: no --source or --html")
            return run_ray(
                list(inputs),
                config,
                output,
                signals=chosen,
                strict=strict,
                address=ray_address,
                source_lang=src_lang,
                target_lang=tgt_lang,
                input_format=input_format,
            )
        items = iter_inputs(
            list(inputs),
            source=source,
            fmt=input_format,
            source_lang=src_lang,
            target_lang=tgt_lang,
        )
        with contextlib.ExitStack() as stack:
            writers: list[Any] = []
            collector: Collector | None = None
            if fmt == "text" or html_path or (fmt == "json" and pretty):
                collector = Collector()
                writers.append(collector)
            if fmt in ("json", "jsonl") and not (fmt == "json" and pretty):
                stream = stack.enter_context(open_atomic(output)) if output else sys.stdout
                writers.append(JsonlWriter(stream) if fmt == "jsonl" else JsonWriter(stream))
            checks = build_checks(config)
            statuses: list[SignalStatus] = []
            totals = RunTotals()
            bar = stack.enter_context(
                tqdm(
                    unit=" sentences",
                    desc="Auditing",
                    file=sys.stderr,
                    disable=not sys.stderr.isatty(),
                    leave=False,
                )
            )
            batches = run_batches(
                items,
                config,
                signals=chosen,
                strict=strict,
                jobs=jobs or default_jobs(),
                progress=bar.update,
            )
            for batch in batches:
                statuses = merge_statuses(statuses, batch.statuses)
                current = signature(config, checks, statuses)
                for doc in batch.documents:
                    totals.add(doc)
                    for writer in writers:
                        writer.write(doc, lambda sig=current: sig)
            final = signature(config, checks, statuses)
            for writer in writers:
                if not isinstance(writer, Collector):
                    writer.finish(final, totals)
        run = collector.run(final, totals) if collector else totals.skeleton(final)
        if html_path:
            write_html(run, html_path)
        if fmt == "json" and pretty:
            text = dumps(run, pretty=True)
            if output:
                write_text_atomic(text, output)
            else:
                click.echo(text, nl=False)
        elif fmt == "text":
            colour = output is None and sys.stdout.isatty()
            text = terminal.render(run, colour=colour, show_all=show_all) + "\n"
            if output:
                write_text_atomic(text, output)
            else:
                click.echo(text, nl=False)
    except MtauditError as exc:
        raise CliError(str(exc)) from None
    for doc in run["documents"]:
        if doc["error"]:
            click.echo(f"error: {doc['id']}: {doc['error']}", err=True)
    return run


def pass_audit(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run the audit from the shared options (reports written); hand ``func`` the run dict."""

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
            "fmt",
            "output",
            "show_all",
            "html_path",
            "pretty",
            "jobs",
            "executor",
            "ray_address",
        )
        run = run_audit(config_path=kwargs["config_path"], **{k: kwargs.pop(k) for k in names})
        return func(run=run, **kwargs)

    return wrapper
