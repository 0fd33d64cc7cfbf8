"""Fluency: how surprised a causal language model is by each token of a sentence, and where.

The pieces, from the bottom up:

- :mod:`mtaudit.fluency.spans` — token offsets, the worst window, highlight spans (pure Python);
- :mod:`mtaudit.fluency.engines` — token log-probabilities from transformers or CTranslate2;
- :mod:`mtaudit.fluency.scorer` — sentences (with optional context) to :class:`SentenceScore`;
- :mod:`mtaudit.fluency.loading` — load a scorer once per process;
- :mod:`mtaudit.fluency.background` — normalise against the shipped fluent sample text.

Importing this package does not import torch; loading a scorer does.
"""

from mtaudit.fluency.background import Background, load_background, sample_paragraphs
from mtaudit.fluency.loading import ScorerSpec, load_scorer
from mtaudit.fluency.scorer import FluencyScorer, SentenceScore

__all__ = [
    "Background",
    "FluencyScorer",
    "ScorerSpec",
    "SentenceScore",
    "load_background",
    "load_scorer",
    "sample_paragraphs",
]
