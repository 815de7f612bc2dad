"""AppTest: the Encoder–decoder page opens on the shipped model, translates, trains and survives bad input."""

import json
import re
import threading
import time
from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from rnn_demo.app import labels, resources, translation
from rnn_demo.app.labels import TYPE_YOUR_OWN
from rnn_demo.core.text import detokenize
from rnn_demo.core.translate import MAX_BEAM_WIDTH, translate
from rnn_demo.data.corpus import SEED_EXAMPLE, examples
from rnn_demo.figures import rnn_charts
from rnn_demo.training.checkpoint import checkpoint_bytes, checkpoint_from_bytes
from rnn_demo.training.config import PRESETS, TrainedModel
from rnn_demo.training.registry import ModelKey, Registry
from tests.app_pages import open_from_home


def open_page() -> AppTest:
    return open_from_home("encoder_decoder")


def markdown_text(at: AppTest) -> str:
    """The page's markdown as a reader sees it: without the backslashes that escape typed text."""
    return re.sub(r"\\(.)", r"\1", "\n".join(element.value for element in at.markdown))


def test_the_shipped_model_translates_the_seed_sentence_as_the_page_opens():
    at = open_page()
    text = markdown_text(at)
    assert "Can you help me translate this sentence?" in text
    assert "✓ exactly right" in text
    assert "can you me help this sentence to translate" in text  # the gloss beside it
    assert len(at.get("plotly_chart")) >= 5  # diagram, encoder, context, decoder, top-k
    assert any("Using the shipped plain RNN" in caption.value for caption in at.caption)


def test_the_step_control_walks_through_the_sentence():
    at = open_page()
    at.slider(key="rnn_step").set_value(3).run()
    assert not at.exception
    assert any("the encoder has read 3 of 10 German tokens" in caption.value for caption in at.caption)
    at.slider(key="rnn_step").set_value(12).run()
    assert any("the decoder has written 2 of" in caption.value for caption in at.caption)


def test_sessions_share_one_translation_and_a_step_draws_only_what_it_changes(monkeypatch):
    for cached in (translation._translate, translation._state_figures, translation._step_figures):
        cached.clear()
    calls = []

    def counted(module, name):
        function = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, **k: calls.append(name) or function(*a, **k))

    counted(translation, "translate")
    counted(rnn_charts, "hidden_state_heatmap")
    counted(rnn_charts, "top_k_figure")
    first, second = open_page(), open_page()  # two students on the same example
    assert sorted(calls) == ["hidden_state_heatmap", "hidden_state_heatmap", "top_k_figure", "translate"]
    calls.clear()
    first.button(key="step_back").click().run()
    assert calls == ["top_k_figure"]  # the step's new figures only, the states' figures as they were
    second.button(key="step_back").click().run()
    assert calls == ["top_k_figure"]  # the same step again: drawn once for both
    assert first.get("plotly_chart")[4].proto.spec == second.get("plotly_chart")[4].proto.spec


def translation_shown(at: AppTest) -> str:
    """The model's translation as a reader sees it (the first of the three columns' headings, or none
    when the decoder wrote no word)."""
    if any(element.value == translation.EMPTY_TRANSLATION for element in at.markdown):
        return ""
    heading = next(element.value for element in at.markdown if element.value.startswith("## "))
    return re.sub(r"\\(.)", r"\1", heading.removeprefix("## "))


def test_every_example_is_translated_and_shown_with_its_reference():
    at = open_page()
    shipped = resources.model_registry().model(ModelKey.shipped("rnn"))
    options = at.selectbox(key="rnn_sentence_choice").options
    assert len(options) == len(examples()) + 1  # and "type your own"
    for option, example in zip(options, examples(), strict=False):
        at.selectbox(key="rnn_sentence_choice").set_value(option).run()
        assert not at.exception, option
        sentence = list(example.pair.key)
        expected = translate(shipped.model, sentence, shipped.source_vocab, shipped.target_vocab)
        assert translation_shown(at) == detokenize(expected.translation), option
        assert f"## {example.pair.english_text}" in markdown_text(at)  # the reference beside it


@pytest.fixture
def unsure_model_file(half_trained_tiny) -> bytes:
    """A plain RNN early in its training, as a file: unsure enough that each beam width finds
    another translation of the book's sentence."""
    return checkpoint_bytes(half_trained_tiny("rnn"))


def test_every_beam_width_gives_its_own_translation(unsure_model_file):
    at = open_page()
    at.file_uploader(key="checkpoint_file").upload("unsure.safetensors", unsure_model_file).run()
    assert at.session_state["model_choice"] == "yours"
    loaded = checkpoint_from_bytes(unsure_model_file)
    shown = []
    for width in range(1, MAX_BEAM_WIDTH + 1):
        at.segmented_control(key="beam_width").set_value(width).run()
        assert not at.exception, at.exception
        assert at.query_params.get("beam", "1") == str(width)
        expected = translate(
            loaded.model, list(SEED_EXAMPLE.key), loaded.source_vocab, loaded.target_vocab, beam_width=width
        )
        shown.append(translation_shown(at))
        assert shown[-1] == detokenize(expected.translation), width
    assert len(set(shown)) >= 3  # the widths differ here, so a page that ignored the width would fail


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please type a German sentence."),
        ("x" * 5000, "5,000 characters"),
        ("🙂 ?!", "No words were found"),
        ("Hund" + "e" * 297, "Your sentence is 301 characters long; the limit is 300."),
        (" ".join(["Hund"] * 31), "Your sentence has 31 words; the limit is 30."),
    ],
)
def test_bad_sentences_get_a_message(text, message):
    at = open_page()
    at.selectbox(key="rnn_sentence_choice").select(TYPE_YOUR_OWN).run()
    at.text_input(key="rnn_sentence_typed").input(text).run()
    assert not at.exception
    assert any(message in info.value for info in at.info)


@pytest.mark.parametrize(
    "text", ["Hund" + "e" * 296, " ".join(["Hund"] * 30)], ids=["300 characters", "30 words"]
)
def test_sentences_at_the_limits_are_translated(text):
    at = open_page()
    at.selectbox(key="rnn_sentence_choice").select(TYPE_YOUR_OWN).run()
    at.text_input(key="rnn_sentence_typed").input(text).run()
    assert not at.exception, at.exception
    assert not at.info
    assert translation_shown(at)
    assert len(at.get("plotly_chart")) == 5


def test_choosing_the_attention_model_adds_the_attention_heatmap():
    at = open_page()
    charts_before = len(at.get("plotly_chart"))
    at.segmented_control(key="model_choice").set_value("attention").run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == charts_before + 1
    assert any("Using the shipped RNN with attention" in caption.value for caption in at.caption)
    assert "Can you help me translate this sentence?" in markdown_text(at)


def test_unknown_words_and_markup_are_shown_as_plain_text():
    at = open_page()
    at.selectbox(key="rnn_sentence_choice").select(TYPE_YOUR_OWN).run()
    at.text_input(key="rnn_sentence_typed").input("Ich sehe <b>Zauberer</b> 🙂").run()
    assert not at.exception
    assert any("never seen" in warning.value for warning in at.warning)
    for element in at.get("plotly_chart"):
        assert "<b>Zauberer" not in element.proto.spec


def small_training_settings(at: AppTest, seed: int, budget: int) -> None:
    at.select_slider(key="train_hidden").set_value(32)
    at.select_slider(key="train_embedding").set_value(16)
    at.slider(key="train_budget").set_value(budget)
    at.slider(key="train_max_words").set_value(5)
    at.select_slider(key="train_pairs").set_value(1_000)
    at.number_input(key="train_seed").set_value(seed)


def test_train_a_tiny_model_from_the_page_and_translate_with_it():
    at = open_page()
    small_training_settings(at, seed=123, budget=5)
    at.select_slider(key="train_passes").set_value(1)  # one pass over the 1,000 sentences, then it ends
    at.button(key="train").click().run()
    assert not at.exception, at.exception
    job = resources.model_registry().job(at.session_state["rnn_job_key"])
    assert job is not None and job.config.hidden_size == 32 and job.config.epochs == 1
    assert job.finished.wait(timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert job.status == "done"
    assert at.session_state["rnn_own_model_key"] == job.key
    assert any("Using your model: hidden size 32" in caption.value for caption in at.caption)
    assert any("Your model is trained" in success.value for success in at.success)


def test_a_stopped_training_leaves_the_model_in_use_and_offers_what_it_learned():
    at = open_page()
    small_training_settings(at, seed=321, budget=60)
    at.button(key="train").click().run()
    job = resources.model_registry().job(at.session_state["rnn_job_key"])
    deadline = time.monotonic() + 60
    while job.latest is None:  # let it learn a little
        assert time.monotonic() < deadline, f"no progress within a minute: {job.status}"
        time.sleep(0.1)
    at.run()
    at.button(key="stop_training").click().run()  # the page's own Stop button
    assert job.stop_flag.is_set()
    assert job.finished.wait(timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert job.status == "stopped"
    assert at.session_state["model_choice"] == "rnn"
    assert any("Using the shipped plain RNN" in caption.value for caption in at.caption)
    assert any("model in use stays as it was" in warning.value for warning in at.warning)
    at.button(key="use_stopped").click().run()
    assert at.session_state["model_choice"] == "yours"
    assert any("Using your model: hidden size 32" in caption.value for caption in at.caption)


def recorded_exact_match(path) -> float:
    """The held-out exact match written in a checkpoint file's header, read without the app's code."""
    data = path.read_bytes()
    header = json.loads(data[8 : 8 + int.from_bytes(data[:8], "little")])
    return json.loads(header["__metadata__"]["held_out_exact"])


@pytest.mark.empty_streamlit_caches  # a restarted server starts with nothing made yet
def test_a_restarted_server_still_has_every_shipped_model():
    first = resources.model_registry()
    resources.model_registry.clear()  # what a restart does: the next session builds the registry again
    again = resources.model_registry()
    assert again is not first
    assert set(again.keys()) == {ModelKey.shipped(name) for name in resources.SHIPPED_CHECKPOINTS}
    for name, path in resources.SHIPPED_CHECKPOINTS.items():
        recorded = recorded_exact_match(path)
        assert again.model(ModelKey.shipped(name)).held_out_exact == recorded and 0 < recorded <= 1, name


class HeldTraining:
    """Stands in for the training process: runs until the test lets it end, then fails as a training
    process can (killed, out of memory) if told to, else ends as stopped, having learned nothing."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.fail = False
        self.stop_reason = None  # what the training process says when the server's memory ran short
        self.calls = []

    def __call__(self, config, on_progress, stop, data, watch):
        self.calls.append(config)
        self.release.wait(timeout=120)
        if self.fail:
            raise RuntimeError("the training process ended without a result (exit code -9)")
        return TrainedModel(None, None, None, config, stopped_early=True, stop_reason=self.stop_reason)


@pytest.fixture
def held_registry(monkeypatch):
    """The page's registry, with the shipped models, but trainings that wait for the test and then fail."""
    training = HeldTraining()
    registry = Registry(training)
    for name in resources.SHIPPED_CHECKPOINTS:
        key = ModelKey.shipped(name)
        registry.add_model(key, resources.model_registry().model(key))
    monkeypatch.setattr(resources, "model_registry", lambda: registry)
    yield registry, training
    training.release.set()


def held_training_ends(at, registry, training: HeldTraining, seed: int, status: str) -> None:
    """Press Train (small settings), let the held training end, and see the page after it."""
    small_training_settings(at, seed=seed, budget=5)
    at.button(key="train").click().run()
    job = registry.job(at.session_state["rnn_job_key"])
    training.release.set()
    assert job.finished.wait(timeout=10) and job.status == status
    at.run()
    assert not at.exception, at.exception


def test_a_failed_training_leaves_the_model_in_use(held_registry, capfd):
    registry, training = held_registry
    training.fail = True
    at = open_page()
    at.segmented_control(key="model_choice").set_value("attention").run()
    held_training_ends(at, registry, training, seed=55, status="failed")
    assert any("The training failed (RuntimeError: the training process ended without a result" in error.value
               and "The previous model is still in use." in error.value for error in at.error)
    assert at.session_state["model_choice"] == "attention"
    assert any("Using the shipped RNN with attention" in caption.value for caption in at.caption)
    assert "Can you help me translate this sentence?" in markdown_text(at)
    assert "RuntimeError: the training process ended" in capfd.readouterr().err  # logged, not shown


def test_a_training_the_memory_stopped_says_so_and_leaves_the_model_in_use(held_registry):
    registry, training = held_registry
    training.stop_reason = "41 MB of memory left"
    at = open_page()
    held_training_ends(at, registry, training, seed=58, status="stopped")
    warnings = [warning.value for warning in at.warning]
    assert any(
        w.startswith(f"{labels.STOPPED_FOR_MEMORY} (41 MB of memory left), so it stopped early and the model "
                     "in use stays as it was.") for w in warnings
    ), warnings  # fmt: skip
    assert at.session_state["model_choice"] == "rnn"
    assert any("Using the shipped plain RNN" in caption.value for caption in at.caption)


def test_a_session_runs_one_training_at_a_time(held_registry):
    registry, training = held_registry
    at = open_page()
    small_training_settings(at, seed=56, budget=5)
    at.button(key="train").click().run()
    at.run()  # as the progress does, once a second
    job_key = at.session_state["rnn_job_key"]
    assert registry.job(job_key).active and at.button(key="train").disabled
    at.number_input(key="train_seed").set_value(57).run()  # other settings: Train stays disabled
    assert at.button(key="train").disabled
    assert at.session_state["rnn_job_key"] == job_key and len(training.calls) == 1
    training.release.set()  # once it has ended, Train can be pressed again
    assert registry.job(job_key).finished.wait(timeout=10)
    at.run()
    assert not at.button(key="train").disabled


def test_a_full_queue_says_so_and_a_waiting_training_shows_its_place(held_registry):
    registry, training = held_registry
    others = [replace(PRESETS["default"], seed=9000 + n) for n in range(6)]
    running = registry.request(ModelKey.trained("someone else", others[0]), others[0])
    deadline = time.monotonic() + 10
    while running.status != "running":
        assert time.monotonic() < deadline, "the first training did not start"
        time.sleep(0.01)
    at = open_page()
    small_training_settings(at, seed=58, budget=5)
    at.button(key="train").click().run()
    assert any("Waiting for another training to finish: this one is number 1 in the queue" in info.value
               for info in at.info)

    for config in others[1:5]:  # now five wait: the queue is full
        registry.request(ModelKey.trained("someone else", config), config)
    second = open_page()
    small_training_settings(second, seed=59, budget=5)
    second.button(key="train").click().run()
    assert not second.exception, second.exception
    assert any("5 trainings are already waiting on this server. Try again in a minute or two" in warning.value
               for warning in second.warning)
    assert "rnn_job_key" not in second.session_state
    assert len(training.calls) == 1  # only the first ever started
