"""The Inside-the-hidden-state page's panels: choosing the sentences, the map (made once per model and
sentence set), and the nearest sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from rnn_demo.app.widgets import MAX_PASTE_CHARS, escape_markdown
from rnn_demo.core.text import MAX_SENTENCE_CHARS, SentenceCheck, normalize
from rnn_demo.core.translate import encoder_states_batch
from rnn_demo.figures import hidden_charts
from rnn_demo.lessons.hidden_map import MAX_SENTENCES
from rnn_demo.training.config import TrainedModel
from rnn_demo.training.registry import ModelKey

INCLUDE_EXAMPLES = "hidden_include_examples"
TYPED = "hidden_sentences_typed"
CHOSEN = "hidden_chosen_sentence"
NOTES_SHOWN = 10


def sentence_chooser(examples: list[str], from_url: dict) -> tuple[bool, str]:
    """Whether to draw the examples, and the typed lines. A link's sentence that is not an example
    is typed in for the visitor."""
    if "examples" in from_url:
        st.session_state[INCLUDE_EXAMPLES] = from_url["examples"]
    st.session_state.setdefault(INCLUDE_EXAMPLES, True)
    st.session_state.setdefault(TYPED, "")
    linked = from_url.get("s")
    if linked is not None and normalize(linked) not in examples:
        typed_lines = st.session_state[TYPED].splitlines()
        if normalize(linked) not in map(normalize, typed_lines):
            st.session_state[TYPED] = "\n".join([*typed_lines, linked]).strip("\n")

    typed_now = st.session_state[TYPED]
    # a fixed key: without one its identity follows `expanded`, and typing the first sentence folded it
    with st.expander(
        "Choose the sentences",
        expanded=bool(typed_now.strip()),
        key="sentences_panel",
        icon=":material/edit_note:",
    ):
        include_examples = st.checkbox(f"The {len(examples)} example sentences", key=INCLUDE_EXAMPLES)
        typed = st.text_area(
            "Your own German sentences, one per line",
            key=TYPED,
            max_chars=MAX_PASTE_CHARS,
            height=150,
            placeholder="Er hat den Schlüssel gefunden.\nIch habe das Buch gelesen.\nDas Buch ist gut.",
        )
        st.caption(
            f"Up to {MAX_SENTENCES} sentences in all, each up to {MAX_SENTENCE_CHARS} characters. Press "
            "Ctrl+Enter (⌘+Enter on a Mac) or click outside the box to apply."
        )
    return include_examples, typed


def left_out_notice(left_out: list[str]) -> None:
    if not left_out:
        return
    more = len(left_out) - NOTES_SHOWN
    shown_notes = left_out[:NOTES_SHOWN] + ([f"… and {more} more."] if more > 0 else [])
    st.warning(
        "Some of your lines were left out:\n\n"
        + "\n".join(f"- {escape_markdown(note)}" for note in shown_notes),
        icon=":material/edit:",
    )


@st.cache_data(max_entries=64, show_spinner="Reading the sentences…")
def hidden_map(
    model_key: ModelKey,
    instance: str,
    checks: tuple[SentenceCheck, ...],
    texts: tuple[str, ...],
    scale: float,
    _trained: TrainedModel,
) -> tuple[list[np.ndarray], float, object]:
    """Each sentence's encoder states (T_i, H), the share of their variance the map keeps, and the
    map. Cached per model and sentence set: a class opening the same view computes it once. The key
    names the model; `instance` (the model's `instance`) tells apart two models trained under one key
    (a stopped training asked for again)."""
    states = encoder_states_batch(_trained.model, [list(c.tokens) for c in checks], _trained.source_vocab)
    kept = float(hidden_charts.token_map(states).explained_variance_ratio.sum())
    figure = hidden_charts.trajectory_figure(texts, [c.display_tokens for c in checks], states, scale)
    return states, kept, figure


def nearest_sentences(texts: list[str], states: list[np.ndarray], linked: str | None, count: int) -> str:
    """The sentence picker and the table of its nearest sentences; returns the chosen sentence."""
    if linked is not None and normalize(linked) in texts:
        st.session_state[CHOSEN] = normalize(linked)
    if st.session_state.get(CHOSEN) not in texts:
        st.session_state[CHOSEN] = texts[0]
    chosen = st.selectbox(
        "Sentence", texts, key=CHOSEN, format_func=lambda text: f"{texts.index(text) + 1}. {text}"
    )
    rows = hidden_charts.nearest_sentences(texts, states, texts.index(chosen), n=count)
    st.dataframe(
        pd.DataFrame(rows, columns=["sentence", "distance"]),
        hide_index=True,
        width="stretch",
        column_config={"distance": st.column_config.NumberColumn(format="%.2f")},
    )
    st.caption(
        f"The {len(rows)} sentences whose context vectors are closest to this one's, measured in all "
        f"{states[0].shape[1]} numbers (not on the flat map). For scale: two of these sentences are "
        f"typically {hidden_charts.typical_distance(states):.1f} apart."
    )
    return chosen
