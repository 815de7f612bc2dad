"""The capacity benchmark: its control-group readings against hand-written kernel files, and its
websocket client against a real server in a control group (no browser)."""

import asyncio
import time

import pytest

from benchmarks.capacity import NEXT, STEP_SLIDER, at_once, markdown_tables, open_sessions, served_in_group
from benchmarks.cgroup import ControlGroup, parse_keyed, parse_mounts, parse_own_groups, two_cores
from benchmarks.server import REPO_ROOT

MOUNTS = """\
tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0
cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,relatime,cpu,cpuacct 0 0
cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
"""


def test_mounts_give_each_controller_its_hierarchy():
    v1, v2 = parse_mounts(MOUNTS)
    assert v1["cpu"] == v1["cpuacct"] and str(v1["cpu"]) == "/sys/fs/cgroup/cpu,cpuacct"
    assert str(v1["memory"]) == "/sys/fs/cgroup/memory"
    assert str(v2) == "/sys/fs/cgroup/unified"
    assert "tmpfs" not in v1 and "relatime" in v1  # options that are no controller do no harm


def test_own_groups_per_controller():
    groups = parse_own_groups("4:memory:/box/a1\n2:cpu,cpuacct:/\n0::/user.slice\n")
    assert groups == {"memory": "/box/a1", "cpu": "/", "cpuacct": "/", "": "/user.slice"}


def test_keyed_files():
    cpu_stat = parse_keyed("usage_usec 1500000\nuser_usec 900000\n")
    assert cpu_stat == {"usage_usec": 1500000, "user_usec": 900000}
    assert parse_keyed("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")["oom_kill"] == 2


def test_table_puts_the_commits_of_an_interaction_side_by_side():
    def result(label, cpu_ms):
        measured = {"new sentence": {"cpu_ms_per_run": cpu_ms, "median_s": 0.5, "worst_s": 1.25}}
        log = {"tracebacks": 0}
        return {"label": label, "by_sessions": {"1": measured}, "oom_kills": 0, "server_log": log}

    lines = markdown_tables([result("old", 400.4), result("new", 35.6)]).splitlines()
    rows = [line for line in lines if line.startswith("| new sentence")]
    assert rows == ["| new sentence | old | 400 | 0.50 | 1.25 |", "| new sentence | new | 36 | 0.50 | 1.25 |"]
    assert "| old | 0 | 0 (0 sessions) | — | 0 | 0 | — |" in lines  # nothing measured shows as such


@pytest.fixture
def server_in_group(tmp_path):
    group = ControlGroup(f"capacity-test-{time.time_ns()}", cpus=1.0, memory_bytes=2 * 2**30)
    try:
        with served_in_group(REPO_ROOT, group, two_cores()[0], tmp_path / "server.log") as base_url:
            yield base_url, group
    finally:
        group.remove()


def test_two_sessions_open_the_page_then_one_steps(server_in_group):
    base_url, group = server_in_group

    async def drive():
        sessions, opened, open_cpu = await open_sessions(base_url, 2, group)
        session = sessions[0]
        await session.set({STEP_SLIDER: 0})
        stepped, step_cpu = await at_once(group, [session.set({NEXT: True})])
        slider_value = list(session.widget(STEP_SLIDER).element.value)
        await asyncio.gather(*(s.close() for s in sessions))
        return opened, open_cpu, stepped, step_cpu, slider_value

    opened, open_cpu, stepped, step_cpu, slider_value = asyncio.run(drive())
    assert [run.status for run in opened + stepped] == ["finished"] * 3  # each run's script_finished
    assert all(run.seconds > 0 and run.messages > 0 and not run.exceptions for run in opened + stepped)
    assert open_cpu > 0 and step_cpu > 0  # the group counted the server's work
    assert slider_value == [1.0]  # Next moved the step from 0 to 1: the click reached the script
    assert group.memory_peak() > 0
