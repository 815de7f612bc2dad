"""The look every figure shares: colours, the base layout, how wide text is, and safe text.

Figures are laid out in pixels for the wide page, which gives a chart about `PAGE_CHART_PX` across;
text widths are estimated from the font size (`text_px`), since Plotly cannot measure text for us.

>>> text_px("help", 15)
36.0
>>> clip("Donaudampfschifffahrtsgesellschaft")
'Donaudampfschifffah…'
"""

from __future__ import annotations

import html

import plotly.graph_objects as go

TEXT_COLOR = "#111827"
GLOSS_COLOR = "#495057"  # secondary text: glosses, axis labels, headings
UNKNOWN_COLOR = "#c92a2a"  # a word the dictionary or the model does not know
MOVED_COLOR = "#d9480f"  # orange: what moves (a crossing line), or what crosses (the context vector)
KEPT_COLOR = "#adb5bd"  # grey: a line that crosses nothing, a plain connection
GRID_COLOR = "#e9ecef"
FAINT_COLOR = "#c4c9cf"  # what has not happened yet at this step: drawn, but pale

PAGE_CHART_PX = 1000  # the width of a chart on the wide page
CHAR_WIDTH = 0.6  # average width of a character, in font sizes
MAX_LABEL_CHARS = 20  # longer typed words are cut with "…" (the hover shows them whole)

# White, still (no dragging: a lesson, not an analysis tool) and with a readable hover
BASE_LAYOUT = {
    "plot_bgcolor": "white",
    "paper_bgcolor": "white",
    "dragmode": False,
    "hoverlabel": {"font": {"size": 15}},
}


def safe_text(text: str) -> str:
    """Plotly renders a few HTML tags in text (<b>, <br>, <a>): typed text must stay plain."""
    return html.escape(text, quote=False)


def clip(label: str, max_chars: int = MAX_LABEL_CHARS) -> str:
    return label if len(label) <= max_chars else label[: max(max_chars - 1, 1)] + "…"


def text_px(label: str, font_size: float) -> float:
    """About how many pixels a label takes at this font size."""
    return len(label) * font_size * CHAR_WIDTH


def lines(
    xs: list[float | None], ys: list[float | None], name: str, color: str, width: float, dash: str = "solid"
) -> dict:
    """Plain lines through the points (None breaks a line), with no hover and no legend entry: a trace
    as a plain dict, which `add_trace` of a graph_objects figure takes too."""
    return {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "hoverinfo": "skip",
        "showlegend": False,
        "name": name,
        "line": {"color": color, "width": width, "dash": dash},
    }


def _scale_fonts(node: object, factor: float, inside_font: bool = False) -> object:
    if isinstance(node, dict):
        return {
            key: (
                value * factor
                if inside_font and key == "size" and isinstance(value, int | float)
                else value * factor
                if key == "font_size" and isinstance(value, int | float)
                else _scale_fonts(value, factor, inside_font=key.endswith("font"))
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_scale_fonts(item, factor, inside_font) for item in node]
    return node


def enlarged(figure: go.Figure | dict, factor: float) -> go.Figure:
    """The figure for a projector: every font `factor` times larger (a font with no size set gets
    Plotly's default of 12 px, scaled), and the figure as much taller, so labels keep their room."""
    spec = _scale_fonts(figure if isinstance(figure, dict) else figure.to_plotly_json(), factor)
    layout = spec.setdefault("layout", {})
    font = layout.setdefault("font", {})
    font.setdefault("size", 12 * factor)
    if "height" in layout:
        layout["height"] = layout["height"] * factor
    return go.Figure(spec)
