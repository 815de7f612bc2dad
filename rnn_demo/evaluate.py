"""Scores of a translation against its reference: exact match and BLEU (sacrebleu).

Both compare lower-cased words with punctuation removed, so that a word-by-word gloss (which has
no punctuation and no capitals) is judged on its words and their order only.

    >>> exact_match(["can", "you", "help", "me"], ["Can", "you", "help", "me", "?"])
    True
"""

from __future__ import annotations

from collections.abc import Sequence

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
