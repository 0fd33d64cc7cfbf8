"""What a causal-LM engine is: the log-probability of every token of a sequence.

The engines live one per module (:mod:`mtaudit.lm.hf`, :mod:`mtaudit.lm.ct2`) and are found
through :data:`mtaudit.lm.BACKENDS`. Both take token ids from the same Hugging Face tokenizer, so
their scores can be compared token by token.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

logger = logging.getLogger("mtaudit")


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


def first_scored(sequences: Sequence[Sequence[int]], first: Sequence[int] | None) -> list[int]:
    """Check and fill in the index of the first scored token of each sequence."""
    if first is None:
        return [1] * len(sequences)
    if len(first) != len(sequences):
        raise ValueError("give one first-token index per sequence")
    if any(f < 1 for f in first):
        raise ValueError("the first token of a sequence has no prediction to score")
    return list(first)


def batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Group indices into batches of similar length (longest first) to waste little padding."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    size = max(1, batch_size)
    return [order[i : i + size] for i in range(0, len(order), size)]
