"""Exit codes and the one place where errors become them, for every command.

=====  ==========================================================================
 code  meaning
=====  ==========================================================================
  0    ok
  1    over budget (``mtaudit check`` only)
  2    bad input or usage: an input could not be read, a bad option or config value
  3    internal error: a bug in mtaudit (one line; the traceback with ``-v``)
 130   interrupted (Ctrl-C)
 143   terminated (SIGTERM); partly written files are removed as on Ctrl-C
=====  ==========================================================================

``MtauditGroup`` wraps the invocation of every subcommand, so commands raise domain errors
(``mtaudit.errors``) and never catch them themselves.
"""

from __future__ import annotations

import logging
import sys
import traceback
from typing import Any

import click

from mtaudit.atomic import terminate_as_exit
from mtaudit.errors import MtauditError

OK = 0
OVER_BUDGET = 1
BAD_INPUT = 2
INTERNAL = 3
INTERRUPTED = 130

log = logging.getLogger("mtaudit")


class BadInput(click.ClickException):
    """A domain error shown as one line (``Error: ...``) with exit code 2."""

    exit_code = BAD_INPUT


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time of each record."""

    _mtaudit_cli = True

    def emit(self, record: logging.LogRecord) -> None:
        """Write the record to the current standard error."""
        self.stream = sys.stderr
        super().emit(record)


def setup_logging(verbose: int, quiet: bool) -> None:
    """Send the ``mtaudit`` logger to stderr: warnings by default, info with -v, errors with -q."""
    level = logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING
    if verbose > 1:
        level = logging.DEBUG
    log.setLevel(level)
    for handler in list(log.handlers):
        if isinstance(handler, _StderrHandler):
            log.removeHandler(handler)
    handler = _StderrHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    log.addHandler(handler)


def verbosity(ctx: click.Context | None = None) -> int:
    """The ``-v`` count given to the group (0 when none or outside the CLI)."""
    ctx = ctx or click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    obj = root.obj if root is not None else None
    return int(obj.get("verbose", 0)) if isinstance(obj, dict) else 0


def quiet(ctx: click.Context | None = None) -> bool:
    """Whether ``-q`` was given to the group."""
    ctx = ctx or click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    obj = root.obj if root is not None else None
    return bool(obj.get("quiet", False)) if isinstance(obj, dict) else False


class MtauditGroup(click.Group):
    """A click group that maps every error raised under it to the documented exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; domain errors exit 2, bugs 3, Ctrl-C 130, SIGTERM 143."""
        try:
            with terminate_as_exit():
                return super().invoke(ctx)
        except MtauditError as exc:
            raise BadInput(str(exc)) from None
        except click.exceptions.Abort:
            # A declined confirmation prompt: nothing was done, and the caller asked for it.
            click.echo("not confirmed; nothing done", err=True)
            raise click.exceptions.Exit(BAD_INPUT) from None
        except KeyboardInterrupt:
            click.echo("\ninterrupted", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None
        except click.ClickException as exc:
            if type(exc) is click.ClickException:  # a plain one-line error raised by a command
                raise BadInput(exc.message) from None
            raise
        except (click.exceptions.Exit, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 (the last line of defence: exit 3, not a trace)
            _internal(ctx, exc)


def _internal(ctx: click.Context, exc: BaseException) -> None:
    if verbosity(ctx):
        traceback.print_exception(exc, file=sys.stderr)
    detail = str(exc).splitlines()[0] if str(exc) else ""
    text = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    hint = "" if verbosity(ctx) else " (run with -v for the traceback)"
    click.echo(f"internal error: {text}{hint}; please report it", err=True)
    raise click.exceptions.Exit(INTERNAL) from None
