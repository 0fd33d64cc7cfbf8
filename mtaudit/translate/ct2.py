"""The CTranslate2 translation backend (int8 weights, the fast CPU path).

Models are converted by :func:`mtaudit.models.convert.convert`; the Marian converter starts the
decoder from a zero embedding and drops the trailing ``<pad>`` entry of the vocabulary, as the
original Marian models do.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from mtaudit.config import Config
from mtaudit.errors import ModelMissingError
from mtaudit.extras import installed
from mtaudit.models.convert import HF_CONFIG
from mtaudit.models.paths import ct2_dir, ct2_present, hf_dir, hf_present
from mtaudit.models.specs import ModelSpec
from mtaudit.translate import TranslationKey
from mtaudit.translate.hf import load_tokenizer, model_limit, source_prefix
from mtaudit.translate.length import ChunkedTranslator
from mtaudit.translate.settings import Decoding, decoding, translation_settings

log = logging.getLogger("mtaudit")


def _source_limit(path: Path, tokenizer: Any) -> int:
    """Read the source model's length limit from the copy of its configuration."""
    settings: dict[str, Any] = {}
    if (path / HF_CONFIG).is_file():
        settings = json.loads((path / HF_CONFIG).read_text(encoding="utf-8"))
    return model_limit(SimpleNamespace(**settings), tokenizer)


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
        revision: str = "",
    ) -> None:
        if not ct2_present(path):
            raise ModelMissingError(
                f"no CTranslate2 model in {path}", fix=f"mtaudit models convert {spec.name}"
            )
        import ctranslate2

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
        key = TranslationKey(
            spec.hub_id, revision or spec.revision, spec.direction, decoding.signature()
        )
        super().__init__(key, batch_size, min(decoding.max_tokens, self.limit - 2))
        self.engine = "ct2"
        self.compute_type = compute_type
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


class CT2Backend:
    """Registry entry ``ct2``: the converted copy, made from the pulled model on first use."""

    name = "ct2"

    def present(self, config: Config, spec: ModelSpec) -> bool:
        """A converted copy, or a pulled model and ctranslate2 to convert it."""
        if ct2_present(ct2_dir(config, spec)):
            return True
        return hf_present(hf_dir(config, spec)) and installed("ctranslate2")

    def open(self, config: Config, spec: ModelSpec) -> CT2Translator:
        """Convert (first use only) and load."""
        from mtaudit.models.convert import convert
        from mtaudit.translate.engine import translation_key

        path = ct2_dir(config, spec)
        if not ct2_present(path):
            if not hf_present(hf_dir(config, spec)):
                raise ModelMissingError(
                    f"model {spec.name} is not in {hf_dir(config, spec).parent}",
                    fix=f"mtaudit models pull {spec.name}",
                )
            convert(hf_dir(config, spec), path)
        return CT2Translator(
            spec,
            path,
            decoding(config),
            batch_size=translation_settings(config).batch_size,
            threads=translation_settings(config).threads,
            revision=translation_key(config, spec).revision,
        )


BACKEND = CT2Backend()
