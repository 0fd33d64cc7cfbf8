"""The CTranslate2 backend (int8 weights, the fast CPU path) and its converter.

``convert`` turns a Hugging Face model directory into ``models/<name>-ct2-int8/`` and copies the
tokenizer files next to the converted weights, so the converted directory is self-contained.
The Marian converter starts the decoder from a zero embedding and drops the trailing ``<pad>``
entry of the vocabulary, as the original Marian models do.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from mtaudit.errors import ModelMissingError
from mtaudit.extras import require
from mtaudit.translate import TranslationKey
from mtaudit.translate.hf import load_tokenizer, model_limit, source_prefix
from mtaudit.translate.length import ChunkedTranslator
from mtaudit.translate.specs import Decoding, ModelSpec, ct2_present, hf_present

log = logging.getLogger("mtaudit")

TOKENIZER_FILES = (
    "source.spm",
    "target.spm",
    "vocab.json",
    "target_vocab.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "sentencepiece.bpe.model",
    "sentencepiece.model",
    "spm.model",
    "tokenizer.json",
    "generation_config.json",
)
HF_CONFIG = "hf_config.json"


def _source_limit(path: Path, tokenizer: Any) -> int:
    """Read the source model's length limit from the copy of its configuration."""
    settings: dict[str, Any] = {}
    if (path / HF_CONFIG).is_file():
        settings = json.loads((path / HF_CONFIG).read_text(encoding="utf-8"))
    return model_limit(SimpleNamespace(**settings), tokenizer)


def convert(
    hf_path: Path, out_path: Path, *, quantization: str = "int8", force: bool = False
) -> Path:
    """Convert the model in ``hf_path`` to CTranslate2 in ``out_path`` (atomically); return it."""
    if ct2_present(out_path) and not force:
        return out_path
    if not hf_present(hf_path):
        raise ModelMissingError(f"no Hugging Face model in {hf_path} to convert")
    converters = require("ctranslate2.converters", "converting to CTranslate2")
    require("torch", "converting to CTranslate2")

    copy = [str(hf_path / f) for f in TOKENIZER_FILES if (hf_path / f).is_file()]
    tmp = out_path.with_name(out_path.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    converter = converters.TransformersConverter(str(hf_path), copy_files=copy)
    converter.convert(str(tmp), quantization=quantization, force=True)
    # keep the source model's configuration (its length limit) next to the converted weights
    shutil.copyfile(hf_path / "config.json", tmp / HF_CONFIG)
    if out_path.exists():
        shutil.rmtree(out_path)
    tmp.rename(out_path)
    log.info("converted %s to CTranslate2 (%s) in %s", hf_path.name, quantization, out_path)
    return out_path


class CT2Translator(ChunkedTranslator):
    """Translate with a converted CTranslate2 model on the CPU."""

    def __init__(
        self,
        spec: ModelSpec,
        path: Path,
        decoding: Decoding,
        *,
        batch_size: int = 16,
        threads: int = 0,
        compute_type: str = "int8",
    ) -> None:
        if not ct2_present(path):
            raise ModelMissingError(
                f"no CTranslate2 model in {path}", fix=f"mtaudit models convert {spec.name}"
            )
        ctranslate2 = require("ctranslate2", f"translating with {spec.name}")

        self.spec = spec
        self.decoding = decoding
        self.tokenizer = load_tokenizer(spec, path)
        self.translator = ctranslate2.Translator(
            str(path), device="cpu", compute_type=compute_type, intra_threads=threads
        )
        self.limit = _source_limit(path, self.tokenizer)
        self.prefix = source_prefix(spec, self.tokenizer.get_vocab())
        self.target_prefix: list[str] | None = None
        if spec.kind in ("nllb", "m2m100"):
            token = spec.target_code if spec.kind == "nllb" else f"__{spec.target_code}__"
            self.target_prefix = [token]
        key = TranslationKey(spec.hub_id, spec.revision, spec.direction, decoding.signature())
        super().__init__(key, batch_size, min(decoding.max_tokens, self.limit - 2))
        log.info("loaded %s (CTranslate2 %s) from %s", spec.name, compute_type, path)

    def _tokens(self, text: str) -> list[str]:
        ids = self.tokenizer(self.prefix + text).input_ids
        tokens: list[str] = self.tokenizer.convert_ids_to_tokens(ids)
        return tokens

    def count_tokens(self, text: str) -> int:
        """Source tokens of ``text`` including the language token and ``</s>``."""
        return len(self._tokens(text))

    def translate_batch(self, texts: list[str]) -> list[str]:
        """Translate one batch of tokenised inputs with CTranslate2."""
        batch = [self._tokens(t) for t in texts]
        longest = max(len(b) for b in batch)
        kwargs: dict[str, Any] = {
            "beam_size": self.decoding.beam,
            "max_decoding_length": min(
                self.limit, int(longest * self.decoding.max_output_ratio) + 10
            ),
            "max_batch_size": self.batch_size,
        }
        if self.target_prefix:
            kwargs["target_prefix"] = [self.target_prefix] * len(batch)
        results = self.translator.translate_batch(batch, **kwargs)
        outputs = []
        for result in results:
            tokens = result.hypotheses[0]
            if self.target_prefix and tokens[:1] == self.target_prefix:
                tokens = tokens[1:]
            ids = self.tokenizer.convert_tokens_to_ids(tokens)
            decode_kwargs: dict[str, Any] = {"skip_special_tokens": True}
            if self.spec.kind == "marian":
                decode_kwargs["use_source_tokenizer"] = False
            outputs.append(self.tokenizer.decode(ids, **decode_kwargs).strip())
        return outputs
