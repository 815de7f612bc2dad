"""Benchmark the encoder–decoder: time to learn, training speed against a tutorial-style loop, latency.

Run it by hand, on a quiet machine: it is not a test, and other work on the CPU skews every number
(torch runs one thread per core by default, and those threads slow down many times over when another
process takes a core; `--threads 1` shows how much).

    python -m benchmarks.bench                      # about 10 minutes; writes artifacts/bench.json
    python -m benchmarks.bench --markdown           # also prints the table as Markdown, for the README
    python -m benchmarks.bench --quick              # tiny models and short runs: well under a minute

What it measures, with the "default" training preset (the app's model):

(a) Time to 95% held-out exact match on sentences of up to 10 German words: `train` with that target
    and a time cap, for seeds 0, 1 and 2; the seconds on `train`'s own clock at the first progress
    report whose held-out exact match reaches the target (the periodic held-out evaluations that
    notice it are included; generating the training sentences is not, and is reported separately).
    The median of the seeds is "not reached" when most seeds did not reach the target within the cap.
    The cap is the run's time budget, so a learning-rate schedule that follows the budget follows the
    cap: compare results measured with the same cap only.
(b) Training throughput: target tokens (EOS included) per second over a fixed-length run, without
    held-out evaluations.
(c) The same, in the same process and on the same sentences and vocabularies, for a reference loop
    written as the PyTorch tutorial "NLP From Scratch: Translation with a Sequence to Sequence Network
    and Attention" writes its plain model: one sentence per optimizer step, the decoder stepped one
    token at a time in Python. Reported with the ratio ours / reference.
(d) Latency of `translate` (greedy, with its full trace) for one sentence: median and 90th percentile
    over held-out sentences, after a warm-up, with the model trained in (b).
(e) Peak resident memory of the whole bench process, and the model's parameter count and size.

"MB" here is 2**20 bytes. Progress goes to stderr; the table goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import psutil
import torch
import torch.nn.functional as F
from torch import nn, optim

from rnn_demo.core.model import device
from rnn_demo.core.text import BOS_ID, EOS_ID, Vocabulary
from rnn_demo.core.translate import translate
from rnn_demo.data.corpus import SentencePair
from rnn_demo.training.config import PRESETS, Progress, TrainConfig, TrainedModel
from rnn_demo.training.train import split_data, train

DEFAULT_OUT = Path("artifacts") / "bench.json"
TARGET_EXACT_MATCH = 0.95
LATENCY_WARM_UP = 5  # translations before the clock starts: first calls pay for lazy initialisation

FULL_SETTINGS = {
    "preset": "default",
    "cap_s": 180.0,
    "seeds": [0, 1, 2],
    "throughput_s": 20.0,
    "latency_sentences": 100,
}
QUICK_SETTINGS = {"preset": "tiny", "cap_s": 10.0, "seeds": [0], "throughput_s": 2.0, "latency_sentences": 10}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the tutorial-style reference


class EncoderRNN(nn.Module):
    """Imitates `EncoderRNN` of the PyTorch tutorial "NLP From Scratch: Translation with a Sequence to
    Sequence Network and Attention": an embedding and a GRU, fed one sentence as a (1, T) tensor.

    The tutorial uses the hidden size for the embedding too; here it is our embedding size, so both
    models have the same layer sizes. No padding index, no packing: one sentence never needs them.
    """

    def __init__(self, input_size: int, embedding_size: int, hidden_size: int) -> None:
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(input_size, embedding_size)
        self.gru = nn.GRU(embedding_size, hidden_size, batch_first=True)

    def forward(self, input_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """input_ids (1, T) -> outputs (1, T, H), hidden (1, 1, H)."""
        embedded = self.embedding(input_ids)
        output, hidden = self.gru(embedded)
        return output, hidden


class DecoderRNN(nn.Module):
    """Imitates the tutorial's plain (non-attention) `DecoderRNN`: one step per call, with ReLU on the
    embedding, a GRU, a linear layer and log-softmax, as the tutorial writes it."""

    def __init__(self, embedding_size: int, hidden_size: int, output_size: int) -> None:
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(output_size, embedding_size)
        self.gru = nn.GRU(embedding_size, hidden_size, batch_first=True)
        self.out = nn.Linear(hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input_id: torch.Tensor, hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """input_id (1, 1), hidden (1, 1, H) -> log-probabilities (1, V), new hidden (1, 1, H)."""
        output = self.embedding(input_id)
        output = F.relu(output)
        output, hidden = self.gru(output, hidden)
        output = self.softmax(self.out(output[:, 0]))
        return output, hidden


def reference_tensors(
    source_ids: Sequence[int], target_ids: Sequence[int], where: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """The tutorial's `tensorsFromPair`: source (1, T); target (U + 1, 1), ending with EOS."""
    source = torch.tensor([list(source_ids)], dtype=torch.long, device=where)
    target = torch.tensor([*target_ids, EOS_ID], dtype=torch.long, device=where).view(-1, 1)
    return source, target


def reference_train_step(
    input_tensor: torch.Tensor,
    target_tensor: torch.Tensor,
    encoder: EncoderRNN,
    decoder: DecoderRNN,
    encoder_optimizer: optim.Optimizer,
    decoder_optimizer: optim.Optimizer,
    criterion: nn.NLLLoss,
) -> float:
    """The tutorial's `train` for one sentence, always with teacher forcing: NLLLoss summed over the
    target tokens, one optimizer step. Returns the loss per target token."""
    encoder_optimizer.zero_grad()
    decoder_optimizer.zero_grad()
    _, encoder_hidden = encoder(input_tensor)
    decoder_input = torch.tensor([[BOS_ID]], device=input_tensor.device)
    decoder_hidden = encoder_hidden  # the context vector
    target_length = target_tensor.size(0)
    loss = 0
    for di in range(target_length):
        decoder_output, decoder_hidden = decoder(decoder_input, decoder_hidden)
        loss += criterion(decoder_output, target_tensor[di])
        decoder_input = target_tensor[di].view(1, 1)  # teacher forcing: feed the true token
    loss.backward()
    encoder_optimizer.step()
    decoder_optimizer.step()
    return loss.item() / target_length


def reference_throughput(
    train_pairs: Sequence[SentencePair],
    source_vocab: Vocabulary,
    target_vocab: Vocabulary,
    config: TrainConfig,
    seconds: float,
) -> dict:
    """Train the tutorial-style model for `seconds`; target tokens (EOS included) per second."""
    torch.manual_seed(config.seed)
    where = device()
    encoder = EncoderRNN(len(source_vocab), config.embedding_size, config.hidden_size).to(where)
    decoder = DecoderRNN(config.embedding_size, config.hidden_size, len(target_vocab)).to(where)
    # Adam with our learning rate, not the tutorial's SGD (later versions of it use Adam too): the
    # optimizer barely changes the time of a step, and this way both loops learn alike.
    encoder_optimizer = optim.Adam(encoder.parameters(), lr=config.learning_rate)
    decoder_optimizer = optim.Adam(decoder.parameters(), lr=config.learning_rate)
    criterion = nn.NLLLoss()
    # Tensors are built before the clock starts, as the tutorial does (ours builds batches on its clock)
    examples = [
        reference_tensors(source_vocab.encode(p.key), target_vocab.encode(p.target_tokens), where)
        for p in train_pairs
    ]
    random.Random(config.seed).shuffle(examples)
    encoder.train()
    decoder.train()
    sentences = tokens = 0
    losses: list[float] = []
    start = time.perf_counter()
    while True:
        input_tensor, target_tensor = examples[sentences % len(examples)]
        losses.append(
            reference_train_step(
                input_tensor, target_tensor, encoder, decoder, encoder_optimizer, decoder_optimizer, criterion
            )
        )
        sentences += 1
        tokens += target_tensor.size(0)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
    return {
        "tokens_per_second": tokens / elapsed,
        "sentences": sentences,
        "seconds": elapsed,
        "final_loss": statistics.fmean(losses[-200:]),
    }


# --------------------------------------------------------------------------- measurements


Data = tuple[list[SentencePair], list[SentencePair]]  # training pairs, held-out pairs


def time_data(config: TrainConfig) -> tuple[Data, float]:
    """The training and held-out pairs for config's seed, and the seconds it took to generate them."""
    start = time.perf_counter()
    data = split_data(config)
    return data, time.perf_counter() - start


def measure_throughput(preset: TrainConfig, seconds: float, data: Data) -> tuple[dict, TrainedModel]:
    """(b) and (c), back to back. Returns the measurements and our trained model (for latency)."""
    config = replace(preset, seed=0, time_budget_s=seconds, target_exact_match=None, epochs=None)
    log(f"(b) our training loop for {seconds:g} s, batch size {config.batch_size}")
    # No held-out evaluation during the run: it would count as training time
    trained = train(config, evaluate_every_s=math.inf, data=data)
    last = trained.history[-1]
    log(f"    {last.tokens_per_second:,.0f} target tokens/s, {last.step} steps")
    log(f"(c) tutorial-style reference loop for {seconds:g} s, one sentence per step")
    reference = reference_throughput(data[0], trained.source_vocab, trained.target_vocab, config, seconds)
    log(f"    {reference['tokens_per_second']:,.0f} target tokens/s, {reference['sentences']} sentences")
    measured = {
        "seconds": seconds,
        "batch_size": config.batch_size,
        "ours_tokens_per_second": last.tokens_per_second,
        "ours_steps": last.step,
        "ours_final_loss": last.loss,
        "reference_tokens_per_second": reference["tokens_per_second"],
        "reference_sentences": reference["sentences"],
        "reference_final_loss": reference["final_loss"],
        "ratio_ours_to_reference": last.tokens_per_second / reference["tokens_per_second"],
    }
    return measured, trained


def measure_latency(trained: TrainedModel, held_out: Sequence[SentencePair], count: int) -> dict:
    """(d) milliseconds per `translate` call (greedy, full trace), one sentence at a time."""
    log(f"(d) translation latency over {count} held-out sentences")
    sentences = [held_out[n % len(held_out)].key for n in range(count)]
    for tokens in sentences[:LATENCY_WARM_UP]:
        translate(trained.model, tokens, trained.source_vocab, trained.target_vocab)
    times_ms = []
    for tokens in sentences:
        start = time.perf_counter()
        translate(trained.model, tokens, trained.source_vocab, trained.target_vocab)
        times_ms.append((time.perf_counter() - start) * 1000)
    measured = {
        "sentences": count,
        "beam_width": 1,
        "median_ms": float(np.median(times_ms)),
        "p90_ms": float(np.percentile(times_ms, 90)),
    }
    log(f"    median {measured['median_ms']:.2f} ms, p90 {measured['p90_ms']:.2f} ms")
    return measured


def first_reaching(history: Sequence[Progress], target: float) -> Progress | None:
    return next((p for p in history if p.held_out_exact is not None and p.held_out_exact >= target), None)


def measure_time_to_target(
    preset: TrainConfig, seed: int, cap_s: float, data: Data, data_seconds: float
) -> dict:
    """(a) for one seed: train until the held-out exact match reaches the target or the cap ends."""
    config = replace(
        preset, seed=seed, target_exact_match=TARGET_EXACT_MATCH, time_budget_s=cap_s, epochs=None
    )
    log(f"(a) seed {seed}: training until {TARGET_EXACT_MATCH:.0%} held-out exact match, at most {cap_s:g} s")
    next_line_s = 10.0  # a progress line every 10 s of training: each run takes minutes

    def show(progress: Progress) -> None:
        nonlocal next_line_s
        if progress.elapsed_s >= next_line_s and progress.held_out_exact is not None:
            log(f"    seed {seed}: {progress.elapsed_s:5.1f} s, held-out exact {progress.held_out_exact:.1%}")
            next_line_s += 10.0

    trained = train(config, on_progress=show, data=data)
    reached = first_reaching(trained.history, TARGET_EXACT_MATCH)
    measured = [p.held_out_exact for p in trained.history if p.held_out_exact is not None]
    last = trained.history[-1]
    run = {
        "seed": seed,
        "reached": reached is not None,
        "seconds": reached.elapsed_s if reached else None,
        "best_exact": max(measured, default=0.0),
        "steps": reached.step if reached else last.step,
        "epochs": reached.epoch if reached else last.epoch,
        "data_generation_s": data_seconds,
    }
    if reached:
        log(f"    seed {seed}: reached {reached.held_out_exact:.1%} after {reached.elapsed_s:.1f} s")
    else:
        log(f"    seed {seed}: not reached within {cap_s:g} s (best {run['best_exact']:.1%})")
    return run


def median_seconds(runs: Sequence[dict]) -> float | None:
    """The median over seeds, a run that missed the target counting as infinitely slow; None if missed."""
    median = statistics.median(run["seconds"] if run["reached"] else math.inf for run in runs)
    return None if math.isinf(median) else median


def peak_rss_mb() -> float:
    """The largest resident set this process has had, in MB."""
    try:
        import resource
    except ImportError:  # Windows: psutil knows the peak working set
        info = psutil.Process().memory_info()
        return getattr(info, "peak_wset", info.rss) / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KB on Linux


def environment() -> dict:
    return {
        "torch_version": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
        "cpu_count_physical": psutil.cpu_count(logical=False),
        "device": str(device()),
        "platform": platform.platform(),
        "python_version": platform.python_version(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


# --------------------------------------------------------------------------- report


def table_rows(results: dict) -> list[tuple[str, str, str]]:
    """(measurement, result, details) for each line of the table."""
    settings, to_target = results["settings"], results["time_to_target"]
    throughput, latency, memory = results["throughput"], results["latency"], results["memory"]
    cap = to_target["cap_s"]
    per_seed = ", ".join(
        f"seed {run['seed']}: {run['seconds']:.1f} s"
        if run["reached"]
        else f"seed {run['seed']}: not reached (best {run['best_exact']:.1%})"
        for run in to_target["runs"]
    )
    generation = statistics.fmean(run["data_generation_s"] for run in to_target["runs"])
    missed = sum(not run["reached"] for run in to_target["runs"])
    if to_target["median_s"] is None:
        median = f"not reached within {cap:g} s"
    else:
        median = f"{to_target['median_s']:.1f} s"
    if missed and to_target["median_s"] is not None:
        median += f" ({missed} of {len(to_target['runs'])} seeds missed)"
    target = f"{to_target['target_exact_match']:.0%}"
    words = results["config"]["max_words"]
    return [
        (
            f"Time to {target} held-out exact match (≤{words} German words), median of "
            f"{len(to_target['runs'])} seed(s)",
            median,
            f"{per_seed}; cap {cap:g} s; generating the sentences ({generation:.1f} s) not included",
        ),
        (
            "Training throughput, ours (batched, packed)",
            f"{throughput['ours_tokens_per_second']:,.0f} tokens/s",
            f"target tokens incl. EOS; {throughput['seconds']:g} s run, batch {throughput['batch_size']}",
        ),
        (
            "Training throughput, tutorial-style reference (one sentence per step)",
            f"{throughput['reference_tokens_per_second']:,.0f} tokens/s",
            f"same sentences, vocabularies, sizes and threads; {throughput['seconds']:g} s run",
        ),
        ("Speed-up, ours / reference", f"{throughput['ratio_ours_to_reference']:.1f}×", ""),
        (
            "Translation latency, one sentence (greedy, full trace), median",
            f"{latency['median_ms']:.2f} ms",
            f"p90 {latency['p90_ms']:.2f} ms over {latency['sentences']} held-out sentences",
        ),
        ("Peak memory (RSS of the bench process)", f"{memory['peak_rss_mb']:.0f} MB", ""),
        (
            "Model size",
            f"{memory['parameter_count']:,} parameters",
            f"{memory['parameter_mb']:.1f} MB as float32; preset {settings['preset']!r}",
        ),
    ]


def environment_line(results: dict) -> str:
    env = results["environment"]
    return (
        f"torch {env['torch_version']}, {env['torch_threads']} threads, {env['cpu_count']} CPUs, "
        f"{env['device']}, {env['platform']}, {env['date']}"
    )


def plain_table(rows: Sequence[tuple[str, str, str]]) -> str:
    header = ("Measurement", "Result", "Details")
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(rows: Sequence[tuple[str, str, str]]) -> str:
    lines = ["| measurement | result | details |", "|---|---|---|"]
    lines += [f"| {measurement} | {result} | {details} |" for measurement, result, details in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- command line


def run(settings: dict) -> dict:
    """Every measurement, in order; the results as they go into the JSON file."""
    preset = PRESETS[settings["preset"]]
    log(f"preset {settings['preset']!r}, {torch.get_num_threads()} torch threads")

    data_by_seed: dict[int, tuple[Data, float]] = {}

    def data_for(seed: int) -> tuple[Data, float]:
        # Generated once per seed: the throughput runs and seed 0's time-to-target run share it
        if seed not in data_by_seed:
            log(f"generating {preset.train_pairs:,} training sentences for seed {seed}")
            data_by_seed[seed] = time_data(replace(preset, seed=seed))
        return data_by_seed[seed]

    data, _ = data_for(0)
    throughput, trained = measure_throughput(preset, settings["throughput_s"], data)
    latency = measure_latency(trained, data[1], settings["latency_sentences"])
    runs = []
    for seed in settings["seeds"]:
        seed_data, data_seconds = data_for(seed)
        runs.append(measure_time_to_target(preset, seed, settings["cap_s"], seed_data, data_seconds))
    model = trained.model
    memory = {
        "peak_rss_mb": peak_rss_mb(),
        "parameter_count": model.parameter_count(),
        "parameter_mb": sum(p.numel() * p.element_size() for p in model.parameters()) / 2**20,
    }
    return {
        "environment": environment(),
        "settings": settings,
        "config": preset.to_dict(),
        "time_to_target": {
            "target_exact_match": TARGET_EXACT_MATCH,
            "cap_s": settings["cap_s"],
            "runs": runs,
            "median_s": median_seconds(runs),
        },
        "throughput": throughput,
        "latency": latency,
        "memory": memory,
    }


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench",
        description="Benchmark training time, throughput against a tutorial-style loop, latency and memory.",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"JSON file to write (default {DEFAULT_OUT})"
    )
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny models, short runs, one seed: finishes in well under a minute",
    )
    parser.add_argument(
        "--cap",
        type=float,
        default=None,
        help="seconds each time-to-target run may take (default 180; 10 with --quick)",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=None,
        help="seeds of the time-to-target runs (default 0 1 2; 0 with --quick)",
    )
    parser.add_argument(
        "--throughput-seconds",
        type=float,
        default=None,
        help="length of each throughput run (default 20; 2 with --quick)",
    )
    parser.add_argument(
        "--latency-sentences",
        type=int,
        default=None,
        help="sentences timed for latency (default 100; 10 with --quick)",
    )
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's choice)")
    parser.add_argument(
        "--load-test",
        type=int,
        nargs="?",
        const=30,
        default=None,
        metavar="SESSIONS",
        help="instead: the load test, SESSIONS browser sessions at once (default 30; benchmarks.load_test)",
    )
    args = parser.parse_args(argv)
    # The training runs' own limit (TrainConfig.time_budget_s), checked before any run starts
    for option, seconds in (("--cap", args.cap), ("--throughput-seconds", args.throughput_seconds)):
        if seconds is not None and not 0 < seconds <= 3600:
            parser.error(f"{option} must be more than 0 and at most 3600 seconds")
    for option, count in (("--latency-sentences", args.latency_sentences), ("--threads", args.threads)):
        if count is not None and count < 1:
            parser.error(f"{option} must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> dict:
    args = parse_arguments(argv)
    if args.load_test is not None:
        from benchmarks import load_test

        return load_test.main(["--sessions", str(args.load_test)])
    settings = dict(QUICK_SETTINGS if args.quick else FULL_SETTINGS)
    for key, value in (
        ("cap_s", args.cap),
        ("seeds", args.seeds),
        ("throughput_s", args.throughput_seconds),
        ("latency_sentences", args.latency_sentences),
    ):
        if value is not None:
            settings[key] = value
    settings["quick"] = args.quick
    threads_before = torch.get_num_threads()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    try:
        results = run(settings)
    finally:
        torch.set_num_threads(threads_before)  # main() may be called inside another process (a test)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, allow_nan=False) + "\n")
    log(f"wrote {args.out}")

    rows = table_rows(results)
    print(plain_table(rows))
    print(environment_line(results))
    if args.markdown:
        print()
        print(markdown_table(rows))
        print()
        print(environment_line(results))
    return results


if __name__ == "__main__":
    main()
