"""Empty and duplicated segments within a document."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtaudit.checks.base import Check, DocContext, Hit

_CONTENT = re.compile(r"\w")
_SPACE = re.compile(r"\s+")


class SegmentsCheck(Check):
    """Segments with no words, and sentences that repeat an earlier one word for word."""

    id = "segments"

    def document(self, ctx: DocContext) -> Iterator[Hit]:
        """Scan the document's sentences in order."""
        seen: dict[str, int] = {}
        for sent in ctx.sentences:
            if not _CONTENT.search(sent.text):
                yield sent.index, self.finding("empty segment: no words")
                continue
            key = _SPACE.sub(" ", sent.text.casefold()).strip()
            if len(key.split()) >= 4:
                if key in seen:
                    yield (
                        sent.index,
                        self.finding(f"repeats sentence {seen[key] + 1} word for word"),
                    )
                else:
                    seen[key] = sent.index
