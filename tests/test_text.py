"""Tokenizer, detokenizer, vocabulary and the sentence check, against hand-made cases and properties."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnn_demo.core.text import (
    BOS_ID,
    EOS_ID,
    MAX_SENTENCE_CHARS,
    MAX_SENTENCE_WORDS,
    PAD_ID,
    SPECIAL_TOKENS,
    UNK_ID,
    Vocabulary,
    check_sentence,
    detokenize,
    tokenize,
    words,
)


def test_seed_sentence_tokens():
    assert tokenize("Kannst du mir helfen, diesen Satz zu übersetzen?") == [
        "kannst",
        "du",
        "mir",
        "helfen",
        ",",
        "diesen",
        "satz",
        "zu",
        "übersetzen",
        "?",
    ]


def test_case_is_kept_when_asked():
    assert tokenize("Der Hund bellt.", lower=False) == ["Der", "Hund", "bellt", "."]


def test_umlauts_and_eszett_survive_lowercasing():
    # casefold() would turn "ß" into "ss"; lower() must not
    assert tokenize("STRAßE Größe ÄPFEL") == ["straße", "größe", "äpfel"]


def test_decomposed_umlaut_is_the_same_word_as_the_composed_one():
    decomposed = "u\u0308bersetzen"  # u + combining diaeresis
    assert tokenize(decomposed) == tokenize("übersetzen") == ["übersetzen"]


def test_contractions_and_hyphens_stay_one_word():
    assert tokenize("Wie geht's? E-Mail") == ["wie", "geht's", "?", "e-mail"]


def test_symbols_and_emoji_are_their_own_tokens():
    assert tokenize("Hallo 🙂!<b>") == ["hallo", "🙂", "!", "<", "b", ">"]


def test_detokenize_capitalises_and_attaches_punctuation():
    assert detokenize(["can", "you", "help", "me", "translate", "this", "sentence", "?"]) == (
        "Can you help me translate this sentence?"
    )
    assert detokenize(["yesterday", ",", "i", "saw", "him", "."]) == "Yesterday, I saw him."
    assert detokenize(["he", "said", "„", "ja", "“", "."]) == "He said „ja“."
    assert detokenize(["a", "(", "b", ")", "c"]) == "A (b) c"


def test_detokenize_leaves_case_alone_when_asked():
    assert detokenize(["i", "see"], capitalize=False) == "i see"


word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß", min_size=1, max_size=12)
punctuation = st.sampled_from([".", ",", "?", "!", ";", ":"])


@given(st.lists(st.one_of(word, punctuation), min_size=1, max_size=20))
def test_tokenize_inverts_detokenize(tokens):
    # Lower-casing the capitalised first word gives the tokens back
    assert tokenize(detokenize(tokens)) == tokens


@given(st.text(max_size=200))
def test_tokens_are_nfc_non_empty_and_without_spaces(text):
    for token in tokenize(text):
        assert token
        assert not any(ch.isspace() for ch in token)
        assert unicodedata.is_normalized("NFC", token)


def test_vocabulary_order_and_special_ids():
    vocab = Vocabulary.build([["b", "a", "b"], ["c", "b", "a"]])
    assert vocab.tokens == SPECIAL_TOKENS + ("b", "a", "c")  # by count, ties alphabetical
    assert (PAD_ID, BOS_ID, EOS_ID, UNK_ID) == (0, 1, 2, 3)
    assert vocab.encode(["a", "zebra"], add_bos=True, add_eos=True) == [BOS_ID, 5, UNK_ID, EOS_ID]
    assert vocab.decode([BOS_ID, 4, PAD_ID, 6, EOS_ID, 5]) == ["b", "c"]  # stops at EOS


def test_vocabulary_max_size_turns_rare_words_into_unk():
    vocab = Vocabulary.build([["a", "a", "a", "b", "b", "c"]], max_size=6)
    assert vocab.tokens[4:] == ("a", "b")
    assert vocab.encode(["c"]) == [UNK_ID]


def test_token_id_out_of_range_is_refused():
    with pytest.raises(IndexError):
        Vocabulary.build([["a"]]).token_of(-1)


@given(st.lists(st.lists(word, max_size=8), max_size=8))
def test_vocabulary_dict_round_trip(token_lists):
    vocab = Vocabulary.build(token_lists)
    assert Vocabulary.from_dict(vocab.to_dict()) == vocab


@pytest.mark.parametrize(
    "data",
    [
        ["<pad>"],
        {"tokens": "abc"},
        {"tokens": list(SPECIAL_TOKENS), "extra": 1},
        {"tokens": ["a", "b", "c", "d"]},
        {"tokens": [*SPECIAL_TOKENS, "x", "x"]},
        {"tokens": [*SPECIAL_TOKENS, 7]},
        {"tokens": [*SPECIAL_TOKENS, ""]},
        {"tokens": [*SPECIAL_TOKENS, "x" * 1000]},
    ],
)
def test_bad_vocabulary_dicts_are_refused(data):
    with pytest.raises(ValueError):
        Vocabulary.from_dict(data)


def test_check_sentence_accepts_and_cleans():
    check = check_sentence("  Kannst du\tmir\u200b helfen?\n")
    assert check.ok and check.message == ""
    assert check.tokens == ("kannst", "du", "mir", "helfen", "?")
    assert check.display_tokens[0] == "Kannst"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Please type a German sentence."),
        ("   \n\t ", "Please type a German sentence."),
        ("a" * 10_000, "Your sentence is 10,000 characters long; the limit is 300."),
        ("a" * 301, "Your sentence is 301 characters long; the limit is 300."),
        ("?!… 🙂", "No words were found"),
        (" ".join(["Hund"] * 31), "Your sentence has 31 words; the limit is 30."),
    ],
)
def test_check_sentence_refusals_say_what_to_do(text, expected):
    check = check_sentence(text)
    assert not check.ok
    assert expected in check.message
    assert check.tokens == ()


def test_limits_are_inclusive():
    assert check_sentence("x" * MAX_SENTENCE_CHARS).ok
    assert check_sentence(" ".join(["ja"] * MAX_SENTENCE_WORDS)).ok


def test_words_drops_punctuation_and_symbols():
    assert words(["ja", ",", "🙂", "geht's", "?"]) == ["ja", "geht's"]
