"""The typed run: what an audit found, as reports, the gate, baselines and ``apply`` read it.

A run (schema ``mtaudit.run/1``, docs/json-schema.md) is a :class:`Run` of documents
(:class:`RunDocument`), each with its target sentences (:class:`RunSentence`: the judge's
verdict and the :class:`RunFinding` records behind it), non-prose blocks (:class:`RunBlock`) and
unaligned source sentences (:class:`SourceSentence`). ``from_result`` builds them from the
pipeline's results, ``to_dict`` gives the JSON object (keys in the documented order), and
``from_dict`` reads one back, checking its shape: whatever is wrong is an ``InputError`` naming
the file and the place (``document 'a': sentences[3] has no integer 'start'``). Optional fields
may be missing (runs saved by earlier versions); they get their defaults. ``documents_digest``
identifies the articles of a run whatever its settings.

This module is the one place that knows the schema; it imports only the pipeline's data types.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast

from mtaudit.errors import InputError
from mtaudit.types import (
    Block,
    DocumentResult,
    RunResult,
    Sentence,
    SentenceResult,
    Severity,
    SignalStatus,
)

log = logging.getLogger("mtaudit")

SCHEMA = "mtaudit.run/1"
"""The run schema this version writes and reads."""
JSONL_SCHEMA = "mtaudit.run.jsonl/1"
"""The header of a JSON Lines run (``--format jsonl``): a line per document, then the summary."""
RESULTS_HEAD = "run.json"
"""In an ``--executor ray`` results folder: the run's schema, signature and summary."""
RESULTS_SHARDS = "part-*.jsonl"
"""In an ``--executor ray`` results folder: the document lines, in order of their names."""


def shard_name(number: int) -> str:
    """The file name of a results folder's shard ``number`` (matched by ``RESULTS_SHARDS``)."""
    return f"part-{number:05d}.jsonl"


Span = tuple[int, int]
T = TypeVar("T")


# -- shape checks ----------------------------------------------------------------------------


class _Shape:
    """Reads fields of one JSON object, raising ``InputError`` naming ``where`` when wrong.

    Required fields that are missing or of the wrong type read ``<where> has no integer 'start'``;
    optional ones of the wrong type read ``<where>: 'target' is not a string``.
    """

    __slots__ = ("data", "origin", "where")

    def __init__(self, data: Mapping[str, Any], where: str, origin: str | None) -> None:
        self.data, self.where, self.origin = data, where, origin

    def fail(self, message: str) -> NoReturn:
        raise InputError(message, path=self.origin)

    def _wrong(self, key: str, kind: str) -> NoReturn:
        self.fail(f"{self.where}: {key!r} is not {kind}")

    def need_int(self, key: str) -> int:
        value = self.data.get(key)
        if type(value) is not int:
            self.fail(f"{self.where} has no integer {key!r}")
        return value

    def need_str(self, key: str) -> str:
        value = self.data.get(key)
        if type(value) is not str:
            self.fail(f"{self.where} has no string {key!r}")
        return value

    def _optional(self, key: str, default: T, kinds: tuple[type, ...], kind: str) -> T:
        """The value of ``key`` if it is of one of ``kinds`` (exactly), ``default`` if absent."""
        value = self.data.get(key)
        if value is None:
            return default
        if type(value) not in kinds:
            self._wrong(key, kind)
        return cast(T, value)

    def get_int(self, key: str, default: int) -> int:
        return self._optional(key, default, (int,), "an integer")

    def get_number(self, key: str, default: float) -> float:
        return self._optional(key, default, (int, float), "a number")

    def get_bool(self, key: str, default: bool) -> bool:
        return self._optional(key, default, (bool,), "true or false")

    def get_str(self, key: str, default: str) -> str:
        return self._optional(key, default, (str,), "a string")

    def opt_str(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is not None and type(value) is not str:
            self._wrong(key, "a string")
        return value

    def get_object(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self._wrong(key, "an object")
        return value

    def get_list(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self._wrong(key, "a list")
        return value

    def strings(self, key: str) -> list[str]:
        values = self.get_list(key)
        if any(type(v) is not str for v in values):
            self._wrong(key, "a list of strings")
        return values

    def ints(self, key: str) -> list[int]:
        values = self.get_list(key)
        if any(type(v) is not int for v in values):
            self._wrong(key, "a list of integers")
        return values

    def text_map(self, key: str) -> dict[str, str]:
        values = self.get_object(key)
        if any(type(v) is not str for v in values.values()):
            self._wrong(key, "an object of strings")
        return values

    def number_map(self, key: str) -> dict[str, float | None]:
        values = self.get_object(key)
        if any(v is not None and type(v) not in (int, float) for v in values.values()):
            self._wrong(key, "an object of numbers")
        return values

    def count_map(self, key: str) -> dict[str, int]:
        values = self.get_object(key)
        if any(type(v) is not int for v in values.values()):
            self._wrong(key, "an object of counts")
        return values

    def severity(self, key: str) -> Severity:
        value = self.get_str(key, "none")
        try:
            return _SEVERITIES[value]
        except KeyError:
            self.fail(
                f"{self.where}: {key!r} is {value!r}; expected one of {', '.join(_SEVERITIES)}"
            )

    def span(self, value: Any, key: str) -> Span:
        if (
            not isinstance(value, list | tuple)
            or len(value) != 2
            or any(type(v) is not int for v in value)
        ):
            self._wrong(key, "a [start, end] pair of integers")
        return (value[0], value[1])

    def item(self, value: Any, where: str) -> _Shape:
        if not isinstance(value, dict):
            self.fail(f"{where} is not an object")
        return _Shape(value, where, self.origin)


_SEVERITIES = {level.label: level for level in Severity}


# -- the run's parts -------------------------------------------------------------------------


@dataclass(slots=True)
class RunFinding:
    """One finding on a sentence: the check (or signal) id, its severity, message and span.

    ``span`` is a (start, end) pair of offsets into the sentence text, ``None`` for the whole.
    """

    id: str
    severity: Severity
    message: str = ""
    span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        """The finding's JSON record."""
        return {
            "id": self.id,
            "severity": self.severity.label,
            "message": self.message,
            "span": list(self.span) if self.span else None,
        }

    @classmethod
    def _read(cls, shape: _Shape) -> RunFinding:
        span = shape.data.get("span")
        return cls(
            id=shape.need_str("id"),
            severity=shape.severity("severity"),
            message=shape.get_str("message", ""),
            span=None if span is None else shape.span(span, "span"),
        )


@dataclass(slots=True)
class RunSentence:
    """One target sentence with its place, its aligned source and the judge's verdict.

    ``index`` counts the document's target sentences from 0; ``start``/``end`` are offsets into
    the document's target text, ``spans`` offsets into ``text``. ``source`` is ``None`` without
    a source text and ``""`` when nothing aligned to the sentence.
    """

    index: int
    text: str
    start: int
    end: int
    paragraph: int = 0
    unit: str | None = None
    element: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    source_indices: list[int] = field(default_factory=list)
    risk: float = 0.0
    severity: Severity = Severity.NONE
    flagged: bool = False
    basis: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    checks: list[RunFinding] = field(default_factory=list)
    signals: dict[str, float | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def is_problem(self) -> bool:
        """Whether the judge flagged the sentence or gave it any severity."""
        return self.flagged or self.severity is not Severity.NONE

    @property
    def check_ids(self) -> list[str]:
        """Ids of the findings on the sentence, in order, without repeats."""
        return list(dict.fromkeys(f.id for f in self.checks))

    @classmethod
    def from_result(cls, result: SentenceResult) -> RunSentence:
        """The record of one audited sentence."""
        pair, verdict, target = result.pair, result.verdict, result.pair.target
        return cls(
            target.index,
            target.text,
            target.start,
            target.end,
            target.paragraph,
            target.unit,
            target.element,
            target.metadata,
            pair.source,
            list(pair.source_indices),
            verdict.risk,
            verdict.severity,
            verdict.flagged,
            verdict.basis,
            verdict.reasons,
            verdict.spans,
            [RunFinding(f.check, f.severity, f.message, f.span) for f in result.findings],
            {k: round(v, 4) for k, v in result.signals.items()},
            dict(result.texts),
        )

    def to_dict(self) -> dict[str, Any]:
        """The sentence's JSON record."""
        return {
            "index": self.index,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "paragraph": self.paragraph,
            "unit": self.unit,
            "element": self.element,
            "metadata": self.metadata,
            "source": self.source,
            "source_indices": list(self.source_indices),
            "risk": self.risk,
            "severity": self.severity.label,
            "flagged": self.flagged,
            "basis": self.basis,
            "reasons": self.reasons,
            "spans": [list(span) for span in self.spans],
            "checks": [f.to_dict() for f in self.checks],
            "signals": self.signals,
            "texts": self.texts,
        }

    @classmethod
    def _read(cls, shape: _Shape) -> RunSentence:
        index, start, end = shape.need_int("index"), shape.need_int("start"), shape.need_int("end")
        text = shape.need_str("text")
        checks = [
            RunFinding._read(shape.item(c, f"{shape.where}.checks[{i}]"))
            for i, c in enumerate(shape.get_list("checks"))
        ]
        return cls(
            index=index,
            text=text,
            start=start,
            end=end,
            paragraph=shape.get_int("paragraph", 0),
            unit=shape.opt_str("unit"),
            element=shape.opt_str("element"),
            metadata=shape.get_object("metadata"),
            source=shape.opt_str("source"),
            source_indices=shape.ints("source_indices"),
            risk=shape.get_number("risk", 0.0),
            severity=shape.severity("severity"),
            flagged=shape.get_bool("flagged", False),
            basis=shape.strings("basis"),
            reasons=shape.strings("reasons"),
            spans=[shape.span(s, "spans") for s in shape.get_list("spans")],
            checks=checks,
            signals=shape.number_map("signals"),
            texts=shape.text_map("texts"),
        )


@dataclass(slots=True)
class RunBlock:
    """A stretch of the target that is not article prose (page furniture, untranslated units)."""

    kind: str
    start: int
    end: int
    text: str
    reason: str = ""
    unit: str | None = None
    element: str | None = None

    @classmethod
    def from_block(cls, block: Block) -> RunBlock:
        """The record of a non-prose block."""
        return cls(
            block.kind, block.start, block.end, block.text, block.reason, block.unit, block.element
        )

    def to_dict(self) -> dict[str, Any]:
        """The block's JSON record."""
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "reason": self.reason,
            "unit": self.unit,
            "element": self.element,
        }

    @classmethod
    def _read(cls, shape: _Shape) -> RunBlock:
        return cls(
            kind=shape.get_str("kind", ""),
            start=shape.need_int("start"),
            end=shape.need_int("end"),
            text=shape.need_str("text"),
            reason=shape.get_str("reason", ""),
            unit=shape.opt_str("unit"),
            element=shape.opt_str("element"),
        )


@dataclass(slots=True)
class SourceSentence:
    """A source sentence no target sentence covers (offsets into the document's source)."""

    index: int
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """The sentence's JSON record."""
        return {"index": self.index, "text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def _read(cls, shape: _Shape) -> SourceSentence:
        return cls(
            shape.need_int("index"),
            shape.need_str("text"),
            shape.need_int("start"),
            shape.need_int("end"),
        )


def _by_severity(sentences: Iterable[RunSentence]) -> dict[str, int]:
    counts = Counter(s.severity for s in sentences)
    return {level.label: counts.get(level, 0) for level in Severity}


def _suppressed(by_check: Mapping[str, int]) -> dict[str, Any]:
    """The summary fields for silenced findings: only when the suppressions silenced something."""
    if not by_check:
        return {}
    return {
        "suppressed": sum(by_check.values()),
        "suppressed_by_check": dict(sorted(by_check.items())),
    }


@dataclass(slots=True)
class Summary:
    """A document's counts: sentences, flagged ones, per severity, silenced findings per check."""

    sentences: int = 0
    flagged: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    suppressed_by_check: dict[str, int] = field(default_factory=dict)

    @property
    def suppressed(self) -> int:
        """Findings silenced by the configured suppressions."""
        return sum(self.suppressed_by_check.values())

    @classmethod
    def of(cls, sentences: list[RunSentence], suppressed: Mapping[str, int]) -> Summary:
        """The counts of these sentences."""
        return cls(
            len(sentences),
            sum(1 for s in sentences if s.flagged),
            _by_severity(sentences),
            dict(suppressed),
        )

    def to_dict(self) -> dict[str, Any]:
        """The summary's JSON record (``suppressed`` fields only when something was)."""
        return {
            "sentences": self.sentences,
            "flagged": self.flagged,
            "by_severity": self.by_severity,
            **_suppressed(self.suppressed_by_check),
        }

    @classmethod
    def _read(cls, shape: _Shape, sentences: list[RunSentence]) -> Summary:
        if shape.data.get("summary") is None:
            return cls.of(sentences, {})
        inner = shape.item(shape.data["summary"], f"{shape.where}: 'summary'")
        inner.where = f"{shape.where}: summary"
        return cls(
            inner.get_int("sentences", len(sentences)),
            inner.get_int("flagged", sum(1 for s in sentences if s.flagged)),
            inner.count_map("by_severity") or _by_severity(sentences),
            inner.count_map("suppressed_by_check"),
        )


@dataclass(slots=True)
class RunDocument:
    """One audited document: its texts, sentences, blocks and summary, or why it failed.

    ``target`` is the full target text the sentence offsets point into (``None`` only in runs
    saved without it); ``error`` says why a document could not be audited.
    """

    id: str
    origin: str = ""
    source_lang: str = ""
    target_lang: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    unit: str = "document"
    error: str | None = None
    target: str | None = None
    source: str | None = None
    summary: Summary = field(default_factory=Summary)
    blocks: list[RunBlock] = field(default_factory=list)
    unaligned_source: list[SourceSentence] = field(default_factory=list)
    sentences: list[RunSentence] = field(default_factory=list)

    @classmethod
    def from_result(cls, result: DocumentResult) -> RunDocument:
        """The record of one audited document."""
        doc = result.document
        sentences = [RunSentence.from_result(s) for s in result.sentences]
        return cls(
            doc.id,
            doc.origin,
            doc.source_lang,
            doc.target_lang,
            doc.metadata,
            doc.unit,
            result.error,
            doc.target,
            doc.source,
            Summary.of(sentences, result.suppressed),
            [RunBlock.from_block(b) for b in result.blocks],
            [_source_sentence(s) for s in result.unaligned_source],
            sentences,
        )

    def to_dict(self) -> dict[str, Any]:
        """The document's JSON record (one line of ``--format jsonl``)."""
        return {
            "id": self.id,
            "origin": self.origin,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "metadata": self.metadata,
            "unit": self.unit,
            "error": self.error,
            "target": self.target,
            "source": self.source,
            "summary": self.summary.to_dict(),
            "blocks": [b.to_dict() for b in self.blocks],
            "unaligned_source": [s.to_dict() for s in self.unaligned_source],
            "sentences": [s.to_dict() for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, data: Any, origin: str | None = None, position: int = 0) -> RunDocument:
        """Read one document record; raise ``InputError`` naming ``origin`` and the place."""
        if not isinstance(data, dict) or type(data.get("id")) is not str:
            raise InputError(f"documents[{position}] has no string 'id'", path=origin)
        shape = _Shape(data, f"document {data['id']!r}", origin)
        raw = data.get("sentences")
        if raw is not None and not isinstance(raw, list):
            shape.fail(f"{shape.where}: 'sentences' is not a list")
        sentences = [
            RunSentence._read(shape.item(s, f"{shape.where}: sentences[{i}]"))
            for i, s in enumerate(raw or [])
        ]
        return cls(
            id=data["id"],
            origin=shape.get_str("origin", ""),
            source_lang=shape.get_str("source_lang", ""),
            target_lang=shape.get_str("target_lang", ""),
            metadata=shape.get_object("metadata"),
            unit=shape.get_str("unit", "document"),
            error=shape.opt_str("error"),
            target=shape.opt_str("target"),
            source=shape.opt_str("source"),
            summary=Summary._read(shape, sentences),
            blocks=[
                RunBlock._read(shape.item(b, f"{shape.where}: blocks[{i}]"))
                for i, b in enumerate(shape.get_list("blocks"))
            ],
            unaligned_source=[
                SourceSentence._read(shape.item(s, f"{shape.where}: unaligned_source[{i}]"))
                for i, s in enumerate(shape.get_list("unaligned_source"))
            ],
            sentences=sentences,
        )


def _source_sentence(sentence: Sentence) -> SourceSentence:
    return SourceSentence(sentence.index, sentence.text, sentence.start, sentence.end)


@dataclass(slots=True)
class RunSummary:
    """The whole run's counts: documents, sentences, flagged, unreadable, per severity."""

    documents: int = 0
    sentences: int = 0
    flagged: int = 0
    errors: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    suppressed_by_check: dict[str, int] = field(default_factory=dict)

    @property
    def suppressed(self) -> int:
        """Findings silenced by the configured suppressions."""
        return sum(self.suppressed_by_check.values())

    @classmethod
    def of(cls, documents: Iterable[RunDocument]) -> RunSummary:
        """The sums of the documents' summaries."""
        out = cls(by_severity={level.label: 0 for level in Severity})
        suppressed: Counter[str] = Counter()
        for doc in documents:
            out.add(doc, suppressed)
        out.suppressed_by_check = dict(suppressed)
        return out

    def add(self, doc: RunDocument, suppressed: Counter[str]) -> None:
        """Count one more document (its silenced findings into ``suppressed``)."""
        summary = doc.summary
        self.documents += 1
        self.sentences += summary.sentences
        self.flagged += summary.flagged
        self.errors += 1 if doc.error else 0
        for label, count in summary.by_severity.items():
            self.by_severity[label] = self.by_severity.get(label, 0) + count
        suppressed.update(summary.suppressed_by_check)

    def to_dict(self) -> dict[str, Any]:
        """The summary's JSON record (``suppressed`` fields only when something was)."""
        return {
            "documents": self.documents,
            "sentences": self.sentences,
            "flagged": self.flagged,
            "errors": self.errors,
            "by_severity": self.by_severity,
            **_suppressed(self.suppressed_by_check),
        }

    @classmethod
    def _read(cls, data: Any, documents: list[RunDocument], origin: str | None) -> RunSummary:
        counted = cls.of(documents)
        if data is None:
            return counted
        if not isinstance(data, dict):
            raise InputError("the run's 'summary' is not an object", path=origin)
        shape = _Shape(data, "the run's summary", origin)
        return cls(
            shape.get_int("documents", counted.documents),
            shape.get_int("sentences", counted.sentences),
            shape.get_int("flagged", counted.flagged),
            shape.get_int("errors", counted.errors),
            shape.count_map("by_severity") or counted.by_severity,
            shape.count_map("suppressed_by_check"),
        )


@dataclass(slots=True)
class Run:
    """A whole audit: the settings signature, the summary and every document.

    ``signature`` is the pipeline's signature object (see docs/json-schema.md): its ``text``
    identifies the settings and its ``signals`` say which model signals ran.
    """

    signature: dict[str, Any] = field(default_factory=dict)
    summary: RunSummary = field(default_factory=RunSummary)
    documents: list[RunDocument] = field(default_factory=list)

    @classmethod
    def of(cls, signature: dict[str, Any], documents: list[RunDocument]) -> Run:
        """A run of these documents, its summary added up from theirs."""
        return cls(signature, RunSummary.of(documents), documents)

    @classmethod
    def from_result(cls, result: RunResult) -> Run:
        """The typed run of an audit's results."""
        return cls.of(result.signature, [RunDocument.from_result(d) for d in result.documents])

    @property
    def signature_text(self) -> str:
        """The one-line settings signature (``""`` when the run has none)."""
        text = self.signature.get("text", "")
        return text if isinstance(text, str) else ""

    @property
    def signals(self) -> list[SignalStatus]:
        """Whether each model signal ran, and if not, why and how to fix it."""
        return [
            SignalStatus(s["name"], s["ran"], s.get("reason") or "", s.get("fix") or "")
            for s in self.signature.get("signals") or []
        ]

    def to_dict(self) -> dict[str, Any]:
        """The run as a JSON-ready dictionary (schema ``mtaudit.run/1``)."""
        return {
            "schema": SCHEMA,
            "signature": self.signature,
            "summary": self.summary.to_dict(),
            "documents": [d.to_dict() for d in self.documents],
        }

    @classmethod
    def from_dict(cls, data: Any, origin: str | None = None) -> Run:
        """Read a run object; raise ``InputError`` naming ``origin`` and what is wrong."""
        if not isinstance(data, dict):
            raise InputError("not a mtaudit run: expected a JSON object", path=origin)
        schema = data.get("schema")
        if schema != SCHEMA:
            raise InputError(
                f"unsupported run schema {schema!r}; this version reads {SCHEMA!r}", path=origin
            )
        raw = data.get("documents")
        if not isinstance(raw, list):
            raise InputError("the run has no 'documents' list", path=origin)
        signature = data.get("signature")
        if signature is None:
            signature = {}
        _check_signature(signature, origin)
        documents = [RunDocument.from_dict(d, origin, i) for i, d in enumerate(raw)]
        return cls(signature, RunSummary._read(data.get("summary"), documents, origin), documents)


def _check_signature(signature: Any, origin: str | None) -> None:
    if not isinstance(signature, dict):
        raise InputError("the run's 'signature' is not an object", path=origin)
    shape = _Shape(signature, "the run's signature", origin)
    shape.get_str("text", "")
    for i, status in enumerate(shape.get_list("signals")):
        item = shape.item(status, f"the run's signature: signals[{i}]")
        item.need_str("name")
        if type(status.get("ran")) is not bool:
            item.fail(f"{item.where} has no true or false 'ran'")
        item.get_str("reason", "")
        item.get_str("fix", "")


def documents_digest(run: Run) -> str:
    """Return a short SHA-256 digest of the run's documents (ids and target texts, in order).

    Two runs over the same articles share it whatever their settings; a corrections file records
    it so that ``mtaudit apply`` can tell when it is applied to other articles.
    """
    h = hashlib.sha256()
    for doc in run.documents:
        for part in (doc.id, doc.target or ""):
            data = part.encode("utf-8", "surrogatepass")
            h.update(len(data).to_bytes(8, "big"))
            h.update(data)
    return h.hexdigest()[:16]


# -- files -----------------------------------------------------------------------------------


def read_json(path: str | Path) -> Any:
    """Parse a JSON file (``-`` reads standard input); raise ``InputError`` when it cannot."""
    return parse_json(_read_text(path), str(path))


def _read_text(path: str | Path) -> str:
    name = str(path)
    try:
        return sys.stdin.read() if name == "-" else Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a JSON file", path=name) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=name) from None


def parse_json(text: str, name: str, line: int | None = None) -> Any:
    """Parse JSON ``text`` read from ``name`` (at ``line``, for one line of JSON Lines)."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        where = exc.lineno if line is None else line
        raise InputError(f"not valid JSON ({exc.msg})", path=name, line=where) from None
    except RecursionError:
        raise InputError("not valid JSON (nested too deeply)", path=name, line=line) from None
    except ValueError as exc:
        raise InputError(f"not valid JSON ({exc})", path=name, line=line) from None
    if _SURROGATE_ESCAPE.search(text):
        bad = _first_surrogate(data)
        if bad is not None:
            raise InputError(
                f"holds a lone surrogate (U+{ord(bad):04X}), half of a character, which is not "
                "valid text",
                path=name,
                line=line,
            )
    return data


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _no_constant(name: str) -> Any:
    """NaN and infinities are not JSON; runs written by older versions may hold them: null."""
    return None


def _first_surrogate(value: Any) -> str | None:
    """The first lone surrogate in any text of ``value`` (keys included), else ``None``."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            for char in item:
                if "\ud800" <= char <= "\udfff":
                    return char
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def load_run(path: str | Path) -> Run:
    """Read and check a saved run, in any form an audit writes one.

    The JSON run (``--format json``); the JSON Lines run (``--format jsonl``: a header line, a
    line per document, a summary line; without the summary line, as an interrupted run leaves
    it, the summary is counted from the documents); the results folder of ``--executor ray``
    (``run.json`` and ``part-*.jsonl``). ``-`` reads standard input. Raises ``InputError``
    naming the file and place when it is not one.
    """
    name = str(path)
    if name != "-" and Path(path).is_dir():
        return _load_results_folder(Path(path))
    text = _read_text(path)
    first = text.split("\n", 1)[0]
    if JSONL_SCHEMA in first and _schema_of(first) == JSONL_SCHEMA:
        return _load_jsonl(text, name)
    return Run.from_dict(parse_json(text, name), origin=name)


def _schema_of(line: str) -> Any:
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return data.get("schema") if isinstance(data, dict) else None


def _json_lines(text: str, name: str) -> list[tuple[int, Any]]:
    return [
        (number, parse_json(line, name, number))
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    ]


def _load_jsonl(text: str, name: str) -> Run:
    """A JSON Lines run; ``load_run`` has seen its first line is the header."""
    (_, header), *records = _json_lines(text, name)
    signature, summary = header.get("signature"), None
    # the summary line holds the run's summary and final signature; a document has an id
    last = records[-1][1] if records else None
    if isinstance(last, dict) and "summary" in last and "id" not in last:
        records = records[:-1]
        signature, summary = last.get("signature", signature), last["summary"]
    documents = [record for _, record in records]
    if summary is None:
        log.warning(
            "%s: no summary line, the run did not finish; reading its %d document(s)",
            name,
            len(documents),
        )
    return Run.from_dict(
        {"schema": SCHEMA, "signature": signature, "summary": summary, "documents": documents},
        origin=name,
    )


def _load_results_folder(folder: Path) -> Run:
    shards = sorted(folder.glob(RESULTS_SHARDS))
    head_path = folder / RESULTS_HEAD
    if head_path.is_file():
        head = read_json(head_path)
        if not isinstance(head, dict):
            raise InputError("not a mtaudit run: expected a JSON object", path=str(head_path))
    elif shards:
        log.warning(
            "%s: no run.json, the run did not finish; reading its %d shard(s)", folder, len(shards)
        )
        head = {"schema": SCHEMA}
    else:
        raise InputError(
            "not an --executor ray results folder (no run.json, no part-*.jsonl)", path=str(folder)
        )
    documents = [
        record for shard in shards for _, record in _json_lines(_read_text(shard), str(shard))
    ]
    return Run.from_dict({**head, "documents": documents}, origin=str(folder))
