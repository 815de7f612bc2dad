"""Your own corpus: upload sentence pairs, check how they were read, and train on them."""

import pandas as pd
import streamlit as st

from rnn_demo.app import corpus_upload, session
from rnn_demo.app.view import PageView
from rnn_demo.app.widgets import escape_markdown
from rnn_demo.core.text import MAX_SENTENCE_WORDS
from rnn_demo.data.corpus import MIN_WORDS
from rnn_demo.data.table import MAX_ROWS
from rnn_demo.data.text_file import MAX_UPLOAD_BYTES
from rnn_demo.data.upload import MAX_KEPT_PAIRS, MIN_PAIRS

session.use_app_navigation()
PageView("your_corpus", {}, {}).show()

st.title("Your own corpus")
st.markdown(
    "The phrasebook is made up, so its sentences are easy to learn. Bring real ones: a file of German "
    "and English sentence pairs, such as an export from [Tatoeba](https://tatoeba.org) or an Anki deck. "
    "The app learns a word-by-word dictionary from it, sets some pairs aside as a held-out test, and the "
    "**Encoder–decoder RNN** and **The bottleneck** pages then train and measure on your sentences."
)

corpus = session.current_corpus()
if corpus.uploaded:
    st.success(
        f"In use: **{escape_markdown(corpus.name)}**, {len(corpus.train_pairs):,} training pairs and "
        f"{len(corpus.held_out):,} held out.",
        icon=":material/dataset:",
    )
    train_link, back_button = st.columns(2)
    train_link.page_link(
        "pages/encoder_decoder.py", label="Train a model on it", icon=":material/arrow_forward:"
    )
    back_button.button(
        "Go back to the built-in phrasebook", key="use_phrasebook", on_click=corpus_upload.use_phrasebook
    )
else:
    st.info("In use: the built-in phrasebook.", icon=":material/menu_book:")

st.header("1. Upload a file")
st.markdown(
    f"One sentence pair per line, the columns separated by tabs (or commas or semicolons), in UTF-8: "
    f"*English ⇥ German ⇥ attribution* as Tatoeba exports it, or *German ⇥ English*; Tatoeba's zip "
    f"as downloaded is fine. Up to {MAX_UPLOAD_BYTES // 2**20} MB and {MAX_ROWS:,} lines; at least "
    f"{MIN_PAIRS:,} usable pairs, of which at most {MAX_KEPT_PAIRS:,} (drawn at random) are kept. "
    "The models learn subword pieces of each language from it (a rare word is read as a few pieces), so "
    "almost nothing is *unknown*."
)
uploaded = st.file_uploader(
    "Sentence pairs (.tsv, .txt, .csv, or a .zip holding one)",
    key=corpus_upload.uploader_key(),
    max_upload_size=MAX_UPLOAD_BYTES // 2**20,
    help="Nothing leaves this server. The file is forgotten when you leave this page; a corpus you "
    "put to use stays until you close the browser tab.",
)
if uploaded is None:
    corpus_upload.forget_file()
    st.caption(
        "No file yet. The corpus in use stays as it is until you read a file and press **Use this corpus**."
    )
    st.stop()

read = corpus_upload.read_file(uploaded)  # stops the page with the reason if it cannot be read
decoded, table = read.decoded, read.table
if decoded.needs_confirmation:
    st.warning(decoded.message, icon=":material/warning:")
    st.dataframe(pd.DataFrame(table.sample_rows[:5]), hide_index=True)  # cells as text, never as HTML
    confirmed = st.checkbox(
        f"The umlauts look right: read the file as {decoded.encoding}", key="corpus_encoding_ok"
    )
    if not confirmed:
        st.stop()
for note in decoded.notes:
    st.caption(escape_markdown(note))
for note in table.notes:
    st.warning(note, icon=":material/warning:")

st.header("2. Which column is which?")
german_col, english_col = corpus_upload.column_choice(read)

st.header("3. Sentence length")
st.session_state.setdefault("corpus_lengths", (MIN_WORDS, corpus_upload.DEFAULT_LONGEST))
shortest, longest = st.slider(
    "German words per sentence",
    MIN_WORDS,
    MAX_SENTENCE_WORDS,
    key="corpus_lengths",
    help="Pairs outside this range are left out (the count is shown below). Longer sentences make "
    "training slower.",
)
kept, pieces = corpus_upload.chosen_pairs(read, german_col, english_col, shortest, longest)
corpus_upload.summary(kept, pieces)

st.header("4. Use it")
if st.button("Use this corpus", key="use_corpus", type="primary", icon=":material/check:"):
    corpus_upload.put_to_use(read.name, kept)
