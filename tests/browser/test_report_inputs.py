"""The reviewer's report names each sentence's unit or page element; hostile pages stay inert."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mtaudit.config import Config
from mtaudit.io import read_inputs
from mtaudit.pipeline import audit
from mtaudit.runfile import Run

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data"


def run_of(name: str) -> Run:
    return Run.from_result(audit(read_inputs([str(DATA / name)]), Config.load(), signals=[]))


def test_xliff_sentences_and_untranslated_units_name_their_unit(
    open_report: Callable[..., Any],
) -> None:
    page = open_report(run_of("news-ar-en.xlf"))
    card = page.locator("article.sent[data-flagged='true']").first
    assert "unit p2" in card.locator(".where").inner_text()
    assert "(unit p4)" in (page.locator("details").first.text_content() or "")
    assert page.errors == []


@pytest.mark.parametrize("name", ["shafaq-2021-07-31.en.html", "hostile.en.html"])
def test_page_sentences_name_their_element_and_nothing_runs(
    open_report: Callable[..., Any], name: str
) -> None:
    dialogs: list[str] = []
    page = open_report(run_of(name))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    wheres = page.locator("article.sent .where").all_text_contents()  # hidden cards too
    assert wheres and all(w.startswith("/html/body/") for w in wheres)
    assert page.errors == [] and dialogs == []
