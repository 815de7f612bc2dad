"""Entry point: `streamlit run streamlit_app.py`. Builds the navigation; each page is a file in pages/."""

import sys

import streamlit as st

st.set_page_config(page_title="Why word-by-word translation fails", page_icon="🔤", layout="wide")

pages = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/word_by_word.py", title="Word by word", icon=":material/translate:"),
    st.Page("pages/encoder_decoder.py", title="Encoder–decoder RNN", icon=":material/neurology:"),
    st.Page("pages/bottleneck.py", title="The bottleneck", icon=":material/compress:"),
    st.Page("pages/hidden_state.py", title="Inside the hidden state", icon=":material/scatter_plot:"),
    st.Page("pages/your_corpus.py", title="Your own corpus", icon=":material/upload_file:"),
]
page = st.navigation(pages)
if "rnn_demo.app.resources" not in sys.modules:
    # The first visitor of a started (or woken) server: every page imports the app, and with it torch,
    # which takes seconds. A message shows meanwhile instead of a blank page; it goes when the page draws.
    with st.spinner("Waking up: loading torch and the trained models (a few seconds, once per start)…"):
        from rnn_demo.app import resources

        resources.model_registry()
page.run()
