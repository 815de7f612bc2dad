"""Waking up: what every page needs before it can be drawn (torch, the trained models, the phrasebook's
dictionary, the app's own modules) is made in a thread of its own from the moment the server starts,
while the first visitor already sees the page's title and a loading message instead of a blank screen.

This module imports nothing heavy when it is imported (no torch, pandas or plotly): the entry script
imports it before anything else of the app.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import threading
from contextlib import asynccontextmanager

import streamlit as st

LOADING = "Loading the models…"
WHY = (
    "The app has just started: it is reading the trained models and the phrasebook's dictionary "
    "from their files. This happens once, when the server wakes up, and takes a few seconds."
)

# Under the loading message, a small chart nobody sees: the browser fetches and starts Plotly's script
# (4.7 MB, about a second of a laptop's CPU) while the server is still loading, not after it, when the
# page's figures arrive. Out of sight and out of the accessibility tree; it goes with the message.
_WARM_UP_KEY = "loading_warm_up_chart"
_WARM_UP_CSS = (  # static, never built from user text
    f"<style>.st-key-{_WARM_UP_KEY} {{ position: absolute; visibility: hidden; height: 0; "
    "overflow: hidden; }</style>"
)
_WARM_UP_FIGURE = {  # one trace of each kind the pages draw
    "data": [
        {"type": "heatmap", "z": [[0, 1]]},
        {"type": "bar", "x": [0], "y": [1]},
        {"type": "scatter", "x": [0], "y": [1], "text": ["."], "mode": "markers+text"},
    ],
    "layout": {"width": 120, "height": 80, "showlegend": False},
}

_log = logging.getLogger(__name__)
_start_lock = threading.Lock()
_thread: threading.Thread | None = None
_ready = threading.Event()


def start() -> None:
    """Start loading in the background, once per server (later calls do nothing)."""
    global _thread
    with _start_lock:
        if _thread is None:
            _thread = threading.Thread(target=_load, name="rnn_demo-loading", daemon=True)
            _thread.start()


def ready() -> bool:
    return _ready.is_set()


def _load() -> None:
    try:
        import rnn_demo.app

        # every module of the app, so that no page waits for an import (torch, pandas, plotly)
        for module in pkgutil.iter_modules(rnn_demo.app.__path__, "rnn_demo.app."):
            importlib.import_module(module.name)
        _shared_resources()
    except Exception:  # the pages make the resources again and show what went wrong
        _log.exception("loading the app's shared resources failed")
    finally:
        _ready.set()


@st.cache_resource(show_spinner=False)
def _shared_resources() -> None:
    """The resources every session shares, made in the loading thread. Called from inside this cached
    function, their own cached functions show no spinner: no session is there to show it."""
    from rnn_demo.app import resources

    resources.phrasebook_corpus()
    resources.model_registry()


def wait_until_ready(title: str) -> None:
    """Call before a page runs: on a server still loading, show the page's title and a loading
    message until everything is there, then clear them (the page draws its own)."""
    start()
    if _ready.is_set():
        return
    placeholder = st.empty()
    with placeholder.container():
        st.title(title)
        # not used as a context manager, which would mark it complete on leaving the block
        st.status(LOADING, state="running", expanded=True).write(WHY)
        st.html(_WARM_UP_CSS)
        # Sent as it is, unchecked: Plotly's check of a figure asks whether a value is a pandas
        # object, of the pandas among the imported modules, and the one the loading thread is still
        # importing has no Series yet
        from rnn_demo.figures.plain import SentFigure

        st.plotly_chart(SentFigure(_WARM_UP_FIGURE), key=_WARM_UP_KEY, config={"staticPlot": True})
    _ready.wait()
    placeholder.empty()


@asynccontextmanager
async def server_lifespan(app):
    """The server's start (st.App's lifespan): begin loading before any visitor arrives."""
    from streamlit.runtime.pages_manager import PagesManager

    # The app's own navigation serves every page, also a fresh server's first deep link (otherwise
    # Streamlit's old `pages/` folder convention would run that page alone, without the entry script)
    PagesManager.uses_pages_directory = False
    start()
    yield
