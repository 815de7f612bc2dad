"""Plotly figures of what an encoder-decoder RNN does inside, drawn from one `Trace`.

Pure functions: each takes numbers and tokens and returns a `go.Figure`; the pages show them.
Every token goes through `safe_text`, so typed text never renders as HTML.

>>> import numpy as np
>>> unit_order(np.array([[0.1, 0.9], [0.8, 0.0]])).tolist()  # unit 1 peaks at token 0, unit 0 at 1
[1, 0]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnn_demo.charts import GLOSS_COLOR, KEPT_COLOR, MOVED_COLOR, TEXT_COLOR, UNKNOWN_COLOR, safe_text
from rnn_demo.translate import Trace

ACTIVATION_SCALE = "RdBu_r"  # red positive, blue negative, white 0: a GRU state lies in (-1, 1)
PROBABILITY_SCALE = "Blues"
CONTEXT_COLOR = MOVED_COLOR  # the one orange thing in the diagram: what crosses from encoder to decoder
FAINT_COLOR = "#c4c9cf"  # not happened yet at this step: drawn, but pale, so the layout never jumps
FAINT_LINE = "#e3e6e9"
ENCODER_COLOR, ENCODER_FILL = "#1c7ed6", "#e7f5ff"
DECODER_COLOR, DECODER_FILL = "#2b8a3e", "#ebfbee"
CURRENT_FILL = "#fff4e6"  # the cell that has just worked, at this step
START_LABEL, END_LABEL = "▶ start", "■ end"  # how the diagram shows <bos> and <eos>

_CHAR_WIDTH = 0.6  # average width of a character, in font sizes (as in charts.py)
_TOKEN_FONT = 15
_SMALL_FONT = 13
_MAX_LABEL_CHARS = 20  # longer typed words are cut with "…" (the hover shows them whole)
_BASE = {
    "plot_bgcolor": "white",
    "paper_bgcolor": "white",
    "dragmode": False,
    "hoverlabel": {"font_size": 15},
}

# The wide page gives a chart about 1,000 px. The diagram is laid out in pixels for that width:
# x runs over the plot area (figure width minus margins), 1 unit = 1 px when the page is that wide.
DIAGRAM_WIDTH_PX = 1000
_DIAGRAM_MARGIN = 10
_DIAGRAM_PLOT_WIDTH = DIAGRAM_WIDTH_PX - 2 * _DIAGRAM_MARGIN


def total_steps(trace: Trace) -> int:
    """Steps of the step-through: one per German token read, then one per English token written."""
    return len(trace.source_tokens) + len(trace.output_tokens)


def _clip(label: str, max_chars: int = _MAX_LABEL_CHARS) -> str:
    return label if len(label) <= max_chars else label[: max(max_chars - 1, 1)] + "…"


def _text_px(label: str, font_size: float) -> float:
    return len(label) * font_size * _CHAR_WIDTH


# ---------------------------------------------------------------------------------------------------
# Hidden states


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
    widest = max((_text_px(label, font_size) for label in labels), default=0)
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
) -> go.Figure:
    """States (N, H) as a heatmap: one column per token, one row per hidden unit, colour = activation.

    `order` is the row order (default `unit_order(states)`), so two heatmaps can share one order.
    `max_units` keeps only that many units: the ones with the largest |activation| anywhere, in
    `order`'s order. `highlight_last` outlines the last column (the encoder's context vector).
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

    labels = [safe_text(_clip(token)) for token in tokens]
    visible_labels = [_clip(token) for token in tokens]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=list(range(count)),  # numeric x: equal tokens ("the", "the") must stay two columns
            y=list(range(shown)),
            zmin=-1,
            zmax=1,
            zmid=0,
            colorscale=ACTIVATION_SCALE,
            colorbar={
                "title": {"text": "activation", "side": "top"},
                "thickness": 16,
                "tickfont": {"size": 13},
            },
            text=[labels] * shown,  # the token of each cell, for the hover
            customdata=np.repeat(order[:, None], count, axis=1),
            hovertemplate="after <b>%{text}</b><br>unit %{customdata}: %{z:.2f}<extra></extra>",
            xgap=1 if count <= 60 else 0,
            name="states",
        )
    )

    # unit numbers fit beside rows up to about 24 rows at 13 px; beyond that the hover tells
    few_units = shown <= 24
    left_margin = 70 if few_units else 44
    plot_px = DIAGRAM_WIDTH_PX - left_margin - 20 - 66  # the colour bar takes about 66 px on the right
    angle = _tick_angle(visible_labels, plot_px / max(count, 1), 14)
    figure.update_xaxes(
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
    figure.update_yaxes(
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
        figure.add_shape(
            type="rect",
            x0=count - 1.5,
            x1=count - 0.5,
            y0=-0.5,
            y1=shown - 0.5,
            line={"color": TEXT_COLOR, "width": 3},
            fillcolor="rgba(0,0,0,0)",
        )
        figure.add_annotation(
            x=count - 1,
            y=1,
            yref="paper",
            yanchor="bottom",
            text="<b>context</b>",
            showarrow=False,
            font={"size": 13, "color": TEXT_COLOR},
        )
    figure.update_layout(
        title={
            "text": safe_text(title),
            "font": {"size": 16, "color": TEXT_COLOR},
            "x": 0,
            "xanchor": "left",
        },
        height=int(min(540, max(300, 170 + (17 if few_units else 9) * shown))),
        margin={"l": left_margin, "r": 20, "t": 56, "b": 20},
        **_BASE,
    )
    return figure


def context_vector_figure(context: np.ndarray, order: np.ndarray | None = None) -> go.Figure:
    """The context vector alone: one strip of H coloured cells, in the heatmap's unit order."""
    context = np.asarray(context, dtype=float)
    order = np.arange(len(context)) if order is None else np.asarray(order)
    values = context[order]
    figure = go.Figure(
        go.Heatmap(
            z=[values],
            x=list(range(len(values))),
            y=[0],
            zmin=-1,
            zmax=1,
            zmid=0,
            colorscale=ACTIVATION_SCALE,
            showscale=False,  # the encoder heatmap right above has the colour bar
            customdata=[order],
            hovertemplate="unit %{customdata}: %{z:.2f}<extra></extra>",
            xgap=1 if len(values) <= 128 else 0,
            name="context",
        )
    )
    figure.update_xaxes(visible=False, fixedrange=True, range=[-0.5, len(values) - 0.5])
    figure.update_yaxes(visible=False, fixedrange=True)
    figure.update_layout(height=150, margin={"l": 44, "r": 20, "t": 10, "b": 10}, **_BASE)
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


def top_k_figure(trace: Trace, up_to_step: int | None = None) -> go.Figure:
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

    column_px = (DIAGRAM_WIDTH_PX - 60 - 110) / per_row  # rank labels left, colour bar right
    widest = max((len(token) for top in trace.top_tokens for token, _ in top), default=4)
    font = int(min(15, max(12, column_px / (max(widest, 4) * _CHAR_WIDTH + 1))))
    fit_chars = max(4, int((column_px - 6) / (font * _CHAR_WIDTH)))

    row_px, tick_px, gap_px = 40, 46, 18  # a cell holds two lines: the token and its probability
    panel_px = k * row_px
    figure_px = panels * (panel_px + tick_px) + (panels - 1) * gap_px + 20
    figure = make_subplots(rows=panels, cols=1, vertical_spacing=(tick_px + gap_px) / figure_px)

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
                label = safe_text(_clip(token, fit_chars))
                if token == chosen and chosen_rank is None:
                    chosen_rank = rank
                    label = f"<b>{label}</b>"
                text[rank][c] = f"{label}<br>{_probability_label(p)}"
                hover[rank][c] = f"step {step}, #{rank + 1}: {safe_text(token)} (p = {p:.3f})"
            chosen_label = safe_text(_clip(chosen, fit_chars)) if chosen is not None else ""
            ticks.append(f"{step}<br><b>{chosen_label}</b>")
            if chosen_rank is not None:
                figure.add_shape(
                    type="rect",
                    x0=step - 0.5,
                    x1=step + 0.5,
                    y0=chosen_rank - 0.5,
                    y1=chosen_rank + 0.5,
                    line={"color": MOVED_COLOR, "width": 3},
                    fillcolor="rgba(0,0,0,0)",
                    row=panel + 1,
                    col=1,
                )
        figure.add_trace(
            go.Heatmap(
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
            col=1,
        )
        figure.update_xaxes(
            tickmode="array",
            tickvals=columns,
            ticktext=ticks,
            tickfont={"size": 14 if font >= 14 else 13, "color": TEXT_COLOR},
            range=[first + 0.5, first + per_row + 0.5],
            side="bottom",
            row=panel + 1,
            col=1,
        )
        figure.update_yaxes(
            tickmode="array",
            tickvals=list(range(k)),
            ticktext=[f"#{rank + 1}" for rank in range(k)],
            tickfont={"size": 13, "color": GLOSS_COLOR},
            range=[k - 0.5, -0.5],  # the likeliest on top
            row=panel + 1,
            col=1,
        )
    figure.update_xaxes(fixedrange=True, showgrid=False, zeroline=False)
    figure.update_yaxes(fixedrange=True, showgrid=False, zeroline=False)
    figure.update_layout(
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
        **_BASE,
    )
    return figure


def attention_heatmap(trace: Trace) -> go.Figure:
    """Attention weights: one row per English output token (top to bottom), one column per German token."""
    if trace.attention is None:
        raise ValueError("this trace has no attention weights: it comes from the plain encoder-decoder")
    weights = np.asarray(trace.attention, dtype=float)
    rows, columns = weights.shape
    outputs = [safe_text(_clip(token)) for token in trace.output_tokens]
    sources = [
        safe_text(_clip(token))
        if known
        else f"<span style='color:{UNKNOWN_COLOR}'>{safe_text(_clip(token))}</span>"
        for token, known in zip(trace.source_tokens, trace.source_known, strict=True)
    ]
    annotate = rows <= 15 and columns <= 15  # numbers in the cells only while they are big enough to read
    figure = go.Figure(
        go.Heatmap(
            z=weights,
            x=list(range(columns)),
            y=list(range(rows)),
            zmin=0,
            zmax=1,
            colorscale=PROBABILITY_SCALE,
            colorbar={
                "title": {"text": "attention", "side": "top"},
                "thickness": 16,
                "tickfont": {"size": 13},
            },
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
    left_margin = int(min(220, 46 + max((_text_px(_clip(t), 14) for t in trace.output_tokens), default=0)))
    plot_px = DIAGRAM_WIDTH_PX - left_margin - 20 - 66
    figure.update_xaxes(
        tickmode="array",
        tickvals=list(range(columns)),
        ticktext=sources,
        ticklabelstandoff=4,
        tickangle=_tick_angle([_clip(t) for t in trace.source_tokens], plot_px / max(columns, 1), 14),
        tickfont={"size": 14, "color": TEXT_COLOR},
        side="top",
        title={"text": "German (read by the encoder)", "font": {"size": 14, "color": GLOSS_COLOR}},
        fixedrange=True,
        showgrid=False,
        zeroline=False,
    )
    figure.update_yaxes(
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
    figure.update_layout(
        height=int(max(300, row_px * rows + 160)),
        margin={"l": left_margin, "r": 20, "t": 20, "b": 20},
        **_BASE,
    )
    return figure


# ---------------------------------------------------------------------------------------------------
# The encoder-decoder diagram (figure 3.4 of the book, with this sentence)

_CELL_W, _CELL_H = 40, 30
_ARROW_GAP = 24  # at least this much room for the arrow between neighbouring cells
_LINE_START = 40  # first cell centre's left room: the wrap and context lines run down at x = _RAIL_X
_RAIL_X = 12
_RIGHT_ROOM = 12  # the exit line of a line's last cell runs down here
_LABEL_GAP = 1.5 * _TOKEN_FONT  # between neighbouring token labels
_MIN_LABEL_GAP = 0.8 * _TOKEN_FONT  # ... when that saves a line
_ENCODER_LINE_PX = 100  # a line of encoder cells with the German tokens under them
_DECODER_LINE_PX = 128  # a line of decoder cells with the output above and the input below
_TOKEN_OFFSET = 44  # from a cell's centre to the centre of its token label


@dataclass(frozen=True)
class _Cell:
    x: float  # centre, px from the left of the plot area
    y: float  # centre, px from the bottom
    half_label: float  # half the width of the widest label in this slot
    first_in_line: bool


def _wrap(widths: Sequence[float], starts: Sequence[float], right_edge: float) -> list[list[int]]:
    """Greedy line filling: slot i goes on the current line while it ends before `right_edge`."""
    lines: list[list[int]] = []
    right = math.inf
    for i, width in enumerate(widths):
        if right + width > right_edge:
            lines.append([i])
            right = starts[i] + width / 2
        else:
            lines[-1].append(i)
            right += width
    return lines


def _pack(labels: Sequence[Sequence[str]], top: float, line_px: float) -> list[_Cell]:
    """Place one cell per slot left to right, wrapping to a new line when the plot is full.

    `labels` are the texts stacked on each slot; a slot is as wide as its widest text plus a gap,
    and never narrower than a cell plus room for an arrow. When the slots do not fit on one line,
    the gaps shrink first; if they still do not fit, the lines are balanced, so that no line holds
    a lone last token.
    """
    half_labels = [max((_text_px(text, _TOKEN_FONT) for text in texts), default=0) / 2 for texts in labels]
    # the rail runs down at _RAIL_X past the first label of a line: keep clear of it
    starts = [max(_LINE_START, _RAIL_X + 10 + half) for half in half_labels]
    right_edge = _DIAGRAM_PLOT_WIDTH - _RIGHT_ROOM

    def slot_widths(gap: float) -> list[float]:
        return [max(2 * half + gap, _CELL_W + _ARROW_GAP) for half in half_labels]

    widths = slot_widths(_LABEL_GAP)
    lines = _wrap(widths, starts, right_edge)
    if len(lines) > 1:
        narrow = slot_widths(_MIN_LABEL_GAP)
        if len(_wrap(narrow, starts, right_edge)) < len(lines):
            widths = narrow
            lines = _wrap(widths, starts, right_edge)
    if len(lines) > 1:  # the narrowest right edge that still needs no more lines
        low, high = max(start + width / 2 for start, width in zip(starts, widths, strict=True)), right_edge
        for _ in range(30):
            middle = (low + high) / 2
            if len(_wrap(widths, starts, middle)) > len(lines):
                low = middle
            else:
                high = middle
        lines = _wrap(widths, starts, high)
    # a short sentence on one line may spread out a little: easier to read from the back of the room
    stretch = 1.0
    if len(lines) == 1 and lines[0]:
        natural = sum(widths) - widths[0] / 2
        stretch = min(1.4, max(1.0, (right_edge - starts[0]) / max(natural, 1.0)))
    cells: list[_Cell] = []
    for line_number, line in enumerate(lines):
        x = starts[line[0]]
        for position, i in enumerate(line):
            if position:
                x += (widths[line[position - 1]] + widths[i]) / 2 * stretch
            cells.append(_Cell(x, top - line_number * line_px, half_labels[i], position == 0))
    return cells


def _display_token(token: str) -> str:
    return {"<bos>": START_LABEL, "<eos>": END_LABEL}.get(token, _clip(token))


def _rounded_box(x: float, y: float, width: float, height: float, radius: float = 7) -> str:
    """An SVG path for a rounded rectangle centred on (x, y), in data units (= px here)."""
    x0, x1, y0, y1 = x - width / 2, x + width / 2, y - height / 2, y + height / 2
    r = radius
    corners = [
        f"M {x0 + r},{y0} L {x1 - r},{y0} Q {x1},{y0} {x1},{y0 + r}",
        f"L {x1},{y1 - r} Q {x1},{y1} {x1 - r},{y1}",
        f"L {x0 + r},{y1} Q {x0},{y1} {x0},{y1 - r}",
        f"L {x0},{y0 + r} Q {x0},{y0} {x0 + r},{y0} Z",
    ]
    return " ".join(corners)


def encoder_decoder_diagram(trace: Trace, step: int | None = None) -> go.Figure:
    """The encoder-decoder at work on this sentence (figure 3.4 of the book).

    Top: the encoder's cells h1..hT, each reading one German token from below and passing its state
    on. Its last state, the context vector (orange), wraps down to the decoder: cells s1..sU, each
    fed the previous output (the first gets "▶ start") and writing one English token above it.

    `step` reveals the process: 0 nothing read, 1..T tokens read by the encoder, T+1..T+U tokens
    written by the decoder, None everything. What has not happened yet is drawn faint, in place.
    Long sentences wrap onto several lines; the layout assumes a plot about DIAGRAM_WIDTH_PX wide.
    """
    sources, outputs = list(trace.source_tokens), list(trace.output_tokens)
    count_in, count_out = len(sources), len(outputs)
    total = count_in + count_out
    if step is not None and not 0 <= step <= total:
        raise ValueError(f"step must be from 0 to {total}, got {step}")
    done = total if step is None else step
    hidden = int(np.asarray(trace.context).shape[-1])

    source_labels = [_clip(token) for token in sources]
    input_labels = [START_LABEL] + [_display_token(token) for token in outputs[:-1]]
    output_labels = [_display_token(token) for token in outputs]

    # Vertical layout, top down (y grows upwards, in px): heading, encoder lines, context band,
    # heading, decoder lines. Only the line counts depend on the sentence.
    encoder_probe = _pack([[label] for label in source_labels], 0, _ENCODER_LINE_PX)
    decoder_probe = _pack(
        [[a, b] for a, b in zip(input_labels, output_labels, strict=True)], 0, _DECODER_LINE_PX
    )
    encoder_lines = len({cell.y for cell in encoder_probe}) or 1
    decoder_lines = len({cell.y for cell in decoder_probe}) or 1
    heading_px, band_px = 34, 62
    height = (
        heading_px
        + 24
        + encoder_lines * _ENCODER_LINE_PX
        + band_px
        + heading_px
        + 36
        + decoder_lines * _DECODER_LINE_PX
    )
    encoder_top = height - heading_px - 24 - _CELL_H / 2
    encoder = _pack([[label] for label in source_labels], encoder_top, _ENCODER_LINE_PX)
    last_token_y = encoder_top - (encoder_lines - 1) * _ENCODER_LINE_PX - _TOKEN_OFFSET
    band_y = last_token_y - 40
    decoder_heading_y = band_y - 30
    decoder_top = decoder_heading_y - 26 - _TOKEN_OFFSET - _CELL_H / 2 + 6
    decoder = _pack(
        [[a, b] for a, b in zip(input_labels, output_labels, strict=True)], decoder_top, _DECODER_LINE_PX
    )

    def encoder_done(i: int) -> bool:
        return done >= i + 1

    def decoder_done(j: int) -> bool:
        return done >= count_in + j + 1

    current = (
        None
        if step is None or step == 0
        else ("enc", step - 1)
        if step <= count_in
        else ("dec", step - count_in - 1)
    )
    figure = go.Figure()
    shapes: list[dict] = []
    annotations: list[dict] = []

    def arrow(
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        revealed: bool,
        color: str = KEPT_COLOR,
        width: float = 1.8,
    ) -> None:
        annotations.append(
            {
                "x": x1,
                "y": y1,
                "ax": x0,
                "ay": y0,
                "xref": "x",
                "yref": "y",
                "axref": "x",
                "ayref": "y",
                "showarrow": True,
                "arrowhead": 2,
                "arrowsize": 1.1,
                "arrowwidth": width,
                "text": "",
                "arrowcolor": color if revealed else FAINT_LINE,
            }
        )

    def wrap_path(
        start: _Cell, end: _Cell, rail_y: float, exit_x: float | None = None
    ) -> tuple[list[float], list[float]]:
        """From the right of `start` down to `rail_y`, left to the rail, down to `end`'s line."""
        if exit_x is None:  # just right of the cell and of its label
            exit_x = max(start.x + _CELL_W / 2 + 14, start.x + start.half_label + 8)
        return (
            [start.x + _CELL_W / 2, exit_x, exit_x, _RAIL_X, _RAIL_X, end.x - _CELL_W / 2 - 14],
            [start.y, start.y, rail_y, rail_y, end.y, end.y],
        )

    # Attention: from the decoder cell working now to every encoder cell, as thick as its weight.
    # Absolute weights, not relative ones: attention spread thinly over ten tokens looks thin.
    if trace.attention is not None and current is not None and current[0] == "dec":
        weights = np.asarray(trace.attention[current[1]], dtype=float)
        for i, share in enumerate(weights):
            if share < 0.03:
                continue
            target, source_cell = decoder[current[1]], encoder[i]
            shapes.append(
                {
                    "type": "line",
                    "x0": target.x,
                    "y0": target.y,
                    "x1": source_cell.x,
                    "y1": source_cell.y,
                    "line": {"color": CONTEXT_COLOR, "width": 1 + 9 * share},
                    "opacity": 0.12 + 0.5 * share,
                    "layer": "below",
                }
            )

    # Recurrent connections: cell to cell, and the wraps from one line to the next
    for cells, done_at, rail_offset in (
        (encoder, encoder_done, _TOKEN_OFFSET + 26),
        (decoder, decoder_done, _TOKEN_OFFSET + 20),
    ):
        for previous, cell, index in zip(cells, cells[1:], range(1, len(cells)), strict=False):
            revealed = done_at(index)
            if cell.first_in_line:
                xs, ys = wrap_path(previous, cell, previous.y - rail_offset)
                figure.add_trace(
                    go.Scatter(
                        x=xs[:-1],
                        y=ys[:-1],
                        mode="lines",
                        hoverinfo="skip",
                        showlegend=False,
                        name="state wraps to the next line",
                        line={"color": KEPT_COLOR if revealed else FAINT_LINE, "width": 1.8},
                    )
                )
                arrow(xs[-2], ys[-2], cell.x - _CELL_W / 2, cell.y, revealed)
            else:
                arrow(previous.x + _CELL_W / 2, previous.y, cell.x - _CELL_W / 2, cell.y, revealed)

    # The context vector: the last encoder state, down and round into the first decoder cell
    context_revealed = done >= count_in and count_in > 0
    if encoder and decoder:
        # always down the right edge: the band then spans the whole width, under its label
        xs, ys = wrap_path(encoder[-1], decoder[0], band_y, exit_x=_DIAGRAM_PLOT_WIDTH - 8)
        figure.add_trace(
            go.Scatter(
                x=xs[:-1],
                y=ys[:-1],
                mode="lines",
                hoverinfo="skip",
                showlegend=False,
                name="context vector",
                line={"color": CONTEXT_COLOR if context_revealed else FAINT_LINE, "width": 5},
            )
        )
        arrow(xs[-2], ys[-2], decoder[0].x - _CELL_W / 2, decoder[0].y, context_revealed, CONTEXT_COLOR, 4)
    context_note = (
        "all the decoder gets from the German"
        if trace.attention is None
        else "plus attention: the decoder looks back at every encoder state"
    )
    annotations.append(
        {
            "x": _DIAGRAM_PLOT_WIDTH / 2,
            "y": band_y,
            "xref": "x",
            "yref": "y",
            "showarrow": False,
            "text": f"<b>context vector ({hidden} numbers)</b>  {context_note}",
            "font": {"size": 15, "color": CONTEXT_COLOR if context_revealed else FAINT_COLOR},
            "bgcolor": "white",
            "borderpad": 4,
        }
    )

    # Headings
    for text, y in (
        ("<b>Encoder</b>  reads the German sentence, one token at a time", height - 16),
        (
            "<b>Decoder</b>  starts from the context vector and writes English, one token at a time",
            decoder_heading_y,
        ),
    ):
        annotations.append(
            {
                "x": _RAIL_X + 14,
                "y": y,
                "xref": "x",
                "yref": "y",
                "xanchor": "left",
                "showarrow": False,
                "text": text,
                "font": {"size": 15, "color": GLOSS_COLOR},
            }
        )

    # Cells, their labels, and the tokens going in and out
    def cell_style(kind: str, index: int, revealed: bool) -> tuple[str, str, float]:
        if not revealed:
            return FAINT_LINE, "white", 1.5
        border, fill = (ENCODER_COLOR, ENCODER_FILL) if kind == "enc" else (DECODER_COLOR, DECODER_FILL)
        if current == (kind, index):
            return CONTEXT_COLOR, CURRENT_FILL, 3
        return border, fill, 2

    for kind, cells, done_at, prefix in (
        ("enc", encoder, encoder_done, "h"),
        ("dec", decoder, decoder_done, "s"),
    ):
        for index, cell in enumerate(cells):
            border, fill, width = cell_style(kind, index, done_at(index))
            shapes.append(
                {
                    "type": "path",
                    "path": _rounded_box(cell.x, cell.y, _CELL_W, _CELL_H),
                    "line": {"color": border, "width": width},
                    "fillcolor": fill,
                    "layer": "below",  # under the cell labels (traces); over the attention lines, drawn first
                }
            )
        names = [f"{prefix}{index + 1}" for index in range(len(cells))]
        if kind == "enc":
            hovers = [
                f"h{i + 1}: the encoder's state after reading “{safe_text(token)}” ({hidden} numbers)"
                for i, token in enumerate(sources)
            ]
        else:
            hovers = [
                f"s{j + 1}: the decoder's state when it writes “{safe_text(token)}”"
                for j, token in enumerate(outputs)
            ]
        figure.add_trace(
            go.Scatter(
                x=[cell.x for cell in cells],
                y=[cell.y for cell in cells],
                mode="text",
                text=names,
                textfont={
                    "size": _SMALL_FONT,
                    "color": [TEXT_COLOR if done_at(i) else FAINT_COLOR for i in range(len(cells))],
                },
                hovertext=hovers,
                hoverinfo="text",
                showlegend=False,
                name="encoder cells" if kind == "enc" else "decoder cells",
            )
        )

    for i, cell in enumerate(encoder):
        arrow(cell.x, cell.y - _TOKEN_OFFSET + 11, cell.x, cell.y - _CELL_H / 2 - 1, encoder_done(i))
    for j, cell in enumerate(decoder):
        arrow(cell.x, cell.y - _TOKEN_OFFSET + 11, cell.x, cell.y - _CELL_H / 2 - 1, decoder_done(j))
        arrow(cell.x, cell.y + _CELL_H / 2 + 1, cell.x, cell.y + _TOKEN_OFFSET - 11, decoder_done(j))

    def token_colour(revealed: bool, known: bool = True) -> str:
        return (TEXT_COLOR if known else UNKNOWN_COLOR) if revealed else FAINT_COLOR

    figure.add_trace(
        go.Scatter(
            x=[cell.x for cell in encoder],
            y=[cell.y - _TOKEN_OFFSET for cell in encoder],
            mode="text",
            text=[safe_text(label) for label in source_labels],
            textfont={
                "size": _TOKEN_FONT,
                "color": [token_colour(encoder_done(i), known) for i, known in enumerate(trace.source_known)],
            },
            hovertext=[
                safe_text(token)
                if known
                else f"{safe_text(token)}: unknown to the model, read as &lt;unk&gt;"
                for token, known in zip(sources, trace.source_known, strict=True)
            ],
            hoverinfo="text",
            showlegend=False,
            name="German tokens",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[cell.x for cell in decoder],
            y=[cell.y - _TOKEN_OFFSET for cell in decoder],
            mode="text",
            text=[safe_text(label) for label in input_labels],
            textfont={
                "size": _TOKEN_FONT,
                "color": [GLOSS_COLOR if decoder_done(j) else FAINT_COLOR for j in range(count_out)],
            },
            hovertext=["the start signal &lt;bos&gt;: nothing written yet"]
            + [
                f"“{safe_text(token)}” fed back in: the decoder sees what it wrote last"
                for token in outputs[:-1]
            ],
            hoverinfo="text",
            showlegend=False,
            name="decoder inputs",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[cell.x for cell in decoder],
            y=[cell.y + _TOKEN_OFFSET for cell in decoder],
            mode="text",
            text=[f"<b>{safe_text(label)}</b>" for label in output_labels],
            textfont={
                "size": _TOKEN_FONT,
                "color": [token_colour(decoder_done(j)) for j in range(count_out)],
            },
            hovertext=[
                "&lt;eos&gt;: the end-of-sentence token, the decoder stops"
                if token == "<eos>"
                else safe_text(token)
                for token in outputs
            ],
            hoverinfo="text",
            showlegend=False,
            name="English tokens",
        )
    )

    figure.update_xaxes(visible=False, range=[0, _DIAGRAM_PLOT_WIDTH], fixedrange=True)
    figure.update_yaxes(visible=False, range=[0, height], fixedrange=True)
    margin = _DIAGRAM_MARGIN
    figure.update_layout(
        shapes=shapes,
        annotations=annotations,
        height=int(height + 2 * margin),
        margin={"l": margin, "r": margin, "t": margin, "b": margin},
        showlegend=False,
        **_BASE,
    )
    return figure
