"""The one CTranslate2 converter, for translators and causal LMs alike.

``convert`` turns a Hugging Face model directory into ``<name>-ct2-<quantization>/`` beside it,
copies the tokenizer files and the source configuration (its length limit) next to the
converted weights, so the converted directory is self-contained, and moves it into place only
when complete: an interrupted conversion never leaves a half-written model behind.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.extras import NEURAL_FIX, installed
from mtaudit.models.paths import ct2_present, hf_present

log = logging.getLogger("mtaudit")

QUANTIZATIONS = ("int8", "int8_float32", "int16", "float32")
TOKENIZER_FILES = (
    "source.spm",
    "target.spm",
    "vocab.json",
    "merges.txt",
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


def convert(
    hf_path: Path, out_path: Path, *, quantization: str = "int8", force: bool = False
) -> Path:
    """Convert the model in ``hf_path`` to CTranslate2 in ``out_path`` (atomically); return it.

    An existing conversion is kept unless ``force`` is true.
    """
    if quantization not in QUANTIZATIONS:
        raise ConfigError(f"quantization must be one of {', '.join(QUANTIZATIONS)}")
    if ct2_present(out_path) and not force:
        return out_path
    if not hf_present(hf_path):
        raise ModelMissingError(f"no Hugging Face model in {hf_path} to convert")
    if not installed("ctranslate2"):
        raise ModelMissingError(
            "converting a model needs the 'neural' extra (ctranslate2 is not installed)",
            fix=NEURAL_FIX,
        )
    import ctranslate2

    copy = [str(hf_path / f) for f in TOKENIZER_FILES if (hf_path / f).is_file()]
    tmp = out_path.with_name(out_path.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    log.info("converting %s to CTranslate2 (%s) in %s", hf_path.name, quantization, out_path)
    try:
        converter = ctranslate2.converters.TransformersConverter(
            str(hf_path), copy_files=copy, low_cpu_mem_usage=True
        )
        converter.convert(str(tmp), quantization=quantization, force=True)
        # keep the source model's configuration (its length limit) next to the converted weights
        shutil.copyfile(hf_path / "config.json", tmp / HF_CONFIG)
        if out_path.exists():
            shutil.rmtree(out_path)
        tmp.rename(out_path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out_path
