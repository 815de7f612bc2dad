"""The benchmark's plumbing (a --quick run writes every measurement) and its tutorial-style reference loop.

The numbers of a quick run mean nothing (tiny models, seconds of training, a busy machine): these tests
check that each measurement is there, has a sane type and range, and is consistent with the others.
"""

import json
import os
import statistics
import subprocess
import sys
from dataclasses import replace

import pytest
import torch
from torch import nn, optim

from benchmarks.bench import main
from benchmarks.learning import exact_at, median_time
from benchmarks.tutorial_loop import DecoderRNN, EncoderRNN, reference_tensors, reference_train_step
from rnn_demo.core.text import EOS_ID, Vocabulary
from rnn_demo.training.config import PRESETS
from rnn_demo.training.train import train, uses_bfloat16

# Five short pairs, picked by hand: the reference loop has to fit them within a few dozen passes
PAIRS = [
    ("ich bin müde .", "i am tired ."),
    ("du bist gut .", "you are good ."),
    ("das ist ein hund .", "that is a dog ."),
    ("wir essen brot .", "we eat bread ."),
    ("er trinkt wasser .", "he drinks water ."),
]


def test_quick_bench_writes_every_measurement(tmp_path, capsys):
    out = tmp_path / "bench.json"
    returned = main(["--quick", "--markdown", "--out", str(out)])
    results = json.loads(out.read_text())
    assert results == returned

    environment = results["environment"]
    assert isinstance(environment["torch_version"], str) and environment["torch_version"]
    assert environment["torch_threads"] >= 1
    assert environment["cpu_count"] >= 1
    assert isinstance(environment["platform"], str) and environment["platform"]
    assert isinstance(environment["date"], str) and environment["date"][:2] == "20"
    assert results["settings"]["quick"] is True
    assert results["config"]["hidden_size"] > 0

    # float32 always; bfloat16 beside it only where the CPU has the units ("auto" would pick it)
    assert list(results["learning"]) == (["float32", "bfloat16"] if uses_bfloat16("auto") else ["float32"])
    learning = results["learning"]["float32"]
    assert [run["seed"] for run in learning["runs"]] == [0]
    for run in learning["runs"]:
        times = [check["seconds"] for check in run["curve"]]
        assert times == sorted(times) and len(times) >= 2  # a check every 2 s of a 10 s run, and the last
        assert all(0 <= check["exact"] <= 1 for check in run["curve"])
        # the time to a target is the first check that reached it, or None
        for target, seconds in run["seconds_to"].items():
            reached = [c["seconds"] for c in run["curve"] if c["exact"] >= float(target)]
            assert seconds == (reached[0] if reached else None)
        assert run["final_exact"] == run["curve"][-1]["exact"]
    assert results["levers"] == []  # only with --levers

    throughput = results["throughput"]
    assert throughput["ours_tokens_per_second"] > 0
    assert throughput["reference_tokens_per_second"] > 0
    assert throughput["ratio_ours_to_reference"] == pytest.approx(
        throughput["ours_tokens_per_second"] / throughput["reference_tokens_per_second"]
    )
    assert throughput["ours_steps"] >= 1 and throughput["reference_sentences"] >= 1
    assert throughput["ratio_being_made_to_made_beforehand"] == pytest.approx(
        throughput["ours_tokens_per_second"] / throughput["made_beforehand_tokens_per_second"]
    )

    latency = results["latency"]
    assert latency["sentences"] == 10
    assert 0 < latency["median_ms"] <= latency["p90_ms"]

    memory = results["memory"]
    assert memory["peak_rss_mb"] > 0
    assert isinstance(memory["parameter_count"], int) and memory["parameter_count"] > 0
    assert memory["parameter_mb"] == pytest.approx(memory["parameter_count"] * 4 / 2**20)  # float32

    printed = capsys.readouterr().out
    for measurement in (
        "float32: time to 90% held-out exact match",
        "float32: time to 95% held-out exact match",
        "float32: the book's sentence exactly right by 20 s",
        "Training throughput, sentences made while it trains",
        "The same training, the same sentences made beforehand",
        "Training throughput, tutorial-style reference",
        "Speed-up, ours / reference",
        "Translation latency",
        "Peak memory",
        "parameters",
    ):
        assert printed.count(measurement) == 2, measurement  # the plain table and the Markdown one
    assert "| measurement | result | details |" in printed
    median = learning["summary"]["seconds_to"]["0.95"]
    assert ("not reached within 10 s" if median is None else f"{median:.1f} s") in printed


def test_median_counts_a_missed_target_as_slowest():
    assert median_time([30.0, 10.0, 20.0]) == 20.0
    assert median_time([30.0, None, 20.0]) == 30.0
    assert median_time([None, None, 20.0]) is None
    assert median_time([12.5]) == 12.5


def test_exact_match_at_a_moment_is_the_last_check_before_it():
    curve = [{"seconds": s, "exact": e} for s, e in ((2.0, 0.1), (29.5, 0.5), (31.0, 0.6), (44.0, 0.7))]
    assert exact_at(curve, 30.0) == 0.5
    assert exact_at(curve, 45.0) == 0.7
    assert exact_at(curve, 60.0) is None  # the run ended at 44 s
    assert exact_at(curve, 1.0) is None  # nothing measured yet


def test_reference_loop_learns_five_pairs():
    torch.manual_seed(0)
    sources = [german.split() for german, _ in PAIRS]
    targets = [english.split() for _, english in PAIRS]
    source_vocab, target_vocab = Vocabulary.build(sources), Vocabulary.build(targets)
    examples = [
        reference_tensors(source_vocab.encode(source), target_vocab.encode(target), torch.device("cpu"))
        for source, target in zip(sources, targets, strict=True)
    ]
    source_tensor, target_tensor = examples[0]
    assert source_tensor.shape == (1, len(sources[0]))
    assert target_tensor.shape == (len(targets[0]) + 1, 1) and int(target_tensor[-1]) == EOS_ID

    encoder = EncoderRNN(len(source_vocab), embedding_size=16, hidden_size=32)
    decoder = DecoderRNN(embedding_size=16, hidden_size=32, output_size=len(target_vocab))
    encoder_optimizer = optim.Adam(encoder.parameters(), lr=1e-2)
    decoder_optimizer = optim.Adam(decoder.parameters(), lr=1e-2)
    criterion = nn.NLLLoss()

    def one_pass() -> float:
        losses = [
            reference_train_step(
                source, target, encoder, decoder, encoder_optimizer, decoder_optimizer, criterion
            )
            for source, target in examples
        ]
        return statistics.fmean(losses)

    first = one_pass()
    for _ in range(30):
        last = one_pass()
    assert last < first / 4, (first, last)


def test_a_training_keeps_its_budget_on_the_clock_it_is_given():
    """The budget, the schedule and every report follow the clock a training is given (a test's own).
    A clock that moves 0.25 s at each reading ends a 3 s budget after a handful of readings, however
    long they take in wall time."""
    readings = []

    def clock() -> float:
        readings.append(len(readings) * 0.25)
        return readings[-1]

    trained = train(replace(PRESETS["tiny"], time_budget_s=3.0), clock=clock, check_every_s=1.0)
    last = trained.history[-1]
    assert 3.0 <= last.elapsed_s < 4.0  # one step may end past the budget, never many
    assert len(readings) < 100  # 12 readings of 0.25 s fill the budget, a few more per step and report
    assert last.step < len(readings)


def test_auto_precision_is_float32_where_torch_runs_without_avx512():
    """On a CPU without bfloat16 units (imitated: torch's AVX2 kernels) "auto" must train in float32:
    bfloat16 emulated in software is many times slower. Asked in a fresh process, as the variable is
    read when torch loads."""
    imitated = {**os.environ, "ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2"}
    script = (
        "from rnn_demo.training.train import uses_bfloat16\n"
        "print(*map(uses_bfloat16, ['auto', 'float32', 'bfloat16']))"
    )
    printed = subprocess.run(
        [sys.executable, "-c", script], env=imitated, capture_output=True, text=True, check=True
    ).stdout.split()
    assert printed == ["False", "False", "True"]
