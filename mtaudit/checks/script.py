"""Source-language script left in the target (Arabic letters in English output, and back)."""

from __future__ import annotations

import re

from mtaudit.checks.base import Check, DocContext
from mtaudit.types import Finding, Pair

_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_RUN = re.compile(rf"[{_ARABIC}](?:[{_ARABIC}\s]*[{_ARABIC}])?")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
SCRIPT_LANGS = {"ar": "Arabic", "fa": "Arabic", "ur": "Arabic"}


class ScriptCheck(Check):
    """Letters of the source's script in a target written in another script."""

    id = "script"

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Report runs of Arabic letters in a Latin-script target, or copied Latin words."""
        min_letters = int(self.settings.get("min_letters", 2))
        text = pair.target.text
        found: list[Finding] = []
        if pair.source_lang in SCRIPT_LANGS and pair.target_lang not in SCRIPT_LANGS:
            for match in _ARABIC_RUN.finditer(text):
                if sum(ch.isalpha() for ch in match.group(0)) >= min_letters:
                    found.append(
                        self.finding(f"untranslated Arabic text “{match.group(0)}”", match.span())
                    )
        elif pair.target_lang in SCRIPT_LANGS and pair.source_lang not in SCRIPT_LANGS:
            # Latin names and acronyms are normal in Arabic text; a lower-case word copied
            # verbatim from the source is not.
            source_words = {w.lower() for w in _LATIN_WORD.findall(pair.source or "")}
            for match in _LATIN_WORD.finditer(text):
                word = match.group(0)
                if (
                    len(word) >= max(min_letters, 3)
                    and word.islower()
                    and (pair.source is None or word in source_words)
                ):
                    found.append(self.finding(f"untranslated word “{word}”", match.span()))
        return found
