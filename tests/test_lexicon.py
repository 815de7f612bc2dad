"""IBM Model 1: hand-computed EM steps, a plain-Python reference implementation, and lookups."""

import random
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_demo.core.lexicon import gold_lexicon, recovery_rate, train_model1

HOUSE_BOOK = [(["das", "haus"], ["the", "house"]), (["das", "buch"], ["the", "book"])]


def t(lexicon, english, german):
    return float(lexicon.translation[lexicon.german.index(german), lexicon.english.index(english)])


def test_one_em_iteration_by_hand():
    # t starts uniform (1/3). Iteration 1: each English word is shared equally among NULL, "das" and
    # the noun of its sentence (1/3 each). NULL and "das" collect the: 2/3, house: 1/3, book: 1/3
    # (total 4/3), so t(the|das) = 1/2, t(house|das) = 1/4; "haus" collects the: 1/3, house: 1/3.
    lexicon = train_model1(HOUSE_BOOK, iterations=1)
    assert t(lexicon, "the", "das") == pytest.approx(1 / 2)
    assert t(lexicon, "house", "das") == pytest.approx(1 / 4)
    assert t(lexicon, "house", "haus") == pytest.approx(1 / 2)
    assert t(lexicon, "book", "haus") == pytest.approx(0)


def test_two_em_iterations_by_hand():
    # Iteration 2, sentence 1: "the" is shared 1/2 : 1/2 : 1/2 -> 1/3 each; "house" 1/4 : 1/4 : 1/2
    # -> NULL 1/4, das 1/4, haus 1/2. "haus" collects the: 1/3, house: 1/2 (total 5/6), so
    # t(house|haus) = 3/5; "das" collects the: 2/3, house: 1/4, book: 1/4 (total 7/6): t(the|das) = 4/7.
    lexicon = train_model1(HOUSE_BOOK, iterations=2)
    assert t(lexicon, "house", "haus") == pytest.approx(3 / 5)
    assert t(lexicon, "the", "haus") == pytest.approx(2 / 5)
    assert t(lexicon, "the", "das") == pytest.approx(4 / 7)
    assert t(lexicon, "house", "das") == pytest.approx(3 / 14)


def reference_model1(pairs, iterations):
    """Model 1 written the textbook way: loops and dictionaries, one sentence at a time."""
    english_types = sorted({e for _, es in pairs for e in es})
    table = defaultdict(lambda: 1.0 / len(english_types))
    for _ in range(iterations):
        counts, totals = defaultdict(float), defaultdict(float)
        for german, english in pairs:
            sources = ["<null>", *german]
            for e in english:
                norm = sum(table[(f, e)] for f in sources)
                for f in sources:
                    counts[(f, e)] += table[(f, e)] / norm
                    totals[f] += table[(f, e)] / norm
        table = defaultdict(float, {(f, e): c / totals[f] for (f, e), c in counts.items()})
    return table


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), iterations=st.integers(1, 5))
def test_vectorised_model1_equals_the_textbook_loops(seed, iterations):
    rng = random.Random(seed)
    german_words, english_words = [f"g{i}" for i in range(8)], [f"e{i}" for i in range(6)]
    pairs = [([rng.choice(german_words) for _ in range(rng.randint(1, 6))],
              [rng.choice(english_words) for _ in range(rng.randint(1, 6))])
             for _ in range(rng.randint(1, 30))]
    lexicon = train_model1(pairs, iterations=iterations)
    expected = reference_model1(pairs, iterations)
    for f in lexicon.german:
        for e in lexicon.english:
            assert t(lexicon, e, f) == pytest.approx(expected[(f, e)], abs=1e-5)


def test_each_german_word_has_a_probability_distribution_over_english():
    lexicon = train_model1(HOUSE_BOOK + [(["ein", "buch", "."], ["a", "book", "."])])
    assert np.allclose(lexicon.translation.sum(axis=1), 1.0, atol=1e-5)
    assert "." not in lexicon.english and "." not in lexicon.german  # punctuation is not looked up


def test_lookups_are_case_insensitive_and_unknown_words_have_no_gloss():
    lexicon = train_model1(HOUSE_BOOK, iterations=10)
    assert lexicon.gloss("Haus") == "house"
    assert [word for word, _ in lexicon.glosses("haus", k=2)] == ["house", "the"]
    assert lexicon.gloss("Zauberer") is None and lexicon.glosses("Zauberer") == []
    assert lexicon.gloss("<null>") is None


def test_gold_lexicon_takes_the_most_aligned_word_and_recovery_counts_matches():
    aligned = [(["Das", "Haus"], ["The", "house"], [(0, 0), (1, 1)]),
               (["das", "Buch"], ["the", "book"], [(0, 0), (1, 1)]),
               (["das", "Buch"], ["a", "book"], [(0, 0), (1, 1)])]
    gold = gold_lexicon(aligned)
    assert gold == {"das": "the", "haus": "house", "buch": "book"}
    lexicon = train_model1(HOUSE_BOOK, iterations=10)
    assert recovery_rate(lexicon, gold, ["haus", "buch", "das", "nicht-da"]) == 1.0
    wrong_for_das = {**gold, "das": "a"}  # "nicht-da" has no gold entry: not counted
    assert recovery_rate(lexicon, wrong_for_das, ["haus", "buch", "das", "nicht-da"]) == pytest.approx(2 / 3)
