"""Atomic file writes: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import IO, Any, TextIO, cast

from mtaudit.errors import InputError

log = logging.getLogger("mtaudit")

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

TERMINATED = 128 + signal.SIGTERM
"""Exit status after SIGTERM (143), as a shell reports a process the signal ended."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(TERMINATED)


@contextlib.contextmanager
def terminate_as_exit() -> Iterator[None]:
    """Within the block, SIGTERM raises ``SystemExit(143)`` instead of ending the process.

    The exception unwinds like Ctrl-C does, so ``finally`` blocks run and a half-written
    temporary file is removed. Only the main thread can handle signals, and a handler someone
    else installed is left alone; in both cases this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous not in (signal.SIG_DFL, None):
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(text: str, path: str | os.PathLike[str]) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and ``os.replace``.

    A reader never sees a half-written file, and a failure leaves an existing file intact. The
    folder is created if needed, and the file gets the usual permissions (umask), not the
    temporary file's private ones. Raises ``InputError`` when the path cannot be written.
    Ctrl-C or SIGTERM during the write removes the temporary file (see ``terminate_as_exit``).
    The file is always valid UTF-8: a lone surrogate (half a character, as an undecodable file
    name gives) is written as U+FFFD.
    """
    try:
        text.encode("utf-8")  # one pass in C; a report of megabytes rarely holds a surrogate
    except UnicodeEncodeError:
        text = _LONE_SURROGATE.sub("\ufffd", text)
    with open_atomic(path) as fh:
        fh.write(text)
    return Path(path)


@contextlib.contextmanager
def open_atomic(path: str | os.PathLike[str], *, keep_partial: bool = False) -> Iterator[TextIO]:
    """Open a text stream that replaces ``path`` atomically when the block ends without error.

    For reports written piece by piece: until the end a reader sees the old file (or none), and
    an interrupted run leaves no half-written file behind. With ``keep_partial`` (JSON Lines,
    whose lines stand alone), Ctrl-C or SIGTERM keeps what was written as ``<path>.partial``
    instead, and says so; a run that finishes removes such a file.
    """
    with _replacing(path, binary=False, keep_partial=keep_partial) as fh:
        yield cast(TextIO, fh)


def write_bytes_atomic(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write ``data`` to ``path`` as ``write_text_atomic`` writes text (same guarantees)."""
    with _replacing(path, binary=True) as fh:
        fh.write(data)
    return Path(path)


@contextlib.contextmanager
def _replacing(
    path: str | os.PathLike[str], *, binary: bool, keep_partial: bool = False
) -> Iterator[IO[Any]]:
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=str(target)) from None
    try:
        stream = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        )
        with terminate_as_exit(), stream as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
        if keep_partial:  # what an earlier, interrupted run kept is superseded
            target.with_name(target.name + ".partial").unlink(missing_ok=True)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror}", path=str(target)) from None
    except (KeyboardInterrupt, SystemExit):
        if keep_partial:
            _keep(tmp, target.with_name(target.name + ".partial"))
        else:
            Path(tmp).unlink(missing_ok=True)
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _keep(tmp: str, partial: Path) -> None:
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, partial)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return
    log.warning("interrupted: what was written so far is kept in %s", partial)
