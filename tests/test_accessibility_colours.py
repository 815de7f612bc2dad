"""The figures' colours stay readable with colour-vision deficiency, and nothing is told by colour alone.

Colour vision is simulated with the matrices of Machado, Oliveira and Fernandes (2009), "A
physiologically-based model for simulation of color vision deficiency" (IEEE TVCG 15(6)), at full
severity, applied to linear RGB. Differences are CIE76 ΔE in CIELAB (D65): about 2.3 is a just
noticeable difference; we ask for clearly more.
"""

import numpy as np
import pytest
from plotly.colors import sample_colorscale, unlabel_rgb

from rnn_demo.figures import rnn_charts
from rnn_demo.figures.bottleneck_chart import quality_by_length
from rnn_demo.figures.style import KEPT_COLOR, MOVED_COLOR
from rnn_demo.figures.word_by_word_chart import word_by_word_figure
from rnn_demo.training.translators import BOTTLENECK_TRANSLATORS, TRAINED_STYLES, WORD_BY_WORD

# Machado et al. 2009, table of simulation matrices, severity 1.0
MACHADO = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
}
VISIONS = ["normal", *MACHADO]
SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
WHITE_D65 = SRGB_TO_XYZ @ np.ones(3)


def to_linear(rgb: np.ndarray) -> np.ndarray:
    c = np.asarray(rgb, dtype=float) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb: np.ndarray, vision: str = "normal") -> np.ndarray:
    """CIELAB of sRGB colours (rows of 0-255 values) as a person with this vision sees them."""
    linear = to_linear(rgb)
    if vision != "normal":
        linear = np.clip(linear @ np.array(MACHADO[vision]).T, 0, 1)
    xyz = linear @ SRGB_TO_XYZ.T / WHITE_D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


def delta_e(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.linalg.norm(a - b, axis=-1)


def rgb(color: str) -> list[float]:
    if color.startswith("#"):
        return [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return list(unlabel_rgb(color))


def scale_colors(scale: list[list], points: np.ndarray) -> np.ndarray:
    """The colours a Plotly colour scale gives at these points of 0..1 (Plotly interpolates in RGB)."""
    return np.array([rgb(c) for c in sample_colorscale(scale, list(points))])


def test_the_simulation_matches_known_values():
    # an independent check of the implementation: white and greys stay as they are (each matrix row
    # sums to 1), and pure red and green, far apart for normal vision, nearly meet for a deuteranope
    for matrix in MACHADO.values():
        assert np.allclose(np.array(matrix).sum(axis=1), 1, atol=1e-3)
    grey = np.array([[128, 128, 128]])
    assert delta_e(lab(grey, "deuteranopia"), lab(grey))[0] < 0.5
    red, green = np.array([[255, 0, 0]]), np.array([[0, 160, 0]])
    assert delta_e(lab(red), lab(green))[0] > 80
    assert delta_e(lab(red, "deuteranopia"), lab(green, "deuteranopia"))[0] < 45
    assert abs(lab(np.array([[255, 255, 255]]))[0, 0] - 100) < 1e-6


@pytest.mark.parametrize("vision", VISIONS)
def test_the_activation_scale_tells_the_sign_and_the_size_of_a_state(vision):
    """Hidden states lie in -1..1 (zmid 0): a value and its negative must look clearly different, and
    every step of 0.1 along either side must be visible, for every kind of colour vision."""
    values = np.linspace(-1, 1, 21)
    colors = lab(scale_colors(rnn_charts.ACTIVATION_SCALE, (values + 1) / 2), vision)
    positive, negative = colors[11:], colors[:10][::-1]  # +0.1..+1 and -0.1..-1
    sign = delta_e(positive, negative)
    assert sign[1:].min() > 15, f"{vision}: ±v too alike: {np.round(sign, 1)}"
    zero = colors[10]
    for side in (positive, negative):
        steps = delta_e(np.vstack([zero, side[:-1]]), side)
        assert steps.min() > 3, f"{vision}: a step of 0.1 is hard to see: {np.round(steps, 1)}"
        lightness = np.concatenate([[zero[0]], side[:, 0]])
        assert np.all(np.diff(lightness) < 0), f"{vision}: {np.round(lightness, 1)}"  # larger is darker


@pytest.mark.parametrize("vision", VISIONS)
def test_the_probability_scale_grows_darker_with_the_probability(vision):
    """Probabilities and attention weights (0..1): lightness alone orders them, for every vision."""
    points = np.linspace(0, 1, 11)
    colors = lab(scale_colors(rnn_charts.PROBABILITY_SCALE, points), vision)
    lightness = colors[:, 0]
    assert np.all(np.diff(lightness) < -3), f"{vision}: {np.round(lightness, 1)}"
    assert lightness[0] - lightness[-1] > 60


@pytest.mark.parametrize("vision", VISIONS)
def test_crossing_lines_differ_from_the_others_in_more_than_colour(vision):
    figure = word_by_word_figure(
        ["Ich", "habe", "das", "Buch", "gelesen"],
        ["i", "have", "the", "book", "read"],
        ["I", "read", "the", "book"],
        [(0, 0), (4, 1), (2, 2), (3, 3)],
    )
    lines = {trace.name: trace.line for trace in figure.data if trace.name in ("moved", "kept")}
    assert set(lines) == {"moved", "kept"}
    assert (lines["moved"].dash or "solid") != (lines["kept"].dash or "solid")
    assert lines["moved"].width >= 2 * lines["kept"].width
    moved, kept = lab(np.array([rgb(MOVED_COLOR)]), vision), lab(np.array([rgb(KEPT_COLOR)]), vision)
    assert delta_e(moved, kept)[0] > 20


# The Bottleneck page's chart, and the chart of an uploaded corpus (word by word and the models trained)
CHARTS = {
    "shipped": [t.style for t in BOTTLENECK_TRANSLATORS],
    "your corpus": [WORD_BY_WORD.style, *TRAINED_STYLES],
}


@pytest.mark.parametrize("chart", CHARTS)
def test_each_translators_curve_has_its_own_line_and_marker(chart):
    styles = {f"translator {n}": style for n, style in enumerate(CHARTS[chart])}
    figure = quality_by_length(["3-5", "6-10"], {name: [50, 40] for name in styles}, styles, "t", "BLEU")
    looks = {(trace.line.dash or "solid", trace.marker.symbol or "circle") for trace in figure.data}
    assert len(looks) == len(styles)  # no two curves share dash and marker: colour is not needed
    assert all(trace.showlegend is not False for trace in figure.data)  # the legend names each


@pytest.mark.parametrize("chart", CHARTS)
@pytest.mark.parametrize("vision", MACHADO)
def test_the_translators_colours_stay_apart(chart, vision):
    colors = lab(np.array([rgb(style.color) for style in CHARTS[chart]]), vision)
    distances = [delta_e(a, b) for i, a in enumerate(colors) for b in colors[i + 1 :]]
    assert min(distances) > 12, f"{vision}: {np.round(distances, 1)}"
