"""Alignment, judge and gate as small tables; the pipeline on hand-made documents."""

from __future__ import annotations

import pytest

from mtaudit.align import AlignSettings, align_lengths
from mtaudit.config import Config
from mtaudit.errors import InputError, UsageError
from mtaudit.gate import Budget, evaluate
from mtaudit.judge import Judge
from mtaudit.pipeline import Auditor, audit, prepare
from mtaudit.reports.json_report import run_to_dict
from mtaudit.runfile import Run
from mtaudit.settings import settings_of
from mtaudit.types import (
    Document,
    Finding,
    Pair,
    Sentence,
    Severity,
    SignalOutput,
    SignalStatus,
)

CONFIG = Config.load()


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ([100, 50, 80], [112, 56, 90], [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]),
        ([100, 100], [56, 56, 112], [((0,), (0, 1)), ((1,), (2,))]),
        ([50, 50, 100], [112, 112], [((0, 1), (0,)), ((2,), (1,))]),
        ([100, 120, 100], [112, 112], [((0,), (0,)), ((1,), ()), ((2,), (1,))]),
        ([100, 4, 100], [112, 112], [((0, 1), (0,)), ((2,), (1,))]),
        ([], [30], [((), (0,))]),
        ([], [], []),
    ],
)
def test_align_lengths(source: list[int], target: list[int], expected: list[object]) -> None:
    assert align_lengths(source, target, settings_of(CONFIG, AlignSettings)) == expected


def test_judge_rules_combine_findings() -> None:
    judge = Judge.from_config(CONFIG.with_overrides({"judge.model": "rules"}))
    p = Pair("d", Sentence(0, "Some sentence to judge.", 0, 23), None)
    assert judge.judge(p, [], {}).severity is Severity.NONE
    minor = judge.judge(p, [Finding("x", Severity.MINOR, "m", (0, 2))], {})
    assert minor.severity is Severity.MINOR and not minor.flagged and minor.basis == ["rules"]
    two = judge.judge(
        p,
        [Finding("x", Severity.MAJOR, "a", (4, 6)), Finding("y", Severity.MAJOR, "b", (0, 2))],
        {},
    )
    assert two.flagged and two.severity is Severity.MAJOR and two.risk == pytest.approx(0.84)
    assert two.spans == [(0, 2), (4, 6)]
    critical = judge.judge(p, [Finding("z", Severity.CRITICAL, "c")], {})
    assert critical.severity is Severity.CRITICAL and 0 <= critical.risk <= 1


@pytest.mark.parametrize(
    ("text", "flagged", "sentences", "allowed"),
    [("3", 0, 10, 3), ("10%", 0, 25, 2), ("0", 0, 5, 0), ("100%", 0, 7, 7), ("5%", 0, 0, 0)],
)
def test_budget(text: str, flagged: int, sentences: int, allowed: int) -> None:
    assert Budget.parse(text).allows(flagged, sentences) == allowed


@pytest.mark.parametrize("bad", ["", "x", "-1", "1.5", "150%", "5 %%"])
def test_bad_budget(bad: str) -> None:
    with pytest.raises(UsageError):
        Budget.parse(bad)


def _run(*docs: Document | InputError) -> dict[str, object]:
    return run_to_dict(audit(list(docs), CONFIG, signals=[]))


def test_gate_per_run_and_per_document() -> None:
    run = _run(
        Document("bad", "Institutions controlled or controlled by them. Fine text here."),
        Document("good", "All is well in the city today. Nothing more."),
    )
    typed = Run.from_dict(run)
    assert evaluate(typed, Budget.parse("1"), None).passed
    assert not evaluate(typed, Budget.parse("0"), None).passed
    result = evaluate(typed, None, Budget.parse("25%"))
    assert not result.passed and result.failures[0].startswith("bad:")


def test_failed_documents_pass_through() -> None:
    run = _run(InputError("malformed JSON", "feed.jsonl", 7), Document("ok", "Fine."))
    docs = run["documents"]  # type: ignore[index]
    assert docs[0]["id"] == "feed.jsonl:7" and "malformed" in docs[0]["error"]
    assert docs[1]["error"] is None and run["summary"]["errors"] == 1  # type: ignore[index]


def test_empty_target_document() -> None:
    run = _run(Document("empty", "   "))
    assert run["summary"]["sentences"] == 0  # type: ignore[index]


def test_unaligned_source_is_reported() -> None:
    doc = Document(
        "d",
        "The council met on Tuesday in the capital.",
        "اجتمع المجلس يوم الثلاثاء في العاصمة. وقال الرئيس إن الاجتماع كان طويلا جدا "
        "وناقش فيه الأعضاء قضايا كثيرة تتعلق بالمياه والكهرباء والطرق.",
    )
    run = _run(doc)
    [result] = run["documents"]  # type: ignore[index]
    assert len(result["unaligned_source"]) == 1


def test_signature_names_checks_and_config() -> None:
    run = _run(Document("d", "Fine."))
    signature = run["signature"]  # type: ignore[index]
    assert signature["checks"][0] == "numbers" and len(signature["config_digest"]) == 12
    assert signature["text"].startswith("mtaudit:")


def test_unknown_signal_is_a_config_error() -> None:
    from mtaudit.errors import ConfigError

    with pytest.raises(ConfigError):
        audit([Document("d", "x")], CONFIG, signals=["telepathy"])


@pytest.mark.parametrize(
    ("texts", "calls"),
    [
        # a large document moves a slice (256 sentences) at a time, small ones one call each
        (["One sentence here. " * 1200], [256, 256, 256, 256, 176]),
        (["One sentence here. " * 512], [256, 256]),
        (["One. Two.", "Three."], [2, 1]),
        (["One. Two.", "", "Three."], [2, 0, 1]),
    ],
)
def test_progress_counts_sentences(texts: list[str], calls: list[int]) -> None:
    seen: list[int] = []
    docs = [Document(id=str(i), target=t) for i, t in enumerate(texts)]
    audit(docs, Config.load(), signals=[], progress=seen.append)
    assert seen == calls


def _numbered_article(sentences: int) -> str:
    """Distinct sentences in paragraphs of ten, some with faults the checks find."""
    words = ["council", "budget", "water", "project", "district", "minister", "station"]
    paras = []
    for p in range(sentences // 10):
        row = []
        for j in range(10):
            n = p * 10 + j
            w = words[n % len(words)]
            faulty = " the the" if n % 37 == 0 else ""
            row.append(f"The {w} report{faulty} number {n} was read by {n % 13 + 2} officials.")
        paras.append(" ".join(row))
    return "\n\n".join(paras)


def test_progress_moves_within_one_large_document() -> None:
    calls: list[tuple[str, int]] = []
    stages: list[str] = []
    auditor = Auditor(Config.load(), signals=[])
    document = Document(id="big", target=_numbered_article(3000))
    results = auditor.audit_batch(
        [document],
        progress=lambda n: calls.append(("progress", n)),
        stage=lambda name: stages.append(name),
    )
    sentences = len(results[0].sentences)
    assert sentences == 3000
    assert [n for _, n in calls] == [256] * 11 + [3000 - 11 * 256]
    assert sum(n for _, n in calls) == sentences
    checks = len(auditor.checks)
    assert stages == [
        "segmenting",
        "aligning",
        *(f"checking {k}/{checks}" for k in range(1, checks + 1)),
        "judging",
        "",
    ]
    # the same verdicts as without progress
    again = Auditor(Config.load(), signals=[]).audit_batch([document])
    assert [(s.verdict, s.findings) for s in again[0].sentences] == [
        (s.verdict, s.findings) for s in results[0].sentences
    ]


def test_small_batches_name_no_stages() -> None:
    stages: list[str] = []
    Auditor(Config.load(), signals=[]).audit_batch(
        [Document("d", "One. Two.")], stage=stages.append
    )
    assert stages == []


class _LengthSignal:
    """A signal that can run when asked to: the target's length in characters."""

    def __init__(self, name: str, can_run: bool) -> None:
        self.name = name
        self.can_run = can_run

    def status(self, pairs: object) -> list[SignalStatus]:
        return [SignalStatus(self.name, self.can_run, "" if self.can_run else "no model")]

    def score(self, pairs: list[Pair]) -> list[SignalOutput]:
        return [SignalOutput(values={"chars": float(len(p.target.text))}) for p in pairs]


@pytest.mark.parametrize(
    ("runnable", "stages"),
    [
        ({"fluency": True, "fidelity": True}, ["scoring fluency", "scoring fidelity"]),
        ({"fluency": False, "fidelity": True}, ["scoring fidelity"]),
        ({"fluency": False, "fidelity": False}, []),
    ],
)
def test_scoring_names_each_signal_that_runs(runnable: dict[str, bool], stages: list[str]) -> None:
    from mtaudit.pipeline import run_signals

    pairs = prepare(Document("d", "One. Two."), CONFIG).pairs
    signals = [_LengthSignal(name, ok) for name, ok in runnable.items()]
    heard: list[str] = []
    _, outputs = run_signals(signals, pairs, strict=False, stage=heard.append)
    assert heard == stages
    assert [name for name, _ in outputs] == [s.split()[1] for s in stages]
