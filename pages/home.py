"""Home: the problem in one screen, and the path through the app."""

import streamlit as st

from rnn_demo.app import resources, session
from rnn_demo.app.view import PageView
from rnn_demo.app.widgets import chart
from rnn_demo.figures.word_by_word_chart import word_by_word_figure
from rnn_demo.lessons.gloss import gloss_sentence

session.use_app_navigation()
PageView("home", {}, {}).show()

st.title("Why word-by-word translation fails")
st.markdown(
    "Translate German by looking up one word at a time and you get English words in **German order**. "
    "German puts verbs at the end, pronouns before their verb and split verbs in two, so a dictionary "
    "alone cannot translate. Neural translation began by fixing exactly this."
)

phrasebook = resources.phrasebook_corpus()
seed = phrasebook.examples[0].pair
gloss = gloss_sentence(phrasebook.lexicon, seed.german)

german_col, gloss_col, english_col = st.columns(3)
german_col.markdown("**German**")
german_col.markdown(f"## {seed.german_text}")
gloss_col.markdown("**Word by word**")
gloss_col.markdown(f"## {gloss.line}")
english_col.markdown("**Correct English**")
english_col.markdown(f"## {seed.english_text}")

figure = word_by_word_figure(seed.german, gloss.glosses, seed.english, seed.alignment)
chart(figure, key="home_diagram")
st.caption(
    "Each line joins a German word to where its meaning lands in English. "
    "Crossing lines are words that move: a dictionary lookup cannot move them."
)

st.header("The path through this app")
st.page_link("pages/word_by_word.py", label="1 · Word by word", icon=":material/translate:")
st.markdown("See where each word really goes, for one sentence of each kind, or for a sentence of your own.")
st.page_link("pages/encoder_decoder.py", label="2 · Encoder–decoder RNN", icon=":material/neurology:")
st.markdown(
    "A small network reads the whole German sentence into one hidden state before it writes any English. "
    "Watch it translate from the inside, and train your own in the page."
)
st.page_link("pages/bottleneck.py", label="3 · The bottleneck", icon=":material/compress:")
st.markdown(
    "Why that single hidden state breaks down on long sentences, measured, and how attention removes the "
    "limit."
)
st.page_link("pages/hidden_state.py", label="4 · Inside the hidden state", icon=":material/scatter_plot:")
st.markdown("Many sentences' hidden states on one map: which sentences does the encoder store alike?")
st.page_link("pages/your_corpus.py", label="5 · Your own corpus", icon=":material/upload_file:")
st.markdown("Bring real sentence pairs (a Tatoeba or Anki export) and train, look and measure on them.")
