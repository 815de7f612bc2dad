"""Real browser: a copied link reopens the same view in a fresh browser; bad links get notices;
presenter mode stays readable on a 1280x720 projector."""

from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.conftest import SCREENSHOTS, open_expander

SENTENCE = "Ich will dir heute helfen."


def copied_link(page: Page) -> str:
    """What the sidebar's "Copy link to this view" shows (its copy button copies exactly this text)."""
    page.get_by_test_id("stSidebar").get_by_text("Copy link to this view").click()
    code = page.get_by_test_id("stCode").last
    expect(code).to_be_visible()
    return code.inner_text().strip()


def test_a_copied_link_reopens_the_same_view_in_a_fresh_browser(
    page: Page, browser, open_app, wait_for_script, screenshot
):
    open_app(page, f"encoder_decoder?s={quote(SENTENCE)}&model=attention")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("I want to help you today.").first).to_be_visible()
    page.get_by_role("button", name="Back").click()
    wait_for_script(page)
    page.get_by_role("button", name="Back").click()
    wait_for_script(page)
    step_caption = main.get_by_text("the decoder has written").first.inner_text()
    link = copied_link(page)
    assert "model=attention" in link and "step=" in link and link.startswith("http://127.0.0.1")
    screenshot(page, "share_link")

    fresh = browser.new_context()  # no cookies, no session: as a student opening the link
    try:
        student = fresh.new_page()
        open_app(student, link.split("/", 3)[3])
        student_main = student.get_by_test_id("stMain")
        expect(student_main.get_by_text("I want to help you today.").first).to_be_visible()
        expect(student_main.get_by_text(step_caption)).to_be_visible()
        expect(student_main.get_by_text("Attention: for each English word")).to_be_visible()
        assert copied_link(student) == link
    finally:
        fresh.close()


def dialogs_shown(page: Page) -> list[str]:
    """The messages of the dialogs (alert, confirm) that the page opens from now on: a script ran."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def test_bad_link_parameters_get_a_notice_and_nothing_runs(page: Page, open_app):
    dialogs = dialogs_shown(page)
    script = "<script>alert(1)</script>"
    open_app(page, f"word_by_word?junk=1&s={'x' * 500}&presenter={quote(script)}")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("this page has no such setting")).to_be_visible()
    expect(main.get_by_text("its value is 500 characters long")).to_be_visible()
    # the bad value is repeated in its notice, as text
    expect(main.get_by_text(f"Ignored “presenter={script}”: it must be 1 (on) or 0 (off)")).to_be_visible()
    expect(main.get_by_text("can you me help this sentence to translate").first).to_be_visible()
    assert dialogs == []


def test_html_in_a_linked_sentence_is_shown_as_text(page: Page, open_app):
    dialogs = dialogs_shown(page)
    sentence = "<img src=x onerror=alert(1)> Ich sehe <b>dich</b>"
    open_app(page, f"word_by_word?s={quote(sentence)}")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_label("Your sentence", exact=True)).to_have_value(sentence)
    expect(main.get_by_text("Ich sehe < b > dich < / b >", exact=False).first).to_be_visible()
    expect(main.locator("img[src='x']")).to_have_count(0)
    expect(main.locator("b", has_text="dich")).to_have_count(0)
    assert dialogs == []


TITLE_HEIGHT_JS = "() => document.querySelector('[data-testid=stMain] h1').getBoundingClientRect().height"


def test_presenter_mode_is_readable_on_a_projector(page: Page, open_app, wait_for_script):
    open_app(page, "encoder_decoder?step=0")
    page.set_viewport_size({"width": 1280, "height": 720})
    main = page.get_by_test_id("stMain")
    open_expander(page, "Train your own model")
    expect(main.get_by_text("Hidden size (numbers in the context vector)")).to_be_visible()
    normal_title = page.evaluate(TITLE_HEIGHT_JS)

    page.get_by_test_id("stSidebar").get_by_text("Presenter mode").click()
    wait_for_script(page)
    assert "presenter=1" in page.url
    # the training settings are hidden; Train stays, and trains with the settings of the link
    open_expander(page, "Train your own model")
    expect(main.get_by_role("button", name="Train", exact=True)).to_be_visible()
    expect(main.get_by_text("Hidden size (numbers in the context vector)")).to_have_count(0)
    # everything drawn larger: the style sheet may apply a moment after the run ends
    page.wait_for_function(f"() => ({TITLE_HEIGHT_JS})() > {1.15 * normal_title}", timeout=10_000)
    expect(main.get_by_text("the encoder has read 0 of")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    wait_for_script(page)
    expect(main.get_by_text("the encoder has read 1 of")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    main.get_by_text("Step through the translation").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "encoder_decoder_presenter_1280x720.png"))
