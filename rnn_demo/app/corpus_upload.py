"""The Your-own-corpus page's steps: what was read from the file (kept while the file is there),
the columns, the pairs chosen and what they hold, and putting the corpus to use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd
import streamlit as st

from rnn_demo.app import session
from rnn_demo.app.widgets import escape_markdown
from rnn_demo.data.subwords import Subwords, learn_pair_subwords, unknown_share
from rnn_demo.data.table import Table, parse_table
from rnn_demo.data.text_file import TextFile, UploadError, open_text
from rnn_demo.data.upload import ColumnGuess, UploadedPairs, guess_columns, to_pairs
from rnn_demo.lessons.corpora import uploaded_corpus

# What the session keeps of a file while it is in the box; let go of once it is gone or in use
READ_FROM_FILE = ("corpus_decoded", "corpus_table", "corpus_guess", "corpus_pairs", "corpus_pieces")
UPLOADS = "corpus_uploads"  # files put to use so far: part of the uploader's key, to empty the box
GERMAN, ENGLISH, COLUMNS_FOR = "corpus_german", "corpus_english", "corpus_columns_for"
PREVIEW_ROWS = 8
MAX_NAME_CHARS = 60  # of a file's name, as the page shows it
DEFAULT_LONGEST = 15  # German words: most real sentence pairs are shorter, and training stays quick
T = TypeVar("T")


def uploader_key() -> str:
    return f"corpus_file_{st.session_state.get(UPLOADS, 0)}"  # a new key empties the box


def forget_file() -> None:
    """Free what was read from a file that was taken away (or lost on leaving the page)."""
    for name in READ_FROM_FILE:
        st.session_state.pop(name, None)


def remembered(name: str, key: object, compute: Callable[[], T]) -> T:
    """compute(), kept in the session for as long as `key` stays the same: reading a 40 MB file again
    on every click would make the page slow. A failure is not kept, so it is shown every time."""
    slot = st.session_state.get(name)
    if slot is None or slot[0] != key:
        st.session_state.pop(name, None)  # let go of the old value first: two samples of pairs weigh
        slot = (key, compute())
        st.session_state[name] = slot
    return slot[1]


def refuse(error: Exception) -> None:
    # escaped: a message may name a file inside an uploaded zip
    st.error(f"{escape_markdown(str(error))} The corpus in use has not changed.", icon=":material/error:")
    st.stop()


@dataclass(frozen=True)
class ReadFile:
    """What was read from an uploaded file: its text, its rows, and which column holds which language."""

    key: str  # the upload's id: what is read from it is kept while it stays the same
    name: str
    decoded: TextFile
    table: Table
    guess: ColumnGuess


def read_file(uploaded) -> ReadFile:
    """Read an uploaded file (a Streamlit UploadedFile), each step once while the file stays in the
    box; stops the page with the reason if it cannot be read."""
    key = uploaded.file_id
    try:
        decoded = remembered("corpus_decoded", key, lambda: open_text(uploaded.getvalue()))
        table = remembered("corpus_table", key, lambda: parse_table(decoded))
        guess = remembered("corpus_guess", key, lambda: guess_columns(table))
    except UploadError as error:
        refuse(error)
    return ReadFile(key, uploaded.name[:MAX_NAME_CHARS], decoded, table, guess)


def chosen_pairs(
    read: ReadFile, german_col: int, english_col: int, shortest: int, longest: int
) -> tuple[UploadedPairs, tuple[Subwords, Subwords]]:
    """The pairs of these columns and lengths, and the subword pieces a model would learn from them,
    each kept while the file and the choices stay the same; stops the page if there are too few."""
    choice = (read.key, german_col, english_col, shortest, longest)
    try:
        kept = remembered(
            "corpus_pairs",
            choice,
            lambda: to_pairs(read.decoded, read.table, german_col, english_col, shortest, longest),
        )
    except UploadError as error:
        refuse(error)
    return kept, remembered("corpus_pieces", choice, lambda: learn_pair_subwords(kept.pairs))


def use_phrasebook() -> None:
    st.session_state.pop(session.CORPUS, None)  # a model trained on it stays: it still translates


def column_choice(read: ReadFile) -> tuple[int, int]:
    """The German and the English column, starting from the guess for a new file, with a Swap
    button and a preview; stops the page if both are the same column."""
    table, guess, decoded, file_key = read.table, read.guess, read.decoded, read.key
    columns = list(range(table.width))

    def column_name(index: int) -> str:
        named = f": {table.header[index][:30]}" if table.header else ""
        return f"Column {index + 1}{named}"

    if st.session_state.get(COLUMNS_FOR) != file_key:  # a new file: start from the guess
        st.session_state[COLUMNS_FOR] = file_key
        st.session_state[GERMAN], st.session_state[ENGLISH] = guess.german, guess.english

    def swap() -> None:
        st.session_state[GERMAN], st.session_state[ENGLISH] = (
            st.session_state[ENGLISH],
            st.session_state[GERMAN],
        )

    st.caption(f"{guess.message} Read as {decoded.encoding}, {table.delimiter_name}-separated.")
    german_column, english_column, swap_column = st.columns([3, 3, 1], vertical_alignment="bottom")
    german_col = german_column.selectbox("German", columns, format_func=column_name, key=GERMAN)
    english_col = english_column.selectbox("English", columns, format_func=column_name, key=ENGLISH)
    swap_column.button(
        "Swap", key="corpus_swap", icon=":material/swap_horiz:", on_click=swap, width="stretch"
    )
    names = [column_name(c) for c in columns]
    preview = pd.DataFrame(table.sample_rows[:PREVIEW_ROWS], columns=names).rename(
        columns={column_name(german_col): "German", column_name(english_col): "English"}
    )
    st.dataframe(preview, hide_index=True)  # cells as text, never as HTML
    if german_col == english_col:
        st.error("Choose two different columns for German and English.", icon=":material/error:")
        st.stop()
    return german_col, english_col


def summary(kept: UploadedPairs, pieces: tuple[Subwords, Subwords]) -> None:
    """What the chosen pairs hold: counts, the subword pieces a model would learn, and the first pairs."""
    german, english = pieces
    st.markdown(kept.summary)
    counts = st.columns(4)
    counts[0].metric("Sentence pairs", f"{len(kept.pairs):,}")
    counts[1].metric("German word types", f"{len({t for p in kept.pairs for t in p.key}):,}")
    counts[2].metric(
        "Subword pieces",
        f"{len(german):,} / {len(english):,}",
        help="German / English pieces a model learns.",
    )
    counts[3].metric(
        "German text unknown",
        f"{unknown_share(german, (pair.key for pair in kept.pairs)):.1%}",
        help="Words with a character that no piece holds: a model reads them as unknown.",
    )
    if kept.several_translations:
        st.caption(
            f"{kept.several_translations:,} German sentences have more than one English translation: any "
            "of them counts as right."
        )
    first_pairs = kept.pairs[:PREVIEW_ROWS]
    st.dataframe(
        pd.DataFrame(
            {"German": [p.german_text for p in first_pairs], "English": [p.english_text for p in first_pairs]}
        ),
        hide_index=True,
    )


def put_to_use(file_name: str, kept: UploadedPairs) -> None:
    """Make the pairs this session's corpus, and let go of the file and what was read from it: the
    corpus keeps its pairs, and the box is ready for another file."""
    with st.spinner("Setting pairs aside for testing and learning a word-by-word dictionary…"):
        st.session_state[session.CORPUS] = uploaded_corpus(file_name, kept.pairs)
    forget_file()
    st.session_state[UPLOADS] = st.session_state.get(UPLOADS, 0) + 1
    st.rerun()
