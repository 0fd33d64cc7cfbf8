"""Per-token surprisal of sentences under a causal LM, and where in the sentence it peaks.

Surprisal is in **bits**: ``-log2 p(token | everything before it)``. A sentence's score is the
mean over its tokens; its worst window is the run of ``window`` consecutive tokens with the
highest mean, mapped back to character offsets in the sentence so a report can highlight words.

With a context (the previous sentence), the model reads the context first and only the
sentence's own tokens are scored, so a sentence that starts with "He" is not punished for a
pronoun that the previous sentence explains.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mtaudit.lm.engines import Engine
from mtaudit.lm.spans import Offsets, align_pieces, clamp_offsets, window_span, worst_window

logger = logging.getLogger("mtaudit")

LN2 = math.log(2.0)

# Typographic quotes and apostrophes, read as their plain forms: one character for one, so every
# offset into the scored copy is an offset into the original. LMs trained on web text have seen
# the plain forms far more often, and a curly apostrophe is not a fluency problem.
_PLAIN_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)


@dataclass(frozen=True)
class SentenceScore:
    """The fluency of one sentence under one model.

    ``surprisal[i]`` is the surprisal in bits of the sentence's i-th scored token, whose
    characters are ``text[offsets[i][0]:offsets[i][1]]`` (tokens that are parts of one
    character share its offsets). ``window`` is the worst window as token indices and ``span``
    the same window as character offsets into ``text``, grown to whole words.
    """

    text: str
    surprisal: tuple[float, ...]
    offsets: tuple[tuple[int, int], ...]
    mean: float
    window: tuple[int, int]
    window_mean: float
    span: tuple[int, int]
    context_tokens: int = 0
    truncated: bool = False

    @property
    def tokens(self) -> int:
        """Count the sentence's scored tokens."""
        return len(self.surprisal)

    @property
    def span_text(self) -> str:
        """Return the words of the worst window."""
        return self.text[self.span[0] : self.span[1]]


class FluencyScorer:
    """Tokenizes sentences (with optional context), runs an engine, and summarises the result.

    The tokenizer must be the model's Hugging Face tokenizer; a fast tokenizer gives exact
    character offsets, a slow one falls back to locating each decoded token in the text.
    """

    def __init__(
        self,
        tokenizer: Any,
        engine: Engine,
        *,
        window: int = 4,
        max_tokens: int | None = None,
        name: str = "",
        plain_quotes: bool = True,
        model: str = "",
    ) -> None:
        if window < 1:
            raise ValueError("the worst window must cover at least one token")
        self.tokenizer = tokenizer
        self.engine = engine
        self.window = window
        self.name = name
        self.model = model or name
        self.plain_quotes = plain_quotes
        limit = engine.max_length if max_tokens is None else min(max_tokens, engine.max_length)
        self.max_length = max(2, limit)
        bos = getattr(tokenizer, "bos_token_id", None)
        if bos is None:
            bos = getattr(tokenizer, "eos_token_id", None)
        self.bos_id: int | None = bos

    @property
    def engine_name(self) -> str:
        """The engine actually used (``"ct2"`` or ``"transformers"``)."""
        return self.engine.name

    @property
    def compute_type(self) -> str:
        """The engine's weight type."""
        return self.engine.compute_type

    def signature(self) -> dict[str, str]:
        """The resolved state: model id@revision, engine, weight type, window, token limit."""
        return {
            "model": self.model,
            "engine": self.engine.name,
            "compute_type": self.engine.compute_type,
            "window": str(self.window),
            "max_tokens": str(self.max_length),
            "plain_quotes": str(self.plain_quotes).lower(),
        }

    def encode(self, text: str, *, after_context: bool = False) -> tuple[list[int], Offsets]:
        """Return the token ids of ``text`` and each token's character offsets in ``text``.

        After a context the text is tokenized with a leading space, as it would be mid-document;
        offsets still refer to ``text`` itself.
        """
        shift = 1 if after_context else 0
        if self.plain_quotes:
            text = text.translate(_PLAIN_QUOTES)
        source = " " + text if after_context else text
        if getattr(self.tokenizer, "is_fast", False):
            enc = self.tokenizer(source, add_special_tokens=False, return_offsets_mapping=True)
            ids = list(enc["input_ids"])
            offsets = clamp_offsets(enc["offset_mapping"], shift, len(text))
            return ids, offsets
        ids = list(self.tokenizer(source, add_special_tokens=False)["input_ids"])
        pieces = [
            self.tokenizer.convert_tokens_to_string([t])
            for t in self.tokenizer.convert_ids_to_tokens(ids)
        ]
        return ids, align_pieces(text, pieces)

    def _sequence(self, text: str, context: str | None) -> tuple[list[int], int, Offsets, bool]:
        """Return (ids to run, index of the first sentence token, sentence offsets, truncated)."""
        use_context = bool(context and context.strip())
        ids, offsets = self.encode(text, after_context=use_context)
        ctx_ids: list[int] = []
        if use_context and context is not None:
            if self.plain_quotes:
                context = context.translate(_PLAIN_QUOTES)
            ctx_ids = list(self.tokenizer(context, add_special_tokens=False)["input_ids"])
        head = [] if self.bos_id is None else [self.bos_id]
        truncated = False
        room = self.max_length - len(head)
        if len(ids) > room:
            ids, offsets, truncated = ids[:room], offsets[:room], True
        keep_ctx = max(0, room - len(ids))
        ctx_ids = ctx_ids[len(ctx_ids) - keep_ctx :] if keep_ctx else []
        prefix = head + ctx_ids
        return prefix + ids, len(prefix), offsets, truncated

    def score(
        self, texts: Sequence[str], contexts: Sequence[str | None] | None = None
    ) -> list[SentenceScore]:
        """Score every text (batched by the engine); ``contexts[i]`` is the text before it."""
        if contexts is not None and len(contexts) != len(texts):
            raise ValueError("give one context (or None) per text")
        prepared = [
            self._sequence(text, None if contexts is None else contexts[i])
            for i, text in enumerate(texts)
        ]
        # The sentence's token k sits at seq[first + k]; without a BOS token the very first
        # token has nothing to be predicted from and is left unscored.
        starts = [max(p[1], 1) for p in prepared]
        logps = self.engine.log_probs([p[0] for p in prepared], starts)
        out: list[SentenceScore] = []
        for text, (_, first, offsets, truncated), start, lp in zip(
            texts, prepared, starts, logps, strict=True
        ):
            surprisal = [-v / LN2 for v in lp]
            token_offsets = offsets[start - first :]
            if truncated:
                logger.warning(
                    "fluency: a sentence of %d characters is longer than the model's %d tokens; "
                    "only its start was scored",
                    len(text),
                    self.max_length,
                )
            w_start, w_end, w_mean = worst_window(surprisal, self.window)
            mean = sum(surprisal) / len(surprisal) if surprisal else math.nan
            out.append(
                SentenceScore(
                    text=text,
                    surprisal=tuple(surprisal),
                    offsets=tuple(token_offsets),
                    mean=mean,
                    window=(w_start, w_end),
                    window_mean=w_mean,
                    span=window_span(text, token_offsets, w_start, w_end),
                    context_tokens=first - (0 if self.bos_id is None else 1),
                    truncated=truncated,
                )
            )
        return out
