"""The files a host installs from give torch's CPU build from PyTorch's index and every other package
from PyPI, with uv (Streamlit Community Cloud's first installer) and with pip (its second, and the
README's).

Offline: two local indexes stand in for PyPI and for PyTorch's CPU index, served on loopback.
Like the real one, PyTorch's stand-in also serves numpy, at another version: a file that named PyTorch's
whole index would make uv, which takes a package only from the first index that has it, miss numpy's pin.
The wheels are tiny fakes built here (a name, a version and no dependencies), one for each pin of the
project's files, so the resolution checks where each pin is found, not what it pulls in.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO_ROOT = Path(__file__).resolve().parents[1]
HOSTING_FILE = "requirements.txt"  # Community Cloud reads the first of uv.lock, Pipfile, ... requirements.txt
PYTORCH_HOST = "https://download.pytorch.org"
TORCH_RELEASE = "2.13.0"
LINUX_X86_64_TAG = "cp311-cp311-manylinux_2_28_x86_64"
OTHER_NUMPY = "2.3.0"  # a numpy PyTorch's index stand-in serves instead of the pinned one


def pins(path: Path) -> dict[str, list[Requirement]]:
    """Every `name==version` requirement of a requirements file and the files it includes, by name."""
    found: dict[str, list[Requirement]] = {}
    for line in path.read_text().splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            for name, requirements in pins(path.parent / line[3:].strip()).items():
                found.setdefault(name, []).extend(requirements)
        elif not line.startswith("-"):
            requirement = Requirement(line)
            found.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    return found


def pinned_version(requirement: Requirement) -> str:
    (specifier,) = requirement.specifier
    assert specifier.operator == "==", f"{requirement} is not pinned exactly"
    return specifier.version


def fake_wheel(folder: Path, name: str, version: str, tag: str = "py3-none-any") -> str:
    """A minimal valid wheel (METADATA, WHEEL, RECORD, no code) for `tag`; returns its file name."""
    dist = f"{canonicalize_name(name).replace('-', '_')}-{version}"
    filename = f"{dist}-{tag}.whl"
    files = {
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist}.dist-info/WHEEL": f"Wheel-Version: 1.0\nGenerator: test\n"
            f"Root-Is-Purelib: true\nTag: {tag}\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{dist}.dist-info/RECORD,,")
    files[f"{dist}.dist-info/RECORD"] = "\n".join(record) + "\n"
    with zipfile.ZipFile(folder / filename, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return filename


def simple_index(root: Path, files_url: str, wheels: dict[str, list[str]]) -> None:
    """A PEP 503 index under `root`: one page per project linking to its wheels under `files_url`."""
    root.mkdir(parents=True, exist_ok=True)
    for project, filenames in wheels.items():
        links = "".join(f'<a href="{files_url}{quote(name)}">{name}</a><br>\n' for name in filenames)
        (root / project).mkdir(exist_ok=True)
        (root / project / "index.html").write_text(f"<!DOCTYPE html><html><body>\n{links}</body></html>\n")
    projects = "".join(f'<a href="{project}/">{project}</a><br>\n' for project in wheels)
    (root / "index.html").write_text(f"<!DOCTYPE html><html><body>\n{projects}</body></html>\n")


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the test's output is the resolution, not the requests
        pass


@pytest.fixture(scope="module")
def indexes(tmp_path_factory) -> Iterator[dict[str, object]]:
    """Both stand-ins served on loopback, and a copy of the project's files that names them."""
    base = tmp_path_factory.mktemp("indexes")
    servers = []
    urls = {}
    for name in ("pypi", "pytorch"):
        (base / name).mkdir()
        handler = lambda *args, root=base / name: Quiet(*args, directory=str(root))  # noqa: E731
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[name] = f"http://127.0.0.1:{server.server_address[1]}"

    project_pins = pins(REPO_ROOT / "requirements-dev.txt")
    # PyPI: every pinned release, torch as PyPI has it (no +cpu build), and a newer numpy than the pin
    pypi_wheels: dict[str, list[str]] = {}
    files = base / "pypi" / "files"
    files.mkdir()
    for project, requirements in project_pins.items():
        versions = {pinned_version(requirement) for requirement in requirements}
        if project == "torch":
            versions = {TORCH_RELEASE}
        if project == "numpy":
            versions.add("9.9.9")
        pypi_wheels[project] = [fake_wheel(files, project, version) for version in sorted(versions)]
    simple_index(base / "pypi" / "simple", "/files/", pypi_wheels)
    # PyTorch's CPU index, laid out like the real one: /whl/cpu/<project>/ pages, wheels in /whl/cpu/
    cpu = base / "pytorch" / "whl" / "cpu"
    cpu.mkdir(parents=True)
    simple_index(
        cpu,
        "/whl/cpu/",
        {
            # as on PyTorch's index, the +cpu build is a Linux wheel (its macOS wheels have no +cpu)
            "torch": [fake_wheel(cpu, "torch", f"{TORCH_RELEASE}+cpu", LINUX_X86_64_TAG)],
            "numpy": [fake_wheel(cpu, "numpy", OTHER_NUMPY)],
        },
    )

    project = base / "project"
    project.mkdir()
    for name in ("requirements.txt", "requirements-dev.txt", "pyproject.toml"):
        text = (REPO_ROOT / name).read_text()
        (project / name).write_text(text.replace(PYTORCH_HOST, urls["pytorch"]))
    yield {"project": project, "urls": urls, "pins": project_pins, "cache": base / "cache"}
    for server in servers:
        server.shutdown()


def clean_env(indexes, **extra: str) -> dict[str, str]:
    """This process's environment without any pip or uv setting, so only the project's files count."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    env.update(
        PIP_CONFIG_FILE=os.devnull,  # pip reads no configuration file at all
        XDG_CONFIG_HOME=str(indexes["cache"] / "config"),  # nor uv a user-level one
        NO_PROXY="127.0.0.1",
        no_proxy="127.0.0.1",
    )
    env.update(extra)
    return env


def expected_sources(indexes, environment: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Each pin of the hosting file that applies on `environment`: (version, host it must come from)."""
    urls = indexes["urls"]
    expected = {}
    for project, requirements in pins(indexes["project"] / HOSTING_FILE).items():
        for requirement in requirements:
            if requirement.marker is None or requirement.marker.evaluate(environment):
                version = pinned_version(requirement)
                expected[project] = (version, urls["pytorch"] if version.endswith("+cpu") else urls["pypi"])
    return expected


def run(command: list[str], indexes, **env: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        command,
        cwd=indexes["project"],
        env=clean_env(indexes, **env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    return result


LINUX_X86_64 = {"sys_platform": "linux", "platform_machine": "x86_64"}
MACOS_ARM64 = {"sys_platform": "darwin", "platform_machine": "arm64"}


def test_the_hosting_file_names_pytorchs_cpu_index(indexes):
    # otherwise the stand-in would never be asked and the tests below would prove nothing
    assert indexes["urls"]["pytorch"] in (indexes["project"] / HOSTING_FILE).read_text()


@pytest.mark.timeout(300)
@pytest.mark.parametrize(
    ("python_platform", "environment"),
    [("x86_64-manylinux_2_28", LINUX_X86_64), ("aarch64-apple-darwin", MACOS_ARM64)],
)
def test_uv_takes_torch_cpu_from_pytorch_and_the_rest_from_pypi(indexes, python_platform, environment):
    uv = shutil.which("uv")
    assert uv, "uv is pinned in requirements-dev.txt"
    result = run(
        [
            uv, "pip", "compile", HOSTING_FILE, "--quiet", "--no-header", "--format", "pylock.toml",
            "--default-index", f"{indexes['urls']['pypi']}/simple",
            "--python-version", "3.11", "--python-platform", python_platform,
        ],
        indexes,
        UV_CACHE_DIR=str(indexes["cache"] / "uv"),
    )
    lock = tomllib.loads(result.stdout)
    resolved = {}
    for package in lock["packages"]:
        (wheel,) = package["wheels"]
        host = "/".join(wheel["url"].split("/")[:3])
        resolved[canonicalize_name(package["name"])] = (package["version"], host)
    assert resolved == expected_sources(indexes, environment)
    if environment == LINUX_X86_64:
        assert resolved["torch"] == (f"{TORCH_RELEASE}+cpu", indexes["urls"]["pytorch"])
        assert resolved["numpy"][1] == indexes["urls"]["pypi"]


@pytest.mark.timeout(300)
def test_pip_takes_torch_cpu_from_pytorch_and_the_rest_from_pypi(indexes, tmp_path):
    report = tmp_path / "report.json"
    run(
        [
            sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-cache-dir",
            "--disable-pip-version-check", "--retries", "0", "--report", str(report),
            "--index-url", f"{indexes['urls']['pypi']}/simple", "-r", HOSTING_FILE,
        ],
        indexes,
    )
    resolved = {}
    for item in json.loads(report.read_text())["install"]:
        host = "/".join(item["download_info"]["url"].split("/")[:3])
        resolved[canonicalize_name(item["metadata"]["name"])] = (item["metadata"]["version"], host)
    # pip evaluates the markers on the machine it runs on
    here = {"sys_platform": sys.platform, "platform_machine": platform.machine()}
    assert resolved == expected_sources(indexes, here)
    if here == LINUX_X86_64:
        assert resolved["torch"] == (f"{TORCH_RELEASE}+cpu", indexes["urls"]["pytorch"])
        assert resolved["numpy"][1] == indexes["urls"]["pypi"]
