"""AppTest of the Bottleneck page: shipped results at once, and a live re-measurement."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from rnn_demo.data.corpus import SEED_EXAMPLE
from rnn_demo.training.translators import BOTTLENECK_ATTENTION, BOTTLENECK_RNN, BOTTLENECK_WIDER, WORD_BY_WORD
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
    assert traces[0] == traces[1] == ["word by word", "RNN", "RNN + attention"]  # as the pages name them
    assert json.loads(at.get("plotly_chart")[2].proto.spec)["data"][0]["type"] == "heatmap"
    assert any("Measured in advance" in caption.value for caption in at.caption)
    assert any("attention was invented" in markdown.value for markdown in at.markdown)


def test_the_attention_heatmap_outlines_the_gold_links_beside_how_often_attention_finds_them():
    at = open_page()
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    heatmap = specs[2]
    outlines = {
        (round((shape["x0"] + shape["x1"]) / 2), round((shape["y0"] + shape["y1"]) / 2))
        for shape in heatmap["layout"]["shapes"]
        if shape["type"] == "rect"
    }
    assert outlines == set(SEED_EXAMPLE.alignment)  # (German column, English row): helfen - help, ...
    assert any("right German word" in (trace.get("name") or "") for trace in heatmap["data"])
    assert [trace["name"] for trace in specs[3]["data"]] == ["RNN + attention", "word by word (IBM Model 1)"]
    captions = " ".join(caption.value for caption in at.caption)
    assert "for “help” it looks at “helfen”" in captions and "for “me” it looks at “mir”" in captions
    assert "alignment error rate" in captions


@pytest.mark.empty_streamlit_caches
def test_an_attention_model_of_the_earlier_kind_is_named_with_the_reason_not_a_traceback(
    tmp_path, monkeypatch
):
    """A shipped attention file of the earlier kind (format 2, a left-to-right encoder) is refused;
    the page says which model and why, and stops there."""
    from rnn_demo.app import resources

    data = BOTTLENECK_ATTENTION.checkpoint.read_bytes()
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + size])
    header["__metadata__"]["format"] = "rnn-demo-checkpoint/2"
    new_header = json.dumps(header).encode()
    new_header += b" " * (-len(new_header) % 8)
    earlier = tmp_path / "bottleneck_attention.safetensors"
    earlier.write_bytes(len(new_header).to_bytes(8, "little") + new_header + data[8 + size :])
    monkeypatch.setitem(resources.SHIPPED_CHECKPOINTS, BOTTLENECK_ATTENTION.id, earlier)
    monkeypatch.setattr(resources, "SHIPPED_PROBLEMS", {})
    at = open_page()
    warning = " ".join(w.value for w in at.warning)
    assert "RNN + attention" in warning and "read the sentence left to right only" in warning
    assert not at.get("plotly_chart")


def test_the_wider_rnn_switch_adds_its_curve_and_is_kept_in_the_url():
    at = open_page()
    at.toggle(key="bottleneck_wider").set_value(True).run()
    assert not at.exception, at.exception
    traces = chart_traces(at)
    wider = f"RNN, {BOTTLENECK_WIDER.config.hidden_size} hidden units"
    assert traces[0] == traces[1] == ["word by word", "RNN", "RNN + attention", wider]
    assert at.query_params["wider"] == "1"


def test_measure_now_scores_every_translator_live(monkeypatch):
    # The page's wiring: every translator measured on the held-out set it is given. Three sentences of
    # each length stand in for the whole set (whose making takes a minute); what the shipped models
    # score on all 2,016 is checked against the results file in test_bottleneck.py.
    from rnn_demo.app import resources
    from rnn_demo.lessons.bottleneck import held_out_by_length

    few = held_out_by_length(exclude=set(), per_length=3)
    monkeypatch.setattr(resources, "bottleneck_held_out", lambda: few)
    at = open_page()
    at.button(key="measure_live").click().run()
    assert not at.exception, at.exception
    assert any("Measured live" in caption.value for caption in at.caption)
    rows = at.session_state["bottleneck_live_rows"]
    assert {row.translator for row in rows} == {WORD_BY_WORD.id, BOTTLENECK_RNN.id, BOTTLENECK_ATTENTION.id}
    alignment = at.session_state["bottleneck_live_alignment"]
    assert {row.aligner for row in alignment} == {BOTTLENECK_ATTENTION.id, WORD_BY_WORD.id}
    bands = [row for row in alignment if row.aligner == WORD_BY_WORD.id and (row.low, row.high) != (3, 30)]
    assert sum(row.sentences for row in bands) == len(few) == 28 * 3
    for translator in (WORD_BY_WORD.id, BOTTLENECK_RNN.id, BOTTLENECK_ATTENTION.id):
        assert sum(row.sentences for row in rows if row.translator == translator) == len(few)
