"""Starting a child process of our own (a training, or the maker of a training's sentences) with
Python's "spawn": a fresh interpreter, never a fork (the server has many threads, and a forked copy
of a thread's lock may be held for ever).
"""

from __future__ import annotations

import importlib.machinery
import multiprocessing
import sys
from collections.abc import Iterator
from contextlib import contextmanager

SPAWN = multiprocessing.get_context("spawn")


@contextmanager
def _main_module_left_out() -> Iterator[None]:
    """Spawn imports the parent's main module again in the child, unless its spec is named "__main__".
    Under `streamlit run` that is the app script (the child would import streamlit and plotly, about
    50 MB, and run the entry script outside a session); under `python -m rnn_demo.training.train` it
    is the trainer, which imports torch (a sentence maker needs neither). The spec is put back after."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    spec = getattr(main, "__spec__", None)
    main.__spec__ = importlib.machinery.ModuleSpec("__main__", None)
    try:
        yield
    finally:
        main.__spec__ = spec


def start_process(target, args: tuple, name: str) -> multiprocessing.process.BaseProcess:
    """Start `target(*args)` in a spawned daemon process (ended with its parent) and return it."""
    process = SPAWN.Process(target=target, args=args, name=name, daemon=True)
    with _main_module_left_out():
        process.start()
    return process
