"""The Bottleneck page's panels: scores by sentence length as charts and a table, and measuring them
again in the page, with progress."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnn_demo.app.widgets import chart, escape_markdown
from rnn_demo.core.lexicon import Lexicon
from rnn_demo.data.corpus import SentencePair
from rnn_demo.figures import charts
from rnn_demo.lessons.bottleneck import Row, load_rows, measure
from rnn_demo.lessons.corpora import Corpus
from rnn_demo.training.config import TrainedModel
from rnn_demo.training.registry import Registry

LIVE_ROWS = "bottleneck_live_rows"  # the shipped models' rows measured in this session
CORPUS_ROWS = "bottleneck_corpus_rows"  # (corpus key, rows) measured in this session


def show_results(rows: list[Row], note: str, translators: list[str], key: str = "") -> None:
    """BLEU and exact match against length for these translators, and the numbers behind them."""
    rows = [row for row in rows if row.translator in translators]
    names = list(dict.fromkeys(row.translator for row in rows))
    buckets = list(dict.fromkeys((row.low, row.high) for row in rows))
    labels = [f"{low}–{high}" for low, high in buckets]
    by_key = {(row.translator, row.low, row.high): row for row in rows}
    bleu = {name: [by_key[name, low, high].bleu for low, high in buckets] for name in names}
    exact = {name: [100 * by_key[name, low, high].exact_match for low, high in buckets] for name in names}
    # exact match first: one wrong word makes a sentence wrong, so it shows the fall most clearly
    chart(
        charts.quality_by_length(labels, exact, "Sentences translated exactly right", "exact match (%)"),
        key=f"{key}exact_by_length",
    )
    st.caption(f"{note} The share of sentences whose translation is word for word the reference.")
    chart(
        charts.quality_by_length(labels, bleu, "BLEU against sentence length", "BLEU (0–100)"),
        key=f"{key}bleu_by_length",
    )
    st.caption(
        "BLEU counts the reference's word sequences that the translation contains: a long sentence with "
        "one word wrong still scores high, so BLEU falls more gently."
    )
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


def scores_of_the_shipped_models(shown: list[str]) -> None:
    """The shipped scores, or those measured in this session where there are some."""
    live_rows = st.session_state.get(LIVE_ROWS) or []
    if not live_rows:
        note = "Measured in advance for the shipped models (remade by a command in the README)."
        show_results(load_rows(), note, shown)
        return
    measured_live = {row.translator for row in live_rows}
    in_advance = [name for name in shown if name not in measured_live]
    note = "Measured live, just now" + (f" (“{in_advance[0]}”: in advance)." if in_advance else ".")
    show_results(live_rows + [row for row in load_rows() if row.translator in in_advance], note, shown)


def measure_with_progress(
    lexicon: Lexicon, models: dict[str, TrainedModel], pairs: list[SentencePair]
) -> list[Row]:
    """`measure`, with a progress bar that names the translator being scored."""
    names = ["word by word", *models]
    progress = st.progress(0.0, text="Scoring…")

    def report(name: str) -> None:
        done = names.index(name)
        progress.progress(done / len(names), text=f"Scoring {name} ({done + 1} of {len(names)})…")

    rows = measure(lexicon, models, pairs, on_progress=report)
    progress.empty()
    return rows


def trained_on_corpus(models: dict) -> dict[str, TrainedModel]:
    """Models trained in the page on one corpus (ModelKey -> model), named by kind and width; two of
    the same kind and width are numbered."""
    named: dict[str, TrainedModel] = {}
    for key, trained in models.items():
        count = sum(existing.startswith(key.description) for existing in named)
        named[key.description if not count else f"{key.description} ({count + 1})"] = trained
    return named


def on_your_corpus(corpus: Corpus, registry: Registry) -> None:
    """The same measurement on an uploaded corpus's held-out sentences: its dictionary and every
    model trained on it in the page."""
    st.header("On your corpus")
    held_out = corpus.held_out_sentences
    trained_here = trained_on_corpus(registry.trained_on(corpus.key))
    st.markdown(
        f"The same measurement on the {len(held_out):,} held-out sentences of "
        f"**{escape_markdown(corpus.name)}**, which no model saw in training: the word-by-word "
        "dictionary learned from your corpus, and every model trained on it on the Encoder–decoder page. "
        "Train a plain RNN and one with attention there, with the same settings, to compare them."
    )
    if not trained_here:
        st.info(
            "No model has been trained on your corpus yet: train one on the Encoder–decoder page. "
            "Meanwhile you can measure the word-by-word dictionary.",
            icon=":material/model_training:",
        )
    corpus_rows = st.session_state.get(CORPUS_ROWS)
    if st.button("Measure on your corpus", key="measure_corpus", icon=":material/speed:"):
        rows = measure_with_progress(corpus.lexicon, trained_here, held_out)
        st.session_state[CORPUS_ROWS] = corpus_rows = (corpus.key, rows)
    if corpus_rows is not None and corpus_rows[0] == corpus.key:
        translators = list(dict.fromkeys(row.translator for row in corpus_rows[1]))
        show_results(corpus_rows[1], "Measured on your corpus, in this session.", translators, key="corpus_")
