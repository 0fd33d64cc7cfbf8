"""Baselines: the problems a feed already had, so that the gate fails only on new ones.

A *problem* is a sentence the judge flagged or gave a severity. It is identified by its
document id, its normalised text and the ids of the checks that fired on it; positions are not
part of the key, so inserting, removing or reordering sentences leaves the other problems
matched, and a sentence that is corrected (its text changes) and breaks again is a new problem.
Entries marked ``accepted`` (by hand in the file, or imported from the HTML report's corrections
export, where the reviewer marked the sentence *fine*) keep the sentence quiet until its text
changes. The file format is ``mtaudit.baseline/1`` (docs/baseline.md).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mtaudit import __version__
from mtaudit.atomic import write_text_atomic
from mtaudit.errors import InputError
from mtaudit.runfile import Run, RunSentence, read_json

SCHEMA = "mtaudit.baseline/1"
CORRECTIONS_SCHEMA = "mtaudit.corrections/1"

Key = tuple[str, str, tuple[str, ...]]
"""(document id, normalised sentence text, sorted check ids)."""

_SPACE = re.compile(r"\s+")

NEW, KNOWN, ACCEPTED = "new", "known", "accepted"


def normalise(text: str) -> str:
    """The form of a sentence used for matching: NFC, whitespace collapsed, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def make_key(document: str, text: str, checks: Iterable[str]) -> Key:
    """The matching key of a problem."""
    return (document, normalise(text), tuple(sorted(set(checks))))


def is_problem(sentence: RunSentence) -> bool:
    """Whether a run's sentence is a problem (flagged, or any severity)."""
    return sentence.is_problem


def sentence_key(document: str, sentence: RunSentence) -> Key:
    """The key of a run's sentence."""
    return make_key(document, sentence.text, (c.id for c in sentence.checks))


@dataclass
class Entry:
    """One problem in a baseline file."""

    key: Key
    severity: str = ""
    reasons: list[str] = field(default_factory=list)
    accepted: bool = False
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The entry as written to the file."""
        document, text, checks = self.key
        out: dict[str, Any] = {
            "document": document,
            "text": text,
            "checks": list(checks),
            "severity": self.severity,
            "reasons": self.reasons,
            "accepted": self.accepted,
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Baseline:
    """A set of known problems (a multiset: a document may repeat a broken sentence)."""

    entries: list[Entry] = field(default_factory=list)

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        """Read a baseline file; raise ``InputError`` naming the file when it is not one."""
        data = read_json(path)
        name = str(path)
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            found = data.get("schema") if isinstance(data, dict) else None
            raise InputError(f"not a baseline: schema {found!r}, expected {SCHEMA!r}", path=name)
        problems = data.get("problems")
        if not isinstance(problems, list):
            raise InputError("the baseline has no 'problems' list", path=name)
        entries = []
        for i, item in enumerate(problems):
            ok = (
                isinstance(item, dict)
                and isinstance(item.get("document"), str)
                and isinstance(item.get("text"), str)
                and isinstance(item.get("checks"), list)
                and all(isinstance(c, str) for c in item["checks"])
            )
            if not ok:
                raise InputError(
                    f"problems[{i}] needs a string 'document', a string 'text' and a list of "
                    "check ids 'checks'",
                    path=name,
                )
            entries.append(
                Entry(
                    make_key(item["document"], item["text"], item["checks"]),
                    severity=str(item.get("severity", "")),
                    reasons=_texts(item.get("reasons")),
                    accepted=item.get("accepted") is True,
                    note=str(item.get("note", "")),
                )
            )
        return cls(entries)

    def accept_corrections(self, path: str | Path) -> int:
        """Add the sentences a reviewer marked *fine* in a corrections export as accepted.

        Returns how many were added. Raises ``InputError`` when the file is not an export.
        """
        data = read_json(path)
        if not isinstance(data, dict) or data.get("schema") != CORRECTIONS_SCHEMA:
            found = data.get("schema") if isinstance(data, dict) else None
            raise InputError(
                f"not a corrections export: schema {found!r}, expected {CORRECTIONS_SCHEMA!r}",
                path=str(path),
            )
        added = 0
        for item in data.get("corrections") or []:
            if not isinstance(item, dict) or item.get("decision") != "fine":
                continue
            verdict = item.get("verdict")
            if not isinstance(verdict, dict):
                verdict = {}
            checks = _texts(verdict.get("checks"))
            document, original = item.get("document"), item.get("original")
            if not isinstance(document, str) or not isinstance(original, str):
                continue
            self.entries.append(
                Entry(
                    make_key(document, original, checks),
                    severity=str(verdict.get("severity", "")),
                    reasons=_texts(verdict.get("reasons")),
                    accepted=True,
                    note=f"marked fine by a reviewer ({item.get('decided_at', 'undated')})",
                )
            )
            added += 1
        return added

    def classify(self, run: Run) -> dict[tuple[int, int], str]:
        """Say of every problem in ``run`` whether it is new, known or accepted.

        Keys are (document position, sentence position). Accepted entries are matched first,
        then known ones; each entry matches at most as many sentences as it occurs in the file.
        """
        accepted = Counter(e.key for e in self.entries if e.accepted)
        known = Counter(e.key for e in self.entries if not e.accepted)
        out: dict[tuple[int, int], str] = {}
        for d, doc in enumerate(run.documents):
            if doc.error:
                continue
            for s, sent in enumerate(doc.sentences):
                if not sent.is_problem:
                    continue
                key = sentence_key(doc.id, sent)
                if accepted[key] > 0:
                    accepted[key] -= 1
                    out[(d, s)] = ACCEPTED
                elif known[key] > 0:
                    known[key] -= 1
                    out[(d, s)] = KNOWN
                else:
                    out[(d, s)] = NEW
        return out

    def updated(self, run: Run) -> Baseline:
        """The baseline for ``run``: every current problem, keeping accepted marks and notes.

        Entries whose sentence is gone (fixed, changed or removed) are dropped; those of
        documents that could not be read this time are kept as they were.
        """
        unread = {doc.id for doc in run.documents if doc.error}
        kept: dict[Key, list[Entry]] = {}
        for entry in sorted(self.entries, key=lambda e: not e.accepted):
            kept.setdefault(entry.key, []).append(entry)
        entries: list[Entry] = []
        for doc in run.documents:
            if doc.error:
                continue
            for sent in doc.sentences:
                if not sent.is_problem:
                    continue
                key = sentence_key(doc.id, sent)
                previous = kept.get(key)
                old = previous.pop(0) if previous else None
                entries.append(
                    Entry(
                        key,
                        severity=sent.severity.label,
                        reasons=list(sent.reasons),
                        accepted=bool(old and old.accepted),
                        note=old.note if old else "",
                    )
                )
        entries += [e for e in self.entries if e.key[0] in unread]
        return Baseline(entries)

    def to_dict(self, signature: str = "") -> dict[str, Any]:
        """The file's content (entries sorted so that diffs stay small)."""
        ordered = sorted(self.entries, key=lambda e: (e.key[0], e.key[1], e.key[2]))
        return {
            "schema": SCHEMA,
            "generator": f"mtaudit {__version__}",
            "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "signature": signature,
            "problems": [e.to_dict() for e in ordered],
        }

    def write(self, path: str | Path, signature: str = "") -> None:
        """Write the baseline atomically (a reader sees the old file or the new one)."""
        text = json.dumps(self.to_dict(signature), ensure_ascii=False, indent=2) + "\n"
        write_text_atomic(text, path)


def _texts(value: Any) -> list[str]:
    """A list of texts from a file's list field; anything but a list (a hand edit) is none."""
    return [str(v) for v in value] if isinstance(value, list) else []
