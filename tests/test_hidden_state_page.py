"""AppTest: the Inside-the-hidden-state page draws the map and the nearest sentences, survives bad
lines with a clear message for each, and keeps its view in the URL."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from rnn_demo.app import resources
from rnn_demo.data.corpus import examples
from rnn_demo.training.config import PRESETS
from rnn_demo.training.registry import ModelKey
from tests.app_pages import APP, open_link

EXAMPLES = [example.pair.german_text for example in examples()]


def open_page(**query: str) -> AppTest:
    return open_link("hidden_state", **query)


def map_traces(at: AppTest) -> list[dict]:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)["data"]


def nearest_table(at: AppTest):
    return at.dataframe[0].value


def left_out(at: AppTest) -> str:
    """The warnings as a reader sees them: typed text is shown with markdown's backslash escapes."""
    return re.sub(r"\\(.)", r"\1", "\n".join(warning.value for warning in at.warning))


def type_lines(at: AppTest, text: str) -> AppTest:
    at.text_area(key="hidden_sentences_typed").input(text).run()
    assert not at.exception, at.exception
    return at


def test_the_page_maps_the_examples_with_the_shipped_model():
    at = open_page()
    traces = map_traces(at)
    assert len(traces) == len(EXAMPLES)
    assert all(len(trace["x"]) >= 5 for trace in traces)
    table = nearest_table(at)
    assert list(table.columns) == ["sentence", "distance"] and len(table) == 5
    assert EXAMPLES[0] not in set(table["sentence"])  # the chosen sentence is not its own neighbour
    assert list(table["distance"]) == sorted(table["distance"])
    assert any("follow a colour" in caption.value for caption in at.caption)
    assert any("What the clusters mean" in header.value for header in at.header)
    assert dict(at.query_params) == {}  # the default view has a short link


def test_choosing_a_sentence_and_a_model_updates_table_and_link():
    at = open_page()
    at.selectbox(key="hidden_chosen_sentence").select(EXAMPLES[8]).run()
    assert not at.exception
    assert EXAMPLES[8] not in set(nearest_table(at)["sentence"])
    assert at.query_params["s"] == EXAMPLES[8]
    at.segmented_control(key="hidden_model_choice").set_value("attention").run()
    assert not at.exception, at.exception
    assert at.query_params["model"] == "attention"
    assert "With attention" in "\n".join(markdown.value for markdown in at.markdown)


def test_typed_sentences_join_the_map():
    at = type_lines(open_page(), "Er hat den Schlüssel gefunden.\n\n  Ich habe das Buch gelesen.  \n")
    assert len(map_traces(at)) == len(EXAMPLES) + 2  # the blank line is no sentence
    at.selectbox(key="hidden_chosen_sentence").select("Er hat den Schlüssel gefunden.").run()
    assert nearest_table(at)["sentence"].iloc[0] == "Er hat den Schlüssel nicht gefunden."
    assert not at.warning


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("x" * 10_000, "10,000 characters long; the limit is 300"),
        ("🙂 🎉 !!", "No words were found"),
        (" ".join(["Wort"] * 31), "31 words; the limit is 30"),
        (EXAMPLES[3], "already on the map"),
    ],
)
def test_a_bad_line_is_left_out_with_its_reason(line, message):
    at = type_lines(open_page(), f"Das Buch ist gut.\n{line}")
    assert message in left_out(at)
    assert "Line 2" in left_out(at)
    assert len(map_traces(at)) == len(EXAMPLES) + 1  # the good line is kept


def test_html_in_a_line_stays_plain_text():
    at = type_lines(open_page(), '<script>alert("x")</script>\n<b>fett</b> <img src=x onerror=alert(1)>')
    # the lines hold words, so they are drawn; every tag reaches the figure escaped, never as HTML
    spec = at.get("plotly_chart")[0].proto.spec
    assert "<script>" not in spec and "<b>fett" not in spec and "<img" not in spec
    assert "&lt;script&gt;" in spec
    options = at.selectbox(key="hidden_chosen_sentence").options
    at.selectbox(key="hidden_chosen_sentence").select(options[-1]).run()
    assert not at.exception
    assert at.query_params["s"] == "<b>fett</b> <img src=x onerror=alert(1)>"  # the link holds the text


def test_too_many_lines_are_cut_at_thirty_sentences():
    lines = "\n".join(f"Ich habe {n} Bücher gelesen." for n in range(40))
    at = type_lines(open_page(), lines)
    assert len(map_traces(at)) == 30
    assert f"{40 - (30 - len(EXAMPLES))} more lines: the map holds at most 30 sentences" in left_out(at)


def test_without_enough_sentences_the_page_says_what_to_do():
    at = open_page()
    at.checkbox(key="hidden_include_examples").uncheck().run()
    assert not at.exception
    assert any("at least two sentences" in info.value for info in at.info)
    assert not at.get("plotly_chart")
    at = type_lines(at, "Das Buch ist gut.")
    assert any("at least two sentences" in info.value for info in at.info)
    at = type_lines(at, "Das Buch ist gut.\nDer Hund schläft.")
    assert len(map_traces(at)) == 2 and len(nearest_table(at)) == 1
    assert at.query_params["examples"] == "0"


def test_a_link_can_leave_the_examples_off_the_map():
    at = open_page(examples="0")
    assert at.checkbox(key="hidden_include_examples").value is False
    assert any("at least two sentences" in info.value for info in at.info)
    assert not at.get("plotly_chart")


def test_a_link_to_a_typed_sentence_types_it_in():
    typed = "Ich habe das Buch gelesen."
    at = open_page(s=typed, model="attention")
    assert at.text_area(key="hidden_sentences_typed").value == typed
    assert at.selectbox(key="hidden_chosen_sentence").value == typed
    assert at.session_state["hidden_model_choice"] == "attention"
    again = open_page(**dict(at.query_params))  # the page's own link reopens the view
    assert again.selectbox(key="hidden_chosen_sentence").value == typed


def test_your_model_is_offered_only_when_the_session_has_one():
    at = open_page(model="yours")
    assert any("this session has none" in info.value for info in at.info)
    assert at.segmented_control(key="hidden_model_choice").options == [
        "Plain RNN (shipped)",
        "RNN + attention (shipped)",
    ]

    registry = resources.model_registry()  # the server's registry, shared with the AppTest below
    own_key = ModelKey.trained("test", PRESETS["tiny"])
    registry.add_model(own_key, registry.model(ModelKey.shipped("rnn")))
    at = AppTest.from_file(str(APP / "streamlit_app.py"), default_timeout=120)
    at.switch_page(str(APP / "pages" / "hidden_state.py"))
    at.session_state["rnn_own_model_key"] = own_key
    at.run()
    at.segmented_control(key="hidden_model_choice").set_value("yours").run()
    assert not at.exception, at.exception
    assert at.query_params["model"] == "yours"
    assert len(map_traces(at)) == len(EXAMPLES)
