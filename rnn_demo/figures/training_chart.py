"""The training chart of the Encoder–decoder page: loss and held-out exact match as a training runs.

>>> figure = training_curves([1.0, 2.0], [3.0, 2.0], [None, 0.5])
>>> [list(trace.y) for trace in figure.data]
[[3.0, 2.0], [50.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from rnn_demo.figures.style import BASE_LAYOUT, GRID_COLOR, MOVED_COLOR, TEXT_COLOR, safe_text

LOSS_COLOR, ACCURACY_COLOR = "#1a56db", "#2f9e44"


def training_curves(
    elapsed_s: Sequence[float],
    loss: Sequence[float],
    held_out_exact: Sequence[float | None],
    marks: Sequence[tuple[float, str]] = (),
    now_s: float | None = None,
) -> go.Figure:
    """Loss (left axis) and held-out exact match (right axis, %) against seconds of training.

    `marks`: (second, label) of moments to mark with a dotted line, such as when a watched sentence
    first came out right; `now_s`: a moment to mark with a solid line (the replay's position).
    """
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=list(elapsed_s),
            y=list(loss),
            name="training loss",
            mode="lines",
            line={"color": LOSS_COLOR, "width": 2.5},
        )
    )
    measured = [(t, 100 * a) for t, a in zip(elapsed_s, held_out_exact, strict=True) if a is not None]
    figure.add_trace(
        go.Scatter(
            x=[t for t, _ in measured],
            y=[a for _, a in measured],
            yaxis="y2",
            name="held-out exact match (%)",
            mode="lines+markers",
            line={"color": ACCURACY_COLOR, "width": 2.5, "dash": "dash"},  # not by colour alone
        )
    )
    figure.update_layout(
        height=280,
        margin={"l": 60, "r": 60, "t": 30, "b": 45},
        font={"size": 14},
        showlegend=True,
        legend={"orientation": "h", "y": 1.12, "x": 0},
        xaxis={"title": "seconds of training", "gridcolor": GRID_COLOR, "rangemode": "tozero"},
        yaxis={
            "title": "loss per token",
            "gridcolor": GRID_COLOR,
            "rangemode": "tozero",
            "title_font": {"color": LOSS_COLOR},
        },
        yaxis2={
            "title": "exact match %",
            "overlaying": "y",
            "side": "right",
            "range": [0, 100],
            "showgrid": False,
            "tickvals": [0, 25, 50, 75, 100],
            "title_font": {"color": ACCURACY_COLOR},
        },
        **BASE_LAYOUT,
    )
    for second, label in marks:
        figure.add_vline(x=second, line={"color": MOVED_COLOR, "width": 1.5, "dash": "dot"})
        figure.add_annotation(
            x=second,
            y=1,
            yref="paper",
            yanchor="bottom",
            text=safe_text(label),
            showarrow=False,
            font={"size": 13, "color": MOVED_COLOR},
        )
    if now_s is not None:
        figure.add_vline(x=now_s, line={"color": TEXT_COLOR, "width": 2})
    return figure
