"""Sentence alignment: one ``align()`` for source and target sentences of a document.

Two methods, both banded dynamic programmes (``band``): by length (Gale-Church, ``length``) and
by translation (Bleualign-style, ``translation``), which translates the target sentences into
the source language with the translator it is given and compares them with the source. The
document's own languages decide the direction; nothing here knows about signals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from mtaudit.align.band import band_width
from mtaudit.align.length import AlignSettings, align_lengths
from mtaudit.align.translation import BeadSettings
from mtaudit.align.translation import align as align_translations
from mtaudit.config import Config
from mtaudit.settings import settings_of
from mtaudit.types import Bead, Sentence

__all__ = [
    "AlignSettings",
    "Alignment",
    "BeadSettings",
    "Translate",
    "align",
    "align_lengths",
    "align_translations",
]


@dataclass(frozen=True)
class Alignment:
    """What ``align`` reads: ``[align]`` and the translation method's ``[fidelity]`` keys."""

    lengths: AlignSettings
    beads: BeadSettings

    @classmethod
    def from_config(cls, config: Config) -> Alignment:
        """Both tables of ``config`` (read once per configuration)."""
        return cls(settings_of(config, AlignSettings), settings_of(config, BeadSettings))


class Translate(Protocol):
    """What the translation-based method needs: translations, or ``None`` when unavailable."""

    def __call__(
        self, texts: Sequence[str], source_lang: str, target_lang: str
    ) -> list[str] | None:
        """Translate ``texts`` from ``source_lang`` into ``target_lang`` (one output per text)."""
        ...


def _groups(sentences: Sequence[Sentence]) -> list[list[Sentence]]:
    groups: dict[int, list[Sentence]] = {}
    for sent in sentences:
        groups.setdefault(sent.paragraph, []).append(sent)
    return list(groups.values())


def _block(
    source: Sequence[Sentence],
    target: Sequence[Sentence],
    settings: Alignment,
    translate: Translate | None,
    source_lang: str,
    target_lang: str,
) -> list[Bead]:
    n, m = len(source), len(target)
    if translate is not None and n and m:
        backs = translate([s.text for s in target], target_lang, source_lang)
        if backs is not None:
            from mtaudit.text.compare import ChrfMemo

            chrf = ChrfMemo(source_lang)

            def bound(hyps: Sequence[str], refs: Sequence[str]) -> float | None:
                value = chrf.bound(hyps, refs)
                return None if value is None else value / 100.0

            return align_translations(
                [s.text for s in source],
                backs,
                lambda hyp, ref: chrf(hyp, ref) / 100.0,
                bound=bound,
                merge_penalty=settings.beads.align_merge_penalty,
                width=band_width(n, m, settings.beads.align_band, settings.lengths.max_band),
            )
    lengths = ([len(s.text) for s in source], [len(s.text) for s in target])
    return align_lengths(*lengths, settings.lengths)


def align(
    source: Sequence[Sentence],
    target: Sequence[Sentence],
    settings: Alignment,
    *,
    source_lang: str,
    target_lang: str,
    translate: Translate | None = None,
) -> list[Bead]:
    """Align source and target sentences of one document; beads hold sentence ``index``es.

    When both sides have the same number of paragraphs, paragraphs anchor the alignment and
    sentences are aligned within each pair of paragraphs; otherwise the whole document is one
    block. Within a block the translation-based method is used when ``translate`` is given and
    can translate the target into ``source_lang``; the length-based method is the fallback.
    """
    src_groups, tgt_groups = _groups(source), _groups(target)
    if len(src_groups) != len(tgt_groups):
        src_groups, tgt_groups = [list(source)], [list(target)]
    beads: list[Bead] = []
    for src, tgt in zip(src_groups, tgt_groups, strict=True):
        local = _block(src, tgt, settings, translate, source_lang, target_lang)
        for s_idx, t_idx in local:
            beads.append((tuple(src[i].index for i in s_idx), tuple(tgt[j].index for j in t_idx)))
    return beads
