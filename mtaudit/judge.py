"""Turn a sentence's evidence into one verdict: risk, severity, flag, reasons, spans and basis.

The risk is a calibrated probability that the sentence is broken, from a model file fitted by
``mtaudit calibrate`` (format ``mtaudit.judge/1``: plain JSON weights, applied here with plain
Python; no scikit-learn is needed to audit). A model file holds one logistic model per *basis*,
the set of evidence groups it was fitted on (see :mod:`mtaudit.features`); a sentence is judged
by the model with the largest basis among those whose evidence it has, so evidence that is
missing (a signal that did not run) neither raises nor lowers its risk. Every weight is >= 0 on
features oriented larger = worse, so more or worse evidence never lowers the risk.

The project ships one model per direction (``mtaudit/data/judge/<src>-<tgt>.json``); a direction
without one falls back to the rule-based combination in ``[judge]`` (noisy-or of severity
weights over merged findings).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from mtaudit.config import Config, project_root
from mtaudit.errors import ConfigError
from mtaudit.features import CHECKS, Evidence, Features, extract, finding_name, ordered
from mtaudit.settings import settings_of
from mtaudit.types import Finding, Pair, Severity, Verdict

FORMAT = "mtaudit.judge/1"
SHIPPED = Path(__file__).resolve().parent / "data" / "judge"
BANDS = ("minor", "major", "critical")


@dataclass(frozen=True)
class JudgeSettings:
    """``[judge]``: which model file per direction, the flag override, and the rules."""

    SECTION: ClassVar[str] = "judge"
    model: str
    models: dict[str, str]
    flag_at: float
    operating_point: str
    weight_minor: float
    weight_major: float
    weight_critical: float
    minor: float
    major: float
    critical: float
    flag: float
    always_flag: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    """``[judge] always_flag``: findings that send a sentence to a reviewer whatever its risk.

    Each entry is a check (or signal finding) id, optionally with the lowest severity that
    counts: ``"patterns:major"``, ``"numbers"`` (any severity). The risk stays the model's
    calibrated probability; the sentence is flagged, its severity is at least the finding's,
    and a reason says which rule flagged it.
    """

    rules: dict[str, Severity]

    @classmethod
    def parse(cls, entries: Sequence[str], where: str = "") -> Policy:
        """Read the entries; raise ``ConfigError`` naming a malformed one (and ``where``)."""
        from mtaudit.checks import CHECKS as REGISTERED

        rules: dict[str, Severity] = {}
        for entry in entries:
            check, _, level = entry.strip().partition(":")
            try:
                severity = Severity.parse(level) if level else Severity.MINOR
            except ValueError:
                severity = Severity.NONE
            known = check in REGISTERED or "." in check  # signal findings: "fidelity.numbers"
            if severity == Severity.NONE or not known:
                raise ConfigError(
                    f"{where}judge.always_flag: {entry!r} is not a check id with an optional "
                    f'severity, like "patterns:major" or "numbers" '
                    f"(checks: {', '.join(sorted(REGISTERED))})"
                )
            rules[check] = min(severity, rules.get(check, Severity.CRITICAL))
        return cls(rules)

    def apply(self, verdict: Verdict, pieces: Sequence[Evidence]) -> Verdict:
        """``verdict`` flagged, with its severity raised, when a finding matches a rule."""
        if not self.rules:
            return verdict
        matched = [
            f
            for p in pieces
            for f in p.findings
            if f.check in self.rules and f.severity >= self.rules[f.check]
        ]
        worst = max((f.severity for f in matched), default=Severity.NONE)
        if not matched or (verdict.flagged and verdict.severity >= worst):
            return verdict
        names = ", ".join(sorted({f"{f.check} ({f.severity.label})" for f in matched}))
        # a finding of evidence outside the model's basis is not among the reasons yet
        unseen = [f.message for f in matched if f.message not in verdict.reasons]
        return replace(
            verdict,
            flagged=True,
            severity=max(verdict.severity, worst),
            reasons=[*verdict.reasons, *unseen, f"always flagged ([judge] always_flag): {names}"],
        )


@dataclass(frozen=True)
class BasisModel:
    """A logistic model over the features of one evidence basis, with its decision bands."""

    basis: frozenset[str]
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    flag: float
    bands: dict[str, float]
    # logit added per finding of a check the model never saw in its training data, by severity
    unknown: dict[str, float] = field(default_factory=dict)
    # finding ids seen in the training data (those without a weight were uninformative)
    seen: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BasisModel:
        """Read one entry of a model file's ``models`` list."""
        weights = data["weights"]
        names = tuple(str(k) for k in weights)
        coef = tuple(float(weights[k]["coef"]) for k in names)
        if any(c < 0 for c in coef):
            raise ValueError("negative weight: the model would not be monotone")
        return cls(
            basis=frozenset(data["basis"]),
            features=names,
            mean=tuple(float(weights[k]["mean"]) for k in names),
            scale=tuple(float(weights[k]["scale"]) or 1.0 for k in names),
            coef=coef,
            intercept=float(data["intercept"]),
            flag=float(data["thresholds"]["flag"]),
            bands={b: float(data["thresholds"][b]) for b in BANDS},
            unknown={str(k): max(0.0, float(v)) for k, v in data.get("unknown", {}).items()},
            seen=frozenset(str(k) for k in data.get("seen", [])),
        )

    def score(self, features: Features) -> float:
        """The risk of a sentence from its features, within this model's basis."""
        known = set(self.features) | self.seen
        extra = 0.0
        for piece in features.pieces:
            names = (finding_name(piece.owner, piece.severity), finding_name(piece.owner))
            if piece.group in self.basis and not known.intersection(names):
                extra += self.unknown.get(piece.severity.label, 0.0)
        return self.risk(features.restricted(self.basis), extra)

    def risk(self, values: Mapping[str, float], extra: float = 0.0) -> float:
        """Probability that the sentence is broken; absent count features are 0."""
        z = self.intercept + extra
        for name, mean, scale, coef in zip(
            self.features, self.mean, self.scale, self.coef, strict=True
        ):
            z += coef * (values.get(name, 0.0) - mean) / scale
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


@dataclass(frozen=True)
class JudgeModel:
    """A model file: its models per basis, the length norm, and what identifies it."""

    name: str
    version: str
    digest: str
    direction: str
    length_norm: float
    models: tuple[BasisModel, ...]

    @classmethod
    def load(cls, path: Path) -> JudgeModel:
        """Read and check a ``mtaudit.judge/1`` file; raise ``ConfigError`` when it is bad."""
        try:
            raw = path.read_bytes()
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise ValueError(f"format is {data.get('format')!r}, expected {FORMAT!r}")
            models = tuple(BasisModel.from_dict(m) for m in data["models"])
            if not models:
                raise ValueError("it holds no models")
            return cls(
                name=path.name,
                version=str(data["version"]),
                digest=hashlib.sha256(raw).hexdigest()[:12],
                direction=str(data["direction"]),
                length_norm=float(data.get("length_norm", 0.0)),
                models=models,
            )
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the judge model ({exc.strerror})") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"{path}: not a valid judge model ({exc}); rebuild it with `mtaudit calibrate`"
            ) from None

    def choose(self, groups: frozenset[str]) -> BasisModel | None:
        """The model with the largest basis that the sentence's evidence covers."""
        usable = [m for m in self.models if m.basis <= groups]
        return max(usable, key=lambda m: len(m.basis), default=None)

    def describe(self) -> dict[str, str]:
        """What the run signature says of this model."""
        return {
            "direction": self.direction,
            "model": self.name,
            "version": self.version,
            "digest": self.digest,
        }


def model_path(settings: JudgeSettings, direction: str) -> Path | None:
    """The model file for ``direction``: ``[judge.models]`` entry, else the shipped default."""
    setting = settings.model
    if setting == "rules":
        return None
    chosen = settings.models.get(direction)
    if chosen:
        path = Path(str(chosen)).expanduser()
        return path if path.is_absolute() else project_root() / path
    if setting != "auto":
        path = Path(setting).expanduser()
        return path if path.is_absolute() else project_root() / path
    shipped = SHIPPED / f"{direction}.json"
    return shipped if shipped.is_file() else None


def _verdict(
    risk: float,
    flag: float,
    bands: Mapping[str, float],
    pieces: Sequence[Evidence],
    basis: list[str],
) -> Verdict:
    severity = Severity.NONE
    for level in (Severity.MINOR, Severity.MAJOR, Severity.CRITICAL):
        if risk >= bands[level.label]:
            severity = level
    ordered_pieces = sorted(pieces, key=lambda p: -p.severity)
    reasons = [f.message for p in ordered_pieces for f in p.findings]
    spans = sorted({p.span for p in ordered_pieces if p.span is not None})
    return Verdict(
        risk=round(risk, 4),
        severity=severity,
        flagged=risk >= flag,
        reasons=reasons,
        spans=[(s, e) for s, e in spans],
        basis=basis,
    )


@dataclass
class Judge:
    """Judges sentences with the model of their direction, or by rule where there is none."""

    settings: JudgeSettings
    flag_at: float | None = None
    models: dict[str, JudgeModel | None] = field(default_factory=dict)
    policy: Policy = field(default_factory=lambda: Policy({}))

    @classmethod
    def from_config(cls, config: Config) -> Judge:
        """Read ``[judge]``; model files are loaded on first use per direction."""
        settings = settings_of(config, JudgeSettings)
        flag_at = settings.flag_at
        if not 0.0 <= flag_at <= 1.0:
            raise ConfigError(
                f"judge.flag_at must be a risk in [0, 1] (0: the model's), got {flag_at}"
            )
        files = "".join(f"{p}: " for p in config.paths[1:])  # the user's files, not the defaults
        return cls(settings, flag_at or None, policy=Policy.parse(settings.always_flag, files))

    def model_for(self, direction: str) -> JudgeModel | None:
        """The loaded model for ``direction`` (``None``: judged by rule)."""
        if direction not in self.models:
            path = model_path(self.settings, direction)
            self.models[direction] = JudgeModel.load(path) if path is not None else None
        return self.models[direction]

    def describe(self) -> list[dict[str, str]]:
        """The models used so far, for the run signature."""
        return [
            m.describe() if m else {"direction": d, "model": "rules"}
            for d, m in sorted(self.models.items())
        ]

    def features(
        self,
        pair: Pair,
        findings: Sequence[Finding],
        signals: Mapping[str, float],
        bead_target: str | None = None,
    ) -> Features:
        """The sentence's features, with the length norm of its direction's model."""
        model = self.model_for(f"{pair.source_lang}-{pair.target_lang}")
        norm = model.length_norm if model else 0.0
        return extract(pair, findings, signals, norm, bead_target)

    def judge(
        self,
        pair: Pair,
        findings: Sequence[Finding],
        signals: Mapping[str, float],
        bead_target: str | None = None,
    ) -> Verdict:
        """Judge one sentence from its findings and signal values.

        ``bead_target``: the target sentences sharing this one's source, joined (1-2 alignments).
        """
        model = self.model_for(f"{pair.source_lang}-{pair.target_lang}")
        norm = model.length_norm if model else 0.0
        features = extract(pair, findings, signals, norm, bead_target)
        chosen = model.choose(features.groups) if model else None
        if chosen is None:
            return self.by_rule(features)
        basis = ordered(chosen.basis)
        risk = chosen.score(features)
        pieces = [p for p in features.pieces if p.group in chosen.basis or p.group == CHECKS]
        flag = chosen.flag if self.flag_at is None else self.flag_at
        verdict = _verdict(risk, flag, chosen.bands, pieces, basis)
        # the policy sees every finding, also those of evidence outside the model's basis
        return self.policy.apply(verdict, features.pieces)

    def by_rule(self, features: Features) -> Verdict:
        """Noisy-or of severity weights over merged findings (directions without a model)."""
        s = self.settings
        weights = {
            Severity.NONE: 0.0,
            Severity.MINOR: s.weight_minor,
            Severity.MAJOR: s.weight_major,
            Severity.CRITICAL: s.weight_critical,
        }
        keep = 1.0
        for piece in features.pieces:
            keep *= 1.0 - min(max(weights[piece.severity], 0.0), 1.0)
        bands = {"minor": s.minor, "major": s.major, "critical": s.critical}
        flag = s.flag if self.flag_at is None else self.flag_at
        verdict = _verdict(1.0 - keep, flag, bands, features.pieces, ["rules"])
        return self.policy.apply(verdict, features.pieces)


_METRIC_FEATURES = {"bleu_gap": "bleu", "ter": "ter"}


def fidelity_metrics(settings: JudgeSettings, direction: str) -> dict[str, frozenset[str]]:
    """The comparison metrics each fidelity part must compute for ``direction``'s judge model.

    chrF always; BLEU or TER only where a feature of the model reads them with a non-zero
    weight (``fidelity.<part>.bleu_gap``, ``fidelity.<part>.ter``). Without a model: chrF only.
    """
    path = model_path(settings, direction)
    wanted: dict[str, set[str]] = {}
    if path is not None:
        for basis in JudgeModel.load(path).models:
            for name, coef in zip(basis.features, basis.coef, strict=True):
                if coef == 0:
                    continue  # a feature the model does not weigh needs no metric
                pieces = name.split(".")
                if len(pieces) == 3 and pieces[0] == "fidelity" and pieces[2] in _METRIC_FEATURES:
                    wanted.setdefault(pieces[1], set()).add(_METRIC_FEATURES[pieces[2]])
    return {part: frozenset({"chrf", *names}) for part, names in wanted.items()}
