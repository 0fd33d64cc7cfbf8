"""Executors beyond this machine's processes (``mtaudit.runner``): Ray Data for a cluster."""
