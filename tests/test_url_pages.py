"""AppTest: every page keeps its view in the URL, reads a link back, and ignores bad parameters."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from rnn_demo.training.config import PRESETS
from tests.app_pages import APP, open_link

PAGES = ["home", "word_by_word", "encoder_decoder", "bottleneck", "hidden_state", "your_corpus"]
DEFAULT = PRESETS["default"]


def notices(at: AppTest) -> list[str]:
    return [warning.value for warning in at.warning if warning.value.startswith("This link")]


def test_word_by_word_reads_an_example_and_a_typed_sentence_from_the_link():
    example = "Hast du das Buch gelesen?"
    at = open_link("word_by_word", s=example)
    assert at.selectbox(key="sentence_choice").value.endswith(example)
    assert at.query_params["s"] == example

    typed = "Das Buch ist gut."
    at = open_link("word_by_word", s=typed)
    assert at.text_input(key="sentence_typed").value == typed
    assert any("the book" in markdown.value.lower() for markdown in at.markdown)


def test_the_url_follows_the_sentence_the_user_picks():
    at = open_link("word_by_word")
    assert "s" not in at.query_params  # the default view has a short URL
    choice = at.selectbox(key="sentence_choice")
    choice.select(choice.options[2]).run()
    assert at.query_params["s"] == choice.options[2].split(" — ", 1)[1]


def test_encoder_decoder_view_round_trip():
    at = open_link("encoder_decoder", s="Ich habe das Buch gelesen.", model="attention", beam="2", step="3")
    assert at.session_state["model_choice"] == "attention"
    assert at.session_state["beam_width"] == 2
    assert at.slider(key="rnn_step").value == 3
    # at step 3 of a 6-token sentence the decoder has written nothing yet
    assert any(markdown.value.startswith("*Nothing yet") for markdown in at.markdown)
    # the page's own URL reproduces the view in a new session
    link = dict(at.query_params)
    assert link == {"s": "Ich habe das Buch gelesen.", "model": "attention", "beam": "2", "step": "3"}
    again = open_link("encoder_decoder", **link)
    assert again.slider(key="rnn_step").value == 3
    assert again.session_state["model_choice"] == "attention"
    whole = open_link("encoder_decoder", s="Ich habe das Buch gelesen.", model="attention", beam="2")
    assert any(markdown.value == "## I read the book\\." for markdown in whole.markdown)  # the last step


def test_the_step_buttons_move_the_step_and_the_url():
    at = open_link("encoder_decoder", step="0")
    at.button(key="step_next").click().run()
    at.button(key="step_next").click().run()
    assert at.slider(key="rnn_step").value == 2
    assert at.query_params["step"] == "2"
    at.button(key="step_back").click().run()
    assert at.slider(key="rnn_step").value == 1
    for _ in range(3):
        at.button(key="step_back").click().run()
    assert at.slider(key="rnn_step").value == 0  # never below the first step


def test_training_settings_come_from_the_link():
    at = open_link("encoder_decoder", kind="attention", hidden="128", budget="33", seed="7", lr="0.01")
    assert at.session_state["train_kind"] == "attention"
    assert at.session_state["train_hidden"] == 128
    assert at.session_state["train_budget"] == 35  # the slider moves in steps of 5
    assert at.session_state["train_seed"] == 7
    assert at.session_state["train_learning_rate"] == 0.01


def test_a_link_to_a_model_this_server_has_not_trained_says_so():
    at = open_link("encoder_decoder", model="yours", seed="4321")
    assert any("has not trained it" in info.value for info in at.info)
    assert at.session_state["model_choice"] == "rnn"
    assert at.session_state["train_seed"] == 4321


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def bounded_settings(at: AppTest) -> tuple:
    """The training settings the page bounds: budget, hidden size, sentences and their length."""
    keys = ("train_budget", "train_hidden", "train_pairs", "train_max_words")
    return tuple(at.session_state[key] for key in keys)


def test_training_settings_past_the_pages_limits_are_ignored_with_a_notice():
    at = open_link("encoder_decoder", budget="605", hidden="1024", pairs="100000", words="21")
    assert sorted(unescaped(notice) for notice in notices(at)) == [
        "This link: Ignored “budget=605”: it must be a whole number from 5 to 600.",
        "This link: Ignored “hidden=1024”: it must be one of 32, 64, 128, 256, 384, 512.",
        "This link: Ignored “pairs=100000”: it must be one of 1000, 5000, 10000, 20000, 40000, 70000, "
        "80000, 150000.",
        "This link: Ignored “words=21”: it must be a whole number from 3 to 20.",
    ]
    defaults = (DEFAULT.time_budget_s, DEFAULT.hidden_size, DEFAULT.train_pairs, DEFAULT.max_words)
    assert bounded_settings(at) == defaults
    # at the limits they are read
    at = open_link("encoder_decoder", budget="600", hidden="512", pairs="150000", words="20")
    assert notices(at) == []
    assert bounded_settings(at) == (600, 512, 150_000, 20)


def test_html_in_a_link_is_shown_as_text():
    typed = "<script>alert(1)</script> Ich sehe <b>dich</b>"
    at = open_link("word_by_word", s=typed, presenter="<b>fett</b>")
    assert at.text_input(key="sentence_typed").value == typed  # the sentence, as the link gave it
    shown = [element.value for element in [*at.markdown, *at.warning]]
    assert not any("<script" in value or "<b>" in value for value in shown)  # markdown never gets a tag
    assert "< script > alert (1) < / script > Ich sehe < b > dich < / b >" in unescaped("\n".join(shown))
    assert "Ignored “presenter=<b>fett</b>”: it must be 1 (on) or 0 (off)." in unescaped("\n".join(shown))
    assert "<script" not in at.get("plotly_chart")[0].proto.spec


@pytest.mark.parametrize("page_name", PAGES)
def test_bad_parameters_are_ignored_with_a_notice_on_every_page(page_name):
    bad = {"colour": "red", "step": "-4", "beam": "99", "model": "gpt", "s": "Hallo" * 100}
    at = open_link(page_name, **bad)
    shown = notices(at)
    assert shown, page_name
    assert all("Ignored" in notice for notice in shown)
    assert "Ignored “colour”: this page has no such setting." in unescaped("\n".join(shown))


def test_each_bad_parameter_gets_its_own_notice():
    bad = {"colour": "red", "step": "-4", "beam": "99", "model": "gpt", "s": "Hallo" * 100}
    at = open_link("encoder_decoder", **bad)
    assert len(notices(at)) == len(bad)
    assert at.session_state["model_choice"] == "rnn"
    assert at.session_state["beam_width"] == 1


def test_a_step_past_the_end_is_clamped_with_a_notice():
    at = open_link("encoder_decoder", step="500")
    step = at.slider(key="rnn_step")
    assert step.value == step.max
    assert any("past the last step" in info.value for info in at.info)


def test_presenter_mode_from_the_link_hides_the_training_knobs_and_stays_on_across_pages():
    at = open_link("encoder_decoder", presenter="1", hidden="128")
    assert at.toggle(key="presenter_switch").value is True
    # the teacher can still train live, with the link's settings: only the knobs are gone
    assert [e for e in at.expander if "Train your own model" in e.label]
    assert at.button(key="train")
    assert not [s for s in at.select_slider if s.key == "train_hidden"] and not at.number_input
    assert at.session_state["train_hidden"] == 128
    assert at.button(key="step_next")  # the step-through is there
    assert len(at.get("plotly_chart")) >= 4
    assert at.query_params["presenter"] == "1"
    at.switch_page(str(APP / "pages" / "bottleneck.py")).run()
    assert not at.exception, at.exception
    assert at.toggle(key="presenter_switch").value is True
    assert at.query_params["presenter"] == "1"
    at.toggle(key="presenter_switch").set_value(False).run()
    assert "presenter" not in at.query_params


@pytest.mark.parametrize("page_name", PAGES)
def test_presenter_mode_renders_every_page(page_name):
    at = open_link(page_name, presenter="1")
    assert at.toggle(key="presenter_switch").value is True
    assert any("font-size: 21px" in element.proto.body for element in at.get("html"))  # the larger style
    assert at.title, page_name
    if page_name != "your_corpus":  # which has no figure before a file is uploaded
        assert at.get("plotly_chart"), page_name
    at.toggle(key="presenter_switch").set_value(False).run()
    assert not at.exception, at.exception
    assert not any("font-size: 21px" in element.proto.body for element in at.get("html"))


def test_training_settings_survive_a_visit_to_another_page():
    at = open_link("encoder_decoder", seed="42", model="attention")
    at.switch_page(str(APP / "pages" / "word_by_word.py")).run()
    at.switch_page(str(APP / "pages" / "encoder_decoder.py")).run()
    assert at.session_state["train_seed"] == 42
    assert at.session_state["model_choice"] == "attention"
