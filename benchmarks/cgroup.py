"""A Linux control group for the server under test, as a host limits a container: `cpus` CPUs of time,
a memory bound, and the CPU time, peak memory and OOM kills as the group counts them.

Both layouts: cgroup v1 (one hierarchy per controller) and v2 (one unified hierarchy). The group is
made inside the group this process is in, so it stays under any bound that already applies. Needs
root. Pinning to a core is separate (`pin_to_core`): the scheduler's affinity, inherited by children.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from rnn_demo.training.memory import parse_keyed, parse_mounts, parse_own_groups

CFS_PERIOD_US = 100_000
V1_CONTROLLERS = ("cpu", "cpuacct", "memory")
# The file of each reading, cgroup v1 then v2
FILES = {
    "usage": ("memory.usage_in_bytes", "memory.current"),
    "peak": ("memory.max_usage_in_bytes", "memory.peak"),
    "oom": ("memory.oom_control", "memory.events"),
}


def pin_to_core(core: int, pid: int = 0) -> None:
    """Run `pid` (0: this process) and the children it starts from now on only on `core`."""
    os.sched_setaffinity(pid, {core})


def two_cores() -> tuple[int, int]:
    """The server's core and the clients' core: the first two this process may use."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        raise RuntimeError("the server and its clients need a core each; this process may use one")
    return cores[0], cores[1]


class ControlGroup:
    """A new control group named `name` with `cpus` CPUs of time and `memory_bytes` of memory."""

    def __init__(self, name: str, cpus: float, memory_bytes: int) -> None:
        v1_mounts, v2_mount = parse_mounts(Path("/proc/mounts").read_text())
        own = parse_own_groups(Path("/proc/self/cgroup").read_text())
        self.version = 1 if all(c in v1_mounts for c in V1_CONTROLLERS) else 2
        quota = str(int(cpus * CFS_PERIOD_US))
        if self.version == 1:
            self.dirs = {c: v1_mounts[c] / own.get(c, "/").lstrip("/") / name for c in V1_CONTROLLERS}
            for directory in dict.fromkeys(self.dirs.values()):
                directory.mkdir(exist_ok=True)
            (self.dirs["cpu"] / "cpu.cfs_period_us").write_text(str(CFS_PERIOD_US))
            (self.dirs["cpu"] / "cpu.cfs_quota_us").write_text(quota)
            (self.dirs["memory"] / "memory.limit_in_bytes").write_text(str(memory_bytes))
        else:
            if v2_mount is None:
                raise RuntimeError("neither cgroup v1 (cpu, cpuacct, memory) nor cgroup v2 is mounted")
            parent = v2_mount / own.get("", "/").lstrip("/")
            (parent / "cgroup.subtree_control").write_text("+cpu +memory")
            directory = parent / name
            directory.mkdir(exist_ok=True)
            self.dirs = dict.fromkeys(V1_CONTROLLERS, directory)
            (directory / "cpu.max").write_text(f"{quota} {CFS_PERIOD_US}")
            (directory / "memory.max").write_text(str(memory_bytes))
            (directory / "memory.swap.max").write_text("0")
        self.memory_bytes = memory_bytes

    def _memory_file(self, reading: str) -> Path:
        return self.dirs["memory"] / FILES[reading][self.version - 1]

    def join(self, pid: int = 0) -> None:
        """Move `pid` (0: the calling process, e.g. in a child before exec) into the group."""
        for directory in dict.fromkeys(self.dirs.values()):
            (directory / "cgroup.procs").write_text(str(pid or os.getpid()))

    def cpu_seconds(self) -> float:
        """CPU time used by every process that has been in the group, in seconds."""
        if self.version == 1:
            return int((self.dirs["cpuacct"] / "cpuacct.usage").read_text()) / 1e9
        return parse_keyed((self.dirs["cpu"] / "cpu.stat").read_text())["usage_usec"] / 1e6

    def memory_now(self) -> int:
        return int(self._memory_file("usage").read_text())

    def memory_peak(self) -> int:  # since the group was made or `reset_peak` was called
        return int(self._memory_file("peak").read_text().split()[0])

    def memory_breakdown(self) -> dict[str, int]:
        """The present use split into process memory ("anon": heaps, stacks, tensors) and files
        ("file": the page cache of libraries and models read, which the kernel can give back)."""
        stat = parse_keyed((self.dirs["memory"] / "memory.stat").read_text())
        if self.version == 1:
            return {"anon": stat["total_rss"], "file": stat["total_cache"]}
        return {"anon": stat["anon"], "file": stat["file"]}

    def reset_peak(self) -> None:
        """Start a new peak from the present use (v2 kernels before 6.12 cannot: the peak stays)."""
        try:
            self._memory_file("peak").write_text("0")
        except OSError:
            pass

    def oom_kills(self) -> int:
        """How many processes of the group the kernel killed for want of memory."""
        return parse_keyed(self._memory_file("oom").read_text()).get("oom_kill", 0)

    def remove(self, timeout_s: float = 10.0) -> None:
        """Remove the group, ending what is left in it first (a group with processes cannot go): a
        server killed for want of memory may leave its training process behind."""
        deadline = time.monotonic() + timeout_s
        for directory in dict.fromkeys(self.dirs.values()):
            for pid in (directory / "cgroup.procs").read_text().split() if directory.exists() else ():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            while directory.exists():
                try:
                    directory.rmdir()
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
