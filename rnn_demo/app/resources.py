"""What every session of the server shares, made once per server: the phrasebook and its dictionary,
the registry of models and trainings, and the figures that many sessions watch at once.
"""

from __future__ import annotations

import logging
import os
from functools import partial

import streamlit as st

from rnn_demo.data.corpus import ReferenceIndex, SentencePair, examples
from rnn_demo.figures.training_chart import training_curves as training_chart
from rnn_demo.lessons import bottleneck
from rnn_demo.lessons.corpora import PHRASEBOOK, Corpus
from rnn_demo.lessons.phrasebook_dictionary import phrasebook_dictionary
from rnn_demo.training.checkpoint import CheckpointError, load_checkpoint
from rnn_demo.training.config import TrainedModel
from rnn_demo.training.memory import check_room
from rnn_demo.training.registry import Job, ModelKey, Registry
from rnn_demo.training.translators import BOTTLENECK_MODELS, SHIPPED_MODELS
from rnn_demo.training.worker import train_in_subprocess

# The models that ship with the app, by id, remade by `python -m rnn_demo.training.train` (README)
SHIPPED_CHECKPOINTS = {model.id: model.checkpoint for model in SHIPPED_MODELS}

_log = logging.getLogger(__name__)
# Why a shipped model did not load (id -> reason), filled when the registry is made
SHIPPED_PROBLEMS: dict[str, str] = {}

# torch's CPU threads in the server. One: many sessions' translations share the machine's cores, and
# thread pools fighting over two cores were far slower.
TORCH_THREADS = max(1, int(os.environ.get("RNN_DEMO_TORCH_THREADS", "1")))


def training_threads() -> int:
    """How many CPU threads a training may use now: every core while the server serves at most one
    session (a laptop: its user waits for the training), one fewer once others are connected, so
    that their clicks are answered while it runs. Asked again every tenth of a second."""
    cores = os.cpu_count() or 1
    try:
        from streamlit.runtime import Runtime

        sessions = Runtime.instance()._session_mgr.num_active_sessions()  # no public count
    except Exception:  # no running server (a test), or streamlit changed: keep a core free
        sessions = 2
    return cores if sessions <= 1 else max(1, cores - 1)


@st.cache_resource(show_spinner="Loading the German→English dictionary of the phrasebook…")
def phrasebook_corpus() -> Corpus:
    """The built-in phrasebook, shared by every session: its dictionary is read from the shipped
    file once per server (learned again only if that file is missing or out of date)."""
    lexicon, pairs = phrasebook_dictionary()
    curated = examples()
    references = ReferenceIndex([example.pair for example in curated] + pairs)
    return Corpus(PHRASEBOOK, "the built-in phrasebook", lexicon, references, curated)


@st.cache_resource(show_spinner="Loading the trained models…")
def model_registry() -> Registry:
    """One registry per server: every session shares its models and its training queue."""
    import torch

    torch.set_num_threads(TORCH_THREADS)
    # Trainings run in a child process, so that the sessions watching one cannot starve it; one that
    # would not fit in the memory left is refused
    registry = Registry(partial(train_in_subprocess, torch_threads=training_threads), check_room=check_room)
    for name, path in SHIPPED_CHECKPOINTS.items():
        try:
            registry.add_model(ModelKey.shipped(name), load_checkpoint(path))
        except (OSError, CheckpointError) as error:  # the pages say this model is not available
            _log.warning("shipped model %s not loaded from %s: %s", name, path.name, error)
            missing = not isinstance(error, CheckpointError)
            SHIPPED_PROBLEMS[name] = "its file is missing" if missing else str(error)
    return registry


@st.cache_resource(max_entries=16, show_spinner=False)
def _training_figure(job_name: str, reports: int, marks: tuple, now_s: float | None, _job: Job):
    history = _job.history[:reports]
    return training_chart(
        [p.elapsed_s for p in history],
        [p.loss for p in history],
        [p.held_out_exact for p in history],
        marks,
        now_s,
    )


def training_curves(job: Job, marks: list[tuple[float, str]] = (), now_s: float | None = None):
    """The loss and accuracy chart of a training, built once per progress report (and replay position)
    and shared by every session watching it: thirty sessions each building a Plotly figure every second
    would take the CPU (and Python's lock) from the training they wait for."""
    return _training_figure(repr(job.key), len(job.history), tuple(marks), now_s, job)


def bottleneck_models() -> dict[str, TrainedModel]:
    """The shipped Bottleneck models that are installed, by id."""
    registry = model_registry()
    models = {model.id: registry.model(ModelKey.shipped(model.id)) for model in BOTTLENECK_MODELS}
    return {name: trained for name, trained in models.items() if trained is not None}


@st.cache_resource(show_spinner="Preparing 2,016 held-out sentences of 3 to 30 words (once per server)…")
def bottleneck_held_out() -> list[SentencePair]:
    """The Bottleneck page's held-out set: disjoint from the lexicon's and the models' training pairs."""
    return bottleneck.held_out_for(bottleneck_models().values())
