"""Tiny MarianMT models in both directions, built the way the real opus-mt models are laid out.

Real classes (``MarianConfig``, ``MarianMTModel``, ``MarianTokenizer``), sentencepiece models
trained on a few hundred synthetic lines, a shared ``vocab.json`` with ``</s>`` = 0, ``<unk>`` = 1
and ``<pad>`` as the last id (the ctranslate2 Marian converter drops that last entry), the decoder
starting from the pad id, and the ``>>ara<<`` target-language token that opus-mt-en-ar requires.
Weights are seeded and, if asked, trained for a few seconds on a toy dictionary so that outputs
depend on the input: the tests check the real code paths, not translation quality.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

EN_WORDS = (  # noqa: SIM905
    "the minister said on Monday that government will support new projects in city and region "
    "after talks with officials about budget security water electricity oil prices were higher "
    "than last year because of war markets in Baghdad Basra and Iraq students schools hospitals "
    "people children women police army forces attack killed wounded president prime parliament "
    "election vote law court report agency news million billion dollars percent one two three"
).split()
AR_WORDS = (  # noqa: SIM905
    "قال الوزير يوم الاثنين إن الحكومة ستدعم مشاريع جديدة في المدينة والمنطقة بعد محادثات مع "
    "المسؤولين حول الميزانية والأمن والمياه والكهرباء وأسعار النفط كانت أعلى من العام الماضي بسبب "
    "الحرب والأسواق في بغداد والبصرة والعراق الطلاب المدارس المستشفيات الناس الأطفال النساء "
    "الشرطة الجيش القوات هجوم قتل جرح الرئيس رئيس البرلمان الانتخابات التصويت القانون المحكمة "
    "تقرير وكالة الأنباء مليون مليار دولار بالمئة واحد اثنان ثلاثة"
).split()


def synthetic_lines(words: list[str], count: int, seed: int) -> list[str]:
    """Return ``count`` pseudo-sentences drawn from ``words`` (with digits and punctuation)."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        n = rng.randint(4, 14)
        sentence = " ".join(rng.choice(words) for _ in range(n))
        if rng.random() < 0.3:
            sentence += f" {rng.randint(1, 2024)}"
        lines.append(sentence + rng.choice([".", ",", "?", "!", "."]))
    return lines


def parallel_lines(
    source_lang: str, target_lang: str, count: int, seed: int
) -> list[tuple[str, str]]:
    """Word-for-word parallel pseudo-sentences (a toy dictionary) a tiny model can learn."""
    words = {"en": EN_WORDS, "ar": AR_WORDS}
    size = min(len(EN_WORDS), len(AR_WORDS))
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        ids = [rng.randrange(size) for _ in range(rng.randint(3, 9))]
        end = rng.choice([".", "?", "."])
        src = " ".join(words[source_lang][i] for i in ids) + end
        tgt = " ".join(words[target_lang][i] for i in ids) + end
        pairs.append((src, tgt))
    return pairs


def _train_spm(lines: list[str], prefix: Path, vocab_size: int) -> None:
    import sentencepiece as spm

    corpus = prefix.with_suffix(".txt")
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        bos_id=-1,
        eos_id=2,
        unk_id=1,
        pad_id=-1,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    corpus.unlink()


@dataclass(frozen=True)
class TinyShape:
    """Model dimensions; the defaults are tiny, ``opus_mt()`` is the real opus-mt size."""

    d_model: int = 16
    layers: int = 1
    heads: int = 2
    ffn: int = 32
    max_positions: int = 64
    vocab_pad_to: int = 0  # pad vocab.json with dummy pieces up to this many entries

    @classmethod
    def opus_mt(cls) -> TinyShape:
        """The opus-mt-ar-en / opus-mt-en-ar architecture (about 76M parameters)."""
        return cls(d_model=512, layers=6, heads=8, ffn=2048, max_positions=512, vocab_pad_to=62_000)


def build_marian(
    out: Path,
    source_lang: str,
    target_lang: str,
    *,
    shape: TinyShape | None = None,
    lines: int = 300,
    seed: int = 0,
    train_steps: int = 0,
) -> Path:
    """Build and save a Marian model for ``source_lang``→``target_lang`` in ``out``."""
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    shape = shape or TinyShape()
    out.mkdir(parents=True, exist_ok=True)
    words = {"en": EN_WORDS, "ar": AR_WORDS}
    pairs = parallel_lines(source_lang, target_lang, lines, seed)
    src_lines = synthetic_lines(words[source_lang], lines, seed) + [p[0] for p in pairs]
    tgt_lines = synthetic_lines(words[target_lang], lines, seed + 1) + [p[1] for p in pairs]
    _train_spm(src_lines, out / "source", 120)
    _train_spm(tgt_lines, out / "target", 120)
    (out / "source.model").rename(out / "source.spm")
    (out / "target.model").rename(out / "target.spm")
    pieces: list[str] = []
    for name in ("source.vocab", "target.vocab"):
        for row in (out / name).read_text(encoding="utf-8").splitlines():
            piece = row.split("\t")[0]
            if piece not in ("<unk>", "</s>", "<s>") and piece not in pieces:
                pieces.append(piece)
        (out / name).unlink()
    # opus-mt layout: </s> = 0, <unk> = 1, (language tokens), pieces, and <pad> last.
    lang_tokens = [">>ara<<"] if target_lang == "ar" else []
    tokens = ["</s>", "<unk>", *lang_tokens, *pieces]
    filler = 0
    while len(tokens) + 1 < shape.vocab_pad_to:
        tokens.append(f"▁x{filler}")
        filler += 1
    tokens.append("<pad>")
    vocab = {tok: i for i, tok in enumerate(tokens)}
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    size = len(vocab)
    pad = size - 1
    tokenizer = MarianTokenizer(
        source_spm=str(out / "source.spm"),
        target_spm=str(out / "target.spm"),
        vocab=str(out / "vocab.json"),
        source_lang=source_lang,
        target_lang=target_lang,
        model_max_length=shape.max_positions,
    )
    tokenizer.save_pretrained(out)
    config = MarianConfig(
        vocab_size=size,
        decoder_vocab_size=size,
        d_model=shape.d_model,
        encoder_layers=shape.layers,
        decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads,
        decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn,
        decoder_ffn_dim=shape.ffn,
        max_position_embeddings=shape.max_positions,
        activation_function="swish",
        pad_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        bos_token_id=0,
        decoder_start_token_id=pad,
        scale_embedding=True,
        static_position_embeddings=True,
        share_encoder_decoder_embeddings=True,
        normalize_before=False,
        architectures=["MarianMTModel"],
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    if train_steps:
        _train(model, tokenizer, pairs, train_steps, seed)
    model.generation_config.bad_words_ids = [[pad]]
    model.generation_config.num_beams = 4
    model.generation_config.max_length = shape.max_positions
    model.save_pretrained(out)
    return out


def _train(
    model: object, tokenizer: object, pairs: list[tuple[str, str]], steps: int, seed: int
) -> None:
    """A few seconds of Adam on the toy dictionary: enough for outputs that depend on the input."""
    import torch

    rng = random.Random(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)  # type: ignore[attr-defined]
    model.train()  # type: ignore[attr-defined]
    for _ in range(steps):
        batch = rng.sample(pairs, 32)
        enc = tokenizer(  # type: ignore[operator]
            [p[0] for p in batch],
            text_target=[p[1] for p in batch],
            return_tensors="pt",
            padding=True,
        )
        labels = enc["labels"]
        labels[labels == model.config.pad_token_id] = -100  # type: ignore[attr-defined]
        loss = model(**enc).loss  # type: ignore[operator]
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    model.eval()  # type: ignore[attr-defined]
    with torch.no_grad():
        # the tied output projection trains the <pad> row; real opus-mt models keep it at zero
        # (Marian itself has no <pad>: the decoder starts from a zero embedding)
        model.get_input_embeddings().weight[model.config.pad_token_id].zero_()  # type: ignore[attr-defined]
