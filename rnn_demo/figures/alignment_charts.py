"""How often attention finds the right German word: the alignment error rate against sentence length."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from rnn_demo.figures.charts import TRANSLATOR_COLORS
from rnn_demo.figures.style import BASE_LAYOUT, GRID_COLOR, TEXT_COLOR, safe_text

ALIGNER_SYMBOLS = ("circle", "diamond", "square", "triangle-up")  # told apart by shape, not colour alone


def alignment_error_by_length(bands: Sequence[str], error_rates: dict[str, Sequence[float]]) -> go.Figure:
    """One line per aligner (legend name -> AER in %, one per band), against German sentence length.
    A legend name takes its translator's colour where it starts with one ("word by word (IBM Model 1)")."""
    figure = go.Figure()
    for n, (name, values) in enumerate(error_rates.items()):
        color = next((c for t, c in TRANSLATOR_COLORS.items() if name.startswith(t)), TEXT_COLOR)
        figure.add_trace(
            go.Scatter(
                x=list(bands),
                y=list(values),
                name=safe_text(name),
                mode="lines+markers",
                line={"color": color, "width": 3.5},
                marker={"size": 12, "symbol": ALIGNER_SYMBOLS[n % len(ALIGNER_SYMBOLS)]},
                hovertemplate=f"{safe_text(name)}<br>%{{x}} words: AER %{{y:.1f}}%<extra></extra>",
            )
        )
    highest = max((v for values in error_rates.values() for v in values), default=0)
    figure.update_layout(
        **BASE_LAYOUT,
        title={"text": "Links to the wrong German word (lower is better)", "font": {"size": 18}, "x": 0},
        height=380,
        margin={"l": 60, "r": 20, "t": 60, "b": 55},
        font={"size": 15},
        legend={"orientation": "h", "y": -0.25, "x": 0},
        xaxis={"title": "German sentence length (words)", "type": "category", "fixedrange": True},
        yaxis={
            "title": "alignment error rate (%)",
            "range": [0, max(20, 5 * (int(highest) // 5 + 2))],
            "gridcolor": GRID_COLOR,
            "fixedrange": True,
        },
    )
    return figure
