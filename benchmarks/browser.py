"""The headless Chromium that the browser tests and the load test drive: Debian's package, never a
browser downloaded by Playwright, with the flags that keep it off the network; and the script both
install in every page to know when a script run has finished (harness.js)."""

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 800}

HARNESS_JS = (Path(__file__).parent / "harness.js").read_text(encoding="utf-8")
