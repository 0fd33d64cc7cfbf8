"""The audit, one way through: read → segment/align → check → signals → judge.

Each stage is a plain function of the previous one's output, so each can be tested alone.
``Auditor`` loads the stages once per run and audits documents in batches, so a feed can be
streamed; ``audit`` collects a whole run.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar, TypeVar

from mtaudit import __version__
from mtaudit.align import Alignment, Translate, align
from mtaudit.checks import Check, DocContext, build_checks
from mtaudit.checks.suppression import Suppressor
from mtaudit.config import Config
from mtaudit.errors import InputError, ModelMissingError
from mtaudit.judge import Judge
from mtaudit.runfile import RunDocument
from mtaudit.settings import settings_of
from mtaudit.signals import Signal, chosen, load
from mtaudit.signals.fidelity import FidelitySettings
from mtaudit.text.boilerplate import find_blocks, merge_blocks
from mtaudit.text.segment import paragraphs, split_paragraph, split_sentences
from mtaudit.translate.shared import Translations
from mtaudit.types import (
    Block,
    Document,
    DocumentResult,
    Finding,
    Pair,
    Place,
    RunResult,
    Sentence,
    SentenceResult,
    SignalOutput,
    SignalStatus,
)

log = logging.getLogger("mtaudit")

Progress = Callable[[int], None]
"""Called with a number of sentences just audited: each document's count once it is judged, or,
for a document longer than ``PROGRESS_SLICE`` sentences, a slice at a time as they are judged.
The calls add up to the number of sentences audited."""
Stage = Callable[[str], None]
"""Called with the stage a large batch enters ("segmenting", "aligning", "scoring fluency",
"checking 3/17", "judging"), and with "" when the batch is done."""
PROGRESS_SLICE = 256
"""Sentences judged between two progress calls within one document."""
LARGE_BATCH = 100_000
"""Characters of target text from which a batch names its stages."""
T = TypeVar("T")


@dataclass(frozen=True)
class RunSettings:
    """``[run]``: documents per batch, and Ray actors for model signals."""

    SECTION: ClassVar[str] = "run"
    batch_size: int
    ray_actors: int


@dataclass(frozen=True)
class BoilerplateSettings:
    """``[checks.boilerplate]``: whether web-page furniture is set aside as non-prose."""

    SECTION: ClassVar[str] = "checks.boilerplate"
    enabled: bool


@dataclass
class Prepared:
    """A document segmented and aligned, ready for checks and signals."""

    document: Document
    sentences: list[Sentence]
    blocks: list[Block]
    source_sentences: list[Sentence] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    unaligned_source: list[Sentence] = field(default_factory=list)


def segment_units(document: Document) -> list[Sentence]:
    """The target's segments when the input fixes them (``Document.fixed_units``).

    Each place is one segment, never re-split.
    """
    return [
        Sentence(
            i,
            document.target[p.start : p.end],
            p.start,
            p.end,
            paragraph=i,
            unit=p.unit,
            element=p.element,
            metadata=p.metadata,
        )
        for i, p in enumerate(document.places)
    ]


def source_units(document: Document) -> list[Sentence]:
    """Each fixed unit's own source slice, indexed like its target segment ("" when none)."""
    source = document.source or ""
    out: list[Sentence] = []
    for i, place in enumerate(document.places):
        # A unit without a source of its own is paired with nothing (0-1), never guessed.
        start = place.source_start or 0
        end = start if place.source_end is None else place.source_end
        out.append(Sentence(i, source[start:end], start, end, i))
    return out


def locate(sentences: list[Sentence], places: Sequence[Place]) -> list[Sentence]:
    """Give each sentence the unit, element and metadata of the place it starts in."""
    if not places:
        return sentences
    starts = [p.start for p in places]
    out: list[Sentence] = []
    for sent in sentences:
        i = bisect_right(starts, sent.start) - 1
        place = places[i] if i >= 0 and sent.start < places[i].end else None
        out.append(
            sent
            if place is None
            else replace(sent, unit=place.unit, element=place.element, metadata=place.metadata)
        )
    return out


def _place_block(block: Block, places: Sequence[Place]) -> Block:
    """Name the element a block found in the text came from (its first place), if known."""
    place = next((p for p in places if p.start <= block.start < p.end), None)
    if place is None or place.element is None:
        return block
    return replace(block, element=place.element)


def segment_target(document: Document, config: Config) -> tuple[list[Sentence], list[Block]]:
    """Split the target into prose sentences and non-prose blocks."""
    text = document.target
    paras = paragraphs(text)
    blocks: dict[int, Block] = {}
    if settings_of(config, BoilerplateSettings).enabled:
        blocks = {p.index: b for p, b in find_blocks(text, paras)}
    sentences: list[Sentence] = []
    for para in paras:
        if para.index not in blocks:
            sentences.extend(
                split_paragraph(
                    text, para.start, para.end, document.target_lang, para.index, len(sentences)
                )
            )
    found = [_place_block(b, document.places) for b in merge_blocks(list(blocks.values()), text)]
    merged = sorted(found + document.blocks, key=lambda b: b.start)
    return locate(sentences, document.places), merged


def segment_unit(text: str) -> list[Sentence]:
    """A whole segment as one sentence (whitespace trimmed); none when it is blank."""
    stripped = text.strip()
    if not stripped:
        return []
    start = text.index(stripped)
    return [Sentence(0, stripped, start, start + len(stripped))]


def segment(document: Document, config: Config) -> Prepared:
    """Segment the target (and the source, when there is one); no pairs yet.

    A document whose ``unit`` is ``"segment"`` is one unit: it is never split. When the input
    fixes the units (XLIFF, TMX: ``Document.fixed_units``), each is one segment with its own
    source.
    """
    if document.unit == "segment" and document.fixed_units:
        prepared = Prepared(document, segment_units(document), list(document.blocks))
        if document.source is not None:
            prepared.source_sentences = source_units(document)
        return prepared
    if document.unit == "segment":
        prepared = Prepared(document, segment_unit(document.target), list(document.blocks))
        whole = None if document.source is None else document.source.strip()
        if whole:
            prepared.source_sentences = segment_unit(document.source or "")
        return prepared
    sentences, blocks = segment_target(document, config)
    prepared = Prepared(document, sentences, blocks)
    if document.source is not None:
        prepared.source_sentences = split_sentences(document.source, document.source_lang)
    return prepared


def prepare(
    document: Document | Prepared, config: Config, translate: Translate | None = None
) -> Prepared:
    """Segment (unless done) and pair every target sentence with its aligned source.

    ``translate`` enables the translation-based aligner (see ``mtaudit.align``). A document
    whose ``unit`` is ``"segment"`` is one unit: it is never split or aligned.
    """
    prepared = document if isinstance(document, Prepared) else segment(document, config)
    document, sentences = prepared.document, prepared.sentences
    if document.unit == "segment" and document.fixed_units:
        sources = prepared.source_sentences
        prepared.pairs = [
            Pair(
                doc_id=document.id,
                target=unit,
                source=sources[unit.index].text if sources else None,
                source_indices=(unit.index,) if sources and sources[unit.index].text else (),
                target_indices=(unit.index,),
                source_lang=document.source_lang,
                target_lang=document.target_lang,
            )
            for unit in sentences
        ]
        return prepared
    if document.unit == "segment":
        whole = None if document.source is None else document.source.strip()
        prepared.pairs = [
            Pair(
                doc_id=document.id,
                target=unit,
                source=whole,
                source_indices=(0,) if whole else (),
                target_indices=(0,),
                source_lang=document.source_lang,
                target_lang=document.target_lang,
            )
            for unit in sentences
        ]
        return prepared
    previous: dict[int, str | None] = {}
    for sent in sentences:
        prev = sentences[sent.index - 1] if sent.index else None
        previous[sent.index] = prev.text if prev and prev.paragraph == sent.paragraph else None

    def pair(
        target: Sentence, source: str | None, src: tuple[int, ...], tgt: tuple[int, ...]
    ) -> Pair:
        return Pair(
            doc_id=document.id,
            target=target,
            source=source,
            source_indices=src,
            target_indices=tgt,
            previous=previous[target.index],
            source_lang=document.source_lang,
            target_lang=document.target_lang,
        )

    if document.source is None:
        prepared.pairs = [pair(s, None, (), (s.index,)) for s in sentences]
        return prepared
    source = prepared.source_sentences
    beads = align(
        source,
        sentences,
        Alignment.from_config(config),
        source_lang=document.source_lang,
        target_lang=document.target_lang,
        translate=translate,
    )
    for src, tgt in beads:
        if not tgt:
            prepared.unaligned_source.extend(source[i] for i in src)
            continue
        text = " ".join(source[i].text for i in src)
        prepared.pairs.extend(pair(sentences[j], text, src, tgt) for j in tgt)
    return prepared


def run_checks(prepared: Prepared, checks: Sequence[Check]) -> dict[int, list[Finding]]:
    """Run every deterministic check on one document; findings by target sentence index.

    Run-scope checks see this document alone.
    """
    return run_all_checks([prepared], checks)[0]


def run_all_checks(
    documents: Sequence[Prepared], checks: Sequence[Check], stage: Stage | None = None
) -> list[dict[int, list[Finding]]]:
    """Run the document-scope checks on each document, then the run-scope checks on them all.

    Returns, per document, the findings by target sentence index. ``stage`` hears "checking
    K/N" as the K-th of the N checks starts.
    """
    contexts = [DocContext(p.document, p.sentences, p.pairs, p.source_sentences) for p in documents]
    found: list[dict[int, list[Finding]]] = [{s.index: [] for s in p.sentences} for p in documents]
    ordered = [c for c in checks if c.scope != "run"] + [c for c in checks if c.scope == "run"]
    for number, check in enumerate(ordered, 1):
        if stage is not None:
            stage(f"checking {number}/{len(ordered)}")
        if check.scope != "run":
            for position, ctx in enumerate(contexts):
                for index, finding in check.run(ctx):
                    found[position][index].append(finding)
        else:
            for position, index, finding in check.across(contexts):
                found[position][index].append(finding)
    return found


def run_signals(
    signals: Sequence[Signal], pairs: list[Pair], strict: bool, stage: Stage | None = None
) -> tuple[list[SignalStatus], list[tuple[str, list[SignalOutput]]]]:
    """Ask each signal what it can do, then score all pairs with those that can run.

    Returns the statuses of every signal part, and (signal name, one output per pair) for each
    signal that ran. ``stage`` hears "scoring NAME" as each signal starts scoring.
    """
    statuses: list[SignalStatus] = []
    outputs: list[tuple[str, list[SignalOutput]]] = []
    for signal in signals:
        parts = signal.status(pairs)
        statuses.extend(parts)
        missing = [p for p in parts if not p.ran]
        if strict and missing:
            raise ModelMissingError(
                "; ".join(f"{p.name} cannot run: {p.reason}" for p in missing),
                fix=" && ".join(dict.fromkeys(p.fix for p in missing if p.fix)) or None,
            )
        if pairs and any(p.ran for p in parts):
            if stage is not None:
                stage(f"scoring {signal.name}")
            scored = signal.score(pairs)
            if len(scored) != len(pairs):
                raise RuntimeError(
                    f"signal {signal.name} returned {len(scored)} outputs for {len(pairs)} pairs"
                )
            outputs.append((signal.name, scored))
    return statuses, outputs


def component_signatures(signals: Sequence[Signal]) -> dict[str, object]:
    """Each signal's own resolved state (models@revisions, engines, decoding, cache origin)."""
    out: dict[str, object] = {}
    for signal in signals:
        own = getattr(signal, "signature", None)
        if callable(own):
            out[signal.name] = own()
    return out


def signature(
    config: Config,
    checks: Sequence[Check],
    statuses: list[SignalStatus],
    components: dict[str, object] | None = None,
    judge: Judge | None = None,
) -> dict[str, object]:
    """Everything needed to tell whether two runs are comparable."""
    ran = [s.name for s in statuses if s.ran]
    digest = config.digest()
    extra: dict[str, object] = {"components": components} if components else {}
    return {
        "tool": "mtaudit",
        "version": __version__,
        "config_digest": digest,
        "config_files": [p.name if i == 0 else str(p) for i, p in enumerate(config.paths)],
        "checks": [c.id for c in checks],
        "signals": [
            {"name": s.name, "ran": s.ran, "reason": s.reason, "fix": s.fix} for s in statuses
        ],
        **extra,
        "judge": judge.describe() if judge else [],
        "text": f"mtaudit:{__version__}|config:{digest}|checks:{len(checks)}|"
        f"signals:{','.join(ran) or 'none'}|judge:{_judge_text(judge)}",
    }


def note_directions(judge: Judge, documents: Iterable[RunDocument]) -> None:
    """Load ``judge``'s model for each judged document's direction, so the signature names it.

    Documents are judged in worker processes (or taken from the state database), so the judge
    that writes the run signature learns from the documents which models the run used.
    """
    for doc in documents:
        if doc.sentences and not doc.error:
            judge.model_for(f"{doc.source_lang}-{doc.target_lang}")


def _judge_text(judge: Judge | None) -> str:
    if judge is None or not judge.describe():
        return "none"
    return ",".join(
        f"{m['model']}@{m['version']}:{m['digest']}" if "digest" in m else m["model"]
        for m in judge.describe()
    )


def merge_statuses(run: list[SignalStatus], batch: list[SignalStatus]) -> list[SignalStatus]:
    """Fold one batch's statuses into the run's: a part ran only if it ran in every batch."""
    merged = {s.name: s for s in run}
    for status in batch:
        seen = merged.get(status.name)
        if seen is None or (seen.ran and not status.ran):
            merged[status.name] = status
    return list(merged.values())


def _failed(item: InputError) -> DocumentResult:
    where = item.path or "<input>"
    failed = Document(
        id=where if item.line is None else f"{where}:{item.line}", target="", origin=where
    )
    return DocumentResult(failed, error=item.reason)


class Auditor:
    """One run's stages, loaded once: checks, signals, judge and the shared translations.

    ``audit_batch`` audits a batch of documents; ``stream`` audits any iterable in batches and
    yields each document's result in input order, so a run need not hold its corpus.
    """

    def __init__(
        self, config: Config, *, signals: Sequence[str] | None = None, strict: bool = False
    ) -> None:
        self.config = config
        self.strict = strict
        names = chosen(config, signals)
        self.translations = Translations(config)
        self.signals: list[Signal] = [load(name, config, self.translations) for name in names]
        self.checks = build_checks(config)
        self.suppressor = Suppressor.from_config(config)
        self.judge = Judge.from_config(config)
        parts = settings_of(config, FidelitySettings).parts
        self.align_by_translation = "fidelity" in names and "back_translation" in parts
        self.statuses: list[SignalStatus] = []

    def components(self) -> dict[str, object]:
        """The resolved state of each signal that ran (models, engines, decoding)."""
        ran = {s.name.split(".")[0] for s in self.statuses if s.ran}
        return component_signatures([s for s in self.signals if s.name in ran])

    def signature(self) -> dict[str, object]:
        """The run signature from what has run so far."""
        return signature(self.config, self.checks, self.statuses, self.components(), self.judge)

    def close(self) -> None:
        """Close the translation cache."""
        self.translations.close()

    def _prefetch(self, prepared: Sequence[Prepared]) -> None:
        """Translate every batch target that alignment needs, in one call per direction."""
        wanted: dict[tuple[str, str], list[str]] = {}
        for doc in prepared:
            if doc.source_sentences and doc.sentences:
                langs = (doc.document.target_lang, doc.document.source_lang)
                wanted.setdefault(langs, []).extend(s.text for s in doc.sentences)
        for (tgt, src), texts in wanted.items():
            self.translations.translate_if_available(texts, tgt, src)

    def audit_batch(
        self,
        items: Sequence[Document | InputError],
        progress: Progress | None = None,
        stage: Stage | None = None,
    ) -> list[DocumentResult]:
        """Audit a batch of documents (read errors pass through as failed documents).

        ``progress`` counts sentences as they are judged (see ``Progress``); ``stage`` hears the
        name of each stage when the batch is large enough for them to take a while.
        """
        size = sum(len(i.target) for i in items if isinstance(i, Document))
        announce = stage if stage is not None and size >= LARGE_BATCH else None

        def enter(name: str) -> None:
            if announce is not None:
                announce(name)

        enter("segmenting")
        segmented = [segment(i, self.config) for i in items if not isinstance(i, InputError)]
        enter("aligning")
        translate = None
        if self.align_by_translation:
            self._prefetch(segmented)
            translate = self.translations.translate_if_available
        prepared = iter([prepare(doc, self.config, translate) for doc in segmented])
        results: list[DocumentResult] = []
        jobs: list[tuple[Prepared, DocumentResult]] = []
        for item in items:
            if isinstance(item, InputError):
                results.append(_failed(item))
                continue
            doc = next(prepared)
            result = DocumentResult(
                doc.document, blocks=doc.blocks, unaligned_source=doc.unaligned_source
            )
            results.append(result)
            jobs.append((doc, result))
        all_pairs = [pair for doc, _ in jobs for pair in doc.pairs]
        statuses, outputs = run_signals(self.signals, all_pairs, self.strict, announce)
        self.statuses = merge_statuses(self.statuses, statuses)
        self.translations.forget()
        position = 0
        # Run-scope checks see the batch's documents and keep what they need of earlier batches.
        all_found = run_all_checks([doc for doc, _ in jobs], self.checks, announce)
        enter("judging")
        for (doc, result), found in zip(jobs, all_found, strict=True):
            unreported = 0
            texts_by_index = {p.target.index: p.target.text for p in doc.pairs}
            silenced: Counter[str] = Counter()
            for pair in doc.pairs:
                bead = (
                    " ".join(texts_by_index.get(i, "") for i in pair.target_indices)
                    if len(pair.target_indices) > 1
                    else None
                )
                findings = self.suppressor.filter(
                    list(found[pair.target.index]), pair.target.text, silenced
                )
                values: dict[str, float] = {}
                texts: dict[str, str] = {}
                for name, scored in outputs:
                    out = scored[position]
                    findings.extend(out.findings)
                    values.update({f"{name}.{k}": v for k, v in out.values.items()})
                    texts.update(out.texts)
                position += 1
                result.sentences.append(
                    SentenceResult(
                        pair,
                        findings,
                        self.judge.judge(pair, findings, values, bead),
                        values,
                        texts,
                    )
                )
                unreported += 1
                if progress and unreported == PROGRESS_SLICE:
                    progress(unreported)
                    unreported = 0
            result.suppressed = dict(silenced)
            # one call per document at least, so a run of small documents moves document by document
            if progress and (unreported or not doc.pairs):
                progress(unreported)
        enter("")
        return results

    def stream(
        self,
        items: Iterable[Document | InputError],
        *,
        batch_size: int | None = None,
        progress: Progress | None = None,
    ) -> Iterator[DocumentResult]:
        """Audit ``items`` batch by batch; yield results in input order as batches finish.

        Batches hold ``batch_size`` documents (default: ``[run] batch_size``).
        """
        size = batch_size or settings_of(self.config, RunSettings).batch_size
        for batch in batched(items, max(1, size)):
            yield from self.audit_batch(batch, progress)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def audit(
    items: Iterable[Document | InputError],
    config: Config,
    *,
    signals: Sequence[str] | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    batch_size: int | None = None,
) -> RunResult:
    """Audit documents (read errors pass through as failed documents) and judge every sentence.

    ``signals`` names the model-based signals to run (default: ``[signals] enabled``);
    ``progress`` is called with the number of sentences audited (see ``Progress``). Documents
    are audited in batches of ``batch_size`` (default: ``[run] batch_size``).
    """
    auditor = Auditor(config, signals=signals, strict=strict)
    size = batch_size or settings_of(config, RunSettings).batch_size
    try:
        results = list(auditor.stream(items, batch_size=size, progress=progress))
    finally:
        auditor.close()
    return RunResult(results, auditor.signature(), auditor.statuses)
