"""Options that several commands share, defined once."""

from __future__ import annotations

import click

config_option = click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="MTAUDIT_CONFIG",
    help="TOML file laid over configs/default.toml (env: MTAUDIT_CONFIG).",
)
"""``-c/--config FILE``: the user's configuration, handed to the command as ``config_path``."""
