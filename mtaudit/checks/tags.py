"""Inline tags (XLIFF, TMX) missing from or added to the target, as every CAT QA tool reports.

Readers turn inline tags into placeholders and record each side's tags in the sentence metadata
(``metadata["tags"]``, see ``mtaudit.io.inline``). A tag of the source that the target lacks
loses formatting, a link or a variable; a tag the target adds has no counterpart. Both are
findings; sentences without tags are never looked at.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from mtaudit.checks.base import Check, DocContext
from mtaudit.types import Finding, Pair

_ROLES = {"open": "opening", "close": "closing", "standalone": "standalone"}


def _label(tag: dict[str, Any]) -> str:
    return (
        f"{tag['placeholder']} ({_ROLES.get(tag['role'], tag['role'])} <{tag['name']}> {tag['id']})"
    )


class TagsCheck(Check):
    """Inline tags of the source that the target lacks, or that the target adds."""

    id = "tags"

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Compare the multisets of (tag, role) on the two sides."""
        tags = pair.target.metadata.get("tags")
        if not isinstance(tags, dict):
            return []
        source: list[dict[str, Any]] = list(tags.get("source") or [])
        target: list[dict[str, Any]] = list(tags.get("target") or [])
        wanted = Counter((t["key"], t["role"]) for t in source)
        have = Counter((t["key"], t["role"]) for t in target)
        out: list[Finding] = []
        for tag in source:
            key = (tag["key"], tag["role"])
            if have[key] < wanted[key]:
                have[key] += 1
                out.append(self.finding(f"tag {_label(tag)} of the source is missing"))
        wanted = Counter((t["key"], t["role"]) for t in source)
        for tag in target:
            key = (tag["key"], tag["role"])
            if wanted[key] > 0:
                wanted[key] -= 1
                continue
            out.append(
                self.finding(
                    f"tag {_label(tag)} is not in the source", span=(tag["start"], tag["end"])
                )
            )
        return out
