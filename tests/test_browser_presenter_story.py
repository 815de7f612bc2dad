"""Real browser, presenter mode on a projector (1280x720): the Encoder–decoder page tells the story in
order. The translation appears only as the decoder writes it, step by step, and the whole step diagram
(encoder and decoder rows) is in view together with the step buttons. Screenshots of steps 0, 6 and
the last go to docs/screenshots/."""

import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import REPO_ROOT, wait_until_every_figure_is_drawn

PROJECTOR = {"width": 1280, "height": 720}
DOCS = REPO_ROOT / "docs" / "screenshots"
SEED_ENGLISH = "Can you help me translate this sentence?"


# Scrolls the Back button to 70 px below the top of the main area, at once; true once it is there (a
# page still growing below may not yet be long enough for it)
_BUTTONS_TO_THE_TOP_JS = """() => {
  const back = [...document.querySelectorAll("button")].find((e) => e.innerText.includes("Back"));
  const main = back.closest("[data-testid='stMain']");
  back.scrollIntoView({block: "start", behavior: "instant"});
  main.scrollBy({top: -70, behavior: "instant"});
  return back.getBoundingClientRect().top - main.getBoundingClientRect().top <= 71;
}"""


def diagram_in_view_with_the_buttons(page: Page) -> None:
    """Scroll the step control to the top of the view; the buttons and the whole diagram are in it."""
    main = page.get_by_test_id("stMain")
    back = main.get_by_role("button", name="Back")
    back.scroll_into_view_if_needed()
    # on a busy machine the figures below may still be drawing, and the page then ends too soon to
    # scroll the buttons up to the top: scroll once every figure is drawn
    wait_until_every_figure_is_drawn(page)
    page.wait_for_function(_BUTTONS_TO_THE_TOP_JS, polling=200)
    diagram = page.locator(".st-key-rnn_diagram [data-testid='stPlotlyChart']")
    top, bottom = back.bounding_box(), diagram.bounding_box()
    assert top is not None and bottom is not None
    assert top["y"] >= 0, "the step buttons are above the view"
    assert bottom["y"] + bottom["height"] <= PROJECTOR["height"], (
        f"the diagram ends at {bottom['y'] + bottom['height']:.0f} px, below the 720 px view"
    )


def save(page: Page, name: str) -> Path:
    path = REPO_ROOT / "artifacts" / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))  # the view, as the class sees it
    DOCS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, DOCS / path.name)
    return path


def test_presenter_mode_writes_the_translation_step_by_step(page: Page, open_app, wait_for_script):
    open_app(page, "encoder_decoder?presenter=1")
    page.set_viewport_size(PROJECTOR)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Step 0 of")).to_be_visible()
    expect(main.get_by_text("Nothing yet")).to_be_visible()
    expect(main.get_by_text(SEED_ENGLISH)).to_have_count(0)  # neither the translation nor the reference
    diagram_in_view_with_the_buttons(page)
    save(page, "encoder_decoder_presenter_step0_1280x720")

    next_button = main.get_by_role("button", name="Next")
    for _ in range(6):
        next_button.click()
        wait_for_script(page)
    expect(main.get_by_text("Step 6 of")).to_be_visible()
    diagram_in_view_with_the_buttons(page)
    save(page, "encoder_decoder_presenter_step6_1280x720")

    slider = main.get_by_role("slider", name="Step through the translation")
    slider.focus()
    slider.press("End")
    wait_for_script(page)
    expect(main.get_by_text(re.compile(r"Step (\d+) of \1:"))).to_be_visible()  # the last step
    expect(main.get_by_text("✓ exactly right")).to_be_visible()
    expect(main.get_by_role("heading", name=SEED_ENGLISH)).to_have_count(2)  # translation and reference
    diagram_in_view_with_the_buttons(page)
    save(page, "encoder_decoder_presenter_last_step_1280x720")


def test_halfway_the_translation_shows_only_the_words_written(page: Page, open_app):
    open_app(page, "encoder_decoder?step=13")  # the seed sentence has 10 German tokens
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Can you help …")).to_be_visible()
    expect(main.get_by_text("✓ exactly right")).to_have_count(0)
