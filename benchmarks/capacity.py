"""Server capacity without a browser: the real `streamlit run` server in a control group of one CPU and
a memory bound, driven by N websocket sessions (benchmarks/streamlit_client.py) that act at once.

    python -m benchmarks.capacity                          # this checkout, N = 1 and N = 30
    python -m benchmarks.capacity OLD_CHECKOUT .           # two checkouts, one after the other
    python -m benchmarks.capacity . --sessions 1 --repeats 2 --no-training   # a quick look

Per checkout: a fresh server in a new control group (cgroup v1 or v2; needs root) with `--cpus` CPUs
of time and `--memory-mb` of memory, pinned to one core; the sessions run on the other core. For each
interaction and each N, every session first gets ready (untimed), then all N act at the same moment:
each session's time runs from sending its message to its run's script_finished message, and the
server's CPU time (the group's CPU accounting, the training child included) is divided by the N runs.
Every interaction is repeated `--repeats` times with N = 1 and once with N = 30; sentences are never
repeated, so no run finds another's translation ready. Peak memory is the group's own count: after
the interactions with N sessions connected, and while one session trains a model with the page's
default settings (the training is a child process of the server, so in the same group).

The table goes to stdout as markdown, everything measured to --out as JSON, progress to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.cgroup import ControlGroup, pin_to_core, two_cores
from benchmarks.load_test import distinct_sentences
from benchmarks.server import (
    free_port,
    load_average,
    server_log_problems,
    start_server,
    stop_server,
    wait_until_healthy,
)
from benchmarks.streamlit_client import Run, StreamlitSession
from rnn_demo.app import labels
from rnn_demo.core.text import check_sentence
from rnn_demo.data.corpus import generate_pairs

DEFAULT_OUT = Path("artifacts") / "capacity.json"
PAGE = "encoder_decoder"
# The Encoder–decoder page's widget keys (rnn_demo/app: widgets.sentence_picker with key
# "rnn_sentence", translation.py, models.py, training.py); their ids come from the server's messages
SENTENCE_CHOICE, TYPED_SENTENCE = "rnn_sentence_choice", "rnn_sentence_typed"
STEP_SLIDER, NEXT, MODEL, BEAM, TRAIN = "rnn_step", "step_next", "model_choice", "beam_width", "train"
TRAINING_WAIT_S = 600.0


def log(message: str) -> None:
    print(f"[capacity {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Sentences:
    """Phrasebook sentences, each handed out once."""

    def __init__(self, count: int, seed: int = 17) -> None:
        candidates = (pair.german_text for pair in generate_pairs(count * 2 + 50, seed=seed, unique=True))
        self._left = distinct_sentences((text for text in candidates if check_sentence(text).ok), count)

    def next(self) -> str:
        return self._left.pop()


# --------------------------------------------------------------------------- the interactions

Step = Callable[[StreamlitSession, Sentences], Awaitable[Run | None]]


@dataclass
class Interaction:
    name: str
    prepare: Step  # untimed: gets the session ready
    act: Step  # timed


async def _nothing(session, sentences):
    return None


async def _new_sentence(session, sentences):
    return await session.set({TYPED_SENTENCE: sentences.next()})


async def _to_first_step(session, sentences):
    """A fresh sentence, shown at step 0 (once: then every Next moves one step on)."""
    if session.sent_value(STEP_SLIDER) is None:
        await session.set({TYPED_SENTENCE: sentences.next()})
        await session.set({STEP_SLIDER: 0})


async def _next_step(session, sentences):
    return await session.set({NEXT: True})


async def _other_model(session, sentences):
    model = session.widget(MODEL)
    current = session.sent_value(MODEL)
    shown = current.string_array_value.data[0] if current else model.options[0]
    return await session.set({MODEL: next(label for label in model.options if label != shown)})


async def _greedy(session, sentences):
    await session.set({TYPED_SENTENCE: sentences.next(), BEAM: "greedy"})


async def _beam_5(session, sentences):
    return await session.set({BEAM: "beam 5"})


async def _back_to_page(session, sentences):
    await session.switch_page(PAGE)


def _page(url_path: str) -> Step:
    async def switch(session, sentences):
        return await session.switch_page(url_path)

    return switch


INTERACTIONS = [
    Interaction("new sentence", _nothing, _new_sentence),
    Interaction("step click (Next)", _to_first_step, _next_step),
    Interaction("switch model", _new_sentence, _other_model),
    Interaction("beam 5", _greedy, _beam_5),
    Interaction("Bottleneck page", _back_to_page, _page("bottleneck")),
    Interaction("Hidden-state page", _back_to_page, _page("hidden_state")),
]
OPEN_PAGE = "open the page (deep link)"


# --------------------------------------------------------------------------- measuring


def summary(runs: list[Run], cpu_seconds: float) -> dict:
    times = [run.seconds for run in runs]
    return {
        "runs": len(runs),
        "cpu_ms_per_run": 1000 * cpu_seconds / len(runs),
        "median_s": statistics.median(times),
        "worst_s": max(times),
        "statuses": sorted({run.status for run in runs}),
        "exceptions": sorted({text for run in runs for text in run.exceptions}),
    }


async def at_once(group: ControlGroup, actions: list[Awaitable[Run]]) -> tuple[list[Run], float]:
    """Run the actions together; their runs and the CPU time the server spent meanwhile."""
    cpu_before = group.cpu_seconds()
    runs = await asyncio.gather(*actions)
    return list(runs), group.cpu_seconds() - cpu_before


async def open_sessions(
    base_url: str, count: int, group: ControlGroup, page: str = PAGE
) -> tuple[list[StreamlitSession], list[Run], float]:
    """`count` new sessions, connected first, then opening a page's link (/page) at once."""
    sessions = [StreamlitSession(base_url) for _ in range(count)]
    await asyncio.gather(*(session.connect() for session in sessions))
    runs, cpu = await at_once(group, [session.open(page) for session in sessions])
    return sessions, runs, cpu


async def measure_sessions(base_url: str, count: int, repeats: int, group: ControlGroup, sentences) -> dict:
    """Every interaction with `count` sessions acting at once, `repeats` times; sessions left open."""
    results = {}
    runs, cpu = [], 0.0
    for repeat in range(repeats):
        sessions, opened, opened_cpu = await open_sessions(base_url, count, group)
        runs, cpu = runs + opened, cpu + opened_cpu
        if repeat < repeats - 1:
            await asyncio.gather(*(session.close() for session in sessions))
    results[OPEN_PAGE] = summary(runs, cpu)
    log(f"N={count} {OPEN_PAGE}: {results[OPEN_PAGE]['median_s']:.2f} s median")
    await asyncio.gather(*(session.set({SENTENCE_CHOICE: labels.TYPE_YOUR_OWN}) for session in sessions))
    for interaction in INTERACTIONS:
        runs, cpu = [], 0.0
        for _ in range(repeats):
            await asyncio.gather(*(interaction.prepare(session, sentences) for session in sessions))
            actions = [interaction.act(session, sentences) for session in sessions]
            acted, acted_cpu = await at_once(group, actions)
            runs, cpu = runs + acted, cpu + acted_cpu
        results[interaction.name] = summary(runs, cpu)
        log(f"N={count} {interaction.name}: {results[interaction.name]['median_s']:.2f} s median")
        if any(summary_exceptions := results[interaction.name]["exceptions"]):
            log(f"  exceptions on the page: {summary_exceptions}")
    results["_sessions"] = sessions
    return results


def training_children(group: ControlGroup) -> list[int]:
    """The group's training processes: multiprocessing's spawned children (not its resource tracker)."""
    found = []
    for pid in group.pids():
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"spawn_main" in command:
            found.append(pid)
    return found


async def peak_with_training(session: StreamlitSession, group: ControlGroup) -> dict:
    """Press Train (the page's default settings) in one session; the group's peak until it ends."""
    group.reset_peak()
    started = time.monotonic()
    await session.switch_page(PAGE)
    await session.set({TRAIN: True})
    while not training_children(group) and time.monotonic() - started < 60:
        await asyncio.sleep(0.2)
    seen = bool(training_children(group))
    highest = {"now": 0}  # the sample with the most memory in use, and what it was made of
    while training_children(group) and time.monotonic() - started < TRAINING_WAIT_S:
        now = group.memory_now()
        if now > highest["now"]:
            highest = {"now": now, **group.memory_breakdown()}
        await asyncio.sleep(0.5)
    return {
        "training_seen": seen,
        "training_s": time.monotonic() - started,
        "peak_mb": group.memory_peak() / 2**20,
        "highest_sample_mb": {part: size / 2**20 for part, size in highest.items()},
        "oom_kills": group.oom_kills(),
    }


def checkout_label(checkout: Path) -> str:
    commit = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return commit or checkout.name


@contextmanager
def served_in_group(checkout: Path, group: ControlGroup, core: int, log_path: Path) -> Iterator[str]:
    """A `streamlit run` server of `checkout` in `group`, pinned to `core`; its base URL. Stopped after."""

    def into_group() -> None:  # in the server's process, before Python starts: all of it is counted
        group.join()
        pin_to_core(core)

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    process = start_server(port, log_path, app_dir=checkout, before_exec=into_group)
    try:
        wait_until_healthy(process, base_url, 120)
        yield base_url
    finally:
        stop_server(process)


def measure_checkout(checkout: Path, args: argparse.Namespace, server_core: int) -> dict:
    """A fresh server of `checkout` in a fresh control group: every N, then the training."""
    label = checkout_label(checkout)
    group = ControlGroup(f"capacity-{label}-{time.time_ns()}", args.cpus, args.memory_mb * 2**20)
    log_path = args.out.with_name(f"{args.out.stem}_{label}_server.log")
    result = {"checkout": str(checkout), "label": label, "cgroup_version": group.version, "by_sessions": {}}
    result["load_average_start"] = load_average()  # other work on the machine shares the cores
    # at most 3 sentences a session and repeat (step, switch model, beam), 4 at N = 1 to be safe
    sentences = Sentences(sum(4 * count * args.repeats for count in args.sessions) + 50)

    async def drive(base_url: str) -> None:
        sessions = []
        for count in args.sessions:
            await asyncio.gather(*(session.close() for session in sessions))
            repeats = args.repeats if count == 1 else 1
            log(f"{label}: N={count}, {repeats} time(s) each")
            measured = await measure_sessions(base_url, count, repeats, group, sentences)
            sessions = measured.pop("_sessions")
            result["by_sessions"][str(count)] = measured
        result["sessions_connected"] = len(sessions)
        result["peak_mb_sessions"] = group.memory_peak() / 2**20
        if args.training:
            log(f"{label}: one default training with {len(sessions)} sessions connected")
            result["training"] = await peak_with_training(sessions[0], group)
        await asyncio.gather(*(session.close() for session in sessions))

    try:
        with served_in_group(checkout, group, server_core, log_path) as base_url:
            result["peak_mb_idle"] = group.memory_peak() / 2**20
            asyncio.run(drive(base_url))
            result["oom_kills"] = group.oom_kills()
    finally:
        result["server_log"] = server_log_problems(log_path)
        group.remove()
    return result


# --------------------------------------------------------------------------- the table


def markdown_tables(results: list[dict]) -> str:
    counts = sorted({count for result in results for count in result["by_sessions"]}, key=int)
    names = [OPEN_PAGE] + [interaction.name for interaction in INTERACTIONS]
    header = ["interaction", "commit"]
    for count in counts:
        header += [f"CPU ms, N={count}", f"median s, N={count}", f"worst s, N={count}"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in names:
        for result in results:
            cells = [name, result["label"]]
            for count in counts:
                measured = result["by_sessions"].get(count, {}).get(name)
                if measured is None:
                    cells += ["—"] * 3
                else:
                    cells += [
                        f"{measured['cpu_ms_per_run']:.0f}",
                        f"{measured['median_s']:.2f}",
                        f"{measured['worst_s']:.2f}",
                    ]
            lines.append("| " + " | ".join(cells) + " |")
    memory_header = [
        "commit", "peak MB, started", "peak MB, after the interactions", "peak MB, with one training",
        "OOM kills", "tracebacks in the server log", "machine's load at the start (1 min)",
    ]  # fmt: skip
    lines += ["", "| " + " | ".join(memory_header) + " |", "|" + "---|" * len(memory_header)]
    for result in results:
        training = result.get("training", {})
        cells = [
            result["label"],
            f"{result.get('peak_mb_idle', 0):.0f}",
            f"{result.get('peak_mb_sessions', 0):.0f} ({result.get('sessions_connected', 0)} sessions)",
            f"{training['peak_mb']:.0f}" if training else "—",
            str(result.get("oom_kills", "?")),
            str(result["server_log"]["tracebacks"]),
            str((result.get("load_average_start") or {}).get("1min", "—")),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.capacity", description=__doc__.split("\n")[0])
    parser.add_argument("checkouts", nargs="*", type=Path, default=[Path(".")], help="app folders to measure")
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 30], help="N: sessions at once")
    parser.add_argument("--repeats", type=int, default=5, help="times each interaction is measured with N=1")
    parser.add_argument("--cpus", type=float, default=1.0, help="the group's CPU time, in CPUs")
    parser.add_argument("--memory-mb", type=int, default=2048, help="the group's memory bound, MB")
    parser.add_argument("--no-training", dest="training", action="store_false", help="skip the training")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON file to write")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> list[dict]:
    args = parse_arguments(argv)
    cores = two_cores()
    pin_to_core(cores[1])  # the clients' core; the server's is pinned as it starts
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results = [measure_checkout(checkout.resolve(), args, cores[0]) for checkout in args.checkouts]
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(markdown_tables(results))
    return results


if __name__ == "__main__":
    main()
