"""Real browser, a phone's screen (390×844): no page runs past the edge, and every figure keeps the width
it is laid out for and scrolls sideways inside its own box, so its labels keep their room."""

import pytest
from playwright.sync_api import Page, expect

from rnn_demo.figures.style import PAGE_CHART_PX
from tests.conftest import wait_until_every_figure_is_drawn

PHONE = {"width": 390, "height": 844}
# Each page and the figures it draws at once (Your own corpus draws none before an upload)
PAGES = {
    "home": 1, "word_by_word": 1, "encoder_decoder": 5, "bottleneck": 4, "hidden_state": 1, "your_corpus": 0
}  # fmt: skip

# For the page: how far the document scrolls sideways, the text that reaches past the screen's edge, and
# for each figure its drawn width, its box's width and whether that box scrolls sideways.
_LAYOUT_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const text = [...document.querySelectorAll("[data-testid='stMarkdownContainer'] p, h1, h2, h3")]
    .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest("[data-testid='stSidebar']"))
    .map((e) => e.textContent.slice(0, 60));
  const figures = [...document.querySelectorAll("[data-testid='stPlotlyChart']")].map((chart) => {
    const box = chart.closest("[data-testid='stElementContainer']");
    const svg = chart.querySelector(".main-svg");
    return {
      drawn: svg ? svg.getBoundingClientRect().width : 0,
      box: box.clientWidth,
      scrolls: getComputedStyle(box).overflowX === "auto" && box.scrollWidth > box.clientWidth,
    };
  });
  return {page_overflow: document.documentElement.scrollWidth - width, text, figures, width};
}
"""


@pytest.mark.parametrize("path", PAGES)
def test_a_phone_sees_every_page_whole_and_every_figure_at_its_own_width(
    page: Page, open_app, screenshot, path: str
):
    open_app(page, "" if path == "home" else path)
    page.set_viewport_size(PHONE)
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(PAGES[path])
    wait_until_every_figure_is_drawn(page)
    page.wait_for_timeout(500)  # plotly redraws after the resize
    layout = page.evaluate(_LAYOUT_JS)
    assert layout["width"] == PHONE["width"]
    assert layout["page_overflow"] <= 1, f"the page scrolls sideways by {layout['page_overflow']} px"
    assert layout["text"] == [], f"text runs past the screen's edge: {layout['text']}"
    for figure in layout["figures"]:
        # drawn at the wide page's width (not squeezed to the phone), in a box no wider than the screen
        assert figure["drawn"] >= PAGE_CHART_PX - 1, figure
        assert figure["box"] <= PHONE["width"], figure
        assert figure["scrolls"], figure
    screenshot(page, f"{path}_phone_390x844")
