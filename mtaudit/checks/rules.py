r"""User-defined rules: a source regex and the target regex it requires or forbids.

    [[checks.rules.rule]]
    name = "dinar"
    source = '(\d+) دينار'          # optional: without it the rule looks at every target
    target = '\1 dinars?'           # back-references take the source match's text
    mode = "require"                # or "forbid"
    message = "amount in dinars must stay in dinars"
    severity = "major"              # optional; defaults to [checks.rules] severity

Back-references (``\1``, ``\g<name>``) in ``target`` are replaced by the escaped text that the
source group matched, so ``(\d+) دينار`` → ``\1 dinars?`` requires the same amount. Patterns are
Python regular expressions, matched case-insensitively unless ``case = true``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mtaudit.checks.base import Check, CheckSettings, DocContext
from mtaudit.errors import ConfigError
from mtaudit.types import Finding, Pair, Severity

_BACKREF = re.compile(r"\\(\d{1,2})|\\g<(\w+)>")


@dataclass(frozen=True)
class Rule:
    """One configured rule."""

    name: str
    source: re.Pattern[str] | None
    target: str
    flags: int
    forbid: bool
    message: str
    severity: Severity | None


def expand(template: str, match: re.Match[str] | None) -> str:
    """The target pattern with back-references replaced by the escaped source text."""
    if match is None:
        return template

    def group(ref: re.Match[str]) -> str:
        key: int | str = int(ref.group(1)) if ref.group(1) else ref.group(2)
        try:
            return re.escape(match.group(key) or "")
        except IndexError:  # no such group: left as written
            return ref.group(0)

    return _BACKREF.sub(group, template)


@dataclass(frozen=True)
class RulesSettings(CheckSettings):
    """``[checks.rules]``: the ``[[checks.rules.rule]]`` tables, checked by ``parse_rules``."""

    rule: tuple[dict[str, Any], ...]


def parse_rules(raw: Sequence[Mapping[str, Any]]) -> list[Rule]:
    """Validate and compile ``[[checks.rules.rule]]``; errors name the rule."""
    rules: list[Rule] = []
    for number, entry in enumerate(raw, 1):
        where = f"checks.rules rule {number}"
        if not entry.get("target"):
            raise ConfigError(f'{where}: needs target = "<regex>"')
        name = str(entry.get("name", number))
        mode = str(entry.get("mode", "require"))
        if mode not in ("require", "forbid"):
            raise ConfigError(f'{where} ({name}): mode must be "require" or "forbid"')
        flags = 0 if entry.get("case", False) else re.IGNORECASE
        try:
            source = re.compile(str(entry["source"]), flags) if entry.get("source") else None
            if source is None or not _BACKREF.search(str(entry["target"])):
                re.compile(str(entry["target"]), flags)
            severity = Severity.parse(str(entry["severity"])) if "severity" in entry else None
        except re.error as exc:
            raise ConfigError(f"{where} ({name}): bad regex ({exc})") from None
        except ValueError as exc:
            raise ConfigError(f"{where} ({name}): {exc}") from None
        message = str(
            entry.get("message")
            or (
                f"rule {name}: the target "
                + ("must not match" if mode == "forbid" else "must match")
            )
        )
        rules.append(
            Rule(name, source, str(entry["target"]), flags, mode == "forbid", message, severity)
        )
    return rules


class RulesCheck(Check):
    """Each configured rule on each sentence: required or forbidden target patterns."""

    id = "rules"
    settings_type = RulesSettings
    settings: RulesSettings

    def __init__(self, settings: CheckSettings) -> None:
        super().__init__(settings)
        self.rules = parse_rules(self.settings.rule)

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Apply the rules whose source pattern matches (or that have none)."""
        found: list[Finding] = []
        target = pair.target.text
        for rule in self.rules:
            matches: list[re.Match[str] | None]
            if rule.source is None:
                matches = [None]
            elif pair.source:
                matches = list(rule.source.finditer(pair.source))
            else:
                matches = []
            for match in matches:
                try:
                    pattern = re.compile(expand(rule.target, match), rule.flags)
                except re.error:
                    continue
                hit = pattern.search(target)
                if rule.forbid and hit:
                    found.append(self.finding(rule.message, hit.span(), rule.severity))
                elif not rule.forbid and not hit:
                    shown = f" (source “{match.group(0)}”)" if match else ""
                    found.append(self.finding(rule.message + shown, severity=rule.severity))
        return found
