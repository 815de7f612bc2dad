"""Does attention look at the right German word? Its alignments scored against the phrasebook's gold.

An English word's *link* is the German token it takes most from: for the attention model the token
with the highest attention weight while it writes that word (reading the reference translation,
teacher forcing, so every model is scored on the same English words); for the word-by-word
dictionary, IBM Model 1's most likely German source of it. Both are scored by the alignment error
rate (Och and Ney 2003, `evaluate.alignment_error_rate`) against the gold links that the phrasebook
writes with every pair.

The gold links are sure or possible. A link of an English word that has one German partner is sure
("help" - "helfen"). An English word made from several German words ("visited" - "hast ... besucht")
can be linked to any of them, and a model links it to one: each of those links is possible. English
punctuation is not scored (the dictionary knows no punctuation); German punctuation stays a token
the attention may point at, and a link to it is wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from rnn_demo.core.evaluate import LENGTH_BUCKETS, Links, alignment_error_rate, bucket_of
from rnn_demo.core.lexicon import Lexicon, model1_links
from rnn_demo.core.text import is_word
from rnn_demo.core.translate import attention_batch
from rnn_demo.data.corpus import SentencePair
from rnn_demo.training.config import TrainedModel
from rnn_demo.training.translators import BOTTLENECK_ATTENTION, WORD_BY_WORD

# The aligners, by their translators' ids: the attention model, and the dictionary's alignment (IBM
# Model 1, which the dictionary is learned with)
ATTENTION, MODEL1 = BOTTLENECK_ATTENTION.id, WORD_BY_WORD.id
ALL_LENGTHS = (LENGTH_BUCKETS[0][0], LENGTH_BUCKETS[-1][1])  # 3-30: every band together


@dataclass(frozen=True)
class AlignmentRow:
    aligner: str  # ATTENTION or MODEL1
    low: int  # the length band, in German words (3-30: all of them)
    high: int
    sentences: int
    links: int  # English words scored (one predicted link each)
    aer: float  # 0-1, lower is better


def gold_links(pair: SentencePair) -> tuple[Links, Links]:
    """(sure, possible) gold links (German index, English index) of the English words of a pair."""
    partners = Counter(e for _, e in pair.alignment)
    scored = [(g, e) for g, e in pair.alignment if is_word(pair.english[e])]
    sure = {(g, e) for g, e in scored if partners[e] == 1}
    return sure, {(g, e) for g, e in scored if partners[e] > 1}


def strongest_links(weights: np.ndarray, english: Sequence[str]) -> Links:
    """Each English word's strongest German token: weights (U, T), a row per English token."""
    return {(int(np.argmax(weights[u])), u) for u, token in enumerate(english) if is_word(token)}


def attention_alignments(trained: TrainedModel, pairs: Sequence[SentencePair]) -> list[Links]:
    """The attention model's links for each pair, reading its shown English translation."""
    if trained.config.vocabulary != "words":  # the gold links are between words
        raise ValueError("alignments are scored for models of whole words, not of subword pieces")
    sources, targets = [list(pair.key) for pair in pairs], [list(pair.target_tokens) for pair in pairs]
    weights = attention_batch(trained.model, sources, targets, trained.source_vocab, trained.target_vocab)
    return [strongest_links(w, pair.english) for w, pair in zip(weights, pairs, strict=True)]


def model1_alignments(lexicon: Lexicon, pairs: Sequence[SentencePair]) -> list[Links]:
    """IBM Model 1's links for each pair (an English word no German word explains gets none)."""
    alignments = []
    for pair in pairs:
        sources = model1_links(lexicon, pair.german, pair.english)
        alignments.append(
            {(g, e) for e, g in enumerate(sources) if g is not None and is_word(pair.english[e])}
        )
    return alignments


def error_rates_by_length(
    aligner: str, predicted: Sequence[Links], pairs: Sequence[SentencePair]
) -> list[AlignmentRow]:
    """The AER of one aligner in each length band that has sentences, then over all of them."""
    gold = [gold_links(pair) for pair in pairs]
    bands: dict[tuple[int, int], list[int]] = {}
    for index, pair in enumerate(pairs):
        bands.setdefault(bucket_of(pair.word_count), []).append(index)
    groups = [(band, bands[band]) for band in LENGTH_BUCKETS if band in bands]
    rows = []
    for (low, high), indices in [*groups, (ALL_LENGTHS, list(range(len(pairs))))]:
        rows.append(
            AlignmentRow(
                aligner,
                low,
                high,
                len(indices),
                sum(len(predicted[i]) for i in indices),
                alignment_error_rate(
                    [predicted[i] for i in indices],
                    [gold[i][0] for i in indices],
                    [gold[i][1] for i in indices],
                ),
            )
        )
    return rows


def measure_alignments(
    lexicon: Lexicon, attention: TrainedModel, pairs: Sequence[SentencePair]
) -> list[AlignmentRow]:
    """AER by length for the attention model and for IBM Model 1, on the same pairs."""
    return [
        *error_rates_by_length(ATTENTION, attention_alignments(attention, pairs), pairs),
        *error_rates_by_length(MODEL1, model1_alignments(lexicon, pairs), pairs),
    ]


@dataclass(frozen=True)
class ErrorRatesByLength:
    """Alignment rows reshaped for a chart: a label per length band, each aligner's AER in them."""

    labels: list[str]  # "3–5", "6–10", ...
    error_rates: dict[str, list[float]]  # aligner -> AER (%) per band, for the aligners measured in each
    overall: dict[str, AlignmentRow]  # aligner -> its row over all lengths, where there is one


def error_rates_by_aligner(rows: Sequence[AlignmentRow]) -> ErrorRatesByLength:
    bands = [(r.low, r.high) for r in rows if r.aligner == ATTENTION and (r.low, r.high) != ALL_LENGTHS]
    by_key = {(r.aligner, r.low, r.high): r for r in rows}
    aligners = (ATTENTION, MODEL1)
    return ErrorRatesByLength(
        [f"{low}–{high}" for low, high in bands],
        {
            aligner: [100 * by_key[aligner, low, high].aer for low, high in bands]
            for aligner in aligners
            if all((aligner, low, high) in by_key for low, high in bands)
        },
        {aligner: by_key[aligner, *ALL_LENGTHS] for aligner in aligners if (aligner, *ALL_LENGTHS) in by_key},
    )


class WordLink(NamedTuple):
    english: str
    looks_at: str  # the German token it takes most from
    right: tuple[str, ...]  # its gold German words (none for a word the German does not say)
    moved: bool  # its German word and a neighbour's stand in the other order (help me <- mir helfen)


def word_links(weights: np.ndarray, pair: SentencePair) -> list[WordLink]:
    """For each English word of a pair (weights (U, T), a row per English token of `pair.english`):
    the German token it looks at most, the right ones, and whether it moved: for a caption and a test."""
    gold: dict[int, list[int]] = {}
    for g, e in sorted(pair.alignment):
        gold.setdefault(e, []).append(g)
    order = [(e, min(gold[e])) for e in sorted(gold) if is_word(pair.english[e])]  # in English order
    moved = {
        e for n, (e, g) in enumerate(order)
        if (n > 0 and order[n - 1][1] > g) or (n + 1 < len(order) and order[n + 1][1] < g)
    }
    return [
        WordLink(pair.english[e], pair.german[g], tuple(pair.german[i] for i in gold.get(e, ())), e in moved)
        for g, e in sorted(strongest_links(weights, pair.english), key=lambda link: link[1])
    ]
