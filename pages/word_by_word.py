"""Word by word: look each German word up in a learned dictionary, and see why the result is not English."""

import pandas as pd
import streamlit as st

from rnn_demo.app import resources, session, url_state
from rnn_demo.app.view import PageView
from rnn_demo.app.widgets import chart, escape_markdown, sentence_picker
from rnn_demo.core.text import MAX_SENTENCE_CHARS, check_sentence, detokenize
from rnn_demo.data.corpus import PHENOMENA
from rnn_demo.figures.word_by_word_chart import word_by_word_figure
from rnn_demo.lessons.gloss import dictionary_entries, score

session.use_app_navigation()

st.title("Word by word")
st.markdown(
    "Each German word is looked up in a dictionary that was **learned from the phrasebook's sentence "
    "pairs** (IBM Model 1: which English word keeps turning up with which German word). The words "
    "come out right; the order often does not."
)

phrasebook = resources.phrasebook_corpus()
view = PageView(
    "word_by_word", {"s": url_state.text(MAX_SENTENCE_CHARS)}, {"s": phrasebook.examples[0].pair.german_text}
)
text = sentence_picker(phrasebook.examples, from_url=view.from_url.get("s"))
view.show(s=text)
check = check_sentence(text)
if not check.ok:
    st.info(check.message, icon=":material/edit:")
    st.stop()

reference, gloss = phrasebook.look_up(text, check.display_tokens)
german = gloss.german

st.markdown("**German**")
st.markdown(f"## {escape_markdown(detokenize(german, capitalize=False))}")
st.markdown("**Word by word**")
st.markdown(f"## {gloss.line}")  # lexicon words and "?" only: no typed text
if reference:
    st.markdown("**Correct English**")
    st.markdown(f"## {reference.english_text}")
    scores = score(gloss, reference.references)
    exact_col, bleu_col, _ = st.columns([1, 1, 2])
    exact_col.metric(
        "Exact match",
        "yes" if scores.exact_match else "no",
        help="Does the gloss have the reference's words in the reference's order?",
    )
    bleu_col.metric(
        "BLEU",
        f"{scores.bleu:.1f}",
        help="0–100: how many of the reference's word sequences (1 to 4 words) the gloss "
        "contains, with a penalty for being too short. Computed with sacrebleu.",
    )
else:
    st.info(
        "This sentence is not in the phrasebook, so no reference translation is known. "
        "Here is the word-by-word gloss alone.",
        icon=":material/info:",
    )
if gloss.unknown:
    st.warning(
        f"{len(gloss.unknown)} of the words or symbols are not in the dictionary. "
        "They are marked **?** in the gloss and in the diagram. "
        "The dictionary knows only the phrasebook's words.",
        icon=":material/help:",
    )

figure = word_by_word_figure(
    german,
    gloss.glosses,
    reference.english if reference else None,
    reference.alignment if reference else None,
)
chart(figure, key="word_by_word_diagram")
st.caption(
    "Top: the German words. Middle: what the dictionary says for each. Bottom: the correct English. "
    "A crossing line is a word that has to move, which no lookup can do."
)

if reference and reference.phenomena & PHENOMENA.keys():
    st.header("What moves in this sentence")
    for phenomenon in PHENOMENA:
        if phenomenon in reference.phenomena:
            st.markdown(f"- {PHENOMENA[phenomenon]}")

with st.expander("The dictionary entries for these words"):
    st.dataframe(
        pd.DataFrame(dictionary_entries(phrasebook.lexicon, german)),
        hide_index=True,
        column_config={"Probability": st.column_config.NumberColumn(format="%.2f")},
    )
    st.caption(
        "Probability: the share of this German word's translations that the dictionary gives to "
        "the best gloss, t(English | German) in IBM Model 1."
    )
