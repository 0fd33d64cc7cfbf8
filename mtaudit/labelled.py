"""Labelled sentences for ``mtaudit calibrate`` and ``mtaudit eval``.

A labelled set is a JSONL feed or a TSV/CSV table, one translated segment a record, with
``target`` (required), ``source`` and ``id``, and its label in one of three forms:

- **explicit**: ``label`` (1 = broken, 0 = sound), optionally ``score`` (larger = worse, for
  Kendall's tau); a ``score`` alone is labelled broken at ``score >= score_threshold``.
- **post-edit**: ``corrected`` (the reviewer's correction): the edit rate TER(target, corrected)
  is the score, and broken is ``TER >= edit_threshold``. The HTML report's corrections export
  (``mtaudit.corrections/1`` JSON) is read directly: a sentence marked fine is its own
  correction (edit rate 0).
- **reference**: ``reference`` (a human translation): 100 - chrF(target, reference) is the score;
  where three or more systems translated the same source (``group``, else the source text), a
  segment is broken when its chrF is more than ``margin`` points below the group's median, else
  when its chrF is below ``chrf_threshold``.

``group`` names the source sentence a record translates (the source text by default), so that
cross-validation never splits one source sentence across folds.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from mtaudit.errors import InputError
from mtaudit.io import read_inputs
from mtaudit.runfile import read_json
from mtaudit.types import Document


@dataclass
class Labelled:
    """One labelled segment: the document to audit, its 0/1 label, score and source group."""

    document: Document
    label: int
    score: float
    group: str
    form: str


@dataclass(frozen=True)
class LabelRules:
    """How labels are derived from post-edits, references and scores."""

    margin: float = 10.0
    chrf_threshold: float = 40.0
    edit_threshold: float = 0.3
    score_threshold: float = 0.5


def _number(value: object, what: str, doc: Document) -> float:
    try:
        return float(str(value).strip())
    except ValueError:
        raise InputError(f"field '{what}' must be a number, got {value!r}", doc.origin) from None


def read_labelled(
    paths: list[str],
    rules: LabelRules = LabelRules(),
    source_lang: str = "ar",
    target_lang: str = "en",
) -> list[Labelled]:
    """Read labelled sets; raise ``InputError`` naming the first bad record."""
    from mtaudit.text.compare import compare

    docs: list[Document] = []
    feeds = []
    for path in paths:
        exported = _corrections(path, source_lang, target_lang)
        if exported is None:
            feeds.append(path)
        else:
            docs.extend(exported)
    for item in (
        read_inputs(feeds, source_lang=source_lang, target_lang=target_lang) if feeds else []
    ):
        if isinstance(item, InputError):
            raise item
        item.unit = "segment"
        docs.append(item)
    out: list[Labelled] = []
    by_group: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for doc in docs:
        meta = doc.metadata
        group = str(meta.get("group") or (doc.source or doc.id).strip())
        if "label" in meta and str(meta["label"]).strip() != "":
            label = _number(meta["label"], "label", doc)
            if label not in (0.0, 1.0):
                raise InputError(f"field 'label' must be 0 or 1, got {meta['label']!r}", doc.origin)
            score = (
                _number(meta["score"], "score", doc)
                if meta.get("score") not in (None, "")
                else label
            )
            out.append(Labelled(doc, int(label), score, group, "explicit"))
        elif meta.get("score") not in (None, ""):
            score = _number(meta["score"], "score", doc)
            out.append(Labelled(doc, int(score >= rules.score_threshold), score, group, "explicit"))
        elif isinstance(meta.get("corrected"), str):
            edits = compare(doc.target, str(meta["corrected"]), doc.target_lang, ("ter",)).ter
            assert edits is not None  # asked for
            ter = edits / 100.0
            out.append(Labelled(doc, int(ter >= rules.edit_threshold), ter, group, "post-edit"))
        elif isinstance(meta.get("reference"), str) and str(meta["reference"]).strip():
            chrf = compare(doc.target, str(meta["reference"]), doc.target_lang).chrf
            by_group[group].append((len(out), chrf))
            out.append(
                Labelled(doc, int(chrf < rules.chrf_threshold), 100.0 - chrf, group, "reference")
            )
        else:
            raise InputError(
                "record has no label: give 'label' (0/1), 'score', 'corrected' or 'reference'",
                doc.origin,
            )
    for members in by_group.values():
        if len(members) >= 3:
            median = statistics.median(c for _, c in members)
            for index, chrf in members:
                out[index].label = int(chrf < median - rules.margin)
    return out


def _corrections(path: str, source_lang: str, target_lang: str) -> list[Document] | None:
    """The entries of a corrections export as post-edited segments; ``None`` for other files."""
    if not path.endswith(".json"):
        return None
    data = read_json(path)
    if not isinstance(data, dict) or data.get("schema") != "mtaudit.corrections/1":
        raise InputError("not a corrections export (schema mtaudit.corrections/1)", path)
    entries = data.get("corrections", [])
    if not isinstance(entries, list):
        raise InputError("'corrections' is not a list of corrections", path)
    out = []
    for number, entry in enumerate(entries, start=1):
        original = entry.get("original") if isinstance(entry, dict) else None
        if not isinstance(original, str):
            raise InputError(f"correction {number} has no 'original' text", path)
        corrected = entry.get("corrected")
        source = entry.get("source")
        out.append(
            Document(
                id=f"{entry.get('document')}:{entry.get('sentence')}",
                target=original,
                source=source if isinstance(source, str) and source.strip() else None,
                source_lang=source_lang,
                target_lang=target_lang,
                origin=f"{path}:{number}",
                metadata={"corrected": corrected if isinstance(corrected, str) else original},
                unit="segment",
            )
        )
    return out


def describe(rows: list[Labelled], paths: list[str]) -> str:
    """One line saying what was read."""
    forms = sorted({r.form for r in rows})
    broken = sum(r.label for r in rows)
    share = broken / len(rows) if rows else 0.0
    names = ", ".join(Path(p).name for p in paths)
    return (
        f"{len(rows):,} labelled segments from {names} ({', '.join(forms) or 'none'}): "
        f"{broken:,} broken ({share:.1%}), {len({r.group for r in rows}):,} source sentences"
    )
