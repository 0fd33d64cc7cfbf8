"""Apply a reviewer's corrections (schema ``mtaudit.corrections/1``) to the audited articles.

The HTML report exports what a reviewer decided for each sentence (see
docs/corrections-schema.md). The JSON run the report was made from holds every document's full
target text and each sentence's offsets into it, so applying is exact: corrected sentences are
replaced back to front, and everything between them (spaces, paragraph breaks, non-article
blocks) stays as it was.

Nothing is applied unless every decision still matches the run: a decision for an unknown
article, a missing sentence, a sentence whose text or offsets differ, or sentences whose spans
overlap (a hand-edited run) is an error that names each mismatch, because a correction written
for other text would corrupt the article. Control characters in a corrected text (invisible in
the report; the encoding check would flag them) are removed, and a note says so.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import Any

from mtaudit.checks.encoding import CONTROL_CHARS
from mtaudit.errors import InputError
from mtaudit.runfile import SCHEMA as RUN_SCHEMA
from mtaudit.runfile import Run, RunSentence, documents_digest

CORRECTIONS_SCHEMA = "mtaudit.corrections/1"
"""The corrections schema this version reads and the HTML report writes."""

DECISIONS = ("fine", "corrected")
"""What a reviewer can decide of a sentence."""

_MAX_LISTED = 10


@dataclass(frozen=True)
class Correction:
    """One reviewer decision on one target sentence (an entry of a corrections file)."""

    document: str
    sentence: int
    start: int
    end: int
    original: str
    corrected: str | None
    decision: str


@dataclass
class Corrections:
    """A parsed corrections file: the run it came from and the decisions, in file order."""

    entries: list[Correction]
    run_signature: str = ""
    documents_digest: str = ""


@dataclass
class CorrectedDocument:
    """A document's target text with the corrections applied, and what was applied."""

    id: str
    text: str
    corrected: int = 0
    fine: int = 0


@dataclass
class ApplyResult:
    """The corrected documents (in run order) and notes worth telling the user."""

    documents: list[CorrectedDocument]
    notes: list[str] = field(default_factory=list)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= n else text[: n - 1] + "…")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_corrections(obj: Any, origin: str | None = None) -> Corrections:
    """Check a decoded corrections file and turn it into ``Corrections``.

    Raises ``InputError`` (naming ``origin``) for another schema or malformed entries.
    """
    if not isinstance(obj, dict):
        raise InputError("not a corrections file: expected a JSON object", path=origin)
    schema = obj.get("schema")
    if schema != CORRECTIONS_SCHEMA:
        hint = " (this is a run; give it with --run)" if schema == RUN_SCHEMA else ""
        raise InputError(
            f"unsupported corrections schema {schema!r}; expected {CORRECTIONS_SCHEMA!r}{hint}",
            path=origin,
        )
    raw = obj.get("corrections")
    if not isinstance(raw, list):
        raise InputError("the file has no 'corrections' list", path=origin)
    entries: list[Correction] = []
    problems: list[str] = []
    for i, e in enumerate(raw):
        where = f"corrections[{i}]"
        if not isinstance(e, dict):
            problems.append(f"{where} is not an object")
            continue
        missing = [k for k in ("document", "original") if not isinstance(e.get(k), str)]
        missing += [k for k in ("sentence", "start", "end") if not _is_int(e.get(k))]
        if missing:
            problems.append(f"{where} lacks {', '.join(missing)}")
            continue
        decision = e.get("decision")
        corrected = e.get("corrected")
        if decision not in DECISIONS:
            problems.append(f"{where} has decision {decision!r}; expected 'fine' or 'corrected'")
            continue
        if decision == "corrected" and not isinstance(corrected, str):
            problems.append(f"{where} is 'corrected' but its 'corrected' text is not a string")
            continue
        entries.append(
            Correction(
                document=e["document"],
                sentence=e["sentence"],
                start=e["start"],
                end=e["end"],
                original=e["original"],
                corrected=corrected if decision == "corrected" else None,
                decision=decision,
            )
        )
    if problems:
        raise InputError(_listing("malformed corrections", problems), path=origin)
    run_info = obj.get("run")
    run: dict[str, Any] = run_info if isinstance(run_info, dict) else {}
    return Corrections(
        entries=entries,
        run_signature=str(run.get("signature") or ""),
        documents_digest=str(run.get("documents_digest") or ""),
    )


def _listing(title: str, problems: list[str]) -> str:
    shown = problems[:_MAX_LISTED]
    more = len(problems) - len(shown)
    text = f"{title} ({len(problems)}):\n  " + "\n  ".join(shown)
    return text + (f"\n  ... and {more} more" if more else "")


def apply_corrections(run: Run, corrections: Corrections, origin: str | None = None) -> ApplyResult:
    """Apply ``corrections`` to the target texts of ``run``.

    Every document of the run is returned, corrected or not. Raises ``InputError`` listing every
    decision that does not match the run (unknown document or sentence, changed text or
    offsets, two decisions for one sentence, overlapping sentences); then nothing is applied.
    Control characters are removed from corrected texts, with a note.
    """
    docs = {d.id: d for d in run.documents}
    problems: list[str] = []
    by_doc: dict[str, dict[int, Correction]] = {}
    indexed: dict[str, dict[int, list[RunSentence]]] = {}
    for c in corrections.entries:
        doc = docs.get(c.document)
        if doc is None:
            problems.append(f"unknown document {c.document!r}")
            continue
        target = doc.target
        if target is None:
            problems.append(f"document {c.document!r} has no target text in the run")
            continue
        if c.document not in indexed:
            by_index: dict[int, list[RunSentence]] = {}
            for s in doc.sentences:
                by_index.setdefault(s.index, []).append(s)
            indexed[c.document] = by_index
        found = indexed[c.document].get(c.sentence, [])
        if not found:
            problems.append(f"document {c.document!r} has no sentence {c.sentence}")
            continue
        if len(found) > 1:
            problems.append(
                f"{c.document!r} sentence {c.sentence}: the run has {len(found)} sentences with"
                " this index (the run is inconsistent)"
            )
            continue
        sentence = found[0]
        if sentence.text != c.original:
            problems.append(
                f"{c.document!r} sentence {c.sentence}: the run reads {_short(sentence.text)},"
                f" the correction was made on {_short(c.original)}"
            )
            continue
        if (sentence.start, sentence.end) != (c.start, c.end):
            problems.append(
                f"{c.document!r} sentence {c.sentence}: offsets {c.start}-{c.end} differ from the"
                f" run's {sentence.start}-{sentence.end}"
            )
            continue
        if not 0 <= c.start <= c.end <= len(target) or target[c.start : c.end] != c.original:
            problems.append(
                f"{c.document!r} sentence {c.sentence}: the run's target text at {c.start}-{c.end}"
                f" is not the sentence (the run is inconsistent)"
            )
            continue
        seen = by_doc.setdefault(c.document, {})
        if c.sentence in seen:
            problems.append(f"{c.document!r} sentence {c.sentence}: two decisions")
            continue
        seen[c.sentence] = c
    problems += _overlaps(by_doc)
    if problems:
        raise InputError(_listing("the corrections do not match this run", problems), path=origin)

    notes: list[str] = []
    by_doc, cleaned, codes = _without_controls(by_doc)
    if cleaned:
        notes.append(
            f"removed control characters ({', '.join(codes)}) from {cleaned} corrected"
            f" sentence{'s' if cleaned > 1 else ''}"
        )
    digest = documents_digest(run)
    if corrections.documents_digest and corrections.documents_digest != digest:
        notes.append(
            "the corrections were exported from a report of other articles; "
            "every corrected sentence still matches this run"
        )
    signature = run.signature_text
    if corrections.run_signature and signature and corrections.run_signature != signature:
        notes.append(
            "the run's settings differ from those the reviewer saw; "
            "the sentences match, so the corrections apply"
        )

    out: list[CorrectedDocument] = []
    for doc_id, doc in docs.items():
        text = doc.target or ""
        decided = by_doc.get(doc_id, {})
        result = CorrectedDocument(id=doc_id, text=text)
        for c in sorted(decided.values(), key=lambda c: c.start, reverse=True):
            if c.decision == "corrected" and c.corrected is not None:
                text = text[: c.start] + c.corrected + text[c.end :]
                result.corrected += 1
            else:
                result.fine += 1
        result.text = text
        out.append(result)
    return ApplyResult(documents=out, notes=notes)


def _overlaps(by_doc: dict[str, dict[int, Correction]]) -> list[str]:
    """The decided sentences whose spans overlap: applying both would corrupt the text."""
    problems: list[str] = []
    for doc_id, decided in by_doc.items():
        ordered = sorted(decided.values(), key=lambda c: (c.start, c.end))
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.start < before.end:
                problems.append(
                    f"{doc_id!r} sentences {before.sentence} and {after.sentence}: their spans"
                    f" {before.start}-{before.end} and {after.start}-{after.end} overlap"
                    " (the run is inconsistent)"
                )
    return problems


# the control characters the encoding check flags (tab and line feed, which a reviewer may type,
# are not among them), less U+FFFD, which is text
_CONTROLS = re.compile(f"[{CONTROL_CHARS}]")


def _without_controls(
    by_doc: dict[str, dict[int, Correction]],
) -> tuple[dict[str, dict[int, Correction]], int, list[str]]:
    """The decisions with control characters removed from corrected texts.

    Also returns how many corrected texts had any, and which characters (as ``U+XXXX``).
    """
    codes: set[str] = set()
    changed = 0
    out: dict[str, dict[int, Correction]] = {}
    for doc_id, decided in by_doc.items():
        out[doc_id] = {}
        for index, c in decided.items():
            if c.corrected is not None and (found := _CONTROLS.findall(c.corrected)):
                codes.update(f"U+{ord(ch):04X}" for ch in found)
                c = replace(c, corrected=_CONTROLS.sub("", c.corrected))
                changed += 1
            out[doc_id][index] = c
    return out, changed, sorted(codes)


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def output_name(doc_id: str, suffix: str = ".txt") -> str:
    """Return a safe, unique file name for a document id (ids may hold slashes, colons, any script).

    Ids made only of letters, digits, ``.``, ``_`` and ``-`` are kept; others are cleaned and
    get a short hash of the id so that two ids never share a name.
    """
    clean = _UNSAFE.sub("_", doc_id).strip("._")[:100] or "document"
    if clean != doc_id:
        clean += "-" + hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return clean if clean.endswith(suffix) else clean + suffix
