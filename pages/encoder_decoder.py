"""Encoder–decoder RNN: train a small GRU translator in the page, then look inside one translation."""

import streamlit as st

from rnn_demo.app import labels, model_files, resources, session, training, translation, url_state, watching
from rnn_demo.app import training_settings as settings
from rnn_demo.app.models import DEFAULT_CHOICE, MODEL_CHOICE, MODEL_CHOICES, YOURS, model_picker
from rnn_demo.app.view import PageView
from rnn_demo.app.widgets import escape_markdown, picked_sentence, sentence_picker
from rnn_demo.core.text import MAX_SENTENCE_CHARS, check_sentence
from rnn_demo.core.translate import MAX_BEAM_WIDTH

session.use_app_navigation()

st.title("Encoder–decoder RNN")
st.markdown(
    "A small network reads the **whole** German sentence before it writes any English. The *encoder* "
    "folds the words one by one into a hidden state; its last state, the **context vector**, is all the "
    "*decoder* gets. From it the decoder writes the English word by word, in English order."
)

registry = resources.model_registry()
corpus = session.current_corpus()
if corpus.uploaded:
    st.info(
        f"Working on your corpus, **{escape_markdown(corpus.name)}**: the examples, the word-by-word "
        "gloss and the training below come from it. The shipped models learned the phrasebook only.",
        icon=":material/dataset:",
    )
view = PageView(
    "encoder_decoder",
    {
        "s": url_state.text(MAX_SENTENCE_CHARS),
        "model": url_state.choice(list(MODEL_CHOICES)),
        "beam": url_state.whole_number(1, MAX_BEAM_WIDTH),
        "step": url_state.whole_number(0, 999),
        **settings.URL_PARAMETERS,
    },
    {"s": corpus.examples[0].pair.german_text, "model": DEFAULT_CHOICE, "beam": 1, **settings.URL_DEFAULTS},
)

# --- training -------------------------------------------------------------------------------------

settings.settings_from_link(view.from_url)
job = training.session_job(registry)
training.follow_link_to_own_model(view.from_url, registry, corpus)
# a fixed key: without one its identity follows `expanded`, and the Train click folded it away
with st.expander(
    labels.TRAIN_EXPANDER, expanded=job is not None, key="training_panel", icon=":material/model_training:"
):
    on_screen = picked_sentence(corpus.examples, "rnn_sentence", view.from_url.get("s"))
    watched = watching.watched_on_screen(on_screen, corpus)
    # a projected lesson trains with the settings of its link: no knobs
    training.training_panel(registry, corpus, job, watched, knobs=not session.presenter_mode())

# --- the model in use -----------------------------------------------------------------------------

chosen = model_picker(
    MODEL_CHOICE,
    view.from_url.get("model"),
    help="The plain RNN passes only the context vector to its decoder; the "
    "attention model also lets the decoder look back at every German word.",
)
trained = chosen.trained
view.show(
    model=chosen.choice,
    **settings.settings_in_url(
        trained.config if chosen.choice == YOURS else settings.settings_config(corpus.uploaded)
    ),
)
if not session.presenter_mode():
    with st.expander("Save or load a model", icon=":material/save:"):
        model_files.model_files_panel(chosen)

exact = trained.held_out_exact
st.caption(
    f"Using {chosen.description}: hidden size {trained.config.hidden_size}, "
    f"{trained.model.parameter_count():,} weights, trained on sentences of 3–{trained.config.max_words} "
    "words" + ("" if exact is None else f", {exact:.0%} of held-out sentences exactly right") + "."
)

# --- one sentence, from the inside ----------------------------------------------------------------

text = sentence_picker(corpus.examples, key="rnn_sentence", from_url=view.from_url.get("s"))
view.show(s=text, beam=translation.beam_from_link(view.from_url.get("beam")))
check = check_sentence(text)
if not check.ok:
    st.info(check.message, icon=":material/edit:")
    st.stop()

beam_width = translation.beam_control()
shown = translation.translated(chosen, check, beam_width)  # once per server for everyone
step = translation.settle_step(shown, view.from_url.get("step"))
translation.translation_columns(trained, shown.trace, text, check, corpus, step)
translation.step_through(shown, lambda step: view.show(step=step))
