"""Real browser: a Tatoeba-style upload trains and translates; every kind of bad upload gets its
message; a model goes out as a file and comes back in."""

import re

from playwright.sync_api import Page, expect

from rnn_demo.training.checkpoint import checkpoint_from_bytes
from tests.conftest import open_expander
from tests.corpus_files import ABOUT, as_file, latin1_file, ragged_file, tatoeba_file, tatoeba_rows, zipped
from tests.test_browser_encoder_decoder import small_training_settings


def upload(page: Page, wait_for_script, path, label: str = "Sentence pairs", wait: bool = True) -> None:
    uploader = page.get_by_test_id("stFileUploader").filter(has_text=label)
    uploader.locator("input[type=file]").set_input_files(str(path))
    if wait:
        wait_for_script(page)


def test_an_uploaded_corpus_trains_and_translates(
    page: Page, open_app, wait_for_script, tmp_path, screenshot
):
    corpus_file = tmp_path / "deu-eng.tsv"
    corpus_file.write_bytes(tatoeba_file(2_000, seed=41, max_words=8))
    open_app(page, "your_corpus")
    upload(page, wait_for_script, corpus_file)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Column 2 looks German and column 1 English")).to_be_visible()
    expect(main.get_by_text(re.compile(r"[\d,]+ of 2,000 rows are usable"))).to_be_visible()
    expect(main.get_by_role("slider").first).to_be_visible()
    expect(main.get_by_test_id("stMetric").first).to_be_visible()
    page.wait_for_timeout(1_000)  # the tables draw themselves on a canvas after they appear
    screenshot(page, "your_corpus")
    main.get_by_role("button", name="Use this corpus").click()
    wait_for_script(page)
    expect(main.get_by_text("In use: deu-eng.tsv")).to_be_visible()

    main.get_by_role("link", name="Train a model on it").click()
    wait_for_script(page)
    expect(main.get_by_text("Working on your corpus")).to_be_visible()
    small_training_settings(page, wait_for_script, seed=41)
    # up to 5 words: a 2,000-row corpus holds out too few sentences of 3 words to check a model on
    longest = page.get_by_role("slider", name="Longest training sentence (German words)")
    for _ in range(2):
        longest.press("ArrowRight")
        wait_for_script(page)
    main.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text("Your model is trained")).to_be_visible(timeout=90_000)
    expect(page.get_by_text("Using your model: hidden size 32")).to_be_visible()
    # it translates one of the corpus's held-out sentences, and shows it from the inside
    expect(main.get_by_text(re.compile(r"✓ exactly right|✗ not the reference"))).to_be_visible()
    expect(main.get_by_role("strong").filter(has_text="Encoder–decoder RNN")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(6)  # training curves, then the five
    screenshot(page, "encoder_decoder_your_corpus")

    # the Bottleneck page measures the corpus's dictionary and the new model on its held-out sentences
    page.get_by_test_id("stSidebarNav").get_by_text("The bottleneck").click()
    wait_for_script(page)
    main.get_by_role("button", name="Measure on your corpus").click()
    wait_for_script(page)
    expect(main.get_by_text("Measured on your corpus, in this session.")).to_be_visible()
    expect(main.get_by_text("RNN, 32 hidden units").first).to_be_visible()  # in the chart's legend
    screenshot(page, "bottleneck_your_corpus")


def test_every_kind_of_bad_upload_gets_its_message(page: Page, open_app, wait_for_script, tmp_path):
    cases = {
        "empty.tsv": (b"", "The file is empty"),
        "image.tsv": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "This is a PNG image"),
        "binary.tsv": (b"\x00\x01\x02binary" * 100, "binary file"),
        "latin1.tsv": (latin1_file(400), "This file is not UTF-8"),
        "one-column.txt": ("Ich bin müde.\nDu bist müde.\n".encode() * 300, "one column"),
        "ragged.tsv": (ragged_file(500), "rows do not have 3 columns like the rest and were left out"),
        "few.tsv": (as_file([(e, g) for e, g, _ in tatoeba_rows(50)]), "Training needs at least 200 pairs"),
        "huge.tsv": (b"x" * (64 * 2**20 + 1), "File must be 64.0MB or smaller"),
        "about-only.zip": (zipped({"_about.txt": ABOUT.encode()}), "The zip holds no text file of sentence"),
    }
    open_app(page, "your_corpus")
    main = page.get_by_test_id("stMain")
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        # a file too large is refused by the browser before it is sent: whether the page reruns (for
        # the file it replaces) depends on timing, so wait for its message alone
        upload(page, wait_for_script, path, wait=name != "huge.tsv")
        expect(main.get_by_text(message).first).to_be_visible(timeout=60_000)
        expect(main.get_by_test_id("stException")).to_have_count(0)
    expect(main.get_by_text("In use: the built-in phrasebook.")).to_be_visible()

    long_ones = tmp_path / "long.tsv"
    long_ones.write_bytes(tatoeba_file(1_000, seed=3, max_words=20))
    upload(page, wait_for_script, long_ones)
    expect(main.get_by_text(re.compile(r"left out: [\d,]+ too long"))).to_be_visible()


def test_a_downloaded_model_loads_again(page: Page, open_app, wait_for_script, tmp_path, screenshot):
    open_app(page, "encoder_decoder?model=attention")
    main = page.get_by_test_id("stMain")
    open_expander(page, "Save or load a model")
    with page.expect_download() as download_info:
        main.get_by_role("button", name="Download the model in use").click()
    saved = tmp_path / "model.safetensors"
    download_info.value.save_as(saved)
    assert checkpoint_from_bytes(saved.read_bytes()).model.config.kind == "attention"

    main.get_by_text("Plain RNN (shipped)").click()
    wait_for_script(page)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(5)  # no attention heatmap
    upload(page, wait_for_script, saved, label="Load a model file")
    expect(main.get_by_text("In use: the model from “model.safetensors”")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(6)  # the loaded attention model's
    screenshot(page, "encoder_decoder_model_file")

    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(saved.read_bytes()[:5_000])
    upload(page, wait_for_script, broken, label="Load a model file")
    expect(main.get_by_text("cannot be used")).to_be_visible()
    expect(main.get_by_text("The model in use has not changed")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(6)
