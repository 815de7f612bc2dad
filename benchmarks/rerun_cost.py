"""What one click on the Encoder–decoder page costs the server, measured in-process with AppTest, and
how long a sleeping app takes to wake up: for this checkout and any others, side by side in one run.

    python -m benchmarks.rerun_cost                      # this checkout
    python -m benchmarks.rerun_cost OTHER_CHECKOUT       # another checkout (say, an older commit) first
    python -m benchmarks.rerun_cost --wake-up 3 OTHER    # also 3 wake-ups each, in headless Chromium

Each checkout is measured in a process of its own (its own code and caches), one torch thread:

- fresh open: a new session opens the Encoder–decoder page on a server that has served it before;
- new sentence: a sentence nobody has asked for yet is typed and Enter pressed (a different one
  every time);
- step click: Back or Next in the step control;
- wake-up (`--wake-up N`, the median of N): from `streamlit run` starting to the first visitor's deep link
  /encoder_decoder showing its translation and its five figures, in headless Chromium launched
  before the server.

Each figure is the median of `--repeats` runs (20 by default), as CPU time of the whole process
(what the server's Python would spend; AppTest's own bookkeeping included, the same for every
checkout) and as wall time. Not a test: run it by hand on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULT_PREFIX = "RESULT "


def _timed(action) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


def _medians(samples: list[tuple[float, float]]) -> dict[str, float]:
    return {
        "cpu_ms": statistics.median(cpu for cpu, _ in samples),
        "wall_ms": statistics.median(wall for _, wall in samples),
    }


def measure_here(repeats: int) -> dict[str, dict[str, float]]:
    """The three in-process figures for the checkout this process runs in (its working directory)."""
    os.environ["RNN_DEMO_TORCH_THREADS"] = "1"
    sys.path.insert(0, os.getcwd())
    import torch

    from rnn_demo.app.labels import TYPE_YOUR_OWN
    from rnn_demo.data.corpus import generate_pairs
    from tests.app_pages import open_link  # AppTest on that checkout's app

    torch.set_num_threads(1)
    open_link("encoder_decoder", timeout=300)  # the server's first visitor loads models and dictionary

    # The page script's own CPU time, in the script's thread: from the page's first call to the end of
    # its last (AppTest's bookkeeping in the test's thread left out)
    from rnn_demo.app import session, translation

    marks: dict[str, float] = {}

    def marking(function, mark: str):
        def marked(*args, **kwargs):
            if mark == "start":
                marks.setdefault("start", time.thread_time())
            result = function(*args, **kwargs)
            if mark == "end":
                marks["end"] = time.thread_time()
            return result

        return marked

    session.use_app_navigation = marking(session.use_app_navigation, "start")
    translation.inside_the_translation = marking(translation.inside_the_translation, "end")

    def page_script_ms() -> float:
        spent = (marks.pop("end") - marks.pop("start")) * 1000
        marks.clear()
        return spent

    opened, open_scripts = [], []
    opens = []
    for _ in range(repeats):
        marks.clear()
        opens.append(_timed(lambda: opened.append(open_link("encoder_decoder", timeout=300))))
        open_scripts.append(page_script_ms())
    at = opened[-1]

    at.selectbox(key="rnn_sentence_choice").set_value(TYPE_YOUR_OWN).run()
    pairs = generate_pairs(repeats + 5, seed=4242, min_words=5, max_words=12)
    sentences = list(dict.fromkeys(pair.german_text for pair in pairs))[:repeats]
    new_sentence, new_sentence_scripts = [], []
    for sentence in sentences:
        at.text_input(key="rnn_sentence_typed").input(sentence)
        marks.clear()
        new_sentence.append(_timed(at.run))
        new_sentence_scripts.append(page_script_ms())
        assert not at.exception, at.exception

    steps, step_scripts = [], []
    for i in range(repeats):
        button = at.button(key="step_back" if i % 2 == 0 else "step_next")
        marks.clear()
        steps.append(_timed(button.click().run))
        step_scripts.append(page_script_ms())
        assert not at.exception, at.exception
    results = {
        "fresh open": _medians(opens),
        "fresh open, page script only": {"cpu_ms": statistics.median(open_scripts), "wall_ms": None},
        "new sentence": _medians(new_sentence),
        "new sentence, page script only": {
            "cpu_ms": statistics.median(new_sentence_scripts),
            "wall_ms": None,
        },
        "step click": _medians(steps),
        "step click, page script only": {"cpu_ms": statistics.median(step_scripts), "wall_ms": None},
    }
    return results


def measure_wake_up(checkout: Path) -> float:
    """Seconds from starting `streamlit run` in `checkout` to its first deep link's page rendered."""
    from playwright.sync_api import sync_playwright

    from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS, HARNESS_JS, VIEWPORT
    from benchmarks.server import free_port, health_ok, start_server, stop_server

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.add_init_script(HARNESS_JS)
        log = REPO_ROOT / "artifacts" / f"wake-up-{port}.log"
        started = time.perf_counter()
        server = start_server(port, log, app_dir=checkout)
        try:
            while not health_ok(base_url):
                time.sleep(0.05)
            page.goto(f"{base_url}/encoder_decoder")
            # rendered: the translation and the five figures (diagram, encoder, context, decoder, top-k)
            page.get_by_test_id("stPlotlyChart").nth(4).wait_for(timeout=300_000)
            page.get_by_text("Can you help me translate this sentence?").first.wait_for(timeout=300_000)
            return time.perf_counter() - started
        finally:
            stop_server(server)
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("checkouts", nargs="*", type=Path, help="other checkouts, measured before this one")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument(
        "--wake-up", type=int, default=0, metavar="N", help="also N wake-ups each, in Chromium"
    )
    parser.add_argument("--here", action="store_true", help=argparse.SUPPRESS)  # the child's mode
    args = parser.parse_args()
    if args.here:
        print(RESULT_PREFIX + json.dumps(measure_here(args.repeats)), flush=True)
        return

    results = {}
    for checkout in [*(c.resolve() for c in args.checkouts), REPO_ROOT]:
        print(f"measuring {checkout.name} ...", file=sys.stderr, flush=True)
        child = subprocess.run(
            [sys.executable, __file__, "--here", "--repeats", str(args.repeats)],
            cwd=checkout, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(checkout)},
        )  # fmt: skip
        lines = [line for line in child.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
        if child.returncode or not lines:
            sys.exit(f"{checkout}: the measurement failed\n{child.stderr[-3000:]}")
        results[str(checkout)] = json.loads(lines[-1].removeprefix(RESULT_PREFIX))
    wake_ups = {name: [] for name in results}
    for _ in range(args.wake_up):  # the checkouts in turn, so that a busier minute hits each alike
        for name in results:
            print(f"wake-up of {Path(name).name} ...", file=sys.stderr, flush=True)
            wake_ups[name].append(measure_wake_up(Path(name)) * 1000)
    for name, times in wake_ups.items():
        if times:
            results[name]["wake-up"] = {"cpu_ms": None, "wall_ms": statistics.median(times)}

    out = REPO_ROOT / "artifacts" / "rerun_cost.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    names = list(results)
    print("| interaction | " + " | ".join(f"{Path(n).name} CPU / wall (ms)" for n in names) + " |")
    print("|---|" + "---|" * len(names))
    for interaction in [
        "fresh open", "fresh open, page script only", "new sentence", "new sentence, page script only",
        "step click", "step click, page script only", "wake-up",
    ]:  # fmt: skip
        cells = []
        for name in names:
            figure = results[name].get(interaction)
            if figure is None:
                cells.append("–")
            else:
                cpu = figure.get("cpu_ms")
                wall = figure["wall_ms"]
                cells.append(
                    ("–" if cpu is None else f"{cpu:.0f}") + " / " + ("–" if wall is None else f"{wall:.0f}")
                )
        if any(cell != "–" for cell in cells):
            print(f"| {interaction} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
