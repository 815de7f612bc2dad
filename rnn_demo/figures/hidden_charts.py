"""Figures of the encoder's hidden space across many sentences: each sentence's path through it on a
2-D map (PCA), and the sentences whose final states lie nearest to a chosen one.

Pure functions of tokens and states (one (T_i, H) array per sentence, from
`translate.encoder_states_batch`); the page shows what they return. Text goes through `safe_text`.

>>> import numpy as np
>>> states = [np.array([[0.0, 0.0], [1.0, 0.0]]), np.array([[0.0, 1.0]]), np.array([[3.0, 0.0]])]
>>> [(row["sentence"], round(row["distance"], 3)) for row in nearest_sentences(["a b", "c", "d"], states, 0)]
[('c', 1.414), ('d', 2.0)]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative

from rnn_demo.core import hidden_space
from rnn_demo.core.text import is_word
from rnn_demo.figures.style import BASE_LAYOUT, GLOSS_COLOR, GRID_COLOR, TEXT_COLOR, clip, safe_text, text_px

# Plotly's Dark24 (colours that read on white), reordered so that the first dozen differ clearly;
# a sentence past the 24th reuses a colour, with a dotted line
SENTENCE_COLORS = [
    qualitative.Dark24[i]
    for i in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 22, 23)
]
_LABEL_FONT = 11  # token labels: small, and only where they are clear (the hover names every token)
_LEGEND_FONT = 12
_LABEL_CHARS = 14
_TOKEN_MARKER, _CONTEXT_MARKER = 7, 16  # marker diameters in px

# Laid out in pixels for the chart width of the wide page beside the sidebar on a 1280 px screen;
# a wider page only gives the labels more room. The legend runs below the map, in two columns.
CHART_WIDTH_PX = 780
MAP_HEIGHT_PX = 520  # the plot area
_MARGIN = {"l": 64, "r": 10, "t": 44}
_AXIS_TITLE_PX = 50  # below the plot: tick labels and the x-axis title
_LEGEND_ROW = 1.7  # a legend row's height, in font sizes
_LEGEND_SYMBOL_PX = 48  # a legend entry's line-and-marker sample and its gap


def token_map(states: Sequence[np.ndarray]) -> hidden_space.PCA:
    """The 2-D map: PCA fitted on the state after every token of every sentence, (sum T_i, H)."""
    return hidden_space.pca(np.concatenate([np.asarray(s, dtype=float) for s in states]), k=2)


# --- where the token labels go --------------------------------------------------------------------
# Plotly has no label placement of its own: on a map of a hundred tokens, labels all put in one place
# pile into an unreadable heap and lie across the lines. So each label gets the first of a few places
# around its marker that is clear of the labels placed before it, of other markers and of the lines,
# or no label at all; the hover still names every token.


# Plotly's text positions in order of preference, as directions from the marker
_PLACES = {
    "top center": (0, 1),
    "bottom center": (0, -1),
    "middle right": (1, 0),
    "middle left": (-1, 0),
    "top right": (1, 1),
    "top left": (-1, 1),
    "bottom right": (1, -1),
    "bottom left": (-1, -1),
}
_DIRECTIONS = np.array(list(_PLACES.values()), dtype=float)  # (P, 2)


def _overlaps(centres: np.ndarray, half: np.ndarray, others: np.ndarray, others_half: np.ndarray):
    """Which of P boxes (centres (P, 2), half sizes (2,)) overlap any of M boxes ((M, 2), (M, 2))."""
    apart = np.abs(centres[:, None, :] - others[None, :, :]) >= half + others_half[None, :, :]  # (P, M, 2)
    return ~apart.any(axis=2).all(axis=1) if len(others) else np.zeros(len(centres), dtype=bool)


def _crosses(centres: np.ndarray, half: np.ndarray, starts: np.ndarray, ends: np.ndarray):
    """Which of P boxes does any of S segments (starts, ends (S, 2)) pass through? Each segment
    start + t (end - start), t in 0..1, is clipped to the box one axis at a time (the slab method)."""
    if not len(starts):
        return np.zeros(len(centres), dtype=bool)
    low = np.zeros((len(centres), len(starts)))  # (P, S): the part of each segment inside the box
    high = np.ones((len(centres), len(starts)))
    for axis in range(2):
        step = ends[:, axis] - starts[:, axis]  # (S,)
        edges = centres[:, axis, None] + np.array([-1.0, 1.0]) * half[axis]  # (P, 2)
        moving = np.abs(step) > 1e-12
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (edges[:, None, :] - starts[None, :, axis, None]) / step[None, :, None]  # (P, S, 2)
        inside = np.abs(starts[None, :, axis] - centres[:, axis, None]) < half[axis]  # a still axis: (P, S)
        entry, leave = np.minimum(t[..., 0], t[..., 1]), np.maximum(t[..., 0], t[..., 1])  # (P, S)
        low = np.maximum(low, np.where(moving, entry, np.where(inside, -np.inf, np.inf)))
        high = np.minimum(high, np.where(moving, leave, np.where(inside, np.inf, -np.inf)))
    return (low < high).any(axis=1)


def _place_labels(
    points_px: np.ndarray,
    labels: Sequence[str],
    sizes: np.ndarray,
    segments: Sequence[tuple[int, int]],
    order: Sequence[int],
    font: float,
) -> list[str | None]:
    """A text position for each point's label, or None. Points (N, 2) in pixels are visited in
    `order`, most important first; `segments` are the lines drawn, as pairs of point indices."""
    places = list(_PLACES)
    marker_half = np.repeat(sizes[:, None] / 2 + 1, 2, axis=1)  # (N, 2)
    starts = points_px[[a for a, _ in segments]].reshape(-1, 2)  # (S, 2)
    ends = points_px[[b for _, b in segments]].reshape(-1, 2)
    segment_low, segment_high = np.minimum(starts, ends), np.maximum(starts, ends)  # (S, 2) bounding boxes
    placed = np.zeros((0, 2)), np.zeros((0, 2))  # the labels placed so far: centres, half sizes
    positions: list[str | None] = [None] * len(labels)
    for i in order:
        half = np.array([text_px(labels[i], font) / 2 + 1, 0.6 * font])  # (2,)
        gap = sizes[i] / 2 + 1  # Plotly leaves about this much between a marker's centre and its text
        centres = points_px[i] + _DIRECTIONS * (gap + half)  # (P, 2): every place around the marker
        # Only what comes within reach of these places can be in the way: test that alone
        low, high = points_px[i] - gap - 2 * half, points_px[i] + gap + 2 * half  # (2,)
        near_markers = np.all((points_px + marker_half > low) & (points_px - marker_half < high), axis=1)
        near_markers[i] = False
        near_segments = np.all((segment_high > low) & (segment_low < high), axis=1)
        clear = ~(
            _overlaps(centres, half, *placed)
            | _overlaps(centres, half, points_px[near_markers], marker_half[near_markers])
            | _crosses(centres, half, starts[near_segments], ends[near_segments])
        )
        if clear.any():
            best = int(np.argmax(clear))  # the first clear place in the order of preference
            placed = np.vstack([placed[0], centres[best]]), np.vstack([placed[1], half])
            positions[i] = places[best]
    return positions


def _padded_range(values: np.ndarray, share: float = 0.06) -> list[float]:
    low, high = float(values.min()), float(values.max())
    pad = max(share * (high - low), 0.5)  # room for the labels at the edges, and for a single point
    return [low - pad, high + pad]


# --- the map --------------------------------------------------------------------------------------


def trajectory_figure(
    sentences: Sequence[str],
    tokens: Sequence[Sequence[str]],
    states: Sequence[np.ndarray],
    scale: float = 1.0,
) -> go.Figure:
    """Each sentence's path through the encoder's hidden space, token by token, on the 2-D PCA map
    fitted on all of their token states: one line with markers per sentence, each marker the state
    after a token (labelled with it where there is room), the last and larger one its context vector
    (labelled with the sentence's number in the legend).

    `sentences` name the paths in the legend and the hover; `tokens[i]` labels the rows of
    `states[i]` (T_i, H). `scale` enlarges every font for a projector. It is applied here rather than
    with `charts.enlarged`, because the labels, the legend and the margins are laid out from the font
    sizes in pixels.
    """
    if not (len(sentences) == len(tokens) == len(states)) or not sentences:
        raise ValueError("need one or more sentences, each with its tokens and states")
    for words, sentence_states in zip(tokens, states, strict=True):
        if len(words) != len(sentence_states) or len(words) == 0:
            raise ValueError(f"{len(words)} tokens for {len(sentence_states)} states")
    fitted = token_map(states)
    coordinates = fitted.projection  # (sum T_i, 2), the sentences one after another
    starts = np.cumsum([0] + [len(words) for words in tokens])  # sentence n is rows starts[n]:starts[n+1]
    count = len(sentences)

    # One unit is as long across as up (so the map does not stretch distances), and the map is as big
    # as the plot area allows
    x_range, y_range = _padded_range(coordinates[:, 0]), _padded_range(coordinates[:, 1])
    plot_width = CHART_WIDTH_PX - _MARGIN["l"] - _MARGIN["r"]
    map_height = MAP_HEIGHT_PX * scale
    px_per_unit = min(plot_width / (x_range[1] - x_range[0]), map_height / (y_range[1] - y_range[0]))

    # A context vector is labelled with its sentence's number, a word with itself; punctuation is
    # left unlabelled (a lone "," or "." says little). Context vectors are placed first, then every
    # sentence's first word, then every sentence's second word, and so on.
    is_context = np.zeros(len(coordinates), dtype=bool)
    is_context[starts[1:] - 1] = True
    labels = [clip(token, _LABEL_CHARS) for words in tokens for token in words]
    for n, last in enumerate(starts[1:] - 1):
        labels[last] = str(n + 1)
    sizes = np.where(is_context, _CONTEXT_MARKER, _TOKEN_MARKER)
    position_in_sentence = np.concatenate([np.arange(len(words)) for words in tokens])
    order = sorted(
        (i for i in range(len(labels)) if is_context[i] or is_word(labels[i])),
        key=lambda i: (not is_context[i], position_in_sentence[i]),
    )
    segments = [(i, i + 1) for n in range(count) for i in range(starts[n], starts[n + 1] - 1)]
    positions = _place_labels(coordinates * px_per_unit, labels, sizes, segments, order, _LABEL_FONT * scale)
    texts = [
        "" if position is None else f"<b>{label}</b>" if context else safe_text(label)
        for label, position, context in zip(labels, positions, is_context, strict=True)
    ]

    legend_font = _LEGEND_FONT * scale
    # Streamlit's font is narrower than the 0.6 em a label is allowed: about 0.5 em a character
    legend_chars = int((plot_width / 2 - _LEGEND_SYMBOL_PX) / (legend_font * 0.52)) - len(f"{count}. ")
    figure = go.Figure()
    for n, (sentence, words) in enumerate(zip(sentences, tokens, strict=True)):
        rows = slice(starts[n], starts[n + 1])
        color = SENTENCE_COLORS[n % len(SENTENCE_COLORS)]
        last = len(words) - 1
        hover_sentence = safe_text(clip(sentence, 80))
        figure.add_trace(
            go.Scatter(
                x=coordinates[rows, 0].tolist(),
                y=coordinates[rows, 1].tolist(),
                mode="lines+markers+text",
                name=f"{n + 1}. {safe_text(clip(sentence, legend_chars))}",
                line={"color": color, "width": 1.8, "dash": "solid" if n < len(SENTENCE_COLORS) else "dot"},
                marker={
                    "color": color,
                    "size": [_CONTEXT_MARKER if t == last else _TOKEN_MARKER for t in range(last + 1)],
                    "symbol": ["diamond" if t == last else "circle" for t in range(last + 1)],
                    "line": {"color": "white", "width": 1},
                },
                text=texts[rows],
                textposition=[position or "top center" for position in positions[rows]],
                textfont={"size": _LABEL_FONT * scale, "color": color},
                customdata=[
                    f"<b>{safe_text(clip(token, 40))}</b> (token {t + 1} of {last + 1}"
                    + (": the context vector)" if t == last else ")")
                    for t, token in enumerate(words)
                ],
                hovertemplate=f"%{{customdata}}<br>{n + 1}. {hover_sentence}<extra></extra>",
            )
        )

    variance = fitted.explained_variance_ratio
    legend_px = (math.ceil(count / 2) + 1) * _LEGEND_ROW * legend_font  # the rows, and the legend title
    bottom = _AXIS_TITLE_PX * scale + legend_px
    top = _MARGIN["t"] * scale

    def axis(name: str, share: float, value_range: list[float]) -> dict:
        return {
            "title": {"text": f"{name} ({100 * share:.0f}% of variance)", "font": {"size": 14 * scale}},
            "range": value_range,
            "fixedrange": True,
            "gridcolor": GRID_COLOR,
            "zeroline": False,
            "tickfont": {"size": 12 * scale, "color": GLOSS_COLOR},
        }

    figure.update_layout(
        title={
            "text": "Paths through the encoder's hidden states (◆ = context vector)",
            "font": {"size": 16 * scale, "color": TEXT_COLOR},
            "x": 0,
            "xanchor": "left",
        },
        height=round(top + map_height + bottom),
        margin={**_MARGIN, "t": top, "b": bottom},
        font={"size": 13 * scale, "color": TEXT_COLOR},
        legend={
            "title": {
                "text": "Sentences (click one to hide it)",
                "font": {"size": legend_font},
                "side": "top",
            },
            "font": {"size": legend_font},
            "orientation": "h",
            "entrywidth": 0.5,  # two columns
            "entrywidthmode": "fraction",
            "itemsizing": "constant",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
        },
        hovermode="closest",
        xaxis=axis("PC1", variance[0], x_range),
        yaxis={**axis("PC2", variance[1], y_range), "scaleanchor": "x", "scaleratio": 1},
        **BASE_LAYOUT,
    )
    return figure


# --- nearest sentences ----------------------------------------------------------------------------


def nearest_sentences(
    sentences: Sequence[str], states: Sequence[np.ndarray], chosen: int, n: int = 5
) -> list[dict[str, object]]:
    """The n sentences whose final hidden state (context vector) is nearest to that of sentence
    `chosen`, nearest first, as table rows: {"sentence": ..., "distance": Euclidean, in all H units}."""
    final_states = np.stack([np.asarray(s, dtype=float)[-1] for s in states])  # (N, H)
    return [
        {"sentence": sentences[i], "distance": distance}
        for i, distance in hidden_space.nearest(final_states, chosen, n)
    ]


def typical_distance(states: Sequence[np.ndarray]) -> float:
    """The median distance between the final hidden states of two different sentences: a yardstick
    for the distances in the nearest-sentence table."""
    final_states = np.stack([np.asarray(s, dtype=float)[-1] for s in states])  # (N, H)
    first, second = np.triu_indices(len(final_states), k=1)  # every pair once
    distances = np.linalg.norm(final_states[first] - final_states[second], axis=1)  # (N(N-1)/2,)
    return float(np.median(distances)) if len(distances) else 0.0
