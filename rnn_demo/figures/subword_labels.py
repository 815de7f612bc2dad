"""Labels for figures with a column (or row) per subword piece: each piece readable, and the word it
belongs to visible.

A model that reads real text reads pieces of words (data/subwords.py), and a heatmap of its states
has a column per piece. The tick labels show the pieces as one splits a word by hand: the first piece
as it is, every later one after a hyphen ("hin", "-ge", "-fallen"). Beside the tick labels, a bracket
spans the pieces of every word that was split, with the whole word at its middle. A word of one
piece keeps its plain label and gets no bracket, so a figure of whole words looks as it always did.

    >>> piece_labels(["▁ich", "▁bin", "▁hin", "ge", "fallen", "▁."])
    ['ich', 'bin', 'hin', '-ge', '-fallen', '.']
    >>> word_groups(["ich", "bin", "hingefallen", "."], [0, 1, 2, 2, 2, 3])[2]
    WordGroup(word='hingefallen', first=2, last=4)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rnn_demo.figures import plain
from rnn_demo.figures.style import GLOSS_COLOR, clip, safe_text, text_px

WORD_START = "\u2581"  # the mark on a word's first piece (as in data/subwords.py)
CONTINUATION = "-"
BRACKET_GAP_PX = 6  # between the tick labels and the bracket
WORD_ROW_PX = 24  # the room the row of words takes under (or over) the tick labels


@dataclass(frozen=True)
class WordGroup:
    word: str  # the whole word, as the reader typed it
    first: int  # its first piece's column (or row)
    last: int  # its last piece's


def piece_labels(pieces: Sequence[str]) -> list[str]:
    """Readable labels: a word's first piece without its mark, a later piece after a hyphen."""
    return [piece[1:] if piece.startswith(WORD_START) else CONTINUATION + piece for piece in pieces]


def word_groups(words: Sequence[str], word_of_piece: Sequence[int]) -> list[WordGroup]:
    """For every word, the span of its pieces (`word_of_piece[i]` is the index of piece i's word)."""
    spans: dict[int, list[int]] = {}
    for position, word in enumerate(word_of_piece):
        spans.setdefault(word, []).append(position)
    return [WordGroup(words[word], span[0], span[-1]) for word, span in spans.items()]


def tick_label_px(labels: Sequence[str], font_size: float, angle: float) -> float:
    """About how far tick labels reach out from their axis, slanted by `angle` degrees (0: level)."""
    widest = max((text_px(label, font_size) for label in labels), default=0.0)
    radians = math.radians(angle)
    return abs(math.sin(radians)) * widest + abs(math.cos(radians)) * font_size * 1.3


def add_word_labels(
    figure: dict, groups: Sequence[WordGroup], side: str, labels_px: float, font_size: float = 13
) -> None:
    """Draw a bracket and the whole word beside the tick labels of every word of two or more pieces,
    and widen the figure's margin on that side (and the figure) to make room; nothing for whole words.

    `side` is where the tick labels are: "bottom" or "top" (a column per piece) or "left" (a row per
    piece); `labels_px` how far they reach (`tick_label_px`).
    """
    split = [group for group in groups if group.last > group.first]
    offset = labels_px + BRACKET_GAP_PX  # pixels out from the plot's edge
    line = {"color": GLOSS_COLOR, "width": 1.5}
    font = {"size": font_size, "color": GLOSS_COLOR}
    for group in split:
        low, high, middle = group.first - 0.4, group.last + 0.4, (group.first + group.last) / 2
        word = safe_text(clip(group.word))
        if side == "left":  # a vertical bracket left of the row labels, the word left of it
            plain.add_shape(
                figure,
                type="line",
                xref="paper",
                xsizemode="pixel",
                xanchor=0,
                x0=-offset,
                x1=-offset,
                yref="y",
                y0=low,
                y1=high,
                line=line,
            )
            plain.add_annotation(
                figure,
                xref="paper",
                x=0,
                xanchor="right",
                xshift=-offset - 4,
                yref="y",
                y=middle,
                text=word,
                showarrow=False,
                font=font,
            )
            continue
        edge, sign, anchor = (0, -1, "top") if side == "bottom" else (1, 1, "bottom")  # below or above
        plain.add_shape(
            figure,
            type="line",
            yref="paper",
            ysizemode="pixel",
            yanchor=edge,
            y0=sign * offset,
            y1=sign * offset,
            xref="x",
            x0=low,
            x1=high,
            line=line,
        )
        plain.add_annotation(
            figure,
            xref="x",
            x=middle,
            yref="paper",
            y=edge,
            yanchor=anchor,
            yshift=sign * (offset + 2),
            text=word,
            showarrow=False,
            font=font,
        )
    if not split:
        return
    # The words lie beyond the tick labels, where Plotly makes no room by itself: the margin must hold both
    widest = max(text_px(clip(group.word), font_size) for group in split)
    room = offset + (WORD_ROW_PX if side != "left" else 4 + widest)
    margin = {"bottom": "b", "top": "t", "left": "l"}[side]
    layout = figure["layout"]
    margins = layout.setdefault("margin", {})
    grown = max(room - (margins.get(margin) or 0), 0)
    margins[margin] = (margins.get(margin) or 0) + grown
    if layout.get("height") is not None and side != "left":
        layout["height"] = layout["height"] + grown
