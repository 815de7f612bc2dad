"""Where the encoder–decoder diagram puts everything: a pure layout step, from the token labels alone.

Cells go left to right in lines that wrap when the plot is full; the encoder's lines on top, then
the band of the context vector, then the decoder's lines. All in pixels of a plot about
`PAGE_CHART_PX` wide, with y growing upwards; `diagram.py` draws on it.

>>> layout = diagram_layout(["ich", "helfe", "dir"], ["▶ start", "i"], ["i", "■ end"])
>>> len(layout.encoder), len(layout.decoder), layout.encoder[0].y > layout.band_y > layout.decoder[0].y
(3, 2, True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rnn_demo.figures.style import PAGE_CHART_PX, text_px

TOKEN_FONT = 15
MARGIN_PX = 10  # around the plot area
PLOT_WIDTH_PX = PAGE_CHART_PX - 2 * MARGIN_PX  # x runs over the plot area: 1 unit = 1 px

# Cells and the lines of cells
CELL_W, CELL_H = 40, 30
ARROW_GAP = 24  # at least this much room for the arrow between neighbouring cells
LINE_START = 40  # the first cell centre's room on the left of a line
RAIL_X = 12  # where the lines that wrap to the next line (and the context vector) run down
RIGHT_ROOM = 12  # where the exit line of a line's last cell runs down
LABEL_GAP = 1.5 * TOKEN_FONT  # between neighbouring token labels
MIN_LABEL_GAP = 0.8 * TOKEN_FONT  # ... when that saves a line
TOKEN_OFFSET = 44  # from a cell's centre to the centre of its token label
ENCODER_LINE_PX = 100  # a line of encoder cells with the German tokens under them
DECODER_LINE_PX = 128  # a line of decoder cells with the output above and the input below

# The vertical bands, top down (y grows upwards)
HEADING_PX = 34  # a heading's band
HEADING_FROM_TOP = 16  # the encoder heading's baseline, below the top
ENCODER_BELOW_HEADING = 24  # from the encoder heading's band to the top of the first cell
BAND_PX = 62  # the context vector's band between encoder and decoder
BAND_BELOW_TOKENS = 40  # from the last line of German tokens down to the band
DECODER_HEADING_BELOW_BAND = 30
OUTPUTS_BELOW_DECODER_HEADING = 20  # from the decoder heading to the top of its first output token
DECODER_BELOW_HEADING = 36  # the height's share for the decoder heading's gap
ENCODER_WRAP_BELOW = TOKEN_OFFSET + 26  # a wrapping encoder line runs this far below its cell
DECODER_WRAP_BELOW = TOKEN_OFFSET + 20
EXIT_ROOM = 14  # from a cell's right edge to where its wrapping line turns down


@dataclass(frozen=True)
class Cell:
    x: float  # centre, px from the left of the plot area
    y: float  # centre, px from the bottom
    half_label: float  # half the width of the widest label in this slot
    first_in_line: bool


@dataclass(frozen=True)
class DiagramLayout:
    """Where everything goes, in px of the plot area (y from the bottom)."""

    height: float
    encoder: list[Cell]
    decoder: list[Cell]
    band_y: float  # the context vector's band
    encoder_heading_y: float
    decoder_heading_y: float


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


def _pack(labels: Sequence[Sequence[str]], top: float, line_px: float) -> list[Cell]:
    """Place one cell per slot left to right, wrapping to a new line when the plot is full.

    `labels` are the texts stacked on each slot; a slot is as wide as its widest text plus a gap,
    and never narrower than a cell plus room for an arrow. When the slots do not fit on one line,
    the gaps shrink first; if they still do not fit, the lines are balanced, so that no line holds
    a lone last token.
    """
    half_labels = [max((text_px(text, TOKEN_FONT) for text in texts), default=0) / 2 for texts in labels]
    # the rail runs down at RAIL_X past the first label of a line: keep clear of it
    starts = [max(LINE_START, RAIL_X + 10 + half) for half in half_labels]
    right_edge = PLOT_WIDTH_PX - RIGHT_ROOM

    def slot_widths(gap: float) -> list[float]:
        return [max(2 * half + gap, CELL_W + ARROW_GAP) for half in half_labels]

    widths = slot_widths(LABEL_GAP)
    lines = _wrap(widths, starts, right_edge)
    if len(lines) > 1:
        narrow = slot_widths(MIN_LABEL_GAP)
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
    cells: list[Cell] = []
    for line_number, line in enumerate(lines):
        x = starts[line[0]]
        for position, i in enumerate(line):
            if position:
                x += (widths[line[position - 1]] + widths[i]) / 2 * stretch
            cells.append(Cell(x, top - line_number * line_px, half_labels[i], position == 0))
    return cells


def _line_count(cells: Sequence[Cell]) -> int:
    return len({cell.y for cell in cells}) or 1


def diagram_layout(
    source_labels: Sequence[str], input_labels: Sequence[str], output_labels: Sequence[str]
) -> DiagramLayout:
    """The layout for these labels: only the number of lines of each row depends on the sentence."""
    encoder_slots = [[label] for label in source_labels]
    decoder_slots = [[a, b] for a, b in zip(input_labels, output_labels, strict=True)]
    encoder_lines = _line_count(_pack(encoder_slots, 0, ENCODER_LINE_PX))
    decoder_lines = _line_count(_pack(decoder_slots, 0, DECODER_LINE_PX))
    height = (
        HEADING_PX
        + ENCODER_BELOW_HEADING
        + encoder_lines * ENCODER_LINE_PX
        + BAND_PX
        + HEADING_PX
        + DECODER_BELOW_HEADING
        + decoder_lines * DECODER_LINE_PX
    )
    encoder_top = height - HEADING_PX - ENCODER_BELOW_HEADING - CELL_H / 2
    last_token_y = encoder_top - (encoder_lines - 1) * ENCODER_LINE_PX - TOKEN_OFFSET
    band_y = last_token_y - BAND_BELOW_TOKENS
    decoder_heading_y = band_y - DECODER_HEADING_BELOW_BAND
    decoder_top = decoder_heading_y - OUTPUTS_BELOW_DECODER_HEADING - TOKEN_OFFSET - CELL_H / 2
    return DiagramLayout(
        height=height,
        encoder=_pack(encoder_slots, encoder_top, ENCODER_LINE_PX),
        decoder=_pack(decoder_slots, decoder_top, DECODER_LINE_PX),
        band_y=band_y,
        encoder_heading_y=height - HEADING_FROM_TOP,
        decoder_heading_y=decoder_heading_y,
    )
