"""The shape every deterministic check has, and the per-document context they read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from mtaudit.config import Config
from mtaudit.errors import ConfigError
from mtaudit.types import Document, Finding, Pair, Sentence, Severity

Hit = tuple[int, Finding]
"""A finding on the target sentence with that index."""

RunHit = tuple[int, int, Finding]
"""A finding of a run-scope check: (document position in the run, sentence index, finding)."""


@dataclass
class DocContext:
    """What a check may look at: the document, its target sentences and their pairs."""

    document: Document
    sentences: list[Sentence]
    pairs: list[Pair]
    source_sentences: list[Sentence] = field(default_factory=list)

    @cached_property
    def paragraph_sizes(self) -> Counter[int]:
        """Number of target sentences in each paragraph (computed once per document)."""
        return Counter(s.paragraph for s in self.sentences)

    @property
    def has_source(self) -> bool:
        """Whether the document came with a source text."""
        return self.document.source is not None


class Check:
    """A model-free check. Subclasses set ``id`` and implement ``sentence`` or ``document``.

    ``run`` is the public entry point; by default it calls the ``sentence`` hook once per pair.
    Checks that need the whole document (brackets across sentences, duplicates) override
    ``document`` instead. Checks that compare documents with each other (consistency across a
    run) set ``scope = "run"`` and override ``across``, which sees every document of the run
    after the document-scope checks.
    """

    id: ClassVar[str] = ""
    default_severity: ClassVar[str] = "major"
    scope: ClassVar[str] = "document"

    def __init__(self, settings: dict[str, Any], config: Config) -> None:
        self.settings = settings
        self.config = config
        try:
            self.severity = Severity.parse(str(settings.get("severity", self.default_severity)))
        except ValueError as exc:
            raise ConfigError(f"checks.{self.id}.severity: {exc}") from None

    def finding(
        self, message: str, span: tuple[int, int] | None = None, severity: Severity | None = None
    ) -> Finding:
        """Build a finding of this check with its configured severity."""
        return Finding(self.id, self.severity if severity is None else severity, message, span)

    @property
    def per_sentence(self) -> bool:
        """Whether the check looks at one pair at a time (it does not override ``document``)."""
        cls = type(self)
        return cls.document is Check.document and cls.run is Check.run

    def run(self, ctx: DocContext) -> Iterator[Hit]:
        """Yield (sentence index, finding) for every problem in the document."""
        yield from self.document(ctx)

    def document(self, ctx: DocContext) -> Iterator[Hit]:
        """Whole-document hook; by default applies ``sentence`` to each pair."""
        for pair in ctx.pairs:
            for found in self.sentence(pair, ctx):
                yield pair.target.index, found

    def sentence(self, pair: Pair, ctx: DocContext) -> list[Finding]:
        """Per-sentence hook."""
        return []

    def across(self, contexts: list[DocContext]) -> Iterator[RunHit]:
        """Run-scope hook: yield (document position, sentence index, finding)."""
        return iter(())
