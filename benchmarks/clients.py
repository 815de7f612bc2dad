"""The sessions the server benchmark drives, three kinds with the same few methods: `open(page)`, `set
({widget key: value})`, `switch_page(page)`, `options(key)`, `page_text()`, `close()`. Each method that
makes the server run the script returns the `Run` it timed. Widgets are found by the key the app gave
them; a value is what a person picks: an option's label, a typed string, a number, True for a click.

- `WebsocketSession` speaks what the Streamlit frontend speaks, without a browser: a websocket on
  /_stcore/stream, BackMsg protobufs up (rerun_script with the page and the widget states), ForwardMsg
  protobufs down (the page's elements, script_finished). A widget's id, sent in its element, ends with
  "-" and its key. A run is timed from sending to the script_finished of the run it started.
- `BrowserSession` is a page in headless Chromium (a context of its own). A run is timed in the page,
  from the click or Enter to the run's end drawn (tests/harness.js).
- `AppTestSession` runs the app in this process with Streamlit's AppTest, and also counts the CPU time
  of the script's own thread.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

from tests.harness import CHROMIUM, CHROMIUM_ARGS, HARNESS_JS, VIEWPORT

MAX_MESSAGE_BYTES = 200 * 2**20  # the server's own bound (server.maxMessageSize) is at most 200 MB


@dataclass
class Run:
    """One script run as the session saw it."""

    seconds: float
    status: str = "finished"
    exceptions: list[str] = field(default_factory=list)  # messages of tracebacks shown on the page
    script_cpu_s: float | None = None  # AppTest only: the CPU time of the script's own thread


def widget_state(widget_id: str, kind: str, options: list[str], value: object) -> WidgetState:
    """What a browser sends for a widget set to `value` (a button's click: True)."""
    state = WidgetState(id=widget_id)
    if kind in ("selectbox", "button_group") and str(value) not in options:
        raise ValueError(f"{value!r} is not one of {widget_id}'s options {options}")
    if kind == "button":
        state.trigger_value = bool(value)
    elif kind == "button_group":
        state.string_array_value.data.append(str(value))
    elif kind == "slider":
        state.double_array_value.data.append(float(value))
    elif kind == "number_input":
        state.int_value = int(value)
    else:  # text input and area, selectbox
        state.string_value = str(value)
    return state


@dataclass
class Widget:
    id: str
    kind: str  # the element's type: "selectbox", "button_group", ...
    options: list[str]
    fragment_id: str = ""


class WebsocketSession:
    def __init__(self, base_url: str) -> None:
        self.url = base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.widgets: dict[str, Widget] = {}  # by id, from the latest runs
        self.pages: dict[str, str] = {}  # page script hash by URL path ("encoder_decoder", "" for home)
        self._values: dict[str, WidgetState] = {}  # what the "browser" has set, sent with every rerun
        self._socket = self._reader = self._waiting = None
        self._run_id, self._fragment_ids, self._page_hash = None, [], ""
        self._texts: list[str] = []
        self._exceptions: list[str] = []

    async def open(self, page: str) -> Run:
        """The first run of a new session, as a browser sends it for the URL /page."""
        import websockets

        self._socket = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=MAX_MESSAGE_BYTES, open_timeout=300
        )
        self._reader = asyncio.create_task(self._read())
        return await self._rerun(page_name=page)

    async def switch_page(self, page: str) -> Run:
        """Go to another page as the sidebar does (the widgets of the page left behind are dropped)."""
        self._values.clear()
        return await self._rerun(page_script_hash=self.pages["" if page == "home" else page])

    def _widget(self, key: str) -> Widget:
        matches = [widget for widget in self.widgets.values() if widget.id.endswith(f"-{key}")]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} widgets with the key {key!r} on the page")
        return matches[0]

    async def options(self, key: str) -> list[str]:
        return self._widget(key).options

    async def set(self, values: dict[str, object]) -> Run:
        """Set widgets and rerun once, as a browser does when a widget changes."""
        clicks, fragments = [], set()
        for key, value in values.items():
            widget = self._widget(key)
            state = widget_state(widget.id, widget.kind, widget.options, value)
            if widget.kind == "button":
                clicks.append(state)
            else:
                self._values[widget.id] = state
            fragments.add(widget.fragment_id)
        fragment = fragments.pop() if len(fragments) == 1 else ""
        return await self._rerun(page_script_hash=self._page_hash, fragment_id=fragment, clicks=clicks)

    async def page_text(self, rerun: bool = True) -> str:
        """The text of the page, after a rerun of its timed part (as a browser's timer reruns it) or of
        the whole page; `rerun=False`: as the last run left it (a message shown once, after a click)."""
        if not rerun:
            return "\n".join(self._texts)
        fragments = {widget.fragment_id for widget in self.widgets.values()} - {""}
        await self._rerun(page_script_hash=self._page_hash, fragment_id=min(fragments, default=""))
        return "\n".join(self._texts)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._socket is not None:
            await self._socket.close()

    async def _rerun(self, page_name="", page_script_hash="", fragment_id="", clicks=()) -> Run:
        message = BackMsg()
        state = message.rerun_script
        state.page_name, state.page_script_hash, state.fragment_id = page_name, page_script_hash, fragment_id
        state.widget_states.widgets.extend([*self._values.values(), *clicks])
        self._waiting, self._run_id = asyncio.get_running_loop().create_future(), None
        self._fragment_ids = [fragment_id] if fragment_id else []
        self._exceptions = []
        started = time.perf_counter()
        await self._socket.send(message.SerializeToString())
        status = await self._waiting
        return Run(time.perf_counter() - started, status, self._exceptions)

    async def _read(self) -> None:
        try:
            async for data in self._socket:
                message = ForwardMsg()
                message.ParseFromString(data)
                self._handle(message)
        except Exception as error:  # the socket closed, or a message this client cannot read
            if self._waiting is not None and not self._waiting.done():
                self._waiting.set_exception(error)
            raise

    def _handle(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        run_id = message.metadata.run.script_run_id if message.metadata.HasField("run") else None
        if kind == "new_session":
            # the run asked for, or a whole run that replaces it (a fragment's st.rerun, the first run
            # of a fresh server rerunning itself) is the one that counts
            fragments = list(message.metadata.run.fragment_ids)
            if fragments == self._fragment_ids or not fragments:
                self._run_id = run_id
                self._page_hash = message.new_session.page_script_hash or self._page_hash
                self._texts, kept = [], self._fragment_ids[0] if fragments else None
                # the run draws its widgets anew (a widget's id changes with its parameters)
                self.widgets = {i: w for i, w in self.widgets.items() if kept and w.fragment_id != kept}
        elif kind == "navigation":
            pages = message.navigation.app_pages
            self.pages.update({page.url_pathname: page.page_script_hash for page in pages})
            self._page_hash = message.navigation.page_script_hash or self._page_hash
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._element(message.delta.new_element, message.delta.fragment_id)
        elif kind == "script_finished":
            if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN or run_id != self._run_id:
                return  # another run (a fragment's timer) ended
            if self._waiting is not None and not self._waiting.done():
                # as a browser does: the values of widgets no longer drawn are not sent again
                self._values = {key: value for key, value in self._values.items() if key in self.widgets}
                compile_error = message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR
                self._waiting.set_result("compile error" if compile_error else "finished")

    def _element(self, element, fragment_id: str) -> None:
        kind = element.WhichOneof("type")
        proto = getattr(element, kind) if kind else None
        if proto is None:
            return
        fields = proto.DESCRIPTOR.fields_by_name
        if kind == "exception":
            self._exceptions.append(proto.message)
        texts = [getattr(proto, name) for name in ("body", "text") if name in fields]
        self._texts += [text for text in texts if isinstance(text, str)]
        # every widget can be disabled; charts and dataframes have ids too, but only widgets have this
        if "disabled" in fields and "id" in fields and proto.id:
            options = [str(getattr(option, "content", option)) for option in getattr(proto, "options", [])]
            self.widgets[proto.id] = Widget(proto.id, kind, options, fragment_id)
            if getattr(proto, "set_value", False):  # the script set it: the browser shows that
                self._values.pop(proto.id, None)


# Arms the page's clock for the next click or Enter; returns the runs finished so far.
ARM_JS = "() => { const h = window.__stHarness; h.armed = true; h.actionAt = null; return h.done; }"
# Once a run has ended after `before` and been drawn, and the app is idle: ms from the armed action
# to that run drawn (-1: the page saw no action).
DRAWN_JS = """(before) => {
  const h = window.__stHarness, app = document.querySelector("[data-testid='stApp']");
  const idle = app && app.getAttribute("data-test-script-state") === "notRunning";
  if (!h || !idle || h.done <= before) return false;
  return h.actionAt === null ? -1 : h.doneAt - h.actionAt;
}"""
EXCEPTIONS_JS = "() => [...document.querySelectorAll('[data-testid=stException]')].map((e) => e.innerText)"


async def chromium(playwright):
    """Debian's Chromium, headless and off the network, as the browser tests launch it."""
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class BrowserSession:
    def __init__(self, browser, base_url: str, timeout_s: float = 600) -> None:
        self.browser, self.base_url, self.timeout_ms = browser, base_url, timeout_s * 1000
        self.page = None

    async def open(self, page: str) -> Run:
        context = await self.browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(self.timeout_ms)
        await context.add_init_script(HARNESS_JS)
        self.page = await context.new_page()
        return await self._timed(self.page.goto(f"{self.base_url}/{page}"))

    async def switch_page(self, page: str) -> Run:
        link = self.page.locator(f"[data-testid='stSidebarNav'] a[href$='/{'' if page == 'home' else page}']")
        return await self._timed(link.click())

    async def options(self, key: str) -> list[str]:
        return await self.page.locator(f".st-key-{key} button").all_inner_texts()

    async def set(self, values: dict[str, object]) -> Run:
        """Each widget as a person sets it (each change is a run of its own); the last run."""
        run = Run(0.0)
        for key, value in values.items():
            box = self.page.locator(f".st-key-{key}")
            if not await box.is_visible():  # in a closed expander
                await self.page.get_by_test_id("stExpander").filter(has=box).locator("summary").click()
            slider = box.get_by_role("slider")
            if value is True:
                run = await self._timed(box.get_by_role("button").click())
            elif await slider.count():  # one key press (and run) a step, from the lowest value up
                await slider.focus()
                while (now := float(await slider.get_attribute("aria-valuenow"))) != float(value):
                    run = await self._timed(slider.press("Home" if now > float(value) else "ArrowRight"))
            elif await box.get_by_role("combobox").count():  # a selectbox
                await box.get_by_role("combobox").click()
                run = await self._timed(self.page.get_by_role("option", name=str(value), exact=True).click())
            elif await box.locator("input, textarea").count():
                await box.locator("input, textarea").fill(str(value))
                run = await self._timed(box.locator("input, textarea").press("Enter"))
            else:  # a segmented control: its option's button
                run = await self._timed(box.get_by_role("button", name=str(value), exact=True).click())
        return run

    async def page_text(self, rerun: bool = True) -> str:  # a browser's page is always up to date
        return await self.page.get_by_test_id("stMain").inner_text()

    async def close(self) -> None:
        if self.page is not None:
            await self.page.context.close()

    async def _timed(self, action) -> Run:
        before = await self.page.evaluate(ARM_JS) if self.page.url.startswith("http") else 0
        started = time.perf_counter()
        await action
        drawn = await self.page.wait_for_function(DRAWN_JS, arg=before, polling=50, timeout=self.timeout_ms)
        in_page_ms = await drawn.json_value()
        seconds = time.perf_counter() - started if in_page_ms < 0 else in_page_ms / 1000
        return Run(seconds, exceptions=await self.page.evaluate(EXCEPTIONS_JS))


class AppTestSession:
    def __init__(self, app_dir: Path) -> None:
        self.app_dir = app_dir
        self.at = None

    async def open(self, page: str) -> Run:
        from streamlit.testing.v1 import AppTest

        self.at = AppTest.from_file(str(self.app_dir / "streamlit_app.py"), default_timeout=300)
        return await self.switch_page(page)

    async def switch_page(self, page: str) -> Run:
        self.at.switch_page(str(self.app_dir / "pages" / f"{page}.py"))
        return self._timed(WidgetStates(widgets=self.at._tree.get_widget_states().widgets))

    async def options(self, key: str) -> list[str]:
        return list(self.at.get_by_key(key).options)

    async def set(self, values: dict[str, object]) -> Run:
        states = {state.id: state for state in self.at._tree.get_widget_states().widgets}
        for key, value in values.items():
            widget = self.at.get_by_key(key)
            options = list(getattr(widget, "options", []))
            states[widget.id] = widget_state(widget.id, widget.type, options, value)
        return self._timed(WidgetStates(widgets=states.values()))

    async def page_text(self, rerun: bool = True) -> str:
        at = self.at
        return "\n".join(
            str(e.value) for e in [*at.markdown, *at.caption, *at.success, *at.info, *at.warning]
        )

    async def close(self) -> None:
        self.at = None

    def _timed(self, states: WidgetStates) -> Run:
        wall, cpu, own = time.perf_counter(), time.process_time(), time.thread_time()
        self.at._run(states)  # what AppTest.run() does with the states of its own widgets
        # the script runs in a thread of its own, while this one waits for it and reads what it sent
        script_cpu = time.process_time() - cpu - (time.thread_time() - own)
        exceptions = [element.value for element in self.at.exception]
        return Run(time.perf_counter() - wall, exceptions=exceptions, script_cpu_s=script_cpu)
