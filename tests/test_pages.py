"""AppTest: the pages render, the seed sentence is glossed, and bad input gets a message, not a traceback."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from rnn_demo.app.labels import TYPE_YOUR_OWN
from rnn_demo.data.corpus import examples
from tests.app_pages import open_from_home

SEED_GLOSS = "can you me help this sentence to translate"


def markdown_text(at: AppTest) -> str:
    return "\n".join(element.value for element in at.markdown)


def type_sentence(at: AppTest, text: str) -> AppTest:
    at.selectbox(key="sentence_choice").select(TYPE_YOUR_OWN).run()
    at.text_input(key="sentence_typed").input(text).run()
    assert not at.exception, at.exception
    return at


def test_home_shows_the_problem_in_one_screen():
    at = open_from_home("home")
    text = markdown_text(at)
    assert "Kannst du mir helfen, diesen Satz zu übersetzen?" in text
    assert SEED_GLOSS in text
    assert "Can you help me translate this sentence?" in text
    assert len(at.get("plotly_chart")) == 1


def test_word_by_word_opens_on_the_seed_sentence_with_its_scores():
    at = open_from_home("word_by_word")
    text = markdown_text(at)
    assert SEED_GLOSS in text and "Can you help me translate this sentence?" in text
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Exact match"] == "no"
    assert metrics["BLEU"] == "18.0"
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert any("übersetzen" in str(trace.get("text")) for trace in figure["data"])


@pytest.mark.parametrize("index", range(len(examples())))
def test_every_example_renders(index):
    example = examples()[index]
    at = open_from_home("word_by_word")
    at.selectbox(key="sentence_choice").set_value(at.selectbox(key="sentence_choice").options[index]).run()
    assert not at.exception, at.exception
    # the chosen example's German, its reference English and a chart of its own words
    text = re.sub(r"\\(.)", r"\1", markdown_text(at))
    assert f"## {example.pair.german_text}" in text
    assert f"## {example.pair.english_text}" in text
    assert at.metric, "a curated example always has a reference and scores"
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = " ".join(str(trace.get("text")) for trace in figure["data"])
    assert all(word in drawn for word in example.pair.german if word.isalpha())


def test_a_typed_phrasebook_sentence_finds_its_reference():
    at = type_sentence(open_from_home("word_by_word"), "kannst du mir helfen,diesen satz zu übersetzen?")
    assert "Can you help me translate this sentence?" in markdown_text(at)
    assert not at.info


def test_a_sentence_outside_the_phrasebook_gets_its_gloss_alone():
    at = type_sentence(open_from_home("word_by_word"), "Ich sehe den Zauberer.")
    assert any("no reference translation is known" in info.value for info in at.info)
    assert "I see the ?" in markdown_text(at)
    assert any("not in the dictionary" in warning.value for warning in at.warning)
    assert not at.metric


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type a German sentence"),
        ("   ", "Type a German sentence"),
        ("a" * 10_000, "10,000 characters"),
        (" ".join(["Wort"] * 31), "31 words"),
        ("?!?", "no words"),
    ],
)
def test_bad_input_gets_a_message_not_a_traceback(text, message):
    at = type_sentence(open_from_home("word_by_word"), text)
    shown = " ".join(info.value for info in at.info)
    assert message.lower() in shown.lower(), shown
    assert not at.get("plotly_chart")


def test_typed_html_and_markdown_stay_plain_text():
    typed = "<script>alert(1)</script> ![x](http://example.com/x.png) 😀"
    at = type_sentence(open_from_home("word_by_word"), typed)
    for element in at.markdown:
        assert "<script>" not in element.value and "](http" not in element.value
    assert not at.exception
    figure = at.get("plotly_chart")[0].proto.spec
    assert "<script>" not in figure
    assert any("not in the dictionary" in warning.value for warning in at.warning)
