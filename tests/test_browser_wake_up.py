"""Real browser: the first visitor of a server that has just started sees the page's title and a
loading message while the server is still importing torch and loading the models, never a blank
page, and then the page itself.

The server is held at its import of torch: a `sitecustomize` module, put on its path by this test,
makes that import wait on a named pipe until the test writes to it. So torch and the models are not
there yet while the browser looks, on a machine of any speed, and the test says when they may come:
it checks the order of what is seen, never how long anything took.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from rnn_demo.app.loading import LOADING
from tests.conftest import HARNESS_JS, SCRIPT_RUN_TIMEOUT_MS

TITLE = "Encoder–decoder RNN"
SEED_ENGLISH = "Can you help me translate this sentence?"
GATE_VARIABLE = "RNN_DEMO_TEST_TORCH_GATE"

# Imported by the server's Python at its start. The module is executed under torch's own import lock
# only (finders run under Python's global import lock, which other threads need): so only what imports
# torch waits.
HOLD_TORCH = f'''
import importlib.abc, os, sys

GATE = os.environ["{GATE_VARIABLE}"]


class HoldTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != "torch" or not os.path.exists(GATE):
            return None
        for finder in sys.meta_path:
            if finder is not self and hasattr(finder, "find_spec"):
                spec = finder.find_spec(name, path, target)
                if spec is not None:
                    break
        else:
            return None
        execute = spec.loader.exec_module

        def exec_module(module):
            with open(GATE, "rb") as gate:  # a named pipe: waits until the test writes to it
                gate.read()
            execute(module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, HoldTorch())
'''


@pytest.fixture
def server_holding_torch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[tuple[str, threading.Thread]]:
    """A fresh server whose import of torch waits, and the (not yet started) thread that lets it go."""
    (tmp_path / "sitecustomize.py").write_text(HOLD_TORCH, encoding="utf-8")
    gate = tmp_path / "torch-gate"
    os.mkfifo(gate)
    monkeypatch.setenv(GATE_VARIABLE, str(gate))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path), prepend=os.pathsep)

    def let_go() -> None:
        with open(gate, "wb") as writer:  # waits until the server opens the pipe to read it
            writer.write(b"go")
        gate.unlink()  # later imports of torch (a training's process) do not wait

    release = threading.Thread(target=let_go, daemon=True)
    yield request.getfixturevalue("fresh_streamlit_server"), release
    if not release.is_alive() and gate.exists():  # never let go: the server is stopped after this
        gate.unlink()


def test_a_waking_server_shows_the_page_title_and_a_loading_message_before_torch_then_the_page(
    page: Page, server_holding_torch, screenshot
):
    base_url, release = server_holding_torch
    page.add_init_script(HARNESS_JS)
    page.goto(f"{base_url}/encoder_decoder")
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        timeout=SCRIPT_RUN_TIMEOUT_MS
    )
    main = page.get_by_test_id("stMain")
    heading = main.get_by_role("heading", name=TITLE, level=1)
    charts = page.get_by_test_id("stPlotlyChart")

    # 1. torch is not imported yet, so no model can be there: the page says what it is and that it loads
    expect(heading).to_be_visible(timeout=SCRIPT_RUN_TIMEOUT_MS)
    expect(main.get_by_text(LOADING)).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_text(TITLE)).to_be_visible()
    # the one chart there is Plotly's warm-up: loaded by the browser, out of sight and of screen readers
    expect(charts).to_have_count(1)
    expect(charts).to_be_hidden()
    assert page.locator("[data-testid='stPlotlyChart']:visible").count() == 0
    screenshot(page, "wake_up_loading")

    # 2. torch may come: the loading message gives way to the page, its translation and figures drawn
    release.start()
    expect(main.get_by_text(SEED_ENGLISH).first).to_be_visible(timeout=120_000)
    expect(charts).to_have_count(5, timeout=60_000)  # the page's five; the warm-up chart is gone
    expect(page.locator("[data-testid='stPlotlyChart']:visible")).to_have_count(5)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)  # every widget's script is there too
    expect(main.get_by_text(LOADING)).to_have_count(0)
    expect(heading).to_have_count(1)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "wake_up_drawn")
    release.join(timeout=30)
    assert not release.is_alive(), "the server never imported torch"
