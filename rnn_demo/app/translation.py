"""One translation on the Encoder–decoder page: the decoding choice, the translation beside the gloss
and the reference, the step control, and the figures of what happens inside."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from rnn_demo.app import labels
from rnn_demo.app.widgets import chart, escape_markdown
from rnn_demo.core.evaluate import same_tokens
from rnn_demo.core.text import SPECIAL_TOKENS, SentenceCheck, detokenize
from rnn_demo.core.trace import Trace
from rnn_demo.core.translate import MAX_BEAM_WIDTH
from rnn_demo.figures import rnn_charts
from rnn_demo.figures.diagram import encoder_decoder_diagram
from rnn_demo.figures.subword_labels import piece_labels, word_groups
from rnn_demo.lessons.corpora import Corpus
from rnn_demo.lessons.gloss import gloss_sentence

BEAM_WIDTH = "beam_width"
STEP, STEP_FOR = "rnn_step", "rnn_step_for"  # the step shown, and the translation it belongs to


def beam_from_link(linked: int | None) -> int:
    """Take a beam width from a link; the width the view has now."""
    if linked is not None:
        st.session_state[BEAM_WIDTH] = linked
    return st.session_state.get(BEAM_WIDTH) or 1


def beam_control() -> int:
    st.session_state.setdefault(BEAM_WIDTH, 1)
    width = st.segmented_control(
        "Decoding",
        list(range(1, MAX_BEAM_WIDTH + 1)),
        key=BEAM_WIDTH,
        format_func=lambda w: "greedy" if w == 1 else f"beam {w}",
        help="Greedy takes the likeliest word at every step; a beam keeps the "
        "best few partial translations and picks the likeliest whole one.",
    )
    return width or 1


def translation_columns(trace: Trace, text: str, check: SentenceCheck, corpus: Corpus) -> None:
    """The model's translation, the word-by-word gloss and the correct English side by side, and a
    warning for the words the model has never seen."""
    reference = corpus.references.lookup(text)
    gloss = gloss_sentence(corpus.lexicon, reference.german if reference else check.display_tokens)
    rnn_column, gloss_column, reference_column = st.columns(3)
    rnn_column.markdown("**Encoder–decoder RNN**")
    rnn_column.markdown(f"### {escape_markdown(detokenize(trace.translation))}")
    gloss_column.markdown("**Word by word**")
    gloss_column.markdown(f"### {escape_markdown(gloss.line)}")  # an uploaded corpus's words
    reference_column.markdown("**Correct English**")
    if reference:
        reference_column.markdown(f"### {escape_markdown(reference.english_text)}")
        right = any(same_tokens(trace.translation, r) for r in reference.references)  # any right one
        rnn_column.markdown(":green[**✓ exactly right**]" if right else ":orange[**✗ not the reference**]")
    else:
        reference_column.markdown(f"*Not known: this sentence is not in {escape_markdown(corpus.name)}.*")
    word_of_token = trace.word_of_source or range(len(trace.source_tokens))
    unknown = {word for word, known in zip(word_of_token, trace.source_known, strict=True) if not known}
    if unknown:
        st.warning(
            f"The model has never seen {len(unknown)} of these words or symbols; it reads each as "
            "the same *unknown* token.",
            icon=":material/help:",
        )


def _move_step(delta: int, total: int) -> None:
    st.session_state[STEP] = min(max(st.session_state[STEP] + delta, 0), total)


def step_control(trace: Trace, shown: object, linked: int | None) -> int:
    """Back, Next and a slider over the steps of this translation; returns the step. `shown` names the
    translation (sentence, model, decoding): a new one is shown whole. `linked` is a step from a link."""
    total, source_count = trace.total_steps, len(trace.source_tokens)
    if st.session_state.get(STEP_FOR) != shown or STEP not in st.session_state:
        st.session_state[STEP_FOR] = shown
        st.session_state[STEP] = total
    if linked is not None:
        if linked > total:
            st.info(f"The link's step {linked} is past the last step, {total}.", icon=":material/info:")
        st.session_state[STEP] = min(linked, total)
    back, slider, forward = st.columns([1.4, 6, 1.4], vertical_alignment="bottom")
    back.button(
        "Back", key="step_back", icon=":material/chevron_left:", on_click=_move_step, args=(-1, total),
        width="stretch",
    )  # fmt: skip
    forward.button(
        "Next", key="step_next", icon=":material/chevron_right:", on_click=_move_step, args=(1, total),
        width="stretch",
    )  # fmt: skip
    step = slider.slider(
        "Step through the translation",
        0,
        total,
        key=STEP,
        help=f"Steps 1–{source_count}: the encoder reads one German token each. "
        f"Then the decoder writes one English token a step.",
    )
    if step <= source_count:
        st.caption(f"Step {step} of {total}: the encoder has read {step} of {source_count} German tokens.")
    else:
        st.caption(
            f"Step {step} of {total}: the encoder is done; the decoder has written "
            f"{step - source_count} of {total - source_count} tokens."
        )
    return step


def diagram(trace: Trace, step: int) -> None:
    chart(encoder_decoder_diagram(trace, step), key="rnn_diagram", enlarge=False)
    if trace.attention is None:
        st.caption(
            "The encoder (top row) reads the German; only its last state, the context vector, crosses to "
            "the decoder (the rows below). The decoder starts from it and reads it again at every step "
            "(+ c), beside the word it wrote last, and writes the English one token at a time."
        )
    else:
        st.caption(
            "The encoder (top row) reads the German; its last state starts the decoder (the rows below). "
            "At every step the decoder also looks back at all the encoder's states (the orange lines), "
            "and writes the English one token at a time."
        )


def readable(trace: Trace) -> Trace:
    """The trace of a model of subword pieces with its pieces labelled as one splits a word by hand
    ("hin", "-ge", "-fallen"), for the figures; a trace of whole words as it is."""
    if trace.word_of_source is None and trace.words_written is None:
        return trace

    def labelled(tokens: list[str]) -> list[str]:
        return [
            t if t in SPECIAL_TOKENS else label for t, label in zip(tokens, piece_labels(tokens), strict=True)
        ]

    return replace(
        trace,
        source_tokens=labelled(trace.source_tokens),
        output_tokens=labelled(trace.output_tokens),
        top_tokens=[[(labelled([token])[0], p) for token, p in step] for step in trace.top_tokens],
    )


def inside_the_translation(trace: Trace, display_tokens: list[str], step: int) -> None:
    """The encoder's states, the context vector alone, the decoder's states, its top-k choices up to
    this step, and the attention weights (for the attention model). `trace` as `readable` gives it."""
    order = rnn_charts.unit_order(trace.encoder_states)
    groups = None if trace.word_of_source is None else word_groups(display_tokens, trace.word_of_source)
    st.subheader("Inside the encoder")
    chart(
        rnn_charts.hidden_state_heatmap(
            trace.encoder_states,
            display_tokens if groups is None else trace.source_tokens,
            labels.ENCODER_HEATMAP_TITLE,
            order=order,
            highlight_last=True,
            word_groups=groups,
        ),
        key="encoder_heatmap",
    )
    st.caption(
        "Each column is the encoder's memory after reading that token; each row is one of its "
        f"{trace.encoder_states.shape[1]} numbers. Red is positive, blue negative."
    )
    st.markdown(f"**The context vector: the whole sentence in {trace.context.shape[0]} numbers**")
    chart(rnn_charts.context_vector_figure(trace.context, order), key="context_vector")
    st.caption(
        "The encoder's last column, alone. It is the only thing the decoder is given; everything the "
        "translation needs has to fit in here."
    )

    st.subheader("Inside the decoder")
    chart(
        rnn_charts.hidden_state_heatmap(
            trace.decoder_states, trace.output_tokens, labels.DECODER_HEATMAP_TITLE
        ),
        key="decoder_heatmap",
    )
    st.caption("The decoder starts from the context vector and changes its state with every word it writes.")
    decoded = max(step - len(trace.source_tokens), 0)
    chart(
        rnn_charts.top_k_figure(trace, up_to_step=decoded if step < trace.total_steps else None), key="top_k"
    )
    st.caption(
        "At every step, the five words the decoder found likeliest, with their probabilities; the "
        "chosen word is outlined. A confident model puts almost everything on one word."
    )
    if trace.attention is not None:
        chart(rnn_charts.attention_heatmap(trace, source_groups=groups), key="attention")
        st.caption("Attention: for each English word (row), how much the decoder looked at each German word.")
