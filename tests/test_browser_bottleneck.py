"""Real browser: the Bottleneck page shows its two charts (with the wider RNN), the attention heatmap and
the chart of attention's alignment error rate."""

from playwright.sync_api import Page, expect

from rnn_demo.training.translators import BOTTLENECK_WIDER


def test_the_bottleneck_page_shows_quality_against_length(page: Page, open_app, screenshot):
    open_app(page, "bottleneck?wider=1")
    expect(page.get_by_role("heading", name="The bottleneck")).to_be_visible()
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(4)  # exact match, BLEU, the heatmap, the alignment error rate
    expect(charts.first.get_by_text("RNN + attention").first).to_be_visible()
    expect(charts.first.get_by_text(BOTTLENECK_WIDER.name).first).to_be_visible()
    expect(page.get_by_role("heading", name="Where the attention model looks")).to_be_visible()
    screenshot(page, "bottleneck")
