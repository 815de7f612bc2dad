"""The word-by-word baseline: lexicon recovery, the seed gloss and the scores on the phrasebook; an
upload's dictionary on real-shaped pairs."""

from functools import cache

import pytest

from rnn_demo.core.evaluate import same_words, sentence_bleu
from rnn_demo.core.lexicon import gold_lexicon, recovery_rate, train_model1
from rnn_demo.core.text import tokenize
from rnn_demo.data.corpus import SEED_EXAMPLE
from rnn_demo.data.grammar import CONTENT_TAGS
from rnn_demo.lessons.corpora import UPLOAD_GLOSS_RULE
from rnn_demo.lessons.gloss import (
    dictionary_entries,
    gloss_sentence,
    is_punctuation,
    phrasebook_lexicon,
    score,
)
from tests.test_lexicon import REAL_SHAPED

phrasebook_lexicon_and_pairs = cache(phrasebook_lexicon)  # the lexicon the app uses


def test_model1_recovers_the_gold_lexicon_for_95_percent_of_content_words():
    lexicon, pairs = phrasebook_lexicon_and_pairs()
    gold = gold_lexicon([(pair.key, [t.lower() for t in pair.english], pair.alignment) for pair in pairs])
    content_types = {token.lower() for pair in pairs
                     for token, tag in zip(pair.german, pair.german_tags, strict=True) if tag in CONTENT_TAGS}
    rate = recovery_rate(lexicon, gold, content_types)
    print(f"lexicon recovery: {rate:.1%} of {len(content_types)} content-word types")
    assert len(content_types) >= 250
    assert rate >= 0.95


def test_the_seed_sentence_glosses_word_by_word():
    lexicon, _ = phrasebook_lexicon_and_pairs()
    gloss = gloss_sentence(lexicon, SEED_EXAMPLE.german)
    assert gloss.line == "can you me help this sentence to translate"
    assert gloss.glosses[4] == "," and gloss.glosses[-1] == "?"
    assert gloss.unknown == ()


def test_unknown_words_emoji_and_tags_are_marked_not_dropped():
    lexicon, _ = phrasebook_lexicon_and_pairs()
    gloss = gloss_sentence(lexicon, ["Ich", "sehe", "den", "Zauberer", "😀", "<", "script", ">", "."])
    assert gloss.unknown == (3, 4, 5, 6, 7)
    assert gloss.line == "I see the ? ? ? ? ?"
    assert gloss.glosses[-1] == "."


@pytest.mark.parametrize(("token", "expected"), [
    (".", True), (",", True), ("„", True), ("?!", True), ("😀", False), ("<", False), ("a", False),
])
def test_punctuation_is_unicode_punctuation_only(token, expected):
    assert is_punctuation(token) is expected


def test_exact_match_ignores_case_and_punctuation_but_not_order():
    assert same_words(["can", "you", "help", "me"], ["Can", "you", "help", "me", "?"])
    assert not same_words(["can", "you", "me", "help"], ["Can", "you", "help", "me", "?"])


def test_bleu_of_the_seed_gloss_matches_a_hand_computation():
    hypothesis = "can you me help this sentence to translate".split()
    reference = SEED_EXAMPLE.english
    # 1-grams 7/8 match, 2-grams 2/7 ("can you", "this sentence"), no 3- or 4-gram matches;
    # sacrebleu's "exp" smoothing puts 1/(2*6) and 1/(4*5) there; the gloss is longer: no brevity penalty.
    by_hand = 100 * (7 / 8 * 2 / 7 * 1 / 12 * 1 / 20) ** 0.25
    assert sentence_bleu(hypothesis, reference) == pytest.approx(by_hand, abs=1e-6)
    assert sentence_bleu(reference, reference) == pytest.approx(100)
    scores = score(gloss_sentence(phrasebook_lexicon_and_pairs()[0], SEED_EXAMPLE.german), [reference])
    assert not scores.exact_match and scores.bleu == pytest.approx(by_hand, abs=1e-6)


def test_a_gloss_is_scored_against_the_closest_of_several_right_translations():
    gloss = gloss_sentence(phrasebook_lexicon_and_pairs()[0], SEED_EXAMPLE.german)
    other = ("Could", "you", "help", "me", "?")
    exact = score(gloss, [other, gloss.words])  # the gloss itself is one of the right translations
    assert exact.exact_match and exact.bleu == pytest.approx(100)
    closer = score(gloss, [other, SEED_EXAMPLE.english])
    assert closer.bleu == pytest.approx(sentence_bleu(gloss.words, SEED_EXAMPLE.english), abs=1e-6)
    assert closer.bleu > sentence_bleu(gloss.words, other)


def test_an_uploads_dictionary_glosses_each_word_with_a_word_and_marks_what_it_cannot_place():
    lexicon = train_model1(
        [(tokenize(german), tokenize(english)) for german, english in REAL_SHAPED], **UPLOAD_GLOSS_RULE
    )
    gloss = gloss_sentence(lexicon, tokenize("Ich bin hingefallen.", lower=False))
    assert gloss.line == "I am ?"  # not "I i'm ?"
    assert gloss.unknown == (2,)
    assert gloss_sentence(lexicon, tokenize("Komm mal her!", lower=False)).line == "come ? here"
    entries = {row["German word"]: row for row in dictionary_entries(lexicon, ["bin", "hingefallen", "mal"])}
    assert entries["bin"]["Best gloss"] == "am"
    assert entries["hingefallen"]["Best gloss"] == "? (seen too rarely)"
    assert entries["hingefallen"]["Probability"] is None and entries["hingefallen"]["Other candidates"]
    assert entries["mal"]["Best gloss"] == "? (mostly left untranslated)"
