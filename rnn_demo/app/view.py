"""A page's view kept in its URL, and the sidebar that goes with it: presenter mode and a link to copy.

Create a `PageView` first in a page: it reads a link the session has not seen yet (a newly opened or
pasted URL), shows a notice for each setting it ignores, and draws the presenter switch and the
"copy link" control in the sidebar. Then call `show(**values)` as the page's widgets are read.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from rnn_demo.app import session, url_state
from rnn_demo.app.widgets import escape_markdown
from rnn_demo.figures.style import PAGE_CHART_PX

PRESENTER = "presenter"  # the link's parameter
# Presenter mode: text and widgets a quarter larger (Streamlit sizes them in rem), less empty space
# at the top. A static style sheet, never built from user text.
_PRESENTER_CSS = """
<style>
html { font-size: 21px !important; }
[data-testid="stMainBlockContainer"] { padding: 2rem 2rem 4rem 2rem; max-width: none; }
</style>
"""

# A phone (or any window narrower than NARROW_SCREEN_PX): every figure keeps the width it is laid out
# for, PAGE_CHART_PX, and scrolls sideways inside its own box, so that its labels keep their room
# instead of running into each other. Static, never built from user text.
NARROW_SCREEN_PX = 760
_NARROW_SCREEN_CSS = f"""
<style>
@media (max-width: {NARROW_SCREEN_PX}px) {{
  [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]) {{ overflow-x: auto; }}
  [data-testid="stFullScreenFrame"]:has(> [data-testid="stPlotlyChart"]) {{ min-width: {PAGE_CHART_PX}px; }}
}}
</style>
"""


class PageView:
    """A page's view kept in its URL's query parameters, so that a copied link reopens it."""

    def __init__(self, page: str, parameters: dict[str, url_state.Parameter], defaults: dict) -> None:
        self._page = page
        self._parameters = {**parameters, PRESENTER: url_state.switch()}
        self._defaults = {**defaults, PRESENTER: False}
        self._values: dict[str, object] = {}
        query = st.query_params.to_dict()
        self.from_url: dict[str, object] = {}
        if query != st.session_state.get(self._written_key):
            self.from_url, notices = url_state.read(query, self._parameters)
            for notice in notices:
                st.warning(f"This link: {escape_markdown(notice)}", icon=":material/link_off:")
            if PRESENTER in self.from_url:
                st.session_state[session.PRESENTER] = self.from_url[PRESENTER]
        with st.sidebar:
            st.session_state["presenter_switch"] = session.presenter_mode()
            st.toggle(
                "Presenter mode",
                key="presenter_switch",
                on_change=lambda: st.session_state.update(
                    {session.PRESENTER: st.session_state["presenter_switch"]}
                ),
                help="For a projector: larger text and figures, no training settings, and big "
                "buttons to step through a translation.",
            )
            self._link_slot = st.empty()
        st.html(_NARROW_SCREEN_CSS + (_PRESENTER_CSS if session.presenter_mode() else ""))

    @property
    def _written_key(self) -> str:
        return f"_url_written_{self._page}"

    def show(self, **values: object) -> None:
        """Record part of the view and write the URL (only what differs from the defaults)."""
        self._values.update(values)
        query = url_state.write(
            {**self._values, PRESENTER: session.presenter_mode()}, self._parameters, self._defaults
        )
        if query != st.query_params.to_dict():
            st.query_params.from_dict(query)
        st.session_state[self._written_key] = query
        link = (st.context.url or "") + ("?" + urlencode(query) if query else "")
        with self._link_slot.container():
            with st.popover("Copy link to this view", icon=":material/link:", width="stretch"):
                st.caption(
                    "Anyone who opens this link sees this page as you see it now. Copy it with "
                    "the button at the right of the box."
                )
                st.code(
                    link or "(the link appears when the page is open in a browser)",
                    language=None,
                    wrap_lines=True,
                )
