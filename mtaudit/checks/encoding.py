"""HTML entities and markup, mojibake, control characters and bidi controls."""

from __future__ import annotations

import re

from ftfy.badness import BADNESS_RE

from mtaudit.checks.base import Check, DocContext
from mtaudit.types import Finding, Pair, Severity

_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
CONTROL_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
"""C0 and C1 control characters, tab and line feed aside (a regex character-class body)."""
_CONTROL = re.compile(f"[{CONTROL_CHARS}\ufffd]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_ZERO_WIDTH = re.compile(r"[\u200b\u2060\ufeff]")


class EncodingCheck(Check):
    """Text damaged on its way through the publishing chain."""

    id = "encoding"

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Report each kind of damage at its first position."""
        text = pair.target.text
        found: list[Finding] = []
        if match := _ENTITY.search(text):
            found.append(
                self.finding(f"HTML entity {match.group(0)} was not decoded", match.span())
            )
        if match := _TAG.search(text):
            found.append(
                self.finding(f"HTML markup {match.group(0)[:40]} in the text", match.span())
            )
        if match := BADNESS_RE.search(text):
            found.append(
                self.finding(
                    f"mojibake “{match.group(0)}”: text decoded with the wrong encoding",
                    match.span(),
                )
            )
        if match := _CONTROL.search(text):
            found.append(
                self.finding(
                    f"control or replacement character U+{ord(match.group(0)):04X}", match.span()
                )
            )
        if match := _BIDI.search(text):
            found.append(
                self.finding(
                    f"bidi control U+{ord(match.group(0)):04X} can reorder the displayed text",
                    match.span(),
                    Severity.CRITICAL,
                )
            )
        if match := _ZERO_WIDTH.search(text):
            found.append(
                self.finding(
                    f"invisible character U+{ord(match.group(0)):04X}", match.span(), Severity.MINOR
                )
            )
        return found
