"""Your own corpus: upload sentence pairs, check how they were read, and train on them."""

import pandas as pd
import streamlit as st

from rnn_demo import ui
from rnn_demo.corpora import uploaded_corpus
from rnn_demo.text import MAX_SENTENCE_WORDS, MAX_VOCAB_WORDS
from rnn_demo.upload import (
    DEFAULT_MIN_WORDS,
    MAX_PAIRS,
    MAX_UPLOAD_BYTES,
    MIN_PAIRS,
    UploadError,
    bounded_vocabularies,
    decode,
    guess_columns,
    parse_table,
    to_pairs,
    unknown_share,
)

ui.use_app_navigation()
ui.PageView("your_corpus", {}, {}).show()

MAX_NAME_CHARS = 60
DEFAULT_LONGEST = 15  # German words: most real sentence pairs are shorter, and training stays quick

st.title("Your own corpus")
st.markdown(
    "The phrasebook is made up, so its sentences are easy to learn. Bring real ones: a file of German "
    "and English sentence pairs, such as an export from [Tatoeba](https://tatoeba.org) or an Anki deck. "
    "The app learns a word-by-word dictionary from it, sets some pairs aside as a held-out test, and the "
    "**Encoder–decoder RNN** and **The bottleneck** pages then train and measure on your sentences."
)


def use_phrasebook() -> None:
    st.session_state.pop("corpus", None)  # a model trained on it stays: it still translates


corpus = ui.current_corpus()
if corpus.uploaded:
    st.success(
        f"In use: **{ui.escape_markdown(corpus.name)}**, {len(corpus.train_pairs):,} training pairs and "
        f"{len(corpus.held_out):,} held out.",
        icon=":material/dataset:",
    )
    train_link, back_button = st.columns(2)
    train_link.page_link(
        "pages/encoder_decoder.py", label="Train a model on it", icon=":material/arrow_forward:"
    )
    back_button.button("Go back to the built-in phrasebook", key="use_phrasebook", on_click=use_phrasebook)
else:
    st.info("In use: the built-in phrasebook.", icon=":material/menu_book:")

st.subheader("1. Upload a file")
st.markdown(
    f"One sentence pair per line, the columns separated by tabs (or commas or semicolons), in UTF-8: "
    f"*English ⇥ German ⇥ attribution* as Tatoeba exports it, or *German ⇥ English*. "
    f"Up to {MAX_UPLOAD_BYTES // 2**20} MB and {MAX_PAIRS:,} lines; at least {MIN_PAIRS:,} usable pairs. "
    f"The models learn the {MAX_VOCAB_WORDS:,} most frequent words of each language; rarer words become "
    "*unknown*."
)
uploaded = st.file_uploader(
    "Sentence pairs (.tsv, .txt or .csv)",
    key=f"corpus_file_{st.session_state.get('corpus_uploads', 0)}",  # a new key empties the box
    max_upload_size=MAX_UPLOAD_BYTES // 2**20,
    help="Nothing leaves this server. The file is forgotten when you leave this page; a corpus you "
    "put to use stays until you close the browser tab.",
)
READ_FROM_FILE = ("corpus_decoded", "corpus_table", "corpus_guess", "corpus_pairs")
if uploaded is None:
    for name in READ_FROM_FILE:  # a file taken away (or lost on leaving the page) frees its memory
        st.session_state.pop(name, None)
    st.caption(
        "No file yet. The corpus in use stays as it is until you read a file and press **Use this corpus**."
    )
    st.stop()


def remembered(name: str, key: object, compute):
    """compute(), kept in the session for as long as `key` stays the same: reading a 20 MB file again
    on every click would make the page slow. A failure is not kept, so it is shown every time."""
    slot = st.session_state.get(name)
    if slot is None or slot[0] != key:
        slot = (key, compute())
        st.session_state[name] = slot
    return slot[1]


def refuse(error: Exception) -> None:
    st.error(f"{error} The corpus in use has not changed.", icon=":material/error:")
    st.stop()


file_key = uploaded.file_id
file_name = uploaded.name[:MAX_NAME_CHARS]
try:
    decoded = remembered("corpus_decoded", file_key, lambda: decode(uploaded.getvalue()))
    table = remembered("corpus_table", file_key, lambda: parse_table(decoded.text))
    guess = remembered("corpus_guess", file_key, lambda: guess_columns(table))
except UploadError as error:
    refuse(error)

if decoded.needs_confirmation:
    st.warning(decoded.message, icon=":material/warning:")
    st.dataframe(pd.DataFrame(table.rows[:5]), hide_index=True)  # cells as text, never as HTML
    confirmed = st.checkbox(
        f"The umlauts look right: read the file as {decoded.encoding}", key="corpus_encoding_ok"
    )
    if not confirmed:
        st.stop()
for note in table.notes:
    st.warning(note, icon=":material/warning:")

st.subheader("2. Which column is which?")
columns = list(range(table.width))


def column_name(index: int) -> str:
    named = f": {table.header[index][:30]}" if table.header else ""
    return f"Column {index + 1}{named}"


if st.session_state.get("corpus_columns_for") != file_key:  # a new file: start from the guess
    st.session_state["corpus_columns_for"] = file_key
    st.session_state["corpus_german"], st.session_state["corpus_english"] = guess.german, guess.english


def swap() -> None:
    st.session_state["corpus_german"], st.session_state["corpus_english"] = (
        st.session_state["corpus_english"],
        st.session_state["corpus_german"],
    )


st.caption(f"{guess.message} Read as {decoded.encoding}, {table.delimiter_name}-separated.")
german_column, english_column, swap_column = st.columns([3, 3, 1], vertical_alignment="bottom")
german_col = german_column.selectbox("German", columns, format_func=column_name, key="corpus_german")
english_col = english_column.selectbox("English", columns, format_func=column_name, key="corpus_english")
swap_column.button("Swap", key="corpus_swap", icon=":material/swap_horiz:", on_click=swap, width="stretch")
preview = pd.DataFrame(
    [row for row in table.rows[:8]], columns=[column_name(c) for c in columns]
).rename(columns={column_name(german_col): "German", column_name(english_col): "English"})
st.dataframe(preview, hide_index=True)
if german_col == english_col:
    st.error("Choose two different columns for German and English.", icon=":material/error:")
    st.stop()

st.subheader("3. Sentence length")
st.session_state.setdefault("corpus_lengths", (DEFAULT_MIN_WORDS, DEFAULT_LONGEST))
shortest, longest = st.slider(
    "German words per sentence",
    DEFAULT_MIN_WORDS,
    MAX_SENTENCE_WORDS,
    key="corpus_lengths",
    help="Pairs outside this range are left out (the count is shown below). Longer sentences make "
    "training slower.",
)
try:
    kept = remembered(
        "corpus_pairs",
        (file_key, german_col, english_col, shortest, longest),
        lambda: to_pairs(table, german_col, english_col, shortest, longest),
    )
except UploadError as error:
    refuse(error)
source_vocab, target_vocab = bounded_vocabularies(kept.pairs)
unknown = unknown_share(kept.pairs, source_vocab, target_vocab)
st.markdown(kept.summary)
counts = st.columns(4)
counts[0].metric("Sentence pairs", f"{len(kept.pairs):,}")
counts[1].metric("German words known", f"{len(source_vocab) - 4:,}")
counts[2].metric("English words known", f"{len(target_vocab) - 4:,}")
counts[3].metric("German text unknown", f"{unknown.german:.1%}", help="Words outside the known words.")
if kept.several_translations:
    st.caption(
        f"{kept.several_translations:,} German sentences have more than one English translation: any "
        "of them counts as right."
    )
first_pairs = kept.pairs[:8]
st.dataframe(
    pd.DataFrame(
        {"German": [p.german_text for p in first_pairs], "English": [p.english_text for p in first_pairs]}
    ),
    hide_index=True,
)

st.subheader("4. Use it")
if st.button("Use this corpus", key="use_corpus", type="primary", icon=":material/check:"):
    with st.spinner("Setting pairs aside for testing and learning a word-by-word dictionary…"):
        new_corpus = uploaded_corpus(file_name, kept.pairs)
    st.session_state["corpus"] = new_corpus
    # Let go of the file and what was read from it (a 20 MB file takes a few hundred MB as a table):
    # the corpus keeps its pairs, and the box is ready for another file
    for name in READ_FROM_FILE:
        st.session_state.pop(name, None)
    st.session_state["corpus_uploads"] = st.session_state.get("corpus_uploads", 0) + 1
    st.rerun()
