"""Shared fixtures for unit, AppTest and browser tests.

Browser tests (files named ``test_browser_*.py``, or any test that uses pytest-playwright's ``page``)
are marked ``browser`` automatically, drive the system Chromium against one real ``streamlit run``
server per pytest session, and are never skipped: a missing Chromium is a failure.

    from playwright.sync_api import expect

    def test_translate(app_page, wait_for_script, screenshot):
        # app_page: the home page, loaded and idle
        app_page.get_by_label("Sentence").fill("ich kann dir helfen")
        app_page.keyboard.press("Enter")          # a text input commits on Enter or blur
        wait_for_script(app_page)                 # that rerun has finished
        expect(app_page.get_by_text("I can help you")).to_be_visible()
        screenshot(app_page, "translate")         # artifacts/screenshots/translate.png

    def test_deep_link(page, open_app):
        open_app(page, "encoder_decoder")         # any page by its URL path

Fixtures: ``streamlit_server`` (base URL), ``fresh_streamlit_server`` (a server of the test's own,
not visited yet), ``open_app``, ``app_page``, ``wait_for_script``, ``screenshot``. Set
``RNN_DEMO_APP_DIR`` to serve ``streamlit_app.py`` from another directory.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.harness import (
    APP_FILE,
    CHROMIUM,
    CHROMIUM_ARGS,
    HARNESS_JS,
    VIEWPORT,
    free_port,
    start_server,
    stop_server,
    wait_until_healthy,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
SERVER_LOG = ARTIFACTS / "streamlit-server.log"
FRESH_SERVER_LOG = ARTIFACTS / "streamlit-fresh-server.log"
# Directory holding the app's streamlit_app.py; the server runs there.
APP_DIR = Path(os.environ.get("RNN_DEMO_APP_DIR") or REPO_ROOT).resolve()


SERVER_START_TIMEOUT_S = 60
# scripts/test.sh names a file here when it installs Chromium in the background; its exit code lands in it
CHROMIUM_INSTALL_STATUS = "RNN_DEMO_CHROMIUM_INSTALL_STATUS"
CHROMIUM_INSTALL_TIMEOUT_S = 900
SCRIPT_RUN_TIMEOUT_MS = 60_000

_SERVER_STARTUP_KEY = pytest.StashKey[float]()

# Hypothesis without its per-example deadline (200 ms): on a shared 2-core machine any example may
# wait a second for the CPU, and a deadline would then fail a correct test. CI (CI=true) also prints
# the blob that reproduces a failure.
settings.register_profile("local", deadline=None)
settings.register_profile("ci", parent=settings.get_profile("local"), print_blob=True)
settings.load_profile("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "local")


# --------------------------------------------------------------------------- markers and reports


def _is_browser_file(path: Path) -> bool:
    return path.name.startswith("test_browser_")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the browser tests. Run alone, pytest runs them last: scripts/test.sh may still be installing
    Chromium in the background while the other tests run, and the first of them may wait for that
    install. With pytest-xdist (scripts/test.sh runs two workers, `--dist loadgroup`), the browser tests
    are one group, run first and in order by one worker, with one server and one Chromium, while the
    other worker runs the rest, each file's tests together (module fixtures are made once)."""
    browser_fixtures = {
        "page", "context", "browser", "app_page", "open_app", "streamlit_server", "fresh_streamlit_server"
    }
    browser_items = []
    for item in items:
        uses_browser = browser_fixtures & set(getattr(item, "fixturenames", ()))
        if _is_browser_file(item.path) or uses_browser:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))
            browser_items.append(item)
        else:
            item.add_marker(pytest.mark.xdist_group(item.path.name))
    others = [item for item in items if item not in browser_items]
    in_parallel = config.pluginmanager.hasplugin("xdist") and config.getoption("numprocesses", None)
    items[:] = browser_items + others if in_parallel else others + browser_items
    if browser_items and os.environ.get(CHROMIUM_INSTALL_STATUS):
        own = browser_items[0].get_closest_marker("timeout")
        own_s = own.args[0] if own and own.args else config.getini("timeout")
        browser_items[0].add_marker(pytest.mark.timeout(float(own_s) + CHROMIUM_INSTALL_TIMEOUT_S))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.skipped and not hasattr(report, "wasxfail") and item.get_closest_marker("browser"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"browser tests must never be skipped, but this one was: {reason}"
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    report = yield
    if report.skipped and isinstance(collector, pytest.Module) and _is_browser_file(collector.path):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"browser test module {collector.path.name} must never be skipped: {reason}"
    return report


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"streamlit app: {APP_DIR / APP_FILE}", f"chromium: {CHROMIUM}"]


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    startup = config.stash.get(_SERVER_STARTUP_KEY, None)
    if startup is not None:
        terminalreporter.write_line(
            f"streamlit server started in {startup:.1f} s; log: {SERVER_LOG.relative_to(REPO_ROOT)}"
        )


# --------------------------------------------------------------------------- AppTest support


@pytest.fixture(autouse=True)
def _empty_streamlit_caches_if_asked(request: pytest.FixtureRequest) -> Iterator[None]:
    """st.cache_resource / st.cache_data outlive AppTest instances, as they outlive sessions on a real
    server: the phrasebook's dictionary, the model registry and the Bottleneck held-out set are made
    once per pytest process and shared, as one server shares them. A test that needs what a freshly
    started server has says so with @pytest.mark.empty_streamlit_caches, and gets empty caches (they
    are emptied again after it).

    Does nothing until some test has imported streamlit, so pure unit tests never import it.
    """
    if not request.node.get_closest_marker("empty_streamlit_caches"):
        yield
        return
    _clear_caches_if_loaded()
    yield
    _clear_caches_if_loaded()


def _clear_caches_if_loaded() -> None:
    if "streamlit" in sys.modules:
        import streamlit as st

        st.cache_resource.clear()
        st.cache_data.clear()


# --------------------------------------------------------------------------- a trained model

# How far the shared tiny models are trained: the plain RNN two epochs, RNNsearch one (after two, its
# translations of the tests' sentences have settled on a few words).
HALF_TRAINED_EPOCHS = {"rnn": 2, "attention": 1}


@pytest.fixture(scope="session")
def half_trained_tiny() -> Callable[[str], Any]:
    """`half_trained_tiny(kind)`: the tiny preset early in its training, made once per test run and
    shared by every test that needs a trained model ("rnn" or "attention"; read it, never train it
    further). Trained by epochs, on one torch thread and against a clock that stands still: the same
    steps and the same floating-point sums however busy the machine is, so a test may train the same
    config again (in a child process, say) and expect the same weights. Unsure enough that every beam
    width finds another translation."""
    from dataclasses import replace

    from rnn_demo.training.config import PRESETS
    from rnn_demo.training.train import train
    from tests.trainings import SAME_ON_ANY_MACHINE

    made: dict[str, Any] = {}

    def trained(kind: str) -> Any:
        if kind not in made:
            config = replace(PRESETS["tiny"], kind=kind, epochs=HALF_TRAINED_EPOCHS[kind], time_budget_s=3600)
            made[kind] = train(config, **SAME_ON_ANY_MACHINE)
        return made[kind]

    return trained


# --------------------------------------------------------------------------- the server


def _log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as error:
        return f"(no server log: {error})"


@contextmanager
def _running_server(log_path: Path) -> Iterator[tuple[str, float]]:
    """`streamlit run streamlit_app.py` on a free loopback port: (its base URL, seconds it took to start)."""
    if not (APP_DIR / APP_FILE).is_file():
        pytest.fail(f"no {APP_FILE} in {APP_DIR} (set by RNN_DEMO_APP_DIR or the repo root)")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    process = start_server(port, log_path, APP_DIR)
    try:
        try:
            startup = wait_until_healthy(process, base_url, SERVER_START_TIMEOUT_S)
        except (RuntimeError, TimeoutError) as error:
            pytest.fail(f"{error}. Server log:\n{_log_tail(log_path)}")
        yield base_url, startup
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def streamlit_server(pytestconfig: pytest.Config) -> Iterator[str]:
    """The server most browser tests share (as many visitors share one); yields its base URL."""
    with _running_server(SERVER_LOG) as (base_url, startup):
        pytestconfig.stash[_SERVER_STARTUP_KEY] = startup
        yield base_url


@pytest.fixture
def fresh_streamlit_server() -> Iterator[str]:
    """A server of its own that no session has visited yet, for what only a fresh server shows."""
    with _running_server(FRESH_SERVER_LOG) as (base_url, _):
        yield base_url


# --------------------------------------------------------------------------- the browser


def _wait_for_chromium_install() -> None:
    """Wait for the Chromium install that scripts/test.sh started in the background, if any."""
    status_file = os.environ.get(CHROMIUM_INSTALL_STATUS)
    if not status_file:
        return
    status_path = Path(status_file)
    deadline = time.monotonic() + CHROMIUM_INSTALL_TIMEOUT_S
    while not status_path.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the Chromium install did not end within {CHROMIUM_INSTALL_TIMEOUT_S} s")
        time.sleep(1)
    status = status_path.read_text().strip()
    if status != "0":
        log = _log_tail(status_path.with_name("chromium-install.log"))
        pytest.fail(f"apt-get could not install chromium (exit code {status}):\n{log}")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options, pointed at the system Chromium (never downloaded)."""
    _wait_for_chromium_install()
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} not found: browser tests need the system Chromium "
            "(apt-get install -y chromium, or run `bash scripts/test.sh`, which installs it)"
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": VIEWPORT}


# True (and marks the run as seen) once a run has finished since the last call and the app is idle.
_RUN_FINISHED_JS = """
() => {
  const h = window.__stHarness;
  const app = document.querySelector("[data-testid='stApp']");
  if (!h || !app) return false;
  const state = app.getAttribute("data-test-script-state");
  const connected = app.getAttribute("data-test-connection-state") === "CONNECTED";
  if (!connected || h.done <= h.consumed || !["notRunning", "compilationError"].includes(state)) {
    return false;
  }
  h.consumed = h.done;
  return state;
}
"""

_STATE_JS = """
() => {
  const app = document.querySelector("[data-testid='stApp']");
  const h = window.__stHarness || {};
  return {
    script: app && app.getAttribute("data-test-script-state"),
    connection: app && app.getAttribute("data-test-connection-state"),
    finished_runs: h.done, seen_runs: h.consumed, unconfirmed: h.pending,
  };
}
"""


def wait_for_script(
    page: Any, timeout_ms: float = SCRIPT_RUN_TIMEOUT_MS, check_exceptions: bool = True
) -> Any:
    """Wait until a script run that ended after the previous wait has finished, then return page.

    Call it once after each interaction that reruns the script (a click on a button, Enter in a
    text input, a new slider or select value). It works whether the run is still going or already
    over. Reruns driven by a timer (st.fragment(run_every=...)) also count: for those, wait for the
    expected content with playwright's `expect(...)` instead.
    Fails on a compilation error, and on an uncaught exception shown by the app unless
    `check_exceptions=False`.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        state = page.wait_for_function(_RUN_FINISHED_JS, timeout=timeout_ms).json_value()
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"no Streamlit script run finished within {timeout_ms / 1000:.0f} s "
            f"(did the interaction trigger a rerun?); app state: {page.evaluate(_STATE_JS)}"
        ) from None
    if state == "compilationError":
        dialog = page.get_by_role("dialog")
        details = dialog.first.inner_text() if dialog.count() else f"see {SERVER_LOG}"
        raise AssertionError(f"the app script has a compilation error:\n{details}")
    if check_exceptions:
        exceptions = page.get_by_test_id("stException")
        if exceptions.count():
            raise AssertionError(f"the app shows an exception:\n{exceptions.first.inner_text()}")
    return page


def open_app(page: Any, base_url: str, path: str = "", check_exceptions: bool = True) -> Any:
    """Load `base_url/path` (e.g. path="encoder_decoder") and wait for its first run to end."""
    if not getattr(page, "_st_harness_installed", False):
        page.add_init_script(HARNESS_JS)
        page._st_harness_installed = True
    page.set_viewport_size(VIEWPORT)
    page.goto(f"{base_url}/{path.lstrip('/')}")
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        timeout=SCRIPT_RUN_TIMEOUT_MS
    )
    return wait_for_script(page, check_exceptions=check_exceptions)


def open_expander(page: Any, label: str) -> None:
    """Open the expander with this label (left open if it is). On a busy machine a click on it is now
    and then lost while the page settles, so click until its <details> element is open."""
    expander = page.get_by_test_id("stExpander").filter(has_text=label).first
    details = expander.locator("details")
    deadline = time.monotonic() + 30
    while details.get_attribute("open") is None:
        assert time.monotonic() < deadline, f"the expander “{label}” did not open within 30 s"
        expander.locator("summary").click()
        page.wait_for_timeout(300)


# Streamlit scrolls its main area (and sidebar) inside elements, not the document, so a plain
# full-page screenshot stops at the viewport: grow the viewport to the tallest scrolled content.
_CONTENT_HEIGHT_JS = """
() => Math.max(innerHeight, ...[...document.querySelectorAll("*")]
  .filter((e) => ["auto", "scroll"].includes(getComputedStyle(e).overflowY))
  .map((e) => innerHeight + e.scrollHeight - e.clientHeight))
"""
_TWO_FRAMES_JS = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
_ALL_FIGURES_DRAWN_JS = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
  .every((chart) => chart.querySelector(".main-svg"))"""


def wait_until_every_figure_is_drawn(page: Any) -> None:
    """Plotly draws a chart after the script run that sent it has ended: wait until every chart on the
    page has its drawing (on a busy machine the figures lower down come last)."""
    page.wait_for_function(_ALL_FIGURES_DRAWN_JS)
MAX_SCREENSHOT_HEIGHT = 10_000


def screenshot(page: Any, name: str) -> Path:
    """Save a PNG of the whole app (not just the viewport) to artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size or VIEWPORT
    height = min(int(page.evaluate(_CONTENT_HEIGHT_JS)), MAX_SCREENSHOT_HEIGHT)
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": height})
        page.evaluate(_TWO_FRAMES_JS)
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(viewport)
    return path


@pytest.fixture(name="open_app")
def _open_app(streamlit_server: str) -> Callable[..., Any]:
    """`open_app(page, path="")`: load a page of the app and wait until its script is idle."""

    def _open(page: Any, path: str = "", check_exceptions: bool = True) -> Any:
        return open_app(page, streamlit_server, path, check_exceptions=check_exceptions)

    return _open


@pytest.fixture
def app_page(page: Any, open_app: Callable[..., Any]) -> Any:
    """pytest-playwright's `page` with the app's home page loaded and idle."""
    return open_app(page)


@pytest.fixture(name="wait_for_script")
def _wait_for_script() -> Callable[..., Any]:
    """`wait_for_script(page)`: wait for the rerun started by the last interaction to finish."""
    return wait_for_script


@pytest.fixture(name="screenshot")
def _screenshot() -> Callable[[Any, str], Path]:
    """`screenshot(page, name)`: full-page PNG in artifacts/screenshots/NAME.png."""
    return screenshot
