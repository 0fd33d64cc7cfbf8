"""mtaudit: audit machine-translated articles and flag the broken sentences."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mtaudit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
