"""The RNN figures: unit sorting (by hand and by property), what each figure holds, escaping, the
step-through of the diagram, and that long sentences never make labels overlap.

Traces are built by hand from tiny arrays (H=4, T=3, U=3): no model, no training.
"""

import functools
import html
import re

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from rnn_demo.core.trace import Trace
from rnn_demo.figures import attention_charts, diagram, rnn_charts
from rnn_demo.figures.bottleneck_chart import alignment_error_by_length
from rnn_demo.figures.rnn_charts import unit_order
from rnn_demo.figures.style import FAINT_COLOR, PAGE_CHART_PX
from rnn_demo.training.translators import LineStyle


def checked(build):
    """A figure builder whose plain dict goes through Plotly's graph_objects, which checks every
    property (a wrong name or value raises) and lets the tests read it as `figure.layout.height`."""

    @functools.wraps(build)
    def figure(*args, **kwargs) -> go.Figure:
        return go.Figure(build(*args, **kwargs))

    return figure


attention_heatmap = checked(attention_charts.attention_heatmap)
context_vector_figure = checked(rnn_charts.context_vector_figure)
hidden_state_heatmap = checked(rnn_charts.hidden_state_heatmap)
top_k_figure = checked(rnn_charts.top_k_figure)
encoder_decoder_diagram = checked(diagram.encoder_decoder_diagram)

# fmt: off
# Encoder states by hand, (T=3 tokens, H=4 units):
#   unit 0 switches on at token 2 (+0.9), unit 1 at token 0 (+0.9),
#   unit 2 at token 2 (+0.7),             unit 3 at token 0 (-0.8)
STATES = np.array([
    [0.0, 0.9, 0.1, -0.8],
    [0.2, 0.1, 0.0, 0.0],
    [0.9, 0.0, 0.7, 0.1],
])
# fmt: on
# Token 0 first: unit 1 (+0.9) before unit 3 (-0.8); then token 2: unit 0 (+0.9) before unit 2 (+0.7)
STATES_ORDER = [1, 3, 0, 2]


def make_trace(
    source=("ich", "helfe", "dir"), output=("i", "help", "<eos>"), attention=False, top_tokens=None
):
    """A trace with hand-set numbers; the default top tokens put the chosen token first."""
    source, output = list(source), list(output)
    hidden = 4
    encoder_states = np.resize(STATES, (len(source), hidden)) if source else np.zeros((0, hidden))
    if top_tokens is None:
        top_tokens = [[(token, 0.9), ("other", 0.06), ("more", 0.04)] for token in output]
    weights = None
    if attention:
        weights = np.full((len(output), len(source)), 1 / len(source))
    return Trace(
        source_tokens=source,
        source_known=[True] * len(source),
        encoder_states=encoder_states,
        context=encoder_states[-1],
        decoder_states=np.resize(-STATES, (len(output), hidden)),
        logits=np.zeros((len(output), 7)),
        top_tokens=top_tokens,
        output_tokens=output,
        attention=weights,
    )


def all_strings(value):
    """Every string anywhere in a figure's JSON tree (texts, tick labels, hovers, names...)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from all_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from all_strings(item)
    elif isinstance(value, np.ndarray) and value.dtype.kind in "OU":
        for item in value.ravel():
            yield from all_strings(item)


def trace_named(figure, name):
    return next(trace for trace in figure.data if trace.name == name)


# --- unit_order --------------------------------------------------------------------------------------


def test_unit_order_by_hand():
    assert unit_order(STATES).tolist() == STATES_ORDER


def test_a_unit_switched_on_earlier_comes_first():
    late, early = [0.0, 0.1, 0.95], [0.95, 0.2, 0.1]
    states = np.array([late, early]).T  # (3 tokens, 2 units): unit 0 peaks at token 2, unit 1 at 0
    assert unit_order(states).tolist() == [1, 0]


def test_unit_order_keys_on_the_first_strong_token_not_the_very_peak():
    # unit 0 is already at 0.6 (more than half its peak 0.9) at token 0; unit 1 first moves at token 1
    states = np.array([[0.6, 0.0], [0.0, 0.8], [0.9, 0.1]])
    assert unit_order(states).tolist() == [0, 1]


def test_unit_order_full_ties_keep_unit_order():
    states = np.array([[0.5, 0.5, 0.5], [0.1, 0.1, 0.1]])
    assert unit_order(states).tolist() == [0, 1, 2]
    assert unit_order(np.zeros((3, 4))).tolist() == [0, 1, 2, 3]
    assert unit_order(np.zeros((0, 3))).tolist() == [0, 1, 2]


@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, max_side=12),
        elements=st.floats(-1, 1, allow_subnormal=False),
    )
)
def test_unit_order_is_a_deterministic_permutation(states):
    order = unit_order(states)
    assert sorted(order.tolist()) == list(range(states.shape[1]))
    assert order.tolist() == unit_order(states.copy()).tolist()


def test_unit_order_rejects_a_vector():
    with pytest.raises(ValueError):
        unit_order(np.zeros(4))


# --- hidden state heatmap and context vector ---------------------------------------------------------


def test_heatmap_rows_are_units_in_the_given_order():
    order = np.array([2, 0, 3, 1])
    figure = hidden_state_heatmap(STATES, ["a", "b", "c"], "title", order=order)
    expected = [[STATES[t][u] for t in range(3)] for u in [2, 0, 3, 1]]  # row = unit, column = token
    np.testing.assert_array_equal(np.asarray(figure.data[0].z), expected)


def test_heatmap_default_order_is_unit_order():
    figure = hidden_state_heatmap(STATES, ["a", "b", "c"], "title")
    expected = [[STATES[t][u] for t in range(3)] for u in STATES_ORDER]
    np.testing.assert_array_equal(np.asarray(figure.data[0].z), expected)


def test_heatmap_colour_range_is_fixed_and_centred():
    figure = hidden_state_heatmap(STATES * 0.01, ["a", "b", "c"], "tiny values")  # not stretched to fit
    heatmap = figure.data[0]
    assert (heatmap.zmin, heatmap.zmax, heatmap.zmid) == (-1, 1, 0)
    assert heatmap.colorbar.title.text == "activation"


def test_repeated_tokens_stay_separate_columns():
    figure = hidden_state_heatmap(STATES, ["the", "cat", "the"], "title")
    assert list(figure.data[0].x) == [0, 1, 2]
    assert list(figure.layout.xaxis.ticktext) == ["the", "cat", "the"]
    assert np.asarray(figure.data[0].z).shape == (4, 3)


def test_highlight_last_outlines_the_last_column_only():
    assert not hidden_state_heatmap(STATES, ["a", "b", "c"], "t").layout.shapes
    (box,) = hidden_state_heatmap(STATES, ["a", "b", "c"], "t", highlight_last=True).layout.shapes
    assert (box.x0, box.x1, box.y0, box.y1) == (1.5, 2.5, -0.5, 3.5)


def test_max_units_keeps_the_most_active_units_in_order():
    # peaks |.|: unit 0 0.9, unit 1 0.9, unit 2 0.7, unit 3 0.8 -> the three strongest are 0, 1, 3
    figure = hidden_state_heatmap(STATES, ["a", "b", "c"], "t", order=np.array([3, 2, 1, 0]), max_units=3)
    expected = [[STATES[t][u] for t in range(3)] for u in [3, 1, 0]]
    np.testing.assert_array_equal(np.asarray(figure.data[0].z), expected)


def test_heatmap_height_stays_sensible_for_512_units():
    states = np.random.default_rng(0).uniform(-1, 1, (30, 512))
    figure = hidden_state_heatmap(states, [f"w{i}" for i in range(30)], "big")
    assert 300 <= figure.layout.height <= 540
    assert figure.layout.yaxis.showticklabels is False


def test_context_vector_strip_uses_the_given_order():
    context = np.array([0.1, -0.2, 0.3, -0.4])
    figure = context_vector_figure(context, np.array([3, 0, 2, 1]))
    np.testing.assert_array_equal(np.asarray(figure.data[0].z), [[-0.4, 0.1, 0.3, -0.2]])
    assert (figure.data[0].zmin, figure.data[0].zmax) == (-1, 1)
    assert figure.layout.height <= 160


# --- top k ---------------------------------------------------------------------------------------------

TOP = [
    [("help", 0.93), ("me", 0.05), ("you", 0.02)],
    [("me", 0.70), ("you", 0.2), ("<eos>", 0.004)],
    [("<eos>", 0.99), ("me", 0.01), ("help", 0.0001)],
]


def top_k_trace():
    return make_trace(output=("help", "you", "<eos>"), top_tokens=TOP)  # step 2 chose rank 2 ("you")


def test_top_k_cells_hold_the_tokens_and_probabilities():
    heatmap = top_k_figure(top_k_trace()).data[0]
    text = heatmap.text
    assert text[0][0] == "<b>help</b><br>0.93"  # chosen: bold
    assert text[1][0] == "me<br>0.05"
    assert text[0][1] == "me<br>0.70"
    assert text[1][1] == "<b>you</b><br>0.20"  # beam search may choose rank 2
    assert text[2][1] == "&lt;eos&gt;<br>0.004"
    assert text[2][2] == "help<br>&lt;0.001"
    np.testing.assert_allclose(
        np.asarray(heatmap.z, dtype=float), [[0.93, 0.7, 0.99], [0.05, 0.2, 0.01], [0.02, 0.004, 0.0001]]
    )


def test_top_k_outlines_the_chosen_cell_of_each_step():
    shapes = top_k_figure(top_k_trace()).layout.shapes
    outlined = sorted(((s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2) for s in shapes)
    assert outlined == [(1, 0), (2, 1), (3, 0)]  # (step, rank index)


def test_top_k_up_to_step_fills_only_the_first_steps():
    for shown in range(4):
        figure = top_k_figure(top_k_trace(), up_to_step=shown)
        filled = [cell for row in figure.data[0].text for cell in row if cell]
        assert len(filled) == 3 * shown
        assert len(figure.layout.shapes) == shown
    assert len(figure.data[0].x) == 3  # the width stays; only the cells fill in


def test_top_k_wraps_30_steps_into_rows_of_at_most_12():
    output = [f"word{i}" for i in range(29)] + ["<eos>"]
    figure = top_k_figure(make_trace(output=output))
    widths = [len(heatmap.x) for heatmap in figure.data]
    assert max(widths) <= 12 and sum(widths) >= 30
    steps = [step for heatmap in figure.data for step in heatmap.x]
    assert steps[:30] == list(range(1, 31))


# --- attention -----------------------------------------------------------------------------------------


def test_attention_heatmap_needs_attention():
    with pytest.raises(ValueError):
        attention_heatmap(make_trace())


def test_attention_heatmap_holds_the_weights():
    trace = make_trace(attention=True)
    weights = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.0, 0.0, 1.0]])
    trace = Trace(**{**trace.__dict__, "attention": weights})
    heatmap = attention_heatmap(trace).data[0]
    np.testing.assert_array_equal(np.asarray(heatmap.z), weights)
    assert (heatmap.zmin, heatmap.zmax) == (0, 1)
    assert heatmap.texttemplate  # a 3x3 grid is small enough for numbers in the cells


def test_attention_heatmap_numbers_only_when_small():
    big = make_trace(source=[f"g{i}" for i in range(16)], output=[f"e{i}" for i in range(16)], attention=True)
    assert not attention_heatmap(big).data[0].texttemplate


# --- escaping ------------------------------------------------------------------------------------------


def test_no_figure_lets_a_token_through_as_html():
    source = ["<script>", "alert", "</script>", "<b>fett</b>"]
    output = ["<script>", "<b>", "<unk>", "<eos>"]
    top = [[("<script>", 0.5), ("<eos>", 0.3), ("<bos>", 0.2)] for _ in output]
    trace = make_trace(source=source, output=output, attention=True, top_tokens=top)
    figures = [
        hidden_state_heatmap(trace.encoder_states, source, "<script>title</script>", highlight_last=True),
        hidden_state_heatmap(trace.decoder_states, output, "decoder"),
        context_vector_figure(trace.context, unit_order(trace.encoder_states)),
        top_k_figure(trace),
        top_k_figure(trace, up_to_step=2),
        attention_heatmap(trace),
        encoder_decoder_diagram(trace),
        *(encoder_decoder_diagram(trace, step) for step in range(trace.total_steps + 1)),
    ]
    for figure in figures:
        assert "<script" not in figure.to_json()
        for text in all_strings(figure.to_plotly_json()):
            assert not re.search(r"<(script|/script|eos|bos|unk)\b", text), text
            # the only tags are ours: bold, line breaks and coloured spans; a typed "<b>" is &lt;b&gt;
            assert "<b>fett" not in text and "<b><b>" not in text, text


# --- the encoder-decoder diagram ------------------------------------------------------------------------


def revealed(figure, name):
    return sum(color != FAINT_COLOR for color in trace_named(figure, name).textfont.color)


def test_total_steps_counts_tokens_read_and_written():
    assert make_trace().total_steps == 6
    assert make_trace(source=["a"] * 5, output=["b"] * 2).total_steps == 7


def test_diagram_reveals_one_token_per_step():
    trace = make_trace()  # T = 3, U = 3
    for step in range(7):
        figure = encoder_decoder_diagram(trace, step)
        assert revealed(figure, "German tokens") == min(step, 3)
        assert revealed(figure, "English tokens") == max(0, step - 3)
        assert revealed(figure, "encoder cells") == min(step, 3)
        assert revealed(figure, "decoder cells") == max(0, step - 3)


def test_diagram_shows_everything_at_step_none():
    figure = encoder_decoder_diagram(make_trace(), None)
    for name in ("German tokens", "English tokens", "decoder inputs", "encoder cells", "decoder cells"):
        assert revealed(figure, name) == 3


def test_diagram_context_vector_appears_once_the_encoder_is_done():
    trace = make_trace()
    colors = [
        trace_named(encoder_decoder_diagram(trace, step), "context vector").line.color for step in range(7)
    ]
    assert colors[:3] == [diagram.FAINT_LINE] * 3
    assert colors[3:] == [diagram.CONTEXT_COLOR] * 4


def visible(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_diagram_labels_start_and_end_and_says_how_many_numbers():
    figure = encoder_decoder_diagram(make_trace())
    # the plain decoder reads the context vector (c) beside every word it reads
    assert [visible(t) for t in trace_named(figure, "decoder inputs").text] == [
        "▶ start + c",
        "i + c",
        "help + c",
    ]
    with_attention = encoder_decoder_diagram(make_trace(attention=True))
    assert list(trace_named(with_attention, "decoder inputs").text) == ["▶ start", "i", "help"]
    assert list(trace_named(figure, "English tokens").text)[-1] == "<b>■ end</b>"
    assert any("context vector (4 numbers)" in a.text for a in figure.layout.annotations)


def test_diagram_layout_does_not_move_between_steps():
    trace = make_trace(
        source=[f"wort{i}" for i in range(12)], output=[f"word{i}" for i in range(11)] + ["<eos>"]
    )
    positions = {
        (
            tuple(trace_named(figure, "German tokens").x),
            tuple(trace_named(figure, "English tokens").y),
            figure.layout.height,
        )
        for figure in (encoder_decoder_diagram(trace, step) for step in (0, 5, 12, 20, 24, None))
    }
    assert len(positions) == 1


def test_diagram_rejects_a_step_beyond_the_end():
    with pytest.raises(ValueError):
        encoder_decoder_diagram(make_trace(), 7)
    with pytest.raises(ValueError):
        encoder_decoder_diagram(make_trace(), -1)


def test_diagram_attention_lines_only_while_the_decoder_works():
    trace = make_trace(attention=True)  # uniform weights 1/3 on 3 tokens
    lines = lambda step: [s for s in encoder_decoder_diagram(trace, step).layout.shapes if s.type == "line"]  # noqa: E731
    assert lines(3) == [] and lines(None) == []
    assert len(lines(4)) == 3


def assert_labels_do_not_overlap(figure):
    """Neighbouring labels on one line must be at least half of each one's width apart.

    Width estimate: characters x font size x 0.6 px, as the layout itself assumes, with the figure
    PAGE_CHART_PX (1,000 px) wide, where one x unit is one pixel of the plot area.
    """
    plot_width = PAGE_CHART_PX - figure.layout.margin.l - figure.layout.margin.r
    assert tuple(figure.layout.xaxis.range) == (0, plot_width)
    for name in ("German tokens", "decoder inputs", "English tokens"):
        trace = trace_named(figure, name)
        size = trace.textfont.size
        lines = {}
        for x, y, text in zip(trace.x, trace.y, trace.text, strict=True):
            visible = html.unescape(re.sub(r"<[^>]+>", "", text))
            lines.setdefault(y, []).append((x, len(visible) * size * 0.6))
        for labels in lines.values():
            labels.sort()
            for (x1, w1), (x2, w2) in zip(labels, labels[1:], strict=False):
                assert x2 - x1 >= (w1 + w2) / 2, (name, x1, x2)
            (first_x, first_w), (last_x, last_w) = labels[0], labels[-1]
            assert first_x - first_w / 2 >= 0 and last_x + last_w / 2 <= plot_width, name


def test_a_30_token_sentence_and_translation_fit_without_overlap():
    source = ["donaudampfschifffahrt", "übersetzen", "kannst", ",", "mir"] * 6
    output = ["translate", "sentence", "help", "?", "me"] * 6
    trace = make_trace(source=source, output=output[:-1] + ["<eos>"], attention=True)
    for step in (0, 31, None):
        assert_labels_do_not_overlap(encoder_decoder_diagram(trace, step))


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß,.?<>&", min_size=1, max_size=30)


@settings(max_examples=25, deadline=None)
@given(st.lists(words, min_size=1, max_size=30), st.lists(words, min_size=1, max_size=30))
def test_diagram_labels_never_overlap(source, output):
    assert_labels_do_not_overlap(encoder_decoder_diagram(make_trace(source=source, output=output)))


def test_attention_heatmap_outlines_the_gold_links_and_names_them_in_its_legend():
    trace = make_trace(attention=True)
    figure = attention_heatmap(trace, gold_links=[(0, 0), (2, 1), (9, 9)])  # (9, 9) is off the grid
    centres = {((s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2) for s in figure.layout.shapes if s.type == "rect"}
    assert centres == {(0, 0), (2, 1)}
    legend = [t for t in figure.data if t.showlegend]
    assert len(legend) == 1 and "right German word" in legend[0].name
    assert legend[0].marker.symbol == "square-open"  # the outline's shape, not only its colour
    assert not attention_heatmap(trace).layout.shapes  # no gold links given: nothing outlined


def test_alignment_chart_tells_the_aligners_apart_by_colour_and_shape():
    styles = {
        "attention": LineStyle("#009e73", "solid", "diamond"),
        "dictionary": LineStyle("#868e96", "dot", "x"),
    }
    figure = alignment_error_by_length(
        ["3–5", "6–10"], {"attention": [5.0, 7.5], "dictionary": [9.0, 12.0]}, styles
    )
    attention, dictionary = figure.data
    assert list(attention.y) == [5.0, 7.5] and list(dictionary.x) == ["3–5", "6–10"]
    assert (attention.line.color, attention.marker.symbol) == ("#009e73", "diamond")
    assert (dictionary.line.color, dictionary.line.dash, dictionary.marker.symbol) == ("#868e96", "dot", "x")
    with pytest.raises(KeyError, match="no line style for another"):
        alignment_error_by_length(["3–5"], {"attention": [5.0], "another": [6.0]}, styles)
