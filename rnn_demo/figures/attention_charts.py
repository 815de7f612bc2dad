"""Where the attention model looks: its weights as a heatmap, with the gold links outlined. (How often
it finds the right German word, against sentence length, is drawn by `bottleneck_chart.py`.)"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from rnn_demo.core.trace import Trace
from rnn_demo.figures import plain
from rnn_demo.figures.rnn_charts import PROBABILITY_SCALE, _colorbar, _tick_angle
from rnn_demo.figures.style import (
    BASE_LAYOUT,
    GLOSS_COLOR,
    PAGE_CHART_PX,
    TEXT_COLOR,
    UNKNOWN_COLOR,
    clip,
    safe_text,
    text_px,
)
from rnn_demo.figures.subword_labels import WordGroup, add_word_labels

GOLD_LINK_COLOR = "#d9480f"  # the outline of a gold link: orange, beside the blue-to-dark weights


def attention_heatmap(
    trace: Trace,
    source_groups: Sequence[WordGroup] | None = None,
    gold_links: Iterable[tuple[int, int]] = (),
) -> dict:
    """Attention weights: one row per English output token (top to bottom), one column per German token.
    With subword pieces as German tokens, `source_groups` shows the words they belong to under the grid.
    `gold_links` (German column, English row) are outlined, with a legend entry: where the right German
    word is, shown by shape and not by colour alone."""
    if trace.attention is None:
        raise ValueError("this trace has no attention weights: it comes from the plain encoder-decoder")
    weights = np.asarray(trace.attention, dtype=float)
    rows, columns = weights.shape
    outputs = [safe_text(clip(token)) for token in trace.output_tokens]
    sources = [
        safe_text(clip(token))
        if known
        else f"<span style='color:{UNKNOWN_COLOR}'>{safe_text(clip(token))}</span>"
        for token, known in zip(trace.source_tokens, trace.source_known, strict=True)
    ]
    annotate = rows <= 15 and columns <= 15  # numbers in the cells only while they are big enough to read
    figure = plain.figure(
        plain.heatmap(
            z=weights,
            x=list(range(columns)),
            y=list(range(rows)),
            zmin=0,
            zmax=1,
            colorscale=PROBABILITY_SCALE,
            colorbar=_colorbar("attention"),
            texttemplate="%{z:.2f}" if annotate else None,
            textfont={"size": 13},
            text=[
                [f"{outputs[r]} ← {safe_text(trace.source_tokens[c])}" for c in range(columns)]
                for r in range(rows)
            ],
            hovertemplate="%{text}: %{z:.2f}<extra></extra>",
            xgap=1,
            ygap=1,
            name="attention",
        )
    )
    # room on the left for the longest English token and the axis title; about 66 px for the colour bar
    left_margin = int(min(220, 46 + max((text_px(clip(t), 14) for t in trace.output_tokens), default=0)))
    plot_px = PAGE_CHART_PX - left_margin - 20 - 66
    plain.update_xaxes(
        figure,
        tickmode="array",
        tickvals=list(range(columns)),
        ticktext=sources,
        ticklabelstandoff=4,
        tickangle=_tick_angle([clip(t) for t in trace.source_tokens], plot_px / max(columns, 1), 14),
        tickfont={"size": 14, "color": TEXT_COLOR},
        side="top",
        title={"text": "German (read by the encoder)", "font": {"size": 14, "color": GLOSS_COLOR}},
        fixedrange=True,
        showgrid=False,
        zeroline=False,
    )
    plain.update_yaxes(
        figure,
        tickmode="array",
        tickvals=list(range(rows)),
        ticktext=outputs,
        tickfont={"size": 14, "color": TEXT_COLOR},
        ticklabelstandoff=6,
        autorange="reversed",
        title={"text": "English (written by the decoder)", "font": {"size": 14, "color": GLOSS_COLOR}},
        fixedrange=True,
        showgrid=False,
        zeroline=False,
    )
    row_px = 34 if rows <= 15 else 22
    plain.update_layout(
        figure,
        height=int(max(300, row_px * rows + 160)),
        margin={"l": left_margin, "r": 20, "t": 20, "b": 20},
        **BASE_LAYOUT,
    )
    add_word_labels(figure, source_groups or (), "bottom", 0)  # under the grid: the top has the labels
    _outline_gold_links(figure, [(c, r) for c, r in gold_links if c < columns and r < rows])
    return figure


def _outline_gold_links(figure: dict, links: Sequence[tuple[int, int]]) -> None:
    """A thick square outline around each gold cell, and one legend entry that names the outline."""
    if not links:
        return
    for column, row in links:
        plain.add_shape(
            figure,
            type="rect",
            x0=column - 0.46,
            x1=column + 0.46,
            y0=row - 0.46,
            y1=row + 0.46,
            line={"color": GOLD_LINK_COLOR, "width": 3},
            layer="above",
        )
    plain.add_trace(
        figure,
        {
            "type": "scatter",
            "x": [None],  # no point: a legend entry only
            "y": [None],
            "mode": "markers",
            "marker": {"symbol": "square-open", "size": 16, "color": GOLD_LINK_COLOR, "line": {"width": 3}},
            "name": "the right German word (the phrasebook's gold alignment)",
            "hoverinfo": "skip",
            "showlegend": True,
        },
    )
    plain.update_layout(
        figure,
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top", "font": {"size": 14}},
    )
    figure["layout"]["margin"]["b"] = 60
    figure["layout"]["height"] += 40
