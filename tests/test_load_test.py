"""The load test's pure helpers, against hand-computed values (no server, no browser)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.load_test import (
    ASKED_FOR,
    TRAININGS_RUN,
    count_from_message,
    distinct_sentences,
    first_word,
    milestone_medians,
    parse_arguments,
    success_message,
    summarize_seconds,
    table_rows,
)
from benchmarks.server import log_problems, memory_with_children, parse_loadavg, parse_proc_status

PROC_STATUS = """\
Name:\tpython
Umask:\t0022
State:\tS (sleeping)
Pid:\t4242
VmPeak:\t 2000000 kB
VmHWM:\t  512000 kB
VmRSS:\t  409600 kB
Threads:\t12
voluntary_ctxt_switches:\t150
"""


def test_summary_of_an_odd_number_of_sessions():
    summary = summarize_seconds([3.0, 1.0, 2.0])
    assert summary == {
        "sessions": 3,
        "with_result": 3,
        "median_s": 2.0,
        "worst_s": 3.0,
        "best_s": 1.0,
        "mean_s": 2.0,
    }


def test_summary_leaves_out_sessions_without_a_result():
    # results 1, 2, 4, 10 (one session got none): median (2 + 4) / 2 = 3, mean 17 / 4 = 4.25
    summary = summarize_seconds([4.0, None, 1.0, 10.0, 2.0])
    assert summary["sessions"] == 5
    assert summary["with_result"] == 4
    assert summary["median_s"] == 3.0
    assert summary["worst_s"] == 10.0
    assert summary["best_s"] == 1.0
    assert summary["mean_s"] == 4.25


def test_summary_without_any_result():
    summary = summarize_seconds([None, None])
    assert summary["with_result"] == 0
    assert summary["median_s"] is None and summary["worst_s"] is None


def test_proc_status_memory_in_bytes():
    sizes = parse_proc_status(PROC_STATUS)
    assert sizes["VmHWM"] == 512000 * 1024  # 500 MB
    assert sizes["VmRSS"] == 409600 * 1024  # 400 MB
    assert sizes["VmPeak"] == 2000000 * 1024
    assert "Threads" not in sizes and "Pid" not in sizes  # not sizes


def test_loadavg():
    assert parse_loadavg("1.62 1.32 1.39 3/94 24360\n") == {"1min": 1.62, "5min": 1.32, "15min": 1.39}


def test_numbers_read_from_the_success_message():
    message = (
        "Your model is trained: 12% of held-out sentences translated exactly. It is now the model below. "
        "It was asked for 30 times and ran once. Trainings run on this server since it started: 1."
    )
    assert count_from_message(TRAININGS_RUN, message) == 1
    assert count_from_message(ASKED_FOR, message) == 30
    assert count_from_message(ASKED_FOR, "Your model is trained: 12%.") is None


def test_success_message_without_the_icon_name():
    alert = "check_circle\n\nYour model is trained: 0% of held-out sentences translated exactly."
    assert success_message(alert) == "Your model is trained: 0% of held-out sentences translated exactly."
    assert success_message("The training failed (ValueError).") == ""


def test_milestone_medians():
    records = [
        {"milestones": {"training": {"first_s": 4.0, "last_s": 14.0}, "queued": {"first_s": 1, "last_s": 2}}},
        {"milestones": {"training": {"first_s": 6.0, "last_s": 18.0}}},
        {"milestones": {}},
        {"error": "TimeoutError"},
    ]
    assert milestone_medians(records) == {
        "queued": {"sessions": 1, "median_first_s": 1, "median_last_s": 2},
        "training": {"sessions": 2, "median_first_s": 5.0, "median_last_s": 16.0},
    }


def test_distinct_sentences_keep_order_and_skip_repeats():
    candidates = ["Ich lese.", "Du liest.", "Ich lese.", "Er liest.", "Wir lesen."]
    assert distinct_sentences(candidates, 3) == ["Ich lese.", "Du liest.", "Er liest."]
    assert distinct_sentences(["a", "a"], 3) == ["a"]  # runs out: fewer


def test_first_word_is_the_first_token():
    assert first_word("Kannst du mir helfen, diesen Satz zu übersetzen?") == "Kannst"
    assert first_word("Übermorgen fährt Anna nach Berlin.") == "Übermorgen"


def test_arguments():
    args = parse_arguments([])
    assert args.sessions == 30 and args.timeout == 1800
    assert str(args.out) == "artifacts/load_test.json"
    assert args.cpus == 1.0 and args.memory_mb == 1024  # a small hosted box
    assert parse_arguments(["--sessions", "3"]).sessions == 3
    with pytest.raises(SystemExit):
        parse_arguments(["--sessions", "0"])


def test_table_of_a_run_that_ended_before_the_browser():
    results = {
        "settings": {"sessions": 30},
        "server": {"memory": {"end": {"rss_mb": 100.0, "peak_rss_mb": 120.0}}},
        "environment": {"load_average_start": None},
        "duration_s": 5.0,
        "error": "TimeoutError: no health",
    }
    rows = dict(table_rows(results))
    assert rows["Server peak RSS (VmHWM)"] == "120 MB"
    assert rows["Server RSS after start (first session rendered)"] == "—"
    assert rows["Run ended early"] == "TimeoutError: no health"


def test_table_shows_what_the_control_group_counted():
    group = {"version": 1, "memory_limit_mb": 1024.0, "peak_mb": 870.4, "cpu_s": 312.5, "oom_kills": 0}
    results = {
        "settings": {"sessions": 30},
        "server": {"memory": {}, "control_group": group},
        "environment": {},
    }
    rows = dict(table_rows(results))
    assert rows["Server control group: peak memory (limit 1024 MB)"] == "870 MB"
    assert rows["Server control group: CPU time"] == "312.50 s"
    assert rows["Server control group: OOM kills"] == "0"


def test_importing_it_starts_neither_streamlit_nor_playwright():
    # it only starts a server as a subprocess; playwright is a dev dependency, imported when it runs
    code = "import sys, benchmarks.load_test; print(sorted({'streamlit', 'playwright'} & set(sys.modules)))"
    repo_root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_log_problems_count_tracebacks_and_their_exceptions():
    log = """\
  URL: http://127.0.0.1:8501

Exception in ASGI application
Traceback (most recent call last):
  File "starlette_websocket.py", line 516, in _websocket_endpoint
    data = await websocket.receive_bytes()
starlette.websockets.WebSocketDisconnected: WebSocket is not connected.

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "websockets.py", line 187, in close
starlette.websockets.WebSocketDisconnected: Cannot call "send" after close.
2026-11-25 11:30:15.236 ERROR something else
Traceback (most recent call last):
  File "x.py", line 1, in <module>
starlette.websockets.WebSocketDisconnected: WebSocket is not connected.
"""
    problems = log_problems(log)
    assert problems["lines"] == 17
    assert problems["tracebacks"] == 3
    assert problems["exceptions"] == {
        "starlette.websockets.WebSocketDisconnected: WebSocket is not connected.": 2,
        'starlette.websockets.WebSocketDisconnected: Cannot call "send" after close.': 1,
    }
    assert problems["error_lines"] == ["2026-11-25 11:30:15.236 ERROR something else"]
    assert problems["most_frequent"] == {
        "Traceback (most recent call last):": 3,
        "starlette.websockets.WebSocketDisconnected: WebSocket is not connected.": 2,
    }
    assert log_problems("  You can now view your Streamlit app in your browser.\n")["tracebacks"] == 0


def test_log_problems_count_a_repeated_warning_without_its_timestamps():
    log = (
        "2026-11-25 11:54:06.706 The fragment with id e9 does not exist anymore\n"
        "2026-11-25 11:54:06.707 The fragment with id e9 does not exist anymore\n"
        "2026-11-25 11:54:08.001 The fragment with id e9 does not exist anymore\n"
        "  Stopping...\n"
    )
    problems = log_problems(log)
    assert problems["most_frequent"] == {"The fragment with id e9 does not exist anymore": 3}
    assert problems["tracebacks"] == 0 and problems["error_lines"] == []


def test_memory_of_a_process_and_its_children():
    holds_60_mb = "import time; data = b'x' * (60 * 2**20); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", holds_60_mb])
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            own_mb, children_mb = memory_with_children(os.getpid())
            if children_mb > 50:
                break
            time.sleep(0.1)
        assert children_mb > 50  # the child holds 50 MB of its own
        status = parse_proc_status(Path("/proc/self/status").read_text())
        assert own_mb == pytest.approx(status["VmRSS"] / 2**20, rel=0.2)
    finally:
        child.kill()
        child.wait(timeout=10)
