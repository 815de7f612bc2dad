"""What one visitor's session holds across pages: the corpus in use, the visitor's own model, presenter
mode and the settings they chose. Every session key read by more than one module is named here.
"""

from __future__ import annotations

import streamlit as st

from rnn_demo.app import resources
from rnn_demo.app.training_settings import WIDGET_KEYS as TRAINING_SETTINGS
from rnn_demo.lessons.corpora import Corpus
from rnn_demo.training.config import TrainedModel
from rnn_demo.training.registry import ModelKey

CORPUS = "corpus"  # an uploaded Corpus put to use on the Your-own-corpus page
OWN_MODEL_KEY = "rnn_own_model_key"  # the ModelKey of the session's own model
LOADED_MODEL = "loaded_model"  # (ModelKey, TrainedModel) of a model file: kept in this session only
PRESENTER = "presenter_mode"
_NAVIGATION_CHECKED = "_navigation_checked"

# Widgets whose values a session keeps while it visits other pages (Streamlit forgets the value of a
# widget that a run does not draw). Buttons are not settings and may not be listed.
SETTINGS_KEPT_ACROSS_PAGES = (
    "sentence_choice",
    "sentence_typed",
    "rnn_sentence_choice",
    "rnn_sentence_typed",
    "model_choice",
    "beam_width",
    *TRAINING_SETTINGS,
    "hidden_model_choice",
    "hidden_include_examples",
    "hidden_sentences_typed",
    "hidden_chosen_sentence",
    "corpus_lengths",
)


def use_app_navigation() -> None:
    """Call first in every page. On a fresh server, before any session has run streamlit_app.py,
    Streamlit still assumes the old `pages/` folder convention: a deep link such as /encoder_decoder
    then runs the page alone, without our navigation and page settings. Switch that off and rerun,
    which goes through streamlit_app.py and lands on the same page.

    Only a session's first run can be such a deep link; later runs are never rerun here, since a
    rerun would drop the button click that started them. A server started by `streamlit run` has
    switched the convention off before its first visitor (`loading.server_lifespan`): what remains
    are runs without that start, such as AppTest's.
    """
    from streamlit.runtime.pages_manager import PagesManager

    for key in SETTINGS_KEPT_ACROSS_PAGES:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    first_run = not st.session_state.get(_NAVIGATION_CHECKED, False)
    st.session_state[_NAVIGATION_CHECKED] = True
    if first_run and PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def current_corpus() -> Corpus:
    """The corpus this session works on: one it uploaded and chose, else the phrasebook."""
    return st.session_state.get(CORPUS) or resources.phrasebook_corpus()


def presenter_mode() -> bool:
    return bool(st.session_state.get(PRESENTER, False))


def own_model_key() -> ModelKey | None:
    return st.session_state.get(OWN_MODEL_KEY)


def own_model() -> TrainedModel | None:
    """The session's own model: one trained in the page (kept in the shared registry), or one loaded
    from a file (kept in the session alone, so that a visitor's upload leaves the server with them)."""
    key = own_model_key()
    loaded = st.session_state.get(LOADED_MODEL)
    if loaded is not None and loaded[0] == key:
        return loaded[1]
    return None if key is None else resources.model_registry().model(key)
