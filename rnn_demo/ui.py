"""The one module of the package that imports Streamlit: resources shared by every session, and the
widgets more than one page uses. Pages call these and stay thin; all the work is in pure modules.
"""

from __future__ import annotations

import os
import re
from functools import partial
from urllib.parse import urlencode

import streamlit as st

from rnn_demo import bottleneck, charts, url_state
from rnn_demo.bottleneck import CHECKPOINTS
from rnn_demo.checkpoint import load_checkpoint
from rnn_demo.corpora import PHRASEBOOK, Corpus
from rnn_demo.corpus import Example, ReferenceIndex, examples
from rnn_demo.gloss import phrasebook_lexicon
from rnn_demo.registry import Registry
from rnn_demo.text import MAX_SENTENCE_CHARS, MAX_SENTENCE_WORDS
from rnn_demo.train import TrainedModel
from rnn_demo.worker import train_in_subprocess


def use_app_navigation() -> None:
    """Call first in every page. On a fresh server, before any session has run streamlit_app.py,
    Streamlit still assumes the old `pages/` folder convention: a deep link such as /encoder_decoder
    then runs the page alone, without our navigation and page settings. Switch that off and rerun,
    which goes through streamlit_app.py and lands on the same page.

    Only a session's first run can be such a deep link; later runs are never rerun here, since a
    rerun would drop the button click that started them.
    """
    from streamlit.runtime.pages_manager import PagesManager

    keep_settings_across_pages()
    first_run = not st.session_state.get("_navigation_checked", False)
    st.session_state["_navigation_checked"] = True
    if first_run and PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


# Widgets whose values a session keeps while it visits other pages (Streamlit forgets the value of a
# widget that a run does not draw). Buttons are not settings and may not be listed.
SETTINGS_KEPT_ACROSS_PAGES = (
    "sentence_choice",
    "sentence_typed",
    "rnn_sentence_choice",
    "rnn_sentence_typed",
    "model_choice",
    "beam_width",
    "train_kind",
    "train_hidden",
    "train_embedding",
    "train_budget",
    "train_learning_rate",
    "train_max_words",
    "train_pairs",
    "train_seed",
    "hidden_model_choice",
    "hidden_include_examples",
    "hidden_sentences_typed",
    "hidden_chosen_sentence",
    "corpus_lengths",
)


def keep_settings_across_pages() -> None:
    """Called at the start of every page's run (by use_app_navigation)."""
    for key in SETTINGS_KEPT_ACROSS_PAGES:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


TYPE_YOUR_OWN = "✏️ Type your own German sentence…"
# The browser cuts a paste at this length. It is far above the sentence limit on purpose: a long paste
# reaches check_sentence, which says how long it was and what the limit is, instead of being cut silently.
MAX_PASTE_CHARS = 20_000


@st.cache_resource(show_spinner="Learning a German→English dictionary from the phrasebook…")
def word_by_word() -> Corpus:
    """The built-in phrasebook, shared by every session: its lexicon is learned once per server (about a
    second)."""
    lexicon, pairs = phrasebook_lexicon()
    curated = examples()
    references = ReferenceIndex([example.pair for example in curated] + pairs)
    return Corpus(PHRASEBOOK, "the built-in phrasebook", lexicon, references, curated)


def current_corpus() -> Corpus:
    """The corpus this session works on: one it uploaded and chose, else the phrasebook."""
    return st.session_state.get("corpus") or word_by_word()


def sentence_picker(curated: list[Example], key: str = "sentence", from_url: str | None = None) -> str:
    """An example picker with a "type your own" choice; returns the German text to work on.

    `from_url`: a sentence from a link, shown as its example if it is one, else as typed text.
    """
    labels = [f"{example.label} — {example.pair.german_text}" for example in curated] + [TYPE_YOUR_OWN]
    if from_url is not None:
        germans = [example.pair.german_text for example in curated]
        if from_url in germans:
            st.session_state[f"{key}_choice"] = labels[germans.index(from_url)]
        else:
            st.session_state[f"{key}_choice"] = TYPE_YOUR_OWN
            st.session_state[f"{key}_typed"] = from_url
    choice = st.selectbox(
        "German sentence",
        labels,
        key=f"{key}_choice",
        help="One example for each way German word order differs from English; with your own "
        "corpus, held-out sentences of different lengths.",
    )
    if choice != TYPE_YOUR_OWN:
        return curated[labels.index(choice)].pair.german_text
    text = st.text_input(
        "Your sentence",
        key=f"{key}_typed",
        max_chars=MAX_PASTE_CHARS,
        placeholder="z. B. Ich habe das Buch gelesen.",
        help=f"Up to {MAX_SENTENCE_CHARS} characters and {MAX_SENTENCE_WORDS} words. Press Enter to apply.",
    )
    st.caption(
        f"Up to {MAX_SENTENCE_CHARS} characters and {MAX_SENTENCE_WORDS} words. Sentences the corpus "
        "holds come with their correct English; any other sentence gets its gloss alone."
    )
    return text


_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def escape_markdown(text: str) -> str:
    """Typed text shown inside markdown: backslash-escape all ASCII punctuation, so that links,
    images, emphasis, colour directives (":red[...]") and LaTeX stay plain characters."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# The models that ship with the app, remade by `python -m rnn_demo.train` (see the README)
SHIPPED_CHECKPOINTS = {
    "rnn": CHECKPOINTS / "rnn.safetensors",
    "attention": CHECKPOINTS / "attention.safetensors",
    **{name: path for name, path in bottleneck.SHIPPED_MODELS.items()},  # keyed by their page names
}


def shipped_key(kind: str) -> tuple[str, str]:
    return ("shipped", kind)


# torch's CPU threads in the server, and in its training process. One: a training and many sessions'
# translations share the machine's cores, and thread pools fighting over two cores were far slower.
TORCH_THREADS = int(os.environ.get("RNN_DEMO_TORCH_THREADS", "1"))


@st.cache_resource(show_spinner="Loading the trained models…")
def model_registry() -> Registry:
    """One registry per server: every session shares its models and its training queue."""
    import torch

    torch.set_num_threads(max(1, TORCH_THREADS))
    # Trainings run in a child process, so that the sessions watching one cannot starve it
    registry = Registry(partial(train_in_subprocess, torch_threads=max(1, TORCH_THREADS)))
    for kind, path in SHIPPED_CHECKPOINTS.items():
        if path.exists():
            registry.add_model(shipped_key(kind), load_checkpoint(path))
    return registry


# The models a page can show, by their names in its URL: the shipped two and the session's own
MODEL_CHOICES = {
    "rnn": "Plain RNN (shipped)",
    "attention": "RNN + attention (shipped)",
    "yours": "Your model",
}


def own_model() -> TrainedModel | None:
    """The session's own model: one trained in the page (kept in the shared registry), or one loaded
    from a file (kept in the session alone, so that a visitor's upload leaves the server with them)."""
    key = st.session_state.get("rnn_own_model_key")
    loaded = st.session_state.get("loaded_model")
    if loaded is not None and loaded[0] == key:
        return loaded[1]
    return None if key is None else model_registry().model(key)


@st.cache_resource(max_entries=4, show_spinner=False)
def _training_figure(job_name: str, reports: int, _job):
    history = _job.history[:reports]
    return charts.training_curves(
        [p.elapsed_s for p in history], [p.loss for p in history], [p.held_out_exact for p in history]
    )


def training_curves(job):
    """The loss and accuracy chart of a training, built once per progress report and shared by every
    session watching it: thirty sessions each building a Plotly figure every second would take the
    CPU (and Python's lock) from the training they wait for."""
    return _training_figure(repr(job.key), len(job.history), job)


def bottleneck_models() -> dict[str, TrainedModel]:
    """The shipped Bottleneck models that are installed, by their names on the page."""
    registry = model_registry()
    models = {name: registry.model(shipped_key(name)) for name in bottleneck.SHIPPED_MODELS}
    return {name: trained for name, trained in models.items() if trained is not None}


@st.cache_resource(show_spinner="Preparing 2,016 held-out sentences of 3 to 30 words (once per server)…")
def bottleneck_held_out() -> list:
    """The Bottleneck page's held-out set: disjoint from the lexicon's and the models' training pairs."""
    return bottleneck.held_out_for(bottleneck_models().values())


# --- the view in the URL, and presenter mode ------------------------------------------------------

PRESENTER = "presenter"
PRESENTER_SCALE = 1.25
# Presenter mode: text and widgets a quarter larger (Streamlit sizes them in rem), less empty space
# at the top. A static style sheet, never built from user text.
_PRESENTER_CSS = """
<style>
html { font-size: 21px !important; }
[data-testid="stMainBlockContainer"] { padding: 2rem 2rem 4rem 2rem; max-width: none; }
</style>
"""


def presenter_mode() -> bool:
    return bool(st.session_state.get("presenter_mode", False))


class PageView:
    """A page's view kept in its URL's query parameters, so that a copied link reopens it.

    Create it first in a page: it reads a link the session has not seen yet (a newly opened or pasted
    URL), shows a notice for each setting it ignores, and draws the presenter switch and the "copy
    link" control in the sidebar. Then call `show(**values)` as the page's widgets are read.
    """

    def __init__(self, page: str, parameters: dict[str, url_state.Parameter], defaults: dict) -> None:
        self._page = page
        self._parameters = {**parameters, PRESENTER: url_state.switch()}
        self._defaults = {**defaults, PRESENTER: False}
        self._values: dict[str, object] = {}
        query = st.query_params.to_dict()
        self.from_url: dict[str, object] = {}
        if query != st.session_state.get(self._written_key):
            self.from_url, notices = url_state.read(query, self._parameters)
            for notice in notices:
                st.warning(f"This link: {escape_markdown(notice)}", icon=":material/link_off:")
            if PRESENTER in self.from_url:
                st.session_state["presenter_mode"] = self.from_url[PRESENTER]
        with st.sidebar:
            st.session_state["presenter_switch"] = presenter_mode()
            st.toggle(
                "Presenter mode",
                key="presenter_switch",
                on_change=lambda: st.session_state.update(
                    presenter_mode=st.session_state["presenter_switch"]
                ),
                help="For a projector: larger text and figures, no training settings, and big "
                "buttons to step through a translation.",
            )
            self._link_slot = st.empty()
        if presenter_mode():
            st.html(_PRESENTER_CSS)

    @property
    def _written_key(self) -> str:
        return f"_url_written_{self._page}"

    def show(self, **values: object) -> None:
        """Record part of the view and write the URL (only what differs from the defaults)."""
        self._values.update(values)
        query = url_state.write(
            {**self._values, PRESENTER: presenter_mode()}, self._parameters, self._defaults
        )
        if query != st.query_params.to_dict():
            st.query_params.from_dict(query)
        st.session_state[self._written_key] = query
        link = (st.context.url or "") + ("?" + urlencode(query) if query else "")
        with self._link_slot.container():
            with st.popover("Copy link to this view", icon=":material/link:", width="stretch"):
                st.caption(
                    "Anyone who opens this link sees this page as you see it now. Copy it with "
                    "the button at the right of the box."
                )
                st.code(
                    link or "(the link appears when the page is open in a browser)",
                    language=None,
                    wrap_lines=True,
                )


def chart(figure, key: str, enlarge: bool = True) -> None:
    """A Plotly figure without the mode bar (its buttons only distract in a lesson), with larger
    fonts in presenter mode (`enlarge=False` for a figure laid out in pixels around its text)."""
    if enlarge and presenter_mode():
        figure = charts.enlarged(figure, PRESENTER_SCALE)
    st.plotly_chart(figure, key=key, config={"displayModeBar": False})
