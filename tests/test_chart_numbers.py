"""The numbers under every heatmap (its text equivalent): made once per figure and sent as Arrow
tables, the same at every rerun, and downloadable as CSV."""

import numpy as np
import pandas as pd

from rnn_demo.app.widgets import ReadyFigure, _csv
from rnn_demo.figures import rnn_charts
from tests.app_pages import open_link


def test_a_figure_makes_its_tables_once_with_the_heatmaps_values():
    states = np.array([[0.1234, -0.5], [0.25, 0.75], [-1.0, 0.0]])  # three tokens, two units
    figure = ReadyFigure(rnn_charts.hidden_state_heatmap(states, ["ich", "bin", "<eos>"], "Encoder"))
    numbers = figure.numbers()
    assert figure.numbers() is numbers  # made once
    ((name, table),) = numbers
    frame = table.to_pandas()
    assert list(frame.columns)[1:] == ["ich", "bin", "<eos>"]
    # each row a unit (in the order the figure shows them), each column a token: the states, rounded
    shown = frame.iloc[:, 1:].to_numpy(dtype=float)
    assert sorted(map(tuple, shown)) == sorted(map(tuple, np.round(states.T, 3)))
    assert _csv(table).splitlines()[0].endswith("ich,bin,<eos>")
    assert _csv(frame) == _csv(table)


def test_a_step_click_shows_the_same_states_and_the_top_words_up_to_its_step():
    at = open_link("encoder_decoder")
    before = [frame.value for frame in at.dataframe]
    assert len(before) == 4  # the encoder's states, the context vector, the decoder's states, the top words
    at.button(key="step_back").click().run()  # the last step: the decoder's <eos> is not written yet
    assert not at.exception, at.exception
    after = [frame.value for frame in at.dataframe]
    assert "<eos>" in before[3].columns[-1] and "<eos>" not in after[3].columns[-1]
    for old, new in zip(before[:3], after[:3], strict=True):
        pd.testing.assert_frame_equal(old.reset_index(drop=True), new.reset_index(drop=True))
