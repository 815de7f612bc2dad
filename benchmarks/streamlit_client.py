"""A browser's side of Streamlit's websocket protocol, without the browser: one session that opens a
page, sets widgets and switches pages, and times each script run the server does for it.

It speaks what the Streamlit frontend speaks: a websocket on /_stcore/stream (subprotocol
"streamlit"), BackMsg protobufs up (rerun_script with the query string, the page and the widget
states) and ForwardMsg protobufs down (new_session, deltas with the page's elements, script_finished).
The protobuf classes are the installed streamlit package's own. Widgets are found by the key the app
gave them: a widget's id, sent in its element, ends with "-" and that key.

A run is timed from sending the BackMsg to the script_finished message of the run it started (a
fragment's timed reruns, such as a training's progress, are told apart by their run id).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

STREAM_PATH = "/_stcore/stream"
MAX_MESSAGE_BYTES = 200 * 2**20  # the server's own bound (server.maxMessageSize) is 200 MB
FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "finished",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "fragment finished",
}


@dataclass
class Widget:
    """A widget as the server sent it: its id, element type ("selectbox", "button_group", ...), the
    fragment it is drawn in ("" for none), the labels of its options (if it has any) and its element
    (the protobuf message: `widget.element.value` is a slider's value, for one)."""

    id: str
    kind: str
    element: object = None
    fragment_id: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Run:
    """One script run as the session saw it."""

    seconds: float
    status: str
    messages: int  # ForwardMsgs received for it
    received_bytes: int
    exceptions: list[str]  # the messages of st.exception elements (a traceback on the page)


def widget_of(element) -> Widget | None:
    """The widget an element (a protobuf Element) is, or None for text, charts and the like."""
    kind = element.WhichOneof("type")
    proto = getattr(element, kind) if kind else None
    # every widget can be disabled; charts and dataframes have ids too, but only widgets have this
    if proto is None or "disabled" not in proto.DESCRIPTOR.fields_by_name or not proto.id:
        return None
    widget_id = proto.id
    options = [getattr(option, "content", option) for option in getattr(proto, "options", [])]
    return Widget(widget_id, kind, proto, options=[str(option) for option in options])


class StreamlitSession:
    """One browser tab's session. `await open(page_name, query_string)` first, then act; `close()`."""

    def __init__(self, base_url: str) -> None:
        self.url = base_url.replace("http://", "ws://", 1) + STREAM_PATH
        self.widgets: dict[str, Widget] = {}  # by id, from the latest runs
        self.pages: dict[str, str] = {}  # page script hash by URL path name ("encoder_decoder")
        self._values: dict[str, WidgetState] = {}  # what the "browser" has set, sent with every rerun
        self._socket = None
        self._reader: asyncio.Task | None = None
        self._waiting: asyncio.Future | None = None
        self._run_id: str | None = None
        self._fragment_ids: list[str] = []
        self._counts = [0, 0]  # messages, bytes since the last send
        self._exceptions: list[str] = []
        self._page_hash = ""
        self._query_string = ""

    async def connect(self) -> None:
        self._socket = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=MAX_MESSAGE_BYTES, open_timeout=120
        )
        self._reader = asyncio.create_task(self._read())

    async def open(self, page_name: str = "", query_string: str = "") -> Run:
        """The first run of a new session, as a browser sends it for the URL /page_name?query_string."""
        if self._socket is None:
            await self.connect()
        self._query_string = query_string
        return await self._rerun(page_name=page_name)

    async def switch_page(self, url_path: str) -> Run:
        """Go to another page as the sidebar does (the widgets of the page left behind are dropped)."""
        self._values.clear()
        self._query_string = ""
        return await self._rerun(page_script_hash=self.pages[url_path])

    def widget(self, key: str) -> Widget:
        matches = [widget for widget in self.widgets.values() if widget.id.endswith(f"-{key}")]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} widgets with the key {key!r} on the page")
        return matches[0]

    def sent_value(self, key: str) -> WidgetState | None:
        """The value this session set for a widget and sends with every rerun (None: the script's)."""
        return self._values.get(self.widget(key).id)

    async def set(self, values: dict[str, object]) -> Run:
        """Set widgets (by key) and rerun once, as a browser does when a widget changes. Values: a
        label of the widget's options (selectbox, segmented control), a string (text input), a number
        (slider), or True (a button's click)."""
        fragments = set()
        clicks = []
        for key, value in values.items():
            widget = self.widget(key)
            state = WidgetState(id=widget.id)
            if widget.kind == "button":
                state.trigger_value = bool(value)
                clicks.append(state)
            else:
                if widget.kind == "selectbox":
                    state.string_value = _option(widget, value)
                elif widget.kind == "button_group":
                    state.string_array_value.data.append(_option(widget, value))
                elif widget.kind == "slider":
                    state.double_array_value.data.append(float(value))
                else:  # text input and area
                    state.string_value = str(value)
                self._values[widget.id] = state
            fragments.add(widget.fragment_id)
        fragment_id = fragments.pop() if len(fragments) == 1 else ""
        return await self._rerun(page_script_hash=self._page_hash, fragment_id=fragment_id, clicks=clicks)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._socket is not None:
            await self._socket.close()

    # ---------------------------------------------------------------------------- the protocol

    async def _rerun(
        self, page_name: str = "", page_script_hash: str = "", fragment_id: str = "", clicks=()
    ) -> Run:
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self._query_string
        state.page_name = page_name
        state.page_script_hash = page_script_hash
        state.fragment_id = fragment_id
        state.widget_states.widgets.extend([*self._values.values(), *clicks])
        loop = asyncio.get_running_loop()
        self._waiting, self._run_id = loop.create_future(), None
        self._fragment_ids = [fragment_id] if fragment_id else []
        self._counts, self._exceptions = [0, 0], []
        started = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        status = await self._waiting
        return Run(time.perf_counter() - started, status, *self._counts, self._exceptions)

    async def _read(self) -> None:
        try:
            async for data in self._socket:
                message = ForwardMsg()
                message.ParseFromString(data)
                self._counts[0] += 1
                self._counts[1] += len(data)
                self._handle(message)
        except Exception as error:  # the socket closed, or a message this client cannot read
            if self._waiting is not None and not self._waiting.done():
                self._waiting.set_exception(error)
            raise

    def _handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        run_id = message.metadata.run.script_run_id if message.metadata.HasField("run") else None
        if kind == "new_session":
            # a run that ended early for a rerun (the first run of a fresh server does) is followed by
            # the rerun's new_session: the latest full run, or run of the fragment asked for, counts
            self._page_hash = message.new_session.page_script_hash or self._page_hash
            if list(message.metadata.run.fragment_ids) == self._fragment_ids:
                self._run_id = run_id
                # the run draws its widgets anew (a widget's id changes with its parameters)
                fragment = self._fragment_ids[0] if self._fragment_ids else None
                self.widgets = {
                    widget_id: widget
                    for widget_id, widget in self.widgets.items()
                    if fragment is not None and widget.fragment_id != fragment
                }
        elif kind == "navigation":
            pages = message.navigation.app_pages
            self.pages.update({page.url_pathname: page.page_script_hash for page in pages})
            self._page_hash = message.navigation.page_script_hash or self._page_hash
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "exception":
                self._exceptions.append(element.exception.message)
            widget = widget_of(element)
            if widget is not None:
                widget.fragment_id = message.delta.fragment_id
                self.widgets[widget.id] = widget
                if getattr(widget.element, "set_value", False):  # the script set it: the browser shows that
                    self._values.pop(widget.id, None)
        elif kind == "script_finished":
            if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return
            if self._run_id is not None and run_id is not None and run_id != self._run_id:
                return  # another run (a fragment's timer) ended
            if self._waiting is not None and not self._waiting.done():
                # as a browser does: the values of widgets no longer drawn are not sent again
                self._values = {key: value for key, value in self._values.items() if key in self.widgets}
                self._waiting.set_result(FINISHED.get(message.script_finished, "unknown"))


def _option(widget: Widget, label: object) -> str:
    if str(label) not in widget.options:
        raise ValueError(f"{label!r} is not one of {widget.id}'s options {widget.options}")
    return str(label)
