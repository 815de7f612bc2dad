"""The Bottleneck page's charts against German sentence length, one line per translator: how well
each translates (exact match, BLEU), and how often each links an English word to the wrong German one.

Each line is drawn in the style its translator is given (`training/translators.py`): a name with no
style is an error, never a line in a colour nobody chose.

>>> from types import SimpleNamespace as Style
>>> figure = quality_by_length(["3–5", "6–10"], {"RNN": [90.0, 60.0]}, {"RNN": Style(color="#0072b2",
...     dash="solid", symbol="circle")}, "Exact match", "exact match (%)")
>>> figure.data[0].name, figure.data[0].line.color
('RNN', '#0072b2')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import plotly.graph_objects as go

from rnn_demo.figures.style import BASE_LAYOUT, GRID_COLOR, safe_text


class LineStyle(Protocol):
    color: str
    dash: str
    symbol: str


def _lines(
    buckets: Sequence[str],
    values: Mapping[str, Sequence[float]],
    styles: Mapping[str, LineStyle],
    hover: str,
) -> go.Figure:
    """A line per name (the legend's) through its values, one per bucket, in the name's style."""
    missing = [name for name in values if styles.get(name) is None]
    if missing:
        raise KeyError(f"no line style for {', '.join(missing)}")
    figure = go.Figure()
    for name, line in values.items():
        style = styles[name]
        figure.add_trace(
            go.Scatter(
                x=list(buckets),
                y=list(line),
                name=safe_text(name),
                mode="lines+markers",
                line={"color": style.color, "width": 3.5, "dash": style.dash},
                marker={"size": 10, "symbol": style.symbol},
                hovertemplate=f"{safe_text(name)}<br>%{{x}} words: {hover}<extra></extra>",
            )
        )
    return figure


def _layout(figure: go.Figure, title: str, y_title: str, y_range: list[float]) -> go.Figure:
    figure.update_layout(
        title={"text": safe_text(title), "font": {"size": 18}, "x": 0, "xanchor": "left"},
        height=380,
        margin={"l": 60, "r": 20, "t": 60, "b": 55},
        font={"size": 15},
        legend={"orientation": "h", "y": -0.25, "x": 0},
        xaxis={"title": "German sentence length (words)", "type": "category", "fixedrange": True},
        yaxis={"title": y_title, "range": y_range, "gridcolor": GRID_COLOR, "fixedrange": True},
        **BASE_LAYOUT,
    )
    return figure


def quality_by_length(
    buckets: Sequence[str],
    scores: Mapping[str, Sequence[float]],
    styles: Mapping[str, LineStyle],
    title: str,
    y_title: str,
) -> go.Figure:
    """One line per translator: a score (0-100) against German sentence length (bucket labels).
    `scores` and `styles` are keyed by the name the legend shows; every name needs a style."""
    return _layout(_lines(buckets, scores, styles, "%{y:.1f}"), title, y_title, [0, 102])


def alignment_error_by_length(
    bands: Sequence[str], error_rates: Mapping[str, Sequence[float]], styles: Mapping[str, LineStyle]
) -> go.Figure:
    """One line per aligner (legend name -> AER in %, one per band), against German sentence length."""
    highest = max((v for values in error_rates.values() for v in values), default=0)
    figure = _lines(bands, error_rates, styles, "AER %{y:.1f}%")
    y_range = [0, max(20, 5 * (int(highest) // 5 + 2))]
    title = "Links to the wrong German word (lower is better)"
    return _layout(figure, title, "alignment error rate (%)", y_range)
