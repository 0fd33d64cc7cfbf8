"""Options that several commands share, defined once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

config_option = click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="MTAUDIT_CONFIG",
    help="TOML file laid over configs/default.toml (env: MTAUDIT_CONFIG).",
)
"""``-c/--config FILE``: the user's configuration, handed to the command as ``config_path``."""


def stack(func: F, options: Sequence[Callable[[F], F]]) -> F:
    """Apply click ``options`` to ``func`` so that ``--help`` lists them in the order given."""
    for option in reversed(options):
        func = option(func)
    return func
