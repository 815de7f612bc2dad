"""The bottleneck: translation quality against sentence length, without and with attention."""

import streamlit as st

from rnn_demo.app import bottleneck, resources, session, url_state
from rnn_demo.app.view import PageView
from rnn_demo.data.corpus import SEED_EXAMPLE
from rnn_demo.lessons.bottleneck import RESULTS_PATH, wider_by
from rnn_demo.training.translators import (
    BOTTLENECK_ATTENTION,
    BOTTLENECK_MODELS,
    BOTTLENECK_RNN,
    BOTTLENECK_WIDER,
    WORD_BY_WORD,
)

session.use_app_navigation()
hidden, wider_hidden = BOTTLENECK_RNN.config.hidden_size, BOTTLENECK_WIDER.config.hidden_size

st.title("The bottleneck")
st.markdown(
    "The plain encoder–decoder hands the decoder **one vector** for the whole sentence. A short sentence "
    f"fits; a long one has to be squeezed into the same {hidden} numbers. Here three translators are "
    "scored on 2,016 held-out sentences of 3 to 30 German words that none of them saw in training: the "
    "word-by-word dictionary, the plain RNN, and the same RNN **with attention**, which may look back at "
    "every encoder state while it writes. Both networks learned from the same sentences, the same number "
    "of times, with the same hidden size."
)

view = PageView("bottleneck", {"wider": url_state.switch()}, {"wider": False})
models = resources.bottleneck_models()
missing = [model for model in BOTTLENECK_MODELS if model.id not in models]
if missing or not RESULTS_PATH.exists():
    reasons = [f"**{m.name}**: {resources.SHIPPED_PROBLEMS.get(m.id, 'not loaded')}." for m in missing]
    st.warning(
        "The Bottleneck models are not all installed. Remake them with the commands in the README.\n\n"
        + "\n\n".join(reasons or ["The shipped scores are missing."]),
        icon=":material/warning:",
    )
    st.stop()
if "wider" in view.from_url:
    st.session_state["bottleneck_wider"] = view.from_url["wider"]
times = wider_by(hidden, wider_hidden)  # "twice"
wider = st.toggle(
    f"Add a wider plain RNN: {wider_hidden} hidden units instead of {hidden}",
    key="bottleneck_wider",
    help=f"The same plain RNN with a context vector {times} as long, trained on the same sentences "
    "for the same number of passes. Does a bigger bottleneck remove the fall?",
)
view.show(wider=wider)
shown = [WORD_BY_WORD, BOTTLENECK_RNN, BOTTLENECK_ATTENTION] + ([BOTTLENECK_WIDER] if wider else [])
bottleneck.scores_of_the_shipped_models(shown)

st.header("What the curves show")
wider_note = (
    f"- **The wider RNN** (dashed) has {times} the room in its context vector. It does better at every "
    "length, and it still falls: a bigger bottleneck only moves the problem to longer sentences.\n"
    if wider
    else f"- Switch on **the wider RNN** above: does a context vector {times} as long remove the fall?\n"
)
st.markdown(
    "- **Word by word** is poor at every length: the words are right but the order is German.\n"
    "- **The plain RNN** is nearly perfect on short sentences and falls as they grow: everything it "
    "knows about the German must pass through the context vector, and a long sentence does not fit.\n"
    + wider_note
    + "- **With attention** the decoder reads the encoder states it needs at each step, so it hardly "
    "falls at all. This is why attention was invented (Bahdanau, Cho and Bengio, 2014).\n"
    "- Careful: all of them are scored on a made-up phrasebook, where sentences are easy to learn. "
    "The *shape* of the curves is the lesson, not the exact numbers."
)

st.header("Where the attention model looks, and whether it is the right German word")
st.markdown(
    "The attention model reads the German both ways (RNNsearch, as Bahdanau et al. built it), so each "
    "German word's state knows the words before and after it. At each English word it weighs every "
    "German word; the phrasebook knows which German word is the right one."
)
bottleneck.where_attention_looks(models[BOTTLENECK_ATTENTION.id], SEED_EXAMPLE)
bottleneck.alignment_of_the_shipped_model()

st.header("Measure it again")
st.markdown(
    "Translates all 2,016 held-out sentences with every model shown above and scores them, and where "
    "the attention model looks in each, here and now."
)


if st.button("Measure now", key="measure_live", icon=":material/speed:"):
    measured = {model: models[model.id] for model in shown if model.id in models}
    lexicon, held_out = resources.phrasebook_corpus().lexicon, resources.bottleneck_held_out()
    st.session_state[bottleneck.LIVE_ROWS] = bottleneck.measure_with_progress(lexicon, measured, held_out)
    bottleneck.measure_alignments_live(lexicon, models[BOTTLENECK_ATTENTION.id], held_out)
    st.rerun()

# --- the same measurement on an uploaded corpus ----------------------------------------------------

corpus = session.current_corpus()
if corpus.uploaded:
    bottleneck.on_your_corpus(corpus, resources.model_registry())
