"""The learned judge: features, monotone models per basis, calibration, metrics, segment unit."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import numpy as np
import pytest

from mtaudit.calibrate import Row, calibrate, candidate_bases, cross_validated, fit_basis
from mtaudit.config import Config
from mtaudit.features import Features, extract, feature_group, group_of, merge
from mtaudit.judge import SHIPPED, Judge, JudgeModel
from mtaudit.metrics import at_threshold, auroc, average_precision, kendall_tau, threshold_for
from mtaudit.pipeline import audit
from mtaudit.types import Document, Finding, Pair, Sentence, Severity
from tests.helpers.judge_models import reading_forward_ter

CONFIG = Config.load()
SHIPPED_MODELS = sorted(SHIPPED.glob("*.json"))


def pair(target: str, source: str | None = None, src: str = "ar", tgt: str = "en") -> Pair:
    return Pair("d", Sentence(0, target, 0, len(target)), source, source_lang=src, target_lang=tgt)


# -- features --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "group"),
    [
        ("numbers", "checks"),
        ("brand_new_check", "checks"),
        ("fidelity.forward", "fidelity.forward"),
        ("fidelity.back_translation", "fidelity.back_translation"),
        ("fidelity.numbers", "fidelity"),
        ("fluency.span", "fluency"),
    ],
)
def test_group_of_a_finding(check: str, group: str) -> None:
    assert group_of(check) == group
    assert feature_group(f"finding:{check}") == group


def test_overlapping_findings_count_once_with_both_reasons() -> None:
    text = "He went to To the market."
    findings = [
        Finding("repetition", Severity.MAJOR, "repeated “to”", (8, 13)),
        Finding("casing", Severity.MAJOR, "capitalised “To” mid-sentence", (11, 13)),
        Finding("numbers", Severity.MAJOR, "number 3 is missing"),
    ]
    pieces = merge(findings)
    assert len(pieces) == 2 and pieces[0].owner == "repetition" and pieces[0].span == (8, 13)
    features = extract(pair(text), findings, {})
    assert len(features.pieces) == 2 and features.values["finding:numbers"] == 1
    assert features.values["finding:repetition"] == 1 and "finding:casing" not in features.values
    verdict = Judge.from_config(CONFIG.with_overrides({"judge.model": "rules"})).judge(
        pair(text), findings, {}
    )
    assert "capitalised “To” mid-sentence" in verdict.reasons and len(verdict.reasons) == 3
    assert verdict.risk == pytest.approx(1 - 0.4 * 0.4)  # two pieces of evidence, not three


def test_missing_signal_is_missing_not_zero() -> None:
    features = extract(pair("Some text here."), [], {})
    assert features.groups == frozenset({"checks"})
    assert not any(k.startswith(("fidelity", "fluency", "length")) for k in features.values)
    scored = extract(pair("Some text here.", "نص ما هنا."), [], {"fidelity.chrf_forward": 0.0})
    assert {"length", "fidelity.forward", "fidelity"} <= scored.groups
    assert scored.values["fidelity.forward.chrf_gap"] == 100.0


# -- the model file --------------------------------------------------------------------------


def entry(basis: list[str], weights: dict[str, float], flag: float = 0.5) -> dict[str, object]:
    return {
        "basis": basis,
        "intercept": -2.0,
        "weights": {k: {"coef": w, "mean": 0.0, "scale": 1.0} for k, w in weights.items()},
        "thresholds": {"flag": flag, "minor": flag / 2, "major": flag, "critical": 0.75},
    }


def write_model(path: Path, models: list[dict[str, object]]) -> Path:
    data = {
        "format": "mtaudit.judge/1",
        "version": "t1",
        "direction": "ar-en",
        "length_norm": 0.1,
        "models": models,
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_negative_weight_is_refused(tmp_path: Path) -> None:
    from mtaudit.errors import ConfigError

    path = write_model(tmp_path / "m.json", [entry(["checks"], {"checks:major": -1.0})])
    with pytest.raises(ConfigError, match="monotone"):
        JudgeModel.load(path)


def test_skipped_signal_leaves_the_risk_unchanged(tmp_path: Path) -> None:
    path = write_model(
        tmp_path / "m.json",
        [
            entry(["checks", "length"], {"checks:major": 1.5, "length.abs_log_ratio": 2.0}),
            entry(
                ["checks", "length", "fidelity.forward", "fidelity"],
                {"checks:major": 1.0, "fidelity.forward.chrf_gap": 0.05},
            ),
        ],
    )
    judge = Judge.from_config(CONFIG.with_overrides({"judge.models": {"ar-en": str(path)}}))
    p = pair("The minister said no.", "قال الوزير لا.")
    findings = [Finding("numbers", Severity.MAJOR, "number 3 is missing")]
    without = judge.judge(p, findings, {})
    fluency_missing = judge.judge(p, findings, {"fluency.tokens": 5.0})
    assert without.risk == fluency_missing.risk
    assert without.basis == ["checks", "length"]
    with_fidelity = judge.judge(p, findings, {"fidelity.chrf_forward": 20.0})
    assert with_fidelity.basis == ["checks", "length", "fidelity.forward", "fidelity"]
    assert judge.describe()[0]["version"] == "t1" and len(judge.describe()[0]["digest"]) == 12


def test_skipped_fidelity_in_a_real_audit_matches_no_signals() -> None:
    doc = Document("a", "The governor welcomed the decision of the council.", "رحب المحافظ.")
    skipped = audit([doc], CONFIG, signals=["fidelity"])  # no model, nothing cached
    assert not any(s.ran for s in skipped.signals)
    none = audit([doc], CONFIG, signals=[])
    a, b = skipped.documents[0].sentences[0], none.documents[0].sentences[0]
    assert a.verdict.risk == b.verdict.risk and a.verdict.basis == b.verdict.basis


def test_a_check_the_model_does_not_know_still_counts_by_severity(tmp_path: Path) -> None:
    model = dict(entry(["checks"], {"finding:numbers": 1.0}), unknown={"minor": 0.4, "major": 1.0})
    path = write_model(tmp_path / "m.json", [model])
    judge = Judge.from_config(CONFIG.with_overrides({"judge.model": str(path)}))
    p = pair("A sentence.")
    risks = [
        judge.judge(p, found, {}).risk
        for found in (
            [],
            [Finding("brand_new", Severity.MINOR, "new minor")],
            [Finding("brand_new", Severity.MAJOR, "new major")],
            [
                Finding("brand_new", Severity.MAJOR, "a", (0, 1)),
                Finding("other", Severity.MAJOR, "b"),
            ],
        )
    ]
    assert risks[0] < risks[1] < risks[2] < risks[3]
    assert risks[2] == pytest.approx(
        judge.judge(p, [Finding("numbers", Severity.MAJOR, "n")], {}).risk
    )
    seen = dict(model, seen=["finding:brand_new"])  # seen in training, given no weight
    path = write_model(tmp_path / "seen.json", [seen])
    judge = Judge.from_config(CONFIG.with_overrides({"judge.model": str(path)}))
    assert judge.judge(p, [Finding("brand_new", Severity.MAJOR, "x")], {}).risk == risks[0]


@pytest.mark.skipif(not SHIPPED_MODELS, reason="no shipped judge models")
@pytest.mark.parametrize("path", SHIPPED_MODELS, ids=lambda p: p.name)
def test_shipped_models_have_unknown_check_weights(path: Path) -> None:
    for basis_model in JudgeModel.load(path).models:
        assert 0 < basis_model.unknown["minor"] <= basis_model.unknown["critical"]


@pytest.mark.skipif(not SHIPPED_MODELS, reason="no shipped judge models")
@pytest.mark.parametrize("path", SHIPPED_MODELS, ids=lambda p: p.name)
def test_shipped_models_are_monotone_in_every_feature(path: Path) -> None:
    model = JudgeModel.load(path)
    rng = random.Random(0)
    for basis_model in model.models:
        for name in basis_model.features:
            base = {n: rng.uniform(0, 3) for n in basis_model.features}
            risks = [basis_model.risk({**base, name: v}) for v in (0.0, 0.5, 1, 2, 5, 20, 100)]
            assert risks == sorted(risks), f"{path.name}: {name} lowers the risk"


@pytest.mark.skipif(not SHIPPED_MODELS, reason="no shipped judge models")
@pytest.mark.parametrize("path", SHIPPED_MODELS, ids=lambda p: p.name)
def test_worse_chrf_never_lowers_the_shipped_risk(path: Path) -> None:
    src, tgt = path.stem.split("-")
    judge = Judge.from_config(CONFIG)
    p = pair("A sentence that was translated somehow.", "جملة ما مترجمة.", src, tgt)
    risks = [
        judge.judge(p, [], {"fidelity.chrf_forward": c, "fidelity.bleu_forward": c / 2}).risk
        for c in (90.0, 70.0, 44.0, 30.0, 12.0)
    ]
    assert risks == sorted(risks)


# -- calibration -----------------------------------------------------------------------------


def synthetic_rows(n: int, weights: dict[str, float], intercept: float, seed: int = 1) -> list[Row]:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        values = {
            "length.abs_log_ratio": float(rng.exponential(0.3)),
            "fidelity.forward.chrf_gap": float(rng.uniform(0, 100)),
            "checks:major": float(rng.poisson(0.3)),
        }
        z = intercept + sum(weights[k] * v for k, v in values.items())
        label = int(rng.random() < 1 / (1 + math.exp(-z)))
        groups = frozenset({"checks", "length", "fidelity.forward", "fidelity"})
        rows.append(Row(Features(groups, values), label, float(z), str(i // 3)))
    return rows


def test_calibration_recovers_known_weights() -> None:
    weights = {"length.abs_log_ratio": 2.0, "fidelity.forward.chrf_gap": 0.04, "checks:major": 1.2}
    rows = synthetic_rows(20000, weights, -4.0)
    entry = fit_basis(rows, frozenset({"checks", "length", "fidelity.forward", "fidelity"}))
    fitted = {k: w["coef"] / w["scale"] for k, w in entry["weights"].items()}
    for name, weight in weights.items():
        assert fitted[name] == pytest.approx(weight, rel=0.15), name
    raw_intercept = entry["intercept"] - sum(
        w["coef"] * w["mean"] / w["scale"] for w in entry["weights"].values()
    )
    assert raw_intercept == pytest.approx(-4.0, abs=0.3)


def test_wrong_signed_feature_is_dropped() -> None:
    rows = synthetic_rows(
        4000,
        {"length.abs_log_ratio": 0, "fidelity.forward.chrf_gap": 0.05, "checks:major": 0},
        -3.0,
    )
    for row in rows:  # a feature that is *lower* for broken rows
        row.features.values["fidelity.forward.ter"] = 2.0 - row.label + float(np.random.rand())
    entry = fit_basis(rows, frozenset({"checks", "length", "fidelity.forward", "fidelity"}))
    assert "fidelity.forward.ter" not in entry["weights"]
    assert all(w["coef"] >= 0 for w in entry["weights"].values())


def test_calibrate_writes_a_loadable_model_with_cross_validated_figures(tmp_path: Path) -> None:
    rows = synthetic_rows(
        1500,
        {"length.abs_log_ratio": 2.0, "fidelity.forward.chrf_gap": 0.04, "checks:major": 1},
        -4.0,
    )
    for row in rows[:500]:  # some rows without the fidelity signal
        row.features = Features(
            frozenset({"checks", "length"}),
            {k: v for k, v in row.features.values.items() if not k.startswith("fidelity")},
        )
    assert frozenset({"checks", "length"}) in candidate_bases(rows)
    model, report = calibrate(rows, "ar-en", "flag_share:0.10")
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    loaded = JudgeModel.load(path)
    assert {frozenset(m.basis) for m in loaded.models} >= {
        frozenset({"checks", "length"}),
        frozenset({"checks", "length", "fidelity.forward", "fidelity"}),
    }
    for line in report:
        assert 0.5 < line["auroc"] <= 1 and line["flagged_share"] <= 0.10 + 1e-9
    full = [line for line in report if "fidelity.forward" in line["basis"]]
    assert full and all(line["auroc"] > 0.75 for line in full)
    risk = cross_validated(rows, "flag_share:0.10", folds=3)
    assert auroc(risk, [r.label for r in rows]) > 0.7


@pytest.mark.parametrize("share", [0.01, 0.05])
def test_reference_share_operating_point_bounds_the_references_flagged(share: float) -> None:
    weights = {"length.abs_log_ratio": 2.0, "fidelity.forward.chrf_gap": 0.04, "checks:major": 1}
    rows = synthetic_rows(1500, weights, -4.0)
    for row in rows:  # known-good references: the sound rows of every third source
        row.reference = row.label == 0 and int(row.group) % 3 == 0
    references = [r for r in rows if r.reference]
    assert len(references) > 100
    _, report = calibrate(rows, "ar-en", f"reference_share:{share}")
    for line in report:
        assert line["references"] == len(references)
        assert line["references_flagged_share"] <= share + 1e-9
    # the weight column counts: a row weighed ten times pulls the fit as ten copies do
    plain = fit_basis(rows, frozenset({"checks", "length"}))
    for row in rows:
        row.weight = 10.0 if row.label else 1.0
    weighted = fit_basis(rows, frozenset({"checks", "length"}))
    assert weighted["intercept"] > plain["intercept"]


def test_cross_validation_never_splits_a_source_sentence() -> None:
    from mtaudit.calibrate import _folds

    rows = synthetic_rows(
        300, {"length.abs_log_ratio": 1, "fidelity.forward.chrf_gap": 0.01, "checks:major": 1}, -2
    )
    for train, test in _folds(rows, 5):
        assert not {rows[i].group for i in train} & {rows[i].group for i in test}


# -- metrics ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "labels", "ap", "roc"),
    [
        # perfect ranking
        ([0.9, 0.8, 0.1, 0.0], [1, 1, 0, 0], 1.0, 1.0),
        # ranks 1 and 3 are positive: AP = (1/1 + 2/3) / 2
        ([4, 3, 2, 1], [1, 0, 1, 0], (1 + 2 / 3) / 2, 0.75),
        # a tie between a positive and a negative at the top: precision 1/2 at that step,
        # then 2/3; AUROC counts the tied pair as 1/2: (1 + 0.5 + 1 + 1) / 4... see below
        ([5, 5, 3, 1], [1, 0, 1, 0], (0.5 * 1 / 2 + 0.5 * 2 / 3), (0.5 + 1 + 0 + 1) / 4),
        # everything tied: AP = base rate, AUROC = 1/2
        ([1, 1, 1, 1], [1, 0, 0, 0], 0.25, 0.5),
    ],
)
def test_ap_and_auroc_by_hand(
    scores: list[float], labels: list[int], ap: float, roc: float
) -> None:
    assert average_precision(scores, labels) == pytest.approx(ap)
    assert auroc(scores, labels) == pytest.approx(roc)


def test_metrics_agree_with_scikit_learn() -> None:
    from sklearn.metrics import average_precision_score, roc_auc_score

    rng = np.random.default_rng(3)
    scores = rng.integers(0, 6, 300).astype(float)  # many ties
    labels = (rng.random(300) < 0.3).astype(int)
    assert average_precision(scores, labels) == pytest.approx(
        average_precision_score(labels, scores)
    )
    assert auroc(scores, labels) == pytest.approx(roc_auc_score(labels, scores))


@pytest.mark.parametrize(
    ("x", "y", "tau"),
    [
        ([1, 2, 3, 4], [1, 2, 3, 4], 1.0),
        ([1, 2, 3, 4], [4, 3, 2, 1], -1.0),
        # concordant 4, discordant 2 of 6 pairs, no ties: (4 - 2) / 6
        ([1, 2, 3, 4], [1, 3, 2, 0], (2 - 4) / 6),
        # tau-b with a tie in x: pairs 5 concordant, 0 discordant, n1 = 1 tied pair in x
        ([1, 1, 2, 3], [1, 2, 3, 4], 5 / math.sqrt(5 * 6)),
    ],
)
def test_kendall_tau_by_hand(x: list[float], y: list[float], tau: float) -> None:
    assert kendall_tau(x, y) == pytest.approx(tau)


@pytest.mark.parametrize(
    ("point", "threshold"),
    [
        ("flag_share:0.25", 0.8),
        ("flag_share:0.5", 0.4),
        ("precision:1.0", 0.8),
        ("precision:0.6", 0.1),
        # references: the rows at 0.6, 0.1 and 0.01; at most a third of them flagged
        ("reference_share:0.34", 0.6),
        ("reference_share:0.67", 0.1),
        ("reference_share:0.34+flag_share:0.25", 0.8),  # every rule holds: the highest
        ("reference_share:0.67+flag_share:0.5", 0.4),
    ],
)
def test_operating_points(point: str, threshold: float) -> None:
    scores = [0.9, 0.8, 0.6, 0.4, 0.2, 0.1, 0.05, 0.01]
    labels = [1, 1, 0, 1, 1, 0, 0, 0]
    reference = [False, False, True, False, False, True, False, True]
    assert threshold_for(scores, labels, point, reference) == pytest.approx(threshold)
    assert at_threshold(scores, labels, 0.6)["precision"] == pytest.approx(2 / 3)


# -- segment unit ----------------------------------------------------------------------------


def test_segment_unit_is_never_split() -> None:
    text = "First sentence here. Second one follows! And a third? Yes."
    doc = Document("s", f"  {text}\n", "الجملة الأولى. والثانية.", unit="segment")
    run = audit([doc], CONFIG, signals=[])
    (only,) = run.documents[0].sentences
    assert only.pair.target.text == text and only.pair.target.start == 2
    assert only.pair.source == "الجملة الأولى. والثانية."
    as_document = audit([Document("s", text, "الجملة الأولى. والثانية.")], CONFIG, signals=[])
    assert len(as_document.documents[0].sentences) == 4


def test_tsv_rows_are_segments_by_default(tmp_path: Path) -> None:
    from mtaudit.io import read_inputs

    table = tmp_path / "bitext.tsv"
    table.write_text("id\tsource\ttarget\nr1\tمصدر.\tOne. Two. Three.\n", encoding="utf-8")
    (doc,) = read_inputs([str(table)])
    assert isinstance(doc, Document) and doc.unit == "segment"
    run = audit([doc], CONFIG, signals=[])
    assert [s.pair.target.text for s in run.documents[0].sentences] == ["One. Two. Three."]


def test_unit_option_on_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mtaudit.cli import main

    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": "a", "target": "One thing. Another thing."}\n', encoding="utf-8")
    for unit, count in (("segment", 1), ("document", 2)):
        result = CliRunner().invoke(
            main, ["audit", str(feed), "--unit", unit, "--no-signals", "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        assert len(json.loads(result.output)["documents"][0]["sentences"]) == count


# -- the commands ----------------------------------------------------------------------------

WORDS = (
    "the council approved a budget for water projects in the city on tuesday after talks".split()
)


def labelled_table(path: Path, n: int = 120) -> Path:
    rng = random.Random(5)
    lines = ["id\tgroup\tsource\ttarget\tlabel\tscore"]
    for i in range(n):
        words = rng.sample(WORDS, 9)
        target = " ".join(words).capitalize() + "."
        source = "وافق المجلس على ميزانية لمشاريع المياه في المدينة يوم الثلاثاء بعد محادثات."
        broken = i % 3 == 0
        if broken:
            kind = i % 4
            if kind == 0:
                target = " ".join(words[:3])  # truncated
            elif kind == 1:
                target = target[:-1] + " " + " ".join(words[:3] * 4) + "."  # loop
            elif kind == 2:
                target = target + " " + target + " " + target  # hallucinated length
            else:
                target = " ".join(words[:4]) + " " + " ".join(words[:4]) + "."
        lines.append(
            f"r{i}\t{i // 2}\t{source}\t{target}\t{int(broken)}\t{int(broken) + rng.random()}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_calibrate_then_eval_on_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mtaudit.cli import main

    table = labelled_table(tmp_path / "labelled.tsv")
    model = tmp_path / "model.json"
    runner = CliRunner()
    fitted = runner.invoke(main, ["calibrate", str(table), "--no-signals", "-o", str(model)])
    assert fitted.exit_code == 0, fitted.output
    assert "checks+length" in fitted.output and "AUROC" in fitted.output
    data = json.loads(model.read_text(encoding="utf-8"))
    assert data["format"] == "mtaudit.judge/1" and data["cross_validation"]["folds"] == 5
    config = tmp_path / "c.toml"
    config.write_text(f'[judge]\nmodel = "{model}"\n', encoding="utf-8")
    out = tmp_path / "eval.json"
    args = ["eval", str(table), "--no-signals", "--config", str(config), "-o", str(out)]
    measured = runner.invoke(main, [*args, "--bootstrap", "20"])
    assert measured.exit_code == 0, measured.output
    assert "| length ratio |" in measured.output and "| random |" in measured.output
    result = json.loads(out.read_text(encoding="utf-8"))
    risk = result["rankings"]["risk"]
    assert risk["auroc"] > result["rankings"]["random"]["auroc"]
    assert len(risk["ap_ci"]) == 2 and result["rankings"]["chrF vs engine"] is None
    cv = runner.invoke(main, ["eval", str(table), "--no-signals", "--cv", "--bootstrap", "0"])
    assert cv.exit_code == 0 and "cross-validated" in cv.output


SMALL = "source\ttarget\tlabel\n" + "".join(
    f"مرحبا {i}\tHello {i}\t{int(i < 3)}\n" for i in range(12)
)
ONE_SOURCE = "source\ttarget\tlabel\n" + "".join(
    f"مرحبا\tHello world {'x' * i}\t{i % 2}\n" for i in range(40)
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("small.tsv", SMALL, "too little labelled data: need at least 40 segments and 8 broken"),
        ("one.tsv", ONE_SOURCE, "cross-validation needs segments of at least 2 source sentences"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "not valid JSON (nested too deeply)"),
        (
            "list.json",
            '{"schema": "mtaudit.corrections/1", "corrections": 5}',
            "'corrections' is not a list of corrections",
        ),
    ],
)
def test_eval_and_calibrate_say_what_is_wrong_with_the_data(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    from click.testing import CliRunner

    from mtaudit.cli import main

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    runner = CliRunner()
    for args in (["eval", "--cv"], ["calibrate", "-o", str(tmp_path / "m.json")]):
        result = runner.invoke(main, [*args, str(path), "--no-signals"])
        assert result.exit_code == 2, result.output
        assert message in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("record", "label"),
    [
        ({"target": "The cat sat.", "corrected": "The cat sat."}, 0),
        ({"target": "The cat sat on dog mat red.", "corrected": "The dog sat on the red mat."}, 1),
        ({"target": "x", "label": "1"}, 1),
        ({"target": "x", "score": "0.2"}, 0),
    ],
)
def test_label_forms(tmp_path: Path, record: dict[str, str], label: int) -> None:
    from mtaudit.labelled import read_labelled

    feed = tmp_path / "l.jsonl"
    feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (row,) = read_labelled([str(feed)])
    assert row.label == label and row.document.unit == "segment"


def test_reference_labels_are_relative_to_the_other_systems(tmp_path: Path) -> None:
    from mtaudit.labelled import read_labelled

    ref = "The council approved the budget for the water projects on Tuesday."
    outputs = [
        ref,
        "The council approved the budget for water projects on Tuesday.",
        "The council approved a budget for the water projects Tuesday.",
        "Council water Tuesday.",
    ]
    feed = tmp_path / "l.jsonl"
    feed.write_text(
        "".join(json.dumps({"source": "س", "target": t, "reference": ref}) + "\n" for t in outputs),
        encoding="utf-8",
    )
    assert [r.label for r in read_labelled([str(feed)])] == [0, 0, 0, 1]


def test_corrections_export_is_post_edit_data(tmp_path: Path) -> None:
    from mtaudit.labelled import read_labelled

    export = {
        "schema": "mtaudit.corrections/1",
        "corrections": [
            {
                "document": "a",
                "sentence": 0,
                "original": "He said it.",
                "corrected": None,
                "decision": "fine",
                "source": "قال ذلك.",
            },
            {
                "document": "a",
                "sentence": 1,
                "original": "It was created to say that.",
                "corrected": "That was the point of it.",
                "decision": "corrected",
                "source": None,
            },
        ],
    }
    path = tmp_path / "corrections.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    rows = read_labelled([str(path)])
    assert [(r.label, r.form) for r in rows] == [(0, "post-edit"), (1, "post-edit")]


def test_eval_measures_a_saved_run(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mtaudit.cli import main

    table = labelled_table(tmp_path / "labelled.tsv", 60)
    run_json = tmp_path / "run.json"
    runner = CliRunner()
    audited = runner.invoke(
        main, ["audit", str(table), "--no-signals", "--format", "json", "-o", str(run_json)]
    )
    assert audited.exit_code == 0, audited.output
    measured = runner.invoke(main, ["eval", str(table), "--run", str(run_json), "--bootstrap", "0"])
    assert measured.exit_code == 0, measured.output
    assert "saved run" in measured.output and "| risk |" in measured.output
    both = runner.invoke(main, ["eval", str(table), "--run", str(run_json), "--cv"])
    assert both.exit_code == 2 and "--cv" in both.output


def test_fluency_values_become_features() -> None:
    signals = {
        "fluency.surprisal_z": 3.0,
        "fluency.window_z": 5.0,
        "fluency.surprisal_mean": 6.5,
        "fluency.window_mean": 11.0,
        "fluency.tokens": 12.0,
    }
    features = extract(pair("Some text here."), [], signals)
    assert "fluency" in features.groups
    assert {k for k in features.values if k.startswith("fluency.")} == {
        "fluency.surprisal_z",
        "fluency.window_z",
        "fluency.surprisal_mean",
        "fluency.window_mean",
    }


def test_example_article_keeps_its_known_flagged_sentences() -> None:
    from mtaudit.io import read_inputs

    root = Path(__file__).resolve().parents[1] / "examples"
    items = read_inputs([str(root / "article.en.txt")], source=str(root / "article.ar.txt"))
    run = audit(items, CONFIG, signals=[])
    sentences = run.documents[0].sentences
    flagged = {s.pair.target.index for s in sentences if s.verdict.flagged}
    assert flagged == {2, 3, 5, 6, 7}  # numbers+repetition, "to To", Arabic left, &quot;, omission
    assert all(s.verdict.basis == ["checks", "length"] for s in sentences)
    assert run.signature["judge"][0]["model"] == "ar-en.json"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[judge]\noperating_point = "top:3"\n', "judge.operating_point"),
        ("[judge]\nflag_at = 1.5\n", "judge.flag_at"),
        ('[judge.models]\nenglish = "m.json"\n', "judge.models.english"),
        ('[judge]\noperating_point = "precision:0.5"\nflag_at = 0.3\n', None),
        ('[judge]\noperating_point = "reference_share:0.01+flag_share:0.2"\n', None),
        ('[judge]\noperating_point = "reference_share:2"\n', "judge.operating_point"),
        ('[judge.models]\nar-en = "m.json"\n', None),
        ('[judge]\nalways_flag = ["numbers:severe"]\n', "judge.always_flag"),
        ("[judge]\nalways_flag = [3]\n", "judge.always_flag"),
        ('[judge]\nalways_flag = ["patterns:major", "numbers", "fidelity.numbers"]\n', None),
    ],
)
def test_judge_settings_are_validated(tmp_path: Path, text: str, problem: str | None) -> None:
    from mtaudit.errors import ConfigError

    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    if problem is None:
        Config.load(path)
    else:
        with pytest.raises(ConfigError, match=problem):
            Config.load(path)


# -- [judge] always_flag: a newsroom's policy on top of the model ------------------------------

LOST_URL = (
    "The ministry published the full list of vaccination centres on www.health.gov.iq on Sunday.",
    "نشرت الوزارة يوم الأحد القائمة الكاملة لمراكز التطعيم على موقعها الإلكتروني الرسمي.",
)


def _judge_lost_url(config: Config) -> tuple[float, Severity, bool, list[str]]:
    source, target = LOST_URL
    findings = [Finding("patterns", Severity.MAJOR, "URL “www.health.gov.iq” is not in the target")]
    verdict = Judge.from_config(config).judge(pair(target, source, "en", "ar"), findings, {})
    return verdict.risk, verdict.severity, verdict.flagged, verdict.reasons


@pytest.mark.skipif(not SHIPPED_MODELS, reason="no shipped judge models")
def test_always_flag_sends_a_finding_to_the_reviewer_and_keeps_the_risk() -> None:
    risk, severity, flagged, reasons = _judge_lost_url(CONFIG)
    assert not flagged and severity < Severity.MAJOR  # the model alone: a lost URL is weak
    policy = CONFIG.with_overrides({"judge.always_flag": ["patterns:major"]})
    risk2, severity2, flagged2, reasons2 = _judge_lost_url(policy)
    assert (risk2, severity2, flagged2) == (risk, Severity.MAJOR, True)
    assert reasons2 == [*reasons, "always flagged ([judge] always_flag): patterns (major)"]
    # a rule asking for critical findings does not fire on a major one
    strict = CONFIG.with_overrides({"judge.always_flag": ["patterns:critical"]})
    assert _judge_lost_url(strict) == (risk, severity, flagged, reasons)


@pytest.mark.skipif(not SHIPPED_MODELS, reason="no shipped judge models")
def test_always_flag_sees_findings_outside_the_models_basis() -> None:
    source, target = LOST_URL
    # a round-trip finding: the shipped models have no basis with the round trip
    finding = Finding("fidelity.round_trip", Severity.MAJOR, "round trip chrF 12 (low)")
    signals = {"fidelity.chrf_round_trip": 12.0}
    config = CONFIG.with_overrides({"judge.always_flag": ["fidelity.round_trip:major"]})
    plain = Judge.from_config(CONFIG).judge(pair(target, source, "en", "ar"), [finding], signals)
    assert not plain.flagged and "fidelity.round_trip" not in plain.basis
    verdict = Judge.from_config(config).judge(pair(target, source, "en", "ar"), [finding], signals)
    assert verdict.risk == plain.risk and verdict.basis == plain.basis
    assert verdict.flagged and verdict.severity == Severity.MAJOR
    assert verdict.reasons[-2:] == [
        "round trip chrF 12 (low)",
        "always flagged ([judge] always_flag): fidelity.round_trip (major)",
    ]


def test_always_flag_names_the_checks_when_one_is_unknown(tmp_path: Path) -> None:
    from mtaudit.errors import ConfigError

    path = tmp_path / "newsroom.toml"
    path.write_text('[judge]\nalways_flag = ["pattern:major"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Judge.from_config(Config.load(path))
    message = str(info.value)
    assert f"{path}: judge.always_flag: 'pattern:major' is not a check id" in message
    assert "patterns" in message.split("(checks: ")[1]


def test_always_flag_applies_to_directions_judged_by_rule() -> None:
    config = CONFIG.with_overrides({"judge.model": "rules", "judge.always_flag": ["casing"]})
    finding = Finding("casing", Severity.MINOR, "capitalised “To” mid-sentence", (11, 13))
    verdict = Judge.from_config(config).judge(pair("He went to To the market."), [finding], {})
    assert verdict.flagged and verdict.severity == Severity.MINOR and verdict.basis == ["rules"]
    # already flagged at that severity or above: the verdict is the model's, no extra reason
    major = Finding("casing", Severity.MAJOR, "capitalised “To” mid-sentence", (11, 13))
    plain = Judge.from_config(CONFIG.with_overrides({"judge.model": "rules"}))
    expected = plain.judge(pair("He went to To the market."), [major], {})
    assert expected.flagged
    got = Judge.from_config(config).judge(pair("He went to To the market."), [major], {})
    assert got == expected


# -- the shipped models on segments ------------------------------------------------------------

GUARDIAN = (
    'أشارت صحيفة الجارديان البريطانية إلى أن "بنك دويتشه" يسيطر على ما يقرب من ثلث 1200 شركة '
    "وهمية تستخدم لتحقيق ذلك.",
    "British newspaper The Guardian suggested Deutsche Bank controlled roughly a third of the "
    "1200 shell companies used to accomplish this.",
)
VIRGINIA = (
    "تخرّج في كلية الآداب والعلوم في جامعة فرجينيا عام 1950 وكان متبرعًا بارزًا لهذه المؤسسة.",
    "He graduated from the College of Arts & Sciences of the University of Virginia in 1950 and "
    "was a significant donor to that institution.",
)
COUNCIL = (
    "وافق المجلس على بناء 250 منزلاً جديداً في شمال المدينة.",
    "The council approved 250 new houses in the north of the city.",
)


def _segment_rows(direction: str, swap: tuple[str, str] | None) -> list[tuple[str, str]]:
    rows = []
    for ar, en in (GUARDIAN, VIRGINIA, COUNCIL):
        source, target = (ar, en) if direction == "ar-en" else (en, ar)
        if swap is not None:
            target = target.replace(*swap)
        rows.append((source, target))
    return rows


@pytest.mark.skipif(not SHIPPED_MODELS, reason="no shipped judge models")
@pytest.mark.parametrize("direction", ["ar-en", "en-ar"])
@pytest.mark.parametrize(
    ("swap", "flagged"),
    [
        (None, False),  # the human reference translation as it is
        (("1200", "1020"), True),
        (("1950", "1590"), True),
        (("250", "205"), True),
    ],
)
def test_a_number_swap_in_a_segment_is_flagged_by_the_shipped_model(
    tmp_path: Path, direction: str, swap: tuple[str, str] | None, flagged: bool
) -> None:
    from mtaudit.io import read_inputs

    src, tgt = direction.split("-")
    rows = _segment_rows(direction, swap)
    table = tmp_path / "bitext.tsv"
    table.write_text(
        "id\tsource\ttarget\n" + "".join(f"r{i}\t{s}\t{t}\n" for i, (s, t) in enumerate(rows)),
        encoding="utf-8",
    )
    items = read_inputs([str(table)], source_lang=src, target_lang=tgt)
    run = audit(items, CONFIG, signals=[])
    verdicts = {
        doc.document.id: [s.verdict for s in doc.sentences]
        for doc in run.documents
        if doc.sentences
    }
    clean = _segment_rows(direction, None)
    changed = {f"r{i}" for i, (row, was) in enumerate(zip(rows, clean, strict=True)) if row != was}
    assert len(verdicts) == 3 and (changed or swap is None)
    for doc_id, (verdict,) in verdicts.items():
        expected = flagged and doc_id in changed
        assert verdict.flagged is expected, (doc_id, verdict.risk, verdict.reasons)
        assert verdict.basis == ["checks", "length"]
    assert run.signature["judge"][0]["model"] == f"{direction}.json"


@pytest.mark.skipif(not SHIPPED_MODELS, reason="no shipped judge models")
def test_a_number_swap_in_a_jsonl_segment_is_flagged_on_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mtaudit.cli import main

    feed = tmp_path / "feed.jsonl"
    records = [
        {"id": "clean", "source": COUNCIL[0], "target": COUNCIL[1]},
        {"id": "swapped", "source": COUNCIL[0], "target": COUNCIL[1].replace("250", "205")},
    ]
    feed.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["audit", str(feed), "--unit", "segment", "--no-signals", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    docs = {d["id"]: d["sentences"] for d in json.loads(result.output)["documents"]}
    assert [s["flagged"] for s in docs["clean"]] == [False]
    assert [s["flagged"] for s in docs["swapped"]] == [True]


def test_length_of_a_split_sentence_is_the_beads() -> None:
    source = "انضم فيدال إلى نادي برشلونة قبل ثلاثة مواسم قادماً من نادي إشبيلية الإسباني."
    whole = extract(pair("Vidal joined Barcelona three seasons ago. He came from Sevilla."), [], {})
    half = pair("Vidal joined Barcelona three seasons ago.", source)
    alone = extract(half, [], {}, 0.1)
    in_bead = extract(
        half,
        [],
        {},
        0.1,
        bead_target="Vidal joined Barcelona three seasons ago. He came from Sevilla.",
    )
    assert "length.short" not in whole.values  # no source: no length evidence
    assert alone.values["length.short"] > in_bead.values["length.short"]
    doc = Document(
        "d",
        "Vidal joined Barcelona three seasons ago. He came from Sevilla.",
        source,
        unit="document",
    )
    run = audit([doc], CONFIG, signals=[])
    sentences = run.documents[0].sentences
    assert len(sentences) == 2 and sentences[0].pair.target_indices == (0, 1)
    assert not any(s.verdict.flagged for s in sentences)


@pytest.mark.parametrize(
    ("ter_weight", "expected"),
    [
        (0.44, {"forward": frozenset({"chrf", "ter"})}),
        (0.0, {}),  # read by the model with no weight: TER is not computed
    ],
)
def test_fidelity_metrics_follow_the_models_weights(
    tmp_path: Path, ter_weight: float, expected: dict[str, frozenset[str]]
) -> None:
    from mtaudit.judge import JudgeSettings, fidelity_metrics
    from mtaudit.settings import settings_of

    path = reading_forward_ter(tmp_path, ter_weight)
    config = tmp_path / "config.toml"
    config.write_text(f'[judge.models]\n"ar-en" = "{path}"\n', encoding="utf-8")
    settings = settings_of(Config.load(config), JudgeSettings)
    assert fidelity_metrics(settings, "ar-en") == expected
