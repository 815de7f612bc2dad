"""Figures built as plain dicts (figures/plain.py) are what Plotly itself makes of them: its check of
every property leaves their JSON exactly as it is, so the pages may skip that check; and the subplot
layout and the updates follow Plotly's own `make_subplots` and `update_*axes`."""

import json
from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.subplots import make_subplots

from rnn_demo.figures import attention_charts, plain, rnn_charts
from rnn_demo.figures.diagram import encoder_decoder_diagram
from rnn_demo.figures.subword_labels import WordGroup, add_word_labels
from tests.test_rnn_charts import make_trace


def sent_json(figure) -> dict:
    """The JSON that st.plotly_chart sends to the browser for this figure."""
    return json.loads(pio.to_json(figure.to_dict(), validate=False))


def checked_and_unchecked(spec: dict) -> tuple[dict, dict]:
    return sent_json(go.Figure(spec)), sent_json(go.Figure(spec, _validate=False))


def random_trace(seed: int, attention: bool):
    """A trace of random size and numbers, with tokens that need escaping and sometimes an unknown word."""
    rng = np.random.default_rng(seed)
    source = [f"w{i}" if i % 4 else "<b>x</b>" for i in range(int(rng.integers(1, 31)))]
    output = [f"e{i}" for i in range(int(rng.integers(1, 31)))] + ["<eos>"]
    top = [
        [(f"t{j}", float(p)) for j, p in enumerate(sorted(rng.dirichlet(np.ones(5)), reverse=True))]
        for _ in output
    ]
    trace = make_trace(source=source, output=output, attention=attention, top_tokens=top)
    hidden = int(rng.integers(2, 40))
    return replace(
        trace,
        **{
            "encoder_states": np.tanh(rng.normal(size=(len(source), hidden))),
            "decoder_states": np.tanh(rng.normal(size=(len(output), hidden))),
            "context": np.tanh(rng.normal(size=hidden)),
            "source_known": [i % 5 != 3 for i in range(len(source))],
            "attention": rng.dirichlet(np.ones(len(source)), size=len(output)) if attention else None,
        },
    )


def every_figure(trace) -> list[dict]:
    order = rnn_charts.unit_order(trace.encoder_states)
    count = len(trace.source_tokens)
    groups = [WordGroup(f"wort{i}", i, min(i + 2, count - 1)) for i in range(0, count, 3)]
    figures = [
        encoder_decoder_diagram(trace, step) for step in (None, 0, 1, count, count + 1, trace.total_steps)
    ]
    figures += [
        rnn_charts.hidden_state_heatmap(
            trace.encoder_states, trace.source_tokens, "<i>t</i>", order=order, highlight_last=True,
            word_groups=groups,
        ),
        rnn_charts.hidden_state_heatmap(trace.decoder_states, trace.output_tokens, "decoder"),
        rnn_charts.hidden_state_heatmap(trace.encoder_states, trace.source_tokens, "strongest", max_units=3),
        rnn_charts.context_vector_figure(trace.context, order),
        rnn_charts.top_k_figure(trace),
        rnn_charts.top_k_figure(trace, up_to_step=len(trace.output_tokens) // 2),
    ]  # fmt: skip
    if trace.attention is not None:
        figures.append(attention_charts.attention_heatmap(trace, source_groups=groups))
    with_words_left = rnn_charts.hidden_state_heatmap(trace.encoder_states, trace.source_tokens, "rows")
    add_word_labels(with_words_left, [WordGroup("<b>fett</b>", 0, 1)], "left", 30)
    return [*figures, with_words_left]


@pytest.mark.parametrize("seed", range(12))
def test_plotly_check_leaves_every_page_figure_as_it_is(seed):
    for spec in every_figure(random_trace(seed, attention=seed % 2 == 1)):
        checked, unchecked = checked_and_unchecked(spec)
        assert unchecked == checked
        # what the pages send, made without Plotly's Figure at all
        assert json.loads(pio.to_json(plain.as_sent(spec), validate=False)) == checked


@pytest.mark.parametrize("rows", range(1, 7))
@pytest.mark.parametrize("spacing", [0.0, 0.05, 0.1234, 0.19])
def test_subplot_rows_are_laid_out_as_make_subplots_lays_them_out(rows, spacing):
    ours = go.Figure(plain.subplot_rows(rows, spacing), _validate=False)
    assert sent_json(ours) == sent_json(make_subplots(rows=rows, cols=1, vertical_spacing=spacing))


def test_updates_merge_as_plotly_merges_them():
    theirs = make_subplots(rows=2, cols=1, vertical_spacing=0.1)
    theirs.add_trace(go.Heatmap(z=[[1, 2]], name="a"), row=2, col=1)
    theirs.add_shape(type="rect", x0=0, x1=1, y0=0, y1=1, row=2, col=1)
    theirs.update_xaxes(tickfont={"size": 13}, range=[0, 1], row=1, col=1)
    theirs.update_xaxes(tickfont={"color": "red"}, showgrid=False)
    theirs.update_yaxes(tickmode=None, title={"text": "t"})
    theirs.update_layout(title={"text": "x", "font": {"size": 16}}, height=300)
    theirs.update_layout(title={"x": 0})

    ours = plain.subplot_rows(2, vertical_spacing=0.1)
    plain.add_trace(ours, {"type": "heatmap", "z": [[1, 2]], "name": "a"}, row=2)
    plain.add_shape(ours, type="rect", x0=0, x1=1, y0=0, y1=1, row=2)
    plain.update_xaxes(ours, tickfont={"size": 13}, range=[0, 1], row=1)
    plain.update_xaxes(ours, tickfont={"color": "red"}, showgrid=False)
    plain.update_yaxes(ours, tickmode=None, title={"text": "t"})
    plain.update_layout(ours, title={"text": "x", "font": {"size": 16}}, height=300)
    plain.update_layout(ours, title={"x": 0})
    assert sent_json(go.Figure(ours, _validate=False)) == sent_json(theirs)


# --- typed arrays: the same conversion as Plotly's convert_to_base64 --------------------------------

def _canonical(value):
    """A value with its arrays spelled out, so that two results can be compared with ==."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [type(value).__name__, [_canonical(item) for item in value]]
    if isinstance(value, np.ndarray):
        return ["ndarray", str(value.dtype), value.tolist()]
    return [type(value).__name__, value]


def _nested():
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    arrays = hnp.arrays(
        st.sampled_from([np.float32, np.float64, np.int64, np.int8]),
        hnp.array_shapes(max_dims=2, max_side=4),
        elements={"allow_nan": False, "allow_infinity": False, "min_value": -100, "max_value": 100},
    )
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(-1, 1), st.text(max_size=3),
                        st.just(np.float64(0.5)))  # fmt: skip
    keys = st.sampled_from(["x", "y", "z", "text", "range", "layers", "marker"])
    return st.recursive(
        st.one_of(scalars, arrays),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
            st.dictionaries(keys, inner, max_size=4),
        ),  # fmt: skip
        max_leaves=12,
    )


def test_typed_arrays_converts_what_plotlys_own_conversion_converts():
    import copy

    from _plotly_utils.utils import convert_to_base64
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.dictionaries(st.sampled_from(["data", "layout", "range", "z"]), _nested(), max_size=3))
    def check(spec):
        ours, plotlys = copy.deepcopy(spec), copy.deepcopy(spec)
        plain.typed_arrays(ours)
        convert_to_base64(plotlys)
        assert _canonical(ours) == _canonical(plotlys)

    check()


def test_a_heatmaps_numbers_are_sent_as_a_typed_array():
    z = np.arange(6, dtype=np.float32).reshape(2, 3)
    spec = plain.figure(plain.heatmap(z=z, text=[["a", "b", "c"], ["d", "e", "f"]]))
    sent = plain.as_sent(spec)["data"][0]
    assert sent["z"]["dtype"] == "f4" and sent["z"]["shape"] == "2, 3"
    assert sent["text"] == [["a", "b", "c"], ["d", "e", "f"]]  # a list stays a list


def test_figures_are_written_by_orjson_and_read_back_as_the_json_module_writes_them():
    # Plotly's "auto" engine takes orjson when it is there (requirements.txt installs it)
    import orjson  # noqa: F401

    assert pio.json.config.default_engine == "auto"
    for seed in range(5):
        trace = random_trace(seed, attention=bool(seed % 2))
        for spec in (encoder_decoder_diagram(trace, step=seed), rnn_charts.top_k_figure(trace)):
            sent = plain.as_sent(spec)
            by_orjson = pio.to_json(sent, validate=False, engine="orjson")
            assert json.loads(by_orjson) == json.loads(pio.to_json(sent, validate=False, engine="json"))
