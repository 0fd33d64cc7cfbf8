"""Fluency scoring speed: plain fp32 transformers against CTranslate2 int8, same model, same run.

The model is GPT-2 small's real configuration (12 layers, 768 wide, 50,257-token vocabulary,
124M parameters) with random weights: speed does not depend on what the weights learnt. Its
tokenizer is a byte-level BPE trained on the shipped English sample (about 1.4 tokens a word,
a little more than GPT-2's own tokenizer needs for news English) and padded to GPT-2's
vocabulary size. Both engines score the same sentences through the same ``FluencyScorer`` (same
tokens, batch size and threads), so the figures compare the engines and nothing else. Two
workloads: sentences alone, and each sentence after the previous one of its paragraph (the
signal's default, ``[fluency] context = true``), which about doubles the tokens run.

    python benchmarks/fluency_speed.py [--threads 2] [--sentences 48] [--batch-size 16]

Prints sentences per second for each engine and the ratio.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtaudit.lm.background import sample_paragraphs  # noqa: E402
from mtaudit.lm.ct2 import CT2Engine  # noqa: E402
from mtaudit.lm.hf import TransformersEngine  # noqa: E402
from mtaudit.lm.scorer import FluencyScorer  # noqa: E402
from mtaudit.models.convert import convert  # noqa: E402
from mtaudit.models.paths import ct2_dir_for  # noqa: E402

GPT2_VOCAB = 50257
EOT = "<|endoftext|>"


def build_model(out: Path, texts: list[str]) -> Path:
    """Save a random-weight GPT-2 small and a GPT-2-sized byte-level BPE tokenizer in ``out``."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        texts, vocab_size=2000, min_frequency=2, special_tokens=[EOT], show_progress=False
    )
    files = bpe.save_model(str(out.parent))
    vocab_file = next(f for f in files if f.endswith("vocab.json"))
    merges_file = next(f for f in files if f.endswith("merges.txt"))
    vocab = json.loads(Path(vocab_file).read_text(encoding="utf-8"))
    # Pad to GPT-2's vocabulary with entries no merge produces, so the LM head has its real size.
    for i in range(GPT2_VOCAB - len(vocab)):
        vocab[f"<unused{i}>"] = len(vocab)
    Path(vocab_file).write_text(json.dumps(vocab), encoding="utf-8")
    padded = ByteLevelBPETokenizer(vocab_file, merges_file)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=padded._tokenizer, bos_token=EOT, eos_token=EOT, unk_token=EOT
    )
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=len(tokenizer))  # GPT-2 small: 12 x 768, 1024 positions
    config.bos_token_id = config.eos_token_id = tokenizer.convert_tokens_to_ids(EOT)
    model = GPT2LMHeadModel(config)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    params = sum(p.numel() for p in model.parameters())
    print(f"model: GPT-2 small config, {params / 1e6:.0f}M parameters, random weights")
    return out


def measure(
    scorers: list[FluencyScorer], texts: list[str], contexts: list[str | None], repeats: int
) -> list[list[float]]:
    """Sentences per second of each scorer over ``repeats`` passes, after a warm-up pass.

    The scorers' passes are interleaved, so that a busy spell on a shared machine slows both
    rather than only the one that happened to be running.
    """
    for scorer in scorers:
        scorer.score(texts[:8], contexts[:8])
    rates: list[list[float]] = [[] for _ in scorers]
    for _ in range(repeats):
        for k, scorer in enumerate(scorers):
            start = time.perf_counter()
            scorer.score(texts, contexts)
            rates[k].append(len(texts) / (time.perf_counter() - start))
    return rates


def main() -> None:
    """Run the benchmark and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sentences", type=int, default=48)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    import torch
    from transformers import AutoTokenizer

    torch.set_num_threads(args.threads)
    paragraphs = sample_paragraphs("en")
    every = [s for p in paragraphs for s in p]
    pairs = [(s, p[i - 1] if i else None) for p in paragraphs for i, s in enumerate(p)]
    step = max(1, len(pairs) // args.sentences)
    chosen = pairs[::step][: args.sentences]
    texts = [t for t, _ in chosen]
    workloads: dict[str, tuple[list[str], list[str | None]]] = {
        "alone": (texts, [None] * len(texts)),
        "with context": (texts, [c for _, c in chosen]),
        # Long article sentences: each text is two sample sentences run together.
        "long": ([f"{c} {t}" if c else t for t, c in chosen], [None] * len(texts)),
    }

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = build_model(Path(tmp) / "gpt2-random", every)
        t0 = time.perf_counter()
        ct2_dir = convert(model_dir, ct2_dir_for(model_dir), quantization="int8")
        convert_s = time.perf_counter() - t0
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        plain = FluencyScorer(
            tokenizer,
            TransformersEngine(model_dir, batch_size=args.batch_size, threads=args.threads),
        )
        fast = FluencyScorer(
            tokenizer,
            CT2Engine(
                ct2_dir,
                tokenizer,
                batch_size=args.batch_size,
                compute_type="int8",
                threads=args.threads,
            ),
        )
        sizes = {}
        for mode, (inputs, contexts) in workloads.items():
            scores = plain.score(inputs, contexts)
            sizes[mode] = (
                statistics.fmean(s.tokens for s in scores),
                statistics.fmean(s.context_tokens for s in scores),
            )
        results = {
            mode: measure([plain, fast], inputs, contexts, args.repeats)
            for mode, (inputs, contexts) in workloads.items()
        }
        a = plain.score(*workloads["with context"])
        b = fast.score(*workloads["with context"])
        drift = statistics.fmean(abs(x.mean - y.mean) for x, y in zip(a, b, strict=True))

    print(f"machine: {platform.machine()}, {args.threads} threads, torch {torch.__version__}")
    print(
        f"inputs: {len(texts)} texts from the shipped English sample, batch size {args.batch_size}"
    )
    for mode, (tokens, context_tokens) in sizes.items():
        print(f"  {mode:<13} {tokens:5.1f} scored tokens a text, {context_tokens:5.1f} of context")
    print(f"int8 conversion: {convert_s:.1f} s (once per model)")
    print(f"{'workload':<13} {'engine':<18} {'median':>7} {'best':>7}   sentences/s of each pass")
    for mode, (plain_rates, fast_rates) in results.items():
        for name, rates in (("transformers fp32", plain_rates), ("ctranslate2 int8", fast_rates)):
            passes = ", ".join(f"{r:.1f}" for r in rates)
            median = statistics.median(rates)
            print(f"{mode:<13} {name:<18} {median:>7.1f} {max(rates):>7.1f}   {passes}")
        ratio = statistics.median(fast_rates) / statistics.median(plain_rates)
        best = max(fast_rates) / max(plain_rates)
        print(f"{mode:<13} {'speed-up':<18} {ratio:>6.2f}x {best:>6.2f}x")
    print(f"mean |difference| in sentence surprisal between engines: {drift:.3f} bits")


if __name__ == "__main__":
    main()
