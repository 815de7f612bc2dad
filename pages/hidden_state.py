"""Inside the hidden state: many sentences' paths through the encoder's memory on one 2-D map, and
the sentences whose context vectors lie nearest to a chosen one."""

import pandas as pd
import streamlit as st

from rnn_demo import hidden_charts, ui, url_state
from rnn_demo.text import MAX_SENTENCE_CHARS, SentenceCheck, check_sentence, normalize
from rnn_demo.translate import encoder_states_batch

ui.use_app_navigation()

MAX_SENTENCES = 30  # on the map at once, the examples included: more makes an unreadable tangle
NEAREST = 5

st.title("Inside the hidden state")
st.markdown(
    "The encoder reads a sentence one token at a time, and after each token its memory, the **hidden "
    "state**, is a list of a few hundred numbers. Here many sentences are read at once and every state "
    "is drawn as a dot on one map, so you can follow each sentence's path and see which sentences end "
    "up in similar places."
)

registry = ui.model_registry()
examples = [example.pair.german_text for example in ui.current_corpus().examples]
view = ui.PageView(
    "hidden_state",
    {
        "model": url_state.choice(list(ui.MODEL_CHOICES)),
        "examples": url_state.switch(),
        "s": url_state.text(MAX_SENTENCE_CHARS),
    },
    {"model": "rnn", "examples": True, "s": examples[0]},
)

# --- the model ------------------------------------------------------------------------------------

own_model = ui.own_model()  # trained on the Encoder–decoder page, or loaded there from a file
choices = ["rnn", "attention"] + (["yours"] if own_model is not None else [])
st.session_state.setdefault("hidden_model_choice", "rnn")
if "model" in view.from_url:
    if view.from_url["model"] in choices:
        st.session_state["hidden_model_choice"] = view.from_url["model"]
    else:
        st.info(
            "This link shows a model trained on the Encoder–decoder page, and this session has none. "
            "Meanwhile you see the shipped plain RNN.",
            icon=":material/info:",
        )
if st.session_state["hidden_model_choice"] not in choices:
    st.session_state["hidden_model_choice"] = "rnn"
choice = (
    st.segmented_control(
        "Model",
        choices,
        format_func=ui.MODEL_CHOICES.get,
        key="hidden_model_choice",
        help="Train your own on the Encoder–decoder page; it then appears here too.",
    )
    or "rnn"
)
trained = own_model if choice == "yours" else registry.model(ui.shipped_key(choice))
if trained is None:
    st.warning("This model is not available on this server. Choose another above.", icon=":material/info:")
    st.stop()
hidden_size = trained.config.hidden_size

# --- the sentences --------------------------------------------------------------------------------


def sentences_on_the_map(
    include_examples: bool, typed: str
) -> tuple[list[SentenceCheck], list[str], list[str]]:
    """The checked sentences to draw (examples first, then typed lines, no repeats, at most
    MAX_SENTENCES), their texts, and a plain-text note for every typed line left out."""
    checks: list[SentenceCheck] = []
    texts: list[str] = []
    left_out: list[str] = []
    seen: set[tuple[str, ...]] = set()
    lines = [(number, line) for number, line in enumerate(typed.splitlines(), 1) if line.strip()]
    candidates = [(None, text) for text in examples if include_examples] + lines
    for position, (number, line) in enumerate(candidates):
        if len(checks) == MAX_SENTENCES:
            rest = len(candidates) - position
            left_out.append(
                f"{rest} more line{'s' if rest > 1 else ''}: the map holds at most {MAX_SENTENCES} "
                "sentences, the examples included."
            )
            break
        check = check_sentence(line)
        shown = line.strip() if len(line.strip()) <= 40 else line.strip()[:39] + "…"
        if not check.ok:
            left_out.append(f"Line {number} (“{shown}”): {check.message}")
        elif check.tokens in seen:
            left_out.append(f"Line {number} (“{shown}”): it is already on the map.")
        else:
            seen.add(check.tokens)
            checks.append(check)
            texts.append(normalize(line))
    return checks, texts, left_out


if "examples" in view.from_url:
    st.session_state["hidden_include_examples"] = view.from_url["examples"]
st.session_state.setdefault("hidden_include_examples", True)
st.session_state.setdefault("hidden_sentences_typed", "")
linked = view.from_url.get("s")
if linked is not None and normalize(linked) not in examples:  # a typed sentence from a link: type it in
    typed_lines = st.session_state["hidden_sentences_typed"].splitlines()
    if normalize(linked) not in map(normalize, typed_lines):
        st.session_state["hidden_sentences_typed"] = "\n".join([*typed_lines, linked]).strip("\n")

typed_now = st.session_state["hidden_sentences_typed"]
with st.expander("Choose the sentences", expanded=bool(typed_now.strip()), icon=":material/edit_note:"):
    include_examples = st.checkbox(f"The {len(examples)} example sentences", key="hidden_include_examples")
    typed = st.text_area(
        "Your own German sentences, one per line",
        key="hidden_sentences_typed",
        max_chars=ui.MAX_PASTE_CHARS,
        height=150,
        placeholder="Er hat den Schlüssel gefunden.\nIch habe das Buch gelesen.\nDas Buch ist gut.",
    )
    st.caption(
        f"Up to {MAX_SENTENCES} sentences in all, each up to {MAX_SENTENCE_CHARS} characters. Press "
        "Ctrl+Enter (⌘+Enter on a Mac) or click outside the box to apply."
    )

checks, texts, left_out = sentences_on_the_map(include_examples, typed)
if left_out:
    shown_notes = left_out[:10] + ([f"… and {len(left_out) - 10} more."] if len(left_out) > 10 else [])
    st.warning(
        "Some of your lines were left out:\n\n"
        + "\n".join(f"- {ui.escape_markdown(note)}" for note in shown_notes),
        icon=":material/edit:",
    )
if len(checks) < 2:
    st.info(
        "The map needs at least two sentences. Type some German sentences above, one per line, or "
        "tick the example sentences.",
        icon=":material/edit_note:",
    )
    view.show(model=choice, examples=include_examples)
    st.stop()

# --- the map --------------------------------------------------------------------------------------


@st.cache_data(max_entries=64, show_spinner="Reading the sentences…")
def hidden_map(
    model_name: str,
    model_id: int,
    checks: tuple[SentenceCheck, ...],
    texts: tuple[str, ...],
    scale: float,
    _trained,
) -> tuple[list, float, object]:
    """Each sentence's encoder states (T_i, H), the share of their variance the map keeps, and the
    map. Cached per model and sentence set: a class opening the same view computes it once."""
    states = encoder_states_batch(_trained.model, [list(c.tokens) for c in checks], _trained.source_vocab)
    kept = float(hidden_charts.token_map(states).explained_variance_ratio.sum())
    figure = hidden_charts.trajectory_figure(texts, [c.display_tokens for c in checks], states, scale)
    return states, kept, figure


unknown = {token for check in checks for token in check.tokens if token not in trained.source_vocab}
if unknown:
    st.caption(
        f"This model has never seen {len(unknown)} of these words or symbols; it reads each as the "
        "same *unknown* token."
    )
scale = ui.PRESENTER_SCALE if ui.presenter_mode() else 1.0
# the choice and settings name the model; its id tells two models with the same settings apart
states, kept, figure = hidden_map(
    repr((choice, trained.config)), id(trained.model), tuple(checks), tuple(texts), scale, trained
)
# the labels are placed in pixels, so the figure is enlarged as it is built, not afterwards
ui.chart(figure, key="hidden_trajectories", enlarge=False)
st.caption(
    "Each dot is the encoder's memory after one more token; follow a colour to watch a sentence being "
    f"read, to its diamond, the context vector. This flat map keeps {kept:.0%} of how the states differ."
)

# --- nearest sentences ----------------------------------------------------------------------------

st.subheader("Which sentences end in a similar state?")
if linked is not None and normalize(linked) in texts:
    st.session_state["hidden_chosen_sentence"] = normalize(linked)
if st.session_state.get("hidden_chosen_sentence") not in texts:
    st.session_state["hidden_chosen_sentence"] = texts[0]
chosen = st.selectbox(
    "Sentence",
    texts,
    key="hidden_chosen_sentence",
    format_func=lambda text: f"{texts.index(text) + 1}. {text}",
)
view.show(model=choice, examples=include_examples, s=chosen)
rows = hidden_charts.nearest_sentences(texts, states, texts.index(chosen), n=NEAREST)
st.dataframe(
    pd.DataFrame(rows, columns=["sentence", "distance"]),
    hide_index=True,
    width="stretch",
    column_config={"distance": st.column_config.NumberColumn(format="%.2f")},
)
st.caption(
    f"The {len(rows)} sentences whose context vectors are closest to this one's, measured in all "
    f"{hidden_size} numbers (not on the flat map). For scale: two of these sentences are typically "
    f"{hidden_charts.typical_distance(states):.1f} apart."
)

st.subheader("What the clusters mean, and what they do not")
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
        if choice == "attention"
        else ""
    )
)
