"""Corpus scores and length buckets, against hand-computed cases and properties."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnn_demo.core.evaluate import (
    LENGTH_BUCKETS,
    alignment_error_rate,
    bucket_of,
    corpus_scores,
    scores_by_length,
)


def test_perfect_and_hopeless_translations():
    references = [["the", "old", "dog", "sleeps", "."], ["i", "can", "see", "you", "."]]
    perfect = corpus_scores([["The", "old", "dog", "sleeps"], ["I", "can", "see", "you", "!"]], references)
    assert (perfect.sentences, perfect.exact_match) == (2, 1.0)
    assert perfect.bleu == pytest.approx(100) and perfect.chrf == pytest.approx(100)
    hopeless = corpus_scores([["xyz"], ["qqq"]], references)
    assert hopeless.exact_match == 0 and hopeless.bleu == pytest.approx(0, abs=1e-6)


def test_corpus_bleu_by_hand():
    # one sentence "a b c d e" against "a b c d f": precisions 4/5, 3/4, 2/3, 1/2, no brevity penalty
    scores = corpus_scores([["a", "b", "c", "d", "e"]], [["a", "b", "c", "d", "f"]])
    assert scores.bleu == pytest.approx(
        100 * math.exp((math.log(4 / 5) + math.log(3 / 4) + math.log(2 / 3) + math.log(1 / 2)) / 4), rel=1e-6
    )
    assert scores.exact_match == 0


def test_exact_match_is_a_share_of_sentences():
    scores = corpus_scores([["a"], ["b"], ["c"], ["x"]], [["a"], ["b"], ["c"], ["d"]])
    assert scores.exact_match == 0.75


def test_lengths_must_match():
    with pytest.raises(ValueError):
        corpus_scores([["a"]], [])


def test_buckets_cover_3_to_30_once_each():
    covered = [n for low, high in LENGTH_BUCKETS for n in range(low, high + 1)]
    assert covered == list(range(3, 31))
    with pytest.raises(ValueError):
        bucket_of(31)


@given(st.lists(st.integers(3, 30), min_size=1, max_size=60))
def test_every_sentence_is_scored_in_exactly_one_bucket(word_counts):
    sentences = [[str(n)] for n in range(len(word_counts))]
    by_length = scores_by_length(sentences, sentences, word_counts)
    assert sum(s.sentences for s in by_length.values()) == len(word_counts)
    for (low, high), s in by_length.items():
        assert s.sentences == sum(low <= n <= high for n in word_counts)
        assert s.exact_match == 1.0
    assert list(by_length) == [b for b in LENGTH_BUCKETS if b in by_length]


def test_alignment_error_rate_of_a_hand_made_alignment_computed_by_hand():
    """Kannst(0) du(1) mir(2) helfen(3) ,(4) diesen(5) Satz(6) zu(7) übersetzen(8) ?(9) against
    Can(0) you(1) help(2) me(3) translate(4) this(5) sentence(6) ?(7). Seven sure links, one possible
    (zu - translate). The aligner gets can, you, me and this right, links translate to zu (possible),
    help to the comma and sentence to diesen (both wrong): |A| = 7, |S| = 7, |A ∩ S| = 4, |A ∩ P| = 5
    (P holds S), so AER = 1 - 9/14 = 5/14. A second sentence with its one sure link found adds 1 to
    each count: 1 - (5 + 6) / (8 + 8) = 5/16."""
    sure = {(0, 0), (1, 1), (3, 2), (2, 3), (8, 4), (5, 5), (6, 6)}
    possible = {(7, 4)}
    predicted = {(0, 0), (1, 1), (4, 2), (2, 3), (7, 4), (5, 5), (5, 6)}
    assert alignment_error_rate([predicted], [sure], [possible]) == pytest.approx(5 / 14)
    both = alignment_error_rate([predicted, {(0, 0)}], [sure, {(0, 0)}], [possible, set()])
    assert both == pytest.approx(5 / 16)
    # every sure link and nothing else: 0; only links outside P: 1; a possible link alone costs nothing
    assert alignment_error_rate([sure], [sure], [possible]) == 0
    assert alignment_error_rate([{(9, 0), (9, 1)}], [sure], [possible]) == 1
    assert alignment_error_rate([sure | possible], [sure], [possible]) == 0
    with pytest.raises(ValueError):
        alignment_error_rate([predicted], [sure], [])
    with pytest.raises(ValueError, match="no links"):
        alignment_error_rate([set()], [set()], [set()])
