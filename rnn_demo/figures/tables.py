"""The text equivalent of a figure: every heatmap of it as a table, so that what the colours say can
be read without colour vision, by a screen reader or from the keyboard (a Plotly chart cannot be
reached by the keyboard: plotly.js#562).

A table reads the figure as it is sent (a plain dict in Plotly's JSON form): the cells are the
heatmap's values (or, where the heatmap writes a text in each cell, that text and the value), the
columns and rows are named by the axes' tick labels where the axes have them, else by the x and y
values; a figure can name them itself in a heatmap's `meta` ({"rows": [...], "columns": [...]}).
A heatmap of one row is turned on its side (one row per cell).

>>> spec = {"data": [{"type": "heatmap", "z": [[0.5, -1.0], [0.25, 0]], "x": [0, 1], "y": [0, 1]}],
...         "layout": {"xaxis": {"tickvals": [0, 1], "ticktext": ["<b>ich</b>", "du"]}}}
>>> [(title, table.to_dict("list")) for title, table in heatmap_tables(spec)]
[('heatmap', {'row': ['0', '1'], 'ich': [0.5, 0.25], 'du': [-1.0, 0.0]})]
"""

from __future__ import annotations

import base64
import html
import re

import numpy as np
import pandas as pd

_TAG = re.compile(r"<[^>]+>")


def plain_label(label: object) -> str:
    """A tick label as text: Plotly's few HTML tags dropped, entities read ("&lt;eos&gt;" → "<eos>")."""
    return html.unescape(_TAG.sub(" ", str(label))).strip()


def as_array(array: object) -> np.ndarray:
    """An array of a figure as sent: a list, or Plotly's typed array ({"dtype", "bdata", "shape"})."""
    if isinstance(array, dict) and "bdata" in array:
        flat = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
        shape = [int(n) for n in str(array.get("shape", len(flat))).split(",")]
        return flat.reshape(shape)
    return np.asarray(array)


def _axis(spec: dict, trace: dict, letter: str) -> dict:
    name = trace.get(f"{letter}axis", letter)  # "x", "x2", ...
    return spec.get("layout", {}).get(f"{letter}axis{name[1:]}", {})


def _labels(values: list, axis: dict) -> list[str]:
    """The axis's tick text for each value where it names every one, else the values themselves."""
    names = dict(zip(axis.get("tickvals") or (), axis.get("ticktext") or (), strict=False))
    if values and all(value in names for value in values):
        return [plain_label(names[value]) for value in values]
    return [plain_label(value) for value in values]


def _unique(labels: list[str]) -> list[str]:
    """Equal labels ("the", "the") made distinct, so every column of the table stays."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def heatmap_tables(spec: dict) -> list[tuple[str, pd.DataFrame]]:
    """(the trace's name, its table) for every heatmap of a figure: one row per heatmap row, one
    column per heatmap column, the first column (named by the y axis's title) naming the row."""
    tables = []
    for trace in spec.get("data", []):
        if trace.get("type") != "heatmap" or trace.get("z") is None:
            continue
        z = as_array(trace["z"]).astype(float)
        if z.ndim != 2:
            continue
        rows, columns = z.shape
        xs = list(as_array(trace.get("x", range(columns))).tolist())[:columns]
        ys = list(as_array(trace.get("y", range(rows))).tolist())[:rows]
        y_axis = _axis(spec, trace, "y")
        row_title = plain_label((y_axis.get("title") or {}).get("text") or "row")
        row_title, *column_names = _unique([row_title, *_labels(xs, _axis(spec, trace, "x"))])
        row_names = _labels(ys, y_axis)
        cells: np.ndarray = np.round(z, 3)
        text = trace.get("text")
        if "%{text}" in str(trace.get("texttemplate") or "") and text is not None:
            written = np.asarray(as_array(text), dtype=object)
            if written.shape == z.shape:  # each cell writes its text (its value is in it)
                cells = np.vectorize(plain_label, otypes=[object])(written)
        meta = trace.get("meta") if isinstance(trace.get("meta"), dict) else {}
        row_names = list(meta.get("rows", row_names))
        column_names = list(meta.get("columns", column_names))
        if rows == 1 < columns:  # one strip of cells (the context vector): one row per cell reads better
            table = pd.DataFrame({row_title: column_names, row_names[0]: cells[0]})
        else:
            table = pd.DataFrame(cells, columns=column_names)
            table.insert(0, row_title, row_names)
        tables.append((trace.get("name") or "heatmap", table))
    return tables
