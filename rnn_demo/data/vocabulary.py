"""A model's vocabularies, bounded: the phrasebook has far fewer words than the bound, an uploaded
corpus may have many more, and the rarer ones are read as unknown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rnn_demo.core.text import SPECIAL_TOKENS, Vocabulary
from rnn_demo.data.corpus import SentencePair

MAX_VOCAB_WORDS = 5_000  # words per language a model learns; rarer ones (in an uploaded corpus) are UNK


def bounded_vocabularies(
    pairs: Sequence[SentencePair], max_words: int = MAX_VOCAB_WORDS
) -> tuple[Vocabulary, Vocabulary]:
    """German and English vocabularies of the `max_words` most frequent tokens each (plus the special
    tokens), of the tokens a model reads and writes: `pair.key` and `pair.target_tokens`."""
    size = max_words + len(SPECIAL_TOKENS)
    source = Vocabulary.build((pair.key for pair in pairs), max_size=size)
    target = Vocabulary.build((pair.target_tokens for pair in pairs), max_size=size)
    return source, target


@dataclass(frozen=True)
class UnknownShare:
    """How much of the text falls outside bounded vocabularies: words the model will read as <unk>."""

    german: float
    english: float
    examples: tuple[str, ...]  # a few of the most frequent German words left out


def unknown_share(pairs: Sequence[SentencePair], source: Vocabulary, target: Vocabulary) -> UnknownShare:
    german = Counter(token for pair in pairs for token in pair.key)
    english = Counter(token for pair in pairs for token in pair.target_tokens)
    german_unknown = {token: n for token, n in german.items() if token not in source}
    english_unknown = sum(n for token, n in english.items() if token not in target)
    examples = sorted(german_unknown, key=lambda token: (-german_unknown[token], token))[:5]
    return UnknownShare(
        sum(german_unknown.values()) / max(german.total(), 1),
        english_unknown / max(english.total(), 1),
        tuple(examples),
    )
