"""Options and steps shared by ``audit`` and ``check``: options checked first, then the audit."""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from mtaudit import reports
from mtaudit.atomic import open_atomic, write_text_atomic
from mtaudit.checks import build_checks
from mtaudit.cli.exits import quiet
from mtaudit.cli.options import config_option, stack
from mtaudit.cli.paths import refuse_overwrite
from mtaudit.config import Config, language_code
from mtaudit.errors import InputError, UsageError
from mtaudit.io import FORMATS, LanguageSettings
from mtaudit.io.stream import iter_inputs
from mtaudit.judge import Judge
from mtaudit.pipeline import merge_statuses, note_directions, signature
from mtaudit.reports import Options, StreamWriter, get_format
from mtaudit.reports.html import write_html
from mtaudit.reports.stream import Collector, RunTotals
from mtaudit.runfile import Run
from mtaudit.runner import RepeatedIds, default_jobs, run_batches
from mtaudit.settings import settings_of
from mtaudit.types import Document, SignalStatus

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("mtaudit")


class _NoBar:
    """The progress bar where none is drawn: its counts go nowhere."""

    def update(self, n: int | float | None = 1) -> None:
        """Count ``n`` more sentences (ignored)."""

    def set_description_str(self, desc: str | None = None) -> None:
        """Name the stage (ignored)."""


def progress_bar(desc: str) -> contextlib.AbstractContextManager[Any]:
    """A bar counting sentences on standard error, drawn only on a terminal and without ``-q``.

    Elsewhere (a CI log, a pipe) nothing is drawn and tqdm is not even imported: it would add
    about 0.02 s to a start-up of 0.2 s, serial work before any ``--jobs`` worker exists.
    """
    if quiet() or not sys.stderr.isatty():
        return contextlib.nullcontext(_NoBar())
    from tqdm import tqdm

    # tqdm's monitor thread (it only retunes bars that stall) would keep --jobs from forking
    # its workers: see mtaudit.runner.start_method
    tqdm.monitor_interval = 0
    bar: contextlib.AbstractContextManager[Any] = tqdm(
        unit=" sentences", desc=desc, file=sys.stderr, leave=False
    )
    return bar


class FormatName(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """A report format's name: one registered in ``mtaudit.reports.FORMATS`` when parsed."""

    name = "format"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        """``[text|json|jsonl|html]``: the formats registered now."""
        return "[" + "|".join(reports.FORMATS) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """The name, or a usage error (exit 2) naming the known formats."""
        name = str(value)
        if name not in reports.FORMATS:
            self.fail(
                f"unknown report format {name!r} (known: {', '.join(reports.FORMATS)})", param, ctx
            )
        return name


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
            "--unit",
            type=click.Choice(["document", "segment"]),
            help="document: split into sentences and align; segment: each record is one "
            "sentence-like unit, never re-split [default: segment for TSV/CSV, else document].",
        ),
        click.option(
            "--source-lang",
            help="Source language when the input does not say [default: from config, ar].",
        ),
        click.option(
            "--target-lang",
            help="Target language when the input does not say [default: from config, en].",
        ),
        config_option,
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
            type=FormatName(),
            default="text",
            show_default=True,
            help="Report format: text, a readable summary; json, the run as one object; jsonl, "
            "a header line with the run signature, one line per document as it finishes, a "
            "summary line last; html, the reviewer's page.",
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
    return stack(func, options)


def _on_command_line(param: str) -> bool:
    """Whether the current command's ``param`` was given on the command line (not by env)."""
    ctx = click.get_current_context(silent=True)
    return ctx is not None and ctx.get_parameter_source(param) is ParameterSource.COMMANDLINE


@dataclass
class AuditJob:
    """An audit set up from the shared options: config loaded and checked, nothing read yet.

    Commands validate their own options (which may need ``config``) first, then call ``run``.
    """

    config: Config
    inputs: tuple[str, ...]
    source: str | None
    input_format: str
    source_lang: str | None
    target_lang: str | None
    signals: str | None
    no_signals: bool
    strict: bool
    unit: str | None = None
    pretty: bool = False
    jobs: int | None = None
    executor: str = "local"
    ray_address: str | None = None

    def _chosen(self) -> list[str] | None:
        if self.no_signals:
            return []
        if self.signals is not None:
            return [s.strip() for s in self.signals.split(",") if s.strip()]
        return None

    def _items(self) -> Iterator[Document | InputError]:
        """The inputs, JSONL feeds streamed a record at a time; ``--unit`` applied."""
        config = self.config
        items = iter_inputs(
            list(self.inputs),
            source=self.source,
            fmt=self.input_format,
            source_lang=self.source_lang or settings_of(config, LanguageSettings).source,
            target_lang=self.target_lang or settings_of(config, LanguageSettings).target,
        )
        ids = RepeatedIds()
        read = failed = 0
        for item in items:
            if isinstance(item, Document):
                read += 1
                item.choose_unit(self.unit)
                ids.see(item.id, item.origin)
            else:
                failed += 1
            yield item
        log.info("read %d document(s); %d input(s) could not be read", read, failed)

    def _jobs(self) -> int:
        """The worker processes: ``--jobs``, else one per core (a warning when over the cores)."""
        cores = default_jobs()
        if self.jobs and self.jobs > cores:
            log.warning(
                "--jobs %d is more than the %d core(s) this process may use: the workers take "
                "turns on them, and each holds its own models",
                self.jobs,
                cores,
            )
        return self.jobs or cores

    def write(
        self,
        fmt: str,
        output: str | None,
        show_all: bool,
        html_path: str | None,
        *,
        keep_all: bool = False,
        state: str | None = None,
        use_state: bool = False,
    ) -> Run:
        """Read, audit and write the reports as documents finish; return the run.

        The report is the format registered as ``fmt`` (``mtaudit.reports.FORMATS``). The run
        holds every document when a report needed them all (text, HTML, pretty JSON) or
        ``keep_all`` asks for them, else the small records of failed and flagged documents
        (for the gate and the error lines). Batches go to ``jobs`` worker processes,
        or to Ray Data. With ``use_state``, documents the state database (``state``, else the
        default beside the translation cache) holds under the current settings are not
        audited again (see ``mtaudit.state``).
        """
        config = self.config
        if self.ray_address and self.executor != "ray":
            raise UsageError("--ray-address goes with --executor ray")
        if self.executor == "ray":
            if not output:
                raise UsageError("--executor ray writes sharded results: give -o FOLDER")
            if self.source or html_path:
                raise UsageError("--executor ray audits JSONL feeds: no --source or --html")
            ignored = [
                name
                for name, given in (
                    (f"--format {fmt}", fmt not in ("text", "jsonl")),
                    ("--pretty", self.pretty),
                    ("--all", show_all),
                    ("--state", state is not None and _on_command_line("state_path")),
                )
                if given
            ]
            if ignored:
                raise UsageError(
                    "--executor ray writes JSONL shards and run.json to the -o folder and audits "
                    f"every document; {', '.join(ignored)}: for local runs only"
                )
            from mtaudit.executors.ray_data import run_ray

            return run_ray(
                list(self.inputs),
                config,
                output,
                signals=self._chosen(),
                strict=self.strict,
                address=self.ray_address,
                source_lang=self.source_lang or settings_of(config, LanguageSettings).source,
                target_lang=self.target_lang or settings_of(config, LanguageSettings).target,
                input_format=self.input_format,
                unit=self.unit,
                keep_all=keep_all,
            )
        report = get_format(fmt)
        options = Options(
            colour=output is None and sys.stdout.isatty(), show_all=show_all, pretty=self.pretty
        )
        with contextlib.ExitStack() as stack:
            writers: list[StreamWriter | Collector] = []
            collector: Collector | None = None
            streamed = report.streams(options)
            if keep_all or not streamed or html_path:
                collector = Collector()
                writers.append(collector)
            if streamed:
                stream = (
                    stack.enter_context(open_atomic(output, keep_partial=fmt == "jsonl"))
                    if output
                    else sys.stdout
                )
                writers.append(report.writer(stream))
            checks, judge = build_checks(config), Judge.from_config(config)
            statuses: list[SignalStatus] = []
            components: dict[str, object] = {}
            totals = RunTotals()
            bar = stack.enter_context(progress_bar("Auditing"))
            incremental = None
            if use_state:
                from mtaudit.state import Incremental, default_path, open_incremental

                path = Path(state) if state else default_path(config)
                incremental = stack.enter_context(
                    open_incremental(path, config, self._chosen(), progress=bar.update)
                )
            batches = (incremental or _Direct()).batches(
                self._items(),
                lambda items: run_batches(
                    items,
                    config,
                    signals=self._chosen(),
                    strict=self.strict,
                    jobs=self._jobs(),
                    progress=bar.update,
                    stage=lambda name: bar.set_description_str(
                        f"Auditing ({name})" if name else "Auditing"
                    ),
                ),
            )
            for batch in batches:
                statuses = merge_statuses(statuses, batch.statuses)
                components.update(batch.components)
                note_directions(judge, batch.documents)
                current = signature(config, checks, statuses, components or None, judge)

                def known(sig: dict[str, Any] = current) -> dict[str, Any]:
                    return sig

                for doc in batch.documents:
                    totals.add(doc)
                    for writer in writers:
                        writer.write(doc, known)
            final = signature(config, checks, statuses, components or None, judge)
            if incremental is not None:
                final = incremental.signature(final, ran=bool(statuses))
            for writer in writers:
                if not isinstance(writer, Collector):
                    writer.finish(final, totals)
        run = collector.run(final, totals) if collector else totals.skeleton(final)
        if html_path:
            write_html(run, html_path)
        if not streamed:
            text = report.text(run, options)
            if output:
                write_text_atomic(text, output)
            else:
                click.echo(text, nl=False)
        for doc in run.documents:
            if doc.error:
                click.echo(f"error: {doc.id}: {doc.error}", err=True)
        if incremental is not None and not quiet():
            done: Incremental = incremental.counts
            click.echo(
                f"state: audited {done.audited} document(s), {done.reused} unchanged ({path})",
                err=True,
            )
        return run


class _Direct:
    """Audit every document (no state database)."""

    def batches(self, items: Any, audit_items: Callable[[Any], Any]) -> Any:
        """The auditor's batches of ``items``, unchanged."""
        return audit_items(items)


_JOB_OPTIONS = (
    "inputs",
    "source",
    "input_format",
    "source_lang",
    "target_lang",
    "signals",
    "no_signals",
    "strict",
    "unit",
    "pretty",
    "jobs",
    "executor",
    "ray_address",
)


def known_signals(names: list[str]) -> None:
    """Raise ``UsageError`` for a ``--signals`` name that is not a registered signal."""
    from mtaudit.signals import REGISTRY

    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise UsageError(
            f"--signals: unknown signal {', '.join(map(repr, unknown))} "
            f"(known: {', '.join(sorted(REGISTRY))})"
        )


def pass_audit(func: Callable[..., Any]) -> Callable[..., Any]:
    """Check the shared options before any work and hand ``func`` an ``AuditJob`` as ``job``.

    The configuration is loaded (and validated) once; languages must be codes; ``-o`` and
    ``--html`` may not name an input, the ``--source`` file, or each other.
    """

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> Any:
        options = {k: kwargs.pop(k) for k in _JOB_OPTIONS}
        config = Config.load(kwargs["config_path"])
        for option in ("source_lang", "target_lang"):
            if options[option] is not None:
                options[option] = language_code(options[option], f"--{option.replace('_', '-')}")
        if options["signals"] and not options["no_signals"]:
            known_signals([s.strip() for s in options["signals"].split(",") if s.strip()])
        refuse_overwrite(
            {"-o/--output": kwargs.get("output"), "--html": kwargs.get("html_path")},
            [*options["inputs"], options["source"]],
        )
        return func(job=AuditJob(config=config, **options), **kwargs)

    return wrapper
