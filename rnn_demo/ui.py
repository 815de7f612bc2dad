"""The one module of the package that imports Streamlit: resources shared by every session, and the
widgets more than one page uses. Pages call these and stay thin; all the work is in pure modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

from rnn_demo.corpus import Example, ReferenceIndex, examples
from rnn_demo.gloss import phrasebook_lexicon
from rnn_demo.lexicon import Lexicon
from rnn_demo.text import MAX_SENTENCE_CHARS, MAX_SENTENCE_WORDS

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
