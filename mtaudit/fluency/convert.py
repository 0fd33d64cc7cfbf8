"""Convert a Hugging Face causal LM into a CTranslate2 model (the fast CPU scoring path)."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from mtaudit.errors import ModelMissingError
from mtaudit.extras import require

logger = logging.getLogger("mtaudit")

QUANTIZATIONS = ("int8", "int8_float32", "int16", "float32")


def ct2_dir_for(model_dir: Path, quantization: str = "int8") -> Path:
    """Return the folder of the converted copy: ``<model_dir>-ct2-<quantization>``."""
    return model_dir.parent / f"{model_dir.name}-ct2-{quantization}"


def is_ct2_model(path: Path) -> bool:
    """Tell whether ``path`` holds a complete CTranslate2 model."""
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def convert_to_ct2(
    model_dir: Path,
    output_dir: Path | None = None,
    *,
    quantization: str = "int8",
    force: bool = False,
) -> Path:
    """Convert the Hugging Face causal LM in ``model_dir`` to CTranslate2 and return its folder.

    The model is written to a temporary folder beside the target and moved into place only when
    complete, so an interrupted conversion never leaves a half-written model behind. An existing
    conversion is kept unless ``force`` is true.
    """
    if quantization not in QUANTIZATIONS:
        raise ValueError(f"quantization must be one of {', '.join(QUANTIZATIONS)}")
    target = output_dir or ct2_dir_for(model_dir, quantization)
    if is_ct2_model(target) and not force:
        return target
    if not (model_dir / "config.json").is_file():
        raise ModelMissingError(f"no Hugging Face model to convert at {model_dir}")
    converters = require("ctranslate2.converters", "converting the causal LM to CTranslate2")
    require("torch", "converting the causal LM to CTranslate2")

    target.parent.mkdir(parents=True, exist_ok=True)
    logger.info("converting %s to CTranslate2 (%s) in %s", model_dir, quantization, target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        converter = converters.TransformersConverter(str(model_dir), low_cpu_mem_usage=True)
        converter.convert(str(tmp / "model"), quantization=quantization, force=True)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp / "model", target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
