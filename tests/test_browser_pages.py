"""Real browser: the app served by `streamlit run`, driven in headless Chromium, screenshots saved."""

from playwright.sync_api import Page, expect

SEED_GLOSS = "can you me help this sentence to translate"


def choose_sentence(page: Page, option_text: str, wait_for_script) -> None:
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option").filter(has_text=option_text).first.click()
    wait_for_script(page)


def test_home_states_the_problem(page: Page, open_app, screenshot):
    open_app(page)
    expect(page.get_by_role("heading", name="Why word-by-word translation fails")).to_be_visible()
    expect(page.get_by_text(SEED_GLOSS).first).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(1)
    expect(page.get_by_role("link", name="1 · Word by word")).to_be_visible()
    screenshot(page, "home")


def test_word_by_word_glosses_the_seed_sentence(page: Page, open_app, wait_for_script, screenshot):
    open_app(page, "word_by_word")
    choose_sentence(page, "A long sentence", wait_for_script)  # away from the default, then back
    choose_sentence(page, "The book's example", wait_for_script)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(SEED_GLOSS, exact=True)).to_be_visible()
    expect(main.get_by_text("Can you help me translate this sentence?", exact=True)).to_be_visible()
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart).to_have_count(1)
    expect(chart.get_by_text("übersetzen").first).to_be_visible()  # drawn by plotly, in the page
    screenshot(page, "word_by_word")


def test_typed_html_is_shown_as_text_and_unknown_words_are_marked(
    page: Page, open_app, wait_for_script, screenshot
):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_app(page, "word_by_word")
    choose_sentence(page, "Type your own", wait_for_script)
    expect(page.get_by_text("Please type a German sentence.")).to_be_visible()
    box = page.get_by_label("Your sentence", exact=True)
    box.fill("Ich sehe <script>alert(1)</script> 😀")
    box.press("Enter")
    wait_for_script(page)
    expect(page.get_by_text("so no reference translation is known")).to_be_visible()
    expect(page.get_by_text("not in the dictionary").first).to_be_visible()
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("<script>alert(1)</script>", exact=False)).to_be_visible()
    assert dialogs == [], "typed script ran"
    screenshot(page, "word_by_word_typed")


def test_a_long_paste_is_bounded(page: Page, open_app, wait_for_script):
    open_app(page, "word_by_word")
    choose_sentence(page, "Type your own", wait_for_script)
    box = page.get_by_label("Your sentence", exact=True)
    box.fill("Wort " * 2000)  # 10,000 characters
    box.press("Enter")
    wait_for_script(page)
    expect(page.get_by_text("Your sentence is 9,999 characters long; the limit is 300.")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)
