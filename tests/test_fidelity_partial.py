"""Partial coverage: with no model on disk, fidelity scores exactly the cached sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtaudit.config import Config
from mtaudit.pipeline import audit
from mtaudit.signals.fidelity import FidelitySignal
from mtaudit.types import Document
from tests.helpers.translate_fixtures import make_config
from tests.test_fidelity_signal import (
    FORWARD,
    SRC_BAD,
    SRC_GOOD,
    TGT_BAD,
    TGT_GOOD,
    fill_cache,
    pair,
)

pytestmark = pytest.mark.usefixtures("no_model_env")

SRC_NEW = "وصل الرئيس إلى بغداد صباح الأحد في زيارة رسمية."
TGT_NEW = "The president arrived in Baghdad on Sunday morning for an official visit."
PAIRS = [pair(0, TGT_GOOD, SRC_GOOD), pair(1, TGT_NEW, SRC_NEW), pair(2, TGT_BAD, SRC_BAD)]


@pytest.mark.parametrize(
    ("cached", "scored", "reason"),
    [
        ({SRC_GOOD, SRC_BAD}, [0, 2], "scored 2 of 3 sentences"),
        ({SRC_GOOD}, [0], "scored 1 of 3 sentences"),
        ({SRC_GOOD, SRC_BAD, SRC_NEW}, [0, 1, 2], ""),
    ],
)
def test_partial_forward_scores_exactly_the_cached(
    tmp_path: Path, cached: set[str], scored: list[int], reason: str
) -> None:
    config = make_config(tmp_path / "no-models", tmp_path / "cache.sqlite3")
    forward = dict(FORWARD, **{SRC_NEW: "The president arrived in Baghdad on Sunday."})
    fill_cache(config, {}, {k: v for k, v in forward.items() if k in cached})
    signal = FidelitySignal(config.with_overrides({"fidelity.parts": ["forward"]}))
    (status,) = signal.status(PAIRS)
    assert status.ran and status.reason.startswith(reason)
    if reason:
        assert status.fix == "mtaudit models pull opus-mt-ar-en"
    outputs = signal.score(PAIRS)
    assert [i for i, out in enumerate(outputs) if "chrf_forward" in out.values] == scored


def test_nothing_cached_is_still_skipped(tmp_path: Path) -> None:
    config = make_config(tmp_path / "no-models", tmp_path / "cache.sqlite3")
    fill_cache(config, {}, {})
    (status,) = FidelitySignal(config.with_overrides({"fidelity.parts": ["forward"]})).status(PAIRS)
    assert not status.ran and "not cached" in status.reason


def test_partial_coverage_in_an_audit(tmp_path: Path) -> None:
    config: Config = make_config(tmp_path / "no-models", tmp_path / "cache.sqlite3")
    fill_cache(config, {}, {SRC_GOOD: FORWARD[SRC_GOOD]})
    docs = [
        Document("a", TGT_GOOD, SRC_GOOD, unit="segment"),
        Document("b", TGT_NEW, SRC_NEW, unit="segment"),
    ]
    run = audit(docs, config.with_overrides({"fidelity.parts": ["forward"]}), signals=["fidelity"])
    (status,) = run.signals
    assert status.ran and "scored 1 of 2 sentences" in status.reason
    a, b = (d.sentences[0] for d in run.documents)
    assert "fidelity.chrf_forward" in a.signals and "fidelity.chrf_forward" not in b.signals
    assert "fidelity.forward" in a.verdict.basis and "fidelity.forward" not in b.verdict.basis


def test_partial_round_trip_scores_each_target_whose_two_legs_are_cached(tmp_path: Path) -> None:
    from tests.test_fidelity_signal import BACK, TGT_ALONE

    config = make_config(tmp_path / "no-models", tmp_path / "cache.sqlite3")
    # TGT_ALONE: both legs cached; TGT_GOOD: only its back-translation; TGT_NEW: nothing
    fill_cache(
        config,
        {TGT_ALONE: BACK[TGT_ALONE], TGT_GOOD: BACK[TGT_GOOD]},
        {BACK[TGT_ALONE]: FORWARD[BACK[TGT_ALONE]]},
    )
    signal = FidelitySignal(config.with_overrides({"fidelity.parts": ["round_trip"]}))
    alone = [pair(0, TGT_ALONE, None), pair(1, TGT_GOOD, None), pair(2, TGT_NEW, None)]
    (status,) = signal.status(alone)
    assert status.ran and status.reason.startswith(
        "scored 1 of 3 sentences: models opus-mt-en-ar and opus-mt-ar-en are not in"
    )
    assert status.fix == "mtaudit models pull opus-mt-en-ar && mtaudit models pull opus-mt-ar-en"
    outputs = signal.score(alone)
    assert [i for i, out in enumerate(outputs) if "chrf_round_trip" in out.values] == [0]
    # a target's round trip does not depend on the other targets of its batch
    (by_itself,) = FidelitySignal(signal.translations.config).score(alone[:1])
    assert by_itself.values == outputs[0].values and by_itself.texts == outputs[0].texts
    # nothing with both legs cached: skipped, naming the missing model
    (none,) = signal.status(alone[1:])
    assert not none.ran and "opus-mt-ar-en" in none.reason
