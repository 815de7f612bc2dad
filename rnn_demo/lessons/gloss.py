"""A word-by-word gloss of one sentence, and its scores against the reference: what the Word-by-word
page shows, computed without Streamlit.

    >>> from rnn_demo.core.lexicon import train_model1
    >>> lexicon = train_model1([(["das", "haus"], ["the", "house"]), (["das", "buch"], ["the", "book"])])
    >>> gloss_sentence(lexicon, ["Das", "Haus", "🏠", "."]).line
    'the house ?'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rnn_demo.core.evaluate import closest_reference, same_words, sentence_bleu
from rnn_demo.core.lexicon import Lexicon, train_model1
from rnn_demo.core.text import is_punctuation
from rnn_demo.data.corpus import SentencePair, generate_pairs

UNKNOWN_MARK = "?"
PHRASEBOOK_LEXICON_PAIRS = 10_000  # pairs the app's dictionary is learned from (98-99% of words right)
LEXICON_SEED = 0


def phrasebook_lexicon(
    n_pairs: int = PHRASEBOOK_LEXICON_PAIRS, seed: int = LEXICON_SEED
) -> tuple[Lexicon, list[SentencePair]]:
    """The dictionary the app uses, learned from phrasebook pairs; also returns those pairs."""
    pairs = generate_pairs(n_pairs, seed=seed)
    lexicon = train_model1([(pair.key, pair.target_tokens) for pair in pairs])
    return lexicon, pairs


@dataclass(frozen=True)
class Gloss:
    german: tuple[str, ...]  # the German tokens as displayed
    glosses: tuple[str | None, ...]  # per token: its top English gloss, the punctuation itself, or None

    @property
    def unknown(self) -> tuple[int, ...]:
        """Positions of the tokens the lexicon cannot place (never seen, or not surely: see Lexicon)."""
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


def score(gloss: Gloss, references: Sequence[Sequence[str]]) -> Scores:
    """Exact match and BLEU against the closest of the sentence's right translations."""
    reference = closest_reference(gloss.words, references)
    return Scores(same_words(gloss.words, reference), sentence_bleu(gloss.words, reference))


def dictionary_entries(lexicon: Lexicon, german: Sequence[str], k: int = 3) -> list[dict[str, object]]:
    """For each German word (punctuation left out): its best gloss with its probability t(e | f), and
    the next candidates; as table rows."""
    rows = []
    for token in german:
        if is_punctuation(token):
            continue
        candidates = lexicon.glosses(token, k=k)
        unplaced = lexicon.unplaced(token)
        rows.append(
            {
                "German word": token,
                "Best gloss": f"{UNKNOWN_MARK} ({unplaced})" if unplaced else candidates[0][0],
                "Probability": candidates[0][1] if candidates and not unplaced else None,
                "Other candidates": ", ".join(
                    f"{word} ({p:.2f})" for word, p in (candidates if unplaced else candidates[1:])
                ),
            }
        )
    return rows
