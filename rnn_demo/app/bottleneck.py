"""The Bottleneck page's panels: scores by sentence length as charts and a table, where the attention
model looks and how often that is the right German word, and measuring them again in the page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnn_demo.app.widgets import chart, escape_markdown
from rnn_demo.core.lexicon import Lexicon
from rnn_demo.core.translate import translate
from rnn_demo.data.corpus import SentencePair
from rnn_demo.figures import attention_charts, charts
from rnn_demo.lessons.alignment import (
    ALL_LENGTHS,
    ATTENTION,
    MODEL1,
    AlignmentRow,
    measure_alignments,
    word_links,
)
from rnn_demo.lessons.bottleneck import Row, load_alignment_rows, load_rows, measure
from rnn_demo.lessons.corpora import Corpus
from rnn_demo.training.config import TrainedModel
from rnn_demo.training.registry import Registry

LIVE_ROWS = "bottleneck_live_rows"  # the shipped models' rows measured in this session
LIVE_ALIGNMENT = "bottleneck_live_alignment"  # the attention model's AER measured in this session
MODEL1_NAME = f"{MODEL1} (IBM Model 1)"  # as the AER chart names the dictionary's alignment
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


def where_attention_looks(attention: TrainedModel, pair: SentencePair) -> None:
    """The attention weights of one phrasebook sentence with its gold links outlined, and a caption that
    says where the model looks for each English word that has a German one."""
    trace = translate(attention.model, list(pair.key), attention.source_vocab, attention.target_vocab)
    # the gold links belong to the reference: they are drawn where the model wrote exactly that
    wrote_the_reference = trace.translation == list(pair.target_tokens)
    gold = list(pair.alignment) if wrote_the_reference else []
    chart(attention_charts.attention_heatmap(trace, gold_links=gold), key="seed_attention")
    right, missed = [], []
    if wrote_the_reference:
        for link in word_links(trace.attention, pair):
            english = link.english.lower()
            if link.right and link.looks_at in link.right:
                right.append((link.moved, f"for “{english}” it looks at “{link.looks_at}”"))
            elif link.right:
                missed.append(f"for “{english}” it looks most at “{link.looks_at}”, not “{link.right[0]}”")
    # the words that move (help me <- mir helfen) are the ones worth saying first; at most three
    said = [text for _, text in sorted(right, key=lambda item: not item[0])][:3] + missed
    where = (
        "Outlined cells are the right German words: " + "; ".join(said) + "."
        if wrote_the_reference
        else "It wrote another translation than the reference, so no right German words are outlined."
    )
    st.caption(
        "Each row is an English word the attention model wrote, each column a German word; the darker "
        f"the cell, the more it looks there. {escape_markdown(where)}"
    )


def alignment_scores(rows: list[AlignmentRow], note: str) -> None:
    """The AER of attention and of IBM Model 1 against length, and the numbers behind the chart."""
    if not rows:
        st.info(
            "How often attention finds the right German word has not been measured for the shipped "
            "model yet: **Measure now** below measures it, and the README's command ships it.",
            icon=":material/info:",
        )
        return
    names = {ATTENTION: ATTENTION, MODEL1: MODEL1_NAME}
    bands = [(r.low, r.high) for r in rows if r.aligner == ATTENTION and (r.low, r.high) != ALL_LENGTHS]
    by_key = {(r.aligner, r.low, r.high): r for r in rows}
    error_rates = {
        shown: [100 * by_key[aligner, low, high].aer for low, high in bands]
        for aligner, shown in names.items()
        if all((aligner, low, high) in by_key for low, high in bands)
    }
    chart(
        attention_charts.alignment_error_by_length([f"{low}–{high}" for low, high in bands], error_rates),
        key="alignment_by_length",
    )
    overall = {aligner: by_key.get((aligner, *ALL_LENGTHS)) for aligner in names}
    summary = (
        f"Over all {overall[ATTENTION].sentences:,} sentences: attention {overall[ATTENTION].aer:.1%}, "
        f"the dictionary {overall[MODEL1].aer:.1%}. "
        if overall[ATTENTION] and overall[MODEL1]
        else ""
    )
    st.caption(
        f"{note} For each English word, the German word it takes most from, checked against the right "
        "one: the alignment error rate (Och and Ney 2003) counts the links that miss. "
        f"{summary}The dictionary (IBM Model 1) links each English word to the German word of its sentence "
        "that most often translates it, wherever that word stands."
    )
    with st.expander("The numbers behind the alignment chart"):
        table = pd.DataFrame(
            [
                {
                    "aligner": names.get(row.aligner, row.aligner),
                    "German words": f"{row.low}–{row.high}",
                    "sentences": row.sentences,
                    "English words": row.links,
                    "AER %": 100 * row.aer,
                }
                for row in rows
            ]
        )
        number = st.column_config.NumberColumn(format="%.1f")
        st.dataframe(table, hide_index=True, column_config={"AER %": number})


def alignment_of_the_shipped_model() -> None:
    """The shipped AER, or the one measured in this session."""
    live = st.session_state.get(LIVE_ALIGNMENT)
    if live:
        alignment_scores(live, "Measured live, just now.")
    else:
        alignment_scores(load_alignment_rows(), "Measured in advance for the shipped model.")


def measure_alignments_live(lexicon: Lexicon, attention: TrainedModel, pairs: list[SentencePair]) -> None:
    with st.spinner("Scoring where the attention model looks…"):
        st.session_state[LIVE_ALIGNMENT] = measure_alignments(lexicon, attention, pairs)


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
