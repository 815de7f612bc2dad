"""Subword pieces: learned deterministically, split words as byte-pair encoding does (checked against a
BPE written out here), leave almost nothing unknown on held-out sentences, and come back from JSON
only after every check."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_demo.core.text import SPECIAL_TOKENS, UNK, is_word
from rnn_demo.data.corpus import generate_pairs
from rnn_demo.data.subwords import (
    MAX_PIECE_CHARS,
    MAX_PIECES,
    WORD_START,
    Subwords,
    learn_pair_subwords,
    learn_subwords,
)
from tests.corpus_files import tatoeba_download

LEARN = (
    "from rnn_demo.data.corpus import generate_pairs\n"
    "from rnn_demo.data.subwords import learn_pair_subwords\n"
)
KNOWN_WORDS = ["der", "bäcker", "öffnet", "süße", "tüten", "im", "haus", "glück"]


@pytest.fixture(scope="module")
def pairs():
    return generate_pairs(3_000, seed=3, max_words=15)


@pytest.fixture(scope="module")
def learned(pairs):
    return learn_pair_subwords(pairs, german_size=300, english_size=200)


def reference_bpe(word: str, pieces: tuple[str, ...]) -> list[str]:
    """Byte-pair encoding of one word, written out: start from its characters after a word-start mark,
    and merge the neighbouring pair whose joined piece was learned earliest, until no pair joins into
    a piece. A character that is no piece is unknown; unknown neighbours are one unknown piece."""
    rank = {piece: n for n, piece in enumerate(pieces)}
    symbols = [WORD_START, *word]
    while True:
        joined = [(rank.get(a + b), n) for n, (a, b) in enumerate(zip(symbols, symbols[1:], strict=False))]
        candidates = [(r, n) for r, n in joined if r is not None]
        if not candidates:
            break
        _, n = min(candidates)  # the earliest learned; on a tie, the leftmost
        symbols[n:n + 2] = [symbols[n] + symbols[n + 1]]
    known = [symbol if symbol in rank else UNK for symbol in symbols]
    return [piece for n, piece in enumerate(known) if not (n and piece == known[n - 1] == UNK)]


def test_the_same_pairs_give_the_same_pieces_in_another_process(learned):
    german, english = learned
    assert (len(german), len(english)) == (300, 200)
    code = LEARN + (
        "g, e = learn_pair_subwords(generate_pairs(3_000, seed=3, max_words=15), 300, 200)\n"
        "print('\\n'.join(g.pieces + ('|',) + e.pieces))"
    )
    for hash_seed in ("1", "2"):
        output = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            env={"PYTHONHASHSEED": hash_seed, "PATH": ""},
        ).stdout
        assert output.rstrip("\n").split("\n") == [*german.pieces, "|", *english.pieces]


def test_words_split_as_byte_pair_encoding_splits_them(pairs, learned):
    german, english = learned
    words = sorted({token for pair in pairs for token in pair.key}) + ["hingefallen", "quietschgrün", "жук"]
    for word in words:
        assert german.split([word]) == [reference_bpe(word, german.pieces)], word
    for word in sorted({token for pair in pairs for token in pair.target_tokens})[:300]:
        assert english.split([word]) == [reference_bpe(word, english.pieces)], word


def test_each_piece_belongs_to_one_token_and_decoding_gives_the_tokens_back(learned):
    german, _ = learned
    tokens = ["ich", "bin", "hingefallen", ",", "weil", "es", "glatt", "war", "."]
    pieces, word_of_piece = german.encode(tokens)
    assert len(pieces) == len(word_of_piece) > len(tokens)  # some words are split
    assert word_of_piece == sorted(word_of_piece) and set(word_of_piece) == set(range(len(tokens)))
    for index, token in enumerate(tokens):
        own = [piece for piece, word in zip(pieces, word_of_piece, strict=True) if word == index]
        assert own[0].startswith(WORD_START) and not any(piece.startswith(WORD_START) for piece in own[1:])
        assert "".join(own).removeprefix(WORD_START) == token
    assert german.decode(pieces) == tokens


def test_unknown_characters_become_unk_and_decode_as_a_word_of_their_own(learned):
    german, _ = learned
    pieces, word_of_piece = german.encode(["das", "жук", "haus"])
    assert UNK in pieces and word_of_piece[pieces.index(UNK)] == 1
    assert german.decode(["▁da", "s", UNK, "▁haus"]) == ["das", UNK, "haus"]
    assert german.decode(["s", "▁", "haus", "▁"]) == ["s", "haus"]  # as an untrained decoder may write
    assert german.split(["a▁b"]) == german.split(["a_b"])  # a typed "▁" starts no word


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="".join(KNOWN_WORDS), min_size=1, max_size=12), min_size=1, max_size=8))
def test_any_words_of_known_letters_come_back_whole(words):
    german = learn_subwords([KNOWN_WORDS] * 5, size=60)
    pieces, _ = german.encode(words)
    assert UNK not in pieces
    assert german.decode(pieces) == words


def test_almost_no_held_out_german_token_is_unknown_in_tatoeba_shaped_text():
    lines = [line.split("\t") for line in tatoeba_download(12_000)[0].decode().splitlines()]
    german = [line[1].lower().replace(",", " ,").replace(".", " .").split() for line in lines]
    learned = learn_subwords(german[:10_000], size=2_000)
    held_out = [token for sentence in german[10_000:] for token in sentence]
    unknown = sum(UNK in pieces for pieces in learned.split(held_out))
    assert unknown / len(held_out) <= 0.005
    pieces = sum(len(token_pieces) for token_pieces in learned.split(held_out))
    assert pieces / len(held_out) < 1.5  # frequent words stay whole


def test_a_vocabulary_for_a_model(learned):
    german, _ = learned
    vocabulary = german.vocabulary()
    assert vocabulary.tokens == SPECIAL_TOKENS + german.pieces
    pieces, _ = german.encode(["ich", "bin", "жук"])
    assert vocabulary.decode(vocabulary.encode(pieces)) == pieces  # UNK is the vocabulary's own


def test_learning_is_bounded_and_a_small_or_strange_corpus_still_learns():
    few = learn_subwords([["ja", "."]] * 3, size=1_000)
    assert len(few) < 10 and set("ja.") <= {piece.removeprefix(WORD_START) for piece in few.pieces}
    mostly_german = [["ein", "satz", "."]] * 2_000 + [[chr(0x4E00 + n)] for n in range(20)]  # 20 rare
    mixed = learn_subwords(mostly_german, size=16)  # room for 8 characters: "ein", "satz" and "."
    assert len(mixed) <= 16 and mixed.split([chr(0x4E00)]) == [[WORD_START, UNK]]  # too rare for a piece
    many_characters = [["".join(chr(0x4E00 + (7 * n + k) % 3_000) for k in range(6))] for n in range(2_000)]
    with pytest.raises(ValueError, match="3,000 different characters"):
        learn_subwords(many_characters, size=400)
    with pytest.raises(ValueError, match="no text"):
        learn_subwords([[], []], size=100)
    with pytest.raises(ValueError, match="size"):
        learn_subwords([["ja"]], size=MAX_PIECES + 1)


def test_learned_from_the_tokens_a_model_reads_and_writes(pairs, learned):
    german, english = learned
    assert all(piece == piece.lower() for piece in german.pieces + english.pieces)
    assert not {piece.removeprefix(WORD_START) for piece in german.pieces if is_word(piece)} <= {"the"}


# --- JSON and pickling ------------------------------------------------------------------------------------


def test_to_json_and_back(learned):
    german, _ = learned
    again = Subwords.from_dict(json.loads(json.dumps(german.to_dict())))
    assert again == german and again.pieces == german.pieces
    tokens = ["der", "lehrer", "hat", "den", "brief", "geschrieben", "."]
    assert again.encode(tokens) == german.encode(tokens)
    assert pickle.loads(pickle.dumps(german)).encode(tokens) == german.encode(tokens)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ([], "dict with exactly the keys"),
        ({"kind": "sentencepiece-bpe"}, "dict with exactly the keys"),
        ({"kind": "sentencepiece-bpe", "pieces": [], "code": "print()"}, "dict with exactly the keys"),
        ({"kind": "unigram", "pieces": ["a"]}, "of kind"),
        ({"kind": "sentencepiece-bpe", "pieces": "abc"}, "list of 1 to"),
        ({"kind": "sentencepiece-bpe", "pieces": []}, "list of 1 to"),
        ({"kind": "sentencepiece-bpe", "pieces": ["a"] * (MAX_PIECES + 1)}, "list of 1 to"),
        ({"kind": "sentencepiece-bpe", "pieces": ["a", 7]}, "piece 1 must be a string"),
        ({"kind": "sentencepiece-bpe", "pieces": ["", "a"]}, "piece 0 must be a string"),
        ({"kind": "sentencepiece-bpe", "pieces": ["x" * (MAX_PIECE_CHARS + 1)]}, "piece 0 must be a string"),
        ({"kind": "sentencepiece-bpe", "pieces": ["a\x00"]}, "invisible character"),
        ({"kind": "sentencepiece-bpe", "pieces": ["a b"]}, "holds a space"),
        ({"kind": "sentencepiece-bpe", "pieces": ["a▁b"]}, "misplaced"),
        ({"kind": "sentencepiece-bpe", "pieces": ["a", "<unk>"]}, "special token"),
        ({"kind": "sentencepiece-bpe", "pieces": ["a", "b", "a"]}, "'a' appears more than once"),
    ],
)
def test_bad_subwords_from_a_file_are_refused(data, says):
    with pytest.raises(ValueError, match=says):
        Subwords.from_dict(data)
