"""Inside the hidden state: many sentences' paths through the encoder's memory on one 2-D map, and
the sentences whose context vectors lie nearest to a chosen one."""

import streamlit as st

from rnn_demo.app import hidden_state, session, url_state
from rnn_demo.app.models import DEFAULT_CHOICE, MODEL_CHOICES, model_picker
from rnn_demo.app.view import PageView
from rnn_demo.app.widgets import PRESENTER_SCALE, chart, never_seen_notice
from rnn_demo.core.text import MAX_SENTENCE_CHARS
from rnn_demo.lessons.hidden_map import sentences_on_the_map

session.use_app_navigation()

NEAREST = 5

st.title("Inside the hidden state")
st.markdown(
    "The encoder reads a sentence one token at a time, and after each token its memory, the **hidden "
    "state**, is a list of a few hundred numbers. Here many sentences are read at once and every state "
    "is drawn as a dot on one map, so you can follow each sentence's path and see which sentences end "
    "up in similar places."
)

examples = [example.pair.german_text for example in session.current_corpus().examples]
view = PageView(
    "hidden_state",
    {
        "model": url_state.choice(list(MODEL_CHOICES)),
        "examples": url_state.switch(),
        "s": url_state.text(MAX_SENTENCE_CHARS),
    },
    {"model": DEFAULT_CHOICE, "examples": True, "s": examples[0]},
)

# --- the model ------------------------------------------------------------------------------------

chosen_model = model_picker(
    "hidden_model_choice",
    view.from_url.get("model"),
    help="Train your own on the Encoder–decoder page; it then appears here too.",
)
trained, choice = chosen_model.trained, chosen_model.choice
hidden_size = trained.config.hidden_size

include_examples, typed = hidden_state.sentence_chooser(examples, view.from_url)
checks, texts, left_out = sentences_on_the_map(examples, include_examples, typed)
hidden_state.left_out_notice(left_out)
if len(checks) < 2:
    st.info(
        "The map needs at least two sentences. Type some German sentences above, one per line, or "
        "tick the example sentences.",
        icon=":material/edit_note:",
    )
    view.show(model=choice, examples=include_examples)
    st.stop()

# --- the map --------------------------------------------------------------------------------------

never_seen_notice(trained, [check.tokens for check in checks], quiet=True)
scale = PRESENTER_SCALE if session.presenter_mode() else 1.0
states, kept, figure = hidden_state.hidden_map(
    chosen_model.key, trained.instance, tuple(checks), tuple(texts), scale, trained
)
# the labels are placed in pixels, so the figure is enlarged as it is built, not afterwards
chart(figure, key="hidden_trajectories", enlarge=False)
st.caption(
    "Each dot is the encoder's memory after one more token; follow a colour to watch a sentence being "
    f"read, to its diamond, the context vector. This flat map keeps {kept:.0%} of how the states differ."
)

# --- nearest sentences ----------------------------------------------------------------------------

st.header("Which sentences end in a similar state?")
chosen = hidden_state.nearest_sentences(texts, states, view.from_url.get("s"), NEAREST)
view.show(model=choice, examples=include_examples, s=chosen)

st.header("What the clusters mean, and what they do not")
st.markdown(
    "- **Nearby diamonds**: the encoder summarised those sentences in a similar way. Often they share "
    "words or the same build (a question, a verb at the end, a clause with *weil*).\n"
    f"- **The map is a shadow.** It shows only the 2 of {hidden_size} directions in which these states "
    "differ most. Two dots that look close here may be far apart in the other directions: the table "
    "measures in all of them.\n"
    "- **Close is not the same meaning.** A short distance says the encoder stored two sentences "
    "alike, not that they mean the same. Try it: add *Er hat den Schlüssel gefunden.* and choose it "
    "above. For the shipped models its nearest sentence is the example with *nicht*, which says the "
    "opposite.\n"
    "- The map is fitted to the sentences on it, so it changes when you add or remove one.\n"
    + (
        "- **With attention** the decoder also reads every state along the way, so its context vector "
        "need not hold the whole sentence, as the plain RNN's must."
        if trained.config.kind == "attention"
        else ""
    )
)
