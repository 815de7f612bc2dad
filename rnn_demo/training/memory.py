"""How much memory this server may still take, asked before a training starts: a training that would not
fit is refused with a message, instead of being killed by the kernel halfway (a hosted app's container
is a control group with a memory limit: 690 MB on Streamlit Community Cloud's smallest box).

What is left is the least of: for the control group this process is in and every group above it that
has a limit (cgroup v1 or v2), the limit less the memory the group holds and cannot give back (its
count less the file cache it has not used lately, which the kernel drops first); and the machine's
available memory. Linux only: elsewhere nothing is known and nothing is refused.
"""

from __future__ import annotations

from pathlib import Path

# What a training with the page's default settings adds to the server's memory at its peak: the
# training process (Python, torch, the model and its batches) and its sentence maker, as the control
# group counted it in float32 (321 MB, README, *Serving a class*), with room for a bigger batch of long
# sentences. In bfloat16 it keeps growing as it runs: the training stops itself if room runs out.
TRAINING_MB = 340
NO_LIMIT = 2**60  # cgroup v1 writes "no limit" as a number near 2**63


class NotEnoughMemory(RuntimeError):
    """A training would need more memory than the server has left."""

    def __init__(self, left_mb: float, needed_mb: float) -> None:
        super().__init__(f"{left_mb:.0f} MB of memory left, a training needs about {needed_mb:.0f} MB")
        self.left_mb, self.needed_mb = left_mb, needed_mb


def parse_mounts(text: str) -> tuple[dict[str, Path], Path | None]:
    """From /proc/mounts: each v1 controller's mount point, and the v2 hierarchy's (or None)."""
    v1, v2 = {}, None
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        mount_point, kind, options = Path(fields[1]), fields[2], fields[3].split(",")
        if kind == "cgroup":
            v1.update(dict.fromkeys(options, mount_point))
        elif kind == "cgroup2":
            v2 = mount_point
    return v1, v2


def parse_own_groups(text: str) -> dict[str, str]:
    """From /proc/self/cgroup ("4:memory:/a/b", "0::/c"): the group path per controller ("" for v2)."""
    groups = {}
    for line in text.splitlines():
        _, controllers, path = line.split(":", 2)
        groups.update(dict.fromkeys(controllers.split(",") if controllers else [""], path))
    return groups


def parse_keyed(text: str) -> dict[str, int]:
    """A flat keyed file ("usage_usec 123\\nuser_usec 100") as a dict."""
    fields = (line.split() for line in text.splitlines() if line.strip())
    return {words[0]: int(words[1]) for words in fields}


# (limit, usage, the file cache in memory.stat that is not in use) per layout
_V1 = ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")
_V2 = ("memory.max", "memory.current", "inactive_file")


def _groups_left(mount: Path, group: str, files: tuple[str, str, str]) -> list[int]:
    """What each group with a limit, from `group` up to the hierarchy's root, has left, in bytes."""
    left = []
    directory = mount / group.lstrip("/")
    while directory == mount or mount in directory.parents:
        limit_file, usage_file, cache_key = directory / files[0], directory / files[1], files[2]
        try:
            limit = limit_file.read_text().strip()
            if limit != "max" and int(limit) < NO_LIMIT:
                cache = parse_keyed((directory / "memory.stat").read_text()).get(cache_key, 0)
                left.append(int(limit) - (int(usage_file.read_text()) - cache))
        except (OSError, ValueError):  # the root group has no limit files; a group may be gone
            pass
        directory = directory.parent
    return left


def memory_left_mb(root: Path = Path("/")) -> float | None:
    """MB this process may still take (see the module's docstring); None where nothing says.
    `root`: where /proc and the cgroup mounts are (a test gives a folder of hand-written files)."""
    try:
        mounts, unified = parse_mounts((root / "proc/mounts").read_text())
        own = parse_own_groups((root / "proc/self/cgroup").read_text())
    except OSError:  # not Linux
        return None
    inside = root.joinpath  # a mount point is absolute: the same place under `root`
    left = []
    if "memory" in mounts:
        left = _groups_left(inside(*mounts["memory"].parts[1:]), own.get("memory", "/"), _V1)
    elif unified is not None:
        left = _groups_left(inside(*unified.parts[1:]), own.get("", "/"), _V2)
    try:
        meminfo = parse_keyed((root / "proc/meminfo").read_text().replace(":", " "))
        left.append(meminfo["MemAvailable"] * 1024)  # in kB
    except (OSError, KeyError):
        pass
    return min(left) / 2**20 if left else None


def check_room(needed_mb: float = TRAINING_MB, root: Path = Path("/")) -> None:
    """Raise NotEnoughMemory if fewer than `needed_mb` MB are left."""
    left = memory_left_mb(root)
    if left is not None and left < needed_mb:
        raise NotEnoughMemory(left, needed_mb)
