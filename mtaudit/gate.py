"""The CI gate: whether flagged sentences stay within budget, per run and per document."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from mtaudit.errors import UsageError

_BUDGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")


@dataclass(frozen=True)
class Budget:
    """A limit on flagged sentences: an absolute count, or a percentage of sentences."""

    value: float
    percent: bool

    @classmethod
    def parse(cls, text: str) -> Budget:
        """Parse ``"3"`` or ``"5%"``; raise ``UsageError`` otherwise."""
        match = _BUDGET.match(str(text))
        if not match:
            raise UsageError(f"budget {text!r} must be a count like 3 or a percentage like 5%")
        value, percent = float(match.group(1)), bool(match.group(2))
        if not percent and not value.is_integer():
            raise UsageError(f"budget {text!r}: a count must be a whole number")
        if percent and value > 100:
            raise UsageError(f"budget {text!r}: a percentage cannot exceed 100%")
        return cls(value, percent)

    def allows(self, flagged: int, sentences: int) -> int:
        """The most flagged sentences this budget allows out of ``sentences``."""
        if self.percent:
            return math.floor(self.value / 100 * sentences + 1e-9)
        return int(self.value)

    def __str__(self) -> str:
        return f"{self.value:g}%" if self.percent else f"{int(self.value)}"


@dataclass
class GateResult:
    """The gate's decision with one line per budget that was exceeded."""

    passed: bool
    failures: list[str]


def evaluate(
    run: dict[str, Any], per_run: Budget | None, per_document: Budget | None
) -> GateResult:
    """Check a run dictionary against the budgets (either may be ``None``)."""
    failures: list[str] = []
    total = run["summary"]
    if per_run is not None:
        allowed = per_run.allows(total["flagged"], total["sentences"])
        if total["flagged"] > allowed:
            failures.append(
                f"run: {total['flagged']} flagged of {total['sentences']} sentences, "
                f"budget {per_run} allows {allowed}"
            )
    if per_document is not None:
        for doc in run["documents"]:
            if doc["error"]:
                continue
            summary = doc["summary"]
            allowed = per_document.allows(summary["flagged"], summary["sentences"])
            if summary["flagged"] > allowed:
                failures.append(
                    f"{doc['id']}: {summary['flagged']} flagged of "
                    f"{summary['sentences']} sentences, budget {per_document} "
                    f"allows {allowed}"
                )
    return GateResult(not failures, failures)
