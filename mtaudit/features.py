"""Numeric evidence per sentence for the judge: every check and signal, oriented larger = worse.

Evidence comes in *groups*, and a group is either present for a sentence or missing:

- ``checks``: the deterministic checks (always present). Their findings are merged where they
  overlap (``"to To"``: repetition and casing are one piece of evidence), then counted per check
  id and severity (``finding:<id>:<severity>``; the plain ``finding:<id>`` count too). A check
  the model never saw (one registered after it was fitted) still
  counts, through the model's weight for an unknown finding of that severity.
- ``length``: the target/source length log-ratio against the language pair's norm (needs a
  source).
- ``fidelity.forward``, ``fidelity.back_translation``, ``fidelity.round_trip``: chrF, BLEU and TER
  of each fidelity part that ran for the sentence, as gaps (100 - chrF, 100 - BLEU, TER / 100).
- ``fidelity``: the fidelity signal's own findings (numbers and names lost); present when any
  fidelity part is.
- ``fluency``: surprisal (bits per token) of the sentence and of its worst window, raw and as
  z-scores against fluent text, and its findings.

A group that did not run is missing, never zero: the judge then uses a model fitted without it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from mtaudit.types import Finding, Pair, Severity

CHECKS = "checks"
LENGTH = "length"
FIDELITY = "fidelity"
FLUENCY = "fluency"
FIDELITY_PARTS = {"forward": "forward", "back_translation": "back", "round_trip": "round_trip"}
SIGNAL_GROUPS = ("fidelity", "fluency")
"""Finding id prefixes that belong to a model signal; every other id is a deterministic check."""

GROUP_ORDER = (CHECKS, LENGTH, *(f"fidelity.{p}" for p in FIDELITY_PARTS), FIDELITY, FLUENCY)


def group_of(check_id: str) -> str:
    """The evidence group a finding belongs to, by its id."""
    head, _, tail = check_id.partition(".")
    if head == FIDELITY:
        return check_id if tail in FIDELITY_PARTS else FIDELITY
    if head in SIGNAL_GROUPS:
        return head
    return CHECKS


def feature_group(name: str) -> str:
    """The evidence group a feature name belongs to."""
    if name.startswith("finding:"):
        return group_of(name.removeprefix("finding:").partition(":")[0])
    head = name.partition(":")[0]
    if ":" in name:
        return head
    for part in FIDELITY_PARTS:
        if name.startswith(f"fidelity.{part}."):
            return f"fidelity.{part}"
    return name.partition(".")[0]


@dataclass
class Evidence:
    """One piece of evidence: findings of one group whose spans overlap, counted once."""

    findings: list[Finding]
    group: str

    @property
    def severity(self) -> Severity:
        """The worst severity among the merged findings."""
        return max(f.severity for f in self.findings)

    @property
    def owner(self) -> str:
        """The check the piece is counted under: the most severe finding's (first on a tie)."""
        worst = self.severity
        return next(f.check for f in self.findings if f.severity == worst)

    @property
    def span(self) -> tuple[int, int] | None:
        """The union of the merged spans."""
        spans = [f.span for f in self.findings if f.span is not None]
        if not spans:
            return None
        return min(s for s, _ in spans), max(e for _, e in spans)


class _Pieces:
    """The pieces of one evidence group, narrow ones by where their spans start.

    A narrow piece (at most ``NARROW`` characters) that overlaps ``[start, end)`` starts after
    ``start - NARROW``, so only the narrow pieces starting in that window are compared; wide
    pieces (a finding over a whole clause) are few and always compared. A sentence with
    thousands of findings is not rescanned for every one.
    """

    NARROW = 64

    def __init__(self) -> None:
        self.members: list[Evidence] = []
        self.spans: list[tuple[int, int]] = []
        self.by_start: list[tuple[int, int]] = []  # narrow pieces: (start, index), sorted
        self.wide: list[int] = []  # indices of wide pieces

    def first_overlapping(self, start: int, end: int) -> int | None:
        """The index of the first piece (in order of creation) overlapping ``[start, end)``."""
        low = bisect.bisect_left(self.by_start, (start - self.NARROW + 1, -1))
        high = bisect.bisect_left(self.by_start, (end, -1))
        near = (i for _, i in self.by_start[low:high])
        hits = [
            i for i in (*near, *self.wide) if self.spans[i][0] < end and self.spans[i][1] > start
        ]
        return min(hits) if hits else None

    def add(self, piece: Evidence, start: int, end: int) -> None:
        """Keep a new piece spanning ``[start, end)``."""
        index = len(self.members)
        self.members.append(piece)
        self.spans.append((start, end))
        if end - start > self.NARROW:
            self.wide.append(index)
        else:
            bisect.insort(self.by_start, (start, index))

    def grow(self, index: int, start: int, end: int) -> None:
        """Widen piece ``index`` to cover ``[start, end)`` too."""
        old = self.spans[index]
        new = (min(old[0], start), max(old[1], end))
        self.spans[index] = new
        if old[1] - old[0] > self.NARROW or new == old:
            return
        del self.by_start[bisect.bisect_left(self.by_start, (old[0], index))]
        if new[1] - new[0] > self.NARROW:
            self.wide.append(index)
        else:
            bisect.insort(self.by_start, (new[0], index))


def merge(findings: Iterable[Finding]) -> list[Evidence]:
    """Group findings of the same evidence group whose spans overlap into one piece each.

    Whole-sentence findings (no span) are pieces of their own. A finding joins the first piece
    (in order of creation) of its group whose span it overlaps, and widens it.
    """
    pieces: list[Evidence] = []
    groups: dict[str, _Pieces] = {}
    for found in findings:
        group = group_of(found.check)
        if found.span is None:
            pieces.append(Evidence([found], group))
            continue
        start, end = found.span
        known = groups.setdefault(group, _Pieces())
        index = known.first_overlapping(start, end)
        if index is None:
            piece = Evidence([found], group)
            pieces.append(piece)
            known.add(piece, start, end)
        else:
            known.members[index].findings.append(found)
            known.grow(index, start, end)
    return pieces


@dataclass
class Features:
    """The evidence of one sentence: which groups are present and their numeric values."""

    groups: frozenset[str]
    values: dict[str, float] = field(default_factory=dict)
    pieces: list[Evidence] = field(default_factory=list)

    def restricted(self, basis: Iterable[str]) -> dict[str, float]:
        """The values of the features in the groups of ``basis``."""
        keep = set(basis)
        return {k: v for k, v in self.values.items() if feature_group(k) in keep}


def finding_name(check: str, severity: Severity | None = None) -> str:
    """The feature counting pieces of evidence owned by ``check`` (of ``severity``, if given).

    Models fit the per-severity counts (``finding:numbers:major``), so a precise check's major
    finding gets its own weight apart from its minor ones; the plain count (``finding:numbers``)
    is kept for model files fitted before.
    """
    return f"finding:{check}" if severity is None else f"finding:{check}:{severity.label}"


def length_log_ratio(source: str, target: str) -> float:
    """Log of the target/source character ratio (whitespace-trimmed, +1 smoothed)."""
    return math.log((len(target.strip()) + 1) / (len(source.strip()) + 1))


def extract(
    pair: Pair,
    findings: Sequence[Finding],
    signals: Mapping[str, float],
    length_norm: float = 0.0,
    bead_target: str | None = None,
) -> Features:
    """Turn one sentence's findings and signal values into features (larger = worse).

    ``length_norm`` is the language pair's typical length log-ratio (the model file says it).
    ``bead_target`` is the text of all target sentences sharing this one's source (a 1-2
    alignment): the length is that of the bead against its source, as the length check does.
    """
    groups = {CHECKS}
    values: dict[str, float] = {}
    if pair.source is not None and pair.source.strip():
        groups.add(LENGTH)
        target = bead_target if bead_target else pair.target.text
        off = length_log_ratio(pair.source, target) - length_norm
        values["length.abs_log_ratio"] = abs(off)
        values["length.short"] = max(0.0, -off)
        values["length.long"] = max(0.0, off)
    for part, suffix in FIDELITY_PARTS.items():
        chrf = signals.get(f"fidelity.chrf_{suffix}")
        if chrf is None or chrf != chrf:
            continue
        group = f"fidelity.{part}"
        groups.update((group, FIDELITY))
        values[f"{group}.chrf_gap"] = 100.0 - chrf
        values[f"{group}.chrf_below_50"] = max(0.0, 50.0 - chrf)
        if (bleu := signals.get(f"fidelity.bleu_{suffix}")) is not None:
            values[f"{group}.bleu_gap"] = 100.0 - bleu
        if (ter := signals.get(f"fidelity.ter_{suffix}")) is not None:
            values[f"{group}.ter"] = min(ter, 200.0) / 100.0
    z = signals.get("fluency.surprisal_z")
    if z is not None and z == z:
        groups.add(FLUENCY)
        values["fluency.surprisal_z"] = z
        for key in ("window_z", "surprisal_mean", "window_mean"):
            value = signals.get(f"fluency.{key}")
            if value is not None and value == value:
                values[f"fluency.{key}"] = value
    pieces = [p for p in merge(findings) if p.group in groups or p.group == CHECKS]
    for piece in pieces:
        for name in (finding_name(piece.owner), finding_name(piece.owner, piece.severity)):
            values[name] = values.get(name, 0.0) + 1.0
    return Features(frozenset(groups), values, pieces)


def ordered(groups: Iterable[str]) -> list[str]:
    """Groups in their documented order (unknown ones last, by name)."""
    rank = {g: i for i, g in enumerate(GROUP_ORDER)}
    return sorted(groups, key=lambda g: (rank.get(g, len(rank)), g))
