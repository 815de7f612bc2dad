"""Figures with a column per subword piece: readable piece labels, the word of every split word under
its pieces, and whole-word figures exactly as they were."""

import numpy as np
import plotly.graph_objects as go
import pytest

from rnn_demo.figures import rnn_charts
from rnn_demo.figures.subword_labels import (
    BRACKET_GAP_PX,
    WORD_ROW_PX,
    WordGroup,
    add_word_labels,
    piece_labels,
    tick_label_px,
    word_groups,
)
from tests.test_rnn_charts import attention_heatmap, hidden_state_heatmap, make_trace

PIECES = ["▁ich", "▁bin", "▁hin", "ge", "fallen", "▁."]
WORDS = ["ich", "bin", "hingefallen", "."]
WORD_OF_PIECE = [0, 1, 2, 2, 2, 3]
STATES = np.tanh(np.arange(6 * 8).reshape(6, 8) / 10 - 2)  # (pieces, units)


def test_piece_labels_read_like_a_word_split_by_hand():
    assert piece_labels(PIECES) == ["ich", "bin", "hin", "-ge", "-fallen", "."]
    assert piece_labels(["▁", "x"]) == ["", "-x"]  # a bare word start, as a model may write it


def test_word_groups_span_each_words_pieces():
    assert word_groups(WORDS, WORD_OF_PIECE) == [
        WordGroup("ich", 0, 0), WordGroup("bin", 1, 1), WordGroup("hingefallen", 2, 4), WordGroup(".", 5, 5)
    ]


def test_tick_labels_reach_further_when_slanted():
    level = tick_label_px(["hingefallen"], 14, 0)
    assert level == pytest.approx(14 * 1.3)
    assert tick_label_px(["hingefallen"], 14, -90) == pytest.approx(11 * 14 * 0.6)  # the word's length
    assert level < tick_label_px(["hingefallen"], 14, -45) < tick_label_px(["hingefallen"], 14, -90)


def test_whole_words_look_exactly_as_before():
    tokens = ["ich", "bin", "müde", "."]
    states = STATES[:4]
    plain = hidden_state_heatmap(states, tokens, "Encoder", highlight_last=True)
    one_piece_each = word_groups(tokens, [0, 1, 2, 3])
    grouped = hidden_state_heatmap(states, tokens, "Encoder", highlight_last=True, word_groups=one_piece_each)
    assert grouped.to_json() == plain.to_json()
    trace = make_trace(attention=True)
    assert attention_heatmap(trace, source_groups=word_groups(trace.source_tokens, [0, 1, 2])).to_json() == (
        attention_heatmap(trace).to_json()
    )


def test_a_split_word_gets_a_bracket_under_its_pieces_and_its_name():
    plain = hidden_state_heatmap(STATES, piece_labels(PIECES), "Encoder")
    groups = word_groups(WORDS, WORD_OF_PIECE)
    figure = hidden_state_heatmap(STATES, piece_labels(PIECES), "Encoder", word_groups=groups)
    words = [annotation for annotation in figure.layout.annotations if annotation.text == "hingefallen"]
    assert len(words) == 1 and words[0].x == 3 and words[0].yanchor == "top"  # centred under pieces 2-4
    brackets = [shape for shape in figure.layout.shapes if shape.type == "line"]
    assert [(shape.x0, shape.x1) for shape in brackets] == [(1.6, 4.4)]  # only the word that was split
    labels_px = tick_label_px(piece_labels(PIECES), 14, 0)
    assert brackets[0].y0 == brackets[0].y1 == -(labels_px + BRACKET_GAP_PX)  # under the tick labels
    grown = figure.layout.margin.b - plain.layout.margin.b
    assert figure.layout.margin.b == pytest.approx(labels_px + BRACKET_GAP_PX + WORD_ROW_PX)
    assert figure.layout.height - plain.layout.height == pytest.approx(grown) and grown > 0


def test_words_of_pieces_are_shown_escaped_and_on_the_left_too():
    spec = rnn_charts.hidden_state_heatmap(STATES, piece_labels(PIECES), "x")
    add_word_labels(spec, [WordGroup("<b>fett</b>", 0, 2)], "left", 30)
    figure = go.Figure(spec)
    word = figure.layout.annotations[-1]
    assert word.text == "&lt;b&gt;fett&lt;/b&gt;" and (word.y, word.xanchor) == (1, "right")
    assert figure.layout.margin.l >= 30 + BRACKET_GAP_PX + len("<b>fett</b>") * 13 * 0.6


def test_attention_puts_the_words_of_its_german_pieces_under_the_grid():
    trace = make_trace(source=("▁hin", "ge", "fallen"), attention=True)
    figure = attention_heatmap(trace, source_groups=[WordGroup("hingefallen", 0, 2)])
    assert [a.text for a in figure.layout.annotations if a.text == "hingefallen"] == ["hingefallen"]
    assert figure.layout.height > attention_heatmap(trace).layout.height
