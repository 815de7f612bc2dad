"""The memory a training may take: what is left under the control group's limit (cgroup v1 and v2, read
from hand-written kernel files), the registry's refusal of a training that would not fit, and the
page's message when it is refused."""

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from rnn_demo.app import labels, resources
from rnn_demo.training import memory
from rnn_demo.training.config import PRESETS, TrainedModel
from rnn_demo.training.memory import NotEnoughMemory, check_room, memory_left_mb
from rnn_demo.training.registry import ModelKey, Registry
from tests.app_pages import open_link

MB = 2**20
NO_LIMIT = 9223372036854771712  # what cgroup v1 writes for a group without a limit
MEMINFO = "MemTotal:       24683772 kB\nMemFree:         1000000 kB\nMemAvailable:    8388608 kB\n"  # 8 GB


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def v1_box(root: Path, limit: int, usage: int, inactive_file: int, parent_limit: int = NO_LIMIT) -> Path:
    """A machine with cgroup v1, this process in the memory group /box/app."""
    group = "sys/fs/cgroup/memory/box/app"
    return write(root, {
        "proc/mounts": "cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,cpu,cpuacct 0 0\n"
                       "cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0\n"
                       "cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n",
        "proc/self/cgroup": "4:memory:/box/app\n2:cpu,cpuacct:/\n0::/\n",
        "proc/meminfo": MEMINFO,
        f"{group}/memory.limit_in_bytes": f"{limit}\n",
        f"{group}/memory.usage_in_bytes": f"{usage}\n",
        f"{group}/memory.stat": f"cache 1000\nrss 2000\ntotal_inactive_file {inactive_file}\n",
        "sys/fs/cgroup/memory/box/memory.limit_in_bytes": f"{parent_limit}\n",
        "sys/fs/cgroup/memory/box/memory.usage_in_bytes": f"{usage}\n",
        "sys/fs/cgroup/memory/box/memory.stat": "total_inactive_file 0\n",
    })  # fmt: skip


def test_mounts_give_each_controller_its_hierarchy():
    v1, v2 = memory.parse_mounts(
        "tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0\n"
        "cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,relatime,cpu,cpuacct 0 0\n"
        "cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0\n"
        "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n"
    )
    assert v1["cpu"] == v1["cpuacct"] == Path("/sys/fs/cgroup/cpu,cpuacct")
    assert v1["memory"] == Path("/sys/fs/cgroup/memory") and v2 == Path("/sys/fs/cgroup/unified")


def test_own_groups_and_keyed_files():
    groups = memory.parse_own_groups("4:memory:/box/a1\n2:cpu,cpuacct:/\n0::/user.slice\n")
    assert groups == {"memory": "/box/a1", "cpu": "/", "cpuacct": "/", "": "/user.slice"}
    assert memory.parse_keyed("usage_usec 1500\nuser_usec 900\n") == {"usage_usec": 1500, "user_usec": 900}
    assert memory.parse_keyed("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")["oom_kill"] == 2


def test_v1_what_is_left_is_the_limit_less_what_the_group_cannot_give_back(tmp_path):
    # 690 MB limit, 600 MB counted, of which 50 MB file cache not in use: 690 - 550 = 140 MB left
    root = v1_box(tmp_path, limit=690 * MB, usage=600 * MB, inactive_file=50 * MB)
    assert memory_left_mb(root) == pytest.approx(140)


def test_v1_a_tighter_group_above_counts(tmp_path):
    # the app's own group has no limit; the box around it has 500 MB and holds 480 of them
    root = v1_box(tmp_path, limit=NO_LIMIT, usage=480 * MB, inactive_file=0, parent_limit=500 * MB)
    assert memory_left_mb(root) == pytest.approx(20)


def test_without_a_limit_the_machines_available_memory_counts(tmp_path):
    root = v1_box(tmp_path, limit=NO_LIMIT, usage=480 * MB, inactive_file=0)
    assert memory_left_mb(root) == pytest.approx(8192)  # MemAvailable, 8,388,608 kB


def test_v2_unified_hierarchy(tmp_path):
    root = write(tmp_path, {
        "proc/mounts": "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid 0 0\n",
        "proc/self/cgroup": "0::/app.slice/app\n",
        "proc/meminfo": MEMINFO,
        "sys/fs/cgroup/app.slice/app/memory.max": "max\n",
        "sys/fs/cgroup/app.slice/app/memory.current": f"{300 * MB}\n",
        "sys/fs/cgroup/app.slice/memory.max": f"{1024 * MB}\n",
        "sys/fs/cgroup/app.slice/memory.current": f"{700 * MB}\n",
        "sys/fs/cgroup/app.slice/memory.stat": f"anon {600 * MB}\nfile {100 * MB}\ninactive_file {64 * MB}\n",
    })  # fmt: skip
    assert memory_left_mb(root) == pytest.approx(1024 - (700 - 64))


def test_nothing_known_refuses_nothing(tmp_path):
    assert memory_left_mb(tmp_path) is None  # no /proc: not Linux
    check_room(root=tmp_path)  # does not raise


def test_a_training_that_would_not_fit_is_refused_with_the_numbers(tmp_path):
    root = v1_box(tmp_path, limit=690 * MB, usage=600 * MB, inactive_file=50 * MB)
    with pytest.raises(NotEnoughMemory) as refused:
        check_room(memory.TRAINING_MB, root)
    assert refused.value.left_mb == pytest.approx(140) and refused.value.needed_mb == memory.TRAINING_MB
    assert str(refused.value) == f"140 MB of memory left, a training needs about {memory.TRAINING_MB} MB"
    check_room(100, root)  # 100 MB fit in 140


class Box:
    """A registry's view of the memory left, which a test sets (MB)."""

    def __init__(self, left_mb: float) -> None:
        self.left_mb = left_mb

    def check(self) -> None:
        if self.left_mb < memory.TRAINING_MB:
            raise NotEnoughMemory(self.left_mb, memory.TRAINING_MB)


def held_training(release: threading.Event, calls: list):
    def train(config, on_progress, stop, data, watch):
        calls.append(config)
        assert release.wait(timeout=10)
        return TrainedModel(None, None, None, config)

    return train


def test_the_registry_refuses_at_once_or_when_a_waiting_trainings_turn_comes():
    box, release, calls = Box(left_mb=100), threading.Event(), []
    registry = Registry(held_training(release, calls), check_room=box.check)
    config = PRESETS["tiny"]
    with pytest.raises(NotEnoughMemory):  # it would start now: refused now
        registry.request(ModelKey.trained("phrasebook", config), config)
    assert registry.trainings_started == 0 and calls == []

    box.left_mb = 2 * memory.TRAINING_MB
    first = registry.request(ModelKey.trained("phrasebook", config), config)
    other = replace(config, seed=1)
    second = registry.request(ModelKey.trained("phrasebook", other), other)  # waits: not checked yet
    assert second.status == "waiting"
    box.left_mb = 100  # the first training and the sessions took the memory
    release.set()
    assert first.finished.wait(timeout=10) and second.finished.wait(timeout=10)
    assert (first.status, second.status) == ("done", "refused")
    assert second.error == f"100 MB of memory left, a training needs about {memory.TRAINING_MB} MB"
    assert len(calls) == 1 and registry.trainings_started == 1
    box.left_mb = 2 * memory.TRAINING_MB  # asked again once there is room: it trains
    again = registry.request(ModelKey.trained("phrasebook", other), other)
    assert again is not second and again.finished.wait(timeout=10) and again.status == "done"


def test_the_page_says_a_training_would_not_fit_and_what_to_do(tmp_path, monkeypatch):
    """The real reading of a box (a hand-written control group with 140 MB left): Train is refused
    with a message, and no training starts."""
    box = v1_box(tmp_path, limit=690 * MB, usage=600 * MB, inactive_file=50 * MB)
    release, calls = threading.Event(), []
    registry = Registry(held_training(release, calls), check_room=lambda: check_room(root=box))
    for name in resources.SHIPPED_CHECKPOINTS:
        if (trained := resources.model_registry().model(ModelKey.shipped(name))) is not None:
            registry.add_model(ModelKey.shipped(name), trained)
    monkeypatch.setattr(resources, "model_registry", lambda: registry)
    at = open_link("encoder_decoder")
    at.button(key="train").click().run()
    assert not at.exception, at.exception
    said = [warning.value for warning in at.warning if labels.NOT_ENOUGH_MEMORY in warning.value]
    assert len(said) == 1
    assert f"140 MB of memory left, a training needs about {memory.TRAINING_MB} MB" in said[0]
    assert "Try again in a few minutes" in said[0] and "streamlit run streamlit_app.py" in said[0]
    assert calls == [] and "rnn_job_key" not in at.session_state
    assert "Can you help me translate this sentence" in "\n".join(m.value for m in at.markdown)
    release.set()
