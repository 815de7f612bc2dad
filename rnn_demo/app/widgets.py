"""Widgets more than one page draws: the sentence picker, a chart, safe markdown for typed text, the
notice of words a model has never seen, and a model's download button."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from rnn_demo.app import labels, session
from rnn_demo.core.text import MAX_SENTENCE_CHARS, MAX_SENTENCE_WORDS
from rnn_demo.data.corpus import Example
from rnn_demo.figures import plain, style, tables
from rnn_demo.training.checkpoint import checkpoint_bytes
from rnn_demo.training.config import TrainedModel

# The browser cuts a paste at this length. It is far above the sentence limit on purpose: a long paste
# reaches check_sentence, which says how long it was and what the limit is, instead of being cut silently.
MAX_PASTE_CHARS = 20_000
PRESENTER_SCALE = 1.25


def _choices(curated: list[Example]) -> list[str]:
    return [f"{example.label} — {example.pair.german_text}" for example in curated] + [labels.TYPE_YOUR_OWN]


def picked_sentence(curated: list[Example], key: str = "sentence", from_url: str | None = None) -> str | None:
    """The sentence the picker of `key` holds, before it is drawn: a link's, the chosen example, the
    typed text, or the first example if nothing was chosen yet."""
    if from_url is not None:
        return from_url
    choices, choice = _choices(curated), st.session_state.get(f"{key}_choice")
    if choice == labels.TYPE_YOUR_OWN:
        return st.session_state.get(f"{key}_typed")
    if choice in choices:
        return curated[choices.index(choice)].pair.german_text
    return curated[0].pair.german_text if curated else None


def sentence_picker(curated: list[Example], key: str = "sentence", from_url: str | None = None) -> str:
    """An example picker with a "type your own" choice; returns the German text to work on.

    `from_url`: a sentence from a link, shown as its example if it is one, else as typed text.
    """
    labels_shown = _choices(curated)
    if from_url is not None:
        germans = [example.pair.german_text for example in curated]
        if from_url in germans:
            st.session_state[f"{key}_choice"] = labels_shown[germans.index(from_url)]
        else:
            st.session_state[f"{key}_choice"] = labels.TYPE_YOUR_OWN
            st.session_state[f"{key}_typed"] = from_url
    choice = st.selectbox(
        labels.SENTENCE_PICKER,
        labels_shown,
        key=f"{key}_choice",
        help="One example for each way German word order differs from English; with your own "
        "corpus, held-out sentences of different lengths.",
    )
    if choice != labels.TYPE_YOUR_OWN:
        return curated[labels_shown.index(choice)].pair.german_text
    text = st.text_input(
        labels.TYPED_SENTENCE,
        key=f"{key}_typed",
        max_chars=MAX_PASTE_CHARS,
        placeholder="z. B. Ich habe das Buch gelesen.",
        help=f"Up to {MAX_SENTENCE_CHARS} characters and {MAX_SENTENCE_WORDS} words. Press Enter to apply.",
    )
    st.caption(
        f"Up to {MAX_SENTENCE_CHARS} characters and {MAX_SENTENCE_WORDS} words. Sentences the corpus "
        "holds come with their correct English; any other sentence gets its gloss alone."
    )
    return text


_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def escape_markdown(text: str) -> str:
    """Typed text shown inside markdown: backslash-escape all ASCII punctuation, so that links,
    images, emphasis, colour directives (":red[...]") and LaTeX stay plain characters."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def never_seen_notice(trained: TrainedModel, sentences: list[list[str]], quiet: bool = False) -> None:
    """Says how many of the sentences' words the model cannot read whole, if any: as a warning, or
    (`quiet`) as a caption, where many sentences are shown and a few unknown words are expected."""
    unknown = set().union(*(trained.source_vocab.unknown_words(words) for words in sentences))
    if not unknown:
        return
    notice = (
        f"The model has never seen {len(unknown)} of these words or symbols; it reads each as the same "
        "*unknown* token."
    )
    if quiet:
        st.caption(notice)
    else:
        st.warning(notice, icon=":material/help:")


class ReadyFigure(plain.SentFigure):
    """A figure of ours (a plain dict, figures/plain.py) in the form st.plotly_chart sends, made once
    and then shared by every session that shows it.

    st.plotly_chart takes a graph_objects figure and asks it for `to_dict()` at every rerun, which
    deep-copies it and converts its arrays; given a dict, it builds a graph_objects figure from it to
    check every property. Either takes longer than building our figure. This figure has nothing but
    its finished dict (`plain.SentFigure`). Its tests check that dict against Plotly's checked build."""

    def __init__(self, spec: dict) -> None:
        super().__init__(plain.as_sent(spec))

    def numbers(self) -> list[tuple[str, pa.Table]]:
        """Its heatmaps as tables (figures/tables.py), made once, in Arrow's form: st.dataframe sends
        that as it is, and converts a pandas table anew at every rerun (most of a step click's time)."""
        if "_numbers" not in self.__dict__:
            made = [(name, pa.Table.from_pandas(table, preserve_index=False))
                    for name, table in tables.heatmap_tables(self._sent)]  # fmt: skip
            object.__setattr__(self, "_numbers", made)
        return self._numbers


# The figure's toolbar holds one button, the camera: a PNG of the figure for a slide, at the figure's
# own height (a figure laid out in pixels also at its own width, else 1600 px wide), with twice as
# many pixels each way so that it stays sharp on a projector.
SLIDE_WIDTH_PX, SLIDE_HEIGHT_PX, SLIDE_SCALE = 1600, 900, 2


def _png_options(spec: dict, key: str) -> dict:
    layout = spec.get("layout", {})
    return {
        "format": "png",
        "filename": key,
        "width": layout.get("width") or SLIDE_WIDTH_PX,
        "height": layout.get("height") or SLIDE_HEIGHT_PX,
        "scale": SLIDE_SCALE,
    }


def chart(figure: go.Figure | ReadyFigure | dict, key: str, enlarge: bool = True) -> None:
    """A Plotly figure with a camera button (a PNG for a slide) and nothing else in its toolbar, larger
    fonts in presenter mode (`enlarge=False` for a figure laid out in pixels around its text), and
    under each heatmap its numbers as a table to read and a CSV file to download.
    A plain dict (figures/plain.py, built for this call) is made a `ReadyFigure`."""
    if isinstance(figure, dict):
        figure = ReadyFigure(figure)
    numbers = figure.numbers() if isinstance(figure, ReadyFigure) else None  # the same when enlarged
    if enlarge and session.presenter_mode():
        figure = style.enlarged(figure, PRESENTER_SCALE)
    spec = figure.to_dict()
    config = {
        "displayModeBar": True,
        "displaylogo": False,
        "modeBarButtons": [["toImage"]],
        "toImageButtonOptions": _png_options(spec, key),
    }
    st.plotly_chart(figure, key=key, config=config)
    heatmaps = tables.heatmap_tables(spec) if numbers is None else numbers
    if heatmaps:
        with st.expander(labels.FIGURE_NUMBERS, icon=":material/table:"):
            for n, (name, table) in enumerate(heatmaps):
                st.dataframe(table, hide_index=True, height=min(400, 38 + 35 * len(table)))
                st.download_button(
                    "Download these numbers (CSV)",
                    data=lambda table=table: _csv(table),
                    file_name=f"{key}_{name}.csv".replace(" ", "_"),
                    mime="text/csv",
                    on_click="ignore",
                    icon=":material/download:",
                    key=f"{key}_csv_{n}",
                )


def _csv(table) -> str:
    """A table of the figure's numbers as CSV (pandas or Arrow), made when its button is pressed."""
    return (table if isinstance(table, pd.DataFrame) else table.to_pandas()).to_csv(index=False)


def model_download(trained: TrainedModel, file_name: str, key: str, label: str = "Download the model in use"):
    """A button that downloads a model as a .safetensors file (built only when pressed)."""
    st.download_button(
        label,
        data=lambda: checkpoint_bytes(trained),
        file_name=f"{file_name}.safetensors",
        mime="application/octet-stream",
        on_click="ignore",
        icon=":material/download:",
        key=key,
    )
