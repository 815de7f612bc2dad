"""Training a model in the page: the settings (also read from a link), the Train button and the
shared queue, live progress while it runs, and what happens when it ends."""

from __future__ import annotations

import statistics

import streamlit as st

from rnn_demo.app import labels, resources, session, watching
from rnn_demo.app.models import DEFAULT_CHOICE, MODEL_CHOICE, YOURS
from rnn_demo.app.training_settings import settings_config, settings_widgets
from rnn_demo.app.widgets import escape_markdown, model_download
from rnn_demo.lessons.corpora import Corpus
from rnn_demo.lessons.expectations import PIECES_PER_WORD, REAL_TEXT_TOKENS_PER_SECOND, what_to_expect
from rnn_demo.training.config import TrainConfig, Watched
from rnn_demo.training.memory import NotEnoughMemory
from rnn_demo.training.registry import Job, ModelKey, QueueFull, Registry

JOB_KEY = "rnn_job_key"  # the ModelKey of the training this session asked for
ADOPTED = "rnn_adopted"  # the last own model shown once it was trained (the visitor may switch back)


def use_own_model(key: ModelKey) -> None:
    """Show the session's newly trained (or loaded) model, once; the visitor may switch back."""
    st.session_state[session.OWN_MODEL_KEY] = key
    st.session_state[MODEL_CHOICE] = YOURS
    st.session_state[ADOPTED] = key


def session_job(registry: Registry) -> Job | None:
    """The training this session asked for; a finished one becomes the model shown (once)."""
    key = st.session_state.get(JOB_KEY)
    job = registry.job(key) if key is not None else None
    if job is not None and job.status == "done" and st.session_state.get(ADOPTED) != key:
        use_own_model(key)  # a stopped training is offered, not adopted
    return job


def follow_link_to_own_model(from_url: dict, registry: Registry, corpus: Corpus) -> None:
    """A link to a model trained in the page names it by its settings: show it if this server has
    trained it, else say so (and show the shipped plain RNN, with the settings ready to train)."""
    if from_url.get("model") != YOURS:
        return
    linked = ModelKey.trained(corpus.key, settings_config(corpus.uploaded))
    if registry.model(linked) is not None:
        use_own_model(linked)
        return
    from_url["model"] = DEFAULT_CHOICE
    st.info(
        "This link shows a model trained in the page, and this server has not trained it (yet). "
        f"Its settings are filled in under **{labels.TRAIN_EXPANDER}**: press **Train** to train it. "
        "Meanwhile you see the shipped plain RNN.",
        icon=":material/info:",
    )


def show_progress(job: Job, registry: Registry) -> None:
    latest = job.latest
    if job.status == "waiting":
        st.info(
            f"{labels.WAITING_IN_QUEUE}: this one is number {registry.position(job)} "
            "in the queue. The server trains one model at a time.",
            icon=":material/hourglass_top:",
        )
        return
    if latest is None:
        st.progress(0.0, text=f"{labels.PREPARING_DATA}…")
        return
    budget = job.config.time_budget_s
    accuracy = "not measured yet" if latest.held_out_exact is None else f"{latest.held_out_exact:.0%}"
    st.progress(
        min(latest.elapsed_s / budget, 1.0),
        text=f"{min(latest.elapsed_s, budget):.0f} of {budget:.0f} s · loss {latest.loss:.2f} · "
        f"held-out exact "
        f"match {accuracy} · {latest.tokens_per_second:,.0f} tokens/s · "
        f"about {latest.seconds_left:.0f} s left",
    )


@st.fragment(run_every=1.0)
def _live_training(job_key: ModelKey) -> None:
    """Reruns on its own every second while a training runs, so the progress moves. Every waiting
    session does this, so it must stay cheap: the figure is built once per progress report for all."""
    registry = resources.model_registry()
    job = registry.job(job_key)
    if job is None:
        return
    if job.active:
        show_progress(job, registry)
        if st.button("Stop training", key="stop_training", icon=":material/stop_circle:"):
            job.stop()
        if job.latest is not None:
            watching.live_view(job)
        return
    st.rerun()  # finished: redraw the whole page with the new model


def not_enough_memory(refusal: str) -> None:
    """Why a training was not started: `refusal` says how much memory is left and how much it needs."""
    st.warning(
        f"{labels.NOT_ENOUGH_MEMORY} ({refusal}), so it was not started. The shipped models are "
        "ready meanwhile. Try again in a few minutes, when fewer people are using the app, or run the "
        "app on your own computer (`streamlit run streamlit_app.py`), where a training has room.",
        icon=":material/memory:",
    )


def _finished_training_notice(job: Job, registry: Registry) -> None:
    if job.status == "refused":
        not_enough_memory(job.error)
    elif job.status == "failed":
        st.error(
            f"{labels.TRAINING_FAILED} ({job.error}). The previous model is still in use.",
            icon=":material/error:",
        )
    elif job.status == "stopped" and st.session_state.get(ADOPTED) != job.key:
        exact = job.result.held_out_exact if job.result is not None else None
        learned = (
            ""
            if exact is None
            else f" It had learned to translate {exact:.0%} of held-out sentences exactly."
        )
        why = (
            f"{labels.STOPPED_FOR_MEMORY} ({job.error}), so it stopped early and the model in use stays "
            "as it was."
            if job.error
            else "The training was stopped, so the model in use stays as it was."
        )
        st.warning(why + learned, icon=":material/stop_circle:")
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
        shared += f" {labels.TRAININGS_RUN}: {registry.trainings_started}."
        st.success(
            f"{labels.TRAINED} {what}: {exact:.0%} of held-out sentences translated exactly. "
            f"It is now the model below.{shared}",
            icon=":material/check_circle:",
        )
        model_download(
            job.result,
            f"trained-h{job.config.hidden_size}-seed{job.config.seed}",
            "trained_download",
            "Download this model",
        )
        show_progress(job, registry)
        watching.replay(job)


def _expectation(registry: Registry, corpus: Corpus, config: TrainConfig) -> str:
    """What to expect from this budget on this corpus, from this server's last training of real text
    (or the rate measured on this project's machine)."""
    try:
        pairs, _ = corpus.training_data(config)
    except ValueError as error:  # no sentences of the chosen lengths: the Train button says so too
        return str(error)
    rate = registry.last_rate("pieces") or REAL_TEXT_TOKENS_PER_SECOND
    pieces_per_pair = PIECES_PER_WORD * statistics.fmean(len(pair.target_tokens) + 1 for pair in pairs)
    return what_to_expect(config.time_budget_s, rate, len(pairs), pieces_per_pair)


def training_panel(
    registry: Registry, corpus: Corpus, job: Job | None, on_screen: Watched | None, knobs: bool = True
) -> None:
    """The settings (unless `knobs` is False: presenter mode trains with the settings as they are) and
    the Train button, then the training's progress or how it ended. A new training translates the
    sentence `on_screen` (and a few held-out ones) at every check."""
    config = settings_widgets(corpus.uploaded) if knobs else settings_config(corpus.uploaded)
    if st.button(
        "Train",
        key="train",
        type="primary",
        icon=":material/play_arrow:",
        disabled=job is not None and job.active,
    ):
        key = ModelKey.trained(corpus.key, config)
        try:
            watch = (on_screen,) if on_screen is not None else ()
            job = registry.request(key, config, corpus.training_data(config), watch)
        except ValueError as error:  # an uploaded corpus with no sentences of the chosen lengths
            st.warning(str(error), icon=":material/straighten:")
            return
        except NotEnoughMemory as error:
            not_enough_memory(str(error))
            return
        except QueueFull:
            st.warning(
                f"{registry.max_waiting} trainings are already waiting on this server. Try again in a "
                "minute or two; the shipped models are ready meanwhile.",
                icon=":material/hourglass_disabled:",
            )
            return
        st.session_state[JOB_KEY] = key
        if job.status == "done":  # somebody already trained exactly this model
            use_own_model(key)
    if job is not None and job.active:
        _live_training(job.key)
    elif job is not None:
        _finished_training_notice(job, registry)
    elif corpus.uploaded:
        st.caption(
            f"Trains on your corpus, {escape_markdown(corpus.name)}: its sentences of up to the "
            "longest length above, at most as many as chosen, checked on its held-out sentences. "
            + _expectation(registry, corpus, config)
        )
    else:
        st.caption(
            "The shipped model was trained with these settings for longer. Train to watch the loss "
            "fall and the held-out accuracy rise; two people asking for the same settings share "
            "one training."
        )
