"""Real browser: the Encoder–decoder page shows the shipped model's translation and heatmaps, trains a
small model with live progress, and two sessions asking for the same training share one run."""

import re
import time

from playwright.sync_api import Page, expect

from tests.conftest import open_app as open_on_server
from tests.conftest import open_expander


def set_to_smallest(page: Page, label: str) -> None:
    """Move a slider to its lowest value with the keyboard, as a person can."""
    slider = page.get_by_role("slider", name=label)
    slider.focus()
    slider.press("Home")


def small_training_settings(page: Page, wait_for_script, seed: int) -> None:
    """The smallest model, sentences and budget; `seed` must differ from the default (0) to rerun."""
    open_expander(page, "Train your own model")
    seed_box = page.get_by_label("Seed", exact=True)
    seed_box.fill(str(seed))
    seed_box.press("Enter")
    wait_for_script(page)
    for label in (
        "Hidden size (numbers in the context vector)",
        "Embedding size",
        "Time budget (seconds)",
        "Longest training sentence (German words)",
        "Training sentences",
    ):
        set_to_smallest(page, label)
        wait_for_script(page)


def test_a_fresh_servers_first_visit_by_deep_link_opens_the_page_with_its_translation_and_heatmaps(
    page: Page, fresh_streamlit_server, screenshot
):
    # The first visit to a server that no session has run yet is this deep link: it must still go
    # through the app's own navigation (not Streamlit's automatic list of the files in pages/)
    open_on_server(page, fresh_streamlit_server, "encoder_decoder")
    navigation = page.get_by_test_id("stSidebarNav")
    expect(navigation.get_by_text("Encoder–decoder RNN")).to_be_visible()
    expect(navigation.get_by_text("streamlit app")).to_have_count(0)
    expect(navigation.get_by_text("encoder decoder", exact=True)).to_have_count(0)  # a file name
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Can you help me translate this sentence?").first).to_be_visible()
    expect(main.get_by_text("✓ exactly right")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(5)
    expect(page.get_by_text("Inside the encoder")).to_be_visible()
    screenshot(page, "encoder_decoder")


def test_train_shows_progress_moving_then_the_new_model(page: Page, open_app, wait_for_script, screenshot):
    # the smallest model, from a link, for 20 s: long enough to see it move on any machine (starting
    # the training process and its first sentences count on its clock), ended by its time on any
    open_app(page, "encoder_decoder?hidden=32&embedding=16&words=3&pairs=1000&budget=20&seed=5")
    open_expander(page, "Train your own model")
    page.get_by_test_id("stMain").get_by_role("button", name="Train", exact=True).click()
    progress = page.get_by_text(re.compile(r"\d+ of 20 s · loss"))
    expect(progress).to_be_visible(timeout=60_000)
    first = progress.inner_text()
    expect(progress).not_to_have_text(first, timeout=15_000)  # it moves on its own
    screenshot(page, "encoder_decoder_training")
    expect(page.get_by_text("Your model is trained")).to_be_visible(timeout=90_000)
    expect(page.get_by_text("Using your model: hidden size 32")).to_be_visible()


def test_two_sessions_asking_for_the_same_training_train_it_once(browser, open_app, wait_for_script):
    first, second = browser.new_page(), browser.new_page()
    for page in (first, second):
        open_app(page, "encoder_decoder")
        small_training_settings(page, wait_for_script, seed=77)
        page.get_by_test_id("stMain").get_by_role("button", name="Train", exact=True).click()
    for page in (first, second):
        expect(page.get_by_text("Your model is trained")).to_be_visible(timeout=90_000)
    expect(second.get_by_text("asked for 2 times and ran once")).to_be_visible()
    first.close()
    second.close()


def shown_seconds(page: Page, progress: re.Pattern) -> int:
    """The seconds of training that the progress bar's text shows now."""
    return int(progress.search(page.get_by_text(progress).inner_text())[1])


def test_a_session_closed_mid_training_does_not_stop_the_training_others_wait_for(
    browser, open_app, wait_for_script
):
    settings = "encoder_decoder?hidden=32&embedding=16&budget=60&words=5&pairs=1000&seed=88"
    leaving, staying = browser.new_page(), browser.new_page()
    for page in (leaving, staying):
        open_app(page, settings)
        open_expander(page, "Train your own model")
        page.get_by_test_id("stMain").get_by_role("button", name="Train", exact=True).click()
    progress = re.compile(r"(\d+) of 60 s · loss")
    expect(leaving.get_by_text(progress)).to_be_visible(timeout=60_000)
    closed_at = shown_seconds(leaving, progress)
    leaving.close()  # the tab that started the training goes away, 50 s or more before its end

    # the other tab watches the same training go on for seconds after the first tab is gone
    expect(staying.get_by_text(progress)).to_be_visible(timeout=30_000)
    deadline = time.monotonic() + 30
    while shown_seconds(staying, progress) < closed_at + 3:
        assert time.monotonic() < deadline, f"no progress after {shown_seconds(staying, progress)} s"
        staying.wait_for_timeout(250)

    # the page's own Stop button ends it; the model in use stays until the visitor takes the new one
    staying.get_by_test_id("stMain").get_by_role("button", name="Stop training").click()
    stopped = staying.get_by_text("The training was stopped, so the model in use stays as it was")
    expect(stopped).to_be_visible(timeout=30_000)
    expect(staying.get_by_text("Using the shipped plain RNN")).to_be_visible()
    staying.get_by_role("button", name="Use the partly trained model").click()
    wait_for_script(staying)
    expect(staying.get_by_text("Using your model: hidden size 32")).to_be_visible()
    staying.close()
