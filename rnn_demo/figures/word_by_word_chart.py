"""The Word-by-word page's diagram (figure 3.3 of the book): the German words, their glosses, the
correct English, and a line from each German word to where its meaning lands.

>>> figure = word_by_word_figure(["Das", "Haus"], ["the", "house"], ["The", "house"], [(0, 0), (1, 1)])
>>> [trace.name for trace in figure.data]
['kept', 'moved', 'German', 'Word by word', 'Correct English']
>>> crossing_links([(0, 1), (1, 0), (2, 2)])  # the first two words swap places
{0, 1}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from rnn_demo.core.text import is_punctuation
from rnn_demo.figures.style import (
    BASE_LAYOUT,
    CHAR_WIDTH,
    GLOSS_COLOR,
    KEPT_COLOR,
    MOVED_COLOR,
    TEXT_COLOR,
    UNKNOWN_COLOR,
    lines,
    safe_text,
)

# The wide page gives a chart about 1,000 px; after the row labels, about 780 px hold the words.
_WORD_AREA_PX = 780
_GAP_CHARS = 1.6  # space between neighbouring words, in characters
_LARGEST_FONT, _SMALLEST_ROW_FONT = 22, 15  # below 15 px a sentence is drawn as two columns instead


def crossing_links(alignment: Sequence[tuple[int, int]]) -> set[int]:
    """Positions in `alignment` of the links (german, english) that cross at least one other link.

    Two links cross when their German order and their English order disagree; links that share a
    word do not cross.
    """
    return {i for i, (g1, e1) in enumerate(alignment) for g2, e2 in alignment if (g1 - g2) * (e1 - e2) < 0}


@dataclass(frozen=True)
class _Layout:
    """Where the tokens go. Rows: German on top, English below; columns: German left, English right."""

    horizontal: bool
    font_size: int
    german: list[tuple[float, float]]  # (x, y) of each German token
    english: list[tuple[float, float]]
    width: float  # extent of the word area along the sentence, in plot units


def _row_layout(german: Sequence[str], glosses: Sequence[str], english: Sequence[str]) -> _Layout | None:
    """Words side by side, spaced by their length; None if the font would be too small to read."""
    german_widths = [
        max(len(token), len(gloss)) + _GAP_CHARS for token, gloss in zip(german, glosses, strict=True)
    ]
    english_widths = [len(token) + _GAP_CHARS for token in english]
    characters = max(sum(german_widths), sum(english_widths), 1)
    font_size = min(_LARGEST_FONT, int(_WORD_AREA_PX / (characters * CHAR_WIDTH)))
    if font_size < _SMALLEST_ROW_FONT:
        return None

    def centres(widths: list[float]) -> list[float]:
        offset = (characters - sum(widths)) / 2  # centre the shorter row under the longer one
        positions, left = [], offset
        for width in widths:
            positions.append(left + width / 2)
            left += width
        return positions

    return _Layout(
        True,
        font_size,
        [(x, 1.0) for x in centres(german_widths)],
        [(x, 0.0) for x in centres(english_widths)],
        characters,
    )


def _column_layout(german: Sequence[str], english: Sequence[str]) -> _Layout:
    """Long sentences: one word a line, German (with its gloss) on the left, English on the right."""
    rows = max(len(german), len(english), 1)

    def centres(count: int) -> list[float]:
        offset = (rows - count) / 2
        return [-(offset + i) for i in range(count)]

    return _Layout(
        False, 16, [(0.25, y) for y in centres(len(german))], [(0.98, y) for y in centres(len(english))], rows
    )


def word_by_word_figure(
    german: Sequence[str],
    glosses: Sequence[str | None],
    english: Sequence[str] | None,
    alignment: Sequence[tuple[int, int]] | None,
) -> go.Figure:
    """The German words, the dictionary's gloss under each, the correct English, and lines from each
    German word to where its meaning lands; lines that cross are highlighted (figure 3.3 of the book).

    `glosses` has one entry per German token: a gloss, None for an unknown word, or the punctuation
    itself. With `english` None, only the German words and their glosses are drawn.
    """
    gloss_labels = [
        "" if is_punctuation(token) else "?" if gloss is None else gloss
        for token, gloss in zip(german, glosses, strict=True)
    ]
    english = list(english or [])
    layout = _row_layout(german, gloss_labels, english) or _column_layout(german, english)
    font = layout.font_size
    unknown = [
        gloss is None and not is_punctuation(token) for token, gloss in zip(german, glosses, strict=True)
    ]

    # Where a line leaves a German word (below its gloss, or right of it) and reaches an English one
    if layout.horizontal:
        gloss_xy = [(x, y - 0.3) for x, y in layout.german]
        line_start = [(x, y - 0.47) for x, y in layout.german]
        line_end = [(x, y + 0.13) for x, y in layout.english]
    else:  # German right-aligned, its gloss left-aligned beside it, English left-aligned
        gloss_xy = [(x + 0.03, y) for x, y in layout.german]
        line_start = [(x + 0.3, y) for x, y in layout.german]
        line_end = [(x - 0.03, y) for x, y in layout.english]

    figure = go.Figure()
    links = list(alignment or []) if english else []
    moved = crossing_links(links)
    for is_moved in (False, True):  # moved lines last, so they are drawn on top
        xs: list[float | None] = []
        ys: list[float | None] = []
        for i, (g, e) in enumerate(links):
            if (i in moved) == is_moved:
                xs += [line_start[g][0], line_end[e][0], None]
                ys += [line_start[g][1], line_end[e][1], None]
        # told apart without colour too: a crossing line is thick and solid, the others thin and dotted
        color, width, dash = (MOVED_COLOR, 3.5, "solid") if is_moved else (KEPT_COLOR, 1.5, "dot")
        figure.add_trace(lines(xs, ys, "moved" if is_moved else "kept", color, width, dash))

    # in a column layout German text ends at its point; glosses and English begin at theirs
    anchor = "middle center" if layout.horizontal else "middle right"
    figure.add_trace(
        _words(
            layout.german,
            german,
            "German",
            "middle center" if layout.horizontal else "middle left",
            {
                "size": font + 1,
                "color": [UNKNOWN_COLOR if u else TEXT_COLOR for u in unknown],
                "weight": "bold",
            },
            hovertext=[
                f"{safe_text(token)} → {safe_text(label) or '(punctuation)'}"
                for token, label in zip(german, gloss_labels, strict=True)
            ],
        )
    )
    gloss_colors = [UNKNOWN_COLOR if u else GLOSS_COLOR for u in unknown]
    italic = {"size": font, "style": "italic", "color": gloss_colors}
    figure.add_trace(_words(gloss_xy, gloss_labels, "Word by word", anchor, italic))
    if english:
        bold = {"size": font + 1, "color": TEXT_COLOR, "weight": "bold"}
        figure.add_trace(_words(layout.english, english, "Correct English", anchor, bold))

    _label_rows(figure, layout, has_english=bool(english), has_moves=bool(moved))
    return figure


def _words(
    positions: Sequence[tuple[float, float]],
    texts: Sequence[str],
    name: str,
    textposition: str,
    textfont: dict,
    hovertext: list[str] | None = None,
) -> go.Scatter:
    """A row (or column) of words drawn as text at the given points; hover only with `hovertext`."""
    return go.Scatter(
        x=[x for x, _ in positions],
        y=[y for _, y in positions],
        mode="text",
        name=name,
        text=[safe_text(text) for text in texts],
        textposition=textposition,
        textfont=textfont,
        hovertext=hovertext,
        hoverinfo="skip" if hovertext is None else "text",
        showlegend=False,
    )


def _label_rows(figure: go.Figure, layout: _Layout, has_english: bool, has_moves: bool) -> None:
    label_font = {"size": 14, "color": GLOSS_COLOR}
    if layout.horizontal:
        rows = [("German", 1.0), ("Word by word", 0.7)] + ([("Correct English", 0.0)] if has_english else [])
        for text, y in rows:
            figure.add_annotation(
                x=0,
                xref="paper",
                xanchor="right",
                xshift=-12,
                y=y,
                yref="y",
                text=f"<b>{text}</b>",
                showarrow=False,
                font=label_font,
            )
        x_range = [-0.5, layout.width + 0.5]
        # without an English row, the note about it takes that row's place
        y_range = [-0.35, 1.3] if has_english else [0.2, 1.3]
        height = 300 if has_english else 210
    else:
        columns = [("German", 0.25, "right"), ("Word by word", 0.28, "left")]
        columns += [("Correct English", 0.98, "left")] if has_english else []
        for text, x, side in columns:
            figure.add_annotation(
                x=x, y=0.9, xanchor=side, text=f"<b>{text}</b>", showarrow=False, font=label_font
            )
        x_range = [-0.02, 1.4]
        y_range = [-layout.width + 0.4, 1.4]
        height = int(28 * layout.width + 110)
    if not has_english:
        figure.add_annotation(
            x=0.5,
            xref="paper",
            y=0.02,
            yref="paper",
            showarrow=False,
            font={"size": 15, "color": GLOSS_COLOR},
            text="No reference translation is known for this sentence, so there is nothing to draw lines to.",
        )
    elif has_moves:
        figure.add_annotation(
            x=1,
            xref="paper",
            xanchor="right",
            y=1.0,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            font={"size": 14, "color": GLOSS_COLOR},
            text=f"<span style='color:{MOVED_COLOR}'><b>━━ crossing line</b></span>: this word has to move "
            f"— a dictionary lookup cannot do that   <span style='color:{KEPT_COLOR}'><b>┈┈┈</b></span> "
            "(dotted) stays in place",
        )
    figure.update_xaxes(visible=False, range=x_range, fixedrange=True)
    figure.update_yaxes(visible=False, range=y_range, fixedrange=True)
    figure.update_layout(
        height=height,
        margin={"l": 150 if layout.horizontal else 10, "r": 10, "t": 36, "b": 10},
        **BASE_LAYOUT,
    )
