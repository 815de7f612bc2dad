"""Training in a child process: the same weights as the same training in this process, progress, and
stop."""

import sys
import threading
import types
from dataclasses import replace

import torch

from rnn_demo.core.model import EncoderDecoder
from rnn_demo.core.text import SPECIAL_TOKENS
from rnn_demo.core.translate import translate
from rnn_demo.data.corpus import SEED_EXAMPLE, generate_pairs
from rnn_demo.training.config import PRESETS
from rnn_demo.training.train import train
from rnn_demo.training.worker import train_in_subprocess

TINY = PRESETS["tiny"]
# Three epochs, not a time budget: the same batches and steps in both processes, however busy the machine
BY_EPOCHS = replace(TINY, epochs=3, time_budget_s=3600)
STEPS_PER_EPOCH = 7  # 200 training pairs in batches of 32


def untrained_weights(trained) -> dict[str, torch.Tensor]:
    """The weights a training with this seed starts from (train() seeds torch, then builds the model)."""
    torch.manual_seed(trained.config.seed)
    return EncoderDecoder(trained.model.config).state_dict()


def test_a_training_in_a_child_process_learns_the_same_weights_as_the_same_training_here():
    reports = []
    threads = torch.get_num_threads()  # the same number of threads: the same floating-point sums
    in_child = train_in_subprocess(
        BY_EPOCHS, reports.append, threading.Event(), torch_threads=lambda: threads
    )
    here = train(BY_EPOCHS)
    assert in_child.config == BY_EPOCHS and not in_child.stopped_early
    assert reports and reports[-1].step == 3 * STEPS_PER_EPOCH
    assert in_child.source_vocab == here.source_vocab and in_child.target_vocab == here.target_vocab
    child_weights, own_weights = in_child.model.state_dict(), here.model.state_dict()
    assert child_weights.keys() == own_weights.keys()
    for name, weight in child_weights.items():
        torch.testing.assert_close(weight, own_weights[name], rtol=1e-4, atol=1e-5, msg=name)
    # and those weights are learned ones, not the initial ones that the same seed gives both
    start = untrained_weights(here)
    assert any((child_weights[name] - start[name]).abs().max() > 1e-2 for name in start)
    assert in_child.held_out_exact == here.held_out_exact


def test_stop_ends_the_child_training_early_and_keeps_what_it_learned():
    stop = threading.Event()
    reports = []

    def stop_after_first_report(progress):
        reports.append(progress)
        stop.set()

    trained = train_in_subprocess(replace(TINY, time_budget_s=60), stop_after_first_report, stop)
    assert trained.stopped_early  # the stop flag ended it, not the 60 s budget
    assert reports and trained.history[-1].step >= reports[0].step > 0
    start = untrained_weights(trained)
    assert any((trained.model.state_dict()[name] - start[name]).abs().max() > 1e-3 for name in start)
    trace = translate(trained.model, list(SEED_EXAMPLE.key), trained.source_vocab, trained.target_vocab)
    assert trace.output_tokens


def test_a_child_training_learns_from_the_pairs_it_is_given():
    pairs = [
        replace(pair, english=pair.english[:-1] + ("zzzunique",) + pair.english[-1:])
        for pair in generate_pairs(60, seed=3)
    ]  # an English word no phrasebook sentence has: it can only come from these pairs
    trained = train_in_subprocess(replace(BY_EPOCHS, epochs=1), lambda _: None, threading.Event(),
                                  data=(pairs[:50], pairs[50:]))
    english_words = {token.lower() for pair in pairs[:50] for token in pair.english}
    assert "zzzunique" in english_words
    assert set(trained.target_vocab.tokens) == english_words | set(SPECIAL_TOKENS)


def test_the_child_does_not_run_the_servers_main_script_again(tmp_path, monkeypatch):
    # `streamlit run app.py` makes app.py the __main__ module (a module without a spec, with a
    # __file__); Python's spawn start method would run that script again in the child, importing
    # streamlit and running the app's entry script outside any session before the training
    script = tmp_path / "app.py"
    marker = tmp_path / "ran in the child"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    app_main = types.ModuleType("__main__")
    app_main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", app_main)
    one_epoch = replace(TINY, epochs=1, time_budget_s=3600)
    trained = train_in_subprocess(one_epoch, lambda progress: None, threading.Event())
    assert trained.history  # the training ran
    assert not marker.exists()
    assert app_main.__spec__ is None  # and the server's __main__ is as it was
