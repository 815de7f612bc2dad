"""The package's layers, read from the source (AST, nothing is imported or run).

core <- data <- training <- figures / lessons <- app <- pages: a module imports only from layers below
its own (or from its own layer's package), Streamlit only in the app layer, the pages and the entry
script, nothing imports the benchmarks but the tests, and there are no import cycles.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rnn_demo"
LAYERS = {"core": 0, "data": 1, "training": 2, "figures": 3, "lessons": 3, "app": 4}
MAX_MODULE_LINES, MAX_PAGE_LINES = 440, 150  # about 400 and 150: one idea a module, a lesson a page


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def imports_of(path: Path) -> frozenset[str]:
    """Every module a file imports, at the top or inside a function: `from a.b import c` counts as
    a.b and, if a.b.c is a module of ours, as a.b.c too."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(names)


def our_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "rnn_demo" and parts[1] in LAYERS else None


def test_every_module_is_in_a_layer():
    outside = [m for m in our_modules() if m != "rnn_demo" and layer_of(m) is None]
    assert outside == [], f"modules outside the layers {sorted(LAYERS)}: {outside}"


@pytest.mark.parametrize("module", sorted(our_modules()))
def test_imports_go_only_downwards(module):
    modules = our_modules()
    own = layer_of(module)
    if own is None:  # the package's own __init__ imports nothing of ours
        assert not any(name.startswith("rnn_demo.") for name in imports_of(modules[module]))
        return
    for name in imports_of(modules[module]):
        target = layer_of(name)
        if target is None or name not in modules:
            continue
        assert target == own or LAYERS[target] < LAYERS[own], f"{module} ({own}) imports {name} ({target})"


def streamlit_importers() -> list[str]:
    files = [*ROOT.glob("*.py"), *(ROOT / "pages").glob("*.py"), *PACKAGE.rglob("*.py")]
    files += [*(ROOT / "benchmarks").glob("*.py")]
    return sorted(
        str(path.relative_to(ROOT))
        for path in files
        if any(_uses_streamlit(name) for name in imports_of(path))
    )


def _uses_streamlit(name: str) -> bool:
    # streamlit's protobuf message classes are data, not the UI, and its testing API drives the app as a
    # visitor would: the server benchmark's clients speak the protocol with them, or run AppTest
    return (name == "streamlit" or name.startswith("streamlit.")) and not name.startswith(
        ("streamlit.proto.", "streamlit.testing.")
    )


def test_streamlit_only_in_the_app_layer_the_pages_and_the_entry_script():
    allowed = ("rnn_demo/app/", "pages/", "streamlit_app.py")
    stray = [path for path in streamlit_importers() if not path.startswith(allowed)]
    assert stray == []
    assert "streamlit_app.py" in streamlit_importers()  # the check itself sees imports


def test_nothing_but_the_tests_imports_the_benchmarks():
    files = [*ROOT.glob("*.py"), *(ROOT / "pages").glob("*.py"), *PACKAGE.rglob("*.py")]
    users = [
        str(path.relative_to(ROOT))
        for path in files
        if any(name == "benchmarks" or name.startswith("benchmarks.") for name in imports_of(path))
    ]
    assert users == []


def test_figures_never_load_torch():
    """The figures draw from plain data (a Trace holds numpy arrays), so they run without the model:
    no figure module imports torch, directly or through another module of ours."""
    modules = our_modules()

    def reaches_torch(module: str, seen: set[str]) -> bool:
        names = imports_of(modules[module])
        if any(name == "torch" or name.startswith("torch.") for name in names):
            return True
        seen.add(module)
        return any(reaches_torch(name, seen) for name in names if name in modules and name not in seen)

    loading = [m for m in modules if layer_of(m) == "figures" and reaches_torch(m, set())]
    assert loading == []


def test_no_import_cycles():
    modules = our_modules()
    graph = {m: sorted(n for n in imports_of(path) if n in modules and n != m) for m, path in modules.items()}
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for name in graph[module]:
            if state.get(name) == "open":
                cycle = path[path.index(name) :] + [name]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if name not in state:
                visit(name, [*path, name])
        state[module] = "done"

    for module in graph:
        if module not in state:
            visit(module, [module])


def test_the_import_reader_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text("def f():\n    from rnn_demo.app import widgets\n    import streamlit as st\n")
    assert {"rnn_demo.app", "rnn_demo.app.widgets", "streamlit"} <= imports_of(source)


def test_modules_and_pages_stay_small():
    long_modules = {
        str(path.relative_to(ROOT)): lines
        for path in PACKAGE.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    long_pages = {
        path.name: lines
        for path in (ROOT / "pages").glob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_PAGE_LINES
    }
    assert long_modules == {} and long_pages == {}
