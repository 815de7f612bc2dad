"""The bottleneck: translation quality against sentence length, without and with attention."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from rnn_demo import charts, rnn_charts, ui
from rnn_demo.bottleneck import RESULTS_PATH, Row, load_rows, measure
from rnn_demo.corpus import SEED_EXAMPLE
from rnn_demo.train import PRESETS
from rnn_demo.translate import translate

ui.use_app_navigation()

WIDER_HIDDEN_SIZE = 512

st.title("The bottleneck")
st.markdown(
    "The plain encoder–decoder hands the decoder **one vector** for the whole sentence. A short sentence "
    "fits; a long one has to be squeezed into the same 256 numbers. Here three translators are scored on "
    "2,016 held-out sentences of 3 to 30 German words that none of them saw in training: the word-by-word "
    "dictionary, the plain RNN, and the same RNN **with attention**, which may look back at every encoder "
    "state while it writes. Both networks had the same data, hidden size and training time."
)

registry = ui.model_registry()
plain = registry.model(ui.shipped_key("bottleneck_rnn"))
attention = registry.model(ui.shipped_key("bottleneck_attention"))
if plain is None or attention is None or not RESULTS_PATH.exists():
    st.warning(
        "The Bottleneck models are not installed. Remake them with the commands in the README.",
        icon=":material/warning:",
    )
    st.stop()


def show_results(rows: list[Row], note: str) -> None:
    names = list(dict.fromkeys(row.translator for row in rows))
    buckets = list(dict.fromkeys((row.low, row.high) for row in rows))
    labels = [f"{low}–{high}" for low, high in buckets]
    by_key = {(row.translator, row.low, row.high): row for row in rows}
    bleu = {name: [by_key[name, low, high].bleu for low, high in buckets] for name in names}
    exact = {name: [100 * by_key[name, low, high].exact_match for low, high in buckets] for name in names}
    st.plotly_chart(
        charts.quality_by_length(labels, bleu, "BLEU against sentence length", "BLEU (0–100)"),
        key="bleu_by_length",
        config={"displayModeBar": False},
    )
    st.caption(f"{note} BLEU counts the reference's word sequences that the translation contains.")
    st.plotly_chart(
        charts.quality_by_length(labels, exact, "Sentences translated exactly right", "exact match (%)"),
        key="exact_by_length",
        config={"displayModeBar": False},
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


live_rows = st.session_state.get("bottleneck_live_rows")
if live_rows:
    show_results(live_rows, "Measured live, just now.")
else:
    show_results(
        load_rows(), "Measured in advance for the shipped models (remade by a command in the README)."
    )

st.subheader("What the curves show")
st.markdown(
    "- **Word by word** is poor at every length: the words are right but the order is German.\n"
    "- **The plain RNN** is nearly perfect on short sentences and falls as they grow: everything it "
    "knows about the German must pass through the context vector, and a long sentence does not fit.\n"
    "- **With attention** the decoder reads the encoder states it needs at each step, so the fall is "
    "much smaller. This is why attention was invented (Bahdanau, Cho and Bengio, 2014).\n"
    "- Careful: all three are scored on a made-up phrasebook, where sentences are easy to learn. The "
    "*shape* of the curves is the lesson, not the exact numbers."
)

st.subheader("Where the attention model looks")
trace = translate(attention.model, list(SEED_EXAMPLE.key), attention.source_vocab, attention.target_vocab)
st.plotly_chart(rnn_charts.attention_heatmap(trace), key="seed_attention", config={"displayModeBar": False})
st.caption(
    "Each row is an English word the attention model wrote; each column a German word. Dark cells "
    "are where it looked: for “help me” it looks back at “mir helfen”, in the other order. (For “help” "
    "it also looks at the comma after “helfen”: the encoder's state there still holds that word.)"
)

st.subheader("Try it yourself")
measure_column, wider_column = st.columns(2)
with measure_column:
    st.markdown("**Measure again, live.** Translates all 2,016 held-out sentences with each model.")
    models = {"RNN": plain, "RNN + attention": attention}
    wider_key = ("phrasebook", replace(PRESETS["bottleneck"], hidden_size=WIDER_HIDDEN_SIZE))
    wider = registry.model(wider_key)
    if wider is not None:
        models[f"RNN, hidden {WIDER_HIDDEN_SIZE}"] = wider
    if st.button("Measure now", key="measure_live", icon=":material/speed:"):
        held_out = ui.bottleneck_held_out()
        progress = st.progress(0.0, text="Scoring…")
        names = ["word by word", *models]

        def report(name: str) -> None:
            done = names.index(name)
            progress.progress(done / len(names), text=f"Scoring {name} ({done + 1} of {len(names)})…")

        st.session_state["bottleneck_live_rows"] = measure(
            ui.word_by_word().lexicon, models, held_out, on_progress=report
        )
        progress.progress(1.0, text="Done.")
        st.rerun()
with wider_column:
    st.markdown(
        f"**A wider bottleneck.** Train the plain RNN again with {WIDER_HIDDEN_SIZE} hidden units "
        f"instead of 256, with the same data and time ({PRESETS['bottleneck'].time_budget_s / 60:.0f} "
        "minutes; everyone on this server shares the result). Then measure again."
    )
    job = registry.job(wider_key)
    if wider is not None:
        st.success(
            f"The RNN with {WIDER_HIDDEN_SIZE} hidden units is trained: press **Measure now**.",
            icon=":material/check_circle:",
        )
    elif st.button(
        f"Train the RNN with {WIDER_HIDDEN_SIZE} hidden units",
        key="train_wider",
        disabled=job is not None and job.active,
    ):
        job = registry.request(wider_key, wider_key[1])
    if job is not None and job.active:
        latest = job.latest
        done = 0.0 if latest is None else min(latest.elapsed_s / job.config.time_budget_s, 1.0)
        st.progress(
            done,
            text="Waiting in the queue…"
            if job.status == "waiting"
            else f"Training: {done:.0%} of the time budget. Come back in a few minutes.",
        )
    elif job is not None and job.status == "failed":
        st.error(f"The training failed ({job.error}).", icon=":material/error:")
