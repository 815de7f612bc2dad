"""Real browser: every page, in its default view and in presenter mode, with every expander open,
scanned with axe-core (through axe-playwright-python) in Chromium. No violation of any impact may be
of our own making. What Streamlit itself causes is listed in STREAMLIT_OWN (and in the README), each
with the element it is on and its upstream issue, so that nothing else is let through.

One server and one browser page for all twelve scans (the session-scoped server of tests/conftest.py).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

PAGES = ["", "word_by_word", "encoder_decoder", "bottleneck", "hidden_state", "your_corpus"]
MODES = {"default": "", "presenter": "?presenter=1"}

# (axe rule, the data-testid of the Streamlit element it fires on): Streamlit's own markup, not ours.
# The file uploader's drop zone is a <section role="presentation" tabindex="-1" aria-label=...>:
# react-dropzone gives it role="presentation" (react-dropzone/react-dropzone#1182), Streamlit took it
# out of the tab order (streamlit/streamlit#15921, fixed by #15928) and labels it; a labelled element
# with role="presentation" is a conflict for axe.
STREAMLIT_OWN = {("presentation-role-conflict", "stFileUploaderDropzone")}


def open_every_expander(page: Page) -> None:
    """Open each expander of the main area (what is in them is scanned too), then let the page settle."""
    expanders = page.get_by_test_id("stMain").get_by_test_id("stExpander")
    for n in range(expanders.count()):
        details = expanders.nth(n).locator("details")
        if details.get_attribute("open") is None:
            details.locator("summary").first.click()
    page.wait_for_timeout(500)


def own_violations(results: dict) -> list[str]:
    found = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            streamlits = any(
                violation["id"] == rule and f'data-testid="{testid}"' in node["html"]
                for rule, testid in STREAMLIT_OWN
            )
            if not streamlits:
                where = f"{node['target']} {node['html'][:150]}"
                found.append(f"{violation['impact']} {violation['id']}: {where}")
    return found


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("mode", MODES)
def test_no_accessibility_violation_of_our_own(page: Page, open_app, axe, mode):
    failures = {}
    for path in PAGES:
        open_app(page, path + MODES[mode])
        open_every_expander(page)
        found = own_violations(axe.run(page).response)
        if found:
            failures[path or "home"] = found
    assert not failures, f"axe-core violations in {mode} mode: {failures}"


def test_the_allowance_for_streamlits_own_markup_lets_nothing_else_through():
    results = {
        "violations": [
            {
                "id": "presentation-role-conflict",
                "impact": "minor",
                "nodes": [
                    {"target": ["a"], "html": '<section data-testid="stFileUploaderDropzone">'},
                    {"target": ["b"], "html": '<div role="presentation" aria-label="ours">'},
                ],
            },
            {"id": "heading-order", "impact": "moderate", "nodes": [{"target": ["h3"], "html": "<h3>"}]},
        ]
    }
    assert own_violations(results) == [
        "minor presentation-role-conflict: ['b'] <div role=\"presentation\" aria-label=\"ours\">",
        "moderate heading-order: ['h3'] <h3>",
    ]
