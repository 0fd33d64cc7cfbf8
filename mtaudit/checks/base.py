"""The shape every deterministic check has, and the per-document context they read."""

from __future__ import annotations

import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar, Self

from mtaudit.config import Config
from mtaudit.settings import build
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


@dataclass(frozen=True)
class CheckSettings:
    """The keys every ``[checks.ID]`` table has; a check with more subclasses this.

    No field has a default: the values come from ``configs/default.toml`` under the user's file.
    """

    enabled: bool
    severity: Severity


class Check:
    """A model-free check. Subclasses set ``id`` and implement ``sentence`` or ``document``.

    A check is built from its ``[checks.ID]`` table once per run (``from_config``); a check
    with keys of its own names their dataclass in ``settings_type``. Values from other tables
    are passed to its constructor explicitly (``from_config`` reads them).

    ``run`` is the public entry point; by default it calls the ``sentence`` hook once per pair.
    Checks that need the whole document (brackets across sentences, duplicates) override
    ``document`` instead. Checks that compare documents with each other (consistency across a
    run) set ``scope = "run"`` and override ``across``, which sees every document of the run
    after the document-scope checks.
    """

    id: ClassVar[str] = ""
    scope: ClassVar[str] = "document"
    settings_type: ClassVar[type[CheckSettings]] = CheckSettings

    def __init__(self, settings: CheckSettings) -> None:
        self.settings = settings
        self.severity = settings.severity

    @classmethod
    def read_settings(cls, config: Config) -> CheckSettings:
        """The check's ``[checks.ID]`` table as its ``settings_type``, read once per config."""
        found = config.built.get(cls)
        if found is None:
            where = f"checks.{cls.id}"
            found = config.built[cls] = build(cls.settings_type, config.section(where), where)
        return typing.cast(CheckSettings, found)

    @classmethod
    def from_config(cls, config: Config) -> Self:
        """The check with its settings (and what it reads of other tables) from ``config``."""
        return cls(cls.read_settings(config))

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
