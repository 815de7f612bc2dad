"""Starting a child process of our own (a training, or the maker of a training's sentences) with
Python's "spawn": a fresh interpreter, never a fork (the server has many threads, and a forked copy
of a thread's lock may be held for ever).
"""

from __future__ import annotations

import importlib.machinery
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

SPAWN = multiprocessing.get_context("spawn")
PARENT_CHECK_S = 0.5  # how often a child asks whether its parent is still there


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


def _ends_with_parent(parent_pid: int, target, *args) -> None:
    """In the child: `target(*args)`, while a thread ends this process as soon as its parent is gone.
    multiprocessing ends a daemon child when its parent exits by itself, not when the parent is killed
    (a host stopping the server with SIGTERM): the orphan would train on for nobody, holding a core
    and hundreds of MB of the host's memory."""

    def watch() -> None:
        while os.getppid() == parent_pid:  # an orphan is given another parent
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()
    target(*args)


def start_process(target, args: tuple, name: str) -> multiprocessing.process.BaseProcess:
    """Start `target(*args)` in a spawned daemon process that ends with its parent, and return it."""
    arguments = (os.getpid(), target, *args)
    process = SPAWN.Process(target=_ends_with_parent, args=arguments, name=name, daemon=True)
    with _main_module_left_out():
        process.start()
    return process
