"""The sentences a training learns from, and those it is checked on.

An uploaded corpus gives both lists. For the phrasebook, the held-out sentences are generated first,
from a seed of their own, and the training sentences are generated while the model trains, by a thread
that keeps ahead of it (on the other core), none of them a held-out sentence. The training starts
after the first few thousand, and it sees new sentences until `config.train_pairs` have been made,
instead of the same ones again and again: new sentences teach a model more per word it reads.

With `config.short_first`, the first share of the sentences are short: their longest length grows
from SHORTEST_FIRST words to the config's longest, so a fresh model starts on what it can learn soon.
"""

from __future__ import annotations

import random
import threading
from array import array
from collections.abc import Iterator, Sequence

import torch

from rnn_demo.core.text import BOS_ID, EOS_ID, PAD_ID
from rnn_demo.data.corpus import MIN_WORDS, SentencePair, generate_pairs
from rnn_demo.training.config import HELD_OUT_SIZE, TrainConfig

HELD_OUT_SEED_OFFSET = 1_000_003  # the held-out sentences' generator seed: the training's plus this
FIRST_PAIRS = 10_000  # made before training starts: enough to hold every word of the phrasebook
CHUNK = 1_000  # made at a time by the thread
WINDOW_BATCHES = 50  # a window of this many batches is sorted by length, cut into batches and shuffled
SHORTEST_FIRST = 5  # with short_first, the first sentences have at most this many German words

Batch = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]


def phrasebook_held_out(config: TrainConfig) -> list[SentencePair]:
    """HELD_OUT_SIZE different phrasebook sentences of 3 to `config.max_words` words, from their own seed."""
    seed = config.seed + HELD_OUT_SEED_OFFSET
    return generate_pairs(HELD_OUT_SIZE, seed, MIN_WORDS, config.max_words, unique=True)


Encoded = tuple[array, array]  # a pair as token ids: German, English ('H': two bytes an id)


class TrainingSentences:
    """The training pairs: given at once (an upload), or made by a thread while the model trains (the
    phrasebook). `first` are the pairs there are before training starts (a model's vocabularies are
    learned from them). Once `start(encode)` is called, `encoded` holds every pair made so far as
    token ids, in the order they came (ids take a tenth of the memory of the pairs); `total` is how
    many there will be."""

    def __init__(self, first: list[SentencePair], total: int, make_more=None) -> None:
        self.first, self.total, self._make_more = first, total, make_more
        self.encoded: list[Encoded] = []
        self._grown = threading.Condition()
        self._closed = threading.Event()
        self.failure: BaseException | None = None

    @classmethod
    def given(cls, pairs: Sequence[SentencePair]) -> TrainingSentences:
        return cls(list(pairs), len(pairs))

    @classmethod
    def phrasebook(cls, config: TrainConfig, held_out: Sequence[SentencePair]) -> TrainingSentences:
        """The first FIRST_PAIRS now; the others by a thread once started."""
        chunks = phrasebook_chunks(config, {pair.key for pair in held_out})
        first: list[SentencePair] = []
        for chunk in chunks:  # until there are FIRST_PAIRS (or the chunks run out)
            first += chunk
            if len(first) >= FIRST_PAIRS:
                break
        return cls(first, config.train_pairs, lambda: chunks)

    def start(self, encode) -> None:
        """Encode the first pairs; a thread makes and encodes the others, if more are to come."""
        self.encoded = [_compact(encode(pair)) for pair in self.first]
        self.first = []  # the ids are what the training needs
        if self._make_more is None:
            self.total = len(self.encoded)
            return

        def grow() -> None:
            try:
                for chunk in self._make_more():
                    if self._closed.is_set():  # the training is over: make no more
                        break
                    encoded = [_compact(encode(pair)) for pair in chunk]
                    with self._grown:
                        self.encoded.extend(encoded)
                        self._grown.notify_all()
            except BaseException as error:  # the training reports it instead of waiting for ever
                self.failure = error
            finally:
                with self._grown:
                    self.total = len(self.encoded)
                    self._grown.notify_all()

        threading.Thread(target=grow, name="training-sentences", daemon=True).start()

    def close(self) -> None:
        """The training is over: the thread stops at its next chunk."""
        self._closed.set()

    def wait_for(self, count: int) -> int:
        """Wait until `count` pairs are encoded or no more will come; how many there are."""
        with self._grown:
            self._grown.wait_for(lambda: len(self.encoded) >= min(count, self.total))
        if self.failure is not None:
            raise RuntimeError(f"making the training sentences failed: {self.failure}") from self.failure
        return len(self.encoded)


def _compact(ids: tuple[list[int], list[int]]) -> Encoded:
    return array("H", ids[0]), array("H", ids[1])


def phrasebook_chunks(config: TrainConfig, skip: set[tuple[str, ...]]) -> Iterator[list[SentencePair]]:
    """The training pairs of the phrasebook for `config`, CHUNK at a time, in order, from its seed (one
    generator seed per chunk); pairs whose German is in `skip` (the held-out ones) are left out."""
    seeds = random.Random(config.seed)
    longest = _lengths(config)
    for start in range(0, config.train_pairs, CHUNK):
        count = min(CHUNK, config.train_pairs - start)
        pairs = generate_pairs(count, seeds.randrange(2**32), MIN_WORDS, longest(start))
        yield [pair for pair in pairs if pair.key not in skip]


def phrasebook_training_keys(config: TrainConfig) -> set[tuple[str, ...]]:
    """The German sentences a phrasebook training with `config` learns from (made again)."""
    skip = {pair.key for pair in phrasebook_held_out(config)}
    return {pair.key for chunk in phrasebook_chunks(config, skip) for pair in chunk}


def _lengths(config: TrainConfig):
    """The longest German length of the sentences made from each position on: with short_first, rising
    over the first share of the sentences from SHORTEST_FIRST to the config's longest."""
    rising = round(config.short_first * config.train_pairs)
    shortest = min(SHORTEST_FIRST, config.max_words)

    def longest(position: int) -> int:
        if position >= rising:
            return config.max_words
        return shortest + (config.max_words - shortest) * position // max(rising, 1)

    return longest


def batch_of(sources: Sequence[Sequence[int]], targets: Sequence[Sequence[int]]) -> Batch:
    """Padded tensors of some sentences: source_ids (B, T), source lengths (B,), decoder inputs (B, U)
    = BOS + target, decoder targets (B, U) = target + EOS."""
    source_ids = torch.full((len(sources), max(map(len, sources))), PAD_ID, dtype=torch.long)
    target_width = max(map(len, targets)) + 1
    inputs = torch.full((len(targets), target_width), PAD_ID, dtype=torch.long)
    outputs = torch.full((len(targets), target_width), PAD_ID, dtype=torch.long)
    for row, (source, target) in enumerate(zip(sources, targets, strict=True)):
        source_ids[row, : len(source)] = torch.tensor(source)
        inputs[row, : len(target) + 1] = torch.tensor([BOS_ID, *target])
        outputs[row, : len(target) + 1] = torch.tensor([*target, EOS_ID])
    return source_ids, torch.tensor([len(source) for source in sources]), inputs, outputs


def epoch_batches(
    sentences: TrainingSentences, batch_size: int, epoch: int, rng: random.Random
) -> Iterator[Batch]:
    """The batches of one pass over the training pairs. A window of WINDOW_BATCHES batches' pairs is
    sorted by German length (so a batch holds sentences of about one length: little padding), cut
    into batches, and the batches shuffled. The first pass takes the pairs in the order they are made
    (a random order already, and they are still being made); later passes shuffle them all."""
    window = WINDOW_BATCHES * batch_size
    order: list[int] | None = None
    if epoch > 0:
        order = list(range(sentences.wait_for(sentences.total)))
        rng.shuffle(order)
    start = 0
    while True:
        available = sentences.wait_for(start + window) if order is None else len(order)
        chosen = (
            range(start, min(start + window, available)) if order is None else order[start : start + window]
        )
        if not chosen:
            return
        encoded = sorted((sentences.encoded[i] for i in chosen), key=lambda pair: len(pair[0]))
        batches = [encoded[n : n + batch_size] for n in range(0, len(encoded), batch_size)]
        rng.shuffle(batches)
        for batch in batches:
            yield batch_of([source for source, _ in batch], [target for _, target in batch])
        start += len(chosen)
