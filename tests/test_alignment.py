"""Alignments scored against gold links: the sure/possible rule, IBM Model 1's links, AER by length."""

import numpy as np
import pytest

from rnn_demo.core.lexicon import model1_links, train_model1
from rnn_demo.data.corpus import SentencePair
from rnn_demo.lessons.alignment import error_rates_by_length, gold_links, strongest_links, word_links

BOOK = SentencePair(
    german=("Kannst", "du", "mir", "helfen", ",", "diesen", "Satz", "zu", "übersetzen", "?"),
    english=("Can", "you", "help", "me", "translate", "this", "sentence", "?"),
    alignment=((0, 0), (1, 1), (2, 3), (3, 2), (5, 5), (6, 6), (8, 4), (9, 7)),
    german_tags=("AUX", "PRON", "PRON", "VERB", "PUNCT", "DET", "NOUN", "PART", "VERB", "PUNCT"),
    phenomena=frozenset(),
)
# "visited" is made of two German words: either link is possible, neither sure
PERFECT = SentencePair(
    german=("Du", "hast", "Anna", "besucht", "."),
    english=("You", "visited", "Anna", "."),
    alignment=((0, 0), (1, 1), (3, 1), (2, 2), (4, 3)),
    german_tags=("PRON", "AUX", "PROPN", "VERB", "PUNCT"),
    phenomena=frozenset(),
)


def test_gold_links_are_sure_for_one_german_word_possible_for_several_and_skip_punctuation():
    sure, possible = gold_links(BOOK)
    assert sure == {(0, 0), (1, 1), (2, 3), (3, 2), (5, 5), (6, 6), (8, 4)}  # "?" - "?" left out
    assert possible == set()
    sure, possible = gold_links(PERFECT)
    assert sure == {(0, 0), (2, 2)} and possible == {(1, 1), (3, 1)}


def test_the_strongest_link_of_each_english_word():
    weights = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.5, 0.4, 0.1]])  # rows: English tokens
    assert strongest_links(weights, ["help", "me", "?"]) == {(0, 0), (2, 1)}  # "?" is not scored
    links, tags = ((1, 0), (0, 1), (2, 2)), ("PRON", "VERB", "PUNCT")
    pair = SentencePair(("mir", "helfen", "?"), ("help", "me", "?"), links, tags, frozenset())
    # help - helfen and me - mir cross: both moved
    assert word_links(weights, pair) == [("help", "mir", ("helfen",), True), ("me", "?", ("mir",), True)]
    book = word_links(np.eye(10)[[0, 1, 3, 2, 8, 5, 6, 9]], BOOK)  # every word at its gold German word
    assert all(link.looks_at in link.right for link in book)
    assert [link.english for link in book if link.moved] == ["help", "me", "translate", "this"]


def test_model1_links_each_english_word_to_its_likeliest_german_source():
    lexicon = train_model1([(["das", "Haus"], ["the", "house"]), (["das", "Buch"], ["the", "book"])])
    # "das" comes with "the" twice, "Haus" with "house" once and never with "book"
    assert model1_links(lexicon, ["Das", "Haus", "."], ["The", "house", "."]) == [0, 1, None]
    assert model1_links(lexicon, ["das", "Buch"], ["the", "dog"]) == [0, None]  # "dog" is unknown


def test_aer_by_length_band_and_over_all_lengths():
    """A perfect aligner (each sure link, and one of the possible ones for "visited") scores 0 in its
    band (3-5 words) and overall; one that links every word to the full stop scores 1."""
    pairs = [PERFECT, BOOK]
    perfect = [{(0, 0), (3, 1), (2, 2)}, {(0, 0), (1, 1), (2, 3), (3, 2), (5, 5), (6, 6), (8, 4)}]
    rows = error_rates_by_length("perfect", perfect, pairs)
    bands = [(r.low, r.high, r.sentences, r.links) for r in rows]
    assert bands == [(3, 5, 1, 3), (6, 10, 1, 7), (3, 30, 2, 10)]
    assert all(row.aer == 0 for row in rows)
    # the book's sentence with "help" linked to the comma: 1 - (6 + 6) / (7 + 7) = 1/7
    one_wrong = [perfect[0], perfect[1] - {(3, 2)} | {(4, 2)}]
    rows = error_rates_by_length("one wrong", one_wrong, pairs)
    assert rows[1].aer == pytest.approx(1 / 7)
    assert rows[2].aer == pytest.approx(1 - (8 + 9) / (10 + 9))  # PERFECT adds 2 sure hits, 3 possible
    to_stop = [{(4, e) for e in range(3)}, {(9, e) for e in range(7)}]
    assert all(row.aer == 1 for row in error_rates_by_length("full stop", to_stop, pairs))
