"""Entry point: `streamlit run streamlit_app.py`. Builds the navigation; each page is a file in pages/."""

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
st.navigation(pages).run()
