"""The sentences a training learns from: held-out ones never among them, made while it trains (in a
process of their own), the same from the same seed, short ones first when asked, and every one used
once per pass."""

import multiprocessing
import os
import random
import threading
from dataclasses import replace

import pytest
import torch

from rnn_demo.core.text import Vocabulary
from rnn_demo.data.corpus import generate_pairs
from rnn_demo.training.config import HELD_OUT_SIZE, PRESETS
from rnn_demo.training.sentence_maker import (
    CHUNK,
    FIRST_PAIRS,
    SHORTEST_FIRST,
    Plan,
    SentenceMaker,
    phrasebook_chunks,
)
from rnn_demo.training.sentences import TrainingSentences, epoch_batches, phrasebook_held_out
from rnn_demo.training.train import train

CONFIG = replace(PRESETS["default"], train_pairs=FIRST_PAIRS + 3 * CHUNK, max_words=10)


def made_pairs(config):
    """Every training pair of the phrasebook for `config`, in order, made here in the test's process."""
    skip = {pair.key for pair in phrasebook_held_out(config)}
    return [pair for chunk in phrasebook_chunks(Plan.of(config), skip) for pair in chunk]


def vocabularies_of(pairs):
    return Vocabulary.build(p.key for p in pairs), Vocabulary.build(p.target_tokens for p in pairs)


def test_the_child_process_sends_every_pair_encoded_in_order(made):
    """What the training reads is what the phrasebook makes from the seed, encoded by the vocabularies
    (encoded here again, word by word), whichever process made it."""
    held_out, pairs = made
    sentences = TrainingSentences.phrasebook(CONFIG, held_out)
    assert [pair.key for pair in sentences.first] == [pair.key for pair in pairs[: len(sentences.first)]]
    assert FIRST_PAIRS - 50 <= len(sentences.first) < len(pairs)
    source, target = vocabularies_of(sentences.first[:200])  # later words: unknown, as a model reads them
    sentences.start(source, target)
    assert sentences.wait_for(CONFIG.train_pairs) == sentences.total == len(pairs)
    expected = [(source.encode(pair.key), target.encode(pair.target_tokens)) for pair in pairs]
    assert [(list(german), list(english)) for german, english in sentences.encoded] == expected
    assert sentences.failure is None


def test_a_failure_in_the_child_process_is_reported_not_waited_for():
    # at most 2 words: fewer than any phrasebook sentence has, so the child's generator refuses it
    maker = SentenceMaker(Plan(seed=0, pairs=100, max_words=2, short_first=0.0), set())
    with pytest.raises(RuntimeError, match="making the training sentences failed: ValueError"):
        maker.first()
    maker.close()


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
    sentences.start(*vocabularies_of(pairs))
    for epoch in (0, 1):
        batches = list(epoch_batches(sentences, 32, epoch, random.Random(epoch)))
        lengths = sorted(int(length) for _, source_lengths, _, _ in batches for length in source_lengths)
        assert lengths == sorted(len(pair.key) for pair in pairs)  # every pair exactly once
        assert all(len(batch[1]) <= 32 for batch in batches)
        # sorted by length within a window before cutting: a batch spans few lengths
        spans = [int(b[1].max() - b[1].min()) for b in batches]
        assert sorted(spans)[len(spans) // 2] <= 1


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: nothing is sent, only whether the process exists is checked
    except ProcessLookupError:
        return False
    return True


def test_closing_ends_the_process_that_makes_sentences():
    """A training that ends (or is stopped) must not leave a process making sentences nobody reads."""
    config = replace(CONFIG, train_pairs=200_000)
    sentences = TrainingSentences.phrasebook(config, phrasebook_held_out(config))
    sentences.start(*vocabularies_of(sentences.first))
    # this training's own maker: another test's training in this process may start one of its own
    maker = sentences._maker._process
    assert maker.name == "training-sentences" and maker in multiprocessing.active_children()
    sentences.close()
    maker.join(timeout=30)  # a killed process may take a moment to go on a busy machine
    # multiprocessing's is_alive() stays True once something else in this process has reaped the child
    # (its waitpid then fails): in a long test worker, the system says whether the process is still there
    assert not maker.is_alive() or not _exists(maker.pid), f"process {maker.pid} still runs"
    assert sentences.wait_for(config.train_pairs) == sentences.total < config.train_pairs
    assert sentences.failure is None  # ended on purpose: no failure to report


def test_a_training_of_fewer_pairs_than_one_chunk_has_them_all_at_once():
    config = replace(CONFIG, train_pairs=300)
    pairs = made_pairs(config)
    assert 290 <= len(pairs) <= 300


def _threads_at_first_report(config, **training) -> int:
    """How many torch threads a training used when it first reported (then it is stopped)."""
    seen, stop = [], threading.Event()

    def report(progress) -> None:
        seen.append(torch.get_num_threads())
        stop.set()

    before = torch.get_num_threads()
    train(config, on_progress=report, stop=stop, threads=lambda: 2, **training)
    assert torch.get_num_threads() == before  # put back at the end
    return seen[0]


def test_a_training_leaves_one_core_to_the_sentence_maker_while_it_makes_sentences():
    tiny = replace(PRESETS["tiny"], time_budget_s=600)
    # 200,000 sentences take the maker far longer than the first report (half a second) on any machine
    making = _threads_at_first_report(replace(tiny, train_pairs=200_000))
    given = _threads_at_first_report(tiny, data=(generate_pairs(300, seed=4), generate_pairs(20, seed=5)))
    assert (making, given) == (1, 2)
