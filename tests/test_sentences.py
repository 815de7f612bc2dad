"""The sentences a training learns from: held-out ones never among them, made while it trains, the
same from the same seed, short ones first when asked, and every one used once per pass."""

import random
import threading
from dataclasses import replace

import pytest

from rnn_demo.data.corpus import generate_pairs
from rnn_demo.training.config import HELD_OUT_SIZE, PRESETS
from rnn_demo.training.sentences import (
    CHUNK,
    FIRST_PAIRS,
    SHORTEST_FIRST,
    TrainingSentences,
    epoch_batches,
    phrasebook_held_out,
)

CONFIG = replace(PRESETS["default"], train_pairs=FIRST_PAIRS + 3 * CHUNK, max_words=10)


def made_pairs(config):
    """Every training pair of the phrasebook for `config`, in order (each "encoded" as itself)."""
    sentences = TrainingSentences.phrasebook(config, phrasebook_held_out(config))
    made = []
    sentences.start(lambda pair: (made.append(pair), ([1], [1]))[1])
    sentences.wait_for(sentences.total)
    assert len(made) == len(sentences.encoded) == sentences.total
    return made


@pytest.fixture(scope="module")
def made():
    return phrasebook_held_out(CONFIG), made_pairs(CONFIG)


def test_the_held_out_sentences_are_different_and_of_the_training_lengths(made):
    held_out, _ = made
    assert len(held_out) == HELD_OUT_SIZE
    assert len({pair.key for pair in held_out}) == HELD_OUT_SIZE
    assert all(3 <= pair.word_count <= CONFIG.max_words for pair in held_out)


def test_no_held_out_sentence_is_a_training_sentence(made):
    held_out, pairs = made
    assert {pair.key for pair in held_out}.isdisjoint(pair.key for pair in pairs)
    # all of them are made, less the few that were held-out sentences
    assert CONFIG.train_pairs - 200 <= len(pairs) <= CONFIG.train_pairs


def test_the_same_seed_makes_the_same_sentences_and_another_seed_others(made):
    _, pairs = made
    assert [pair.key for pair in made_pairs(CONFIG)] == [pair.key for pair in pairs]
    other = made_pairs(replace(CONFIG, seed=1))
    assert [pair.key for pair in other[:50]] != [pair.key for pair in pairs[:50]]


def test_short_first_makes_the_first_share_short_then_rising():
    config = replace(CONFIG, short_first=0.5)
    pairs = made_pairs(config)
    assert max(pair.word_count for pair in pairs[: CHUNK - 50]) <= SHORTEST_FIRST
    last = pairs[-CHUNK:]  # past the rising share: every length up to the longest
    assert max(pair.word_count for pair in last) == config.max_words


def test_a_pass_uses_every_pair_once_in_batches_of_similar_length():
    pairs = generate_pairs(700, seed=9, min_words=3, max_words=10)
    sentences = TrainingSentences.given(pairs)
    sentences.start(lambda pair: ([len(pair.key)] * len(pair.key), [1] * len(pair.target_tokens)))
    for epoch in (0, 1):
        batches = list(epoch_batches(sentences, 32, epoch, random.Random(epoch)))
        lengths = sorted(int(length) for _, source_lengths, _, _ in batches for length in source_lengths)
        assert lengths == sorted(len(pair.key) for pair in pairs)  # every pair exactly once
        assert all(len(batch[1]) <= 32 for batch in batches)
        # sorted by length within a window before cutting: a batch spans few lengths
        spans = [int(b[1].max() - b[1].min()) for b in batches]
        assert sorted(spans)[len(spans) // 2] <= 1


def test_closing_stops_the_thread_that_makes_sentences():
    """A training that ends (or is stopped) must not leave a thread making sentences nobody reads."""
    config = replace(CONFIG, train_pairs=200_000)
    sentences = TrainingSentences.phrasebook(config, phrasebook_held_out(config))
    sentences.start(lambda pair: ([1], [1]))
    sentences.close()
    makers = [thread for thread in threading.enumerate() if thread.name == "training-sentences"]
    for thread in makers:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in makers)
    assert sentences.wait_for(config.train_pairs) == sentences.total < config.train_pairs


def test_a_training_of_fewer_pairs_than_one_chunk_has_them_all_at_once():
    config = replace(CONFIG, train_pairs=300)
    pairs = made_pairs(config)
    assert 290 <= len(pairs) <= 300
