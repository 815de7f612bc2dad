"""AppTest: upload a corpus, confirm its columns, train on it; every bad upload gets its message and
leaves the corpus and model in use alone; models go out and come back as files."""

import base64
import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from rnn_demo.app import resources
from rnn_demo.core.text import SPECIAL_TOKENS
from rnn_demo.data import upload as upload_module
from rnn_demo.data.subwords import WORD_START, PieceVocabulary
from rnn_demo.data.text_file import MAX_UPLOAD_BYTES
from rnn_demo.training.checkpoint import CHECKPOINTS_DIR, checkpoint_bytes, load_checkpoint
from rnn_demo.training.registry import ModelKey
from tests.app_pages import APP, open_from_home
from tests.corpus_files import (
    ABOUT,
    as_file,
    latin1_file,
    password_protected,
    ragged_file,
    swapped_file,
    tatoeba_file,
    tatoeba_rows,
    tatoeba_zip,
    zipped,
)


@pytest.fixture(scope="module")
def model_file() -> bytes:
    """The shipped attention model, as a visitor downloads it."""
    return checkpoint_bytes(load_checkpoint(CHECKPOINTS_DIR / "attention.safetensors"))


def open_page(page: str = "your_corpus") -> AppTest:
    return open_from_home(page)


def upload(at: AppTest, data: bytes, name: str = "pairs.tsv") -> AppTest:
    at.file_uploader[0].upload(name, data, "text/tab-separated-values").run()
    assert not at.exception, at.exception
    return at


def use_corpus(at: AppTest) -> None:
    at.button(key="use_corpus").click().run()
    assert not at.exception, at.exception


def texts(elements) -> str:
    """The elements' text as a reader sees it: without the backslashes that escape typed text."""
    return re.sub(r"\\(.)", r"\1", "\n".join(element.value for element in elements))


def test_a_tatoeba_export_is_read_confirmed_and_put_to_use():
    at = upload(open_page(), tatoeba_file(600), "deu-eng.tsv")
    assert "Column 2 looks German and column 1 English" in texts(at.caption)
    assert (at.session_state["corpus_german"], at.session_state["corpus_english"]) == (1, 0)
    assert "600 of 600 rows are usable sentence pairs" in texts(at.markdown)
    use_corpus(at)
    corpus = at.session_state["corpus"]
    assert corpus.uploaded and len(corpus.train_pairs) + len(corpus.held_out) == 600
    assert "In use: **deu-eng.tsv**" in texts(at.success)

    at.switch_page(str(APP / "pages" / "encoder_decoder.py")).run()
    assert not at.exception, at.exception
    assert "Working on your corpus" in texts(at.info)
    options = at.selectbox(key="rnn_sentence_choice").options
    assert options[0].startswith("Held out, ")  # the examples are the corpus's own held-out sentences


def test_the_download_as_a_zip_is_read_sampled_and_put_to_use(monkeypatch):
    monkeypatch.setattr(upload_module, "MAX_KEPT_PAIRS", 1_000)  # as a 300,000-line file does, on a small one
    data, plan = tatoeba_zip(3_000, crlf=True, bom=True)
    at = upload(open_page(), data, "deu-eng.zip")
    assert "Read “deu.txt” from the zip; left out: _about.txt." in texts(at.caption)
    assert "Column 2 looks German and column 1 English" in texts(at.caption)
    summary = texts(at.markdown)
    assert f"{plan.usable:,} of 3,000 rows are usable sentence pairs" in summary
    assert f"{plan.repeated:,} repeated" in summary and "A sample of 1,000 of them is kept" in summary
    use_corpus(at)
    corpus = at.session_state["corpus"]
    assert len(corpus.train_pairs) + len(corpus.held_out) == 1_000
    assert "In use: **deu-eng.zip**" in texts(at.success)


def test_swapped_columns_are_detected_and_can_be_swapped_back():
    at = upload(open_page(), swapped_file(400))
    assert (at.session_state["corpus_german"], at.session_state["corpus_english"]) == (0, 1)
    at.button(key="corpus_swap").click().run()
    assert (at.session_state["corpus_german"], at.session_state["corpus_english"]) == (1, 0)
    at.selectbox(key="corpus_english").set_value(1).run()  # the same column twice
    assert "Choose two different columns" in texts(at.error)
    assert "use_corpus" not in [button.key for button in at.button]


def test_latin1_is_read_only_once_the_user_confirms_the_umlauts():
    at = upload(open_page(), latin1_file(400))
    assert "not UTF-8" in texts(at.warning)
    assert "use_corpus" not in [button.key for button in at.button]
    at.checkbox(key="corpus_encoding_ok").check().run()
    assert not at.exception, at.exception
    use_corpus(at)
    german = " ".join(pair.german_text for pair in at.session_state["corpus"].train_pairs)
    assert "ü" in german or "ä" in german or "ö" in german or "ß" in german


def test_ragged_rows_are_left_out_with_a_count_and_the_rest_is_used():
    at = upload(open_page(), ragged_file(500))
    assert "50 rows do not have 3 columns" in texts(at.warning)
    use_corpus(at)
    assert len(at.session_state["corpus"].train_pairs) + len(at.session_state["corpus"].held_out) == 450


def test_sentences_past_the_length_limit_are_counted():
    at = upload(open_page(), tatoeba_file(1_000, max_words=12))
    at.slider(key="corpus_lengths").set_value((3, 9)).run()
    assert not at.exception and not at.error, texts(at.error)
    summary = texts(at.markdown)
    assert "too long" in summary and "usable sentence pairs" in summary
    at.slider(key="corpus_lengths").set_value((3, 3)).run()  # too few left: said, nothing replaced
    assert "Training needs at least 200 pairs of 3 to 3 German words" in texts(at.error)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "This is a PNG image"),
        (b"\x00\x01\x02binary" * 100, "binary file"),
        ("Ich bin müde.\nDu bist müde.\n".encode() * 300, "one column"),
        (as_file([(e, g) for e, g, _ in tatoeba_rows(50)]), "Training needs at least 200 pairs"),
        (b"x" * (MAX_UPLOAD_BYTES + 1), "larger than the 64 MB limit"),
        (zipped({"_about.txt": ABOUT.encode()}), "The zip holds no text file of sentence pairs"),
        (password_protected(zipped({"deu.txt": tatoeba_file(400)})), "The zip is password-protected"),
        (zipped({"deu-eng.zip": zipped({"deu.txt": tatoeba_file(400)})}), "holds another archive"),
    ],
    ids=[
        "empty", "png", "binary", "one column", "too few pairs", "oversized", "no text", "password", "nested"
    ],
)
def test_a_bad_upload_gets_its_message_and_the_corpus_and_model_in_use_stay(data, message, model_file):
    at = open_page("encoder_decoder")  # the visitor works with a model of their own, from a file
    at.file_uploader(key="checkpoint_file").upload("mine.safetensors", model_file).run()
    model_key = at.session_state["rnn_own_model_key"]
    at.switch_page(str(APP / "pages" / "your_corpus.py")).run()
    upload(at, tatoeba_file(400))
    use_corpus(at)
    corpus = at.session_state["corpus"]
    at.file_uploader[0].set_value(None).run()
    upload(at, data, "bad.tsv")
    assert message in texts(at.error)
    assert "The corpus in use has not changed" in texts(at.error)
    assert at.session_state["corpus"] is corpus
    assert at.session_state["model_choice"] == "yours" and at.session_state["rnn_own_model_key"] == model_key
    at.switch_page(str(APP / "pages" / "encoder_decoder.py")).run()
    assert not at.exception, at.exception
    assert "Working on your corpus" in texts(at.info)
    assert "In use: the model from “mine.safetensors”" in texts(at.success)
    assert "Using your model: hidden size 256" in texts(at.caption)


def test_leaving_the_page_forgets_the_file_and_what_was_read_but_keeps_the_length_choice():
    at = upload(open_page(), tatoeba_file(600))
    at.slider(key="corpus_lengths").set_value((3, 9)).run()
    assert "corpus_table" in at.session_state
    at.switch_page(str(APP / "pages" / "home.py")).run()
    at.switch_page(str(APP / "pages" / "your_corpus.py")).run()
    assert not at.exception, at.exception
    assert "No file yet" in texts(at.caption)
    assert "corpus_table" not in at.session_state and "corpus_pairs" not in at.session_state
    upload(at, tatoeba_file(600))
    assert at.slider(key="corpus_lengths").value == (3, 9)


def test_back_to_the_phrasebook():
    at = upload(open_page(), tatoeba_file(400))
    use_corpus(at)
    at.button(key="use_phrasebook").click().run()
    assert "corpus" not in at.session_state
    assert "In use: the built-in phrasebook." in texts(at.info)


def small_training_settings(at: AppTest) -> None:
    at.select_slider(key="train_hidden").set_value(32)
    at.select_slider(key="train_embedding").set_value(16)
    at.slider(key="train_budget").set_value(5)
    at.slider(key="train_max_words").set_value(8)
    at.select_slider(key="train_pairs").set_value(1_000)
    at.number_input(key="train_seed").set_value(77)


def test_a_model_trained_on_an_upload_translates_and_is_measured_on_the_bottleneck_page():
    at = upload(open_page(), tatoeba_file(1_500, seed=31, max_words=8))
    use_corpus(at)
    corpus = at.session_state["corpus"]
    at.switch_page(str(APP / "pages" / "encoder_decoder.py")).run()
    small_training_settings(at)
    at.button(key="train").click().run()
    assert not at.exception, at.exception
    job = resources.model_registry().job(at.session_state["rnn_job_key"])
    assert job.key.trained_on(corpus.key)  # the corpus is part of the model's name
    assert job.finished.wait(timeout=90) and job.status == "done", job.error
    # a model of real text learns subword pieces of the corpus's own English: every piece is a part of
    # one of its training words
    assert isinstance(job.result.target_vocab, PieceVocabulary)
    english = " ".join(" ".join(pair.target_tokens) for pair in corpus.train_pairs)
    pieces = job.result.target_vocab.tokens[len(SPECIAL_TOKENS) :]
    assert pieces and all(piece.removeprefix(WORD_START) in english for piece in pieces)
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["model_choice"] == "yours"
    assert "Using your model: hidden size 32" in texts(at.caption)

    at.switch_page(str(APP / "pages" / "bottleneck.py")).run()
    assert not at.exception, at.exception
    at.button(key="measure_corpus").click().run()
    assert not at.exception, at.exception
    rows = at.session_state["bottleneck_corpus_rows"][1]
    translators = {row.translator for row in rows}
    assert translators == {"word_by_word", "trained_1"}  # the dictionary and the one model trained here
    assert sum(row.sentences for row in rows if row.translator == "word_by_word") == len(
        corpus.held_out_sentences
    )


def test_a_model_file_is_loaded_checked_and_a_bad_one_refused(model_file):
    at = open_page("encoder_decoder")
    assert at.get("download_button")  # the model in use can be downloaded
    assert len(at.get("plotly_chart")) == 5  # the shipped plain RNN: no attention heatmap
    at.file_uploader(key="checkpoint_file").upload("mine.safetensors", model_file).run()
    assert not at.exception, at.exception
    assert at.session_state["model_choice"] == "yours"
    assert "In use: the model from “mine.safetensors”" in texts(at.success)
    charts = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert len(charts) == 6  # it translates, with its attention heatmap among the figures
    (heatmap,) = [chart["data"][0] for chart in charts if chart["data"][0].get("name") == "attention"]
    assert heatmap["type"] == "heatmap"
    z = heatmap["z"]  # plotly's binary array: base64 bytes, their type, and "rows, columns"
    shape = tuple(int(size) for size in z["shape"].split(","))
    weights = np.frombuffer(base64.b64decode(z["bdata"]), z["dtype"]).reshape(shape)
    np.testing.assert_allclose(weights.sum(axis=1), 1, rtol=1e-4)  # a distribution for each English word
    assert "Can you help me translate this sentence?" in texts(at.markdown)
    # kept in this session only: the server's registry does not have it, and a new session does not
    assert resources.model_registry().model(ModelKey.from_file(model_file)) is None
    other = open_page("encoder_decoder")
    assert "yours" not in other.segmented_control(key="model_choice").options

    for bad, says in [
        (model_file[: len(model_file) // 2], "damaged or truncated"),
        (b"PK\x03\x04" + b"\x00" * 100, "not a checkpoint file of this app"),
        (b"", "too short"),
    ]:
        at.file_uploader(key="checkpoint_file").set_value(None).run()
        at.file_uploader(key="checkpoint_file").upload("bad.safetensors", bad).run()
        assert not at.exception, at.exception
        assert says in texts(at.error) and "The model in use has not changed" in texts(at.error)
        assert at.session_state["model_choice"] == "yours"  # the loaded model is still the one in use
        assert len(at.get("plotly_chart")) == 6
