"""The real model paths on tiny Marian models: transformers generation, CTranslate2 conversion."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from mtaudit.errors import ConfigError, ModelMissingError
from mtaudit.models.convert import convert
from mtaudit.models.specs import ModelSpec
from mtaudit.translate import Translator
from mtaudit.translate.ct2 import CT2Translator
from mtaudit.translate.engine import choose_engine, open_backend
from mtaudit.translate.hf import HFTranslator
from mtaudit.translate.settings import decoding, engine_for
from tests.helpers.tiny_marian import parallel_lines
from tests.helpers.translate_fixtures import make_config

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_model_env")]

ARABIC = range(0x0600, 0x0700)


def sources(spec: ModelSpec, n: int = 8) -> list[str]:
    return [src for src, _ in parallel_lines(spec.source_lang, spec.target_lang, n, seed=7)]


def test_transformers_en_ar_uses_the_target_language_token(
    tiny_models: Path, tmp_path: Path
) -> None:
    config = make_config(
        tiny_models, tmp_path / "c.sqlite3", **{"translation.engine": "transformers"}
    )
    spec = engine_for(config, "en-ar")
    assert spec is not None and spec.target_token == ">>ara<<"
    tr = open_backend(config, spec)
    assert isinstance(tr, HFTranslator) and isinstance(tr, Translator)
    ids = tr.tokenizer(tr.prefix + "the minister said").input_ids
    assert ids[0] == tr.tokenizer.get_vocab()[">>ara<<"]
    assert ids[-1] == tr.tokenizer.eos_token_id
    out = tr.translate(["the minister said on Monday.", "", "police army forces attack."])
    assert len(out) == 3 and out[1] == ""
    assert all("⁇" not in o for o in out)  # decoded with the target sentencepiece model
    assert all(not o or any(ord(c) in ARABIC or not c.isalpha() for c in o) for o in out)
    assert tr.key.model == "Helsinki-NLP/opus-mt-en-ar" and tr.key.direction == "en-ar"


def test_transformers_ar_en_batches_keep_order(tiny_models: Path, tmp_path: Path) -> None:
    config = make_config(
        tiny_models,
        tmp_path / "c.sqlite3",
        **{"translation.engine": "transformers", "translation.batch_size": 3},
    )
    spec = engine_for(config, "ar-en")
    assert spec is not None
    tr = open_backend(config, spec)
    texts = sources(spec)
    batched = tr.translate(texts)
    one_by_one = [tr.translate([t])[0] for t in texts]
    assert batched == one_by_one
    assert len(set(batched)) > 1  # the outputs depend on the input
    assert tr.prefix == ""  # single-target model: no language token


def test_missing_target_token_is_a_config_error(tiny_models: Path, tmp_path: Path) -> None:
    config = make_config(
        tiny_models,
        tmp_path / "c.sqlite3",
        **{"translation.engine": "transformers", "models.opus-mt-en-ar.target_token": ">>xyz<<"},
    )
    spec = engine_for(config, "en-ar")
    assert spec is not None
    with pytest.raises(ConfigError, match="not in the model's vocabulary"):
        open_backend(config, spec)


def test_long_sentences_are_split_not_truncated(
    tiny_models: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = make_config(
        tiny_models,
        tmp_path / "c.sqlite3",
        **{"translation.engine": "transformers", "translation.max_tokens": 12},
    )
    spec = engine_for(config, "ar-en")
    assert spec is not None
    tr = open_backend(config, spec)
    long = "، ".join(sources(spec, 6))  # ~50 tokens against a budget of 12
    assert tr.count_tokens(long) > 12
    with caplog.at_level(logging.WARNING, logger="mtaudit"):
        out = tr.translate([long])
    assert tr.split_inputs == 1
    assert "over the 12-token budget" in caplog.text
    assert out[0]


def test_the_model_limit_caps_the_budget(tiny_models: Path, tmp_path: Path) -> None:
    config = make_config(
        tiny_models, tmp_path / "c.sqlite3", **{"translation.engine": "transformers"}
    )
    spec = engine_for(config, "ar-en")
    assert spec is not None
    tr = open_backend(config, spec)
    assert tr.limit == 64 and tr.budget == 62  # max_position_embeddings of the tiny model


def test_ct2_conversion_drops_pad_and_matches_transformers(
    tiny_models: Path, tmp_path: Path
) -> None:
    config = make_config(
        tiny_models, tmp_path / "c.sqlite3", **{"translation.engine": "transformers"}
    )
    spec = engine_for(config, "ar-en")
    assert spec is not None
    out = convert(tiny_models / spec.name, tmp_path / "f32", quantization="float32")
    vocab = json.loads((tiny_models / spec.name / "vocab.json").read_text(encoding="utf-8"))
    ct2_vocab = json.loads((out / "shared_vocabulary.json").read_text(encoding="utf-8"))
    assert len(ct2_vocab) == len(vocab) - 1 and ct2_vocab[-1] != "<pad>"
    texts = sources(spec)
    hf = open_backend(config, spec).translate(texts)
    ct2 = CT2Translator(spec, out, decoding(config), compute_type="float32").translate(texts)
    assert ct2 == hf  # same model, same greedy search: same words


def test_ct2_int8_translates_both_directions(tiny_ct2_models: Path, tmp_path: Path) -> None:
    config = make_config(tiny_ct2_models, tmp_path / "c.sqlite3")
    for direction in ("ar-en", "en-ar"):
        spec = engine_for(config, direction)
        assert spec is not None
        assert choose_engine(config, spec) == "ct2"
        tr = open_backend(config, spec)
        assert isinstance(tr, CT2Translator)
        assert tr.limit == 64  # read from the copied source configuration
        out = tr.translate(sources(spec, 4))
        assert len(out) == 4 and all(isinstance(o, str) and o for o in out)
        assert all("⁇" not in o for o in out)


def test_auto_engine_and_missing_model(tiny_models: Path, tmp_path: Path) -> None:
    config = make_config(tiny_models, tmp_path / "c.sqlite3", **{"translation.auto_convert": False})
    spec = engine_for(config, "ar-en")
    assert spec is not None
    assert choose_engine(config, spec) == "transformers"
    empty = make_config(tmp_path / "empty", tmp_path / "c.sqlite3")
    for engine in ("auto", "ct2", "transformers"):
        cfg = empty.with_overrides({"translation.engine": engine})
        with pytest.raises(ModelMissingError) as info:
            open_backend(cfg, spec)
        assert info.value.fix is not None and "mtaudit models" in info.value.fix
