"""Scores of translations against their references: exact match, BLEU and chrF (sacrebleu).

Two rules of exact match, meant to differ:

- `same_words` compares lower-cased words with punctuation removed. Translators are scored against each
  other with it (and with BLEU and chrF on the same words), so that a word-by-word gloss, which has no
  punctuation and no capitals, is judged on its words and their order only.
- `same_tokens` compares every token, punctuation included, case aside: whether a model wrote the
  reference exactly. A model's held-out check during training and the page's "exactly right" use it.

    >>> same_words(["can", "you", "help", "me"], ["Can", "you", "help", "me", "?"])
    True
    >>> same_tokens(["can", "you", "help", "me"], ["Can", "you", "help", "me", "?"])
    False
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sacrebleu

from rnn_demo.core.text import lowered, words


def comparable_words(tokens: Sequence[str]) -> list[str]:
    """Lower-cased words, punctuation dropped: what the scores compare."""
    return lowered(words(tokens))


def same_words(hypothesis: Sequence[str], reference: Sequence[str]) -> bool:
    """Exact match of the words: case and punctuation do not count."""
    return comparable_words(hypothesis) == comparable_words(reference)


def same_tokens(hypothesis: Sequence[str], reference: Sequence[str]) -> bool:
    """Exact match of every token, punctuation included; case does not count."""
    return lowered(hypothesis) == lowered(reference)


def exactly_right(output: Sequence[str], references: Sequence[Sequence[str]]) -> bool:
    """Whether a model wrote one of a sentence's right translations (a German sentence may have several:
    "ihr Buch" is her book or their book) `same_tokens`; never for a sentence with none.

    >>> exactly_right(["her", "book", "."], [["Her", "book", "."], ["Their", "book", "."]])
    True
    """
    return any(same_tokens(output, reference) for reference in references)


def share_exactly_right(
    outputs: Sequence[Sequence[str]], references: Sequence[Sequence[Sequence[str]]]
) -> float:
    """The share of outputs that are `exactly_right`; 0 for no outputs."""
    if len(outputs) != len(references):
        raise ValueError(f"{len(outputs)} outputs for {len(references)} sets of references")
    right = sum(exactly_right(output, options) for output, options in zip(outputs, references, strict=True))
    return right / max(len(outputs), 1)


def closest_reference(hypothesis: Sequence[str], references: Sequence[Sequence[str]]) -> Sequence[str]:
    """The one of several right translations a translation is scored against: one it matches word for
    word, else the one it has the highest BLEU with (the first on a tie)."""
    if len(references) == 1:
        return references[0]
    for reference in references:
        if same_words(hypothesis, reference):
            return reference
    return max(references, key=lambda reference: sentence_bleu(hypothesis, reference))


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


# --- word alignments ---------------------------------------------------------------------------------

Links = set[tuple[int, int]]  # (source index, target index) pairs of one sentence


def alignment_error_rate(
    predicted: Sequence[Links], sure: Sequence[Links], possible: Sequence[Links]
) -> float:
    """Och and Ney's (2003) alignment error rate over many sentences, 0-1 (lower is better):

        AER = 1 - (|A ∩ S| + |A ∩ P|) / (|A| + |S|)

    with A the predicted links, S the sure gold links and P the possible ones, each summed over the
    sentences. A sure link is also possible (S is added to P), so an alignment that finds every sure
    link and nothing outside P scores 0.

        >>> alignment_error_rate([{(0, 0), (2, 1)}], [{(0, 0)}], [{(2, 1)}])
        0.0
    """
    if not len(predicted) == len(sure) == len(possible):
        raise ValueError(
            f"{len(predicted)} predicted alignments for {len(sure)} sure and {len(possible)} possible ones"
        )
    found = gold = hit_sure = hit_possible = 0
    for links, sure_links, possible_links in zip(predicted, sure, possible, strict=True):
        found += len(links)
        gold += len(sure_links)
        hit_sure += len(links & sure_links)
        hit_possible += len(links & (possible_links | sure_links))
    if found + gold == 0:
        raise ValueError("no links to score: neither predicted nor sure gold links")
    return 1 - (hit_sure + hit_possible) / (found + gold)
