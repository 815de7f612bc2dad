"""Choosing the model a page shows: a shipped one, or the visitor's own (trained in the page or
loaded from a file). One picker for every page that lets the visitor choose."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from rnn_demo.app import resources, session
from rnn_demo.core.model import MODEL_KINDS
from rnn_demo.training.config import TrainedModel
from rnn_demo.training.registry import ModelKey

YOURS = "yours"
MODEL_CHOICE = "model_choice"  # the Encoder–decoder page's picker, which a training switches over
# The models a page can show, by their names in its URL: the shipped kinds and the session's own
MODEL_CHOICES = {
    **dict(zip(MODEL_KINDS, ("Plain RNN (shipped)", "RNN + attention (shipped)"), strict=True)),
    YOURS: "Your model",
}
SHIPPED_DESCRIPTIONS = {"rnn": "the shipped plain RNN", "attention": "the shipped RNN with attention"}


@dataclass(frozen=True)
class ChosenModel:
    choice: str  # a key of MODEL_CHOICES
    key: ModelKey
    trained: TrainedModel

    @property
    def description(self) -> str:
        return SHIPPED_DESCRIPTIONS.get(self.choice, "your model")


def model_picker(widget_key: str, linked: str | None, help: str) -> ChosenModel:
    """The model segmented control; returns the chosen model. `linked` is a choice from a link: taken
    if the session has that model, else the page says so and shows the shipped plain RNN. Stops the
    page if the chosen model is not on this server."""
    own = session.own_model()
    choices = list(MODEL_KINDS) + ([YOURS] if own is not None else [])
    st.session_state.setdefault(widget_key, MODEL_KINDS[0])
    if linked in choices:
        st.session_state[widget_key] = linked
    elif linked is not None:
        st.info(
            "This link shows a model trained on the Encoder–decoder page, and this session has none. "
            "Meanwhile you see the shipped plain RNN.",
            icon=":material/info:",
        )
    if st.session_state[widget_key] not in choices:
        st.session_state[widget_key] = MODEL_KINDS[0]
    choice = (
        st.segmented_control("Model", choices, format_func=MODEL_CHOICES.get, key=widget_key, help=help)
        or MODEL_KINDS[0]
    )
    key = session.own_model_key() if choice == YOURS else ModelKey.shipped(choice)
    trained = own if choice == YOURS else resources.model_registry().model(key)
    if trained is None:
        st.warning(
            "This model is not available on this server. Choose another model above.",
            icon=":material/info:",
        )
        st.stop()
    return ChosenModel(choice, key, trained)
