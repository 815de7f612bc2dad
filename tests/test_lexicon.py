"""IBM Model 1: hand-computed EM steps, a plain-Python reference implementation, and lookups."""

import random
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_demo.core.lexicon import english_words, gold_lexicon, recovery_rate, train_model1
from rnn_demo.core.text import tokenize

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


# --- the rule for glossing real text --------------------------------------------------------------------

# Hand-made pairs in the shapes of a real download: contractions, several translations, particles
# that English leaves out, and words seen once.
REAL_SHAPED = [
    ("Ich bin müde.", "I'm tired."),
    ("Ich bin hier.", "I'm here."),
    ("Ich bin glücklich.", "I am happy."),
    ("Ich bin zu Hause.", "I'm at home."),
    ("Du bist müde.", "You're tired."),
    ("Er ist müde.", "He's tired."),
    ("Er ist glücklich.", "He is happy."),
    ("Ich habe Hunger.", "I'm hungry."),
    ("Ich weiß es nicht.", "I don't know."),
    ("Tom ist hingefallen.", "Tom fell down."),
    ("Das ist Toms Buch.", "That's Tom's book."),
    ("Komm mal her.", "Come here."),
    ("Sieh mal.", "Look."),
    ("Warte mal.", "Wait."),
    ("Komm her.", "Come here."),
    ("Warte hier.", "Wait here."),
    ("Sieh her.", "Look here."),
    ("Komm mal.", "Come."),
    ("Warte mal hier.", "Wait here."),
    ("Sieh mal her.", "Look here."),
    ("Komm.", "Come."),
    ("Sieh.", "Look."),
]
RULE = {"min_count": 3, "min_probability": 0.2, "min_fertility": 0.3}


def real_shaped_lexicon(**rule):
    return train_model1([(tokenize(german), tokenize(english)) for german, english in REAL_SHAPED], **rule)


def test_contractions_are_read_as_the_words_they_stand_for():
    assert english_words(["I'm", "tired", ".", "Don't", "can't", "won't", "Tom's", "it's", "We’re"]) == [
        "i", "am", "tired", "do", "not", "can", "not", "will", "not", "tom", "it", "is", "we", "are"
    ]
    assert english_words(["o'clock", "the", "girls'", "'s"]) == ["o'clock", "the", "girls", "'s"]
    lexicon = real_shaped_lexicon()
    assert "i'm" not in lexicon.english and "am" in lexicon.english
    assert lexicon.gloss("bin") == "am"  # with "I'm" kept as one word it was "i'm"
    assert not any("'" in lexicon.gloss(word) for word in lexicon.german[1:])


def test_a_word_seen_too_rarely_is_not_guessed():
    lexicon = real_shaped_lexicon(**RULE)
    assert lexicon.glosses("hingefallen")  # the table has a guess ...
    assert lexicon.unplaced("hingefallen") == "seen too rarely"  # ... seen once, it is not used
    assert lexicon.gloss("hingefallen") is None
    assert real_shaped_lexicon().gloss("hingefallen") in ("tom", "fell", "down")  # without the rule


def test_a_word_english_leaves_out_is_not_guessed():
    lexicon = real_shaped_lexicon(**RULE)
    index = lexicon.german.index
    # "mal" stands for nothing: the English words of its sentences belong to the other German words
    assert lexicon.fertility[index("mal")] < 0.3
    assert min(lexicon.fertility[index(word)] for word in ("komm", "her", "sieh", "warte")) > 0.5
    assert lexicon.unplaced("mal") == "mostly left untranslated" and lexicon.gloss("mal") is None
    assert (lexicon.gloss("komm"), lexicon.gloss("her")) == ("come", "here")


def test_a_word_without_a_sure_translation_is_not_guessed():
    # "ding" comes with a different English word each time: t(e | ding) is 1/6 for each of them
    english = ("thing", "stuff", "item", "object", "matter", "gadget")
    pairs = [(["ding"], [word]) for word in english] * 2 + [(["das", "haus"], ["the", "house"])] * 3
    lexicon = train_model1(pairs, **RULE)
    assert [p for _, p in lexicon.glosses("ding", k=6)] == pytest.approx([1 / 6] * 6, abs=1e-6)
    assert lexicon.unplaced("ding") == "no sure translation" and lexicon.gloss("ding") is None
    assert lexicon.gloss("haus") == "house"
    assert train_model1(pairs).gloss("ding") in english  # without the rule


def test_fertility_counts_the_english_words_a_german_word_takes():
    # one pair, one iteration from uniform t: each English word is shared equally by NULL and the two
    # German words, so each German word takes 2/3 of an English word, and NULL the other 2/3
    lexicon = train_model1([(["das", "haus"], ["the", "house"])], iterations=1)
    assert lexicon.occurrences.tolist() == [1, 1, 1]
    assert lexicon.fertility.tolist() == pytest.approx([2 / 3, 2 / 3, 2 / 3])
