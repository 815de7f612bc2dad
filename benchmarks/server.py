"""The real `streamlit run` server as the benchmarks and the browser tests start it, and what the host
would see of it: its memory, its load, and what went wrong in its log.

It imports neither Streamlit nor a browser: the server is a separate process.
"""

from __future__ import annotations

import asyncio
import os
import re
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


def streamlit_command(port: int) -> list[str]:
    """`streamlit run` of the app on a loopback port: headless, no file watcher, no usage statistics.
    Python itself, not a shell, so the process's own /proc entry is the server's memory."""
    return [
        sys.executable, "-m", "streamlit", "run", APP_FILE,
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip


def parse_proc_status(text: str) -> dict[str, int]:
    """The memory lines ("VmRSS:   123456 kB") of a /proc/<pid>/status file, in bytes."""
    sizes = {}
    for line in text.splitlines():
        match = re.fullmatch(r"(\w+):\s+(\d+) kB", line.strip())
        if match:
            sizes[match[1]] = int(match[2]) * 1024
    return sizes


def parse_loadavg(text: str) -> dict[str, float]:
    """The 1, 5 and 15 minute load averages from the text of /proc/loadavg."""
    one, five, fifteen = (float(field) for field in text.split()[:3])
    return {"1min": one, "5min": five, "15min": fifteen}


def mb(size_bytes: int | None) -> float | None:
    return None if size_bytes is None else size_bytes / 2**20


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
    port: int, log_path: Path, app_dir: Path = REPO_ROOT, before_exec: Callable[[], None] | None = None
) -> subprocess.Popen:
    """`streamlit run` of `app_dir`'s streamlit_app.py (the repo's by default), its output in `log_path`.
    `before_exec` runs in the new process before Python starts (to join a control group, pin a core)."""
    command = streamlit_command(port)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as server_log:
        return subprocess.Popen(
            command,
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


def server_memory(pid: int) -> dict[str, float | None]:
    """Current and peak resident memory of the server process, in MB."""
    try:
        sizes = parse_proc_status(Path(f"/proc/{pid}/status").read_text())
    except OSError:  # not Linux, or the process is gone
        return {"rss_mb": None, "peak_rss_mb": None}
    return {"rss_mb": mb(sizes.get("VmRSS")), "peak_rss_mb": mb(sizes.get("VmHWM"))}


def memory_with_children(pid: int) -> tuple[float, float] | None:
    """Resident memory of the server and the sum of its child processes' (the training), in MB."""
    import psutil  # a dev dependency, as the browser is

    try:
        server = psutil.Process(pid)
        children = server.children(recursive=True)
        child_bytes = 0
        for child in children:
            try:
                child_bytes += child.memory_info().rss
            except psutil.NoSuchProcess:  # a training ended between the two calls
                pass
        return server.memory_info().rss / 2**20, child_bytes / 2**20
    except psutil.NoSuchProcess:
        return None


async def sample_memory(pid: int, memory: dict, every_s: float = 0.25) -> None:
    """Until cancelled: the highest sampled memory of the training child process, and of the server
    and its children together (VmHWM sees the server process alone)."""
    while True:
        sizes = memory_with_children(pid)
        if sizes is not None:
            server_mb, child_mb = sizes
            memory["peak_child_mb"] = max(memory.get("peak_child_mb", 0.0), child_mb)
            memory["peak_total_mb"] = max(memory.get("peak_total_mb", 0.0), server_mb + child_mb)
        await asyncio.sleep(every_s)


def load_average() -> dict[str, float] | None:
    try:
        return parse_loadavg(Path("/proc/loadavg").read_text())
    except OSError:
        return None


def log_problems(text: str) -> dict:
    """What went wrong according to a server log: how many tracebacks, and how often each exception
    ended one (its last line, "module.Error: message"), so a run with a hidden failure is noticed."""
    lines = text.splitlines()
    exceptions: dict[str, int] = {}
    in_traceback = False
    for line in lines:
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
        elif in_traceback and line and not line[0].isspace():  # the first unindented line ends it
            exceptions[line[:200]] = exceptions.get(line[:200], 0) + 1
            in_traceback = False
    other = [line for line in lines if re.search(r"\b(ERROR|CRITICAL)\b", line)]
    # A message repeated many times (a warning logged per rerun) tells of a pile-up: counted with the
    # timestamp taken off
    messages: dict[str, int] = {}
    for line in lines:
        message = re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? ", "", line).strip()
        if message:
            messages[message[:200]] = messages.get(message[:200], 0) + 1
    frequent = sorted(messages.items(), key=lambda item: -item[1])[:3]
    return {
        "lines": len(lines),
        "tracebacks": sum(line.startswith("Traceback") for line in lines),
        "exceptions": exceptions,
        "error_lines": other[:20],
        "most_frequent": {message: count for message, count in frequent if count > 1},
    }


def server_log_problems(log_path: Path) -> dict:
    try:
        return log_problems(log_path.read_text(errors="replace"))
    except OSError as error:
        return {"lines": 0, "tracebacks": 0, "exceptions": {}, "error_lines": [f"no server log: {error}"]}
