"""The bottleneck: translation quality against sentence length, without and with attention."""

import pandas as pd
import streamlit as st

from rnn_demo import charts, rnn_charts, ui, url_state
from rnn_demo.bottleneck import RESULTS_PATH, WIDER, Row, load_rows, measure
from rnn_demo.corpus import SEED_EXAMPLE
from rnn_demo.translate import translate

ui.use_app_navigation()

st.title("The bottleneck")
st.markdown(
    "The plain encoder–decoder hands the decoder **one vector** for the whole sentence. A short sentence "
    "fits; a long one has to be squeezed into the same 256 numbers. Here three translators are scored on "
    "2,016 held-out sentences of 3 to 30 German words that none of them saw in training: the word-by-word "
    "dictionary, the plain RNN, and the same RNN **with attention**, which may look back at every encoder "
    "state while it writes. Both networks learned from the same sentences, the same number of times, "
    "with the same hidden size."
)

view = ui.PageView("bottleneck", {"wider": url_state.switch()}, {"wider": False})
models = ui.bottleneck_models()
if set(models) != {"RNN", "RNN + attention", WIDER} or not RESULTS_PATH.exists():
    st.warning(
        "The Bottleneck models are not installed. Remake them with the commands in the README.",
        icon=":material/warning:",
    )
    st.stop()
if "wider" in view.from_url:
    st.session_state["bottleneck_wider"] = view.from_url["wider"]
wider = st.toggle(
    f"Add a wider plain RNN: {WIDER.split(', ')[1]} instead of 256",
    key="bottleneck_wider",
    help="The same plain RNN with a context vector twice as long, trained on the same sentences "
    "for the same number of passes. Does a bigger bottleneck remove the fall?",
)
view.show(wider=wider)
shown = ["word by word", "RNN", "RNN + attention"] + ([WIDER] if wider else [])


def show_results(rows: list[Row], note: str, translators: list[str], key: str = "") -> None:
    rows = [row for row in rows if row.translator in translators]
    names = list(dict.fromkeys(row.translator for row in rows))
    buckets = list(dict.fromkeys((row.low, row.high) for row in rows))
    labels = [f"{low}–{high}" for low, high in buckets]
    by_key = {(row.translator, row.low, row.high): row for row in rows}
    bleu = {name: [by_key[name, low, high].bleu for low, high in buckets] for name in names}
    exact = {name: [100 * by_key[name, low, high].exact_match for low, high in buckets] for name in names}
    ui.chart(
        charts.quality_by_length(labels, bleu, "BLEU against sentence length", "BLEU (0–100)"),
        key=f"{key}bleu_by_length",
    )
    st.caption(f"{note} BLEU counts the reference's word sequences that the translation contains.")
    ui.chart(
        charts.quality_by_length(labels, exact, "Sentences translated exactly right", "exact match (%)"),
        key=f"{key}exact_by_length",
    )
    st.caption("The share of sentences whose translation is word for word the reference.")
    with st.expander("The numbers behind the charts"):
        table = pd.DataFrame(
            [
                {
                    "translator": row.translator,
                    "German words": f"{row.low}–{row.high}",
                    "sentences": row.sentences,
                    "BLEU": row.bleu,
                    "chrF": row.chrf,
                    "exact match %": 100 * row.exact_match,
                }
                for row in rows
            ]
        )
        st.dataframe(
            table,
            hide_index=True,
            column_config={
                name: st.column_config.NumberColumn(format="%.1f")
                for name in ("BLEU", "chrF", "exact match %")
            },
        )


live_rows = st.session_state.get("bottleneck_live_rows") or []
if live_rows:
    measured_live = {row.translator for row in live_rows}
    in_advance = [name for name in shown if name not in measured_live]
    note = "Measured live, just now" + (f" (“{in_advance[0]}”: in advance)." if in_advance else ".")
    show_results(live_rows + [row for row in load_rows() if row.translator in in_advance], note, shown)
else:
    show_results(
        load_rows(),
        "Measured in advance for the shipped models (remade by a command in the README).",
        shown,
    )

st.subheader("What the curves show")
wider_note = (
    "- **The wider RNN** (dashed) has twice the room in its context vector. It does better at every "
    "length, and it still falls: a bigger bottleneck only moves the problem to longer sentences.\n"
    if wider
    else "- Switch on **the wider RNN** above: does a context vector twice as long remove the fall?\n"
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

st.subheader("Where the attention model looks")
attention = models["RNN + attention"]
trace = translate(attention.model, list(SEED_EXAMPLE.key), attention.source_vocab, attention.target_vocab)
ui.chart(rnn_charts.attention_heatmap(trace), key="seed_attention")
st.caption(
    "Each row is an English word the attention model wrote; each column a German word. Dark cells "
    "are where it looked: for “help me” it looks back at “mir helfen”, in the other order. (For “help” "
    "it also looks at the comma after “helfen”: the encoder's state there still holds that word.)"
)

st.subheader("Measure it again")
st.markdown(
    "Translates all 2,016 held-out sentences with every model shown above and scores them, here and now."
)


def measure_with_progress(lexicon, measured: dict, pairs: list) -> list[Row]:
    """`measure`, with a progress bar that names the translator being scored."""
    names = ["word by word", *measured]
    progress = st.progress(0.0, text="Scoring…")

    def report(name: str) -> None:
        done = names.index(name)
        progress.progress(done / len(names), text=f"Scoring {name} ({done + 1} of {len(names)})…")

    rows = measure(lexicon, measured, pairs, on_progress=report)
    progress.empty()
    return rows


if st.button("Measure now", key="measure_live", icon=":material/speed:"):
    measured = {name: models[name] for name in shown if name in models}
    st.session_state["bottleneck_live_rows"] = measure_with_progress(
        ui.word_by_word().lexicon, measured, ui.bottleneck_held_out()
    )
    st.rerun()

# --- the same measurement on an uploaded corpus ----------------------------------------------------

corpus = ui.current_corpus()
if corpus.uploaded:
    st.subheader("On your corpus")
    held_out = corpus.held_out_sentences
    registry = ui.model_registry()
    trained_here = {}  # models trained on this corpus in the page, by anyone: named by kind and size
    for key in registry.keys():
        if isinstance(key, tuple) and key[0] == corpus.key:
            kind = "RNN + attention" if key[1].kind == "attention" else "RNN"
            name = f"{kind}, {key[1].hidden_size} hidden units"
            count = sum(existing.startswith(name) for existing in trained_here)
            trained_here[name if not count else f"{name} ({count + 1})"] = registry.model(key)
    st.markdown(
        f"The same measurement on the {len(held_out):,} held-out sentences of "
        f"**{ui.escape_markdown(corpus.name)}**, which no model saw in training: the word-by-word "
        "dictionary learned from your corpus, and every model trained on it on the Encoder–decoder page. "
        "Train a plain RNN and one with attention there, with the same settings, to compare them."
    )
    if not trained_here:
        st.info(
            "No model has been trained on your corpus yet: train one on the Encoder–decoder page. "
            "Meanwhile you can measure the word-by-word dictionary.",
            icon=":material/model_training:",
        )
    corpus_rows = st.session_state.get("bottleneck_corpus_rows")
    if st.button("Measure on your corpus", key="measure_corpus", icon=":material/speed:"):
        rows = measure_with_progress(corpus.lexicon, trained_here, held_out)
        st.session_state["bottleneck_corpus_rows"] = corpus_rows = (corpus.key, rows)
    if corpus_rows is not None and corpus_rows[0] == corpus.key:
        translators = list(dict.fromkeys(row.translator for row in corpus_rows[1]))
        show_results(corpus_rows[1], "Measured on your corpus, in this session.", translators, key="corpus_")
