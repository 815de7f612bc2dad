"""What serving a class costs the server: the CPU time of each click, how long N sessions acting at once
wait, and the memory a host counts; for this checkout and any others, side by side in one run.

    python -m benchmarks.serve                        # websocket sessions, N = 1 and 30, one training
    python -m benchmarks.serve OLD_CHECKOUT .         # two checkouts (folders with streamlit_app.py)
    python -m benchmarks.serve --memory-mb 690        # the smallest hosted box
    python -m benchmarks.serve --clients browser --sessions 30 --shared-training 10 --no-training
    python -m benchmarks.serve --clients apptest --repeats 20 --wake-up 3 OLD_CHECKOUT .
    python -m benchmarks.serve OLD_CHECKOUT . --python OLD_ENV/bin/python python   # each its own packages

Clients (benchmarks/clients.py): `websocket` (Streamlit's own protocol) or `browser` (pages in one
headless Chromium) on one core, and per checkout a fresh `streamlit run` server on the other, in a new
control group (cgroup v1 or v2; root) of --cpus CPUs and --memory-mb of memory, whose count is the
server's CPU time (its trainings' included); or `apptest`: one session in a process of its own per
checkout, one torch thread, the process's CPU time (AppTest's bookkeeping included) and the script's.

A started server loads torch, the models and the dictionary before any visitor comes: the benchmark
waits until it is idle, and reports the time and the CPU that waking took (`wake_up_server`). The first
open of the page on the woken server is a line of its own (its caches are empty). Then for each
N, N sessions open the Encoder–decoder page at once, and for each interaction all get ready (untimed)
and act at the same moment: a session's time runs from its action to the end of the run it started;
the CPU time per run is the server's for them all, divided by N. N = 1 is measured --repeats times
(medians), larger N once; no sentence is used twice.

With a server, also: the group's peak memory with N sessions connected; `--training` (on by default):
one more session presses Train with the page's default settings, the group's peak until the page says
how it went (trained, or refused for want of memory), OOM kills; `--shared-training S`: all sessions ask
at once for the same new S-second training; resident sizes, tracebacks in the server log. `--wake-up
N`: N times, from `streamlit run` starting (in a new control group, on the server's core) to the deep
link drawn with its five figures in Chromium (on the other core).
Markdown tables to stdout, everything to --out as JSON, progress to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from benchmarks.cgroup import ControlGroup, pin_to_core, two_cores
from benchmarks.clients import AppTestSession, BrowserSession, Run, WebsocketSession, chromium
from benchmarks.report import logger, markdown_table, median, spread, write_json
from tests import harness

log = logger("serve")
DEFAULT_OUT = Path("artifacts") / "serve.json"
PAGE = "encoder_decoder"
# The Encoder–decoder page's widget keys (rnn_demo/app: widgets.sentence_picker with key "rnn_sentence",
# translation.py, models.py, training.py)
SENTENCE_CHOICE, TYPED, STEP, NEXT = "rnn_sentence_choice", "rnn_sentence_typed", "rnn_step", "step_next"
MODEL, BEAM, TRAIN, SEED, BUDGET = "model_choice", "beam_width", "train", "train_seed", "train_budget"
FIRST_OPEN, OPEN = "first open of a woken server (deep link)", "open the page (deep link)"
SKELETONS_GONE_JS = "document.querySelectorAll(\"[data-testid='stSkeleton']\").length === 0"
IDLE_CHECK_S, IDLE_CPU_SHARE = 0.5, 0.02  # a server is awake once it uses under 2% of a CPU for 0.5 s
RESULT = "RESULT "  # the in-process child's line of results


def phrasebook_sentences(count: int, seed: int = 17) -> list[str]:
    """`count` different phrasebook sentences that a page accepts."""
    from rnn_demo.core.text import check_sentence
    from rnn_demo.data.corpus import generate_pairs

    pairs = generate_pairs(count * 2 + 50, seed=seed, unique=True)
    return list(dict.fromkeys(p.german_text for p in pairs if check_sentence(p.german_text).ok))[:count]


# --------------------------------------------------------------------------- the interactions

# Each interaction: the steps that get a session ready (untimed), then the step that is timed. A step
# is a page to switch to, or widget values to set: NEW is a sentence nobody has asked for yet, and the
# model picker's value is the number of its option.
NEW = "<a new sentence>"
PAGES = {"home": "Home", "word_by_word": "Word-by-word", "bottleneck": "Bottleneck",
         "hidden_state": "Hidden-state", "your_corpus": "Your-corpus"}  # fmt: skip
INTERACTIONS = {
    "new sentence": ([], {TYPED: NEW}),
    "step click (Next)": ([{TYPED: NEW}, {STEP: 0}], {NEXT: True}),
    "beam 5": ([{TYPED: NEW}, {BEAM: "greedy"}], {BEAM: "beam 5"}),
    "switch model": ([{MODEL: 0}, {TYPED: NEW}], {MODEL: 1}),
    **{f"{title} page": ([PAGE], page) for page, title in PAGES.items()},
}


async def do(session, step: str | dict, sentences: list[str]) -> Run:
    if isinstance(step, str):
        return await session.switch_page(step)
    values = {key: sentences.pop() if value == NEW else value for key, value in step.items()}
    if MODEL in values:
        values[MODEL] = (await session.options(MODEL))[values[MODEL]]
    return await session.set(values)


# --------------------------------------------------------------------------- measuring


async def at_once(meter: Callable[[], float], actions: list[Awaitable[Run]]) -> tuple[list[Run], float]:
    """The actions run together: their runs, and the server's CPU time per run meanwhile."""
    before = meter()
    runs = list(await asyncio.gather(*actions))
    return runs, (meter() - before) / len(runs)


def summary(batches: list[tuple[list[Run], float]]) -> dict:
    runs = [run for batch, _ in batches for run in batch]
    scripts = [run.script_cpu_s for run in runs if run.script_cpu_s is not None]
    return {
        "runs": len(runs),
        "cpu_ms": 1000 * median(cpu for _, cpu in batches),
        "script_cpu_ms": 1000 * median(scripts) if scripts else None,
        "median_s": median(run.seconds for run in runs),
        "worst_s": max(run.seconds for run in runs),
        "exceptions": sorted({text for run in runs for text in run.exceptions}),
    }


async def interactions(new_session: Callable, meter: Callable[[], float], args, sentences, opened=None):
    """Every interaction for every N; the results, and the last N's sessions (left open)."""
    from rnn_demo.app.labels import TYPE_YOUR_OWN

    first = new_session()
    results = {FIRST_OPEN: summary([await at_once(meter, [first.open(PAGE)])]), "by_sessions": {}}
    await first.close()
    log(f"{FIRST_OPEN}: {results[FIRST_OPEN]['cpu_ms']:.0f} ms of CPU")
    if opened is not None:
        opened()
    sessions = []
    for count in args.sessions:
        measured, batches = {}, []
        for _ in range(args.repeats if count == 1 else 1):
            await asyncio.gather(*(session.close() for session in sessions))
            sessions = [new_session() for _ in range(count)]
            batches.append(await at_once(meter, [session.open(PAGE) for session in sessions]))
        measured[OPEN] = summary(batches)
        await asyncio.gather(*(session.set({SENTENCE_CHOICE: TYPE_YOUR_OWN}) for session in sessions))
        for name, (preparing, timed) in INTERACTIONS.items():
            batches = []
            for _ in range(args.repeats if count == 1 else 1):
                for step in preparing:
                    await asyncio.gather(*(do(session, step, sentences) for session in sessions))
                batches.append(await at_once(meter, [do(session, timed, sentences) for session in sessions]))
            measured[name] = got = summary(batches)
            log(f"N={count} {name}: {got['cpu_ms']:.0f} ms of CPU, {got['median_s']:.2f} s median")
            if got["exceptions"]:
                log(f"  exceptions on the page: {got['exceptions']}")
        results["by_sessions"][str(count)] = measured
    return results, sessions


def _outcomes() -> dict[str, str]:
    """How a training ends, as the page says it."""
    from rnn_demo.app import labels

    return {
        "trained": re.escape(labels.TRAINED) + " (is trained|was stopped)",
        "refused": re.escape(labels.NOT_ENOUGH_MEMORY),
        "stopped: memory ran short": re.escape(labels.STOPPED_FOR_MEMORY),
        "failed": re.escape(labels.TRAINING_FAILED),
    }


async def until_answered(session, timeout_s: float, milestones: dict | None = None, started=None) -> dict:
    """Poll the page (every second, as a page reruns a training's progress) until it says how the
    training ended; when each milestone was first and last seen; in s from `started` (monotonic)."""
    started, seen, text = started or time.monotonic(), {}, ""
    polls = 0
    while time.monotonic() - started < timeout_s:
        # first the click's own run: a refusal is shown there once, and a rerun no longer shows it
        text = await session.page_text(rerun=polls > 0)
        polls += 1
        now = time.monotonic() - started
        for name, pattern in (milestones or {}).items():
            if re.search(pattern, text):
                seen.setdefault(name, {"first_s": now})["last_s"] = now
        outcome = next((name for name, pattern in _outcomes().items() if re.search(pattern, text)), None)
        if outcome:
            return {"outcome": outcome, "seconds": now, "milestones": seen, "text": text}
        await asyncio.sleep(1.0)
    return {"outcome": "no answer", "seconds": None, "milestones": seen, "text": text}


async def one_training(new_session: Callable, group: ControlGroup, memory: dict, timeout_s: float) -> dict:
    """A new session presses Train with the page's default settings; the group's peak meanwhile."""
    group.reset_peak()
    memory["group_highest_mb"] = {"now": 0.0}
    session = new_session()
    await session.open(PAGE)
    await session.set({TRAIN: True})
    answer = await until_answered(session, timeout_s)
    await session.close()
    log(f"one training: {answer['outcome']} after {answer['seconds']} s")
    peak_mb = group.memory_peak() / 2**20
    return {"outcome": answer["outcome"], "seconds": answer["seconds"], "peak_mb": peak_mb}


async def shared_training(sessions: list, seconds: int, timeout_s: float) -> dict:
    """Every session asks at once for the same new training (a fresh seed, `seconds` long)."""
    from rnn_demo.app import labels

    seed = random.SystemRandom().randint(1000, 9999)
    await asyncio.gather(*(session.switch_page(PAGE) for session in sessions))
    await asyncio.gather(*(session.set({SEED: seed}) for session in sessions))
    await asyncio.gather(*(session.set({BUDGET: seconds}) for session in sessions))
    milestones = {
        "queued": re.escape(labels.WAITING_IN_QUEUE),
        "preparing data": re.escape(labels.PREPARING_DATA),
        "training": rf"\d+ of {seconds} s · loss",
    }
    log(f"shared training: {len(sessions)} sessions press Train")

    async def one(session) -> dict:
        started = time.monotonic()
        await session.set({TRAIN: True})
        answer = await until_answered(session, timeout_s, milestones, started)
        runs = re.search(re.escape(labels.TRAININGS_RUN) + r": (\d+)", answer.pop("text"))
        return {**answer, "trainings_run": int(runs[1]) if runs else None}

    records = await asyncio.gather(*(one(session) for session in sessions))
    seen = {name: [r["milestones"][name] for r in records if name in r["milestones"]] for name in milestones}
    medians = {name: {"sessions": len(times), **{edge: median(t[edge] for t in times) for edge in times[0]}}
               for name, times in seen.items() if times}  # fmt: skip
    trainings = sorted({r["trainings_run"] for r in records if r["trainings_run"] is not None})
    with_model = sum(r["outcome"] == "trained" for r in records)
    return {"seed": seed, "seconds": spread(r["seconds"] for r in records), "milestones": medians,
            "sessions_with_model": with_model, "trainings_run": trainings}  # fmt: skip


async def sample_memory(pid: int, memory: dict, group: ControlGroup | None = None) -> None:
    """Until cancelled: the resident memory of the server, its children's (a training) and both, and
    their highest samples, in MB (resident sizes add the pages they share twice); and the group's
    highest sample since `memory["group_highest_mb"]` was set, with what it was made of."""
    import psutil

    server = psutil.Process(pid)
    while True:
        highest = memory.get("group_highest_mb")
        if group is not None and highest is not None and (now := group.memory_now() / 2**20) > highest["now"]:
            parts = {part: size / 2**20 for part, size in group.memory_breakdown().items()}
            memory["group_highest_mb"] = {"now": now, **parts}
        try:
            children = sum(child.memory_info().rss for child in server.children(recursive=True)) / 2**20
            memory["server_mb"] = server.memory_info().rss / 2**20
        except psutil.Error:  # a training ended between the two calls, or the server did
            children = 0.0
        both = memory.get("server_mb", 0.0) + children
        for name, size in (("training", children), ("server_and_training", both)):
            memory[f"peak_{name}_mb"] = max(memory.get(f"peak_{name}_mb", 0.0), size)
        await asyncio.sleep(0.25)


def log_problems(text: str) -> dict:
    """The server log's tracebacks, and how often each exception (its last line) ended one."""
    exceptions, in_traceback = {}, False
    for line in text.splitlines():
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
        elif in_traceback and line and not line[0].isspace():  # the first unindented line ends it
            exceptions[line[:200]] = exceptions.get(line[:200], 0) + 1
            in_traceback = False
    return {"tracebacks": sum(exceptions.values()) + in_traceback, "exceptions": exceptions}


def checkout_label(checkout: Path) -> str:
    commit = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return commit or checkout.name


def until_idle(group: ControlGroup, started: float, timeout_s: float = 120.0) -> dict:
    """Wait until a started server has woken up: what it does from its start on, before any visitor
    (import torch, load the models), is done once its CPU use falls to almost nothing. The seconds
    from its start and the CPU time it took, so that a first visitor's open counts only its own."""
    previous = group.cpu_seconds()
    while time.monotonic() - started < timeout_s:
        time.sleep(IDLE_CHECK_S)
        now = group.cpu_seconds()
        if now - previous < IDLE_CPU_SHARE * IDLE_CHECK_S:
            break
        previous = now
    return {"seconds": time.monotonic() - started, "cpu_ms": 1000 * group.cpu_seconds()}


def server_in_group(
    name: str, checkout: Path, args, core: int, port: int, log_path: Path, python: str
) -> tuple[ControlGroup, subprocess.Popen]:
    """`streamlit run` of `checkout` by `python`, as a host runs it: in a new control group of
    args.cpus CPUs and args.memory_mb, pinned to `core`."""
    unique = f"{name}-{checkout_label(checkout)}-{time.time_ns()}"
    group = ControlGroup(unique, args.cpus, args.memory_mb * 2**20)

    def into_group() -> None:  # in the server's process, before Python starts: all of it is counted
        group.join()
        pin_to_core(core)

    process = harness.start_server(port, log_path, checkout, before_exec=into_group, python=python)
    return group, process


def measure_server(
    checkout: Path, args: argparse.Namespace, core: int, sentences: list[str], python: str = sys.executable
) -> dict:
    """A fresh server of `checkout` (run by `python`) in a fresh control group on `core`, driven by
    args.clients."""
    label = checkout_label(checkout)
    log_path = args.out.with_name(f"{args.out.stem}_{label}_server.log")
    port = harness.free_port()
    base_url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    group, process = server_in_group("serve", checkout, args, core, port, log_path, python)
    result = {"checkout": str(checkout), "label": label, "cgroup_version": group.version,
              "load_average_start": os.getloadavg()[0], "memory": {}}  # fmt: skip

    async def drive() -> None:
        memory = result["memory"]
        sampler = asyncio.create_task(sample_memory(process.pid, memory, group))
        browser = playwright = None
        if args.clients == "browser":
            from playwright.async_api import async_playwright

            playwright = await async_playwright().start()
            browser = await chromium(playwright)

        def new_session():
            return WebsocketSession(base_url) if browser is None else BrowserSession(browser, base_url)

        def opened() -> None:
            memory["server_after_first_open_mb"] = memory.get("server_mb")

        try:
            measured, sessions = await interactions(new_session, group.cpu_seconds, args, sentences, opened)
            result.update(measured, peak_mb_sessions=group.memory_peak() / 2**20, sessions=len(sessions))
            if args.shared_training:
                shared = shared_training(sessions, args.shared_training, args.timeout)
                result["shared_training"] = await shared
            if args.training:
                await sessions.pop().close()  # the training's session takes its place
                result["training"] = await one_training(new_session, group, memory, args.timeout)
            await asyncio.gather(*(session.close() for session in sessions))
        finally:
            sampler.cancel()
            if browser is not None:
                await browser.close()
                await playwright.stop()

    try:
        harness.wait_until_healthy(process, base_url, 120)
        result["peak_mb_started"] = group.memory_peak() / 2**20
        result["wake_up_server"] = until_idle(group, started)
        asyncio.run(drive())
    except Exception as error:  # what was measured is kept and reported
        result["error"] = f"{type(error).__name__}: {error}"
        log(f"{label}: the run ended early: {result['error']}")
    finally:
        if process.poll() is None:  # its own peak, before it stops
            status = Path(f"/proc/{process.pid}/status").read_text()
            result["memory"]["server_peak_rss_mb"] = int(re.search(r"VmHWM:\s+(\d+)", status)[1]) / 1024
        result.update(cpu_s=group.cpu_seconds(), oom_kills=group.oom_kills())
        harness.stop_server(process)
        group.remove()
        result["server_log"] = log_problems(log_path.read_text(errors="replace"))
    return result


def measure_in_process(checkout: Path, args: argparse.Namespace, sentences: list[str]) -> dict:
    """The interactions in a process of the checkout's own (this file, run by path, with the checkout's
    folder as its working directory and first on its path); the sentences given on its stdin."""
    command = [sys.executable, __file__, "--in-process", str(checkout), "--repeats", str(args.repeats)]
    env = {**os.environ, "PYTHONPATH": str(harness.REPO_ROOT), "RNN_DEMO_TORCH_THREADS": "1"}
    child = subprocess.run(
        command, cwd=checkout, input=json.dumps(sentences), capture_output=True, text=True, env=env
    )
    lines = [line for line in child.stdout.splitlines() if line.startswith(RESULT)]
    if child.returncode or not lines:
        sys.exit(f"{checkout}: the measurement failed\n{child.stderr[-3000:]}")
    measured = json.loads(lines[-1][len(RESULT) :])
    return {"checkout": str(checkout), "label": checkout_label(checkout), **measured}


def in_process_child(checkout: Path, repeats: int) -> None:
    sys.path.insert(0, str(checkout))  # the checkout's app, not the one this file came with
    for name in [name for name in sys.modules if name.split(".")[0] == "rnn_demo"]:
        del sys.modules[name]
    args = argparse.Namespace(sessions=[1], repeats=repeats)
    sentences = json.loads(sys.stdin.read())
    measuring = interactions(lambda: AppTestSession(checkout), time.process_time, args, sentences)
    results, _ = asyncio.run(measuring)
    print(RESULT + json.dumps(results), flush=True)


async def wake_up(checkout: Path, log_path: Path, args, core: int, python: str = sys.executable) -> float:
    """Seconds from `streamlit run` starting (Chromium is ready before) to the deep link drawn. The
    server runs as a host runs it, in a control group of its own on `core`; Chromium, a student's
    browser, on the other core."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await chromium(playwright)
        port = harness.free_port()
        session = BrowserSession(browser, f"http://127.0.0.1:{port}")
        started = time.perf_counter()
        group, process = server_in_group("wake", checkout, args, core, port, log_path, python)
        try:
            while not harness.health_ok(session.base_url):
                await asyncio.sleep(0.05)
            await session.open(PAGE)
            # the five figures: diagram, encoder, context vector, decoder, top-k
            await session.page.get_by_test_id("stPlotlyChart").nth(4).wait_for()
            # and every widget drawn: an element whose script is still loading shows a grey skeleton
            await session.page.wait_for_function(SKELETONS_GONE_JS, polling=50)
            return time.perf_counter() - started
        finally:
            harness.stop_server(process)
            await browser.close()
            group.remove()


# --------------------------------------------------------------------------- the tables


def _number(value, form: str = ".0f") -> str:
    return "—" if value is None else format(value, form)


def tables(results: list[dict]) -> str:
    counts = sorted({count for result in results for count in result.get("by_sessions", {})}, key=int)
    scripts = any(r.get(FIRST_OPEN, {}).get("script_cpu_ms") is not None for r in results)
    header = ["interaction", "commit"]
    for count in counts:
        header += [f"CPU ms, N={count}"] + ["script CPU ms"] * scripts + [f"median / worst s, N={count}"]
    rows = []
    for name in [FIRST_OPEN, OPEN, *INTERACTIONS]:
        for result in results:
            cells = [name, result["label"]]
            for count in counts:
                if name == FIRST_OPEN:
                    got = result.get(FIRST_OPEN) if count == counts[0] else None
                else:
                    got = result.get("by_sessions", {}).get(count, {}).get(name)
                cells += [_number(got and got["cpu_ms"])] + [_number(got and got["script_cpu_ms"])] * scripts
                cells.append("—" if got is None else f"{got['median_s']:.2f} / {got['worst_s']:.2f}")
            rows.append(cells)
    text = markdown_table(header, rows)
    named = [dict(figures(result)) for result in results]
    names = dict.fromkeys(name for shown in named for name in shown)
    rows = [[name] + [shown.get(name, "—") for shown in named] for name in names]
    return text + ("\n\n" + markdown_table(["", *(r["label"] for r in results)], rows) if rows else "")


def figures(value, name: str = "") -> list[tuple[str, str]]:
    """Every figure of a result but the interactions', as (its dotted name in the JSON, its value)."""
    if isinstance(value, dict):
        skip = {"by_sessions", FIRST_OPEN, "checkout", "label"}
        parts = [(key, part) for key, part in value.items() if name or key not in skip]
        return [pair for key, part in parts for pair in figures(part, f"{name}.{key}" if name else key)]
    if isinstance(value, list):
        value = ", ".join(_number(v, ".2f") if isinstance(v, float) else str(v) for v in value)
    return [(name, _number(value, ".1f") if isinstance(value, float) else str(value))]


def parse_arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve", description=__doc__.split("\n")[0])
    add = parser.add_argument
    add("checkouts", nargs="*", type=Path, default=[Path(".")], help="app folders to measure")
    add("--clients", choices=["websocket", "browser", "apptest"], default="websocket")
    add("--sessions", type=int, nargs="+", default=[1, 30], help="N: sessions at once")
    add("--repeats", type=int, default=5, help="times each interaction is measured with N=1")
    add("--cpus", type=float, default=1.0, help="the group's CPU time, in CPUs")
    add("--memory-mb", type=int, default=1024, help="the group's memory bound, MB")
    add("--no-training", dest="training", action="store_false", help="no default training")
    add("--shared-training", type=int, metavar="S", help="all sessions ask for one S s training")
    add("--timeout", type=float, default=600, help="seconds a training may take to answer")
    add("--wake-up", type=int, default=0, metavar="N", help="also N wake-ups each (Chromium)")
    add("--out", type=Path, default=DEFAULT_OUT, help="JSON file to write")
    add("--python", nargs="+", help="each checkout's Python (its own environment), in their order")
    add("--in-process", type=Path, help=argparse.SUPPRESS)  # the apptest child
    args = parser.parse_args(argv)
    if min(args.sessions) < 1 or args.repeats < 1:
        parser.error("--sessions and --repeats must be at least 1")
    if args.shared_training not in (None, *range(5, 601, 5)):  # the page's time budget
        parser.error("--shared-training: seconds from 5 to 600 in steps of 5")
    if args.python and len(args.python) != len(args.checkouts):
        parser.error("--python: one interpreter for each checkout")
    if args.clients == "apptest":
        args.sessions = [1]  # one session in one process
    return args


def main(argv=None) -> list[dict]:
    args = parse_arguments(argv)
    if args.in_process:
        in_process_child(args.in_process, args.repeats)
        return []
    checkouts = [checkout.resolve() for checkout in args.checkouts]
    pythons = dict(zip(checkouts, args.python or [sys.executable] * len(checkouts), strict=True))
    # at most 2 sentences a session per interaction and repeat, for every checkout
    repeats = {n: args.repeats if n == 1 else 1 for n in args.sessions}
    sentences = phrasebook_sentences(sum(2 * n * repeats[n] * len(INTERACTIONS) for n in args.sessions) + 50)
    server_core, clients_core = two_cores()
    if args.clients == "apptest":
        results = [measure_in_process(checkout, args, sentences) for checkout in checkouts]
    else:
        pin_to_core(clients_core)  # this process and Chromium; the server is pinned as it starts
        results = [measure_server(c, args, server_core, sentences, pythons[c]) for c in checkouts]
    if args.wake_up:
        pin_to_core(clients_core)  # Chromium too, off the server's core
    for _ in range(args.wake_up):  # the checkouts in turn, so that a busier minute hits each alike
        for result in results:
            checkout = Path(result["checkout"])
            log_path = args.out.with_name("wake_up_server.log")
            seconds = asyncio.run(wake_up(checkout, log_path, args, server_core, pythons[checkout]))
            result.setdefault("wake_up_s", []).append(seconds)
    write_json(args.out, results)
    log(f"wrote {args.out}")
    print(tables(results))
    return results


if __name__ == "__main__":
    main()
