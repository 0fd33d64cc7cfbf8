"""Turn a sentence's findings into one verdict: risk, severity, flag, reasons and spans."""

from __future__ import annotations

from dataclasses import dataclass

from mtaudit.config import Config
from mtaudit.types import Finding, Severity, Verdict


@dataclass(frozen=True)
class Judge:
    """Combines findings as independent pieces of evidence: risk = 1 - prod(1 - weight)."""

    weights: dict[Severity, float]
    thresholds: dict[Severity, float]
    flag: float

    @classmethod
    def from_config(cls, config: Config) -> Judge:
        """Read weights and thresholds from the ``[judge]`` table."""
        return cls(
            weights={
                Severity.NONE: 0.0,
                Severity.MINOR: config.number("judge.weight_minor"),
                Severity.MAJOR: config.number("judge.weight_major"),
                Severity.CRITICAL: config.number("judge.weight_critical"),
            },
            thresholds={
                Severity.MINOR: config.number("judge.minor"),
                Severity.MAJOR: config.number("judge.major"),
                Severity.CRITICAL: config.number("judge.critical"),
            },
            flag=config.number("judge.flag"),
        )

    def verdict(self, findings: list[Finding]) -> Verdict:
        """Judge one sentence from its findings."""
        keep = 1.0
        for found in findings:
            keep *= 1.0 - min(max(self.weights[found.severity], 0.0), 1.0)
        risk = round(1.0 - keep, 4)
        severity = Severity.NONE
        for level in (Severity.MINOR, Severity.MAJOR, Severity.CRITICAL):
            if risk >= self.thresholds[level]:
                severity = level
        ordered = sorted(findings, key=lambda f: -f.severity)
        spans = sorted({f.span for f in ordered if f.span is not None})
        return Verdict(
            risk=risk,
            severity=severity,
            flagged=risk >= self.flag,
            reasons=[f.message for f in ordered],
            spans=[(s, e) for s, e in spans],
        )
