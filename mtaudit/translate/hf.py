"""The transformers backend: MarianMT by default, any seq2seq model with its language codes.

Conventions handled here, from the real models' cards and configs:
- opus-mt models that serve several target languages (opus-mt-en-ar: ara, arz, apc, ...) need a
  sentence-initial target-language token such as ``>>ara<<``; the spec's ``target_token`` is
  prepended to every input and must exist in the model's vocabulary.
- Marian shares one vocabulary between two sentencepiece models; outputs are decoded with the
  *target* sentencepiece model (``use_source_tokenizer=False``), which some tokenizer versions
  do not default to for shared vocabularies.
- NLLB and M2M100 take ``src_lang`` on the tokenizer and force the target language as the first
  generated token (``forced_bos_token_id``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mtaudit.config import Config
from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.models.paths import hf_dir, hf_present
from mtaudit.models.specs import ModelSpec
from mtaudit.translate import TranslationKey
from mtaudit.translate.length import ChunkedTranslator
from mtaudit.translate.settings import Decoding, decoding, translation_settings

log = logging.getLogger("mtaudit")


def keep_offline() -> None:
    """Make sure that loading a model never reaches the network (only ``models pull`` does)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def source_prefix(spec: ModelSpec, vocab: dict[str, int]) -> str:
    """Return what goes before each input: the target-language token for Marian, or ""."""
    if spec.kind != "marian" or not spec.target_token:
        return ""
    if spec.target_token not in vocab:
        raise ConfigError(
            f"models.{spec.name}.target_token {spec.target_token!r} is not in the model's "
            "vocabulary"
        )
    return spec.target_token + " "


def model_limit(config: Any, tokenizer: Any) -> int:
    """Return the most source tokens the model accepts (positions, tokenizer maximum)."""
    limit = int(getattr(config, "max_position_embeddings", 0) or 512)
    tok_max = getattr(tokenizer, "model_max_length", None)
    if isinstance(tok_max, int) and 0 < tok_max < 100_000:
        limit = min(limit, tok_max)
    return limit


def load_tokenizer(spec: ModelSpec, path: Path) -> Any:
    """Load the tokenizer for ``spec`` from ``path`` by its kind (works on CTranslate2 dirs too)."""
    keep_offline()
    if spec.kind == "marian":
        from transformers import MarianTokenizer

        return MarianTokenizer.from_pretrained(str(path), local_files_only=True)
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(
        str(path), local_files_only=True, src_lang=spec.source_code
    )


class HFTranslator(ChunkedTranslator):
    """Translate with a transformers seq2seq model loaded from a local directory."""

    def __init__(
        self,
        spec: ModelSpec,
        path: Path,
        decoding: Decoding,
        *,
        batch_size: int = 16,
        threads: int = 0,
        revision: str = "",
    ) -> None:
        if not hf_present(path):
            raise ModelMissingError(
                f"model {spec.name} is not in {path}", fix=f"mtaudit models pull {spec.name}"
            )
        keep_offline()
        import torch
        from transformers import AutoModelForSeq2SeqLM

        if threads > 0:
            torch.set_num_threads(threads)
        self.spec = spec
        self.decoding = decoding
        self.tokenizer = load_tokenizer(spec, path)
        self.model = AutoModelForSeq2SeqLM.from_pretrained(str(path), local_files_only=True)
        self.model.eval()
        self.limit = model_limit(self.model.config, self.tokenizer)
        self.prefix = source_prefix(spec, self.tokenizer.get_vocab())
        self.forced_bos: int | None = None
        if spec.kind == "nllb":
            self.forced_bos = int(self.tokenizer.convert_tokens_to_ids(spec.target_code))
        elif spec.kind == "m2m100":
            self.forced_bos = int(self.tokenizer.get_lang_id(spec.target_code))
        key = TranslationKey(
            spec.hub_id, revision or spec.revision, spec.direction, decoding.signature()
        )
        # room for the language token and </s> inside the model's limit
        super().__init__(key, batch_size, min(decoding.max_tokens, self.limit - 2))
        self.engine = "transformers"
        log.info("loaded %s (transformers) from %s", spec.name, path)

    def count_tokens(self, text: str) -> int:
        """Source tokens of ``text`` including the language token and ``</s>``."""
        return len(self.tokenizer(self.prefix + text).input_ids)

    def translate_batch(self, texts: list[str]) -> list[str]:
        """Generate translations for one batch (greedy or beam search, per the settings)."""
        import torch

        enc = self.tokenizer(
            [self.prefix + t for t in texts], return_tensors="pt", padding=True, truncation=False
        )
        length = int(enc["input_ids"].shape[1])
        max_new = min(self.limit, int(length * self.decoding.max_output_ratio) + 10)
        kwargs: dict[str, Any] = {
            "num_beams": self.decoding.beam,
            "do_sample": False,
            "max_new_tokens": max_new,
            "max_length": None,
        }
        if self.forced_bos is not None:
            kwargs["forced_bos_token_id"] = self.forced_bos
        with torch.inference_mode():
            out = self.model.generate(**enc, **kwargs)
        decode_kwargs: dict[str, Any] = {"skip_special_tokens": True}
        if self.spec.kind == "marian":
            decode_kwargs["use_source_tokenizer"] = False
        return [s.strip() for s in self.tokenizer.batch_decode(out, **decode_kwargs)]


class HFBackend:
    """Registry entry ``transformers``: the pulled Hugging Face model, run by PyTorch."""

    name = "transformers"

    def present(self, config: Config, spec: ModelSpec) -> bool:
        """Whether the pulled model is on disk."""
        return hf_present(hf_dir(config, spec))

    def open(self, config: Config, spec: ModelSpec) -> HFTranslator:
        """Load the pulled model."""
        from mtaudit.translate.engine import translation_key

        return HFTranslator(
            spec,
            hf_dir(config, spec),
            decoding(config),
            batch_size=translation_settings(config).batch_size,
            threads=translation_settings(config).threads,
            revision=translation_key(config, spec).revision,
        )


BACKEND = HFBackend()
