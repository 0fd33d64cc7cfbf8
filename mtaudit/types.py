"""Plain data that travels between the pipeline's stages.

Every stage is a function of the previous stage's output; these dataclasses are the only things
they pass. Offsets are Python string indices (Unicode code points), end-exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    """How bad a finding or a sentence is; ordered so that ``max`` gives the worst."""

    NONE = 0
    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @property
    def label(self) -> str:
        """The lower-case name used in configs and reports."""
        return _LABELS[self]  # looked up: reports ask for it once a sentence or more

    @classmethod
    def parse(cls, name: str) -> Severity:
        """Turn ``"minor"``/``"major"``/... into a severity; raise ``ValueError`` otherwise."""
        try:
            return cls[name.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {name!r}") from None


_LABELS = {level: level.name.lower() for level in Severity}


@dataclass(frozen=True)
class Place:
    """Where a stretch of a document's target came from in the input file.

    ``start``/``end`` are offsets into ``Document.target``; ``source_start``/``source_end`` are
    offsets into ``Document.source`` when the input pairs the two (an XLIFF unit, a TMX unit).
    ``unit`` is the input's unit id, ``element`` the element path (an XPath into the page),
    ``metadata`` what the input says of the unit (notes, state, inline tags, line).
    """

    start: int
    end: int
    unit: str | None = None
    element: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class Document:
    """One translated article: its target text and, when there is one, its source text.

    ``places`` map stretches of the target back to the input (page elements, file units).
    With ``unit == "segment"`` each place that names a unit is one segment, audited whole,
    paired 1-1 with its own source slice and never re-split; with no such places the whole
    target is one segment. ``blocks`` are non-prose blocks the reader already set apart (page
    furniture an extractor dropped, units with no translation).
    """

    id: str
    target: str
    source: str | None = None
    source_lang: str = "ar"
    target_lang: str = "en"
    origin: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    # "document": split into sentences and aligned; "segment": already one sentence-like unit
    # (a bitext row), audited whole and never re-split.
    unit: str = "document"
    places: list[Place] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    @property
    def fixed_units(self) -> bool:
        """Whether the input fixes the segments (places naming units: XLIFF, TMX).

        Such a document is always audited unit by unit, whatever ``--unit`` says.
        """
        return any(place.unit is not None for place in self.places)

    def choose_unit(self, unit: str | None) -> None:
        """Audit as ``unit`` (``--unit``) when one is given and the input does not fix it."""
        if unit is not None and not self.fixed_units:
            self.unit = unit


@dataclass(frozen=True)
class Sentence:
    """A sentence (or non-prose block) of a text with its offsets into that text.

    ``unit``, ``element`` and ``metadata`` come from the ``Place`` the sentence lies in, if any.
    """

    index: int
    text: str
    start: int
    end: int
    paragraph: int = 0
    unit: str | None = None
    element: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


Bead = tuple[tuple[int, ...], tuple[int, ...]]
"""One alignment step: (source sentence indices, target sentence indices); either may be empty."""


@dataclass(frozen=True)
class Block:
    """A stretch of text that is not article prose (e.g. a comment form), reported as such."""

    text: str
    start: int
    end: int
    kind: str
    reason: str
    unit: str | None = None
    element: str | None = None


@dataclass(frozen=True)
class Finding:
    """One problem a check or signal found in a target sentence.

    ``span`` is a (start, end) pair of offsets into the sentence text, or ``None`` when the
    problem concerns the sentence as a whole.
    """

    check: str
    severity: Severity
    message: str
    span: tuple[int, int] | None = None


@dataclass(frozen=True)
class Pair:
    """A target sentence together with the source text aligned to it (if any).

    ``source`` is the concatenation of the aligned source sentences, ``None`` when the document
    has no source, and ``""`` when the alignment left this target sentence with no source (0-1).
    ``target_indices`` are all target sentences sharing that source (a 1-2 alignment gives two).
    ``previous`` is the target sentence before this one in the same paragraph, if any.
    """

    doc_id: str
    target: Sentence
    source: str | None
    source_indices: tuple[int, ...] = ()
    target_indices: tuple[int, ...] = ()
    previous: str | None = None
    source_lang: str = "ar"
    target_lang: str = "en"


@dataclass
class SignalOutput:
    """What one signal says of one pair: numeric values, findings, and texts for reviewers."""

    values: dict[str, float] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


@dataclass
class Verdict:
    """The judge's decision on one target sentence."""

    risk: float
    severity: Severity
    flagged: bool
    reasons: list[str]
    spans: list[tuple[int, int]]
    # The evidence groups the risk rests on (see mtaudit.features), or ["rules"].
    basis: list[str] = field(default_factory=list)


@dataclass
class SentenceResult:
    """Everything known about one target sentence after the audit."""

    pair: Pair
    findings: list[Finding]
    verdict: Verdict
    signals: dict[str, float] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


@dataclass
class DocumentResult:
    """The audit of one document: its sentences, its non-prose blocks, or why it failed."""

    document: Document
    sentences: list[SentenceResult] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    unaligned_source: list[Sentence] = field(default_factory=list)
    error: str | None = None
    suppressed: dict[str, int] = field(default_factory=dict)
    """Findings silenced by the configured suppressions, per check id."""

    @property
    def flagged(self) -> int:
        """How many target sentences were flagged."""
        return sum(1 for s in self.sentences if s.verdict.flagged)


@dataclass
class SignalStatus:
    """Whether a signal ran in this audit; when it did not, why and how to fix it."""

    name: str
    ran: bool
    reason: str = ""
    fix: str = ""


@dataclass
class RunResult:
    """A whole audit: per-document results plus the settings signature that produced them."""

    documents: list[DocumentResult]
    signature: dict[str, Any]
    signals: list[SignalStatus] = field(default_factory=list)

    @property
    def suppressed(self) -> dict[str, int]:
        """Findings silenced by the configured suppressions, per check id, over all documents."""
        total: dict[str, int] = {}
        for doc in self.documents:
            for check, count in doc.suppressed.items():
                total[check] = total.get(check, 0) + count
        return total

    @property
    def sentence_count(self) -> int:
        """Target sentences audited across all documents."""
        return sum(len(d.sentences) for d in self.documents)

    @property
    def flagged_count(self) -> int:
        """Flagged target sentences across all documents."""
        return sum(d.flagged for d in self.documents)
