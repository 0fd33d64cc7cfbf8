"""Options and steps shared by ``audit`` and ``check``: options checked first, then the audit."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from mtaudit.atomic import write_text_atomic
from mtaudit.cli.exits import quiet
from mtaudit.cli.paths import refuse_overwrite
from mtaudit.config import Config, language_code
from mtaudit.errors import InputError, UsageError
from mtaudit.io import FORMATS, read_inputs
from mtaudit.pipeline import audit
from mtaudit.reports import terminal
from mtaudit.reports.html import write_html
from mtaudit.reports.json_report import dumps, run_to_dict
from mtaudit.types import Document

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("mtaudit")


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

    def run(self) -> dict[str, Any]:
        """Read, audit and return the run dictionary (``MtauditError`` on bad input or usage)."""
        config = self.config
        items = read_inputs(
            list(self.inputs),
            source=self.source,
            fmt=self.input_format,
            source_lang=self.source_lang or str(config.get("languages.source", "ar")),
            target_lang=self.target_lang or str(config.get("languages.target", "en")),
        )
        if self.unit is not None:
            for item in items:
                if isinstance(item, Document):
                    item.unit = self.unit
        duplicated(items)
        failed = sum(1 for item in items if not isinstance(item, Document))
        log.info("read %d document(s); %d input(s) could not be read", len(items) - failed, failed)
        chosen: list[str] | None = None
        if self.no_signals:
            chosen = []
        elif self.signals is not None:
            chosen = [s.strip() for s in self.signals.split(",") if s.strip()]
        progress = SentenceProgress(
            documents=len(items),
            min_documents=int(config.get("report.progress_min_documents", 20)),
            min_sentences=int(config.get("report.progress_min_sentences", 2000)),
            hidden=quiet(),
        )
        try:
            run = audit(items, config, signals=chosen, strict=self.strict, progress=progress)
        finally:
            progress.close()
        return run_to_dict(run)


def duplicated(items: Sequence[Document | InputError]) -> None:
    """Warn when two documents share an id: reports and ``apply`` tell documents by id."""
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Document):
            if item.id in seen:
                log.warning(
                    "%s: document id %r is also used by %s; give each record its own id",
                    item.origin,
                    item.id,
                    seen[item.id],
                )
            else:
                seen[item.id] = item.origin


class SentenceProgress:
    """A ``click.progressbar`` on stderr counting sentences, shown only when the run is long.

    A run is long when it has at least ``min_documents`` documents or ``min_sentences``
    sentences (``[report]`` in the config), so one large document gets a bar too; ``hidden``
    (``-q``) hides it whatever the length.
    """

    def __init__(
        self, documents: int, min_documents: int, min_sentences: int, hidden: bool = False
    ) -> None:
        self.documents = documents
        self.min_documents = min_documents
        self.min_sentences = min_sentences
        self.hidden = hidden
        self.bar: Any = None
        self.long = False

    def start(self, total: int) -> None:
        """Open the bar for ``total`` sentences (hidden when the run is short)."""
        self.long = self.documents >= self.min_documents or total >= self.min_sentences
        self.bar = click.progressbar(
            length=total,
            label="Auditing sentences",
            file=sys.stderr,
            hidden=self.hidden or not self.long,
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
        write_html(run, html_path)
    if fmt == "json":
        text = dumps(run)
    else:
        colour = output is None and sys.stdout.isatty()
        text = terminal.render(run, colour=colour, show_all=show_all) + "\n"
    if output:
        write_text_atomic(text, output)
    else:
        click.echo(text, nl=False)
    for doc in run["documents"]:
        if doc["error"]:
            click.echo(f"error: {doc['id']}: {doc['error']}", err=True)


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
