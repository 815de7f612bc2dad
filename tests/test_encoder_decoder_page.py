"""AppTest: the Encoder–decoder page opens on the shipped model, translates, trains and survives bad input."""

import re
import time

import pytest
from streamlit.testing.v1 import AppTest

from rnn_demo.app import resources
from rnn_demo.app.labels import TYPE_YOUR_OWN
from rnn_demo.training.registry import ModelKey
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


def test_beam_search_and_every_example_render():
    at = open_page()
    at.segmented_control(key="beam_width").set_value(3).run()
    assert not at.exception
    options = at.selectbox(key="rnn_sentence_choice").options
    for option in options[:-1]:
        at.selectbox(key="rnn_sentence_choice").set_value(option).run()
        assert not at.exception, option


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please type a German sentence."),
        ("x" * 5000, "5,000 characters"),
        ("🙂 ?!", "No words were found"),
    ],
)
def test_bad_sentences_get_a_message(text, message):
    at = open_page()
    at.selectbox(key="rnn_sentence_choice").select(TYPE_YOUR_OWN).run()
    at.text_input(key="rnn_sentence_typed").input(text).run()
    assert not at.exception
    assert any(message in info.value for info in at.info)


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
    at.button(key="train").click().run()
    assert not at.exception, at.exception
    job = resources.model_registry().job(at.session_state["rnn_job_key"])
    assert job is not None and job.config.hidden_size == 32
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
    while job.latest is None and time.monotonic() < deadline:  # let it learn a little
        time.sleep(0.1)
    job.stop()  # what the page's Stop button does
    assert job.finished.wait(timeout=10)
    at.run()
    assert not at.exception, at.exception
    assert job.status == "stopped"
    assert at.session_state["model_choice"] == "rnn"
    assert any("Using the shipped plain RNN" in caption.value for caption in at.caption)
    assert any("model in use stays as it was" in warning.value for warning in at.warning)
    at.button(key="use_stopped").click().run()
    assert at.session_state["model_choice"] == "yours"
    assert any("Using your model: hidden size 32" in caption.value for caption in at.caption)


def test_a_restarted_server_still_has_every_shipped_model():
    first = resources.model_registry()
    resources.model_registry.clear()  # what a restart does: the next session builds the registry again
    again = resources.model_registry()
    assert again is not first
    for name in resources.SHIPPED_CHECKPOINTS:
        trained = again.model(ModelKey.shipped(name))
        assert trained is not None, name
        assert trained.held_out_exact == first.model(ModelKey.shipped(name)).held_out_exact
