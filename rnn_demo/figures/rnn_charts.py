"""Plotly figures of what an encoder-decoder RNN does inside, drawn from one `Trace`: the hidden
states as heatmaps, the context vector, the decoder's top-k choices and the attention weights. (The
diagram of the whole process is in `diagram.py`.)

Pure functions from numbers and tokens to a figure as a plain dict (`plain.py`); the pages show them.
Every token goes through `safe_text`, so typed text never renders as HTML.

>>> import numpy as np
>>> unit_order(np.array([[0.1, 0.9], [0.8, 0.0]])).tolist()  # unit 1 peaks at token 0, unit 0 at 1
[1, 0]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from rnn_demo.core.trace import Trace
from rnn_demo.figures import plain
from rnn_demo.figures.style import (
    BASE_LAYOUT,
    CHAR_WIDTH,
    FAINT_COLOR,
    GLOSS_COLOR,
    MOVED_COLOR,
    PAGE_CHART_PX,
    TEXT_COLOR,
    clip,
    safe_text,
    text_px,
)
from rnn_demo.figures.subword_labels import WordGroup, add_word_labels, tick_label_px

# States (-1..1): red +, blue -, white 0; probabilities (0..1): cividis, near-white for 0 (the many
# cells near 0 stay quiet). Both checked for colour-vision deficiency in tests/test_accessibility_colours.py
ACTIVATION_SCALE = plain.colorscale("RdBu_r")
PROBABILITY_SCALE = [[0.0, "#fdfbea"], *plain.colorscale("cividis_r")[1:]]


def _colorbar(title: str) -> dict:
    return {"title": {"text": title, "side": "top"}, "thickness": 16, "tickfont": {"size": 13}}


def unit_order(states: np.ndarray) -> np.ndarray:
    """A permutation of the H units (columns of an (N, H) array) that turns a heatmap into a staircase.

    A unit's key is the first row (token) where its |activation| reaches half of its own peak
    |activation|: the token that switched it on. Units are sorted by that row, then by their value
    there, most positive first; full ties keep the units' own order. (Sorting by the row of the
    peak itself works on paper, but a trained GRU's units saturate near ±1 for many tokens, and
    the first switch-on gives a much clearer band.) Without sorting, 256 units look like noise.
    """
    states = np.asarray(states, dtype=float)
    if states.ndim != 2:
        raise ValueError(f"states must be a 2-D (tokens, units) array, got shape {states.shape}")
    count, units = states.shape
    if count == 0:
        return np.arange(units)
    magnitude = np.abs(states)
    switch_row = np.argmax(magnitude >= magnitude.max(axis=0) / 2, axis=0)  # argmax: the first True
    switch_value = states[switch_row, np.arange(units)]
    # lexsort: last key first; it is a stable sort, so full ties stay in unit order
    return np.lexsort((-switch_value, switch_row))


def _tick_angle(labels: Sequence[str], column_px: float, font_size: float) -> int:
    """Horizontal token labels when they fit under their column, slanted or upright when not."""
    widest = max((text_px(label, font_size) for label in labels), default=0)
    if widest <= column_px - 2:
        return 0
    return -45 if column_px >= font_size * 1.6 else -90


def hidden_state_heatmap(
    states: np.ndarray,
    tokens: Sequence[str],
    title: str,
    order: np.ndarray | None = None,
    highlight_last: bool = False,
    max_units: int | None = None,
    word_groups: Sequence[WordGroup] | None = None,
) -> dict:
    """States (N, H) as a heatmap: one column per token, one row per hidden unit, colour = activation.

    `order` is the row order (default `unit_order(states)`), so two heatmaps can share one order.
    `max_units` keeps only that many units: the ones with the largest |activation| anywhere, in
    `order`'s order. `highlight_last` outlines the last column (the encoder's context vector).
    With subword pieces as tokens, `word_groups` shows under them the words they belong to.
    """
    states = np.asarray(states, dtype=float)
    count, units = states.shape
    if len(tokens) != count:
        raise ValueError(f"{len(tokens)} tokens for {count} states")
    order = unit_order(states) if order is None else np.asarray(order)
    if max_units is not None and max_units < len(order):
        strength = np.abs(states).max(axis=0) if count else np.zeros(units)
        strongest = set(np.argsort(-strength, kind="stable")[:max_units].tolist())
        order = np.array([unit for unit in order if unit in strongest], dtype=int)
    shown = len(order)
    z = states.T[order]  # (shown, N)

    labels = [safe_text(clip(token)) for token in tokens]
    visible_labels = [clip(token) for token in tokens]
    figure = plain.figure(
        plain.heatmap(
            z=z,
            x=list(range(count)),  # numeric x: equal tokens ("the", "the") must stay two columns
            y=list(range(shown)),
            zmin=-1,
            zmax=1,
            zmid=0,
            colorscale=ACTIVATION_SCALE,
            colorbar=_colorbar("activation"),
            text=[labels] * shown,  # the token of each cell, for the hover
            customdata=np.repeat(order[:, None], count, axis=1),
            hovertemplate="after <b>%{text}</b><br>unit %{customdata}: %{z:.2f}<extra></extra>",
            xgap=1 if count <= 60 else 0,
            name="states",
            meta={"rows": [f"unit {unit}" for unit in order.tolist()]},  # its table names the units
        )
    )

    # unit numbers fit beside rows up to about 24 rows at 13 px; beyond that the hover tells
    few_units = shown <= 24
    left_margin = 70 if few_units else 44
    plot_px = PAGE_CHART_PX - left_margin - 20 - 66  # the colour bar takes about 66 px on the right
    angle = _tick_angle(visible_labels, plot_px / max(count, 1), 14)
    plain.update_xaxes(
        figure,
        tickmode="array",
        tickvals=list(range(count)),
        ticktext=labels,
        tickangle=angle,
        tickfont={"size": 14 if count <= 40 else 12, "color": TEXT_COLOR},
        range=[-0.5, count - 0.5],
        fixedrange=True,
        showgrid=False,
        zeroline=False,
    )
    plain.update_yaxes(
        figure,
        tickmode="array" if few_units else None,
        tickvals=list(range(shown)) if few_units else None,
        ticktext=[str(unit) for unit in order] if few_units else None,
        showticklabels=few_units,
        tickfont={"size": 13, "color": GLOSS_COLOR},
        title={
            "text": f"{shown} hidden units (sorted)"
            if shown == units
            else f"{shown} of {units} hidden units (the most active)",
            "font": {"size": 14},
        },
        autorange="reversed",  # the first unit of the order on top: the band runs top-left to bottom-right
        fixedrange=True,
        showgrid=False,
        zeroline=False,
    )
    if highlight_last and count:
        plain.add_shape(
            figure,
            type="rect",
            x0=count - 1.5,
            x1=count - 0.5,
            y0=-0.5,
            y1=shown - 0.5,
            line={"color": TEXT_COLOR, "width": 3},
            fillcolor="rgba(0,0,0,0)",
        )
        plain.add_annotation(
            figure,
            x=count - 1,
            y=1,
            yref="paper",
            yanchor="bottom",
            text="<b>context</b>",
            showarrow=False,
            font={"size": 13, "color": TEXT_COLOR},
        )
    plain.update_layout(
        figure,
        title={
            "text": safe_text(title),
            "font": {"size": 16, "color": TEXT_COLOR},
            "x": 0,
            "xanchor": "left",
        },
        height=int(min(540, max(300, 170 + (17 if few_units else 9) * shown))),
        margin={"l": left_margin, "r": 20, "t": 56, "b": 20},
        **BASE_LAYOUT,
    )
    add_word_labels(figure, word_groups or (), "bottom", tick_label_px(visible_labels, 14, angle))
    return figure


def context_vector_figure(context: np.ndarray, order: np.ndarray | None = None) -> dict:
    """The context vector alone: one strip of H coloured cells, in the heatmap's unit order."""
    context = np.asarray(context, dtype=float)
    order = np.arange(len(context)) if order is None else np.asarray(order)
    values = context[order]
    figure = plain.figure(
        plain.heatmap(
            z=[values.tolist()],
            x=list(range(len(values))),
            y=[0],
            zmin=-1,
            zmax=1,
            zmid=0,
            colorscale=ACTIVATION_SCALE,
            showscale=False,  # the encoder heatmap right above has the colour bar
            customdata=[order.tolist()],
            hovertemplate="unit %{customdata}: %{z:.2f}<extra></extra>",
            xgap=1 if len(values) <= 128 else 0,
            name="context",
            meta={"rows": ["context vector"], "columns": [f"unit {unit}" for unit in order.tolist()]},
        )
    )
    plain.update_xaxes(figure, visible=False, fixedrange=True, range=[-0.5, len(values) - 0.5])
    plain.update_yaxes(figure, visible=False, fixedrange=True)
    plain.update_layout(figure, height=150, margin={"l": 44, "r": 20, "t": 10, "b": 10}, **BASE_LAYOUT)
    return figure


# ---------------------------------------------------------------------------------------------------
# Decoder choices and attention


def _probability_label(p: float) -> str:
    """Two decimals; an unsure model's 0.006 should not read 0.00, nor a tiny 0.00002 read 0.000."""
    if p >= 0.01:
        return f"{p:.2f}"
    return f"{p:.3f}" if p >= 0.001 else "&lt;0.001"


def _steps_per_row(steps: int, widest: int = 12) -> int:
    """Long translations wrap into rows of at most `widest` steps, all rows about equally full."""
    rows = max(1, math.ceil(steps / widest))
    return max(1, math.ceil(steps / rows))


def top_k_figure(trace: Trace, up_to_step: int | None = None) -> dict:
    """At every decoding step, the k likeliest next tokens (rows, likeliest on top) with probabilities.

    Columns are steps, labelled with the step number and the token chosen; the chosen cell is bold
    and outlined. Long translations wrap into several rows of panels. `up_to_step` fills in only
    the first n steps; the others stay empty, so the figure keeps its size while a slider moves.
    """
    steps = len(trace.top_tokens)
    shown = steps if up_to_step is None else max(0, min(up_to_step, steps))
    k = max((len(top) for top in trace.top_tokens), default=1) or 1
    per_row = _steps_per_row(steps)
    panels = max(1, math.ceil(steps / per_row))

    column_px = (PAGE_CHART_PX - 60 - 110) / per_row  # rank labels left, colour bar right
    widest = max((len(token) for top in trace.top_tokens for token, _ in top), default=4)
    font = int(min(15, max(12, column_px / (max(widest, 4) * CHAR_WIDTH + 1))))
    fit_chars = max(4, int((column_px - 6) / (font * CHAR_WIDTH)))

    row_px, tick_px, gap_px = 40, 46, 18  # a cell holds two lines: the token and its probability
    panel_px = k * row_px
    figure_px = panels * (panel_px + tick_px) + (panels - 1) * gap_px + 20
    figure = plain.subplot_rows(panels, vertical_spacing=(tick_px + gap_px) / figure_px)

    for panel in range(panels):
        first = panel * per_row
        columns = list(range(first + 1, first + per_row + 1))  # 1-based step numbers
        z = np.full((k, per_row), np.nan)
        text = [[""] * per_row for _ in range(k)]
        hover = [[""] * per_row for _ in range(k)]
        ticks = []
        for c, step in enumerate(columns):
            index = step - 1
            if index >= steps:
                ticks.append("")
                continue
            if index >= shown:
                ticks.append(f"<span style='color:{FAINT_COLOR}'>{step}</span>")
                continue
            chosen = trace.output_tokens[index] if index < len(trace.output_tokens) else None
            chosen_rank = None
            for rank, (token, p) in enumerate(trace.top_tokens[index]):
                z[rank, c] = p
                label = safe_text(clip(token, fit_chars))
                if token == chosen and chosen_rank is None:
                    chosen_rank = rank
                    label = f"<b>{label}</b>"
                text[rank][c] = f"{label}<br>{_probability_label(p)}"
                hover[rank][c] = f"step {step}, #{rank + 1}: {safe_text(token)} (p = {p:.3f})"
            chosen_label = safe_text(clip(chosen, fit_chars)) if chosen is not None else ""
            ticks.append(f"{step}<br><b>{chosen_label}</b>")
            if chosen_rank is not None:
                plain.add_shape(
                    figure,
                    type="rect",
                    x0=step - 0.5,
                    x1=step + 0.5,
                    y0=chosen_rank - 0.5,
                    y1=chosen_rank + 0.5,
                    line={"color": MOVED_COLOR, "width": 3},
                    fillcolor="rgba(0,0,0,0)",
                    row=panel + 1,
                )
        plain.add_trace(
            figure,
            plain.heatmap(
                z=z,
                x=columns,
                y=list(range(k)),
                text=text,
                texttemplate="%{text}",
                textfont={"size": font},
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                coloraxis="coloraxis",
                xgap=2,
                ygap=2,
                name=f"steps {first + 1}-{first + per_row}",
            ),
            row=panel + 1,
        )
        plain.update_xaxes(
            figure,
            tickmode="array",
            tickvals=columns,
            ticktext=ticks,
            tickfont={"size": 14 if font >= 14 else 13, "color": TEXT_COLOR},
            range=[first + 0.5, first + per_row + 0.5],
            side="bottom",
            row=panel + 1,
        )
        plain.update_yaxes(
            figure,
            tickmode="array",
            tickvals=list(range(k)),
            ticktext=[f"#{rank + 1}" for rank in range(k)],
            tickfont={"size": 13, "color": GLOSS_COLOR},
            range=[k - 0.5, -0.5],  # the likeliest on top
            row=panel + 1,
        )
    plain.update_xaxes(figure, fixedrange=True, showgrid=False, zeroline=False)
    plain.update_yaxes(figure, fixedrange=True, showgrid=False, zeroline=False)
    plain.update_layout(
        figure,
        coloraxis={
            "colorscale": PROBABILITY_SCALE,
            "cmin": 0,
            "cmax": 1,
            "colorbar": {
                "title": {"text": "probability", "side": "right"},
                "thickness": 16,
                "tickfont": {"size": 13},
                "len": min(1.0, 320 / figure_px),
                "y": 1,
                "yanchor": "top",
            },
        },
        height=figure_px + 20,
        margin={"l": 60, "r": 20, "t": 20, "b": 10},
        **BASE_LAYOUT,
    )
    return figure
