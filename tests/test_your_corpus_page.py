"""AppTest: upload a corpus, confirm its columns, train on it; every bad upload gets its message and
leaves the corpus and model in use alone; models go out and come back as files."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from rnn_demo.app import resources
from rnn_demo.training.checkpoint import CHECKPOINTS_DIR, checkpoint_bytes, load_checkpoint
from tests.app_pages import APP, open_from_home
from tests.corpus_files import as_file, latin1_file, ragged_file, swapped_file, tatoeba_file, tatoeba_rows


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
        (b"x" * (20 * 2**20 + 1), "larger than the 20 MB limit"),
    ],
    ids=["empty", "png", "binary", "one column", "too few pairs", "oversized"],
)
def test_a_bad_upload_gets_its_message_and_the_corpus_in_use_stays(data, message):
    at = upload(open_page(), tatoeba_file(400))
    use_corpus(at)
    corpus = at.session_state["corpus"]
    at.file_uploader[0].set_value(None).run()
    upload(at, data, "bad.tsv")
    assert message in texts(at.error)
    assert "The corpus in use has not changed" in texts(at.error)
    assert at.session_state["corpus"] is corpus


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
    assert set(job.result.target_vocab.tokens) <= {
        token.lower() for pair in corpus.train_pairs for token in pair.english
    } | {"<pad>", "<bos>", "<eos>", "<unk>"}
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
    assert "word by word" in translators and any("RNN, 32 hidden units" in t for t in translators)
    assert sum(row.sentences for row in rows if row.translator == "word by word") == len(
        corpus.held_out_sentences
    )


def test_a_model_file_is_loaded_checked_and_a_bad_one_refused():
    at = open_page("encoder_decoder")
    assert at.get("download_button")  # the model in use can be downloaded
    attention = load_checkpoint(CHECKPOINTS_DIR / "attention.safetensors")
    data = checkpoint_bytes(attention)
    at.file_uploader(key="checkpoint_file").upload("mine.safetensors", data).run()
    assert not at.exception, at.exception
    assert at.session_state["model_choice"] == "yours"
    assert "In use: the model from “mine.safetensors”" in texts(at.success)
    assert at.get("plotly_chart")  # it translates, with its attention heatmap among the figures
    assert "Can you help me translate this sentence?" in texts(at.markdown)

    for bad, says in [
        (data[: len(data) // 2], "damaged or truncated"),
        (b"PK\x03\x04" + b"\x00" * 100, "not a checkpoint file of this app"),
        (b"", "too short"),
    ]:
        at.file_uploader(key="checkpoint_file").set_value(None).run()
        at.file_uploader(key="checkpoint_file").upload("bad.safetensors", bad).run()
        assert not at.exception, at.exception
        assert says in texts(at.error) and "The model in use has not changed" in texts(at.error)
        assert at.session_state["model_choice"] == "yours"  # the loaded model is still the one in use
