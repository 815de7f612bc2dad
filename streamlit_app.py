"""Entry point: `streamlit run streamlit_app.py`. Builds the navigation; each page is a file in pages/.

The file has two roles. `streamlit run` first imports it once, as the module `streamlit_app`, to find
`app`: the server, whose start begins loading the models (rnn_demo/app/loading.py). Every session then
runs it as its script (`__main__`): the navigation, and the page once the models are there.
"""

import streamlit as st

from rnn_demo.app import loading

APP_TITLE = "Why word-by-word translation fails"

if __name__ == "__main__":
    st.set_page_config(page_title=APP_TITLE, page_icon="🔤", layout="wide")

    pages = [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("pages/word_by_word.py", title="Word by word", icon=":material/translate:"),
        st.Page("pages/encoder_decoder.py", title="Encoder–decoder RNN", icon=":material/neurology:"),
        st.Page("pages/bottleneck.py", title="The bottleneck", icon=":material/compress:"),
        st.Page("pages/hidden_state.py", title="Inside the hidden state", icon=":material/scatter_plot:"),
        st.Page("pages/your_corpus.py", title="Your own corpus", icon=":material/upload_file:"),
    ]
    page = st.navigation(pages)
    loading.wait_until_ready(page.title if page.url_path else APP_TITLE)  # the heading the page draws
    page.run()
else:
    app = st.App(__file__, lifespan=loading.server_lifespan)
