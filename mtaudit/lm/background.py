"""Normalise surprisal against fluent text, so that thresholds mean the same for every model.

Raw surprisal depends on the model (its vocabulary, its size, its training data) and on the
sentence's length (short sentences pay more for their first words; long ones have more windows
to find a bad one in). So, once per model, engine and language, mtaudit scores the fluent sample
text it ships (``mtaudit/data/fluent.<lang>.txt``) and stores, for the sentence mean and for the
worst window, a fit ``expected = intercept + slope * log(tokens)`` with the spread of the
residuals (standard deviation and percentiles). A sentence's z-score is its distance from the
fluent expectation for its length, in fluent standard deviations; its percentile says how much of
the fluent text was less surprising.

The stored file sits beside the model: ``models/<name>.fluency-background.json``.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from mtaudit.atomic import write_text_atomic
from mtaudit.errors import ConfigError, MtauditError
from mtaudit.lm import Scorer
from mtaudit.lm.scorer import SentenceScore

logger = logging.getLogger("mtaudit")

FORMAT = "mtaudit.fluency-background/1"
_QUANTILES = 101  # 0th to 100th percentile
_MIN_SCALE = 1e-3


def sample_paragraphs(lang: str, path: Path | None = None) -> list[list[str]]:
    """Return the fluent sample text for ``lang``: paragraphs of sentences, one a line.

    ``path`` overrides the shipped file; paragraphs are separated by blank lines.
    """
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read the fluent sample text {path}: {exc}") from None
    else:
        resource = resources.files("mtaudit") / "data" / f"fluent.{lang}.txt"
        if not resource.is_file():
            raise ConfigError(
                f"mtaudit ships no fluent sample text for language {lang!r}; "
                f"name one in [fluency] sample_texts"
            )
        text = resource.read_text(encoding="utf-8")
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    if sum(len(p) for p in paragraphs) < 20:
        raise ConfigError(f"the fluent sample text for {lang!r} needs at least 20 sentences")
    return paragraphs


def model_fingerprint(model_dir: Path) -> str:
    """Identify the model files cheaply: config.json's hash plus the weights' sizes and times."""
    digest = hashlib.sha256()
    config = model_dir / "config.json"
    if config.is_file():
        digest.update(config.read_bytes())
    for path in sorted(model_dir.glob("*")):
        if path.suffix in (".safetensors", ".bin") and path.is_file():
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Fit:
    """Fluent expectation of a score as a function of log(token count), and the spread around it."""

    intercept: float
    slope: float
    scale: float
    quantiles: tuple[float, ...]
    log_min: float
    log_max: float

    @classmethod
    def from_scores(cls, values: Sequence[float], counts: Sequence[int]) -> Fit:
        """Least-squares fit of ``values`` on ``log(counts)``; quantiles of the residuals."""
        pairs = [(math.log(n), v) for v, n in zip(values, counts, strict=True) if n > 0 and v == v]
        if len(pairs) < 3:
            raise ValueError("a background needs at least three scored sentences")
        xs = [p[0] for p in pairs]
        ys = [p[1] for p in pairs]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        var = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in pairs) / var if var > 1e-12 else 0.0
        intercept = my - slope * mx
        residuals = sorted(y - (intercept + slope * x) for x, y in pairs)
        scale = max(statistics.stdev(residuals), _MIN_SCALE)
        n = len(residuals)
        quantiles = []
        for q in range(_QUANTILES):
            pos = q / (_QUANTILES - 1) * (n - 1)
            lo = int(math.floor(pos))
            hi = min(lo + 1, n - 1)
            quantiles.append(residuals[lo] + (residuals[hi] - residuals[lo]) * (pos - lo))
        return cls(intercept, slope, scale, tuple(quantiles), min(xs), max(xs))

    def expected(self, tokens: int) -> float:
        """Return the fluent score expected for a sentence of ``tokens`` tokens."""
        x = min(max(math.log(max(tokens, 1)), self.log_min), self.log_max)
        return self.intercept + self.slope * x

    def z(self, value: float, tokens: int) -> float:
        """Return standard deviations above the fluent expectation (positive = less fluent)."""
        return (value - self.expected(tokens)) / self.scale

    def percentile(self, value: float, tokens: int) -> float:
        """Return the percentage (0-100) of fluent sentences that scored lower than ``value``."""
        residual = value - self.expected(tokens)
        qs = self.quantiles
        if residual <= qs[0]:
            return 0.0
        if residual >= qs[-1]:
            return 100.0
        i = bisect.bisect_right(qs, residual)
        lo, hi = qs[i - 1], qs[i]
        frac = (residual - lo) / (hi - lo) if hi > lo else 0.0
        return 100.0 * (i - 1 + frac) / (len(qs) - 1)


@dataclass(frozen=True)
class Background:
    """The fluent-text distribution of one model, engine and language."""

    key: str
    model: str
    engine: str
    lang: str
    window: int
    context: bool
    sentences: int
    mean: Fit
    worst: Fit

    def normalise(self, score: SentenceScore) -> dict[str, float]:
        """Return z-scores and percentiles of a sentence's mean and worst-window surprisal."""
        if score.tokens == 0:
            return {}
        return {
            "surprisal_z": self.mean.z(score.mean, score.tokens),
            "surprisal_pct": self.mean.percentile(score.mean, score.tokens),
            "window_z": self.worst.z(score.window_mean, score.tokens),
            "window_pct": self.worst.percentile(score.window_mean, score.tokens),
        }

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Background:
        """Rebuild from :meth:`to_json` output; raise ``ValueError`` when it is malformed."""
        try:
            fits = {
                k: Fit(**{**data[k], "quantiles": tuple(data[k]["quantiles"])})
                for k in ("mean", "worst")
            }
            return cls(
                key=str(data["key"]),
                model=str(data["model"]),
                engine=str(data["engine"]),
                lang=str(data["lang"]),
                window=int(data["window"]),
                context=bool(data["context"]),
                sentences=int(data["sentences"]),
                mean=fits["mean"],
                worst=fits["worst"],
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"malformed fluency background: {exc}") from None


def background_path(model_dir: Path) -> Path:
    """Return where the background of the model in ``model_dir`` is stored: beside it."""
    return model_dir.parent / f"{model_dir.name}.fluency-background.json"


def background_key(
    scorer: Scorer, model_dir: Path, lang: str, context: bool, paragraphs: list[list[str]]
) -> str:
    """Identify a background by everything that changes its numbers."""
    text = hashlib.sha256("\n\n".join("\n".join(p) for p in paragraphs).encode()).hexdigest()
    return ":".join(
        [
            scorer.engine_name,
            scorer.compute_type,
            lang,
            f"w{scorer.window}",
            f"ctx{int(context)}",
            f"max{scorer.max_length}",
            f"q{int(scorer.plain_quotes)}",
            model_fingerprint(model_dir),
            text[:16],
        ]
    )


def compute_background(
    scorer: Scorer, lang: str, paragraphs: list[list[str]], *, context: bool, key: str = ""
) -> Background:
    """Score the fluent sample (each sentence after the one before it, if ``context``)."""
    texts: list[str] = []
    contexts: list[str | None] = []
    for paragraph in paragraphs:
        for i, sentence in enumerate(paragraph):
            texts.append(sentence)
            contexts.append(paragraph[i - 1] if context and i > 0 else None)
    logger.info("fluency: scoring %d fluent %s sentences for the background", len(texts), lang)
    scores = [s for s in scorer.score(texts, contexts) if s.tokens > 0]
    counts = [s.tokens for s in scores]
    return Background(
        key=key,
        model=scorer.name,
        engine=scorer.engine_name,
        lang=lang,
        window=scorer.window,
        context=context,
        sentences=len(scores),
        mean=Fit.from_scores([s.mean for s in scores], counts),
        worst=Fit.from_scores([s.window_mean for s in scores], counts),
    )


def _read_store(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.warning("fluency: ignoring unreadable background file %s (%s)", path, exc)
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        logger.warning("fluency: ignoring background file %s of an unknown format", path)
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def _write_store(path: Path, entries: dict[str, Any]) -> None:
    blob = json.dumps({"format": FORMAT, "entries": entries}, indent=1, ensure_ascii=False)
    try:
        write_text_atomic(blob + "\n", path)
    except MtauditError as exc:
        logger.warning(
            "fluency: cannot store the background in %s (%s); it will be recomputed next run",
            path,
            exc,
        )


def load_background(
    scorer: Scorer,
    model_dir: Path,
    lang: str,
    *,
    context: bool,
    path: Path | None = None,
    sample_path: Path | None = None,
) -> Background:
    """Return the stored background of this scorer and language; compute and store it first."""
    store = path or background_path(model_dir)
    paragraphs = sample_paragraphs(lang, sample_path)
    key = background_key(scorer, model_dir, lang, context, paragraphs)
    entries = _read_store(store)
    if key in entries:
        try:
            return Background.from_json(entries[key])
        except ValueError as exc:
            logger.warning("fluency: recomputing the background (%s)", exc)
    background = compute_background(scorer, lang, paragraphs, context=context, key=key)
    entries = _read_store(store)  # re-read: another process may have added entries meanwhile
    entries[key] = background.to_json()
    _write_store(store, entries)
    return background
