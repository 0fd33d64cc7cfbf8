"""Translation speed: transformers fp32 vs CTranslate2 int8 on an opus-mt-sized Marian model.

The model has the real opus-mt architecture (d_model 512, 6+6 layers, 8 heads, FFN 2048, a
~62k shared vocabulary; about 76M parameters) with random weights, built with the same code as
the test fixtures. Both engines translate the same inputs in the same process, with the output
length fixed (every sentence decodes exactly ``--out-len`` tokens) so that both do equal work.
Reports sentences per second and peak resident memory of each phase, and the ratios.

    python benchmarks/translate_speed.py               # 2 threads, greedy and beam 4
    python benchmarks/translate_speed.py --sentences 32 --threads 4
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def rss_mib() -> float:
    """Current resident set size of this process, in MiB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def peak_rss() -> Iterator[list[float]]:
    """Sample RSS every 10 ms while the block runs; yields [peak] (filled in on exit)."""
    result = [rss_mib()]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            result[0] = max(result[0], rss_mib())
            time.sleep(0.01)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield result
    finally:
        stop.set()
        thread.join()
        result[0] = max(result[0], rss_mib())


def timed(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def bench_transformers(
    hf_dir: Path,
    batches: list[list[str]],
    beams: list[int],
    args: argparse.Namespace,
    results: dict[tuple[str, int], float],
) -> int:
    """Time transformers generation for each beam size; return the parameter count."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(str(hf_dir))
    model = MarianMTModel.from_pretrained(str(hf_dir)).eval()
    encoded = [tokenizer(batch, return_tensors="pt", padding=True) for batch in batches]
    for beam in beams:

        def run(beam: int = beam) -> None:
            with torch.inference_mode():
                for enc in encoded:
                    model.generate(
                        **enc,
                        num_beams=beam,
                        do_sample=False,
                        min_new_tokens=args.out_len,
                        max_new_tokens=args.out_len,
                        max_length=None,
                    )

        results[("transformers fp32", beam)] = timed(run, args.repeats)
    return sum(p.numel() for p in model.parameters())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=48)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--out-len", type=int, default=32, help="tokens decoded per sentence")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2, help="best of N timed runs")
    parser.add_argument("--beams", default="1,4", help="comma-separated beam sizes")
    args = parser.parse_args()

    import ctranslate2
    import torch
    from transformers import MarianTokenizer

    from mtaudit.models.convert import convert
    from tests.helpers.tiny_marian import AR_WORDS, TinyShape, build_marian, synthetic_lines

    torch.set_num_threads(args.threads)
    beams = [int(b) for b in args.beams.split(",")]
    results: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        hf_dir = build_marian(Path(tmp) / "opus-mt-size", "ar", "en", shape=TinyShape.opus_mt())
        ct2_dir = convert(hf_dir, Path(tmp) / "opus-mt-size-ct2-int8")
        tokenizer = MarianTokenizer.from_pretrained(str(hf_dir))
        # two pseudo-sentences per input: about the length of a news sentence
        halves = synthetic_lines(AR_WORDS, 2 * args.sentences, seed=3)
        texts = [f"{a} {b}" for a, b in zip(halves[::2], halves[1::2], strict=True)]
        batches = [texts[i : i + args.batch] for i in range(0, len(texts), args.batch)]
        tokens = [tokenizer.convert_ids_to_tokens(tokenizer(t).input_ids) for t in texts]
        mean_in = sum(len(t) for t in tokens) / len(tokens)
        base = rss_mib()

        with peak_rss() as hf_peak:
            params = bench_transformers(hf_dir, batches, beams, args, results)
        gc.collect()

        with peak_rss() as ct2_peak:
            translator = ctranslate2.Translator(
                str(ct2_dir), device="cpu", compute_type="int8", intra_threads=args.threads
            )
            for beam in beams:

                def run_ct2(beam: int = beam) -> None:
                    translator.translate_batch(
                        tokens,
                        beam_size=beam,
                        max_batch_size=args.batch,
                        min_decoding_length=args.out_len,
                        max_decoding_length=args.out_len,
                    )

                results[("CTranslate2 int8", beam)] = timed(run_ct2, args.repeats)

    print("## Translation\n")
    print(
        f"opus-mt-sized Marian ({params / 1e6:.0f}M parameters, random weights), "
        f"{args.sentences} sentences (mean {mean_in:.1f} source tokens), batch {args.batch}, "
        f"{args.out_len} output tokens per sentence, {args.threads} threads, "
        f"torch {torch.__version__}, ctranslate2 {ctranslate2.__version__}, "
        f"{os.cpu_count()} CPUs visible.\n"
    )
    print("| engine | beam | sentences/s | peak RSS (MiB) |\n|---|---:|---:|---:|")
    peaks = {"transformers fp32": hf_peak[0], "CTranslate2 int8": ct2_peak[0]}
    for (engine, beam), seconds in results.items():
        print(f"| {engine} | {beam} | {args.sentences / seconds:.1f} | {peaks[engine]:.0f} |")
    print(f"\n(RSS before loading either model: {base:.0f} MiB)\n")
    for beam in beams:
        hf_s = results[("transformers fp32", beam)]
        ct2_s = results[("CTranslate2 int8", beam)]
        print(f"- beam {beam}: CTranslate2 int8 is {hf_s / ct2_s:.1f}x transformers fp32")
    mem = (peaks["CTranslate2 int8"] - base) / max(peaks["transformers fp32"] - base, 1)
    print(f"- memory added by the model: CTranslate2 int8 uses {mem:.2f}x transformers fp32")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
