"""Real browser: the first visitor of a server that has just started sees the page's title and a
loading message while the models load, never a blank page, and then the page itself.

The server runs a copy of the app whose shipped plain-RNN model is a named pipe: reading it waits
until the test writes the model into it. So the models are still loading while the browser looks, on
a machine of any speed, and the test says when they are done: it checks the order of what is seen,
never how long anything took.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from benchmarks.server import free_port, start_server, stop_server, wait_until_healthy
from rnn_demo.app.loading import LOADING
from rnn_demo.training.checkpoint import CHECKPOINTS_DIR
from tests.conftest import HARNESS_JS, SCRIPT_RUN_TIMEOUT_MS, SERVER_START_TIMEOUT_S

REPO = Path(__file__).resolve().parents[1]
HELD = "rnn.safetensors"  # the model the Encoder–decoder page translates with
TITLE = "Encoder–decoder RNN"
SEED_ENGLISH = "Can you help me translate this sentence?"


def app_waiting_for_its_model(root: Path) -> Path:
    """A copy of the app in `root` whose checkpoint HELD is a named pipe (the others are links)."""
    # copies, not links: the package finds its files (checkpoints, results) from its own resolved path
    skipped = shutil.ignore_patterns("__pycache__", "*.safetensors")
    for name in ("streamlit_app.py", "pages", ".streamlit", "rnn_demo"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name, ignore=skipped)
        else:
            shutil.copy(REPO / name, root / name)
    checkpoints = root / CHECKPOINTS_DIR.relative_to(REPO)
    for checkpoint in CHECKPOINTS_DIR.glob("*.safetensors"):
        if checkpoint.name == HELD:
            os.mkfifo(checkpoints / HELD)
        else:
            (checkpoints / checkpoint.name).symlink_to(checkpoint)
    return root


@pytest.fixture
def waking_server(tmp_path: Path) -> Iterator[tuple[str, threading.Thread]]:
    """A fresh server of that copy, and the (not yet started) thread that hands it the held model."""
    app_dir = app_waiting_for_its_model(tmp_path)
    pipe = app_dir / CHECKPOINTS_DIR.relative_to(REPO) / HELD

    def hand_over() -> None:
        with open(pipe, "wb") as writer:  # waits until the server opens the pipe to read it
            writer.write((CHECKPOINTS_DIR / HELD).read_bytes())

    release = threading.Thread(target=hand_over, daemon=True)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = REPO / "artifacts" / "streamlit-waking-server.log"
    process = start_server(port, log, app_dir)
    try:
        try:
            wait_until_healthy(process, base_url, SERVER_START_TIMEOUT_S)
        except (RuntimeError, TimeoutError) as error:
            pytest.fail(f"{error}; see {log}")
        yield base_url, release
    finally:
        stop_server(process)


def test_a_waking_server_shows_the_page_title_and_a_loading_message_then_the_page(
    page: Page, waking_server, screenshot
):
    base_url, release = waking_server
    page.add_init_script(HARNESS_JS)
    page.goto(f"{base_url}/encoder_decoder")
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        timeout=SCRIPT_RUN_TIMEOUT_MS
    )
    main = page.get_by_test_id("stMain")
    charts = page.get_by_test_id("stPlotlyChart")

    # 1. The model cannot have loaded yet: the page says what it is and that it is loading
    expect(main.get_by_role("heading", name=TITLE, level=1)).to_be_visible(timeout=SCRIPT_RUN_TIMEOUT_MS)
    expect(main.get_by_text(LOADING)).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_text(TITLE)).to_be_visible()
    expect(charts).to_have_count(0)
    screenshot(page, "wake_up_loading")

    # 2. The model arrives: the loading message gives way to the page, translation and figures drawn
    release.start()
    expect(main.get_by_text(SEED_ENGLISH).first).to_be_visible(timeout=120_000)
    expect(charts).to_have_count(5, timeout=60_000)
    expect(main.get_by_text(LOADING)).to_have_count(0)
    expect(main.get_by_role("heading", name=TITLE, level=1)).to_have_count(1)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshot(page, "wake_up_drawn")
    release.join(timeout=10)
    assert not release.is_alive(), "the server never read the model it was given"
