"""A tiny GPT-2 trained on the shipped fluent English text, for tests that need a real model.

The model is a real ``GPT2LMHeadModel`` (the real gpt2 config, shrunk) with a real byte-level BPE
fast tokenizer trained with the ``tokenizers`` library on the shipped English and Arabic sample
text. It is trained for a fixed number of steps (a few seconds; deterministic for a given seed),
saved with ``save_pretrained`` and loaded back by path like any downloaded model.

Each training sequence is a whole paragraph, as in running text: a sentence that starts with a
pronoun is only ever seen after the sentence that explains it, which is what the context test
relies on. The LM never sees Arabic (the tokenizer does).

The fixtures are registered for every test in ``tests/conftest.py``.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "mtaudit" / "data"
EOT = "<|endoftext|>"


def read_paragraphs(path: Path) -> list[list[str]]:
    """Blank-line separated paragraphs of one-sentence lines."""
    paragraphs: list[list[str]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines:
            paragraphs.append(lines)
    return paragraphs


def build_tiny_gpt2(
    out_dir: Path,
    *,
    steps: int = 300,
    vocab_size: int = 2000,
    n_embd: int = 96,
    lr: float = 2e-3,
    batch_size: int = 8,
    seed: int = 0,
) -> Path:
    """Train the tiny model and tokenizer and save both into ``out_dir``; return ``out_dir``."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    english = read_paragraphs(DATA / "fluent.en.txt")
    arabic = read_paragraphs(DATA / "fluent.ar.txt")
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        [s for p in english + arabic for s in p],
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=[EOT],
        show_progress=False,
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe._tokenizer, bos_token=EOT, eos_token=EOT, unk_token=EOT
    )
    bos = tokenizer.convert_tokens_to_ids(EOT)

    def ids(text: str) -> list[int]:
        return list(tokenizer(text, add_special_tokens=False)["input_ids"])

    # Each paragraph is one sequence: every sentence is read after the ones before it.
    sequences = [[bos] + ids(" ".join(paragraph)) for paragraph in english]
    sequences.sort(key=len)
    batches = [sequences[i : i + batch_size] for i in range(0, len(sequences), batch_size)]

    torch.manual_seed(seed)
    config = GPT2Config(
        vocab_size=len(tokenizer),
        n_positions=max(len(q) for q in sequences),
        n_embd=n_embd,
        n_layer=2,
        n_head=4,
        n_inner=4 * n_embd,
        activation_function="gelu_new",
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        bos_token_id=bos,
        eos_token_id=bos,
    )
    model = GPT2LMHeadModel(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=lr, total_steps=steps, pct_start=0.1
    )
    rng = random.Random(seed)
    model.train()
    # One thread: on a busy machine two OpenMP threads spin against each other and a step takes
    # several times longer than on one.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        _train(model, optimizer, schedule, batches, rng, steps)
    finally:
        torch.set_num_threads(threads)
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def _train(model, optimizer, schedule, batches, rng, steps):  # type: ignore[no-untyped-def]
    import torch

    for _ in range(steps):
        batch = rng.choice(batches)
        width = max(len(s) for s in batch)
        input_ids = torch.zeros((len(batch), width), dtype=torch.long)
        labels = torch.full((len(batch), width), -100, dtype=torch.long)
        for row, seq in enumerate(batch):
            input_ids[row, : len(seq)] = torch.tensor(seq)
            labels[row, : len(seq)] = torch.tensor(seq)
        loss = model(
            input_ids=input_ids, attention_mask=(labels != -100).long(), labels=labels
        ).loss
        loss.backward()
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()


@pytest.fixture(scope="session")
def tiny_gpt2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of the trained tiny GPT-2, inside a ``models/`` folder of its own."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("tokenizers")
    return build_tiny_gpt2(tmp_path_factory.mktemp("fluency") / "models" / "tiny-gpt2")


@pytest.fixture(scope="session")
def tiny_gpt2_ct2(tiny_gpt2: Path) -> Path:
    """The tiny GPT-2 converted to CTranslate2 int8, beside it (``tiny-gpt2-ct2-int8``)."""
    pytest.importorskip("ctranslate2")
    from mtaudit.models.convert import convert
    from mtaudit.models.paths import ct2_dir_for

    return convert(tiny_gpt2, ct2_dir_for(tiny_gpt2, "int8"), quantization="int8")
