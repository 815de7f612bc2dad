"""Benchmark the encoder–decoder: time to learn, training speed against a tutorial-style loop, latency.

Run it by hand, on a quiet machine: it is not a test, and other work on the CPU skews every number
(torch runs one thread per core by default, and those threads slow down many times over when another
process takes a core; `--threads 1` shows how much).

    python -m benchmarks.bench                      # about 10 minutes; writes artifacts/bench.json
    python -m benchmarks.bench --markdown           # also prints the table as Markdown, for the README
    python -m benchmarks.bench --avx2 --cap 90      # as on a CPU without bfloat16 units (float32 only)
    python -m benchmarks.bench --quick              # tiny models and short runs: well under a minute

Every time is wall clock from calling the training, as a page's Train button sees it, sentences made
while it trains included. Where the CPU has bfloat16 units, the learning runs are made in float32 and
in bfloat16, side by side; `--avx2` runs the whole benchmark again as a plain AVX2 CPU would
(torch's AVX2 kernels, oneDNN and MKL held to AVX2), where "auto" precision is float32.

What it measures, with the "default" training preset (the app's model):

(a) Time to 90% and to 95% held-out exact match on sentences of up to 10 German words, and when the
    book's sentence first comes out exactly right: the default preset trained as the page trains it,
    with a time budget (the cap), for seeds 0, 1 and 2 (benchmarks/learning.py). At each of the
    training's own checks the whole held-out set (400 sentences) is measured too, off the training
    clock. A median counts a seed that missed as slowest.
    The cap is the run's time budget, so the learning-rate schedule follows it: compare results
    measured with the same cap only. `--levers` measures, the same way, what each lever does.
(b) Training throughput: target tokens (EOS included) per second over a fixed-length run, without
    held-out evaluations: once with the sentences made while it trains (as the page trains), once
    with the same sentences made beforehand, and the ratio of the two.
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
import math
import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import psutil
import torch

from benchmarks.learning import BOOK_BY_S, LEVERS, Lever, learning_run, lever_config, summary
from benchmarks.report import logger, markdown_table, plain_table, write_json
from benchmarks.tutorial_loop import reference_throughput
from rnn_demo.core.model import device
from rnn_demo.core.translate import translate
from rnn_demo.data.corpus import SentencePair
from rnn_demo.training.config import PRESETS, TrainConfig, TrainedModel
from rnn_demo.training.sentence_maker import Plan, phrasebook_chunks
from rnn_demo.training.sentences import phrasebook_held_out
from rnn_demo.training.train import train, uses_bfloat16

DEFAULT_OUT = Path("artifacts") / "bench.json"
LATENCY_WARM_UP = 5  # translations before the clock starts: first calls pay for lazy initialisation

FULL_SETTINGS = {"preset": "default", "cap_s": 120.0, "seeds": [0, 1, 2], "throughput_s": 45.0,
                 "latency_sentences": 100}  # fmt: skip
QUICK_SETTINGS = {"preset": "tiny", "cap_s": 10.0, "seeds": [0], "throughput_s": 2.0, "latency_sentences": 10}
log = logger("bench")


# --------------------------------------------------------------------------- measurements


Data = tuple[list[SentencePair], list[SentencePair]]  # training pairs, held-out pairs


def phrasebook_data(config: TrainConfig) -> Data:
    """The training pairs a phrasebook training of `config` learns from (the same its sentence maker
    makes, made here at once) and its held-out pairs."""
    held_out = phrasebook_held_out(config)
    skip = {pair.key for pair in held_out}
    return [pair for chunk in phrasebook_chunks(Plan.of(config), skip) for pair in chunk], held_out


def measure_throughput(
    preset: TrainConfig, seconds: float, threads: int, data: Data
) -> tuple[dict, TrainedModel]:
    """(b) and (c), back to back. Returns the measurements and our trained model (for latency)."""
    config = replace(preset, seed=0, time_budget_s=seconds, target_exact_match=None, epochs=None)
    # No held-out evaluation during the runs: it would count as training time
    runs = {}
    for name, given in (("being made", None), ("made beforehand", data)):
        log(f"(b) our training loop for {seconds:g} s, batch size {config.batch_size}, sentences {name}")
        trained = train(config, check_every_s=math.inf, data=given, threads=lambda: threads)
        runs[name] = trained.history[-1]
        log(f"    {runs[name].tokens_per_second:,.0f} target tokens/s, {runs[name].step} steps")
    last = runs["being made"]
    log(f"(c) tutorial-style reference loop for {seconds:g} s, one sentence per step")
    reference = reference_throughput(data[0], trained.source_vocab, trained.target_vocab, config, seconds)
    log(f"    {reference['tokens_per_second']:,.0f} target tokens/s, {reference['sentences']} sentences")
    made_beforehand = runs["made beforehand"].tokens_per_second
    measured = {
        "seconds": seconds, "threads": threads, "batch_size": config.batch_size,
        "ours_tokens_per_second": last.tokens_per_second, "ours_steps": last.step,
        "ours_final_loss": last.loss,
        "made_beforehand_tokens_per_second": made_beforehand,
        "ratio_being_made_to_made_beforehand": last.tokens_per_second / made_beforehand,
        "reference_tokens_per_second": reference["tokens_per_second"],
        "reference_sentences": reference["sentences"], "reference_final_loss": reference["final_loss"],
        "ratio_ours_to_reference": last.tokens_per_second / reference["tokens_per_second"],
    }  # fmt: skip
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


def learning_runs(preset: TrainConfig, lever: Lever, seeds: Sequence[int], cap_s: float) -> dict:
    """(a) for one lever (the preset itself: no overrides), over the seeds: every run and the medians."""
    runs = []
    for seed in seeds:
        log(f"(a) {lever.name}, seed {seed}: {cap_s:g} s")
        config = lever_config(preset, lever, seed, cap_s)
        run = learning_run(config, lever.threads, log)
        to_90, to_95 = (run["seconds_to"][t] for t in ("0.90", "0.95"))
        log(f"    seed {seed}: 90% at {to_90}, 95% at {to_95}, final {run['final_exact']:.1%}")
        runs.append(run)
    return {"lever": lever.name, "overrides": lever.overrides, "threads": lever.threads, "clock": "wall time",
            "runs": runs, "summary": summary(runs)}  # fmt: skip


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
        "torch_version": torch.__version__, "torch_threads": torch.get_num_threads(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability(), "bfloat16_units": uses_bfloat16("auto"),
        "imitated_avx2": os.environ.get("ATEN_CPU_CAPABILITY") == "avx2",
        "cpu_count": os.cpu_count(), "cpu_count_physical": psutil.cpu_count(logical=False),
        "device": str(device()), "platform": platform.platform(), "python_version": platform.python_version(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }  # fmt: skip


# --------------------------------------------------------------------------- report


def table_rows(results: dict) -> list[tuple[str, str, str]]:
    """(measurement, result, details) for each line of the table: the learning runs of each precision,
    then throughput, latency and memory."""
    settings, throughput = results["settings"], results["throughput"]
    latency, memory = results["latency"], results["memory"]
    words, cap = results["config"]["max_words"], settings["cap_s"]
    rows = []
    for precision, learning in results["learning"].items():
        medians, runs = learning["summary"], learning["runs"]
        seeds = len(runs)

        def reached(target: str, medians=medians, runs=runs, seeds=seeds, precision=precision):
            median = medians["seconds_to"][target]
            each = ", ".join(
                "missed" if r["seconds_to"][target] is None else f"{r['seconds_to'][target]:.0f} s"
                for r in runs
            )
            return (
                f"{precision}: time to {float(target):.0%} held-out exact match (≤{words} German words), "
                f"median of {seeds} seed(s)",
                f"not reached within {cap:g} s" if median is None else f"{median:.1f} s",
                f"seeds: {each}; cap {cap:g} s",
            )

        moments = ", ".join(
            f"{m} s: {'—' if e is None else f'{e:.1%}'}" for m, e in medians["exact_at"].items()
        )
        book = [r["book_right_s"] for r in runs]
        rows += [
            reached("0.90"),
            reached("0.95"),
            (f"{precision}: held-out exact match on the way, median", moments, f"all 400, {seeds} seed(s)"),
            (
                f"{precision}: the book's sentence exactly right by {BOOK_BY_S:g} s",
                f"{medians['book_right_by_20s']} of {seeds} seeds",
                "first right at " + ", ".join("never" if b is None else f"{b:.0f} s" for b in book),
            ),
            (
                f"{precision}: training throughput while learning, median",
                f"{medians['tokens_per_second']:,.0f} tokens/s",
                "target tokens incl. EOS, from the call on",
            ),
        ]
    made = throughput["made_beforehand_tokens_per_second"]
    reference = throughput["reference_tokens_per_second"]
    tutorial = "Training throughput, tutorial-style reference (one sentence per step)"
    return rows + [
        ("Training throughput, sentences made while it trains (as the page)",
         f"{throughput['ours_tokens_per_second']:,.0f} tokens/s",
         f"{throughput['seconds']:g} s run, batch {throughput['batch_size']}, "
         f"{throughput['threads']} threads"),
        ("The same training, the same sentences made beforehand", f"{made:,.0f} tokens/s",
         f"ratio being made / made beforehand {throughput['ratio_being_made_to_made_beforehand']:.2f}"),
        (tutorial, f"{reference:,.0f} tokens/s",
         f"same sentences, vocabularies and sizes; {throughput['seconds']:g} s run"),
        ("Speed-up, ours / reference", f"{throughput['ratio_ours_to_reference']:.1f}×", ""),
        ("Translation latency, one sentence (greedy, full trace), median", f"{latency['median_ms']:.2f} ms",
         f"p90 {latency['p90_ms']:.2f} ms over {latency['sentences']} held-out sentences"),
        ("Peak memory (RSS of the bench process)", f"{memory['peak_rss_mb']:.0f} MB", ""),
        ("Model size", f"{memory['parameter_count']:,} parameters",
         f"{memory['parameter_mb']:.1f} MB as float32; preset {settings['preset']!r}"),
    ]  # fmt: skip


def lever_table(levers: Sequence[dict]) -> str:
    """A Markdown table: for each lever, the medians over its seeds."""
    moments = list(levers[0]["summary"]["exact_at"])
    book_by = f"book by {BOOK_BY_S:g} s"
    header = ["lever", *(f"at {m} s" for m in moments), "to 90%", "to 95%", book_by, "tokens/s"]
    rows = []
    for lever in levers:
        medians = lever["summary"]
        at = ["—" if e is None else f"{e:.1%}" for e in medians["exact_at"].values()]
        to = ["missed" if t is None else f"{t:.0f} s" for t in medians["seconds_to"].values()]
        book = f"{medians['book_right_by_20s']} of {len(lever['runs'])}"
        rows.append([lever["lever"], *at, *to, book, f"{medians['tokens_per_second']:,.0f}"])
    return markdown_table(header, rows)


def environment_line(results: dict) -> str:
    env = results["environment"]
    return (
        f"torch {env['torch_version']}, {env['torch_threads']} threads, {env['cpu_count']} CPUs, "
        f"kernels {env['cpu_capability']}{' (imitating a plain AVX2 CPU)' if env['imitated_avx2'] else ''}, "
        f"bfloat16 units {'yes' if env['bfloat16_units'] else 'no'}, {env['device']}, {env['platform']}, "
        f"{env['date']}"
    )


# --------------------------------------------------------------------------- command line


def precisions(asked: str) -> list[str]:
    """The precisions the learning runs are made in: float32, and bfloat16 beside it where the CPU
    has bfloat16 units (elsewhere bfloat16 is emulated, and much slower: no page would use it)."""
    if asked != "both":
        return [asked]
    return ["float32", "bfloat16"] if uses_bfloat16("auto") else ["float32"]


def run(settings: dict) -> dict:
    """Every measurement, in order; the results as they go into the JSON file."""
    preset = PRESETS[settings["preset"]]
    threads = settings["threads"] or os.cpu_count() or 1
    log(f"preset {settings['preset']!r}, {threads} torch threads")

    log(f"generating {preset.train_pairs:,} training sentences for the run on sentences made beforehand")
    data = phrasebook_data(replace(preset, seed=0))
    float32 = replace(preset, precision="float32")
    throughput, trained = measure_throughput(float32, settings["throughput_s"], threads, data)
    latency = measure_latency(trained, data[1], settings["latency_sentences"])
    learning = {}
    if not settings.get("levers_only"):
        for precision in settings["precisions"]:
            lever = Lever(f"{settings['preset']}, {precision}", {"precision": precision}, settings["threads"])
            learning[precision] = learning_runs(preset, lever, settings["seeds"], settings["cap_s"])
    chosen = settings.get("levers") or []
    levers = [
        learning_runs(preset, lever, settings["seeds"], settings["cap_s"])
        for number, lever in enumerate(LEVERS)
        if chosen == "all" or number in chosen
    ]
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
        "learning": learning,
        "levers": levers,
        "throughput": throughput,
        "latency": latency,
        "memory": memory,
    }


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__.split("\n")[0])
    add = parser.add_argument
    add("--out", type=Path, default=DEFAULT_OUT, help=f"JSON file to write (default {DEFAULT_OUT})")
    add("--markdown", action="store_true", help="also print the table as Markdown")
    add("--quick", action="store_true", help="tiny models, short runs, one seed: well under a minute")
    add("--cap", type=float, help="seconds each learning run trains (default 120; 10 with --quick)")
    add(
        "--seeds",
        type=int,
        nargs="+",
        help="seeds of the time-to-target runs (default 0 1 2; 0 with --quick)",
    )
    add("--throughput-seconds", type=float, help="length of each throughput run (default 45; 2 with --quick)")
    add("--latency-sentences", type=int, help="sentences timed for latency (default 100; 10 with --quick)")
    add("--threads", type=int, help="torch threads (default: every core)")
    add(
        "--precision",
        choices=["both", "float32", "bfloat16"],
        default="both",
        help="learning runs: float32, and bfloat16 beside it where the CPU has the units (default both)",
    )
    add("--avx2", action="store_true", help="run as a plain AVX2 CPU without bfloat16 units would")
    add(
        "--levers",
        type=int,
        nargs="*",
        metavar="N",
        help="also measure the levers of benchmarks/learning.py (long): all, or those numbered N (0 first)",
    )
    add("--levers-only", action="store_true", help="with --levers: leave out the default preset's runs")
    args = parser.parse_args(argv)
    # The training runs' own limit (TrainConfig.time_budget_s), checked before any run starts
    for option, seconds in (("--cap", args.cap), ("--throughput-seconds", args.throughput_seconds)):
        if seconds is not None and not 0 < seconds <= 3600:
            parser.error(f"{option} must be more than 0 and at most 3600 seconds")
    for option, count in (("--latency-sentences", args.latency_sentences), ("--threads", args.threads)):
        if count is not None and count < 1:
            parser.error(f"{option} must be at least 1")
    return args


AVX2 = {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2", "MKL_ENABLE_INSTRUCTIONS": "AVX2"}


def main(argv: Sequence[str] | None = None) -> dict:
    args = parse_arguments(argv)
    if args.avx2 and any(os.environ.get(name) != value for name, value in AVX2.items()):
        # the libraries read these when they load: run again, from the start, with them set
        arguments = sys.argv[1:] if argv is None else list(argv)
        command = [sys.executable, "-m", "benchmarks.bench", *arguments]
        os.execve(sys.executable, command, {**os.environ, **AVX2})
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
    settings["levers"] = "all" if args.levers == [] else (args.levers or [])
    settings["levers_only"] = args.levers_only and bool(settings["levers"])
    settings["threads"] = args.threads
    settings["precisions"] = precisions("float32" if args.avx2 else args.precision)
    results = run(settings)
    write_json(args.out, results)
    log(f"wrote {args.out}")

    rows = table_rows(results) if results["learning"] else []
    header = ("measurement", "result", "details")
    if rows:
        print(plain_table(header, rows))
    print(environment_line(results))
    if results["levers"]:
        print()
        print(lever_table(results["levers"]))
    if args.markdown and rows:
        print()
        print(markdown_table(header, rows))
        print()
        print(environment_line(results))
    return results


if __name__ == "__main__":
    main()
