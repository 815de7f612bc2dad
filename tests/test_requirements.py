"""requirements.txt gives Linux x86_64 the CPU build of torch from PyTorch's CPU index page, and every other
platform PyPI's torch of the same release: exactly one torch line applies on each."""

from pathlib import Path

import pytest
from packaging.requirements import Requirement

REQUIREMENTS = Path(__file__).resolve().parents[1] / "requirements.txt"
CPU_TORCH_PAGE = "https://download.pytorch.org/whl/cpu/torch/"

PLATFORMS = {  # the marker variables of a few machines people deploy or run the app on
    "linux x86_64 (Community Cloud, most servers)": {"sys_platform": "linux", "platform_machine": "x86_64"},
    "linux aarch64": {"sys_platform": "linux", "platform_machine": "aarch64"},
    "macOS arm64": {"sys_platform": "darwin", "platform_machine": "arm64"},
    "Windows": {"sys_platform": "win32", "platform_machine": "AMD64"},
}


def lines() -> list[str]:
    return [line.strip() for line in REQUIREMENTS.read_text().splitlines() if line.strip() and line[0] != "#"]


def torch_for(platform: dict[str, str]) -> list[str]:
    requirements = [Requirement(line) for line in lines() if not line.startswith("--")]
    return [
        str(requirement.specifier)
        for requirement in requirements
        if requirement.name == "torch"
        and (requirement.marker is None or requirement.marker.evaluate(platform))
    ]


def test_only_torchs_page_of_the_cpu_index_is_named():
    # PyPI stays the only index; PyTorch's index is a page of torch links (test_install_resolution.py
    # shows why an extra index would break uv's resolution)
    options = [line for line in lines() if line.startswith("-")]
    assert options == [f"--find-links {CPU_TORCH_PAGE}"]


@pytest.mark.parametrize("name", PLATFORMS)
def test_each_platform_gets_one_torch_of_the_same_release(name):
    expected = "==2.13.0+cpu" if name.startswith("linux x86_64") else "==2.13.0"
    assert torch_for(PLATFORMS[name]) == [expected]
