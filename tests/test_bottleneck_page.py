"""AppTest of the Bottleneck page: shipped results at once, and a live re-measurement."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.app_pages import open_from_home


def open_page() -> AppTest:
    return open_from_home("bottleneck", timeout=120)


def chart_traces(at: AppTest) -> list[list[str]]:
    return [
        [trace.get("name") for trace in json.loads(chart.proto.spec)["data"]]
        for chart in at.get("plotly_chart")
    ]


def test_the_page_shows_the_shipped_results_and_the_attention_heatmap():
    at = open_page()
    traces = chart_traces(at)
    assert traces[0] == traces[1] == ["word by word", "RNN", "RNN + attention"]
    assert json.loads(at.get("plotly_chart")[2].proto.spec)["data"][0]["type"] == "heatmap"
    assert any("Measured in advance" in caption.value for caption in at.caption)
    assert any("attention was invented" in markdown.value for markdown in at.markdown)


def test_the_wider_rnn_switch_adds_its_curve_and_is_kept_in_the_url():
    at = open_page()
    at.toggle(key="bottleneck_wider").set_value(True).run()
    assert not at.exception, at.exception
    traces = chart_traces(at)
    assert traces[0] == traces[1] == ["word by word", "RNN", "RNN + attention", "RNN, 512 hidden units"]
    assert at.query_params["wider"] == "1"


@pytest.mark.timeout(300)
def test_measure_now_scores_every_translator_live():
    at = open_page()
    at.button(key="measure_live").click().run()
    assert not at.exception, at.exception
    assert any("Measured live" in caption.value for caption in at.caption)
    rows = at.session_state["bottleneck_live_rows"]
    assert {row.translator for row in rows} == {"word by word", "RNN", "RNN + attention"}
    assert sum(row.sentences for row in rows if row.translator == "RNN") == 2016
