"""The fluency signal: would a native reader stumble over this sentence, and where.

A causal LM (``[fluency] model``, described under ``[models.<name>]``) gives every token its
surprisal; the sentence's mean and its worst window of ``window`` tokens are normalised against
the model's background on fluent text (see :mod:`mtaudit.lm.background`) and compared
with the thresholds in ``[fluency]``. The finding's span is the worst window, grown to words.

Only sentences whose ``target_lang`` is one of the model's ``languages`` are scored.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from mtaudit.config import Config
from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.extras import NEURAL_FIX
from mtaudit.models.paths import resolve_path
from mtaudit.settings import settings_of
from mtaudit.types import Finding, Pair, Severity, SignalOutput, SignalStatus

logger = logging.getLogger("mtaudit")

NAME = "fluency"


@dataclass(frozen=True)
class FluencyOptions:
    """The ``[fluency]`` table as written; ``FluencySettings`` resolves it against the model."""

    SECTION: ClassVar[str] = "fluency"
    model: str
    engine: str
    compute_type: str
    batch_size: int
    threads: int
    padding_side: str
    window: int
    context: bool
    plain_quotes: bool
    max_tokens: int
    min_tokens: int
    sentence_minor_z: float
    sentence_major_z: float
    window_minor_z: float
    window_major_z: float
    background: str
    sample_texts: dict[str, str]


@dataclass(frozen=True)
class FluencySettings:
    """The ``[fluency]`` section and the ``[models.<name>]`` entry it names, checked."""

    model: str
    model_dir: Path
    languages: tuple[str, ...]
    engine: str
    compute_type: str
    batch_size: int
    threads: int
    padding_side: str
    window: int
    context: bool
    plain_quotes: bool
    max_tokens: int
    min_tokens: int
    sentence_minor_z: float
    sentence_major_z: float
    window_minor_z: float
    window_major_z: float
    background: Path | None
    sample_texts: dict[str, Path]
    model_id: str = ""

    @classmethod
    def from_config(cls, config: Config) -> FluencySettings:
        """Read and validate the settings; raise ``ConfigError`` on bad values."""
        from mtaudit.models.paths import hf_dir
        from mtaudit.models.specs import CAUSAL_LM, model_spec
        from mtaudit.models.store import resolved_revision

        options = settings_of(config, FluencyOptions)
        model = options.model
        if not config.section(f"models.{model}"):
            raise ConfigError(f"fluency.model names {model!r}, but there is no [models.{model}]")
        spec = model_spec(config, model)
        if spec.kind != CAUSAL_LM:
            raise ConfigError(
                f"[models.{model}] is a {spec.kind!r} model; fluency needs a {CAUSAL_LM}"
            )

        def integer(key: str, low: int) -> int:
            value: int = getattr(options, key)
            if value < low:
                raise ConfigError(f"fluency.{key} must be an integer >= {low}, got {value!r}")
            return value

        o = options
        return cls(
            model=model,
            model_dir=hf_dir(config, spec),
            languages=spec.languages,
            engine=o.engine,
            compute_type=o.compute_type,
            batch_size=integer("batch_size", 1),
            threads=integer("threads", 0),
            padding_side=o.padding_side,
            window=integer("window", 1),
            context=o.context,
            plain_quotes=o.plain_quotes,
            max_tokens=integer("max_tokens", 8),
            min_tokens=integer("min_tokens", 1),
            sentence_minor_z=o.sentence_minor_z,
            sentence_major_z=o.sentence_major_z,
            window_minor_z=o.window_minor_z,
            window_major_z=o.window_major_z,
            background=resolve_path(o.background) if o.background else None,
            sample_texts={k: resolve_path(v) for k, v in o.sample_texts.items()},
            model_id=f"{spec.hub_id}@{resolved_revision(config, spec)}",
        )


def severity_for(z: float, minor: float, major: float) -> Severity:
    """Return the severity a z-score earns under a pair of thresholds."""
    if z != z:  # NaN
        return Severity.NONE
    if z >= major:
        return Severity.MAJOR
    if z >= minor:
        return Severity.MINOR
    return Severity.NONE


class FluencySignal:
    """Language-model surprisal per sentence, normalised, with the words that cause it."""

    name = NAME

    def __init__(self, settings: FluencySettings) -> None:
        self.settings = settings
        self._missing: tuple[tuple[str, str] | None] | None = None
        self._scorer: Any = None

    def _unavailable_once(self) -> tuple[str, str] | None:
        """``_unavailable``, looked up on disk once per run (the signal lives for one run)."""
        if self._missing is None:
            self._missing = (self._unavailable(),)
        return self._missing[0]

    def signature(self) -> dict[str, str]:
        """What this signal really used: the scorer's resolved state once it has loaded."""
        if self._scorer is not None:
            return dict(self._scorer.signature())
        return {"model": self.settings.model_id, "engine": "not loaded"}

    # -- status ---------------------------------------------------------------------------

    def _unavailable(self) -> tuple[str, str] | None:
        """Return (reason, fix) when the model or its libraries are missing; look at disk only."""
        from mtaudit.extras import installed
        from mtaudit.lm import get_backend
        from mtaudit.lm.loading import resolve_engine
        from mtaudit.models.paths import missing_reason

        s = self.settings
        engine = resolve_engine(s.engine)  # raises ConfigError on an unknown engine
        backend = get_backend(engine)
        for module in backend.needs:
            if not installed(module):
                if module == "ctranslate2":
                    return (
                        f"fluency.engine is {engine} but ctranslate2 is not installed",
                        NEURAL_FIX,
                    )
                return f"{module} is not installed", NEURAL_FIX
        reason = missing_reason(s.model_dir) if backend.reads_model_files else None
        if reason is not None:
            return f"causal LM {s.model!r} not found: {reason}", f"mtaudit models pull {s.model}"
        return None

    def status(self, pairs: Sequence[Pair]) -> list[SignalStatus]:
        """Whether fluency can run on these pairs; never loads the model."""
        missing = self._unavailable_once()
        if missing is not None:
            return [SignalStatus(NAME, False, missing[0], missing[1])]
        langs = Counter(p.target_lang for p in pairs)
        covered = {lang for lang in langs if lang in self.settings.languages}
        if pairs and not covered:
            return [
                SignalStatus(
                    NAME,
                    False,
                    f"model {self.settings.model!r} covers {self._covers()}, "
                    f"not {', '.join(sorted(langs))}",
                    f"name a causal LM for {', '.join(sorted(langs))} in [fluency] model",
                )
            ]
        skipped = {lang: n for lang, n in langs.items() if lang not in covered}
        if skipped:
            left = ", ".join(f"{n} in {lang}" for lang, n in sorted(skipped.items()))
            return [
                SignalStatus(
                    NAME,
                    True,
                    f"scores {', '.join(sorted(covered))} only; sentences not scored: {left}",
                    "name a causal LM that covers those languages in [fluency] model",
                )
            ]
        return [SignalStatus(NAME, True)]

    def _covers(self) -> str:
        return ", ".join(self.settings.languages) or "no language"

    # -- scoring --------------------------------------------------------------------------

    def _spec(self) -> Any:
        from mtaudit.lm.loading import ScorerSpec

        s = self.settings
        return ScorerSpec(
            model_dir=s.model_dir,
            engine=s.engine,
            compute_type=s.compute_type,
            batch_size=s.batch_size,
            threads=s.threads,
            padding_side=s.padding_side,
            window=s.window,
            max_tokens=s.max_tokens,
            plain_quotes=s.plain_quotes,
            model=s.model_id,
        )

    def score(self, pairs: Sequence[Pair]) -> list[SignalOutput]:
        """One output per pair; pairs in languages the model does not cover get empty output."""
        outputs = [SignalOutput() for _ in pairs]
        missing = self._unavailable()
        if missing is not None:
            raise ModelMissingError(missing[0], fix=missing[1])
        by_lang: dict[str, list[int]] = {}
        for i, pair in enumerate(pairs):
            if pair.target_lang in self.settings.languages and pair.target.text.strip():
                by_lang.setdefault(pair.target_lang, []).append(i)
        if not by_lang:
            return outputs
        from mtaudit.lm.background import load_background
        from mtaudit.lm.loading import load_scorer

        scorer = self._scorer = load_scorer(self._spec())
        s = self.settings
        for lang, indices in sorted(by_lang.items()):
            background = load_background(
                scorer,
                s.model_dir,
                lang,
                context=s.context,
                path=s.background,
                sample_path=s.sample_texts.get(lang),
            )
            texts = [pairs[i].target.text for i in indices]
            contexts = [pairs[i].previous if s.context else None for i in indices]
            for i, result in zip(indices, scorer.score(texts, contexts), strict=True):
                outputs[i] = self._output(result, background.normalise(result))
        return outputs

    def _output(self, result: Any, norm: dict[str, float]) -> SignalOutput:
        s = self.settings
        values: dict[str, float] = {
            "surprisal_mean": result.mean,
            "window_mean": result.window_mean,
            "tokens": float(result.tokens),
            "window_start": float(result.span[0]),
            "window_end": float(result.span[1]),
            **norm,
        }
        out = SignalOutput(values={k: v for k, v in values.items() if not math.isnan(v)})
        if result.tokens < s.min_tokens or not norm:
            return out
        sentence_sev = severity_for(norm["surprisal_z"], s.sentence_minor_z, s.sentence_major_z)
        window_sev = severity_for(norm["window_z"], s.window_minor_z, s.window_major_z)
        severity = max(sentence_sev, window_sev)
        if severity is Severity.NONE:
            return out
        words = result.span_text
        window = (
            f"worst {s.window}-token stretch z={norm['window_z']:.1f}, "
            f"more surprising than {norm['window_pct']:.0f}% of fluent text"
        )
        whole = f"whole sentence z={norm['surprisal_z']:.1f}"
        if window_sev >= sentence_sev:
            check = "fluency.span"
            message = f"reads unnaturally around \u201c{words}\u201d ({window}; {whole})"
        else:
            check = "fluency.sentence"
            message = (
                f"the sentence as a whole reads unnaturally ({whole}, more surprising than "
                f"{norm['surprisal_pct']:.0f}% of fluent text); hardest words: \u201c{words}\u201d"
            )
        out.findings.append(
            Finding(check=check, severity=severity, message=message, span=result.span)
        )
        return out


def build(config: Config, translations: object = None) -> FluencySignal:
    """Build the fluency signal from the configuration (``[fluency]`` and its model entry).

    ``translations`` (the run's shared translator) is not used by fluency.
    """
    return FluencySignal(FluencySettings.from_config(config))
