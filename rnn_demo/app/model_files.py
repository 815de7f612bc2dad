"""Saving the model in use as a file, and loading such a file again: checked, kept in the session."""

from __future__ import annotations

import streamlit as st

from rnn_demo.app import session
from rnn_demo.app.models import YOURS, ChosenModel
from rnn_demo.app.training import use_own_model
from rnn_demo.app.widgets import escape_markdown, model_download
from rnn_demo.training.checkpoint import (
    MAX_CHECKPOINT_BYTES,
    CheckpointError,
    checkpoint_from_bytes,
)
from rnn_demo.training.registry import ModelKey

FILE = "checkpoint_file"
ERROR = "checkpoint_error"
LOADED_NAME = "loaded_model_name"
MAX_NAME_CHARS = 60


def _load_model_file() -> None:
    """Check an uploaded model file; use it if it is one, else say why (the model in use stays)."""
    file = st.session_state.get(FILE)
    if file is None:
        return
    data = file.getvalue()
    try:
        loaded = checkpoint_from_bytes(data)
    except CheckpointError as error:
        st.session_state[ERROR] = f"“{file.name[:MAX_NAME_CHARS]}” cannot be used: {error}."
        return
    st.session_state.pop(ERROR, None)
    key = ModelKey.from_file(data)
    st.session_state[session.LOADED_MODEL] = (
        key,
        loaded,
    )  # in this session only: nothing stays on the server
    st.session_state[LOADED_NAME] = file.name[:MAX_NAME_CHARS]
    use_own_model(key)


def model_files_panel(chosen: ChosenModel) -> None:
    download_column, upload_column = st.columns(2)
    with download_column:
        model_download(
            chosen.trained, f"{chosen.choice}-h{chosen.trained.config.hidden_size}", "checkpoint_download"
        )
    download_column.caption(
        "A .safetensors file with the weights, the settings and both vocabularies: load it here "
        "later, on any server running this app."
    )
    upload_column.file_uploader(
        "Load a model file",
        key=FILE,
        on_change=_load_model_file,
        max_upload_size=MAX_CHECKPOINT_BYTES // 2**20,
        help=f"A model downloaded from this page, up to {MAX_CHECKPOINT_BYTES // 2**20} MB. It is "
        "checked before use, and loading it cannot run any code.",
    )
    if ERROR in st.session_state:
        upload_column.error(
            f"{escape_markdown(st.session_state[ERROR])} The model in use has not changed.",
            icon=":material/error:",
        )
    elif chosen.choice == YOURS and chosen.key == st.session_state.get(session.LOADED_MODEL, (None,))[0]:
        upload_column.success(
            f"In use: the model from “{escape_markdown(st.session_state[LOADED_NAME])}”.",
            icon=":material/check_circle:",
        )
