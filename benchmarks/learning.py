"""How fast a training learns: held-out exact match against training time, for the page's default
preset and for the levers that might make it learn faster.

A run trains with a time budget (the cap) exactly as the page does (its own cheap checks on 100
held-out sentences included), and at each of those checks also measures the whole held-out set (400
sentences) and whether the book's sentence comes out exactly right; that measuring is left out of the
training clock, so it does not slow the run it measures.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from benchmarks.report import median
from rnn_demo.data.corpus import SEED_EXAMPLE
from rnn_demo.training.config import Progress, TrainConfig, TrainedModel, Watched
from rnn_demo.training.sentences import phrasebook_held_out
from rnn_demo.training.train import held_out_exact_match, train

TARGETS = (0.90, 0.95)
MOMENTS_S = (30.0, 45.0, 60.0, 90.0)  # held-out exact match is reported at these training times
BOOK_BY_S = 20.0  # the book's sentence should come out right by then
BOOK = Watched(SEED_EXAMPLE.german_text, SEED_EXAMPLE.key, (SEED_EXAMPLE.target_tokens,))


@dataclass(frozen=True)
class Lever:
    """A change to the default preset (or to how it runs) that might make it learn faster."""

    name: str
    overrides: dict = field(default_factory=dict)
    threads: int | None = None  # torch threads the training may use (None: every core)


# Each lever changes one thing of the settings the default preset had before the levers were tried
BEFORE = {"batch_size": 64, "learning_rate": 0.003, "train_pairs": 40_000, "short_first": 0.0,
          "precision": "float32"}  # fmt: skip
LEVERS = [
    Lever("before: batch 64, rate 0.003, float32", BEFORE),
    Lever("batch 32, rate 0.005", {**BEFORE, "batch_size": 32, "learning_rate": 0.005}),
    Lever("batch 64, rate 0.005", {**BEFORE, "learning_rate": 0.005}),
    Lever("batch 128, rate 0.006", {**BEFORE, "batch_size": 128, "learning_rate": 0.006}),
    Lever("150,000 new sentences instead of 40,000 again", {**BEFORE, "train_pairs": 150_000}),
    Lever("short sentences first (the first 30%)", {**BEFORE, "short_first": 0.3}),
    Lever("bfloat16 matrix products", {**BEFORE, "precision": "bfloat16"}),
    Lever("one thread", BEFORE, threads=1),
]


def learning_run(
    config: TrainConfig, threads: int | None = None, log: Callable[[str], None] = lambda _: None
) -> dict:
    """One training of `config` on the phrasebook, as the page trains it (its budget is the cap, its
    sentences made while it trains, in their own process); what was measured at each check. Its clock
    is wall time from the call on, making the first sentences included. `threads`: the torch threads
    it may use (every core by default; one of them goes to the sentence maker while it makes)."""
    curve: list[dict] = []
    measure_s = 0.0
    held_out = phrasebook_held_out(config)  # the training's own (made again: the same from the same seed)

    def measure(trained: TrainedModel, progress: Progress) -> None:
        nonlocal measure_s
        started = time.perf_counter()
        exact = held_out_exact_match(trained, held_out)
        book_right = bool(progress.samples and progress.samples[0].right)
        curve.append({"seconds": progress.elapsed_s, "exact": exact, "book_right": book_right})
        measure_s += time.perf_counter() - started
        if len(curve) % 10 == 0:
            log(f"    {progress.elapsed_s:5.1f} s: held-out exact match {exact:.1%}")

    cores = threads or os.cpu_count() or 1
    trained = train(config, watch=[BOOK], on_check=measure, threads=lambda: cores)
    last = trained.history[-1]
    return {
        "seed": config.seed,
        "curve": curve,
        "seconds_to": {f"{t:.2f}": first_time(curve, t) for t in TARGETS},
        "book_right_s": next((c["seconds"] for c in curve if c["book_right"]), None),
        "exact_at": {f"{m:g}": exact_at(curve, m) for m in MOMENTS_S},
        "final_exact": curve[-1]["exact"] if curve else None,
        "tokens_per_second": last.tokens_per_second,
        "steps": last.step,
        "measuring_s": measure_s,
    }


def first_time(curve: Sequence[dict], target: float) -> float | None:
    """The training time of the first check whose held-out exact match reached the target."""
    return next((c["seconds"] for c in curve if c["exact"] >= target), None)


def exact_at(curve: Sequence[dict], moment_s: float) -> float | None:
    """The held-out exact match of the last check at or before `moment_s` (None before any, or if
    the run ended before the moment)."""
    if not curve or curve[-1]["seconds"] < moment_s - 3.0:  # the run did not last that long
        return None
    before = [c["exact"] for c in curve if c["seconds"] <= moment_s]
    return before[-1] if before else None


def summary(runs: Sequence[dict]) -> dict:
    """Medians over the seeds' runs."""
    return {
        "seeds": [run["seed"] for run in runs],
        # a seed that missed counts as the slowest
        "seconds_to": {t: median(run["seconds_to"][t] for run in runs) for t in runs[0]["seconds_to"]},
        "exact_at": {
            m: None if None in (seen := [run["exact_at"][m] for run in runs]) else statistics.median(seen)
            for m in runs[0]["exact_at"]
        },  # a moment some seed did not reach has no median
        "book_right_by_20s": sum(
            run["book_right_s"] is not None and run["book_right_s"] <= BOOK_BY_S for run in runs
        ),  # fmt: skip
        "tokens_per_second": statistics.median(run["tokens_per_second"] for run in runs),
    }


def lever_config(preset: TrainConfig, lever: Lever, seed: int, cap_s: float) -> TrainConfig:
    budget = {"seed": seed, "time_budget_s": cap_s, "epochs": None, "target_exact_match": None}
    return replace(preset, **{**lever.overrides, **budget})
