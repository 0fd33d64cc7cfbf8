"""Domain errors, each with a stable code.

Library code raises these; only the CLI turns them into user-facing messages and exit codes.
"""

from __future__ import annotations


class MtauditError(Exception):
    """Base class for every error mtaudit raises on purpose."""

    code = "E000"

    def __init__(self, message: str, fix: str | None = None) -> None:
        """``fix``, when given, is what to run or change instead; the message ends with it."""
        if fix is not None:
            message = f"{message} (fix: {fix})"
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        # errors raised in a worker process come back pickled: rebuild them with their fields
        # (the default would call ``__init__`` again with the formatted message alone)
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[MtauditError], args: tuple[object, ...], state: dict[str, object]) -> object:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class InputError(MtauditError):
    """An input file or record cannot be read (encoding, format, emptiness)."""

    code = "E100"

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.reason = message


class ConfigError(MtauditError):
    """The configuration file is missing, malformed or holds an invalid value."""

    code = "E200"


class UsageError(MtauditError):
    """Options that cannot work together, or an option value out of range."""

    code = "E300"


class ModelMissingError(MtauditError):
    """A model needed by a signal is not on disk and its outputs are not cached."""

    code = "E400"


class CacheError(MtauditError):
    """The translation cache cannot be opened or written."""

    code = "E410"


class WorkerError(MtauditError):
    """A worker process of ``--jobs`` ended before it finished its batch."""

    code = "E500"


class PullError(MtauditError):
    """A model could not be fetched; ``fix`` names what to run instead."""

    code = "E420"


class ExtraMissingError(ModelMissingError):
    """A command or signal needs a library from an optional extra that is not installed."""

    code = "E430"

    def __init__(self, module: str, extra: str, purpose: str) -> None:
        fix = f"pip install 'mtaudit[{extra}]'"
        self.reason = f"{purpose} needs {module}, which is not installed"
        super().__init__(self.reason, fix=fix)
        self.module = module
        self.extra = extra
