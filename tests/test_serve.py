"""The server benchmark: its pure pieces against hand-computed values, the control group against the
kernel's own count (root), and short runs of its clients against the real app: websocket sessions on a
server in a control group, and the AppTest session in this process."""

import asyncio
import os
import subprocess
import sys
import time

import pytest

from benchmarks.cgroup import ControlGroup
from benchmarks.clients import AppTestSession, Run, WebsocketSession
from benchmarks.serve import (
    FIRST_OPEN,
    INTERACTIONS,
    MODEL,
    NEXT,
    OPEN,
    STEP,
    TYPED,
    at_once,
    do,
    figures,
    interactions,
    log_problems,
    sample_memory,
    summary,
    tables,
)
from tests import harness

HOLDS_60_MB = "import time; data = b'x' * (60 * 2**20); time.sleep(30)"


def test_summary_of_batches_gives_the_median_cpu_per_run_and_the_slowest_session():
    batches = [
        ([Run(0.5), Run(1.5, exceptions=["KeyError: 'x'"])], 0.040),  # two runs at once, 40 ms of CPU each
        ([Run(0.25)], 0.010),
        ([Run(0.75)], 0.100),
    ]
    got = summary(batches)
    assert got["runs"] == 4 and got["cpu_ms"] == pytest.approx(40.0)  # the median of 40, 10 and 100
    assert got["median_s"] == 0.625 and got["worst_s"] == 1.5  # the runs: 0.25, 0.5, 0.75, 1.5
    assert got["exceptions"] == ["KeyError: 'x'"] and got["script_cpu_ms"] is None


def test_at_once_divides_the_cpu_time_by_the_runs():
    readings = iter([10.0, 10.3])

    async def act(seconds):
        return Run(seconds)

    runs, cpu = asyncio.run(at_once(lambda: next(readings), [act(0.1), act(0.2), act(0.3)]))
    assert [run.seconds for run in runs] == [0.1, 0.2, 0.3] and cpu == pytest.approx(0.1)


class RecordingSession:
    def __init__(self):
        self.calls = []

    async def set(self, values):
        self.calls.append(values)
        return Run(0.0)

    async def switch_page(self, page):
        self.calls.append(page)
        return Run(0.0)

    async def options(self, key):
        return ["Plain RNN (shipped)", "RNN + attention (shipped)"]


def test_a_step_takes_a_new_sentence_each_time_and_a_model_by_its_option():
    session, sentences = RecordingSession(), ["fourth", "third", "second", "first"]
    steps = [step for preparing, timed in INTERACTIONS.values() for step in [*preparing, timed]]
    for step in steps:
        asyncio.run(do(session, step, sentences))
    typed = [call[TYPED] for call in session.calls if isinstance(call, dict) and TYPED in call]
    assert typed == ["first", "second", "third", "fourth"] and sentences == []  # one each, in turn
    assert {"model_choice": "Plain RNN (shipped)"} in session.calls
    assert {"model_choice": "RNN + attention (shipped)"} in session.calls
    pages = [call for call in session.calls if isinstance(call, str)]
    assert set(pages) == {
        "encoder_decoder",
        "home",
        "word_by_word",
        "bottleneck",
        "hidden_state",
        "your_corpus",
    }
    assert {STEP: 0} in session.calls and {NEXT: True} in session.calls and MODEL == "model_choice"


def test_log_problems_count_tracebacks_and_their_exceptions():
    log = """\
  URL: http://127.0.0.1:8501
Traceback (most recent call last):
  File "starlette_websocket.py", line 516, in _websocket_endpoint
starlette.websockets.WebSocketDisconnected: WebSocket is not connected.

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "websockets.py", line 187, in close
starlette.websockets.WebSocketDisconnected: Cannot call "send" after close.
2026-11-25 11:30:15.236 ERROR something else
Traceback (most recent call last):
  File "x.py", line 1, in <module>
"""
    problems = log_problems(log)
    assert problems["tracebacks"] == 3  # the last one cut off by the end of the log
    assert problems["exceptions"] == {
        "starlette.websockets.WebSocketDisconnected: WebSocket is not connected.": 1,
        'starlette.websockets.WebSocketDisconnected: Cannot call "send" after close.': 1,
    }
    assert log_problems("  You can now view your Streamlit app in your browser.\n")["tracebacks"] == 0


def measured(cpu_ms, median_s=0.5):
    return {"cpu_ms": cpu_ms, "script_cpu_ms": None, "median_s": median_s, "worst_s": 1.25}


def test_the_tables_put_checkouts_side_by_side():
    def result(label, cpu_ms, **more):
        by_sessions = {"1": {OPEN: measured(30), "new sentence": measured(cpu_ms)}}
        return {"label": label, FIRST_OPEN: measured(2500.4, 3.0), "by_sessions": by_sessions, **more}

    server = {
        "memory": {"server_peak_rss_mb": 459.6}, "peak_mb_started": 59.0, "peak_mb_sessions": 382.2,
        "sessions": 30, "training": {"peak_mb": 689.5, "outcome": "refused", "seconds": 1.0},
        "oom_kills": 0, "server_log": {"tracebacks": 0}, "load_average_start": 2.25, "cpu_s": 80.0,
    }  # fmt: skip
    text = tables([result("old", 400.4), result("new", 35.6, **server)]).splitlines()
    assert "| new sentence | old | 400 | 0.50 / 1.25 |" in text
    assert "| new sentence | new | 36 | 0.50 / 1.25 |" in text
    assert f"| {FIRST_OPEN} | new | 2500 | 3.00 / 1.25 |" in text
    assert "| training.peak_mb | — | 689.5 |" in text  # the old checkout: nothing measured
    assert "| training.outcome | — | refused |" in text
    assert "| memory.server_peak_rss_mb | — | 459.6 |" in text and "| oom_kills | — | 0 |" in text
    preparing = {"sessions": 30, "first_s": 42.0, "last_s": 60.0}
    shared = {"seconds": {"count": 30, "with_result": 24, "median": 346.0, "worst": 399.25},
              "milestones": {"preparing data": preparing}}  # fmt: skip
    shown = dict(figures({**result("new", 1), "shared_training": shared, "wake_up_s": [2.5, 2.75]}))
    assert (
        shown["shared_training.seconds.median"] == "346.0" and shown["shared_training.seconds.count"] == "30"
    )
    assert shown["shared_training.milestones.preparing data.first_s"] == "42.0"
    assert shown["wake_up_s"] == "2.50, 2.75" and "label" not in shown and "by_sessions" not in shown


def hold_60_mb_in(group: ControlGroup) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", HOLDS_60_MB], preexec_fn=group.join)


def test_the_control_group_counts_its_processes_memory_and_cpu_and_its_oom_kills():
    group = ControlGroup(f"serve-test-{time.time_ns()}", cpus=1.0, memory_bytes=200 * 2**20)
    child = hold_60_mb_in(group)
    try:
        deadline = time.monotonic() + 20
        while group.memory_now() < 60 * 2**20:
            assert time.monotonic() < deadline, "the child's 60 MB never showed in the group"
            time.sleep(0.05)
        assert group.cpu_seconds() > 0
        assert group.memory_peak() >= group.memory_now() >= 60 * 2**20 and group.oom_kills() == 0
        assert group.memory_breakdown()["anon"] >= 60 * 2**20  # process memory, not files
    finally:
        child.kill()
        child.wait()
        group.remove()
    small = ControlGroup(f"serve-test-{time.time_ns()}", cpus=1.0, memory_bytes=40 * 2**20)
    try:
        assert hold_60_mb_in(small).wait(timeout=30) == -9  # the kernel killed it: 60 MB > 40 MB
        assert small.oom_kills() == 1
    finally:
        small.remove()


def test_memory_samples_see_a_childs_60_mb():
    child = subprocess.Popen([sys.executable, "-c", HOLDS_60_MB])  # a child of this process
    memory = {}

    async def sample_for(seconds):
        sampler = asyncio.create_task(sample_memory(os.getpid(), memory))  # this process and its children
        deadline = time.monotonic() + seconds
        while memory.get("peak_training_mb", 0) < 60 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        sampler.cancel()

    try:
        asyncio.run(sample_for(20))
    finally:
        child.kill()
        child.wait()
    assert memory["peak_training_mb"] >= 60
    assert memory["peak_server_and_training_mb"] >= memory["peak_training_mb"] + memory["server_mb"] * 0.9


@pytest.fixture
def server_in_group(tmp_path):
    group = ControlGroup(f"serve-test-{time.time_ns()}", cpus=1.0, memory_bytes=2 * 2**30)

    def into_group():
        group.join()

    port = harness.free_port()
    process = harness.start_server(port, tmp_path / "server.log", before_exec=into_group)
    try:
        harness.wait_until_healthy(process, f"http://127.0.0.1:{port}", 60)
        yield f"http://127.0.0.1:{port}", group
    finally:
        harness.stop_server(process)
        group.remove()


def test_websocket_sessions_open_the_page_and_a_click_reaches_the_script(server_in_group):
    base_url, group = server_in_group

    async def drive():
        sessions = [WebsocketSession(base_url), WebsocketSession(base_url)]
        opened, open_cpu = await at_once(
            group.cpu_seconds, [session.open("encoder_decoder") for session in sessions]
        )
        session = sessions[0]
        await session.set({STEP: 0})
        stepped, step_cpu = await at_once(group.cpu_seconds, [session.set({NEXT: True})])
        slider = session._widget(STEP).id
        values = {key: list(state.double_array_value.data) for key, state in session._values.items()}
        text = await session.page_text()
        await asyncio.gather(*(s.close() for s in sessions))
        return opened + stepped, open_cpu, step_cpu, slider, values, text

    runs, open_cpu, step_cpu, slider, values, text = asyncio.run(drive())
    assert [run.status for run in runs] == ["finished"] * 3 and not any(run.exceptions for run in runs)
    assert open_cpu > 0 and step_cpu > 0  # the group counted the server's work
    # Next moved the step from 0 to 1 in the script, which drew the slider there: the session no longer
    # sends a value of its own
    assert slider not in values
    assert "Step 1 of" in text


def test_the_interactions_run_in_process_with_apptest():
    sentences = ["Ich habe das Buch gelesen.", "Heute sehe ich den Hund.", "Wir essen Brot."] * 4
    args = type("Args", (), {"sessions": [1], "repeats": 1})()
    results, _ = asyncio.run(
        interactions(lambda: AppTestSession(harness.REPO_ROOT), time.process_time, args, sentences)
    )
    measured = {FIRST_OPEN: results[FIRST_OPEN], **results["by_sessions"]["1"]}
    assert list(measured) == [FIRST_OPEN, OPEN, *INTERACTIONS]
    for name, got in measured.items():
        assert got["runs"] == 1 and got["exceptions"] == [], name
        assert 0 <= got["script_cpu_ms"] <= got["cpu_ms"], name  # the script's thread is part of the process
