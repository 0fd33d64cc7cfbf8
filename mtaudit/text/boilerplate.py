"""Tell web-page furniture apart from article prose.

Scraped articles carry comment forms, share bars, tag lists and bylines run together. These are
reported as non-prose blocks rather than scored as broken translation. Once a comment form
starts, everything after it is the comment section.
"""

from __future__ import annotations

import re

from mtaudit.text.segment import TERMINALS, Paragraph
from mtaudit.types import Block

_FLAGS = re.IGNORECASE | re.MULTILINE
COMMENT_FORM = re.compile(
    r"^leave a (?:reply|comment)|^post a comment|fill in your details below|"
    r"you are commenting using your|your email address will not be published|"
    r"required fields are marked|notify me of (?:new|follow-up)|connecting to %s|"
    r"أضف تعليق|اترك تعليقا|اترك رداً",
    _FLAGS,
)
FURNITURE = [
    (
        re.compile(
            r"^(?:share|like) this:?$|click to share|^share on \w+$|"
            r"^(?:tweet|print|e-?mail|twitter|facebook|whatsapp|telegram|linkedin|reddit)$",
            _FLAGS,
        ),
        "share bar",
    ),
    (
        re.compile(
            r"all rights reserved|^©|cookie (?:policy|settings)|subscribe to our newsletter|"
            r"^advertisement$|^read more:?$|^related(?: posts| articles)?:?$|"
            r"جميع الحقوق محفوظة",
            _FLAGS,
        ),
        "site furniture",
    ),
    (re.compile(r"\bA-AA\+|\d{4}-\d{2}-\d{2}\W+\d{1,2}:\d{2}"), "byline, date or tag list"),
]
_CAMEL_JOIN = re.compile(r"[a-z][A-Z]")


# Tags and menus run together ("AnalyticsWashingtonbreakingISIS") have a join every few words;
# prose naming an iPhone and YouTube has two in a sentence of fifteen words or more.
_WORDS_PER_JOIN = 4


def _furniture(text: str) -> str | None:
    for pattern, reason in FURNITURE:
        if pattern.search(text):
            return reason
    joins = len(_CAMEL_JOIN.findall(text))
    if (
        joins >= 2
        and joins * _WORDS_PER_JOIN >= len(text.split())
        and text.rstrip()[-1:] not in TERMINALS
    ):
        return "words run together (tags or navigation)"
    return None


def find_blocks(text: str, paras: list[Paragraph]) -> list[tuple[Paragraph, Block]]:
    """Return the paragraphs of ``text`` that are not article prose, each with its block."""
    out: list[tuple[Paragraph, Block]] = []
    in_comments = False
    for para in paras:
        body = text[para.start : para.end]
        if not in_comments and COMMENT_FORM.search(body):
            in_comments = True
        reason = "comment section" if in_comments else _furniture(body)
        if reason:
            out.append((para, Block(body, para.start, para.end, "boilerplate", reason)))
    return out


def merge_blocks(blocks: list[Block], text: str) -> list[Block]:
    """Join blocks of the same reason that follow each other into one block.

    Runs are found first and each run's text is cut once, so a page of many short blocks costs
    time in proportion to its length.
    """
    runs: list[list[Block]] = []
    for block in blocks:
        last = runs[-1][-1] if runs else None
        if last and last.reason == block.reason and not text[last.end : block.start].strip():
            runs[-1].append(block)
        else:
            runs.append([block])
    return [
        run[0]
        if len(run) == 1
        else Block(
            text[run[0].start : run[-1].end], run[0].start, run[-1].end, run[0].kind, run[0].reason
        )
        for run in runs
    ]
