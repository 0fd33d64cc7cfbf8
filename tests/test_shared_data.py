"""The seed article and FLORES-dev through the whole pipeline (skipped without the data)."""

from __future__ import annotations

import json
from pathlib import Path

from mtaudit.config import Config
from mtaudit.io import read_inputs
from mtaudit.io.feed import read_jsonl
from mtaudit.pipeline import audit
from mtaudit.reports.json_report import run_to_dict
from tests.helpers.scripts import load_script


def test_seed_article_flags_the_broken_sentences(shared_data: Path) -> None:
    seed = shared_data / "seed" / "shafaq-2021-07-31.en.txt"
    run = run_to_dict(audit(read_inputs([str(seed)]), Config.load(), signals=[]))
    [doc] = run["documents"]
    flagged = [s["text"] for s in doc["sentences"] if s["flagged"]]
    assert any("controlled or controlled" in t for t in flagged)
    assert any("in addition to To the broader issue" in t for t in flagged)
    # The comment form is reported as a non-prose block, never as sentences.
    assert any(b["reason"] == "comment section" for b in doc["blocks"])
    assert not any("commenting using" in s["text"] for s in doc["sentences"])
    assert not any("Log\xa0Out" in s["text"] for s in doc["sentences"])


def test_flores_feed_runs_end_to_end(shared_data: Path) -> None:
    flores = load_script("flores_checks")
    feed_lines, systems = flores.feed_lines, flores.systems
    data = shared_data / "flores-dev" / "ar-en"
    assert "argos" in systems(data)
    lines = feed_lines(data, "argos")
    assert len(lines) == 997 and json.loads(lines[0])["source"]
    run = audit(read_jsonl("\n".join(lines), "argos.jsonl", "ar", "en"), Config.load(), signals=[])
    assert len(run.documents) == 997 and all(d.error is None for d in run.documents)
    assert 0 < run.flagged_count < run.sentence_count / 4
