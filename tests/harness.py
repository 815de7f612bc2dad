"""The real `streamlit run` server and the headless Chromium, as the browser tests start them (and the
server benchmark, which imports this module): the server on a loopback port, waited for until its
health check answers, always stopped; Debian's Chromium (never a browser downloaded by Playwright)
with the flags that keep it off the network, and the script it installs in every page to know when a
script run has finished and been drawn (harness.js).

It imports neither Streamlit nor a browser: the server is a separate process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
APP_FILE = "streamlit_app.py"
SERVER_STOP_TIMEOUT_S = 15.0

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}
HARNESS_JS = (Path(__file__).parent / "harness.js").read_text(encoding="utf-8")


def streamlit_command(port: int, python: str = sys.executable) -> list[str]:
    """`streamlit run` of the app on a loopback port: headless, no file watcher, no usage statistics.
    Python itself, not a shell, so the process's own /proc entry is the server's memory."""
    return [
        python, "-m", "streamlit", "run", APP_FILE,
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def health_ok(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def start_server(
    port: int,
    log_path: Path,
    app_dir: Path = REPO_ROOT,
    before_exec: Callable[[], None] | None = None,
    python: str = sys.executable,
) -> subprocess.Popen:
    """`streamlit run` of `app_dir`'s streamlit_app.py (the repo's by default), its output in `log_path`.
    `before_exec` runs in the new process before Python starts (to join a control group, pin a core);
    `python`: the interpreter (a checkout's own environment)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as server_log:
        return subprocess.Popen(
            streamlit_command(port, python),
            cwd=app_dir,
            stdin=subprocess.DEVNULL,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            preexec_fn=before_exec,
        )


def wait_until_healthy(process: subprocess.Popen, base_url: str, timeout_s: float) -> float:
    """Seconds until /_stcore/health answers "ok"; raises if the server exits or takes too long."""
    started = time.monotonic()
    while not health_ok(base_url):
        if process.poll() is not None:
            raise RuntimeError(f"the streamlit server exited with code {process.returncode}")
        if time.monotonic() - started > timeout_s:
            raise TimeoutError(f"the streamlit server did not answer /_stcore/health within {timeout_s:g} s")
        time.sleep(0.1)
    return time.monotonic() - started


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=SERVER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
