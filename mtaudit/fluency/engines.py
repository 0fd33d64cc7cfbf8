"""Engines that give the log-probability of every token of a sequence under a causal LM.

Two engines compute the same thing: ``TransformersEngine`` (a plain PyTorch forward pass over
any Hugging Face causal LM) and ``CT2Engine`` (CTranslate2's ``Generator.score_batch`` on a
converted, usually int8, copy of the same model: the fast CPU path). Both take token ids from
the same Hugging Face tokenizer, so their scores can be compared token by token.

torch, transformers and ctranslate2 are imported only when an engine is built.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.extras import require

logger = logging.getLogger("mtaudit")

PADDING_SIDES = ("right", "left")


class Engine(Protocol):
    """Scores token sequences with a causal LM."""

    name: str
    compute_type: str
    max_length: int

    def log_probs(
        self, sequences: Sequence[Sequence[int]], first: Sequence[int] | None = None
    ) -> list[list[float]]:
        """For each sequence, ``log p(token_i | tokens_<i)`` in nats for ``i = first .. n-1``.

        ``first[k]`` (at least 1, default 1) is the first token of sequence ``k`` to score: the
        tokens before it (a context) are read but not scored.
        """
        ...


def _starts(sequences: Sequence[Sequence[int]], first: Sequence[int] | None) -> list[int]:
    """Check and fill in the index of the first scored token of each sequence."""
    if first is None:
        return [1] * len(sequences)
    if len(first) != len(sequences):
        raise ValueError("give one first-token index per sequence")
    if any(f < 1 for f in first):
        raise ValueError("the first token of a sequence has no prediction to score")
    return list(first)


def _batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Group indices into batches of similar length (longest first) to waste little padding."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    size = max(1, batch_size)
    return [order[i : i + size] for i in range(0, len(order), size)]


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
        torch = require("torch", "the fluency signal")
        auto_model = require("transformers", "the fluency signal").AutoModelForCausalLM

        if threads > 0:
            torch.set_num_threads(threads)
        try:
            model = auto_model.from_pretrained(str(model_dir), dtype=getattr(torch, dtype))
        except (OSError, ValueError) as exc:
            raise ModelMissingError(f"cannot load the causal LM at {model_dir}: {exc}") from None
        model.eval()
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
        starts = _starts(sequences, first)
        out: list[list[float]] = [[] for _ in sequences]
        for batch in _batches([len(s) for s in sequences], self.batch_size):
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
        ctranslate2 = require("ctranslate2", "the fluency signal (ct2 engine)")

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
        starts = _starts(sequences, first)
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
