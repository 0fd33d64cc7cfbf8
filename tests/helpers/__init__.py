"""Helpers shared by the tests: fakes, tiny models, run fixtures, scripts, Chromium."""
