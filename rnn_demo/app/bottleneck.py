"""The Bottleneck page's panels: scores by sentence length as charts and a table, where the attention
model looks and how often that is the right German word, and measuring them again in the page."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from rnn_demo.app.widgets import chart, escape_markdown
from rnn_demo.core.lexicon import Lexicon
from rnn_demo.core.translate import translate
from rnn_demo.data.corpus import SentencePair
from rnn_demo.figures import attention_charts
from rnn_demo.figures.bottleneck_chart import alignment_error_by_length, quality_by_length
from rnn_demo.lessons.alignment import (
    ATTENTION,
    MODEL1,
    AlignmentRow,
    error_rates_by_aligner,
    measure_alignments,
    word_links,
)
from rnn_demo.lessons.bottleneck import (
    Row,
    load_alignment_rows,
    load_rows,
    measure,
    scores_by_translator,
    trained_translators,
)
from rnn_demo.lessons.corpora import Corpus
from rnn_demo.training.config import TrainedModel
from rnn_demo.training.registry import Registry
from rnn_demo.training.translators import WORD_BY_WORD, Translator, translator

LIVE_ROWS = "bottleneck_live_rows"  # the shipped models' rows measured in this session
LIVE_ALIGNMENT = "bottleneck_live_alignment"  # the attention model's AER measured in this session
CORPUS_ROWS = "bottleneck_corpus_rows"  # (corpus key, rows, translators) measured in this session
# How the AER chart names the aligners: the attention model, and the dictionary's alignment
ALIGNER_NAMES = {ATTENTION: translator(ATTENTION).name, MODEL1: f"{translator(MODEL1).name} (IBM Model 1)"}


def show_results(rows: list[Row], note: str, translators: Sequence[Translator], key: str = "") -> None:
    """BLEU and exact match against length for these translators, and the numbers behind them."""
    named = {t.id: t for t in translators}
    by_length = scores_by_translator(rows, named)
    styles = {t.name: t.style for t in translators}
    exact = {named[tid].name: values for tid, values in by_length.exact_match.items()}
    bleu = {named[tid].name: values for tid, values in by_length.bleu.items()}
    # exact match first: one wrong word makes a sentence wrong, so it shows the fall most clearly
    exact_title = "Sentences translated exactly right"
    chart(
        quality_by_length(by_length.labels, exact, styles, exact_title, "exact match (%)"),
        key=f"{key}exact_by_length",
    )
    st.caption(f"{note} The share of sentences whose translation is word for word the reference.")
    chart(
        quality_by_length(by_length.labels, bleu, styles, "BLEU against sentence length", "BLEU (0–100)"),
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
                    "translator": named[row.translator].name,
                    "German words": f"{row.low}–{row.high}",
                    "sentences": row.sentences,
                    "BLEU": row.bleu,
                    "chrF": row.chrf,
                    "exact match %": 100 * row.exact_match,
                }
                for row in rows
                if row.translator in named
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


def scores_of_the_shipped_models(shown: Sequence[Translator]) -> None:
    """The shipped scores, or those measured in this session where there are some."""
    live_rows = st.session_state.get(LIVE_ROWS) or []
    if not live_rows:
        note = "Measured in advance for the shipped models (remade by a command in the README)."
        show_results(load_rows(), note, shown)
        return
    measured_live = {row.translator for row in live_rows}
    in_advance = [t for t in shown if t.id not in measured_live]
    note = "Measured live, just now" + (f" (“{in_advance[0].name}”: in advance)." if in_advance else ".")
    ids_in_advance = {t.id for t in in_advance}
    show_results(live_rows + [row for row in load_rows() if row.translator in ids_in_advance], note, shown)


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
    by_length = error_rates_by_aligner(rows)
    error_rates = {ALIGNER_NAMES[aligner]: rates for aligner, rates in by_length.error_rates.items()}
    styles = {ALIGNER_NAMES[aligner]: translator(aligner).style for aligner in ALIGNER_NAMES}
    chart(alignment_error_by_length(by_length.labels, error_rates, styles), key="alignment_by_length")
    overall = by_length.overall
    summary = (
        f"Over all {overall[ATTENTION].sentences:,} sentences: attention {overall[ATTENTION].aer:.1%}, "
        f"the dictionary {overall[MODEL1].aer:.1%}. "
        if ATTENTION in overall and MODEL1 in overall
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
                    "aligner": ALIGNER_NAMES[row.aligner],
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
    lexicon: Lexicon, models: dict[Translator, TrainedModel], pairs: list[SentencePair]
) -> list[Row]:
    """`measure`, with a progress bar that names the translator being scored."""
    names = {WORD_BY_WORD.id: WORD_BY_WORD.name} | {t.id: t.name for t in models}
    order = list(names)
    progress = st.progress(0.0, text="Scoring…")

    def report(translator_id: str) -> None:
        done = order.index(translator_id)
        progress.progress(
            done / len(order), text=f"Scoring {names[translator_id]} ({done + 1} of {len(order)})…"
        )

    rows = measure(lexicon, {t.id: trained for t, trained in models.items()}, pairs, on_progress=report)
    progress.empty()
    return rows


def on_your_corpus(corpus: Corpus, registry: Registry) -> None:
    """The same measurement on an uploaded corpus's held-out sentences: its dictionary and every
    model trained on it in the page."""
    st.header("On your corpus")
    held_out = corpus.held_out_sentences
    trained_here = trained_translators(registry.trained_on(corpus.key))
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
        st.session_state[CORPUS_ROWS] = corpus_rows = (corpus.key, rows, (WORD_BY_WORD, *trained_here))
    if corpus_rows is not None and corpus_rows[0] == corpus.key:
        _, rows, translators = corpus_rows
        show_results(rows, "Measured on your corpus, in this session.", translators, key="corpus_")
