"""mtaudit: audit machine-translated articles and flag the broken sentences."""

__version__ = "0.1.0"
"""The package's version; ``pyproject.toml`` reads it from here (hatch's version source), so
the installed metadata and the run signatures say the same without asking
``importlib.metadata`` at every start."""

__all__ = ["__version__"]
