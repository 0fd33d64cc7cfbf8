"""The audit, one way through: read → segment/align → check → signals → judge.

Each stage is a plain function of the previous one's output, so each can be tested alone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mtaudit import __version__
from mtaudit.align import align_lengths
from mtaudit.boilerplate import find_blocks, merge_blocks
from mtaudit.checks import Check, DocContext, build_checks
from mtaudit.config import Config
from mtaudit.errors import InputError, ModelMissingError
from mtaudit.judge import Judge
from mtaudit.segment import paragraphs, split_paragraph, split_sentences
from mtaudit.signals import Signal, load
from mtaudit.types import (
    Bead,
    Block,
    Document,
    DocumentResult,
    Finding,
    Pair,
    RunResult,
    Sentence,
    SentenceResult,
    SignalOutput,
    SignalStatus,
)

log = logging.getLogger("mtaudit")


class Progress(Protocol):
    """Told how many sentences a run has, then how many more are done, as they are done."""

    def start(self, total: int) -> None:
        """The run has ``total`` target sentences (known once every document is segmented)."""

    def advance(self, count: int) -> None:
        """``count`` more sentences are checked and judged."""


_PROGRESS_STEP = 500
"""Sentences between progress updates inside one document."""


@dataclass
class Prepared:
    """A document segmented and aligned, ready for checks and signals."""

    document: Document
    sentences: list[Sentence]
    blocks: list[Block]
    source_sentences: list[Sentence] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    unaligned_source: list[Sentence] = field(default_factory=list)


def segment_target(document: Document, config: Config) -> tuple[list[Sentence], list[Block]]:
    """Split the target into prose sentences and non-prose blocks."""
    text = document.target
    paras = paragraphs(text)
    blocks: dict[int, Block] = {}
    if config.get("checks.boilerplate.enabled", True):
        blocks = {p.index: b for p, b in find_blocks(text, paras)}
    sentences: list[Sentence] = []
    for para in paras:
        if para.index not in blocks:
            sentences.extend(
                split_paragraph(
                    text, para.start, para.end, document.target_lang, para.index, len(sentences)
                )
            )
    return sentences, merge_blocks(list(blocks.values()), text)


def _aligner_beads(
    signals: Sequence[Signal], source: list[Sentence], target: list[Sentence]
) -> list[Bead] | None:
    for signal in signals:
        align = getattr(signal, "align", None)
        if align is not None:
            beads: list[Bead] | None = align(source, target)
            if beads is not None:
                return beads
    return None


def _groups(sentences: list[Sentence]) -> list[list[Sentence]]:
    groups: dict[int, list[Sentence]] = {}
    for sent in sentences:
        groups.setdefault(sent.paragraph, []).append(sent)
    return list(groups.values())


def align(
    source: list[Sentence],
    target: list[Sentence],
    config: Config,
    signals: Sequence[Signal] = (),
) -> list[Bead]:
    """Align source and target sentences.

    When both sides have the same number of paragraphs, paragraphs anchor the alignment and
    sentences are aligned within each pair of paragraphs; otherwise the whole document is one
    block. Within a block a signal's aligner (translation-based) is preferred when it can run,
    and the length-based method is the fallback.
    """
    src_groups, tgt_groups = _groups(source), _groups(target)
    if len(src_groups) != len(tgt_groups):
        src_groups, tgt_groups = [source], [target]
    beads: list[Bead] = []
    for src, tgt in zip(src_groups, tgt_groups, strict=True):
        local = _aligner_beads(signals, src, tgt) or align_lengths(
            [len(s.text) for s in src], [len(s.text) for s in tgt], config
        )
        for s_idx, t_idx in local:
            beads.append((tuple(src[i].index for i in s_idx), tuple(tgt[j].index for j in t_idx)))
    return beads


def segment_unit(text: str) -> list[Sentence]:
    """A whole segment as one sentence (whitespace trimmed); none when it is blank."""
    stripped = text.strip()
    if not stripped:
        return []
    start = text.index(stripped)
    return [Sentence(0, stripped, start, start + len(stripped))]


def prepare(document: Document, config: Config, signals: Sequence[Signal] = ()) -> Prepared:
    """Segment the target (and source) and pair every target sentence with its source.

    A document whose ``unit`` is ``"segment"`` is one unit: it is never split or aligned.
    """
    if document.unit == "segment":
        units = segment_unit(document.target)
        prepared = Prepared(document, units, [])
        whole = None if document.source is None else document.source.strip()
        if whole:
            prepared.source_sentences = segment_unit(document.source or "")
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
            for unit in units
        ]
        return prepared
    sentences, blocks = segment_target(document, config)
    prepared = Prepared(document, sentences, blocks)
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
    source = split_sentences(document.source, document.source_lang)
    prepared.source_sentences = source
    beads = align(source, sentences, config, signals)
    for src, tgt in beads:
        if not tgt:
            prepared.unaligned_source.extend(source[i] for i in src)
            continue
        text = " ".join(source[i].text for i in src)
        prepared.pairs.extend(pair(sentences[j], text, src, tgt) for j in tgt)
    return prepared


def run_checks(
    prepared: Prepared, checks: Sequence[Check], progress: Progress | None = None
) -> dict[int, list[Finding]]:
    """Run every deterministic check on one document; findings by target sentence index.

    Checks that look at the whole document run first; the per-sentence checks then run sentence
    by sentence, telling ``progress`` as they go, so a single long document shows progress too.
    Each sentence's findings keep the checks' registry order.
    """
    ctx = DocContext(
        prepared.document, prepared.sentences, prepared.pairs, prepared.source_sentences
    )
    by_check: list[dict[int, list[Finding]]] = [{} for _ in checks]
    each = [(i, c) for i, c in enumerate(checks) if c.per_sentence]
    for i, check in enumerate(checks):
        if not check.per_sentence:
            for index, finding in check.run(ctx):
                by_check[i].setdefault(index, []).append(finding)
    pending = 0
    for pair in prepared.pairs:
        for i, check in each:
            hits = check.sentence(pair, ctx)
            if hits:
                by_check[i].setdefault(pair.target.index, []).extend(hits)
        pending += 1
        if progress and pending == _PROGRESS_STEP:
            progress.advance(pending)
            pending = 0
    if progress and pending:
        progress.advance(pending)
    return {
        s.index: [f for found in by_check for f in found.get(s.index, ())]
        for s in prepared.sentences
    }


def run_signals(
    signals: Sequence[Signal], pairs: list[Pair], strict: bool
) -> tuple[list[SignalStatus], list[tuple[str, list[SignalOutput]]]]:
    """Ask each signal what it can do, then score all pairs with those that can run.

    Returns the statuses of every signal part, and (signal name, one output per pair) for each
    signal that ran.
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


def _judge_text(judge: Judge | None) -> str:
    if judge is None or not judge.describe():
        return "none"
    return ",".join(
        f"{m['model']}@{m['version']}:{m['digest']}" if "digest" in m else m["model"]
        for m in judge.describe()
    )


def audit(
    items: Sequence[Document | InputError],
    config: Config,
    *,
    signals: Sequence[str] | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> RunResult:
    """Audit documents (read errors pass through as failed documents) and judge every sentence.

    ``signals`` names the model-based signals to run (default: ``[signals] enabled``).
    """
    names = list(config.get("signals.enabled", []) if signals is None else signals)
    loaded = [load(name, config) for name in names]
    checks = build_checks(config)
    judge = Judge.from_config(config)
    results: list[DocumentResult] = []
    jobs: list[tuple[Prepared, DocumentResult]] = []
    for item in items:
        if isinstance(item, InputError):
            where = item.path or "<input>"
            failed = Document(
                id=where if item.line is None else f"{where}:{item.line}", target="", origin=where
            )
            results.append(DocumentResult(failed, error=item.reason))
            continue
        doc = prepare(item, config, loaded)
        result = DocumentResult(
            doc.document, blocks=doc.blocks, unaligned_source=doc.unaligned_source
        )
        results.append(result)
        jobs.append((doc, result))
    all_pairs = [pair for doc, _ in jobs for pair in doc.pairs]
    if progress:
        progress.start(len(all_pairs))
    statuses, outputs = run_signals(loaded, all_pairs, strict)
    position = 0
    for doc, result in jobs:
        found = run_checks(doc, checks, progress)
        for pair in doc.pairs:
            findings = list(found[pair.target.index])
            values: dict[str, float] = {}
            texts: dict[str, str] = {}
            for name, scored in outputs:
                out = scored[position]
                findings.extend(out.findings)
                values.update({f"{name}.{k}": v for k, v in out.values.items()})
                texts.update(out.texts)
            position += 1
            result.sentences.append(
                SentenceResult(pair, findings, judge.judge(pair, findings, values), values, texts)
            )
    ran = {s.name.split(".")[0] for s in statuses if s.ran}
    components = component_signatures([s for s in loaded if s.name in ran])
    return RunResult(results, signature(config, checks, statuses, components, judge), statuses)
