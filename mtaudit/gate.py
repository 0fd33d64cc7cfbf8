"""The CI gate: whether a run's problems stay within its budgets, per run and per document.

A budget limits how many sentences may be *flagged*, or may reach a severity (``critical``,
``major`` or ``minor``, each counting that severity or worse), in the whole run or in any one
document: an absolute count (``3``) or a percentage of the sentences (``5%``). Severities and
flags are read from the run as the judge set them; nothing is recomputed here. Sentences a
baseline already knows (or a reviewer accepted) can be left out of the counts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from mtaudit.errors import UsageError
from mtaudit.runfile import Run, RunSentence
from mtaudit.types import Severity

_BUDGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")

SEVERITY_RANK = {level.label: int(level) for level in Severity}
MEASURES = ("flagged", "critical", "major", "minor")
"""What a budget can count: flagged sentences, or sentences at a severity or worse."""
SCOPES = ("run", "document")


@dataclass(frozen=True)
class GateSettings:
    """``[gate]``: a budget per measure and scope (``""``: no limit), and ``fail_on``."""

    SECTION: ClassVar[str] = "gate"
    max_flagged: str
    max_flagged_per_doc: str
    max_critical: str
    max_critical_per_doc: str
    max_major: str
    max_major_per_doc: str
    max_minor: str
    max_minor_per_doc: str
    fail_on: str


@dataclass(frozen=True)
class Budget:
    """A limit on sentences: an absolute count, or a percentage of sentences."""

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
        """The most sentences this budget allows out of ``sentences`` (``flagged`` is unused)."""
        if self.percent:
            return math.floor(self.value / 100 * sentences + 1e-9)
        return int(self.value)

    def __str__(self) -> str:
        return f"{self.value:g}%" if self.percent else f"{int(self.value)}"


@dataclass(frozen=True)
class Rule:
    """One budget on one measure in one scope, with where it came from (for messages)."""

    measure: str
    scope: str
    budget: Budget
    origin: str

    def counts(self, sentence: RunSentence) -> bool:
        """Whether ``sentence`` counts against this rule."""
        if self.measure == "flagged":
            return sentence.flagged
        return int(sentence.severity) >= SEVERITY_RANK[self.measure]

    @property
    def noun(self) -> str:
        """How the counted sentences are named in messages."""
        if self.measure == "flagged":
            return "flagged"
        return "critical" if self.measure == "critical" else f"{self.measure}-or-worse"


@dataclass(frozen=True)
class Breach:
    """A rule that was exceeded, in the run or in one document."""

    rule: Rule
    document: str | None
    count: int
    sentences: int
    allowed: int
    position: int | None = None
    """The document's position in the run (``None`` for a run-wide breach)."""

    @property
    def over(self) -> int:
        """By how many sentences the budget was exceeded."""
        return self.count - self.allowed

    def __str__(self) -> str:
        where = "run" if self.document is None else self.document
        return (
            f"{where}: {self.count} {self.rule.noun} of {self.sentences} sentences, "
            f"{self.rule.origin} allows {self.allowed} ({self.over} over)"
        )


@dataclass
class GateResult:
    """The gate's decision: every breach, and which documents carry the problems that failed."""

    passed: bool
    breaches: list[Breach] = field(default_factory=list)
    failed_documents: set[int] = field(default_factory=set)

    @property
    def failures(self) -> list[str]:
        """One line per breach."""
        return [str(b) for b in self.breaches]


def option_name(measure: str, scope: str) -> str:
    """The command-line option of a measure and scope, e.g. ``--max-major-per-doc``."""
    return f"--max-{measure}" + ("-per-doc" if scope == "document" else "")


def config_key(measure: str, scope: str) -> str:
    """The ``[gate]`` key of a measure and scope, e.g. ``max_major_per_doc``."""
    return f"max_{measure}" + ("_per_doc" if scope == "document" else "")


def build_rules(
    gate_config: GateSettings,
    options: Mapping[str, str | None],
    fail_on: str | None = None,
) -> list[Rule]:
    """The rules from the ``[gate]`` settings, overridden by command-line options.

    ``options`` maps option names (``--max-major``) to their values, ``None`` when not given;
    an empty string switches off a rule the config sets. ``fail_on`` (``critical``, ``major``
    or ``minor``; from the option, else ``[gate] fail_on``) fails the run on any sentence of
    that severity or worse. Raises ``UsageError`` on a bad value.
    """
    rules: list[Rule] = []
    for measure in MEASURES:
        for scope in SCOPES:
            name, key = option_name(measure, scope), config_key(measure, scope)
            given = options.get(name)
            if given is not None:
                text, origin = given, f"{name} {given}"
            else:
                value = getattr(gate_config, key)
                text, origin = str(value), f"[gate] {key} = {value!r}"
            if not text.strip():
                continue
            try:
                budget = Budget.parse(text)
            except UsageError as exc:
                raise UsageError(f"{origin}: {exc.message}") from None
            rules.append(Rule(measure, scope, budget, origin))
    level = fail_on if fail_on is not None else gate_config.fail_on
    if level.strip():
        if level not in SEVERITY_RANK or level == "none":
            raise UsageError(f"fail-on {level!r} must be one of: critical, major, minor")
        origin = f"--fail-on {level}" if fail_on is not None else f"[gate] fail_on = {level!r}"
        rules.append(Rule(level, "run", Budget(0, False), origin))
    return rules


def evaluate_rules(
    run: Run, rules: list[Rule], ignored: Collection[tuple[int, int]] = ()
) -> GateResult:
    """Check a run against ``rules``.

    ``ignored`` holds (document position, sentence position) pairs that do not count (problems a
    baseline knows or a reviewer accepted); percentages are still of all sentences.
    """
    ignore = set(ignored)
    documents = run.documents
    breaches: list[Breach] = []
    failed: set[int] = set()
    for rule in rules:
        per_doc: dict[int, int] = {}
        total_sentences = 0
        for d, doc in enumerate(documents):
            if doc.error:
                continue
            sentences = doc.sentences
            total_sentences += len(sentences)
            per_doc[d] = sum(
                1 for s, sent in enumerate(sentences) if (d, s) not in ignore and rule.counts(sent)
            )
            if rule.scope == "document":
                allowed = rule.budget.allows(per_doc[d], len(sentences))
                if per_doc[d] > allowed:
                    breaches.append(Breach(rule, doc.id, per_doc[d], len(sentences), allowed, d))
                    failed.add(d)
        if rule.scope == "run":
            count = sum(per_doc.values())
            allowed = rule.budget.allows(count, total_sentences)
            if count > allowed:
                breaches.append(Breach(rule, None, count, total_sentences, allowed))
                failed.update(d for d, n in per_doc.items() if n)
    return GateResult(not breaches, breaches, failed)


def evaluate(run: Run, per_run: Budget | None, per_document: Budget | None) -> GateResult:
    """Check a run against flag budgets (either may be ``None``)."""
    rules = []
    if per_run is not None:
        rules.append(Rule("flagged", "run", per_run, f"budget {per_run}"))
    if per_document is not None:
        rules.append(Rule("flagged", "document", per_document, f"budget {per_document}"))
    return evaluate_rules(run, rules)
