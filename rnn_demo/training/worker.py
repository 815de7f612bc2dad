"""Training in a separate process, for the server.

In the server's own process a training thread shares Python's lock with the web server and every
session's script runs: thirty sessions watching one training kept it from running at all (a 10 s
training took ten minutes). A child process has its own interpreter, so it trains at full speed on
its own core whatever the sessions do. It reports progress through a queue and hands back the
trained model as checkpoint bytes, which are checked on load like any checkpoint file.
"""

from __future__ import annotations

import ctypes
import importlib.machinery
import multiprocessing
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import astuple

from rnn_demo.training.checkpoint import checkpoint_bytes, checkpoint_from_bytes
from rnn_demo.training.config import Progress, TrainConfig, TrainedModel, Watched
from rnn_demo.training.registry import TrainingData
from rnn_demo.training.train import train

POLL_S = 0.1  # how often the parent looks for news and passes a stop request on
JOIN_TIMEOUT_S = 30.0


def _memory_releaser() -> Callable[[], object]:
    """glibc's malloc_trim where there is one (Linux), else nothing. A training's tensors come in many
    shapes (one per batch length), and glibc keeps what they free for reuse: a 60 s default training's
    process grew by about 320 MB that way. Handing it back lets a host's memory limit count what the
    training really holds."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return lambda *_: None


def _child(config: TrainConfig, data: TrainingData, watch, messages, stop, torch_threads: int) -> None:
    """Runs in the child process: train, sending ("progress", fields) as it goes, then ("done",
    (checkpoint bytes, stopped early)) or ("error", message)."""
    import torch

    torch.set_num_threads(torch_threads)
    malloc_trim = _memory_releaser()

    def report(progress: Progress) -> None:
        messages.put(("progress", astuple(progress)))
        malloc_trim(0)  # every report (0.5 s): a few milliseconds

    try:
        trained = train(
            config,
            on_progress=report,
            stop=stop,
            data=data,
            watch=watch,
        )
        messages.put(("done", (checkpoint_bytes(trained), trained.stopped_early)))
    except Exception as error:  # reported to the parent, which shows it to the user
        messages.put(("error", f"{type(error).__name__}: {error}"))


@contextmanager
def _main_script_left_out() -> Iterator[None]:
    """Python's spawn runs the parent's main script again in the child, unless __main__ is a module
    with a spec. Under `streamlit run` __main__ is the app script: the child would import streamlit
    and plotly (about 50 MB) and run the app's entry script outside a session (warnings in the log).
    A spec named "__main__" makes the child leave it out; the script's module gets its own back."""
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    main.__spec__ = importlib.machinery.ModuleSpec("__main__", None)
    try:
        yield
    finally:
        main.__spec__ = None


def train_in_subprocess(
    config: TrainConfig,
    on_progress: Callable[[Progress], None],
    stop: threading.Event,
    data: TrainingData = None,
    watch: tuple[Watched, ...] = (),
    torch_threads: int = 1,
) -> TrainedModel:
    """train(config) in a child process; same arguments and result as the registry's train function."""
    context = multiprocessing.get_context("spawn")  # no fork: the server has many threads
    messages = context.Queue()
    child_stop = context.Event()
    arguments = (config, data, watch, messages, child_stop, torch_threads)
    process = context.Process(target=_child, args=arguments, name="training", daemon=True)
    with _main_script_left_out():
        process.start()
    history: list[Progress] = []
    try:
        while True:
            if stop.is_set():
                child_stop.set()
            try:
                kind, payload = messages.get(timeout=POLL_S)
            except queue.Empty:
                if not process.is_alive():
                    raise RuntimeError(
                        f"the training process ended without a result (exit code {process.exitcode})"
                    ) from None
                continue
            if kind == "progress":
                progress = Progress(*payload)
                history.append(progress)
                on_progress(progress)
            elif kind == "error":
                raise RuntimeError(payload)
            else:
                data, stopped_early = payload
                break
    finally:
        process.join(timeout=JOIN_TIMEOUT_S)
        if process.is_alive():
            process.kill()
    trained = checkpoint_from_bytes(data)
    trained.history = history
    trained.stopped_early = stopped_early
    return trained
