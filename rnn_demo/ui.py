"""The one module of the package that imports Streamlit: resources shared by every session, and the
widgets more than one page uses. Pages call these and stay thin; all the work is in pure modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from rnn_demo.checkpoint import load_checkpoint
from rnn_demo.corpus import Example, ReferenceIndex, examples
from rnn_demo.gloss import phrasebook_lexicon
from rnn_demo.lexicon import Lexicon
from rnn_demo.registry import Registry
from rnn_demo.text import MAX_SENTENCE_CHARS, MAX_SENTENCE_WORDS


def use_app_navigation() -> None:
    """Call first in every page. On a fresh server, before any session has run streamlit_app.py,
    Streamlit still assumes the old `pages/` folder convention: a deep link such as /encoder_decoder
    then runs the page alone, without our navigation and page settings. Switch that off and rerun,
    which goes through streamlit_app.py and lands on the same page.

    Only a session's first run can be such a deep link; later runs are never rerun here, since a
    rerun would drop the button click that started them.
    """
    from streamlit.runtime.pages_manager import PagesManager

    first_run = not st.session_state.get("_navigation_checked", False)
    st.session_state["_navigation_checked"] = True
    if first_run and PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


TYPE_YOUR_OWN = "✏️ Type your own German sentence…"
# The browser cuts a paste at this length. It is far above the sentence limit on purpose: a long paste
# reaches check_sentence, which says how long it was and what the limit is, instead of being cut silently.
MAX_PASTE_CHARS = 20_000


@dataclass(frozen=True)
class WordByWord:
    lexicon: Lexicon
    references: ReferenceIndex  # typed sentence -> its reference translation, if the phrasebook has it
    examples: list[Example]


@st.cache_resource(show_spinner="Learning a German→English dictionary from the phrasebook…")
def word_by_word() -> WordByWord:
    """Shared by every session: the lexicon is learned once per server (about a second)."""
    lexicon, pairs = phrasebook_lexicon()
    curated = examples()
    return WordByWord(lexicon, ReferenceIndex([e.pair for e in curated] + pairs), curated)


def sentence_picker(curated: list[Example], key: str = "sentence") -> str:
    """An example picker with a "type your own" choice; returns the German text to work on."""
    labels = [f"{example.label} — {example.pair.german_text}" for example in curated] + [TYPE_YOUR_OWN]
    choice = st.selectbox(
        "German sentence",
        labels,
        key=f"{key}_choice",
        help="One example for each way German word order differs from English.",
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
        f"Up to {MAX_SENTENCE_CHARS} characters and {MAX_SENTENCE_WORDS} words. Sentences from the "
        "phrasebook come with their correct English; any other sentence gets its gloss alone."
    )
    return text


_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def escape_markdown(text: str) -> str:
    """Typed text shown inside markdown: backslash-escape all ASCII punctuation, so that links,
    images, emphasis, colour directives (":red[...]") and LaTeX stay plain characters."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# The models that ship with the app, remade by `python -m rnn_demo.train` (see the README)
SHIPPED_CHECKPOINTS = {
    "rnn": Path(__file__).parent / "checkpoints" / "rnn.safetensors",
    "attention": Path(__file__).parent / "checkpoints" / "attention.safetensors",
    "bottleneck_rnn": Path(__file__).parent / "checkpoints" / "bottleneck_rnn.safetensors",
    "bottleneck_attention": Path(__file__).parent / "checkpoints" / "bottleneck_attention.safetensors",
}


def shipped_key(kind: str) -> tuple[str, str]:
    return ("shipped", kind)


@st.cache_resource(show_spinner="Loading the trained models…")
def model_registry() -> Registry:
    """One registry per server: every session shares its models and its training queue."""
    registry = Registry()
    for kind, path in SHIPPED_CHECKPOINTS.items():
        if path.exists():
            registry.add_model(shipped_key(kind), load_checkpoint(path))
    return registry


@st.cache_resource(show_spinner="Preparing 2,016 held-out sentences of 3 to 30 words (once per server)…")
def bottleneck_held_out() -> list:
    """The Bottleneck page's held-out set: disjoint from the lexicon's and the models' training pairs."""
    from rnn_demo.bottleneck import held_out_by_length, training_keys
    from rnn_demo.gloss import LEXICON_PAIRS, LEXICON_SEED

    registry = model_registry()
    trainings = [(LEXICON_PAIRS, LEXICON_SEED, 12)]
    for kind in ("bottleneck_rnn", "bottleneck_attention"):
        trained = registry.model(shipped_key(kind))
        if trained is not None:
            trainings.append((trained.config.train_pairs, trained.config.seed, trained.config.max_words))
    return held_out_by_length(training_keys(trainings))
