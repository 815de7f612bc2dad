"""The encoder–decoder at work on one sentence: the book's figure 3.4, drawn from a `Trace`.

Two steps. `diagram_layout.diagram_layout` decides where everything goes (cells, lines, the context
vector's band) from the token labels alone. Then one small function per layer of the drawing adds its
part, bottom layer first: attention lines, recurrent connections, the context vector, headings, cells,
the arrows to and from the tokens, and the tokens.

`step` reveals the process: 0 nothing read, 1..T tokens read by the encoder, T+1..T+U tokens written
by the decoder, None everything. What has not happened yet is drawn faint, in place, so the layout
never moves while a class steps through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from rnn_demo.core.text import BOS, EOS
from rnn_demo.core.trace import Trace
from rnn_demo.figures import plain
from rnn_demo.figures.diagram_layout import (
    CELL_H,
    CELL_W,
    DECODER_WRAP_BELOW,
    ENCODER_WRAP_BELOW,
    EXIT_ROOM,
    MARGIN_PX,
    PLOT_WIDTH_PX,
    RAIL_X,
    TOKEN_FONT,
    TOKEN_OFFSET,
    Cell,
    DiagramLayout,
    diagram_layout,
)
from rnn_demo.figures.style import (
    BASE_LAYOUT,
    FAINT_COLOR,
    GLOSS_COLOR,
    KEPT_COLOR,
    MOVED_COLOR,
    TEXT_COLOR,
    UNKNOWN_COLOR,
    clip,
    lines,
    safe_text,
)

CONTEXT_COLOR = MOVED_COLOR  # the one orange thing in the diagram: what crosses from encoder to decoder
FAINT_LINE = "#e3e6e9"
ENCODER_COLOR, ENCODER_FILL = "#1c7ed6", "#e7f5ff"
DECODER_COLOR, DECODER_FILL = "#2b8a3e", "#ebfbee"
CURRENT_FILL = "#fff4e6"  # the cell that has just worked, at this step
START_LABEL, END_LABEL = "▶ start", "■ end"  # how the diagram shows <bos> and <eos>
CONTEXT_MARK = "+ c"  # beside what a plain decoder step reads: the context vector, at every step

CELL_FONT, HEADING_FONT = 13, 15


@dataclass(frozen=True)
class _Reveal:
    """What has happened by this step of the step-through."""

    done: int  # steps done: tokens read, then tokens written
    source_count: int
    current: tuple[str, int] | None  # ("enc", i) or ("dec", j): the cell that has just worked

    @classmethod
    def at(cls, step: int | None, source_count: int, output_count: int) -> _Reveal:
        total = source_count + output_count
        if step is not None and not 0 <= step <= total:
            raise ValueError(f"step must be from 0 to {total}, got {step}")
        if step is None or step == 0:
            current = None
        elif step <= source_count:
            current = ("enc", step - 1)
        else:
            current = ("dec", step - source_count - 1)
        return cls(total if step is None else step, source_count, current)

    def encoder_done(self, i: int) -> bool:
        return self.done >= i + 1

    def decoder_done(self, j: int) -> bool:
        return self.done >= self.source_count + j + 1


@dataclass
class _Drawing:
    traces: list[dict] = field(default_factory=list)
    shapes: list[dict] = field(default_factory=list)
    annotations: list[dict] = field(default_factory=list)

    def arrow(self, x0, y0, x1, y1, revealed: bool, color: str = KEPT_COLOR, width: float = 1.8) -> None:
        self.annotations.append(
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

    def line(self, xs: list[float], ys: list[float], name: str, color: str, width: float) -> None:
        self.traces.append(lines(xs, ys, name, color, width))

    def text(self, cells, dy: float, texts, font_size: float, colors, hovertexts, name: str) -> None:
        self.traces.append(
            {
                "type": "scatter",
                "x": [cell.x for cell in cells],
                "y": [cell.y + dy for cell in cells],
                "mode": "text",
                "text": texts,
                "textfont": {"size": font_size, "color": colors},
                "hovertext": hovertexts,
                "hoverinfo": "text",
                "showlegend": False,
                "name": name,
            }
        )


def _wrap_path(start: Cell, end: Cell, rail_y: float, exit_x: float | None = None):
    """From the right of `start` down to `rail_y`, left to the rail, down to `end`'s line."""
    if exit_x is None:  # just right of the cell and of its label
        exit_x = max(start.x + CELL_W / 2 + EXIT_ROOM, start.x + start.half_label + 8)
    return (
        [start.x + CELL_W / 2, exit_x, exit_x, RAIL_X, RAIL_X, end.x - CELL_W / 2 - EXIT_ROOM],
        [start.y, start.y, rail_y, rail_y, end.y, end.y],
    )


def _draw_attention(drawing: _Drawing, layout: DiagramLayout, trace: Trace, reveal: _Reveal) -> None:
    """From the decoder cell working now to every encoder cell, as thick as its weight. Absolute
    weights, not relative ones: attention spread thinly over ten tokens looks thin."""
    if trace.attention is None or reveal.current is None or reveal.current[0] != "dec":
        return
    target = layout.decoder[reveal.current[1]]
    weights = np.asarray(trace.attention[reveal.current[1]], dtype=float)  # (T,)
    for source_cell, share in zip(layout.encoder, weights, strict=True):
        if share < 0.03:
            continue
        drawing.shapes.append(
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


def _draw_recurrence(drawing: _Drawing, layout: DiagramLayout, reveal: _Reveal) -> None:
    """Each cell passes its state to the next; at the end of a line the state wraps to the next."""
    for cells, done_at, wrap_below in (
        (layout.encoder, reveal.encoder_done, ENCODER_WRAP_BELOW),
        (layout.decoder, reveal.decoder_done, DECODER_WRAP_BELOW),
    ):
        for index in range(1, len(cells)):
            previous, cell, revealed = cells[index - 1], cells[index], done_at(index)
            if cell.first_in_line:
                xs, ys = _wrap_path(previous, cell, previous.y - wrap_below)
                color = KEPT_COLOR if revealed else FAINT_LINE
                drawing.line(xs[:-1], ys[:-1], "state wraps to the next line", color, 1.8)
                drawing.arrow(xs[-2], ys[-2], cell.x - CELL_W / 2, cell.y, revealed)
            else:
                drawing.arrow(previous.x + CELL_W / 2, previous.y, cell.x - CELL_W / 2, cell.y, revealed)


def _draw_context(drawing: _Drawing, layout: DiagramLayout, trace: Trace, reveal: _Reveal) -> None:
    """The context vector: the last encoder state, down the right edge and round into the decoder."""
    revealed = reveal.done >= reveal.source_count > 0
    if layout.encoder and layout.decoder:
        # always down the right edge: the band then spans the whole width, under its label
        first = layout.decoder[0]
        xs, ys = _wrap_path(layout.encoder[-1], first, layout.band_y, exit_x=PLOT_WIDTH_PX - 8)
        drawing.line(xs[:-1], ys[:-1], "context vector", CONTEXT_COLOR if revealed else FAINT_LINE, 5)
        drawing.arrow(xs[-2], ys[-2], first.x - CELL_W / 2, first.y, revealed, CONTEXT_COLOR, 4)
    note = (
        f"all the decoder gets from the German: its first state, read again at every step ({CONTEXT_MARK})"
        if trace.attention is None
        else "plus attention: the decoder looks back at every encoder state"
    )
    drawing.annotations.append(
        {
            "x": PLOT_WIDTH_PX / 2,
            "y": layout.band_y,
            "xref": "x",
            "yref": "y",
            "showarrow": False,
            "text": f"<b>context vector ({trace.context.shape[-1]} numbers)</b>  {note}",
            "font": {"size": HEADING_FONT, "color": CONTEXT_COLOR if revealed else FAINT_COLOR},
            "bgcolor": "white",
            "borderpad": 4,
        }
    )


def _draw_headings(drawing: _Drawing, layout: DiagramLayout) -> None:
    for text, y in (
        ("<b>Encoder</b>  reads the German sentence, one token at a time", layout.encoder_heading_y),
        (
            "<b>Decoder</b>  starts from the context vector and writes English, one token at a time",
            layout.decoder_heading_y,
        ),
    ):
        drawing.annotations.append(
            {
                "x": RAIL_X + 14,
                "y": y,
                "xref": "x",
                "yref": "y",
                "xanchor": "left",
                "showarrow": False,
                "text": text,
                "font": {"size": HEADING_FONT, "color": GLOSS_COLOR},
            }
        )


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


def _draw_cells(drawing: _Drawing, layout: DiagramLayout, trace: Trace, reveal: _Reveal) -> None:
    """The cells h1..hT and s1..sU: a rounded box each (the one working now outlined in orange), and
    its name, with a hover that says what the state is."""
    hidden = trace.context.shape[-1]
    hovers = {
        "enc": [
            f"h{i + 1}: the encoder's state after reading “{safe_text(token)}” ({hidden} numbers)"
            for i, token in enumerate(trace.source_tokens)
        ],
        "dec": [
            f"s{j + 1}: the decoder's state when it writes “{safe_text(token)}”"
            for j, token in enumerate(trace.output_tokens)
        ],
    }
    for kind, cells, done_at, prefix, border, fill, name in (
        ("enc", layout.encoder, reveal.encoder_done, "h", ENCODER_COLOR, ENCODER_FILL, "encoder cells"),
        ("dec", layout.decoder, reveal.decoder_done, "s", DECODER_COLOR, DECODER_FILL, "decoder cells"),
    ):
        for index, cell in enumerate(cells):
            if not done_at(index):
                style = FAINT_LINE, "white", 1.5
            elif reveal.current == (kind, index):
                style = CONTEXT_COLOR, CURRENT_FILL, 3
            else:
                style = border, fill, 2
            drawing.shapes.append(
                {
                    "type": "path",
                    "path": _rounded_box(cell.x, cell.y, CELL_W, CELL_H),
                    "line": {"color": style[0], "width": style[2]},
                    "fillcolor": style[1],
                    "layer": "below",  # under the cell names (traces); over the attention lines, drawn first
                }
            )
        names = [f"{prefix}{index + 1}" for index in range(len(cells))]
        colors = [TEXT_COLOR if done_at(i) else FAINT_COLOR for i in range(len(cells))]
        drawing.text(cells, 0, names, CELL_FONT, colors, hovers[kind], name)


def _draw_token_arrows(drawing: _Drawing, layout: DiagramLayout, reveal: _Reveal) -> None:
    """Each German token up into its encoder cell; each decoder input up into its cell, and the
    written token up out of it."""
    below, above = -TOKEN_OFFSET + 11, TOKEN_OFFSET - 11
    for i, cell in enumerate(layout.encoder):
        drawing.arrow(cell.x, cell.y + below, cell.x, cell.y - CELL_H / 2 - 1, reveal.encoder_done(i))
    for j, cell in enumerate(layout.decoder):
        drawing.arrow(cell.x, cell.y + below, cell.x, cell.y - CELL_H / 2 - 1, reveal.decoder_done(j))
        drawing.arrow(cell.x, cell.y + CELL_H / 2 + 1, cell.x, cell.y + above, reveal.decoder_done(j))


def _display_token(token: str) -> str:
    return {BOS: START_LABEL, EOS: END_LABEL}.get(token, clip(token))


def _input_labels(outputs: list[str], with_context: bool) -> list[str]:
    """What each decoder step reads, as the diagram writes it (the start signal, then the words it
    wrote), with room for the context vector's mark when the decoder reads it at every step."""
    labels = [START_LABEL] + [_display_token(token) for token in outputs[:-1]]
    return [f"{label} {CONTEXT_MARK}" for label in labels] if with_context else labels


def _draw_tokens(drawing: _Drawing, layout: DiagramLayout, trace: Trace, reveal: _Reveal) -> None:
    """The German tokens under the encoder; under the decoder what it reads, above it what it writes."""
    sources, outputs = trace.source_tokens, trace.output_tokens
    german_colors = [
        (TEXT_COLOR if known else UNKNOWN_COLOR) if reveal.encoder_done(i) else FAINT_COLOR
        for i, known in enumerate(trace.source_known)
    ]
    drawing.text(
        layout.encoder,
        -TOKEN_OFFSET,
        [safe_text(clip(token)) for token in sources],
        TOKEN_FONT,
        german_colors,
        [
            safe_text(token) if known else f"{safe_text(token)}: unknown to the model, read as &lt;unk&gt;"
            for token, known in zip(sources, trace.source_known, strict=True)
        ],
        "German tokens",
    )
    written = [reveal.decoder_done(j) for j in range(len(outputs))]
    # what the decoder has not written yet stays blank (its room kept, so nothing moves from step to
    # step): the class sees the translation only as it is written
    read = [j == 0 or written[j - 1] for j in range(len(outputs))]
    inputs = [safe_text(label) for label in _input_labels(outputs, with_context=False)]
    hovers = ["the start signal &lt;bos&gt;: nothing written yet"] + [
        f"“{safe_text(t)}” fed back in: the decoder sees what it wrote last" for t in outputs[:-1]
    ]
    inputs = [label if shown else "" for label, shown in zip(inputs, read, strict=True)]
    hovers = [hover if shown else "not written yet" for hover, shown in zip(hovers, read, strict=True)]
    if trace.attention is None:  # the plain decoder reads the context vector beside every word
        context_colors = [CONTEXT_COLOR if done else FAINT_COLOR for done in written]
        inputs = [
            f"{label} <span style='color:{color}'><b>{CONTEXT_MARK}</b></span>"
            for label, color in zip(inputs, context_colors, strict=True)
        ]
        hovers = [f"{hover}, and the context vector c" for hover in hovers]
    drawing.text(
        layout.decoder,
        -TOKEN_OFFSET,
        inputs,
        TOKEN_FONT,
        [GLOSS_COLOR if done else FAINT_COLOR for done in written],
        hovers,
        "decoder inputs",
    )
    drawing.text(
        layout.decoder,
        TOKEN_OFFSET,
        [
            f"<b>{safe_text(_display_token(token))}</b>" if done else ""
            for token, done in zip(outputs, written, strict=True)
        ],
        TOKEN_FONT,
        [TEXT_COLOR if done else FAINT_COLOR for done in written],
        [
            "not written yet"
            if not done
            else "&lt;eos&gt;: the end-of-sentence token, the decoder stops"
            if token == EOS
            else safe_text(token)
            for token, done in zip(outputs, written, strict=True)
        ],
        "English tokens",
    )


def encoder_decoder_diagram(trace: Trace, step: int | None = None) -> dict:
    """The encoder-decoder at work on this sentence (figure 3.4 of the book).

    Top: the encoder's cells h1..hT, each reading one German token from below and passing its state
    on. Its last state, the context vector (orange), wraps down to the decoder: cells s1..sU, each
    fed the previous output (the first gets "▶ start") and, in the plain model, the context vector
    again ("+ c"), and writing one English token above it.
    Long sentences wrap onto several lines.
    """
    outputs = trace.output_tokens
    reveal = _Reveal.at(step, len(trace.source_tokens), len(outputs))
    layout = diagram_layout(
        [clip(token) for token in trace.source_tokens],
        _input_labels(outputs, trace.attention is None),
        [_display_token(token) for token in outputs],
    )
    drawing = _Drawing()
    _draw_attention(drawing, layout, trace, reveal)
    _draw_recurrence(drawing, layout, reveal)
    _draw_context(drawing, layout, trace, reveal)
    _draw_headings(drawing, layout)
    _draw_cells(drawing, layout, trace, reveal)
    _draw_token_arrows(drawing, layout, reveal)
    _draw_tokens(drawing, layout, trace, reveal)

    figure = plain.figure(*drawing.traces)  # a plain dict: the page redraws it at every step
    plain.update_xaxes(figure, visible=False, range=[0, PLOT_WIDTH_PX], fixedrange=True)
    plain.update_yaxes(figure, visible=False, range=[0, layout.height], fixedrange=True)
    plain.update_layout(
        figure,
        shapes=drawing.shapes,
        annotations=drawing.annotations,
        height=int(layout.height + 2 * MARGIN_PX),
        margin={"l": MARGIN_PX, "r": MARGIN_PX, "t": MARGIN_PX, "b": MARGIN_PX},
        showlegend=False,
        **BASE_LAYOUT,
    )
    return figure
