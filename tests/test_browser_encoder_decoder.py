"""Real browser: the Encoder–decoder page shows the shipped model's translation and heatmaps, trains a
small model with live progress, and two sessions asking for the same training share one run."""

import re

from playwright.sync_api import Page, expect


def set_to_smallest(page: Page, label: str) -> None:
    """Move a slider to its lowest value with the keyboard, as a person can."""
    slider = page.get_by_role("slider", name=label)
    slider.focus()
    slider.press("Home")


def small_training_settings(page: Page, wait_for_script, seed: int) -> None:
    """The smallest model, sentences and budget; `seed` must differ from the default (0) to rerun."""
    page.get_by_text("Train your own model").click()
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


def test_the_page_opens_with_a_translation_and_readable_heatmaps(page: Page, open_app, screenshot):
    # This file runs first, so this deep link is the fresh server's first visit: it must still go
    # through the app's own navigation (not Streamlit's automatic list of the files in pages/)
    open_app(page, "encoder_decoder")
    navigation = page.get_by_test_id("stSidebarNav")
    expect(navigation.get_by_text("Encoder–decoder RNN")).to_be_visible()
    expect(navigation.get_by_text("streamlit app")).to_have_count(0)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Can you help me translate this sentence?").first).to_be_visible()
    expect(main.get_by_text("✓ exactly right")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(5)
    expect(page.get_by_text("Inside the encoder")).to_be_visible()
    screenshot(page, "encoder_decoder")


def test_train_shows_progress_moving_then_the_new_model(page: Page, open_app, wait_for_script, screenshot):
    open_app(page, "encoder_decoder")
    small_training_settings(page, wait_for_script, seed=5)
    page.get_by_test_id("stMain").get_by_role("button", name="Train", exact=True).click()
    progress = page.get_by_text(re.compile(r"\d+ of 5 s · loss"))
    expect(progress).to_be_visible(timeout=60_000)
    first = progress.inner_text()
    expect(progress).not_to_have_text(first, timeout=15_000)  # it moves on its own
    screenshot(page, "encoder_decoder_training")
    expect(page.get_by_text("Your model is trained")).to_be_visible(timeout=60_000)
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


def test_a_session_closed_mid_training_does_not_stop_the_training_others_wait_for(
    browser, open_app, wait_for_script
):
    settings = "encoder_decoder?hidden=32&embedding=16&budget=10&words=5&pairs=1000&seed=88"
    leaving, staying = browser.new_page(), browser.new_page()
    for page in (leaving, staying):
        open_app(page, settings)
        page.get_by_text("Train your own model").click()
        page.get_by_test_id("stMain").get_by_role("button", name="Train", exact=True).click()
    expect(leaving.get_by_text(re.compile(r"\d+ of 10 s · loss"))).to_be_visible(timeout=30_000)
    leaving.close()  # the tab that started the training goes away mid-training
    expect(staying.get_by_text("Your model is trained")).to_be_visible(timeout=90_000)
    expect(staying.get_by_text("asked for 2 times and ran once")).to_be_visible()
    expect(staying.get_by_text("Using your model: hidden size 32")).to_be_visible()
    staying.close()
