"""Silencing known findings: a list of (check id, pattern) in the configuration.

    [[suppress]]
    check = "numbers"            # a check id, or "*" for any check
    pattern = "kv62"             # regex, searched in the normalised highlighted text
    # message = "acronym"        # optional regex on the finding's message
    # reason = "tomb name, kept as in the source"

The text a pattern is searched in is the finding's highlighted span (the whole sentence when
the finding has none), case folded with white space collapsed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from mtaudit.config import Config
from mtaudit.errors import ConfigError
from mtaudit.types import Finding

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Case folded, white space collapsed."""
    return _SPACE.sub(" ", text.casefold()).strip()


@dataclass(frozen=True)
class Rule:
    """One suppression: which check, which text, optionally which message."""

    check: str
    pattern: re.Pattern[str]
    message: re.Pattern[str] | None = None

    def matches(self, finding: Finding, sentence: str) -> bool:
        """Whether this rule silences ``finding`` on ``sentence``."""
        if self.check not in ("*", finding.check):
            return False
        if self.message is not None and not self.message.search(finding.message):
            return False
        text = sentence[finding.span[0] : finding.span[1]] if finding.span else sentence
        return self.pattern.search(normalise(text)) is not None


class Suppressor:
    """Applies the configured suppressions; the caller counts what it silenced, per check."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules

    @classmethod
    def from_config(cls, config: Config) -> Suppressor:
        """Read ``[[suppress]]`` entries; a bad entry is a ConfigError naming it."""
        raw = config.data["suppress"]
        if not isinstance(raw, list):
            raise ConfigError("suppress must be a list of tables ([[suppress]])")
        rules: list[Rule] = []
        for number, entry in enumerate(raw, 1):
            if not isinstance(entry, dict) or "check" not in entry or "pattern" not in entry:
                raise ConfigError(
                    f'suppress entry {number}: needs check = "<check id>" and pattern = "<regex>"'
                )
            try:
                message = entry.get("message")
                rules.append(
                    Rule(
                        str(entry["check"]),
                        re.compile(str(entry["pattern"])),
                        re.compile(str(message)) if message else None,
                    )
                )
            except re.error as exc:
                raise ConfigError(f"suppress entry {number}: bad regex ({exc})") from None
        return cls(rules)

    def filter(self, findings: list[Finding], sentence: str, counts: Counter[str]) -> list[Finding]:
        """The findings no rule silences; silenced ones are counted in ``counts`` by check."""
        if not self.rules:
            return findings
        kept: list[Finding] = []
        for finding in findings:
            if any(rule.matches(finding, sentence) for rule in self.rules):
                counts[finding.check] += 1
            else:
                kept.append(finding)
        return kept
