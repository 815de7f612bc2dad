"""Training in a child process: the same result as in-process training, progress, and stop."""

import threading
import time
from dataclasses import replace

import torch

from rnn_demo.core.text import SPECIAL_TOKENS
from rnn_demo.data.corpus import generate_pairs
from rnn_demo.training.config import PRESETS
from rnn_demo.training.train import train
from rnn_demo.training.worker import train_in_subprocess

TINY = PRESETS["tiny"]


def test_a_tiny_training_in_a_child_process_matches_the_same_training_here():
    reports = []
    in_child = train_in_subprocess(TINY, reports.append, threading.Event())
    assert reports and reports == in_child.history
    assert in_child.config == TINY and not in_child.stopped_early
    # the same seed and data in this process give a model of the same shape and vocabularies
    here = train(TINY)
    assert in_child.source_vocab.to_dict() == here.source_vocab.to_dict()
    assert in_child.target_vocab.to_dict() == here.target_vocab.to_dict()
    for (name, child_weight), (_, own_weight) in zip(
        in_child.model.state_dict().items(), here.model.state_dict().items(), strict=True
    ):
        assert child_weight.shape == own_weight.shape, name
        assert torch.isfinite(child_weight).all()
    assert in_child.held_out_exact is not None


def test_stop_ends_the_child_training_soon_and_keeps_what_it_learned():
    stop = threading.Event()
    reports = []

    def stop_after_first_report(progress):
        reports.append(progress)
        stop.set()

    started = time.monotonic()
    trained = train_in_subprocess(replace(TINY, time_budget_s=60), stop_after_first_report, stop)
    assert trained.stopped_early
    assert time.monotonic() - started < 45  # far less than the 60 s budget
    assert reports


def test_a_child_training_learns_from_the_pairs_it_is_given():
    pairs = [
        replace(pair, english=pair.english[:-1] + ("zzzunique",) + pair.english[-1:])
        for pair in generate_pairs(60, seed=3)
    ]  # an English word no phrasebook sentence has: it can only come from these pairs
    trained = train_in_subprocess(replace(TINY, time_budget_s=3), lambda _: None, threading.Event(),
                                  data=(pairs[:50], pairs[50:]))
    english_words = {token.lower() for pair in pairs[:50] for token in pair.english}
    assert "zzzunique" in english_words
    assert set(trained.target_vocab.tokens) == english_words | set(SPECIAL_TOKENS)
