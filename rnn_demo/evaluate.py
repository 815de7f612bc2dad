"""Scores of translations against their references: exact match, BLEU and chrF (sacrebleu).

Both compare lower-cased words with punctuation removed, so that a word-by-word gloss (which has
no punctuation and no capitals) is judged on its words and their order only.

    >>> exact_match(["can", "you", "help", "me"], ["Can", "you", "help", "me", "?"])
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sacrebleu

from rnn_demo.text import words


def comparable_words(tokens: Sequence[str]) -> list[str]:
    """Lower-cased words, punctuation dropped: what the scores compare."""
    return [word.lower() for word in words(tokens)]


def exact_match(hypothesis: Sequence[str], reference: Sequence[str]) -> bool:
    return comparable_words(hypothesis) == comparable_words(reference)


def sentence_bleu(hypothesis: Sequence[str], reference: Sequence[str]) -> float:
    """BLEU (0-100) of one sentence, with sacrebleu's default smoothing for short sentences."""
    words = " ".join(comparable_words(hypothesis))
    return sacrebleu.sentence_bleu(words, [" ".join(comparable_words(reference))]).score


# --- many sentences, by length ----------------------------------------------------------------------

# German sentence lengths (words) grouped for the bottleneck charts; together they cover 3..30 once
LENGTH_BUCKETS: tuple[tuple[int, int], ...] = ((3, 5), (6, 10), (11, 15), (16, 20), (21, 25), (26, 30))


def bucket_of(word_count: int) -> tuple[int, int]:
    for low, high in LENGTH_BUCKETS:
        if low <= word_count <= high:
            return (low, high)
    raise ValueError(f"no length bucket holds {word_count} words (the range is 3 to 30)")


@dataclass(frozen=True)
class CorpusScores:
    sentences: int
    exact_match: float  # share of sentences, 0-1
    bleu: float  # corpus BLEU, 0-100
    chrf: float  # corpus chrF, 0-100


def corpus_scores(hypotheses: Sequence[Sequence[str]], references: Sequence[Sequence[str]]) -> CorpusScores:
    """Exact match, corpus BLEU and chrF of many translations, on comparable words."""
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} translations for {len(references)} references")
    if not hypotheses:
        return CorpusScores(0, 0.0, 0.0, 0.0)
    hypothesis_lines = [" ".join(comparable_words(h)) for h in hypotheses]
    reference_lines = [" ".join(comparable_words(r)) for r in references]
    exact = sum(h == r for h, r in zip(hypothesis_lines, reference_lines, strict=True)) / len(hypotheses)
    return CorpusScores(
        len(hypotheses),
        exact,
        sacrebleu.corpus_bleu(hypothesis_lines, [reference_lines]).score,
        sacrebleu.corpus_chrf(hypothesis_lines, [reference_lines]).score,
    )


def scores_by_length(
    hypotheses: Sequence[Sequence[str]], references: Sequence[Sequence[str]], word_counts: Sequence[int]
) -> dict[tuple[int, int], CorpusScores]:
    """corpus_scores for each length bucket that has sentences, in bucket order."""
    groups: dict[tuple[int, int], list[int]] = {}
    for index, count in enumerate(word_counts):
        groups.setdefault(bucket_of(count), []).append(index)
    return {
        bucket: corpus_scores(
            [hypotheses[i] for i in groups[bucket]], [references[i] for i in groups[bucket]]
        )
        for bucket in LENGTH_BUCKETS
        if bucket in groups
    }
