"""Encoder–decoder RNN: train a small GRU translator in the page, then look inside one translation."""

import hashlib
from dataclasses import replace

import streamlit as st

from rnn_demo import rnn_charts, ui, url_state
from rnn_demo.checkpoint import MAX_CHECKPOINT_BYTES, CheckpointError, checkpoint_bytes, checkpoint_from_bytes
from rnn_demo.gloss import gloss_sentence
from rnn_demo.registry import QueueFull
from rnn_demo.text import MAX_SENTENCE_CHARS, check_sentence, detokenize
from rnn_demo.train import PRESETS, TrainConfig
from rnn_demo.translate import MAX_BEAM_WIDTH, translate

ui.use_app_navigation()

DEFAULT = PRESETS["default"]
HIDDEN_SIZES = [32, 64, 128, 256, 384, 512]
EMBEDDING_SIZES = [16, 32, 64, 128, 256]
LEARNING_RATES = [0.001, 0.003, 0.005, 0.01]
TRAINING_PAIRS = [1_000, 5_000, 10_000, 20_000, 40_000, 80_000]
MAX_TIME_BUDGET_S = 120  # one visitor's training may hold the shared queue this long at most
MAX_WORDS = 20
# The training settings: widget key -> (name in the URL, how the URL's value is checked, default)
SETTINGS = {
    "train_kind": ("kind", url_state.choice(["rnn", "attention"]), DEFAULT.kind),
    "train_hidden": ("hidden", url_state.number_from(HIDDEN_SIZES), DEFAULT.hidden_size),
    "train_embedding": ("embedding", url_state.number_from(EMBEDDING_SIZES), DEFAULT.embedding_size),
    "train_budget": ("budget", url_state.whole_number(5, MAX_TIME_BUDGET_S), int(DEFAULT.time_budget_s)),
    "train_learning_rate": ("lr", url_state.number_from(LEARNING_RATES), DEFAULT.learning_rate),
    "train_max_words": ("words", url_state.whole_number(3, MAX_WORDS), DEFAULT.max_words),
    "train_pairs": ("pairs", url_state.number_from(TRAINING_PAIRS), DEFAULT.train_pairs),
    "train_seed": ("seed", url_state.whole_number(0, 9999), DEFAULT.seed),
}

st.title("Encoder–decoder RNN")
st.markdown(
    "A small network reads the **whole** German sentence before it writes any English. The *encoder* "
    "folds the words one by one into a hidden state; its last state, the **context vector**, is all the "
    "*decoder* gets. From it the decoder writes the English word by word, in English order."
)

registry = ui.model_registry()
corpus = ui.current_corpus()
if corpus.uploaded:
    st.info(
        f"Working on your corpus, **{ui.escape_markdown(corpus.name)}**: the examples, the word-by-word "
        "gloss and the training below come from it. The shipped models learned the phrasebook only.",
        icon=":material/dataset:",
    )
view = ui.PageView(
    "encoder_decoder",
    {
        "s": url_state.text(MAX_SENTENCE_CHARS),
        "model": url_state.choice(list(ui.MODEL_CHOICES)),
        "beam": url_state.whole_number(1, MAX_BEAM_WIDTH),
        "step": url_state.whole_number(0, 999),
        **{name: parameter for name, parameter, _ in SETTINGS.values()},
    },
    {
        "s": corpus.examples[0].pair.german_text,
        "model": "rnn",
        "beam": 1,
        **{name: default for name, _, default in SETTINGS.values()},
    },
)
st.session_state.setdefault("model_choice", "rnn")
for key, (name, _, default) in SETTINGS.items():
    st.session_state.setdefault(key, default)
    if name in view.from_url:
        value = view.from_url[name]
        st.session_state[key] = 5 * round(value / 5) if key == "train_budget" else value  # slider step 5


# --- training -------------------------------------------------------------------------------------


def settings_config() -> TrainConfig:
    """The training settings as a config (read from the session, so also when the knobs are hidden)."""
    value = st.session_state.get
    return replace(
        DEFAULT,
        kind=value("train_kind") or "rnn",
        hidden_size=value("train_hidden"),
        embedding_size=value("train_embedding"),
        time_budget_s=float(value("train_budget")),
        learning_rate=value("train_learning_rate"),
        max_words=value("train_max_words"),
        train_pairs=value("train_pairs"),
        seed=int(value("train_seed")),
    )


def settings_in_url(config: TrainConfig) -> dict:
    return {
        "kind": config.kind,
        "hidden": config.hidden_size,
        "embedding": config.embedding_size,
        "budget": int(config.time_budget_s),
        "lr": config.learning_rate,
        "words": config.max_words,
        "pairs": config.train_pairs,
        "seed": config.seed,
    }


def training_settings() -> TrainConfig:
    st.segmented_control(
        "Model to train",
        ["rnn", "attention"],
        key="train_kind",
        format_func=lambda k: ui.MODEL_CHOICES[k].removesuffix(" (shipped)"),
    )
    first, second, third = st.columns(3)
    first.select_slider("Hidden size (numbers in the context vector)", HIDDEN_SIZES, key="train_hidden")
    first.select_slider("Embedding size", EMBEDDING_SIZES, key="train_embedding")
    second.slider(
        "Time budget (seconds)",
        5,
        MAX_TIME_BUDGET_S,
        step=5,
        key="train_budget",
        help="Training stops after this long, keeping what it has learned.",
    )
    second.select_slider("Learning rate", LEARNING_RATES, key="train_learning_rate")
    third.slider("Longest training sentence (German words)", 3, MAX_WORDS, key="train_max_words")
    third.select_slider(
        "Training sentences", TRAINING_PAIRS, format_func=lambda n: f"{n:,}", key="train_pairs"
    )
    third.number_input(
        "Seed", 0, 9999, key="train_seed", help="The same settings and seed train the same model."
    )
    return settings_config()


def show_progress(job) -> None:
    latest = job.latest
    if job.status == "waiting":
        st.info(
            f"Waiting for another training to finish: this one is number {registry.position(job)} "
            "in the queue. The server trains one model at a time.",
            icon=":material/hourglass_top:",
        )
        return
    if latest is None:
        st.progress(0.0, text="Preparing the training data…")
        return
    budget = job.config.time_budget_s
    accuracy = "not measured yet" if latest.held_out_exact is None else f"{latest.held_out_exact:.0%}"
    st.progress(
        min(latest.elapsed_s / budget, 1.0),
        text=f"{latest.elapsed_s:.0f} of {budget:.0f} s · loss {latest.loss:.2f} · held-out exact "
        f"match {accuracy} · {latest.tokens_per_second:,.0f} tokens/s · "
        f"about {latest.seconds_left:.0f} s left",
    )
    ui.chart(ui.training_curves(job), key="training_curves")


@st.fragment(run_every=1.0)
def live_training(job_key) -> None:
    """Reruns on its own every second while a training runs, so the progress moves. Every waiting
    session does this, so it must stay cheap: the figure is built once per progress report for all."""
    job = registry.job(job_key)
    if job is None:
        return
    if job.active:
        show_progress(job)
        if st.button("Stop training", key="stop_training", icon=":material/stop_circle:"):
            job.stop()
        return
    st.rerun()  # finished: redraw the whole page with the new model


def finished_training_notice(job) -> None:
    if job.status == "failed":
        st.error(
            f"The training failed ({job.error}). The previous model is still in use.", icon=":material/error:"
        )
    elif job.status == "stopped" and st.session_state.get("rnn_adopted") != job.key:
        exact = job.result.held_out_exact if job.result is not None else None
        learned = (
            ""
            if exact is None
            else f" It had learned to translate {exact:.0%} of held-out sentences exactly."
        )
        st.warning(
            f"The training was stopped, so the model in use stays as it was.{learned}",
            icon=":material/stop_circle:",
        )
        if job.result is not None:
            st.button(
                "Use the partly trained model",
                key="use_stopped",
                on_click=use_own_model,
                args=(job.key,),
                icon=":material/input:",
            )
    elif job.result is not None:
        what = "was stopped early and keeps what it learned" if job.status == "stopped" else "is trained"
        exact = job.result.held_out_exact
        shared = f" It was asked for {job.requests} times and ran once." if job.requests > 1 else ""
        shared += f" Trainings run on this server since it started: {registry.trainings_started}."
        st.success(
            f"Your model {what}: {exact:.0%} of held-out sentences translated exactly. "
            f"It is now the model below.{shared}",
            icon=":material/check_circle:",
        )
        show_progress(job)


job_key = st.session_state.get("rnn_job_key")
job = registry.job(job_key) if job_key is not None else None


def use_own_model(key) -> None:
    """Show the session's newly trained model (once; the user may switch back afterwards)."""
    st.session_state["rnn_own_model_key"] = key
    st.session_state["model_choice"] = "yours"
    st.session_state["rnn_adopted"] = key


if job is not None and job.status == "done" and st.session_state.get("rnn_adopted") != job_key:
    use_own_model(job_key)  # a training this session asked for has finished (a stopped one is offered)

if view.from_url.get("model") == "yours":  # a link to a model trained in the page, by its settings
    linked_key = (corpus.key, settings_config())
    if registry.model(linked_key) is not None:
        use_own_model(linked_key)
    else:
        view.from_url["model"] = "rnn"
        st.info(
            "This link shows a model trained in the page, and this server has not trained it (yet). "
            "Its settings are filled in under **Train your own model**: press **Train** to train it. "
            "Meanwhile you see the shipped plain RNN.",
            icon=":material/info:",
        )
if "model" in view.from_url and view.from_url["model"] != "yours":
    st.session_state["model_choice"] = view.from_url["model"]


def training_panel(job) -> None:
    config = training_settings()
    if st.button(
        "Train",
        key="train",
        type="primary",
        icon=":material/play_arrow:",
        disabled=job is not None and job.active,
    ):
        key = (corpus.key, config)  # the same settings on other data are another model
        try:
            job = registry.request(key, config, corpus.training_data(config))
        except ValueError as error:  # an uploaded corpus with no sentences of the chosen lengths
            st.warning(str(error), icon=":material/straighten:")
            return
        except QueueFull:
            st.warning(
                f"{registry.max_waiting} trainings are already waiting on this server. Try again in a "
                "minute or two; the shipped models are ready meanwhile.",
                icon=":material/hourglass_disabled:",
            )
            return
        st.session_state["rnn_job_key"] = key
        if job.status == "done":  # somebody already trained exactly this model
            use_own_model(key)
    if job is not None and job.active:
        live_training(job.key)
    elif job is not None:
        finished_training_notice(job)
    elif corpus.uploaded:
        st.caption(
            f"Trains on your corpus, {ui.escape_markdown(corpus.name)}: its sentences of up to the "
            "longest length above, at most as many as chosen, checked on its held-out sentences."
        )
    else:
        st.caption(
            "The shipped model was trained with these settings for longer. Train to watch the loss "
            "fall and the held-out accuracy rise; two people asking for the same settings share "
            "one training."
        )


if not ui.presenter_mode():  # a projected lesson needs no training knobs
    with st.expander("Train your own model", expanded=job is not None, icon=":material/model_training:"):
        training_panel(job)

# --- the model in use -----------------------------------------------------------------------------

own_key = st.session_state.get("rnn_own_model_key")
own_model = ui.own_model()
choices = ["rnn", "attention"] + (["yours"] if own_model is not None else [])
if st.session_state["model_choice"] not in choices:
    st.session_state["model_choice"] = "rnn"
choice = st.segmented_control(
    "Model",
    choices,
    format_func=ui.MODEL_CHOICES.get,
    key="model_choice",
    help="The plain RNN passes only the context vector to its decoder; the "
    "attention model also lets the decoder look back at every German word.",
)
choice = choice or "rnn"
model_key = own_key if choice == "yours" else ui.shipped_key(choice)
trained = own_model if choice == "yours" else registry.model(model_key)
view.show(model=choice, **settings_in_url(trained.config if choice == "yours" else settings_config()))
if trained is None:
    st.warning(
        "This model is not available on this server. Choose a shipped model above.",
        icon=":material/info:",
    )
    st.stop()


def load_model_file() -> None:
    """Check an uploaded model file; use it if it is one, else say why (the model in use stays)."""
    file = st.session_state.get("checkpoint_file")
    if file is None:
        return
    data = file.getvalue()
    try:
        loaded = checkpoint_from_bytes(data)
    except CheckpointError as error:
        st.session_state["checkpoint_error"] = f"“{file.name[:60]}” cannot be used: {error}."
        return
    st.session_state.pop("checkpoint_error", None)
    key = ("file", hashlib.sha256(data).hexdigest()[:16])
    st.session_state["loaded_model"] = (key, loaded)  # in this session only: nothing stays on the server
    st.session_state["loaded_model_name"] = file.name[:60]
    use_own_model(key)


def model_files_panel() -> None:
    download_column, upload_column = st.columns(2)
    download_column.download_button(
        "Download the model in use",
        data=lambda: checkpoint_bytes(trained),  # built only when pressed
        file_name=f"{choice}-h{trained.config.hidden_size}.safetensors",
        mime="application/octet-stream",
        on_click="ignore",
        icon=":material/download:",
        key="checkpoint_download",
    )
    download_column.caption(
        "A .safetensors file with the weights, the settings and both vocabularies: load it here "
        "later, on any server running this app."
    )
    upload_column.file_uploader(
        "Load a model file",
        key="checkpoint_file",
        on_change=load_model_file,
        max_upload_size=MAX_CHECKPOINT_BYTES // 2**20,
        help=f"A model downloaded from this page, up to {MAX_CHECKPOINT_BYTES // 2**20} MB. It is "
        "checked before use, and loading it cannot run any code.",
    )
    if "checkpoint_error" in st.session_state:
        upload_column.error(
            f"{ui.escape_markdown(st.session_state['checkpoint_error'])} The model in use has not changed.",
            icon=":material/error:",
        )
    elif choice == "yours" and own_key == st.session_state.get("loaded_model", (None,))[0]:
        upload_column.success(
            f"In use: the model from “{ui.escape_markdown(st.session_state['loaded_model_name'])}”.",
            icon=":material/check_circle:",
        )


if not ui.presenter_mode():
    with st.expander("Save or load a model", icon=":material/save:"):
        model_files_panel()

exact = trained.held_out_exact
described = {"rnn": "the shipped plain RNN", "attention": "the shipped RNN with attention"}.get(
    choice, "your model"
)
st.caption(
    f"Using {described}: hidden size {trained.config.hidden_size}, "
    f"{trained.model.parameter_count():,} weights, trained on sentences of 3–{trained.config.max_words} "
    "words" + ("" if exact is None else f", {exact:.0%} of held-out sentences exactly right") + "."
)

# --- one sentence, from the inside ----------------------------------------------------------------

text = ui.sentence_picker(corpus.examples, key="rnn_sentence", from_url=view.from_url.get("s"))
if "beam" in view.from_url:
    st.session_state["beam_width"] = view.from_url["beam"]
view.show(s=text, beam=st.session_state.get("beam_width") or 1)
check = check_sentence(text)
if not check.ok:
    st.info(check.message, icon=":material/edit:")
    st.stop()

st.session_state.setdefault("beam_width", 1)
beam_width = st.segmented_control(
    "Decoding",
    list(range(1, MAX_BEAM_WIDTH + 1)),
    key="beam_width",
    format_func=lambda w: "greedy" if w == 1 else f"beam {w}",
    help="Greedy takes the likeliest word at every step; a beam keeps the "
    "best few partial translations and picks the likeliest whole one.",
)
trace = translate(
    trained.model, list(check.tokens), trained.source_vocab, trained.target_vocab, beam_width=beam_width or 1
)
reference = corpus.references.lookup(text)
gloss = gloss_sentence(corpus.lexicon, reference.german if reference else check.display_tokens)

rnn_column, gloss_column, reference_column = st.columns(3)
rnn_column.markdown("**Encoder–decoder RNN**")
rnn_column.markdown(f"### {ui.escape_markdown(detokenize(trace.translation))}")
gloss_column.markdown("**Word by word**")
gloss_column.markdown(f"### {ui.escape_markdown(gloss.line)}")  # an uploaded corpus's words
reference_column.markdown("**Correct English**")
if reference:
    reference_column.markdown(f"### {ui.escape_markdown(reference.english_text)}")
    right = [token.lower() for token in reference.english] == trace.translation
    rnn_column.markdown(":green[**✓ exactly right**]" if right else ":orange[**✗ not the reference**]")
else:
    reference_column.markdown(f"*Not known: this sentence is not in {ui.escape_markdown(corpus.name)}.*")
unknown = [token for token, known in zip(check.display_tokens, trace.source_known, strict=True) if not known]
if unknown:
    st.warning(
        f"The model has never seen {len(unknown)} of these words or symbols; it reads each as "
        "the same *unknown* token.",
        icon=":material/help:",
    )

total = rnn_charts.total_steps(trace)
source_count = len(trace.source_tokens)
if (
    st.session_state.get("rnn_step_for") != (text, model_key, beam_width)
    or "rnn_step" not in st.session_state
):
    st.session_state["rnn_step_for"] = (text, model_key, beam_width)
    st.session_state["rnn_step"] = total  # a new translation is shown whole
if "step" in view.from_url:
    if view.from_url["step"] > total:
        st.info(
            f"The link's step {view.from_url['step']} is past the last step, {total}.", icon=":material/info:"
        )
    st.session_state["rnn_step"] = min(view.from_url["step"], total)


def move_step(delta: int) -> None:
    st.session_state["rnn_step"] = min(max(st.session_state["rnn_step"] + delta, 0), total)


back_column, slider_column, next_column = st.columns([1.4, 6, 1.4], vertical_alignment="bottom")
back_column.button(
    "Back", key="step_back", icon=":material/chevron_left:", on_click=move_step, args=(-1,), width="stretch"
)
next_column.button(
    "Next", key="step_next", icon=":material/chevron_right:", on_click=move_step, args=(1,), width="stretch"
)
step = slider_column.slider(
    "Step through the translation",
    0,
    total,
    key="rnn_step",
    help=f"Steps 1–{source_count}: the encoder reads one German token each. "
    f"Then the decoder writes one English token a step.",
)
view.show(step=None if step == total else step)
if step <= source_count:
    st.caption(f"Step {step} of {total}: the encoder has read {step} of {source_count} German tokens.")
else:
    st.caption(
        f"Step {step} of {total}: the encoder is done; the decoder has written "
        f"{step - source_count} of {total - source_count} tokens."
    )
ui.chart(rnn_charts.encoder_decoder_diagram(trace, step), key="rnn_diagram", enlarge=False)
st.caption(
    "The encoder (top row) reads the German; only its last state, the context vector, "
    "crosses to the decoder (the row below), which writes the English one token at a time."
)

order = rnn_charts.unit_order(trace.encoder_states)
labels = list(check.display_tokens)
st.subheader("Inside the encoder")
ui.chart(
    rnn_charts.hidden_state_heatmap(
        trace.encoder_states,
        labels,
        "Encoder hidden state after each German token",
        order=order,
        highlight_last=True,
    ),
    key="encoder_heatmap",
)
st.caption(
    "Each column is the encoder's memory after reading that token; each row is one of its "
    f"{trace.encoder_states.shape[1]} numbers. Red is positive, blue negative."
)
st.markdown(f"**The context vector: the whole sentence in {trace.context.shape[0]} numbers**")
ui.chart(rnn_charts.context_vector_figure(trace.context, order), key="context_vector")
st.caption(
    "The encoder's last column, alone. It is the only thing the decoder is given; everything the "
    "translation needs has to fit in here."
)

st.subheader("Inside the decoder")
output_labels = trace.output_tokens
ui.chart(
    rnn_charts.hidden_state_heatmap(
        trace.decoder_states,
        output_labels,
        "Decoder hidden state at each step, labelled with the word it wrote",
    ),
    key="decoder_heatmap",
)
st.caption("The decoder starts from the context vector and changes its state with every word it writes.")
decoded = max(step - source_count, 0)
ui.chart(rnn_charts.top_k_figure(trace, up_to_step=decoded if step < total else None), key="top_k")
st.caption(
    "At every step, the five words the decoder found likeliest, with their probabilities; the "
    "chosen word is outlined. A confident model puts almost everything on one word."
)
if trace.attention is not None:
    ui.chart(rnn_charts.attention_heatmap(trace), key="attention")
    st.caption("Attention: for each English word (row), how much the decoder looked at each German word.")
