"""The transformers engine: a plain PyTorch forward pass over any Hugging Face causal LM."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.lm.engines import batches, first_scored
from mtaudit.lm.loading import ScorerSpec, make_scorer
from mtaudit.lm.scorer import FluencyScorer

PADDING_SIDES = ("right", "left")


class TransformersEngine:
    """A Hugging Face causal LM run by PyTorch in inference mode, in batches with padding.

    Padding may go on either side: the attention mask hides the padding and position ids are
    counted from each sequence's first real token, so a sequence scores the same alone as in a
    batch with longer ones.
    """

    name = "transformers"

    def __init__(
        self,
        model_dir: Path,
        *,
        batch_size: int = 16,
        padding_side: str = "right",
        threads: int = 0,
        dtype: str = "float32",
    ) -> None:
        if padding_side not in PADDING_SIDES:
            raise ConfigError(
                f"fluency.padding_side must be 'right' or 'left', not {padding_side!r}"
            )
        import torch
        from transformers import AutoModelForCausalLM

        if threads > 0:
            torch.set_num_threads(threads)
        try:
            model = AutoModelForCausalLM.from_pretrained(
                str(model_dir), dtype=getattr(torch, dtype)
            )
        except (OSError, ValueError) as exc:
            raise ModelMissingError(f"cannot load the causal LM at {model_dir}: {exc}") from None
        model.eval()  # type: ignore[no-untyped-call]
        self._torch = torch
        self.model: Any = model
        self.batch_size = batch_size
        self.padding_side = padding_side
        self.compute_type = dtype
        config = model.config
        self.max_length = int(
            getattr(config, "n_positions", None)
            or getattr(config, "max_position_embeddings", None)
            or 1024
        )
        self.pad_id = 0
        self._keeps_logits = "logits_to_keep" in inspect.signature(model.forward).parameters

    def log_probs(
        self, sequences: Sequence[Sequence[int]], first: Sequence[int] | None = None
    ) -> list[list[float]]:
        """Log-probabilities (nats) of tokens ``first .. n-1`` of each sequence, batched.

        Only the positions that predict scored tokens go through the LM head (through
        ``logits_to_keep``), which saves most of the work when a long context precedes a
        sentence: the vocabulary projection is the largest single cost of a small LM.
        """
        torch = self._torch
        starts = first_scored(sequences, first)
        out: list[list[float]] = [[] for _ in sequences]
        for batch in batches([len(s) for s in sequences], self.batch_size):
            rows = [list(sequences[i]) for i in batch]
            width = max(len(r) for r in rows)
            if width < 2:
                continue
            # Column (in the padded batch) of the earliest position whose prediction is needed.
            needed_from = min(
                (starts[i] - 1) if self.padding_side == "right" else width - len(r) + starts[i] - 1
                for i, r in zip(batch, rows, strict=True)
            )
            keep = width - needed_from
            ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
            mask = torch.zeros((len(rows), width), dtype=torch.long)
            for r, seq in enumerate(rows):
                if self.padding_side == "right":
                    ids[r, : len(seq)] = torch.tensor(seq, dtype=torch.long)
                    mask[r, : len(seq)] = 1
                else:
                    ids[r, width - len(seq) :] = torch.tensor(seq, dtype=torch.long)
                    mask[r, width - len(seq) :] = 1
            positions = (mask.cumsum(-1) - 1).clamp(min=0)
            extra = {"logits_to_keep": keep} if self._keeps_logits else {}
            with torch.inference_mode():
                logits = self.model(
                    input_ids=ids,
                    attention_mask=mask,
                    position_ids=positions,
                    use_cache=False,
                    **extra,
                ).logits
                logits = logits[:, logits.shape[1] - keep : -1, :].float()
                # Column c of ``scores`` is the log-probability of the token at needed_from + c + 1.
                targets = ids[:, needed_from + 1 :].unsqueeze(-1)
                scores = logits.gather(-1, targets).squeeze(-1) - torch.logsumexp(logits, dim=-1)
            for r, i in enumerate(batch):
                n = len(rows[r])
                pad = 0 if self.padding_side == "right" else width - n
                lo = pad + starts[i] - needed_from - 1
                hi = pad + n - needed_from - 1
                out[i] = [float(v) for v in scores[r, lo:hi].tolist()] if n > starts[i] else []
        return out


class TransformersBackend:
    """Registry entry: builds a scorer on :class:`TransformersEngine`."""

    name = "transformers"
    needs = ("torch", "transformers")
    reads_model_files = True

    def open(self, spec: ScorerSpec) -> FluencyScorer:
        """Load the model in ``spec.model_dir`` and wrap it in a scorer."""
        engine = TransformersEngine(
            spec.model_dir,
            batch_size=spec.batch_size,
            padding_side=spec.padding_side,
            threads=spec.threads,
        )
        return make_scorer(spec, engine)


BACKEND = TransformersBackend()
