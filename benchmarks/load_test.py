"""Load test: many browser sessions on one `streamlit run` server at the same time.

Part of the benchmark, not of the test suite: run it by hand, and note the machine's load.

    python -m benchmarks.load_test                   # 30 sessions; writes artifacts/load_test.json
    python -m benchmarks.load_test --sessions 3      # a quick check of the script itself
    python -m benchmarks.bench --load-test           # the same, from the benchmark

It starts the app as a subprocess on a free loopback port and opens N sessions (one browser context
each, 1280x800) on the Encoder–decoder page in ONE headless Chromium, driven through playwright's
async API so that every session is timed on its own while all of them run at once.

Phase 1, one shared training: every session sets the same fresh seed and a 10 s time budget and
presses Train at the same moment. Timed per session from its click to the new model's translation
rendered (the success message, "Using your model", both heatmaps drawn, the script run over). The
success message tells how many trainings ran on the server: it must be 1 for every session.

Phase 2, different sentences: every session types a different phrasebook sentence and presses Enter
at the same moment. Timed per session from Enter to both heatmaps drawn for that sentence.

Bounded: every wait ends a minute before --timeout, phase 1's waits 4 minutes earlier still, so that
phase 2 is measured even when the training never comes (then in new sessions, with the shipped model:
sessions still waiting for a training rerun their progress twice a second). The server is always
stopped and Chromium closed; the JSON file is written with whatever was measured.

Times are taken inside each page: from the click or keydown event (seen in the capture phase, before
Streamlit handles it) to the first poll (every 100 ms) at which the page shows the finished result.
So they include the server's work, the websocket and the browser's rendering, but not the Python
side's queueing of 30 sessions' commands; the Python-side times are in the JSON too.

The server runs as a host would run it: in a control group of --cpus CPUs of time and --memory-mb of
memory (benchmarks/cgroup.py; Linux, root), pinned to one core, with Chromium pinned to the other, so
the times are not the browsers' work. The group's peak memory, CPU time and OOM kills are reported.

Memory: VmRSS and VmHWM (peak resident set) of the server process from /proc/<pid>/status (Linux).
"MB" is 2**20 bytes. Progress goes to stderr; the table goes to stdout.

This module does not import Streamlit (the server is a separate process) and imports playwright only
when it runs (it is a dev dependency, in requirements-dev.txt).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import statistics
import sys
import time
import traceback
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS, HARNESS_JS, VIEWPORT
from benchmarks.cgroup import ControlGroup, pin_to_core, two_cores
from benchmarks.server import (
    SERVER_STOP_TIMEOUT_S,
    free_port,
    load_average,
    sample_memory,
    server_log_problems,
    server_memory,
    start_server,
    stop_server,
    wait_until_healthy,
)
from rnn_demo.app import labels
from rnn_demo.core.text import check_sentence
from rnn_demo.data.corpus import generate_pairs

PAGE_PATH = "encoder_decoder"
DEFAULT_OUT = Path("artifacts") / "load_test.json"
DEFAULT_SESSIONS = 30
DEFAULT_CPUS, DEFAULT_MEMORY_MB = 1.0, 1024  # a small hosted box
# 30 sessions took 876 s on the project's 2-core machine, 10 minutes of it waiting for the shared
# training; phase 1's waits end 5 minutes before the bound, so 900 s would cut that phase short
DEFAULT_TIMEOUT_S = 1800.0
SERVER_START_TIMEOUT_S = 60.0

# How often a page checks whether its result is on screen: the timing resolution. Not finer: 30 pages
# polling share the 2 cores with the server they measure
POLL_MS = 100
MILESTONE_POLL_MS = 500
# The waits end this long before --timeout, so a session that never gets its result is reported as
# such; the hard bound (everything cancelled) comes later, and stopping the server takes the rest
WAITS_END_BEFORE_S = 60.0
HARD_BOUND_BEFORE_S = SERVER_STOP_TIMEOUT_S + 5.0
# Phase 1's waits end this long before the others: phase 2 is measured even if the training is slow
PHASE2_RESERVE_S = 240.0
ACTION_TIMEOUT_MS = 120_000  # one click or keypress, when 30 sessions share 2 cores

# What the test asks of the page, in the words the page uses (rnn_demo/app/labels.py)
TRAIN_EXPANDER, SEED_LABEL, BUDGET_LABEL = labels.TRAIN_EXPANDER, labels.SEED, labels.TIME_BUDGET
BUDGET_S = 10  # the slider runs 5..120 in steps of 5: Home, then one ArrowRight
SENTENCE_SELECT_LABEL, TYPE_YOUR_OWN = labels.SENTENCE_PICKER, labels.TYPE_YOUR_OWN
TYPED_SENTENCE_LABEL = labels.TYPED_SENTENCE
ENCODER_TITLE, DECODER_TITLE = labels.ENCODER_HEATMAP_TITLE, labels.DECODER_HEATMAP_TITLE
OWN_MODEL_CAPTION, TRAINED_MESSAGE = labels.OWN_MODEL_CAPTION, labels.TRAINED
TRAININGS_RUN_TEXT = labels.TRAININGS_RUN
TRAININGS_RUN = re.compile(TRAININGS_RUN_TEXT + r": (\d+)")
ASKED_FOR = re.compile(r"asked for (\d+) times")
# What a session sees while it waits for the shared training (pages/encoder_decoder.py), timed to
# tell where the time goes: the queue, generating the sentences, the training's progress reports
TRAINING_MILESTONES = [
    ("queued", re.escape(labels.WAITING_IN_QUEUE)),
    ("preparing_data", re.escape(labels.PREPARING_DATA)),
    ("training", rf"\d+ of {BUDGET_S} s · loss [\d.]+"),
]


def log(message: str) -> None:
    print(f"[load test {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- pure helpers


def summarize_seconds(values: Iterable[float | None]) -> dict:
    """Median, worst, best and mean of the sessions that got a result (None: no result)."""
    values = list(values)
    got = [value for value in values if value is not None]
    summary: dict[str, Any] = {"sessions": len(values), "with_result": len(got)}
    if got:
        summary.update(
            median_s=statistics.median(got), worst_s=max(got), best_s=min(got), mean_s=statistics.fmean(got)
        )
    else:
        summary.update(median_s=None, worst_s=None, best_s=None, mean_s=None)
    return summary


def count_from_message(pattern: re.Pattern[str], message: str) -> int | None:
    """The number a message states (e.g. trainings run), or None if it does not say."""
    match = pattern.search(message)
    return int(match[1]) if match else None


def success_message(alert_text: str) -> str:
    """The success message from "Your model" on, without the icon's name before it; "" if absent."""
    start = alert_text.find(TRAINED_MESSAGE)
    return "" if start < 0 else alert_text[start:].strip()


def milestone_medians(records: Iterable[dict]) -> dict[str, dict]:
    """For each milestone, over the sessions that saw it: how many, and the median first and last
    time it was seen."""
    seen: dict[str, list[dict]] = {}
    for record in records:
        for name, times in (record.get("milestones") or {}).items():
            seen.setdefault(name, []).append(times)
    return {
        name: {
            "sessions": len(times),
            "median_first_s": statistics.median(t["first_s"] for t in times),
            "median_last_s": statistics.median(t["last_s"] for t in times),
        }
        for name, times in sorted(seen.items())
    }


def distinct_sentences(candidates: Iterable[str], count: int) -> list[str]:
    """The first `count` different sentences of `candidates`, in order; fewer if it runs out."""
    chosen: list[str] = []
    for sentence in candidates:
        if sentence not in chosen:
            chosen.append(sentence)
            if len(chosen) == count:
                break
    return chosen


def first_word(sentence: str) -> str:
    """The sentence's first token as the page labels the encoder heatmap's first column."""
    return check_sentence(sentence).display_tokens[0]


def short_error(error: BaseException, lines: int = 4) -> str:
    """The type and the first lines of an error (playwright's own add the steps it was waiting for)."""
    return "\n".join(f"{type(error).__name__}: {error}".splitlines()[:lines])


# --------------------------------------------------------------------------- in the browser

# Arms the clock for the next click or Enter, and watches the main area's text (every `interval` ms)
# for `milestones`, [name, regex] pairs: when each first and last matched, in s after the action, and
# its last match. Returns the finished runs so far.
ARM_JS = """
([milestones, interval]) => {
  const t = window.__stHarness;
  t.armed = true;
  t.actionAt = null;
  t.milestones = {};
  clearInterval(t.watcher);
  if (!milestones.length) return t.done;
  t.watcher = setInterval(() => {
    const main = document.querySelector("[data-testid='stMain']");
    if (t.actionAt === null || !main) return;
    const now = (performance.now() - t.actionAt) / 1000, text = main.textContent;
    for (const [name, source] of milestones) {
      const match = text.match(new RegExp(source));
      if (!match) continue;
      const seen = (t.milestones[name] ??= { first_s: now });
      seen.last_s = now;
      seen.last_text = match[0];
    }
  }, interval);
  return t.done;
}
"""
FINISHED_RUNS_JS = "() => window.__stHarness.done"

# True once a script run has finished after `before` runs, the app is idle and connected, nothing on
# screen is stale, both heatmaps are drawn (Plotly wrote their titles), the encoder's shows `word` if
# given, and the main area holds every text in `texts`. Returns the ms since the armed action.
RESULT_SHOWN_JS = """
({ before, word, texts, titles }) => {
  const t = window.__stHarness;
  const app = document.querySelector("[data-testid='stApp']");
  if (!t || !app || t.done <= before) return false;
  if (app.getAttribute("data-test-connection-state") !== "CONNECTED") return false;
  if (app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (document.querySelector("[data-testid='stElementContainer'][data-stale='true']")) return false;
  const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  const chartTitled = (title) =>
    charts.find((chart) => [...chart.querySelectorAll(".gtitle")].some((e) => e.textContent.includes(title)));
  const heatmaps = titles.map(chartTitled);
  if (heatmaps.some((chart) => !chart)) return false;
  if (word) {
    // tick labels longer than 20 characters end in "…"
    const labels = [...heatmaps[0].querySelectorAll(".xtick text")].map((e) => e.textContent);
    const shows = (label) => label === word || (label.endsWith("…") && word.startsWith(label.slice(0, -1)));
    if (!labels.some(shows)) return false;
  }
  const main = document.querySelector("[data-testid='stMain']");
  if (!main || texts.some((text) => !main.innerText.includes(text))) return false;
  clearInterval(t.watcher);
  return { elapsedMs: t.actionAt === null ? null : performance.now() - t.actionAt, milestones: t.milestones };
}
"""

# What the page shows after a phase: the success message and the RNN's translation (the h3 below the
# bold "Encoder–decoder RNN" in the first column; the page title has the same words).
SHOWN_JS = """
(trainedMessage) => {
  const alert = [...document.querySelectorAll("[data-testid='stAlert']")]
    .find((e) => e.innerText.includes(trainedMessage));
  const column = [...document.querySelectorAll("[data-testid='stColumn']")]
    .find((c) => [...c.querySelectorAll("strong")]
      .some((s) => s.textContent.trim() === "Encoder–decoder RNN"));
  const translation = column && column.querySelector("h3");
  return {
    message: alert ? alert.innerText : null,
    translation: translation ? translation.innerText.trim() : null,
    exceptions: document.querySelectorAll("[data-testid='stException']").length,
  };
}
"""


class Deadline:
    """When the waits must end, shared by every wait (so each fails before the hard bound)."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def remaining_ms(self, floor_ms: float = 1_000) -> float:
        return max((self.end - time.monotonic()) * 1000, floor_ms)

    def passed(self) -> bool:
        return time.monotonic() >= self.end

    def earlier(self, seconds: float) -> Deadline:
        return Deadline(self.end - seconds - time.monotonic())


class Session:
    """One browser context and page: one Streamlit session."""

    def __init__(self, index: int, page: Any, deadline: Deadline) -> None:
        self.index = index
        self.page = page
        self.deadline = deadline
        self.page_errors: list[str] = []
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    async def finished_runs(self) -> int:
        return await self.page.evaluate(FINISHED_RUNS_JS)

    async def wait_for_run_after(self, before: int) -> None:
        """Wait until a script run has finished after `before` runs and the app is idle."""
        await self.page.wait_for_function(
            """(before) => {
              const app = document.querySelector("[data-testid='stApp']");
              return window.__stHarness.done > before && app &&
                app.getAttribute("data-test-script-state") === "notRunning";
            }""",
            arg=before,
            polling=POLL_MS,
            timeout=self.deadline.remaining_ms(),
        )

    async def rerun_after(self, action: Any) -> None:
        """Do an action that reruns the script (an awaitable), and wait for that run to end."""
        before = await self.finished_runs()
        await action
        await self.wait_for_run_after(before)

    async def wait_for_result(
        self, before: int, word: str | None, texts: Sequence[str], deadline: Deadline | None = None
    ) -> dict:
        handle = await self.page.wait_for_function(
            RESULT_SHOWN_JS,
            arg={
                "before": before,
                "word": word,
                "texts": list(texts),
                "titles": [ENCODER_TITLE, DECODER_TITLE],
            },
            polling=POLL_MS,
            timeout=(deadline or self.deadline).remaining_ms(),
        )
        return await handle.json_value()

    async def close(self) -> None:
        await self.page.context.close()


async def open_sessions(
    browser: Any, indices: Iterable[int], base_url: str, deadline: Deadline
) -> tuple[list[Session], list[dict]]:
    """Sessions opened all at once, and their load times."""
    opened = await asyncio.gather(*(open_session(browser, i, base_url, deadline) for i in indices))
    return [session for session, _ in opened], [load for _, load in opened]


async def open_session(browser: Any, index: int, base_url: str, deadline: Deadline) -> tuple[Session, dict]:
    """A new context on the page, waited for until its first run has drawn the translation."""
    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    await context.add_init_script(HARNESS_JS)
    page = await context.new_page()
    session = Session(index, page, deadline)
    started = time.perf_counter()
    await page.goto(f"{base_url}/{PAGE_PATH}", timeout=deadline.remaining_ms())
    await session.wait_for_result(before=0, word=None, texts=[])
    return session, {"session": index, "load_s": time.perf_counter() - started}


async def prepare_training(session: Session, seed: int) -> None:
    """Open the training expander, set the seed and a small time budget; each change reruns."""
    page = session.page
    await page.get_by_text(TRAIN_EXPANDER).click()
    seed_box = page.get_by_label(SEED_LABEL, exact=True)
    await seed_box.fill(str(seed))
    await session.rerun_after(seed_box.press("Enter"))
    slider = page.get_by_role("slider", name=BUDGET_LABEL)
    await slider.focus()
    await session.rerun_after(slider.press("Home"))  # 5 s, the lowest value
    for _ in range((BUDGET_S - 5) // 5):
        await session.rerun_after(slider.press("ArrowRight"))  # one step of 5 s
    value = await slider.input_value()  # the thumb is an <input type="range">
    if value != str(BUDGET_S):
        raise RuntimeError(f"the time budget slider shows {value}, not {BUDGET_S}")


def train_button(session: Session) -> Any:
    # Scoped to the expander: the toolbar has buttons too
    expander = session.page.get_by_test_id("stExpander").filter(has_text=TRAIN_EXPANDER)
    return expander.get_by_role("button", name="Train", exact=True)


async def timed(
    session: Session,
    action: Any,
    word: str | None,
    texts: Sequence[str],
    milestones: Sequence[tuple[str, str]] = (),
    deadline: Deadline | None = None,
) -> dict:
    """Arm the page's clock, do the action, wait for the result; never raises (a session that fails
    is reported, the others go on)."""
    record: dict[str, Any] = {"session": session.index}
    try:
        before = await session.page.evaluate(ARM_JS, [[list(m) for m in milestones], MILESTONE_POLL_MS])
        started = time.perf_counter()
        await action()
        shown = await session.wait_for_result(before, word, texts, deadline)
        record["python_s"] = time.perf_counter() - started
        record["seconds"] = None if shown["elapsedMs"] is None else shown["elapsedMs"] / 1000
        record["milestones"] = shown["milestones"]
        record["ok"] = record["seconds"] is not None
        if not record["ok"]:
            record["error"] = "the page never saw the timed action"
    except Exception as error:  # a timeout, a closed page: this session has no result
        record.update(ok=False, seconds=None, error=short_error(error))
        try:  # how far it got
            record["milestones"] = await asyncio.wait_for(
                session.page.evaluate("() => window.__stHarness.milestones"), timeout=5
            )
        except Exception:  # the page is gone or hangs: nothing more to learn from it
            record["milestones"] = None
    return record


async def what_is_shown(session: Session) -> dict:
    """The success message, the translation and the exceptions the page shows; empty if it cannot say."""
    try:
        return await asyncio.wait_for(session.page.evaluate(SHOWN_JS, TRAINED_MESSAGE), timeout=30)
    except Exception:  # a page that failed its wait may be gone or hang: the record says so already
        return {"message": None, "translation": None, "exceptions": None}


async def shared_training(sessions: Sequence[Session], seed: int, deadline: Deadline) -> dict:
    """Phase 1: all sessions ask for the same new model at once; their waits end at `deadline`."""
    log(f"phase 1: preparing {len(sessions)} sessions (seed {seed}, budget {BUDGET_S} s)")
    await asyncio.gather(*(prepare_training(session, seed) for session in sessions))
    log("phase 1: pressing Train in every session")

    async def one(session: Session) -> dict:
        record = await timed(
            session,
            train_button(session).click,
            None,
            [OWN_MODEL_CAPTION, TRAININGS_RUN_TEXT],
            TRAINING_MILESTONES,
            deadline,
        )
        shown = await what_is_shown(session)
        message = success_message(shown["message"] or "")
        record.update(
            translation=shown["translation"],
            trainings_run=count_from_message(TRAININGS_RUN, message),
            asked_for=count_from_message(ASKED_FOR, message),
            message=message or None,
            exceptions_shown=shown["exceptions"],
            got_model=record["ok"] and message.startswith(TRAINED_MESSAGE),
        )
        return record

    records = await asyncio.gather(*(one(session) for session in sessions))
    trainings = sorted({r["trainings_run"] for r in records if r["trainings_run"] is not None})
    translations = sorted({r["translation"] for r in records if r["translation"] is not None})
    return {
        "seed": seed,
        "time_budget_s": BUDGET_S,
        "summary": summarize_seconds(r["seconds"] for r in records),
        "milestones": milestone_medians(records),
        "sessions_with_model": sum(r["got_model"] for r in records),
        "trainings_run_reported": trainings,
        "trained_once": trainings == [1] and all(r["trainings_run"] == 1 for r in records),
        "translations": translations,
        "records": records,
    }


async def prepare_typing(session: Session, sentence: str) -> None:
    """Choose "type your own" in the sentence picker and type the sentence, without committing it."""
    page = session.page
    picker = page.get_by_test_id("stSelectbox").filter(has_text=SENTENCE_SELECT_LABEL).get_by_role("combobox")
    await picker.click()
    if await picker.get_attribute("aria-expanded") != "true":
        # a click does not always open the list (it did not with the training panel open): the
        # keyboard does
        await picker.press("ArrowDown")
    option = page.get_by_role("option").filter(has_text=TYPE_YOUR_OWN).first
    await session.rerun_after(option.click())
    await page.get_by_label(TYPED_SENTENCE_LABEL, exact=True).fill(sentence)


async def different_sentences(sessions: Sequence[Session], sentences: Sequence[str]) -> dict:
    """Phase 2: every session translates its own sentence, all at once."""
    log(f"phase 2: typing {len(sessions)} different sentences")
    await asyncio.gather(*(prepare_typing(s, text) for s, text in zip(sessions, sentences, strict=True)))
    log("phase 2: pressing Enter in every session")

    async def one(session: Session, sentence: str) -> dict:
        box = session.page.get_by_label(TYPED_SENTENCE_LABEL, exact=True)
        record = await timed(session, lambda: box.press("Enter"), first_word(sentence), [])
        shown = await what_is_shown(session)
        record.update(
            sentence=sentence, translation=shown["translation"], exceptions_shown=shown["exceptions"]
        )
        return record

    records = await asyncio.gather(*(one(s, text) for s, text in zip(sessions, sentences, strict=True)))
    return {"summary": summarize_seconds(r["seconds"] for r in records), "records": records}


async def drive_browser(
    base_url: str,
    server_pid: int,
    sessions_wanted: int,
    seed: int,
    sentences: Sequence[str],
    deadline: Deadline,
    results: dict,
) -> None:
    """Everything the browser does; results are filled in as they come, so a timeout keeps them."""
    from playwright.async_api import async_playwright  # a dev dependency: only needed here

    memory = results["server"]["memory"]
    sampler = asyncio.create_task(sample_memory(server_pid, memory))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            results["environment"]["chromium"] = browser.version
            # The first session alone: its first run loads the shipped models, so the server's memory
            # after it is the memory of a started app
            first, first_load = await open_session(browser, 0, base_url, deadline)
            memory["after_start"] = server_memory(server_pid)
            log(
                f"first session loaded in {first_load['load_s']:.1f} s; server RSS "
                f"{memory['after_start']['rss_mb']:.0f} MB"
            )
            others, loads = await open_sessions(browser, range(1, sessions_wanted), base_url, deadline)
            sessions = [first, *others]
            every_session = list(sessions)  # for the page errors at the end
            results["open"] = {
                "summary_other_sessions": summarize_seconds(load["load_s"] for load in loads),
                "records": [first_load, *loads],
            }
            memory["after_open"] = server_memory(server_pid)
            log(f"{len(sessions)} sessions open; server RSS {memory['after_open']['rss_mb']:.0f} MB")

            training = await shared_training(sessions, seed, deadline.earlier(PHASE2_RESERVE_S))
            results["phase1_shared_training"] = training
            memory["after_phase1"] = server_memory(server_pid)
            log(f"phase 1 done: {training['summary']}")

            fresh = training["summary"]["with_result"] < len(sessions)
            if fresh:
                # A session still waiting for the training reruns its progress every 0.5 s, which would
                # weigh on phase 2: closed, and phase 2 runs in new sessions with the shipped model
                log("phase 1 left sessions waiting: phase 2 runs in new sessions")
                await asyncio.gather(*(session.close() for session in sessions))
                sessions, _ = await open_sessions(
                    browser, range(sessions_wanted, 2 * sessions_wanted), base_url, deadline
                )
                every_session += sessions
            if deadline.passed():  # its waits would all fail at once
                raise TimeoutError("no time left for phase 2")
            typing = await different_sentences(sessions, sentences)
            typing["fresh_sessions"] = fresh
            results["phase2_different_sentences"] = typing
            memory["after_phase2"] = server_memory(server_pid)
            log(f"phase 2 done: {typing['summary']}")
            results["page_errors"] = {s.index: s.page_errors for s in every_session if s.page_errors}
        finally:
            sampler.cancel()
            await browser.close()


# --------------------------------------------------------------------------- report


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def _megabytes(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} MB"


def table_rows(results: dict) -> list[tuple[str, str]]:
    """(measurement, result) for each line of the printed table; missing parts show as "—"."""
    n = results["settings"]["sessions"]
    rows: list[tuple[str, str]] = []
    training = results.get("phase1_shared_training")
    if training:
        summary = training["summary"]
        rows += [
            (
                f"Shared training: click to rendered translation, median ({n} sessions)",
                _seconds(summary["median_s"]),
            ),
            ("Shared training: worst session", _seconds(summary["worst_s"])),
            (
                "Trainings run (reported to every session; must be [1])",
                str(training["trainings_run_reported"]),
            ),
            ("Sessions that got the new model", f"{training['sessions_with_model']} of {n}"),
        ]
        for name, seen in training["milestones"].items():
            rows.append(
                (
                    f"Shared training: {name.replace('_', ' ')!r} shown from / until, median",
                    f"{_seconds(seen['median_first_s'])} / {_seconds(seen['median_last_s'])} "
                    f"({seen['sessions']} sessions)",
                )
            )
    typing = results.get("phase2_different_sentences")
    if typing:
        summary = typing["summary"]
        rows += [
            (f"{n} different sentences: Enter to rendered heatmaps, median", _seconds(summary["median_s"])),
            (f"{n} different sentences: worst session", _seconds(summary["worst_s"])),
            ("Sessions with heatmaps", f"{summary['with_result']} of {n}"),
        ]
        if typing.get("fresh_sessions"):
            rows.append(("Phase 2 ran in new sessions (phase 1 unfinished)", "yes, with the shipped model"))
    memory = results["server"]["memory"]
    rows += [
        (
            "Server RSS after start (first session rendered)",
            _megabytes(memory.get("after_start", {}).get("rss_mb")),
        ),
        ("Server peak RSS (VmHWM)", _megabytes(memory.get("end", {}).get("peak_rss_mb"))),
        ("Training process peak RSS (sampled every 0.25 s)", _megabytes(memory.get("peak_child_mb"))),
        ("Server + training process, peak RSS (sampled)", _megabytes(memory.get("peak_total_mb"))),
        ("Server RSS at the end", _megabytes(memory.get("end", {}).get("rss_mb"))),
    ]
    group = results["server"].get("control_group")
    if group:
        rows += [
            (
                f"Server control group: peak memory (limit {group['memory_limit_mb']:.0f} MB)",
                _megabytes(group["peak_mb"]),
            ),
            ("Server control group: CPU time", _seconds(group["cpu_s"])),
            ("Server control group: OOM kills", str(group["oom_kills"])),
        ]
    rows += [
        ("Whole run", _seconds(results.get("duration_s"))),
    ]
    load = results["environment"].get("load_average_start")
    if load:
        rows.append(
            ("Load average at the start (1/5/15 min)", f"{load['1min']} {load['5min']} {load['15min']}")
        )
    server_log = results["server"].get("log") or {}
    rows.append(
        (
            "Tracebacks / ERROR lines in the server log",
            f"{server_log.get('tracebacks', '—')} / {len(server_log.get('error_lines', []))}",
        )
    )
    for message, count in list((server_log.get("most_frequent") or {}).items())[:1]:
        rows.append(("Most frequent server log line", f"{count}× {message[:90]}"))
    if results.get("error"):
        rows.append(("Run ended early", results["error"]))
    return rows


def plain_table(rows: Sequence[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


# --------------------------------------------------------------------------- command line


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load_test",
        description="Many browser sessions at once on one streamlit server: a shared training, then "
        "different sentences; times per session and the server's memory.",
    )
    parser.add_argument(
        "--sessions",
        type=int,
        default=DEFAULT_SESSIONS,
        help=f"browser sessions at once (default {DEFAULT_SESSIONS})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        help=f"seconds the whole run may take (default {DEFAULT_TIMEOUT_S:g})",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"JSON file to write (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--cpus", type=float, default=DEFAULT_CPUS, help=f"the server's CPUs (default {DEFAULT_CPUS:g})"
    )
    parser.add_argument(
        "--memory-mb",
        type=int,
        default=DEFAULT_MEMORY_MB,
        help=f"the server's memory bound, MB (default {DEFAULT_MEMORY_MB})",
    )
    args = parser.parse_args(argv)
    if args.sessions < 1:
        parser.error("--sessions must be at least 1")
    shortest = SERVER_START_TIMEOUT_S + WAITS_END_BEFORE_S
    if args.timeout <= shortest:
        parser.error(f"--timeout must be more than {shortest:g} seconds")
    return args


def group_figures(group: ControlGroup) -> dict:
    """What the server's control group counted: peak memory, CPU time, OOM kills."""
    return {
        "version": group.version,
        "memory_limit_mb": group.memory_bytes / 2**20,
        "peak_mb": group.memory_peak() / 2**20,
        "cpu_s": group.cpu_seconds(),
        "oom_kills": group.oom_kills(),
    }


def run(
    sessions: int,
    timeout_s: float,
    log_path: Path,
    cpus: float = DEFAULT_CPUS,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> dict:
    """Start the server, drive the browser, always stop both; the results, partial if it ended early."""
    started = time.monotonic()
    deadline = Deadline(timeout_s - WAITS_END_BEFORE_S)
    # A seed no earlier run used on this server (it is fresh anyway) and, likely, not the default 0
    seed = random.SystemRandom().randint(1000, 9999)
    candidates = (pair.german_text for pair in generate_pairs(sessions * 3 + 20, seed=seed, unique=True))
    sentences = distinct_sentences((text for text in candidates if check_sentence(text).ok), sessions)
    if len(sentences) < sessions:
        raise RuntimeError(f"only {len(sentences)} different sentences for {sessions} sessions")
    results: dict[str, Any] = {
        "settings": {
            "sessions": sessions,
            "timeout_s": timeout_s,
            "seed": seed,
            "poll_ms": POLL_MS,
            "cpus": cpus,
            "memory_mb": memory_mb,
        },
        "environment": {
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
            "python_version": platform.python_version(),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "load_average_start": load_average(),
        },
        "server": {"memory": {}, "log_file": str(log_path)},
        "error": None,
    }
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log(f"starting streamlit on {base_url}; {sessions} sessions; at most {timeout_s:g} s in all")
    server_core, browser_core = two_cores()
    group = ControlGroup(f"load-test-{time.time_ns()}", cpus, memory_mb * 2**20)

    def into_group() -> None:  # in the server's process before Python starts: all of it is counted
        group.join()
        pin_to_core(server_core)

    process = start_server(port, log_path, before_exec=into_group)
    pin_to_core(browser_core)  # this process, so playwright's driver and Chromium too
    log(f"server on core {server_core} in a cgroup v{group.version} group; browsers on core {browser_core}")
    try:
        startup = wait_until_healthy(process, base_url, min(SERVER_START_TIMEOUT_S, timeout_s))
        results["server"].update(startup_s=startup, pid=process.pid)
        log(f"server healthy after {startup:.1f} s")
        browser_time = max(started + timeout_s - HARD_BOUND_BEFORE_S - time.monotonic(), 1.0)
        try:
            asyncio.run(
                asyncio.wait_for(
                    drive_browser(base_url, process.pid, sessions, seed, sentences, deadline, results),
                    timeout=browser_time,
                )
            )
        except TimeoutError as error:  # the hard bound (asyncio.wait_for), or no time left for a phase
            why = f" ({error})" if str(error) else ""
            raise TimeoutError(f"the run did not finish within {timeout_s:g} s{why}") from None
    except Exception as error:
        results["error"] = short_error(error)
        log(f"the run failed: {results['error']}")
        traceback.print_exc()
    finally:
        results["server"]["memory"]["end"] = server_memory(process.pid)  # before it stops
        results["server"]["control_group"] = group_figures(group)
        stop_server(process)
        group.remove()
        results["server"]["log"] = server_log_problems(log_path)
        results["environment"]["load_average_end"] = load_average()
        results["duration_s"] = time.monotonic() - started
    return results


def main(argv: Sequence[str] | None = None) -> dict:
    args = parse_arguments(argv)
    log_path = args.out.with_name(args.out.stem + "_server.log")
    results = run(args.sessions, args.timeout, log_path, args.cpus, args.memory_mb)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    log(f"wrote {args.out}")
    print(plain_table(table_rows(results)))
    return results


if __name__ == "__main__":
    main()
