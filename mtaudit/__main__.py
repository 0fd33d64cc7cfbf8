"""Allow ``python -m mtaudit``."""

from mtaudit.cli import main

main()
