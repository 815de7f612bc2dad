"""Figures as plain dicts in Plotly's own JSON form: the figures that a click on a page redraws.

Building a figure through `plotly.graph_objects` checks every property as it is set: 10 to 50 ms for
one of our figures, against about 1 ms for the same dict. Plotly's check of these dicts gives back the
same JSON (tests/test_plain_figures.py), so the pages show them without it (`app.widgets.chart`).
Only what our figures use: traces, axes (subplots in one column), shapes, annotations, the layout.

>>> figure = subplot_rows(2, vertical_spacing=0.2)
>>> figure["layout"]["yaxis2"]
{'anchor': 'x2', 'domain': [0.0, 0.4]}
>>> update_xaxes(figure, range=[0, 1], tickmode=None)  # None leaves a property unset, as in Plotly
>>> figure["layout"]["xaxis2"]
{'anchor': 'y2', 'domain': [0.0, 1.0], 'range': [0, 1]}
"""

from __future__ import annotations

import functools
import re

import numpy as np
from _plotly_utils.basevalidators import is_homogeneous_array
from _plotly_utils.utils import is_skipped_key, to_typed_array_spec
from plotly.basedatatypes import BaseFigure

# values that are never arrays (a numpy scalar neither, to Plotly)
_SCALARS = (str, int, float, bool, type(None), np.generic)


def figure(*data: dict, **layout) -> dict:
    """A figure of these traces; `layout` as `update_layout` takes it."""
    spec = {"data": [_without_none(trace) for trace in data], "layout": {}}
    update_layout(spec, **layout)
    return spec


def heatmap(**props) -> dict:
    return {"type": "heatmap", **props}


def colorscale(name: str) -> list[list]:
    """A named colour scale as Plotly's check spells it out in a figure (a dict is not checked)."""
    import plotly.graph_objects as go  # once per scale, at import time of the figures that use it

    return [list(stop) for stop in go.Heatmap(colorscale=name).colorscale]


def _suffix(row: int) -> str:
    return "" if row == 1 else str(row)


def subplot_rows(rows: int, vertical_spacing: float) -> dict:
    """An empty figure of `rows` subplots in one column, top to bottom, laid out as Plotly's
    `make_subplots(rows=rows, cols=1, vertical_spacing=...)` lays them out."""
    height = (1.0 - vertical_spacing * (rows - 1)) / rows
    layout = {}
    for row in range(1, rows + 1):
        below = rows - row  # the rows under this one; Plotly adds their heights up one by one
        bottom = sum([height] * below) + below * vertical_spacing
        layout[f"xaxis{_suffix(row)}"] = {"anchor": f"y{_suffix(row)}", "domain": [0.0, 1.0]}
        top = bottom + height
        # Plotly puts an end a rounding error outside 0..1 back on the edge
        domain = [min(max(end, 0.0), 1.0) for end in (bottom, top)]
        layout[f"yaxis{_suffix(row)}"] = {"anchor": f"x{_suffix(row)}", "domain": domain}
    return {"data": [], "layout": layout}


def _without_none(value):
    """Plotly leaves a property set to None out; a None inside a list of points stays (it breaks a line)."""
    if isinstance(value, dict):
        return {key: _without_none(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_none(item) if isinstance(item, dict) else item for item in value]
    return value


def _merge(target: dict, props: dict) -> None:
    """Plotly's update: nested dicts merge into what is there, anything else replaces it."""
    for key, value in props.items():
        if value is None:
            continue
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = _without_none(value)


def update_layout(spec: dict, **props) -> None:
    _merge(spec["layout"], props)


def _update_axes(spec: dict, letter: str, row: int | None, props: dict) -> None:
    layout = spec["layout"]
    if row is not None:
        names = [f"{letter}axis{_suffix(row)}"]
    else:
        names = [name for name in layout if re.fullmatch(rf"{letter}axis\d*", name)] or [f"{letter}axis"]
    for name in names:
        _merge(layout.setdefault(name, {}), props)


def update_xaxes(spec: dict, row: int | None = None, **props) -> None:
    """Plotly's `update_xaxes`: the x axis of one subplot's row, or every x axis."""
    _update_axes(spec, "x", row, props)


def update_yaxes(spec: dict, row: int | None = None, **props) -> None:
    _update_axes(spec, "y", row, props)


def add_trace(spec: dict, trace: dict, row: int | None = None) -> None:
    if row is not None:
        trace = {**trace, "xaxis": f"x{_suffix(row)}", "yaxis": f"y{_suffix(row)}"}
    spec["data"].append(_without_none(trace))


def add_shape(spec: dict, row: int | None = None, **shape) -> None:
    if row is not None:
        shape = {**shape, "xref": f"x{_suffix(row)}", "yref": f"y{_suffix(row)}"}
    spec["layout"].setdefault("shapes", []).append(_without_none(shape))


def add_annotation(spec: dict, **annotation) -> None:
    spec["layout"].setdefault("annotations", []).append(_without_none(annotation))


def as_sent(spec: dict) -> dict:
    """The figure as Plotly's `Figure.to_dict` hands it to st.plotly_chart: numpy arrays as typed
    arrays, and the default template in the layout. Changes `spec` in place: give it one just built."""
    import plotly.io as pio

    typed_arrays(spec)
    if "template" not in spec["layout"] and pio.templates.default is not None:
        spec["layout"]["template"] = _template(pio.templates.default)
    return spec


class SentFigure(BaseFigure):
    """A figure that is nothing but its dict as st.plotly_chart sends it: `to_dict`, all that
    st.plotly_chart asks of a figure (`to_plotly_json` too), hands it out, so neither Plotly's check of
    every property nor its copy of the figure runs. Nobody changes it."""

    def __init__(self, sent: dict) -> None:  # no BaseFigure.__init__: that alone takes 3 ms
        object.__setattr__(self, "_sent", sent)

    def to_dict(self) -> dict:
        return self._sent


def typed_arrays(value: object) -> None:
    """Plotly's `convert_to_base64`, which `to_dict` calls: every array that is a dict's value (not
    under a skipped key such as "range") becomes a typed array, in place. The same arrays converted,
    but without asking each of a heatmap's thousands of numbers and labels whether it is an array
    (most of a step click's new figures' time)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, _SCALARS) or is_skipped_key(key):
                continue
            if isinstance(item, (dict, list, tuple)):
                typed_arrays(item)
            elif is_homogeneous_array(item):
                value[key] = to_typed_array_spec(item)
    elif isinstance(value, (list, tuple)):  # Plotly leaves an array that is an item of a list as it is
        for item in value:
            if isinstance(item, (dict, list, tuple)):
                typed_arrays(item)


@functools.cache
def _template(name: str) -> dict:
    import plotly.io as pio

    return pio.templates[name].to_plotly_json()
