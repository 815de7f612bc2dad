"""Real browser: the Inside-the-hidden-state page shows the map of the examples and the table of the
nearest sentences, also in presenter mode."""

from playwright.sync_api import Page, expect

from tests.conftest import open_expander


def test_the_hidden_state_page_shows_the_map_and_the_nearest_sentences(page: Page, open_app, screenshot):
    open_app(page, "hidden_state")
    expect(page.get_by_role("heading", name="Inside the hidden state")).to_be_visible()
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart).to_have_count(1)
    expect(chart.get_by_text("PC1 (").first).to_be_visible()
    expect(chart.get_by_text("1. Kannst du mir helfen").first).to_be_visible()  # the legend
    expect(page.get_by_test_id("stDataFrame")).to_be_visible()
    expect(page.get_by_text("What the clusters mean, and what they do not")).to_be_visible()
    screenshot(page, "hidden_state")


def test_the_map_in_presenter_mode(page: Page, open_app, screenshot):
    open_app(page, "hidden_state?presenter=1&s=Er+hat+den+Schl%C3%BCssel+nicht+gefunden.")
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(1)
    expect(page.get_by_test_id("stDataFrame")).to_be_visible()
    screenshot(page, "hidden_state_presenter")


def test_typed_sentences_join_the_map_and_bad_lines_are_named(
    page: Page, open_app, wait_for_script, screenshot
):
    open_app(page, "hidden_state")
    open_expander(page, "Choose the sentences")
    box = page.get_by_label("Your own German sentences, one per line")
    box.fill("Er hat den Schlüssel gefunden.\n<b>Fett</b> ist das Wort.\n🙂 🎉 !!")
    box.press("Control+Enter")
    wait_for_script(page)
    expect(page.get_by_text("Line 3 (“🙂 🎉 !!”): No words were found")).to_be_visible()
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart.get_by_text("13. Er hat den Schlüssel gefunden.")).to_be_visible()
    expect(chart.get_by_text("14. <b>Fett</b> ist das Wort.")).to_be_visible()  # the tags as text
    screenshot(page, "hidden_state_typed")
