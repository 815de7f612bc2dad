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

Fixtures: ``streamlit_server`` (base URL), ``open_app``, ``app_page``, ``wait_for_script``,
``screenshot``. Set ``RNN_DEMO_APP_DIR`` to serve ``streamlit_app.py`` from another directory.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS, HARNESS_JS, VIEWPORT
from benchmarks.server import APP_FILE, free_port, start_server, stop_server, wait_until_healthy

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
SERVER_LOG = ARTIFACTS / "streamlit-server.log"
# Directory holding the app's streamlit_app.py; the server runs there.
APP_DIR = Path(os.environ.get("RNN_DEMO_APP_DIR") or REPO_ROOT).resolve()


SERVER_START_TIMEOUT_S = 60
SCRIPT_RUN_TIMEOUT_MS = 60_000

_SERVER_STARTUP_KEY = pytest.StashKey[float]()


# --------------------------------------------------------------------------- markers and reports


def _is_browser_file(path: Path) -> bool:
    return path.name.startswith("test_browser_")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_fixtures = {"page", "context", "browser", "app_page", "open_app", "streamlit_server"}
    for item in items:
        uses_browser = browser_fixtures & set(getattr(item, "fixturenames", ()))
        if _is_browser_file(item.path) or uses_browser:
            item.add_marker(pytest.mark.browser)


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
def _clear_streamlit_caches(request: pytest.FixtureRequest) -> Iterator[None]:
    """Give every AppTest a cold st.cache_resource / st.cache_data (they outlive AppTest instances).

    Does nothing until some test has imported streamlit, so pure unit tests never import it.
    Opt out with @pytest.mark.keep_streamlit_caches.
    """
    if request.node.get_closest_marker("keep_streamlit_caches"):
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


# --------------------------------------------------------------------------- the server


def _log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as error:
        return f"(no server log: {error})"


@pytest.fixture(scope="session")
def streamlit_server(pytestconfig: pytest.Config) -> Iterator[str]:
    """Start `streamlit run streamlit_app.py` on a free loopback port; yield its base URL."""
    if not (APP_DIR / APP_FILE).is_file():
        pytest.fail(f"no {APP_FILE} in {APP_DIR} (set by RNN_DEMO_APP_DIR or the repo root)")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    process = start_server(port, SERVER_LOG, APP_DIR)
    try:
        try:
            startup = wait_until_healthy(process, base_url, SERVER_START_TIMEOUT_S)
        except (RuntimeError, TimeoutError) as error:
            pytest.fail(f"{error}. Server log:\n{_log_tail(SERVER_LOG)}")
        pytestconfig.stash[_SERVER_STARTUP_KEY] = startup
        yield base_url
    finally:
        stop_server(process)


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch options, pointed at the system Chromium (never downloaded)."""
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


# Streamlit scrolls its main area (and sidebar) inside elements, not the document, so a plain
# full-page screenshot stops at the viewport: grow the viewport to the tallest scrolled content.
_CONTENT_HEIGHT_JS = """
() => Math.max(innerHeight, ...[...document.querySelectorAll("*")]
  .filter((e) => ["auto", "scroll"].includes(getComputedStyle(e).overflowY))
  .map((e) => innerHeight + e.scrollHeight - e.clientHeight))
"""
_TWO_FRAMES_JS = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
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
