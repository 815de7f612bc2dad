"""Choosing the model a page shows: a shipped one, or the visitor's own (trained in the page or
loaded from a file). One picker for every page that lets the visitor choose."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from rnn_demo.app import resources, session
from rnn_demo.training.config import TrainedModel
from rnn_demo.training.registry import ModelKey
from rnn_demo.training.translators import PICKER_MODELS, translator

YOURS = "yours"
MODEL_CHOICE = "model_choice"  # the Encoder–decoder page's picker, which a training switches over
# The models a page can show, by their names in its URL: the shipped ones and the session's own
MODEL_CHOICES = {**{model.id: f"{model.name} (shipped)" for model in PICKER_MODELS}, YOURS: "Your model"}
DEFAULT_CHOICE = PICKER_MODELS[0].id


@dataclass(frozen=True)
class ChosenModel:
    choice: str  # a key of MODEL_CHOICES
    key: ModelKey
    trained: TrainedModel

    @property
    def description(self) -> str:
        return "your model" if self.choice == YOURS else translator(self.choice).description


def model_picker(widget_key: str, linked: str | None, help: str) -> ChosenModel:
    """The model segmented control; returns the chosen model. `linked` is a choice from a link: taken
    if the session has that model, else the page says so and shows the shipped plain RNN. Stops the
    page if the chosen model is not on this server."""
    own = session.own_model()
    choices = [model.id for model in PICKER_MODELS] + ([YOURS] if own is not None else [])
    st.session_state.setdefault(widget_key, DEFAULT_CHOICE)
    if linked in choices:
        st.session_state[widget_key] = linked
    elif linked is not None:
        st.info(
            "This link shows a model trained on the Encoder–decoder page, and this session has none. "
            "Meanwhile you see the shipped plain RNN.",
            icon=":material/info:",
        )
    if st.session_state[widget_key] not in choices:
        st.session_state[widget_key] = DEFAULT_CHOICE
    choice = (
        st.segmented_control("Model", choices, format_func=MODEL_CHOICES.get, key=widget_key, help=help)
        or DEFAULT_CHOICE
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
