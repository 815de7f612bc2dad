"""A child process of ours (a training, or the maker of its sentences) ends when its parent is gone,
also when the parent is killed and cannot end it: an orphaned training would hold a core and hundreds
of MB of a host's memory for nobody."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

# The parent: starts a child that would sleep ten minutes, says its pid, then waits to be killed.
PARENT = """
import sys, time
from rnn_demo.training.processes import start_process

child = start_process(time.sleep, (600,), "sleeper")
print(child.pid, flush=True)
time.sleep(600)
"""


def gone(pid: int) -> bool:
    """Whether the process has ended (an ended one nobody has reaped yet is a zombie)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status


def test_a_child_ends_soon_after_its_parent_is_killed():
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        child_pid = int(parent.stdout.readline())
        time.sleep(1.5)  # the child is running: its parent is still there
        assert not gone(child_pid)
        os.kill(parent.pid, signal.SIGKILL)  # no exit handler runs: the child is told nothing
        parent.wait(timeout=10)
        deadline = time.monotonic() + 20
        while not gone(child_pid):
            assert time.monotonic() < deadline, "the child outlived its killed parent by 20 s"
            time.sleep(0.1)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
