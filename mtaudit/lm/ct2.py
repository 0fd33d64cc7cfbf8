"""The CTranslate2 engine: ``Generator.score_batch`` on a converted (usually int8) copy.

The fast CPU path; the copy is made by :func:`mtaudit.models.convert.convert` on first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mtaudit.errors import ModelMissingError
from mtaudit.lm.engines import first_scored
from mtaudit.lm.loading import ScorerSpec, load_tokenizer, make_scorer, model_max_length
from mtaudit.lm.scorer import FluencyScorer
from mtaudit.models.convert import convert
from mtaudit.models.paths import ct2_dir_for, ct2_present


class CT2Engine:
    """A causal LM converted to CTranslate2 and scored with ``Generator.score_batch``."""

    name = "ct2"

    def __init__(
        self,
        ct2_dir: Path,
        tokenizer: Any,
        *,
        batch_size: int = 16,
        compute_type: str = "int8",
        threads: int = 0,
        max_length: int = 1024,
    ) -> None:
        import ctranslate2

        try:
            self.generator = ctranslate2.Generator(
                str(ct2_dir), device="cpu", compute_type=compute_type, intra_threads=threads
            )
        except (RuntimeError, ValueError) as exc:
            raise ModelMissingError(
                f"cannot load the CTranslate2 model at {ct2_dir}: {exc}"
            ) from None
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.compute_type = compute_type
        self.max_length = max_length

    def log_probs(
        self, sequences: Sequence[Sequence[int]], first: Sequence[int] | None = None
    ) -> list[list[float]]:
        """Log-probabilities (nats) of tokens ``first .. n-1`` of each sequence, by CTranslate2."""
        starts = first_scored(sequences, first)
        out: list[list[float]] = [[] for _ in sequences]
        todo = [i for i, s in enumerate(sequences) if len(s) > starts[i]]
        if not todo:
            return out
        tokens = [self.tokenizer.convert_ids_to_tokens(list(sequences[i])) for i in todo]
        results = self.generator.score_batch(
            tokens, max_batch_size=self.batch_size, max_input_length=0
        )
        for i, result in zip(todo, results, strict=True):
            # ``log_probs[j]`` scores token j + 1: CTranslate2 never scores the first token.
            out[i] = [float(v) for v in result.log_probs[starts[i] - 1 :]]
        return out


class CT2Backend:
    """Registry entry: converts the model once if needed and scores with :class:`CT2Engine`."""

    name = "ct2"
    needs = ("torch", "transformers", "ctranslate2")
    reads_model_files = True

    def open(self, spec: ScorerSpec) -> FluencyScorer:
        """Convert (first use only), load, and wrap in a scorer."""
        tokenizer = load_tokenizer(spec)
        ct2_dir = spec.ct2_dir or ct2_dir_for(spec.model_dir, spec.compute_type)
        if not ct2_present(ct2_dir):
            convert(spec.model_dir, ct2_dir, quantization=spec.compute_type)
        engine = CT2Engine(
            ct2_dir,
            tokenizer,
            batch_size=spec.batch_size,
            compute_type=spec.compute_type,
            threads=spec.threads,
            max_length=model_max_length(spec.model_dir),
        )
        return make_scorer(spec, engine, tokenizer)


BACKEND = CT2Backend()
