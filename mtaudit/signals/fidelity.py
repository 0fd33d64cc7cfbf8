"""The fidelity signal: does the translation say what the source says.

Three parts, each one ``SignalStatus`` and its own values and findings:

- ``fidelity.back_translation`` (pairs with a source): translate the target back into the
  source language and compare it with the source.
- ``fidelity.forward`` (pairs with a source): translate the source with an independent engine
  and compare the target with it; that forward translation is offered as the suggestion.
- ``fidelity.round_trip`` (pairs without a source, or left without one by the alignment):
  translate the target into the source language and back, and compare it with the target.

Numbers and names that the comparison text loses are findings too. A part can run when its
models are on disk or when every translation it needs is already in the cache; ``status``
checks that without loading any model. Translations go through the run's shared
``Translations``, so those made to align a document are reused here. chrF is always computed
(the findings use it); BLEU and TER only when ``fidelity.metrics`` asks for them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from mtaudit.config import Config
from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.settings import settings_of
from mtaudit.text.compare import (
    Scores,
    compare,
    lost_names,
    lost_numbers,
    metric_names,
)
from mtaudit.translate.shared import Availability, Translations
from mtaudit.types import Finding, Pair, Severity, SignalOutput, SignalStatus

log = logging.getLogger("mtaudit")

PARTS = ("back_translation", "forward", "round_trip")
_VALUE_SUFFIX = {"back_translation": "back", "forward": "forward", "round_trip": "round_trip"}


@dataclass(frozen=True)
class ChrfBands:
    """A part's chrF thresholds (0-100): below ``chrf_major`` major, below ``chrf_minor`` minor."""

    chrf_major: float
    chrf_minor: float


@dataclass(frozen=True)
class FidelitySettings:
    """``[fidelity]`` and its part tables (its two alignment keys are ``align.BeadSettings``)."""

    SECTION: ClassVar[str] = "fidelity"
    parts: tuple[str, ...]
    metrics: tuple[str, ...]
    min_chars: int
    numbers_severity: Severity
    names_severity: Severity
    max_name_findings: int
    back_translation: ChrfBands
    forward: ChrfBands
    round_trip: ChrfBands

    def bands(self, part: str) -> ChrfBands:
        """The chrF thresholds of ``part`` (one of ``PARTS``)."""
        bands: ChrfBands = getattr(self, part)
        return bands


def _needs_source(pair: Pair) -> bool:
    return bool(pair.source and pair.source.strip())


def _source_text(pair: Pair) -> str:
    return pair.source or ""


def ensure_all_ran(statuses: Sequence[SignalStatus]) -> None:
    """Raise ``ModelMissingError`` naming every part that cannot run (for ``--strict``)."""
    missing = [s for s in statuses if not s.ran]
    if missing:
        detail = "; ".join(f"{s.name}: {s.reason}" for s in missing)
        fixes = " && ".join(dict.fromkeys(s.fix for s in missing if s.fix))
        raise ModelMissingError(detail, fix=fixes or None)


class FidelitySignal:
    """Back-translation, forward translation and round trip, scored with sacrebleu."""

    name = "fidelity"

    def __init__(self, config: Config, translations: Translations | None = None) -> None:
        from mtaudit.judge import JudgeSettings  # the judge's model files decide "auto" metrics

        self.settings = settings = settings_of(config, FidelitySettings)
        self.judge_settings = settings_of(config, JudgeSettings)
        enabled = settings.parts
        unknown = [p for p in enabled if p not in PARTS]
        if unknown:
            raise ConfigError(f"fidelity.parts: unknown part(s) {unknown}; known: {list(PARTS)}")
        self.parts: tuple[str, ...] = tuple(p for p in PARTS if p in enabled)
        chosen = settings.metrics
        self.metrics = None if chosen == ("auto",) else metric_names(chosen)
        self.numbers_severity = settings.numbers_severity
        self.names_severity = settings.names_severity
        self._auto: dict[tuple[str, str], dict[str, frozenset[str]]] = {}
        self.translations = translations if translations is not None else Translations(config)

    # -- plumbing ---------------------------------------------------------------------------

    def signature(self) -> dict[str, object]:
        """What this signal really used: each direction's translator, parts, sacrebleu version."""
        import sacrebleu

        return {
            "parts": list(self.parts),
            "sacrebleu": str(sacrebleu.__version__),
            "translators": self.translations.signature(),
        }

    def metrics_for(self, part: str, langs: tuple[str, str]) -> frozenset[str]:
        """The metrics ``part`` computes for ``langs``.

        The configured list, or with ``auto`` those the direction's judge model reads (resolved
        once per direction).
        """
        if self.metrics is not None:
            return self.metrics
        if langs not in self._auto:
            from mtaudit.judge import fidelity_metrics  # the judge's needs, read from its file

            direction = f"{langs[0]}-{langs[1]}"
            self._auto[langs] = fidelity_metrics(self.judge_settings, direction)
        return self._auto[langs].get(part, frozenset({"chrf"}))

    def close(self) -> None:
        """Close the translation cache (models are freed with the signal)."""
        self.translations.close()

    def _round_trip_check(self, src: str, tgt: str, targets: Sequence[str]) -> Availability:
        """Whether the round trip of ``targets`` can run, and for which when only some can.

        Each leg runs where its model is on disk or its translations are cached. Without the
        second leg's model, a target's round trip runs when its back-translation and that
        back-translation's own translation are both cached, whatever the other targets have.
        """
        back_leg, trip_leg = f"{tgt}-{src}", f"{src}-{tgt}"
        first = self.translations.available(back_leg, targets, True)
        if not first.ran or self.translations.model_present(trip_leg):
            return first
        # second leg: only cached back-translations can be checked without a model
        reach = [t for t in targets if first.only is None or t.strip() in first.only]
        back = self.translations.cached(back_leg, reach)
        if not back:
            return self.translations.available(trip_leg, targets)  # reports the missing model
        second = self.translations.available(trip_leg, list(back.values()), True)
        if not second.ran:
            return second
        kept = frozenset(
            t.strip()
            for t in reach
            if (b := back.get(t.strip())) is not None
            and (second.only is None or b.strip() in second.only)
        )
        if len(kept) == len({t.strip() for t in targets if t.strip()}):
            return Availability(True)
        return self.translations.partly_cached((back_leg, trip_leg), targets, kept)

    def _plan(self, pairs: Sequence[Pair]) -> dict[str, dict[tuple[str, str], list[int]]]:
        plan: dict[str, dict[tuple[str, str], list[int]]] = {p: defaultdict(list) for p in PARTS}
        for i, pair in enumerate(pairs):
            if not pair.target.text.strip():
                continue
            langs = (pair.source_lang, pair.target_lang)
            if _needs_source(pair):
                plan["back_translation"][langs].append(i)
                plan["forward"][langs].append(i)
            else:
                plan["round_trip"][langs].append(i)
        return {part: dict(groups) for part, groups in plan.items() if part in self.parts}

    def _checks(self, pairs: Sequence[Pair]) -> dict[str, dict[tuple[str, str], Availability]]:
        checks: dict[str, dict[tuple[str, str], Availability]] = {}
        for part, groups in self._plan(pairs).items():
            checks[part] = {}
            for (src, tgt), idx in groups.items():
                targets = [pairs[i].target.text for i in idx]
                if part == "back_translation":
                    checks[part][(src, tgt)] = self.translations.available(
                        f"{tgt}-{src}", targets, True
                    )
                elif part == "forward":
                    sources = [pairs[i].source or "" for i in idx]
                    checks[part][(src, tgt)] = self.translations.available(
                        f"{src}-{tgt}", sources, True
                    )
                else:
                    checks[part][(src, tgt)] = self._round_trip_check(src, tgt, targets)
        return checks

    # -- Signal protocol --------------------------------------------------------------------

    def status(self, pairs: Sequence[Pair]) -> list[SignalStatus]:
        """One status per part that these pairs need; parts no pair needs are left out."""
        statuses = []
        for part, groups in self._checks(pairs).items():
            if not groups:
                continue
            failed = [c for c in groups.values() if not c.ran]
            partial = [c for c in groups.values() if c.ran and c.only is not None]
            if failed:
                statuses.append(
                    SignalStatus(
                        f"fidelity.{part}",
                        False,
                        "; ".join(dict.fromkeys(c.reason for c in failed)),
                        " && ".join(dict.fromkeys(c.fix for c in failed if c.fix)),
                    )
                )
            elif partial:
                statuses.append(
                    SignalStatus(
                        f"fidelity.{part}",
                        True,
                        "; ".join(c.reason for c in partial),
                        " && ".join(dict.fromkeys(c.fix for c in partial if c.fix)),
                    )
                )
            else:
                statuses.append(SignalStatus(f"fidelity.{part}", True))
        return statuses

    def score(self, pairs: Sequence[Pair]) -> list[SignalOutput]:
        """Score every pair with the parts that can run (translations batched per direction)."""
        outputs = [SignalOutput() for _ in pairs]
        plan = self._plan(pairs)
        for part, groups in self._checks(pairs).items():
            for langs, check in groups.items():
                if not check.ran:
                    continue
                idx = plan[part][langs]
                if check.only is not None:
                    text = (lambda p: p.target.text) if part != "forward" else _source_text
                    idx = [i for i in idx if text(pairs[i]).strip() in check.only]
                getattr(self, f"_score_{part}")(pairs, idx, langs, outputs)
        return outputs

    # -- the three parts --------------------------------------------------------------------

    def _score_back_translation(
        self, pairs: Sequence[Pair], idx: list[int], langs: tuple[str, str], out: list[SignalOutput]
    ) -> None:
        src, tgt = langs
        metrics = self.metrics_for("back_translation", langs)
        backs = self.translations.translate([pairs[i].target.text for i in idx], tgt, src)
        for i, back in zip(idx, backs, strict=True):
            pair, result = pairs[i], out[i]
            result.texts["back_translation"] = back
            scores = compare(back, pair.source or "", src, metrics)
            self._record(result, "back_translation", scores, pair)
            self._numbers(result, pair.target.text, back, "the back-translation")

    def _score_forward(
        self, pairs: Sequence[Pair], idx: list[int], langs: tuple[str, str], out: list[SignalOutput]
    ) -> None:
        src, tgt = langs
        metrics = self.metrics_for("forward", langs)
        forwards = self.translations.translate([pairs[i].source or "" for i in idx], src, tgt)
        for i, forward in zip(idx, forwards, strict=True):
            pair, result = pairs[i], out[i]
            result.texts["forward_translation"] = forward
            result.texts["suggestion"] = forward
            scores = compare(pair.target.text, forward, tgt, metrics)
            self._record(result, "forward", scores, pair)
            self._names(result, pair.target.text, forward, tgt, "the independent translation")

    def _score_round_trip(
        self, pairs: Sequence[Pair], idx: list[int], langs: tuple[str, str], out: list[SignalOutput]
    ) -> None:
        src, tgt = langs
        metrics = self.metrics_for("round_trip", langs)
        targets = [pairs[i].target.text for i in idx]
        backs = self.translations.translate(targets, tgt, src)
        trips = self.translations.translate(backs, src, tgt)
        for i, back, trip in zip(idx, backs, trips, strict=True):
            pair, result = pairs[i], out[i]
            result.texts["back_translation"] = back
            result.texts["round_trip"] = trip
            scores = compare(trip, pair.target.text, tgt, metrics)
            self._record(result, "round_trip", scores, pair)
            self._numbers(result, pair.target.text, trip, "the round trip")
            self._names(result, pair.target.text, trip, tgt, "the round trip")

    # -- findings ---------------------------------------------------------------------------

    def _record(self, result: SignalOutput, part: str, scores: Scores, pair: Pair) -> None:
        suffix = _VALUE_SUFFIX[part]
        result.values[f"chrf_{suffix}"] = round(scores.chrf, 2)
        if scores.bleu is not None:
            result.values[f"bleu_{suffix}"] = round(scores.bleu, 2)
        if scores.ter is not None:
            result.values[f"ter_{suffix}"] = round(scores.ter, 2)
        if len(pair.target.text.strip()) < self.settings.min_chars:
            return
        bands = self.settings.bands(part)
        major, minor = bands.chrf_major, bands.chrf_minor
        severity = (
            Severity.MAJOR
            if scores.chrf < major
            else Severity.MINOR
            if scores.chrf < minor
            else None
        )
        if severity is None:
            return
        what = {
            "back_translation": "its back-translation differs from the source",
            "forward": "it differs from an independent translation of the source",
            "round_trip": "it does not survive a round trip through the source language",
        }[part]
        limit = major if severity is Severity.MAJOR else minor
        result.findings.append(
            Finding(
                f"fidelity.{part}",
                severity,
                f"{what} (chrF {scores.chrf:.1f} < {limit:g})",
            )
        )

    def _numbers(self, result: SignalOutput, target: str, other: str, where: str) -> None:
        severity = self.numbers_severity
        for value, start, end in lost_numbers(target, other):
            result.findings.append(
                Finding(
                    "fidelity.numbers", severity, f"{value} is missing from {where}", (start, end)
                )
            )

    def _names(self, result: SignalOutput, target: str, other: str, lang: str, where: str) -> None:
        if lang != "en":
            return
        severity = self.names_severity
        limit = self.settings.max_name_findings
        for word, start, end in lost_names(target, other)[:limit]:
            result.findings.append(
                Finding("fidelity.names", severity, f"{word!r} is not in {where}", (start, end))
            )


def build(config: Config, translations: Translations | None = None) -> FidelitySignal:
    """Registry factory: the fidelity signal, translating through the run's ``translations``."""
    return FidelitySignal(config, translations)
