"""The corpus a session learns from: the built-in phrasebook, or sentence pairs a user uploaded.

A page asks its corpus for everything that depends on the data: example sentences, the reference of
a typed sentence, the word-by-word lexicon, and what a training learns from. The corpus's key is part
of every trained model's registry key, so only sessions with the same data share a model.

    >>> from rnn_demo.data.corpus import generate_pairs
    >>> corpus = uploaded_corpus("pairs.tsv", generate_pairs(300, seed=1))
    >>> corpus.key.startswith("upload-"), len(corpus.train_pairs) + len(corpus.held_out)
    (True, 300)
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from rnn_demo.core.lexicon import Lexicon, train_model1
from rnn_demo.data.corpus import Example, ReferenceIndex, SentencePair
from rnn_demo.data.upload import split_held_out
from rnn_demo.lessons.gloss import Gloss, gloss_sentence
from rnn_demo.training.config import HELD_OUT_SIZE, TrainConfig

PHRASEBOOK = "phrasebook"
# The lexicon's table t(e | f) has a cell per German and English type: 2,000 x 2,000 is 32 MB while
# it is learned. Rarer words are glossed as unknown.
MAX_LEXICON_TYPES = 2_000
UPLOAD_LEXICON_PAIRS = 50_000  # pairs the lexicon learns from: plenty for the frequent words it keeps
# Real text is noisy: an upload's lexicon glosses a word only if it can place it (core/lexicon.py):
# seen 3 times or more, a best translation of t(e | f) >= 0.2, and standing for 0.3 English words or
# more per occurrence (words that stand for something get 0.5 to 1 and more; redundant ones, about
# 0.25). The phrasebook's lexicon places every word it has seen: its pairs are clean, and its weakest
# words are far above these bounds (t >= 0.31, fertility >= 0.5).
UPLOAD_GLOSS_RULE = {"min_count": 3, "min_probability": 0.2, "min_fertility": 0.3}
EXAMPLE_COUNT = 8


@dataclass(frozen=True)
class Corpus:
    key: str  # PHRASEBOOK, or "upload-" and a digest of the pairs
    name: str  # for the page
    lexicon: Lexicon  # the word-by-word baseline, learned from this corpus
    references: ReferenceIndex  # typed German sentence -> its pair, if the corpus holds it
    examples: list[Example]  # for the sentence pickers
    # An upload's pairs. The phrasebook has none here: each training generates its own from its config.
    train_pairs: list[SentencePair] = field(default_factory=list)
    held_out: list[SentencePair] = field(default_factory=list)

    @property
    def uploaded(self) -> bool:
        return self.key != PHRASEBOOK

    def training_data(self, config: TrainConfig) -> tuple[list[SentencePair], list[SentencePair]] | None:
        """What a training with `config` learns from and is checked on: None for the phrasebook (the
        trainer generates it from the config); for an upload, its training pairs of up to
        `config.max_words` German words, at most `config.train_pairs` of them, and its held-out pairs
        of those lengths. Raises ValueError, with what to change, if either is empty."""
        if not self.uploaded:
            return None
        train = [pair for pair in self.train_pairs if pair.word_count <= config.max_words]
        held_out = [pair for pair in self.held_out if pair.word_count <= config.max_words]
        if not train or not held_out:
            raise ValueError(
                f"Your corpus has no {'training' if not train else 'held-out'} sentences of up to "
                f"{config.max_words} German words. Raise the longest training sentence."
            )
        return train[: config.train_pairs], held_out[:HELD_OUT_SIZE]

    def look_up(self, text: str, typed_tokens: Sequence[str]) -> tuple[SentencePair | None, Gloss]:
        """A typed sentence's pair, if the corpus holds it, and its word-by-word gloss: of the pair's
        German as the corpus writes it (nouns capitalised), else of the tokens as they were typed."""
        reference = self.references.lookup(text)
        return reference, gloss_sentence(self.lexicon, reference.german if reference else typed_tokens)

    @property
    def held_out_sentences(self) -> list[SentencePair]:
        """The held-out pairs, one per German sentence (its first translation), for scoring."""
        first: dict[tuple[str, ...], SentencePair] = {}
        for pair in self.held_out:
            first.setdefault(pair.key, pair)
        return list(first.values())


def digest(pairs: Sequence[SentencePair], seed: int) -> str:
    """Names the data: the same pairs (in the same order) and split seed give the same digest."""
    text = "\n".join(f"{' '.join(pair.german)}\t{' '.join(pair.english)}" for pair in pairs)
    return hashlib.sha256(f"{seed}\n{text}".encode()).hexdigest()[:16]


def spread_examples(pairs: Sequence[SentencePair], count: int = EXAMPLE_COUNT) -> list[Example]:
    """`count` pairs of different German sentences, from the shortest to the longest."""
    by_length = sorted({pair.key: pair for pair in pairs}.values(), key=lambda pair: pair.word_count)
    if len(by_length) > count:
        by_length = [by_length[round(i * (len(by_length) - 1) / (count - 1))] for i in range(count)]
    return [Example(f"Held out, {pair.word_count} words", "held_out", pair) for pair in by_length]


def uploaded_corpus(name: str, pairs: Sequence[SentencePair], seed: int = 0) -> Corpus:
    """A corpus of uploaded pairs: split into training and held-out pairs (no German sentence in both),
    with a lexicon learned from the training pairs. Examples come from the held-out pairs, so the
    models have not seen them."""
    train, held_out = split_held_out(pairs, seed=seed)
    lexicon = train_model1(
        [(pair.key, pair.english) for pair in train[:UPLOAD_LEXICON_PAIRS]],
        max_types=MAX_LEXICON_TYPES,
        **UPLOAD_GLOSS_RULE,
    )
    return Corpus(
        f"upload-{digest(pairs, seed)}",
        name,
        lexicon,
        ReferenceIndex(pairs),
        spread_examples(held_out),
        train,
        held_out,
    )
