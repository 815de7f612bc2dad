"""Training in a separate process, for the server.

In the server's own process a training thread shares Python's lock with the web server and every
session's script runs: thirty sessions watching one training kept it from running at all (a 10 s
training took ten minutes). A child process has its own interpreter, so it trains at full speed on
its own core whatever the sessions do. It reports progress through a queue and hands back the
trained model as checkpoint bytes, which are checked on load like any checkpoint file.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import queue
import signal
import threading
from collections.abc import Callable
from dataclasses import astuple, replace
from pathlib import Path

from rnn_demo.training.checkpoint import checkpoint_bytes, checkpoint_from_bytes
from rnn_demo.training.config import Progress, TrainConfig, TrainedModel, Watched
from rnn_demo.training.memory import memory_left_mb
from rnn_demo.training.processes import SPAWN, start_process
from rnn_demo.training.registry import TrainingData
from rnn_demo.training.train import train

POLL_S = 0.1  # how often the parent looks for news and passes a stop request on
JOIN_TIMEOUT_S = 30.0
# A training stops early, keeping what it learned, once fewer MB than this are left to the server (its
# control group), instead of being killed by the kernel at the host's limit: the room was checked
# before it started, but a training's memory may still grow (in bfloat16, oneDNN keeps its kernels
# for every batch shape). A float32 one that fits keeps about 40 MB to spare on a 690 MB box.
MEMORY_MARGIN_MB = 32
MEMORY_CHECK_S = 0.1  # how often the training's process asks how much is left
# Where less than this is left when a training starts, a training whose precision is "auto" runs in
# float32: in bfloat16 (a CPU with bfloat16 units) its memory kept growing, by about 300 MB in a 60 s
# default training, and on a 690 MB box it had to stop after about 15 s; in float32 it stays flat.
TIGHT_MB = 1024


def _memory_releaser() -> Callable[[], object]:
    """glibc's malloc_trim where there is one (Linux), else nothing. A training's tensors come in many
    shapes (one per batch length), and glibc keeps what they free for reuse: a 60 s default training's
    process grew by about 320 MB that way. Handing it back lets a host's memory limit count what the
    training really holds."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return lambda *_: None


def _child(
    config: TrainConfig, data: TrainingData, watch, messages, stop, torch_threads, memory_left=memory_left_mb
) -> None:
    """Runs in the child process: train, sending ("progress", fields) as it goes, then ("done",
    (checkpoint bytes, stopped early, why the memory stopped it or None)) or ("error", message).
    `torch_threads` is a shared number the parent keeps up to date: how many threads the training may
    use now. `memory_left()`: the MB the server may still take (None where nothing says)."""
    # This process is a daemon of the server's (it ends with it), and multiprocessing lets no daemon
    # start children: its guard against orphans. The training's own child, the sentence maker, is a
    # daemon of this process and is ended by the training, so the guard is lifted here.
    multiprocessing.current_process().daemon = False
    try:  # if memory runs out all the same, the kernel ends this training, not the server (Linux)
        Path("/proc/self/oom_score_adj").write_text("1000")
    except OSError:
        pass
    malloc_trim = _memory_releaser()
    left = memory_left()
    if left is not None and left < TIGHT_MB and config.precision == "auto":
        config = replace(config, precision="float32")
    short_of_memory: list[str] = []
    finished = threading.Event()

    def watch_memory() -> None:  # between reports too: memory can run out within half a second
        while not finished.wait(MEMORY_CHECK_S):
            left = memory_left()
            if left is not None and left < MEMORY_MARGIN_MB:
                malloc_trim(0)  # what glibc keeps for reuse first
                left = memory_left()
            if left is not None and left < MEMORY_MARGIN_MB:
                short_of_memory.append(f"{left:.0f} MB of memory left")
                stop.set()
                return

    def report(progress: Progress) -> None:
        messages.put(("progress", astuple(progress)))
        malloc_trim(0)  # every report (0.5 s): a few milliseconds

    threading.Thread(target=watch_memory, name="watch-memory", daemon=True).start()
    try:
        try:
            trained = train(
                config,
                on_progress=report,
                stop=stop,
                data=data,
                watch=watch,
                threads=lambda: torch_threads.value,
            )
        finally:
            finished.set()
        reason = short_of_memory[0] if short_of_memory else None
        messages.put(("done", (checkpoint_bytes(trained), trained.stopped_early, reason)))
    except Exception as error:  # reported to the parent, which shows it to the user
        messages.put(("error", f"{type(error).__name__}: {error}"))


def train_in_subprocess(
    config: TrainConfig,
    on_progress: Callable[[Progress], None],
    stop: threading.Event,
    data: TrainingData = None,
    watch: tuple[Watched, ...] = (),
    torch_threads: Callable[[], int] = lambda: 1,
    memory_left: Callable[[], float | None] = memory_left_mb,
) -> TrainedModel:
    """train(config) in a child process; same arguments and result as the registry's train function.
    `torch_threads()` says how many CPU threads the training may use; asked again as it runs (a server
    gives it both cores while it serves no one else, one once sessions are connected). The child asks
    `memory_left()` (a module-level function: it is sent to the child) as it starts, to train an
    "auto" precision in float32 where memory is tight, then every MEMORY_CHECK_S, to stop early when
    the memory runs short (the result's `stop_reason` says so)."""
    messages = SPAWN.Queue()
    child_stop = SPAWN.Event()
    threads = SPAWN.Value("i", torch_threads(), lock=False)  # one int, written by us only
    arguments = (config, data, watch, messages, child_stop, threads, memory_left)
    process = start_process(_child, arguments, "training")
    history: list[Progress] = []
    try:
        while True:
            if stop.is_set():
                child_stop.set()
            threads.value = torch_threads()
            try:
                kind, payload = messages.get(timeout=POLL_S)
            except queue.Empty:
                if not process.is_alive():
                    killed = process.exitcode == -signal.SIGKILL
                    raise RuntimeError(
                        f"the training process ended without a result (exit code {process.exitcode}"
                        + (", killed: most likely the server ran out of memory)" if killed else ")")
                    ) from None
                continue
            if kind == "progress":
                progress = Progress(*payload)
                history.append(progress)
                on_progress(progress)
            elif kind == "error":
                raise RuntimeError(payload)
            else:
                data, stopped_early, stop_reason = payload
                break
    finally:
        process.join(timeout=JOIN_TIMEOUT_S)
        if process.is_alive():
            process.kill()
    trained = checkpoint_from_bytes(data)
    trained.history = history
    trained.stopped_early = stopped_early
    trained.stop_reason = stop_reason
    return trained
