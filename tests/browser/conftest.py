"""Headless Chromium for the report's browser tests, through Playwright and the system browser.

The browser is Debian's ``chromium`` package (``/usr/bin/chromium``, or ``MTAUDIT_CHROMIUM``);
Playwright never downloads one. Every test here skips, saying why, when either is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mtaudit.reports.html import write_html
from mtaudit.runfile import Run
from tests.helpers.chromium import CHROMIUM, CHROMIUM_ARGS

VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole session (contexts keep tests apart)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium; MTAUDIT_CHROMIUM)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(chromium: Any) -> Iterator[Callable[[], Any]]:
    """Make fresh browser contexts (own storage, downloads allowed); closed after the test."""
    made: list[Any] = []

    def make() -> Any:
        context = chromium.new_context(accept_downloads=True, viewport=VIEWPORT)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def open_report(new_context: Callable[[], Any], tmp_path: Path) -> Callable[..., Any]:
    """Write a run's report to a file and open it; page errors fail the test."""

    def open_(run: Run | None = None, *, path: Path | None = None, context: Any = None) -> Any:
        if path is None:
            path = tmp_path / "report.html"
        if run is not None:
            write_html(run, path)
        page = (context or new_context()).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.errors = errors
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-ready='1']", timeout=10_000)
        return page

    return open_
