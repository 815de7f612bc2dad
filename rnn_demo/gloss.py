"""A word-by-word gloss of one sentence, and its scores against the reference: what the Word-by-word
page shows, computed without Streamlit.

    >>> from rnn_demo.lexicon import train_model1
    >>> lexicon = train_model1([(["das", "haus"], ["the", "house"]), (["das", "buch"], ["the", "book"])])
    >>> gloss_sentence(lexicon, ["Das", "Haus", "🏠", "."]).line
    'the house ?'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rnn_demo.corpus import SentencePair, generate_pairs
from rnn_demo.evaluate import exact_match, sentence_bleu
from rnn_demo.lexicon import Lexicon, train_model1

UNKNOWN_MARK = "?"
LEXICON_PAIRS = 10_000  # phrasebook pairs the app's lexicon is learned from (98-99% of words right)
LEXICON_SEED = 0


def phrasebook_lexicon(
    n_pairs: int = LEXICON_PAIRS, seed: int = LEXICON_SEED
) -> tuple[Lexicon, list[SentencePair]]:
    """The dictionary the app uses, learned from phrasebook pairs; also returns those pairs."""
    pairs = generate_pairs(n_pairs, seed=seed)
    lexicon = train_model1([(pair.key, [token.lower() for token in pair.english]) for pair in pairs])
    return lexicon, pairs


def is_punctuation(token: str) -> bool:
    """Unicode punctuation (".", ",", "„", "¿"): passed through, not looked up. Emoji and other
    symbols are not punctuation: the lexicon does not know them, so they are marked unknown."""
    return all(unicodedata.category(ch).startswith("P") for ch in token)


@dataclass(frozen=True)
class Gloss:
    german: tuple[str, ...]  # the German tokens as displayed
    glosses: tuple[str | None, ...]  # per token: its top English gloss, the punctuation itself, or None

    @property
    def unknown(self) -> tuple[int, ...]:
        """Positions of the tokens the lexicon has never seen."""
        return tuple(i for i, g in enumerate(self.glosses) if g is None)

    @property
    def words(self) -> list[str]:
        """The gloss as an English word sequence: punctuation dropped, unknown words as "?"."""
        return [
            UNKNOWN_MARK if g is None else g
            for token, g in zip(self.german, self.glosses, strict=True)
            if not is_punctuation(token)
        ]

    @property
    def line(self) -> str:
        return " ".join(self.words)


def gloss_sentence(lexicon: Lexicon, german: Sequence[str]) -> Gloss:
    glosses = tuple(token if is_punctuation(token) else _capital_i(lexicon.gloss(token)) for token in german)
    return Gloss(tuple(german), glosses)


def _capital_i(gloss: str | None) -> str | None:
    return "I" if gloss == "i" else gloss  # the lexicon is lower-cased; the pronoun is not


@dataclass(frozen=True)
class Scores:
    exact_match: bool
    bleu: float  # 0-100


def score(gloss: Gloss, reference: Sequence[str]) -> Scores:
    return Scores(exact_match(gloss.words, reference), sentence_bleu(gloss.words, reference))
