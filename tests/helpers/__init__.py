"""Helpers shared by the tests: a fake model hub, fake translator and scorer backends."""
