"""``mtaudit calibrate`` and ``mtaudit eval``: fit the judge on labelled data, and measure it."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from mtaudit.atomic import write_text_atomic
from mtaudit.cli.options import config_option, stack
from mtaudit.cli.paths import refuse_overwrite
from mtaudit.config import Config
from mtaudit.errors import UsageError
from mtaudit.io import LanguageSettings
from mtaudit.judge import JudgeSettings
from mtaudit.settings import settings_of

if TYPE_CHECKING:
    from mtaudit.labelled import Labelled

F = TypeVar("F", bound=Callable[..., Any])


def labelled_options(func: F) -> F:
    """Options shared by ``calibrate`` and ``eval``: the data, its labels, what to run."""
    options = [
        click.argument("inputs", nargs=-1, required=True, metavar="LABELLED..."),
        config_option,
        click.option("--source-lang", help="Source language [default: from config, ar]."),
        click.option("--target-lang", help="Target language [default: from config, en]."),
        click.option(
            "--signals", help="Comma-separated model signals to run; default from config."
        ),
        click.option("--no-signals", is_flag=True, help="Deterministic checks only."),
        click.option(
            "--margin",
            type=float,
            default=10.0,
            show_default=True,
            help="Reference labels: broken when chrF is this far below the group's median.",
        ),
        click.option(
            "--chrf-threshold",
            type=float,
            default=40.0,
            show_default=True,
            help="Reference labels without a group of 3+ systems: broken below this chrF.",
        ),
        click.option(
            "--edit-threshold",
            type=float,
            default=0.3,
            show_default=True,
            help="Post-edit labels: broken at this edit rate (TER / 100) or more.",
        ),
        click.option(
            "--folds",
            type=click.IntRange(2, 50),
            default=5,
            show_default=True,
            help="Cross-validation folds (grouped by source sentence).",
        ),
    ]
    return stack(func, options)


def _labelled(
    inputs: tuple[str, ...],
    config_path: str | None,
    source_lang: str | None,
    target_lang: str | None,
    margin: float,
    chrf_threshold: float,
    edit_threshold: float,
) -> tuple[Config, str, str, list[Labelled]]:
    """The configuration, the languages (options over the config) and the labelled segments."""
    from mtaudit.labelled import LabelRules, read_labelled

    config = Config.load(config_path)
    languages = settings_of(config, LanguageSettings)
    src = source_lang or languages.source
    tgt = target_lang or languages.target
    rules = LabelRules(margin=margin, chrf_threshold=chrf_threshold, edit_threshold=edit_threshold)
    return config, src, tgt, read_labelled(list(inputs), rules, src, tgt)


def _featurise(
    inputs: tuple[str, ...],
    config_path: str | None,
    source_lang: str | None,
    target_lang: str | None,
    signals: str | None,
    no_signals: bool,
    margin: float,
    chrf_threshold: float,
    edit_threshold: float,
) -> tuple[Config, str, list[Any], list[dict[str, Any]], float]:
    from mtaudit.calibrate import featurise
    from mtaudit.labelled import describe

    config, src, tgt, labelled = _labelled(
        inputs, config_path, source_lang, target_lang, margin, chrf_threshold, edit_threshold
    )
    if not labelled:
        raise UsageError("no labelled segments in the input")
    click.echo(describe(labelled, list(inputs)), err=True)
    chosen: list[str] | None = None
    if no_signals:
        chosen = []
    elif signals is not None:
        chosen = [s.strip() for s in signals.split(",") if s.strip()]
    with click.progressbar(
        length=len(labelled), label="Auditing", file=sys.stderr, hidden=len(labelled) < 200
    ) as bar:
        rows, statuses, norm = featurise(labelled, config, chosen, progress=bar.update)
    for status in statuses:
        state = "ran" if status["ran"] else "skipped"
        detail = f": {status['reason']}" if status["reason"] else ""
        click.echo(f"{status['name']}: {state}{detail}", err=True)
    return config, f"{src}-{tgt}", rows, statuses, norm


@click.command()
@labelled_options
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the model file (JSON). Point [judge.models] or [judge] model at it.",
)
@click.option(
    "--operating-point",
    help="flag_share:Q (flag at most this share), precision:P, or reference_share:Q (flag at "
    "most this share of the records with kind=reference, known-good human translations); join "
    "rules with + to satisfy all; default: [judge] operating_point.",
)
def calibrate(
    inputs: tuple[str, ...],
    output: str,
    operating_point: str | None,
    folds: int,
    **kwargs: Any,
) -> None:
    """Fit the judge's risk model from labelled segments and write it as a JSON model file.

    LABELLED is a JSONL feed or TSV/CSV table, one translated segment a record (``source``,
    ``target``), labelled by ``label`` (0/1) or ``score``, by a reviewer's ``corrected``
    translation (the edit rate is the label), or by a human ``reference`` (chrF, relative to the
    other systems for the same source). ``group`` names the source sentence; cross-validation
    never splits one across folds. Optional: ``weight`` (the record's weight in the fit) and
    ``kind`` (``reference`` marks a known-good human translation, for reference_share:Q).
    Prints cross-validated precision, recall and the flagged share at the operating point for
    every evidence basis.

    \b
    Examples:
      mtaudit calibrate corrections.jsonl -o newsroom.ar-en.json
      mtaudit calibrate labelled.tsv --operating-point precision:0.5 -o model.json
    """  # noqa: D301
    from mtaudit.calibrate import calibrate as fit
    from mtaudit.metrics import threshold_for

    refuse_overwrite({"-o/--output": output}, inputs)
    try:
        config, direction, rows, _, norm = _featurise(inputs, **kwargs)
        point = operating_point or settings_of(config, JudgeSettings).operating_point
        threshold_for([0.0, 1.0], [0, 1], point)  # validates the operating point
        model, report = fit(
            rows,
            direction,
            point,
            folds=folds,
            trained_on=", ".join(inputs),
            length_norm=norm,
        )
        write_text_atomic(json.dumps(model, indent=1, ensure_ascii=False) + "\n", output)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    click.echo(
        f"cross-validated ({model['cross_validation']['folds']} folds by source sentence), "
        f"operating point {point}:"
    )
    click.echo("| basis | segments | broken | AP | AUROC | precision | recall | flagged |")
    click.echo("|---|---:|---:|---:|---:|---:|---:|---:|")
    for line in report:
        click.echo(
            f"| {'+'.join(line['basis'])} | {line['segments']:,} | {line['broken']:,} | "
            f"{line['ap']:.3f} | {line['auroc']:.3f} | {_num(line['precision'])} | "
            f"{_num(line['recall'])} | {line['flagged_share']:.1%} |"
        )
        if "references_flagged_share" in line:
            click.echo(
                f"  {'+'.join(line['basis'])}: {line['references_flagged_share']:.1%} of "
                f"{line['references']:,} human references flagged"
            )
    click.echo(f"wrote {output} (version {model['version']})")


def _num(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"


@click.command("eval")
@labelled_options
@click.option(
    "--cv",
    is_flag=True,
    help="Cross-validate: refit the judge on the other folds for each fold, instead of "
    "scoring with the configured model.",
)
@click.option(
    "--bootstrap",
    "rounds",
    type=click.IntRange(0, 10000),
    default=200,
    show_default=True,
    help="Bootstrap rounds for the 95%% intervals (0: none).",
)
@click.option(
    "--run",
    "run_path",
    type=click.Path(exists=True),
    help="Measure this saved run (audit --format json or jsonl, or an --executor ray results "
    "folder) instead of auditing the segments: its documents are matched to the labelled "
    "records by id.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Also write the figures as JSON."
)
def evaluate(
    inputs: tuple[str, ...],
    cv: bool,
    rounds: int,
    output: str | None,
    folds: int,
    run_path: str | None,
    **kwargs: Any,
) -> None:
    """Measure the risk against labelled segments, beside baselines from the same run.

    Average precision, AUROC, Kendall's tau against the continuous score and precision/recall at
    the flag threshold, for the risk and for three baselines: length ratio alone, chrF against
    the engine alone (when the fidelity signal's forward part ran) and random; 95% bootstrap
    intervals over source sentences. LABELLED is read as by `mtaudit calibrate`.

    \b
    Examples:
      mtaudit eval labelled.tsv
      mtaudit eval data/judge/ar-en.real.tsv --cv -o eval.json
      mtaudit eval labelled.tsv --run run.json
    """  # noqa: D301
    from mtaudit.calibrate import cross_validated
    from mtaudit.evaluate import evaluate as measure
    from mtaudit.evaluate import table

    refuse_overwrite({"-o/--output": output}, [*inputs, run_path])
    try:
        if run_path is not None:
            if cv:
                raise UsageError("--cv refits the judge, so it cannot measure a saved --run")
            direction, rows, statuses = _from_run(run_path, inputs, **kwargs)
        else:
            config, direction, rows, statuses, _ = _featurise(inputs, **kwargs)
            point = settings_of(config, JudgeSettings).operating_point
            if cv:
                cross_validated(rows, point, folds)
        result = measure(rows, rounds)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    result.update(
        {
            "direction": direction,
            "risk": f"cross-validated ({folds} folds by source sentence)"
            if cv
            else f"saved run {run_path}"
            if run_path
            else "configured model",
            "signals": statuses,
            "inputs": list(inputs),
        }
    )
    click.echo(f"risk: {result['risk']}")
    click.echo(table(result))
    if output:
        write_text_atomic(json.dumps(_plain(result), indent=2, ensure_ascii=False) + "\n", output)


def _from_run(
    run_path: str,
    inputs: tuple[str, ...],
    config_path: str | None,
    source_lang: str | None,
    target_lang: str | None,
    margin: float,
    chrf_threshold: float,
    edit_threshold: float,
    **_: Any,
) -> tuple[str, list[Any], list[dict[str, Any]]]:
    """Rows from a saved run: each labelled record's document, matched by id, as audited."""
    from mtaudit.calibrate import Row
    from mtaudit.features import Features
    from mtaudit.runfile import load_run

    _config, src, tgt, labelled = _labelled(
        inputs, config_path, source_lang, target_lang, margin, chrf_threshold, edit_threshold
    )
    run = load_run(run_path)
    documents = {d.id: d for d in run.documents}
    rows = []
    for item in labelled:
        doc = documents.get(item.document.id)
        if doc is None or len(doc.sentences) != 1:
            raise UsageError(
                f"{run_path}: record {item.document.id!r} is not one audited segment in the run "
                "(audit the labelled set with --unit segment)"
            )
        sentence = doc.sentences[0]
        rows.append(
            Row(
                Features(frozenset()),
                item.label,
                item.score,
                item.group,
                {k: math.nan if v is None else v for k, v in sentence.signals.items()},
                sentence.source,
                sentence.text,
                float(sentence.risk),
                sentence.flagged,
                list(sentence.basis),
            )
        )
    signals = list(run.signature.get("signals") or [])
    return f"{src}-{tgt}", rows, signals


def _plain(value: Any) -> Any:
    """JSON-safe: NaN becomes null, tuples lists."""
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
