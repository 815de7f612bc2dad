"""Training in a child process: the same weights as the same training in this process, progress, and
stop."""

import sys
import threading
import types
from dataclasses import replace
from typing import NamedTuple

import pytest
import torch

from rnn_demo.core.text import SPECIAL_TOKENS
from rnn_demo.data.corpus import generate_pairs
from rnn_demo.training.config import PRESETS, Progress, TrainedModel
from rnn_demo.training.worker import train_in_subprocess
from tests.trainings import last_reported_translations, moved_from_the_start

TINY = PRESETS["tiny"]
STEPS_PER_EPOCH = 7  # 200 training pairs in batches of 32


class ChildTraining(NamedTuple):
    here: TrainedModel  # trained in this process
    in_child: TrainedModel  # the same config trained in a child process
    reports: list[Progress]  # what the child reported
    ran_the_script: bool  # whether the server's main script ran in the child
    server_main: types.ModuleType  # the server's __main__ module, after the training


@pytest.fixture(scope="module")
def child_training(half_trained_tiny, tmp_path_factory) -> ChildTraining:
    """The shared half-trained plain RNN's config (its epochs, not a time budget: the same batches and
    steps in both processes, however busy the machine; one torch thread in both: the same
    floating-point sums), trained again in a child process started as a server starts it.

    `streamlit run app.py` makes app.py the __main__ module (a module without a spec, with a
    __file__); Python's spawn start method would run that script again in the child, importing
    streamlit and running the app's entry script outside any session before the training."""
    here = half_trained_tiny("rnn")
    folder = tmp_path_factory.mktemp("server")
    script, marker = folder / "app.py", folder / "ran in the child"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    server_main = types.ModuleType("__main__")
    server_main.__file__ = str(script)
    reports: list[Progress] = []
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setitem(sys.modules, "__main__", server_main)
        in_child = train_in_subprocess(
            here.config, reports.append, threading.Event(), torch_threads=lambda: 1
        )
    return ChildTraining(here, in_child, reports, marker.exists(), server_main)


def test_a_training_in_a_child_process_learns_the_same_weights_as_the_same_training_here(child_training):
    here, in_child, reports = child_training.here, child_training.in_child, child_training.reports
    assert in_child.config == here.config and not in_child.stopped_early
    assert reports and reports[-1].step == here.config.epochs * STEPS_PER_EPOCH
    assert in_child.source_vocab == here.source_vocab and in_child.target_vocab == here.target_vocab
    child_weights, own_weights = in_child.model.state_dict(), here.model.state_dict()
    assert child_weights.keys() == own_weights.keys()
    for name, weight in child_weights.items():
        torch.testing.assert_close(weight, own_weights[name], rtol=1e-4, atol=1e-5, msg=name)
    # and those weights are learned ones, not the initial ones that the same seed gives both
    assert moved_from_the_start(in_child, at_least=1e-2)
    assert in_child.held_out_exact == here.held_out_exact


def test_the_child_does_not_run_the_servers_main_script_again(child_training):
    assert child_training.in_child.history  # the training ran
    assert not child_training.ran_the_script
    assert child_training.server_main.__spec__ is None  # and the server's __main__ is as it was


def test_stop_ends_the_child_training_early_and_keeps_what_it_learned():
    stop = threading.Event()
    reports = []

    def stop_after_first_report(progress):
        reports.append(progress)
        stop.set()

    trained = train_in_subprocess(replace(TINY, time_budget_s=60), stop_after_first_report, stop)
    assert trained.stopped_early  # the stop flag ended it, not the 60 s budget
    assert reports and trained.history[-1].step >= reports[0].step > 0
    assert moved_from_the_start(trained, at_least=1e-3)
    # what came back is the model as the child last saw it: its weights and vocabularies translate
    # the watched sentences as the child's final report says they did
    reported, translated_here = last_reported_translations(trained)
    assert translated_here == reported


def test_a_child_training_learns_from_the_pairs_it_is_given():
    pairs = [
        replace(pair, english=pair.english[:-1] + ("zzzunique",) + pair.english[-1:])
        for pair in generate_pairs(60, seed=3)
    ]  # an English word no phrasebook sentence has: it can only come from these pairs
    one_epoch = replace(TINY, epochs=1, time_budget_s=3600)
    trained = train_in_subprocess(one_epoch, lambda _: None, threading.Event(), data=(pairs[:50], pairs[50:]))
    english_words = {token.lower() for pair in pairs[:50] for token in pair.english}
    assert "zzzunique" in english_words
    assert set(trained.target_vocab.tokens) == english_words | set(SPECIAL_TOKENS)


def no_memory_left() -> float:
    """What the control group has left, for the child: almost nothing (sent to it by name)."""
    return 20.0


def test_a_child_training_stops_early_and_says_why_when_the_servers_memory_runs_short():
    reports = []
    trained = train_in_subprocess(
        replace(TINY, time_budget_s=60), reports.append, threading.Event(), memory_left=no_memory_left
    )
    assert trained.stopped_early and trained.stop_reason == "20 MB of memory left"
    # it stopped at once, before its first half-second report: the only report is its last, and the
    # model it hands back is the one that report describes
    assert len(reports) == 1 and trained.history[-1].step == reports[0].step
    assert trained.model is not None and len(trained.target_vocab) > 0


def test_a_child_training_with_room_to_spare_has_no_stop_reason(child_training):
    assert not child_training.in_child.stopped_early and child_training.in_child.stop_reason is None


def half_a_gigabyte_left() -> float:
    return 500.0


def nothing_known_of_memory() -> None:  # not Linux: nothing says how much is left
    return None


@pytest.mark.parametrize(
    ("memory_left", "precision"), [(half_a_gigabyte_left, "float32"), (nothing_known_of_memory, "auto")]
)
def test_where_memory_is_tight_an_automatic_precision_trains_in_float32(memory_left, precision):
    # bfloat16's memory keeps growing as it trains; float32's stays flat
    config = replace(TINY, precision="auto", epochs=1, time_budget_s=60)
    trained = train_in_subprocess(config, lambda _: None, threading.Event(), memory_left=memory_left)
    assert trained.config.precision == precision and not trained.stopped_early
