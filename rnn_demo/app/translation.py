"""One translation on the Encoder–decoder page: the decoding choice, the translation beside the gloss
and the reference, the step control, and the figures of what happens inside."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import streamlit as st

from rnn_demo.app import labels, session
from rnn_demo.app.models import ChosenModel
from rnn_demo.app.widgets import ReadyFigure, chart, escape_markdown, never_seen_notice
from rnn_demo.core.evaluate import exactly_right
from rnn_demo.core.text import EOS, SPECIAL_TOKENS, SentenceCheck, detokenize
from rnn_demo.core.trace import Trace
from rnn_demo.core.translate import MAX_BEAM_WIDTH, translate
from rnn_demo.figures import attention_charts, rnn_charts
from rnn_demo.figures.diagram import encoder_decoder_diagram
from rnn_demo.figures.subword_labels import piece_labels, word_groups
from rnn_demo.lessons.corpora import Corpus
from rnn_demo.training.config import TrainedModel

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


def written_so_far(trace: Trace, step: int) -> str | None:
    """What the decoder has written by this step of the step control: the whole translation at the
    last step, the words so far before it ("Can you help …"), None before its first word."""
    decoded = step - len(trace.source_tokens)
    if step >= trace.total_steps:
        return detokenize(trace.translation)
    if decoded <= 0:
        return None
    written = [token for token in readable(trace).output_tokens[:decoded] if token != EOS]
    return detokenize(written) + " …"


EMPTY_TRANSLATION = "*No words: the decoder ended the sentence at its first step.*"


def translation_columns(
    trained: TrainedModel, trace: Trace, text: str, check: SentenceCheck, corpus: Corpus, step: int
) -> None:
    """The model's translation as far as the decoder has written it at this step, the word-by-word
    gloss and the correct English side by side, and a warning for the words the model has never seen.
    The story in order: before the last step the translation is not given away (nor, in presenter
    mode, the correct English), so a class sees it come word by word as the decoder writes it."""
    reference, gloss = corpus.look_up(text, check.display_tokens)
    finished = step >= trace.total_steps
    so_far = written_so_far(trace, step)
    rnn_column, gloss_column, reference_column = st.columns(3)
    rnn_column.markdown("**Encoder–decoder RNN**")
    if so_far is None:
        rnn_column.markdown("*Nothing yet: the decoder writes once the encoder has read the sentence.*")
    elif not so_far:  # a model early in its training may end the sentence before its first word
        rnn_column.markdown(EMPTY_TRANSLATION)
    else:
        rnn_column.markdown(f"## {escape_markdown(so_far)}")
    gloss_column.markdown("**Word by word**")
    gloss_column.markdown(f"## {escape_markdown(gloss.line)}")  # an uploaded corpus's words
    reference_column.markdown("**Correct English**")
    if reference and not finished and session.presenter_mode():
        reference_column.markdown("*Shown when the decoder has finished.*")
    elif reference:
        reference_column.markdown(f"## {escape_markdown(reference.english_text)}")
        right = exactly_right(trace.translation, reference.references)
        if finished:
            rnn_column.markdown(
                ":green[**✓ exactly right**]" if right else ":orange[**✗ not the reference**]"
            )
    else:
        reference_column.markdown(f"*Not known: this sentence is not in {escape_markdown(corpus.name)}.*")
    never_seen_notice(trained, [check.tokens])


# Translations and their figures are made once per server and shared by every session: thirty students
# on the same example cost one translation, and a step shown once is drawn once. Bounded: one
# translation and its figures take a few hundred kB.
KEPT_TRANSLATIONS = 64
KEPT_STEP_FIGURES = 256


@dataclass(frozen=True)
class Translation:
    """One translation on this server: what names it (model, tokens, decoding) and its trace."""

    model: str  # the model's key and its identity: a retrained model is another model
    tokens: tuple[str, ...]
    display_tokens: tuple[str, ...]  # the tokens as typed, for the encoder's heatmap
    beam_width: int
    trace: Trace = field(compare=False)

    @property
    def name(self) -> tuple:
        return self.model, self.tokens, self.display_tokens, self.beam_width


@st.cache_resource(max_entries=KEPT_TRANSLATIONS, show_spinner=False)
def _translate(model: str, tokens: tuple[str, ...], beam_width: int, _trained: TrainedModel) -> Trace:
    return translate(
        _trained.model, list(tokens), _trained.source_vocab, _trained.target_vocab, beam_width=beam_width
    )


def translated(chosen: ChosenModel, check: SentenceCheck, beam_width: int) -> Translation:
    """The chosen model's translation of the checked sentence, made once per server."""
    model = f"{chosen.key!r}#{chosen.trained.instance}"
    trace = _translate(model, tuple(check.tokens), beam_width, chosen.trained)
    return Translation(model, tuple(check.tokens), tuple(check.display_tokens), beam_width, trace)


def _move_step(delta: int, total: int) -> None:
    st.session_state[STEP] = min(max(st.session_state[STEP] + delta, 0), total)


def settle_step(translation: Translation, linked: int | None) -> int:
    """A new translation is shown whole, in presenter mode from step 0 (the class watches it being
    written); a link's step (`linked`) is taken once, as the page opens. Returns the step."""
    total = translation.trace.total_steps
    if st.session_state.get(STEP_FOR) != translation.name or STEP not in st.session_state:
        st.session_state[STEP_FOR] = translation.name
        st.session_state[STEP] = 0 if session.presenter_mode() else total
    if linked is not None:
        if linked > total:
            st.info(f"The link's step {linked} is past the last step, {total}.", icon=":material/info:")
        st.session_state[STEP] = min(linked, total)
    return st.session_state[STEP]


def step_control(trace: Trace) -> int:
    """Back, Next and a slider over the steps of this translation; returns the step."""
    total, source_count = trace.total_steps, len(trace.source_tokens)
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


def step_through(translation: Translation, show_step: Callable[[int | None], None]) -> None:
    """The step control and the figures under it, every figure from the server's cache. `show_step`
    puts the step in the URL and the copied link. (Not an st.fragment: its reruns write the sidebar's
    link from inside the fragment, and the browser then failed now and then with "Cannot set a node
    at a delta path"; with the figures cached a whole rerun costs little more.)"""
    step = step_control(translation.trace)
    show_step(None if step == translation.trace.total_steps else step)
    diagram(translation, step)
    inside_the_translation(translation, step)


@st.cache_resource(max_entries=KEPT_STEP_FIGURES, show_spinner=False)
def _step_figures(name: tuple, step: int, _trace: Trace) -> tuple[ReadyFigure, ReadyFigure]:
    """The diagram and the top-k figure at this step: what a step click changes."""
    trace = readable(_trace)
    decoded = max(step - len(trace.source_tokens), 0)
    top_k = rnn_charts.top_k_figure(trace, up_to_step=decoded if step < trace.total_steps else None)
    return ReadyFigure(encoder_decoder_diagram(trace, step)), ReadyFigure(top_k)


@st.cache_resource(max_entries=KEPT_TRANSLATIONS, show_spinner=False)
def _state_figures(name: tuple, _display_tokens: tuple[str, ...], _trace: Trace) -> dict[str, ReadyFigure]:
    """The figures that stay while the step moves: the encoder's and decoder's states, the context
    vector and the attention weights."""
    trace, display_tokens = readable(_trace), list(_display_tokens)
    order = rnn_charts.unit_order(trace.encoder_states)
    groups = None if trace.word_of_source is None else word_groups(display_tokens, trace.word_of_source)
    figures = {
        "encoder": rnn_charts.hidden_state_heatmap(
            trace.encoder_states,
            display_tokens if groups is None else trace.source_tokens,
            labels.ENCODER_HEATMAP_TITLE,
            order=order,
            highlight_last=trace.attention is None,  # a bidirectional encoder's last column is no summary
            word_groups=groups,
        ),
        "context": rnn_charts.context_vector_figure(trace.context, order),
        "decoder": rnn_charts.hidden_state_heatmap(
            trace.decoder_states, trace.output_tokens, labels.DECODER_HEATMAP_TITLE
        ),
    }
    if trace.attention is not None:
        figures["attention"] = attention_charts.attention_heatmap(trace, source_groups=groups)
    return {kind: ReadyFigure(spec) for kind, spec in figures.items()}


def diagram(translation: Translation, step: int) -> None:
    chart(_step_figures(translation.name, step, translation.trace)[0], key="rnn_diagram", enlarge=False)
    if translation.trace.attention is None:
        st.caption(
            "The encoder (top row) reads the German; only its last state, the context vector, crosses to "
            "the decoder (the rows below). The decoder starts from it and reads it again at every step "
            "(+ c), beside the word it wrote last, and writes the English one token at a time."
        )
    else:
        st.caption(
            "The encoder (top row) reads the German both ways, left to right and right to left; its "
            "right-to-left state at the first word, which has read the whole sentence, starts the decoder "
            "(the rows below). At every step the decoder looks back at all the encoder's states (the "
            "orange lines) and writes the English one token at a time."
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


def inside_the_translation(translation: Translation, step: int) -> None:
    """The encoder's states, the context vector alone, the decoder's states, its top-k choices up to
    this step, and the attention weights (for the attention model)."""
    trace = translation.trace
    figures = _state_figures(translation.name, translation.display_tokens, trace)
    st.header("Inside the encoder")
    chart(figures["encoder"], key="encoder_heatmap")
    numbers = trace.encoder_states.shape[1]
    if trace.attention is None:
        st.caption(
            "Each column is the encoder's memory after reading that token; each row is one of its "
            f"{numbers} numbers. Red is positive, blue negative."
        )
        st.markdown(f"**The context vector: the whole sentence in {trace.context.shape[0]} numbers**")
        chart(figures["context"], key="context_vector")
        st.caption(
            "The encoder's last column, alone. It is the only thing the decoder is given; everything the "
            "translation needs has to fit in here."
        )
    else:
        st.caption(
            f"This encoder reads the sentence both ways: each column holds two memories of {numbers // 2} "
            "numbers side by side, one that has read from the first word up to this token and one that "
            "has read from the last word back to it, so it knows the words on both sides. Red is "
            "positive, blue negative."
        )
        st.markdown(f"**Both readings of the whole sentence: {trace.context.shape[0]} numbers**")
        chart(figures["context"], key="context_vector")
        st.caption(
            "The left-to-right memory after the last word and the right-to-left one after the first. The "
            "decoder starts from the second; everything else it reads through attention, not from here."
        )

    st.header("Inside the decoder")
    chart(figures["decoder"], key="decoder_heatmap")
    start = (
        "the context vector"
        if trace.attention is None
        else "the right-to-left memory at the first word (which has read the whole sentence)"
    )
    st.caption(f"The decoder starts from {start} and changes its state with every word it writes.")
    chart(_step_figures(translation.name, step, trace)[1], key="top_k")
    st.caption(
        "At every step, the five words the decoder found likeliest, with their probabilities; the "
        "chosen word is outlined. A confident model puts almost everything on one word."
    )
    if "attention" in figures:
        chart(figures["attention"], key="attention")
        st.caption("Attention: for each English word (row), how much the decoder looked at each German word.")
