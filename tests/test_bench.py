"""The speed benchmark's pieces against hand-computed values (its table, the medians over seeds, the
reporting helper), its tutorial-style reference loop, and the training clock and precision it relies on."""

import os
import statistics
import subprocess
import sys
from dataclasses import replace

import torch
from torch import nn, optim

from benchmarks.bench import table_rows
from benchmarks.learning import exact_at, summary
from benchmarks.report import markdown_table, median, plain_table, spread
from benchmarks.tutorial_loop import DecoderRNN, EncoderRNN, reference_tensors, reference_train_step
from rnn_demo.core.text import EOS_ID, Vocabulary
from rnn_demo.training.config import PRESETS
from rnn_demo.training.train import train

# Five short pairs, picked by hand: the reference loop has to fit them within a few dozen passes
PAIRS = [
    ("ich bin müde .", "i am tired ."),
    ("du bist gut .", "you are good ."),
    ("das ist ein hund .", "that is a dog ."),
    ("wir essen brot .", "we eat bread ."),
    ("er trinkt wasser .", "he drinks water ."),
]


def learning_run(seed, to_90, to_95, book_right_s, tokens_per_second):
    return {
        "seed": seed,
        "seconds_to": {"0.90": to_90, "0.95": to_95},
        "exact_at": {"30": 0.80 + seed / 100, "45": 0.90 + seed / 100},
        "book_right_s": book_right_s,
        "tokens_per_second": tokens_per_second,
    }


def test_the_table_gives_the_seeds_medians_and_says_when_a_target_was_missed():
    runs = [learning_run(0, 31.0, None, 6.0, 3000.0), learning_run(1, 28.0, 36.0, None, 3500.0),
            learning_run(2, 40.0, 62.0, 25.0, 4000.0)]  # fmt: skip
    results = {
        "settings": {"cap_s": 90.0, "preset": "default"},
        "config": {"max_words": 10},
        "learning": {"float32": {"runs": runs, "summary": summary(runs)}},
        "throughput": {"ours_tokens_per_second": 3650.0, "made_beforehand_tokens_per_second": 3650.0,
                       "ratio_being_made_to_made_beforehand": 1.0, "reference_tokens_per_second": 207.0,
                       "ratio_ours_to_reference": 3650 / 207, "seconds": 45.0, "batch_size": 128,
                       "threads": 1},
        "latency": {"median_ms": 13.5, "p90_ms": 25.5, "sentences": 100},
        "memory": {"peak_rss_mb": 512.4, "parameter_count": 1098988, "parameter_mb": 4.19},
    }  # fmt: skip
    rows = {name: (result, details) for name, result, details in table_rows(results)}
    to = "float32: time to {} held-out exact match (≤10 German words), median of 3 seed(s)"
    assert rows[to.format("90%")] == ("31.0 s", "seeds: 31 s, 28 s, 40 s; cap 90 s")
    assert rows[to.format("95%")] == ("62.0 s", "seeds: missed, 36 s, 62 s; cap 90 s")  # missed: the slowest
    assert rows["float32: held-out exact match on the way, median"][0] == "30 s: 81.0%, 45 s: 91.0%"
    book = rows["float32: the book's sentence exactly right by 20 s"]
    assert book == ("1 of 3 seeds", "first right at 6 s, never, 25 s")
    assert rows["float32: training throughput while learning, median"][0] == "3,500 tokens/s"
    assert rows["Speed-up, ours / reference"][0] == "17.6×"
    assert rows["Model size"][0] == "1,098,988 parameters"


def test_tables_pad_plain_text_and_write_markdown():
    header, rows = ("measurement", "result"), [("latency", "13.5 ms"), ("model", "4.2 MB")]
    assert plain_table(header, rows).splitlines() == [
        "measurement  result",
        "-----------  -------",
        "latency      13.5 ms",
        "model        4.2 MB",
    ]
    assert (
        markdown_table(header, rows)
        == "| measurement | result |\n|---|---|\n| latency | 13.5 ms |\n| model | 4.2 MB |"
    )


def test_a_median_counts_a_missed_result_as_the_slowest():
    assert median([30.0, 10.0, 20.0]) == 20.0
    assert median([30.0, None, 20.0]) == 30.0
    assert median([None, None, 20.0]) is None and median([]) is None
    assert median([12.5]) == 12.5
    assert spread([4.0, None, 1.0, 10.0, 2.0]) == {"count": 5, "with_result": 4, "median": 3.0, "worst": 10.0}


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
