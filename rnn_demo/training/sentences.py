"""The sentences a training learns from, and those it is checked on.

An uploaded corpus gives both lists. For the phrasebook, the held-out sentences are generated first,
from a seed of their own, and the training sentences are made while the model trains, in a process of
their own (`sentence_maker.py`), none of them a held-out sentence. The training starts after the first
few thousand, and it sees new sentences until `config.train_pairs` have been made, instead of the same
ones again and again: new sentences teach a model more per word it reads.
"""

from __future__ import annotations

import random
import threading
from array import array
from collections.abc import Iterator, Sequence

import torch

from rnn_demo.core.text import BOS_ID, EOS_ID, PAD_ID, Vocabulary
from rnn_demo.data.corpus import MIN_WORDS, SentencePair, generate_pairs
from rnn_demo.training.config import HELD_OUT_SIZE, TrainConfig
from rnn_demo.training.sentence_maker import Encoded, Plan, SentenceMaker, phrasebook_chunks

HELD_OUT_SEED_OFFSET = 1_000_003  # the held-out sentences' generator seed: the training's plus this
WINDOW_BATCHES = 50  # a window of this many batches is sorted by length, cut into batches and shuffled

Batch = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]


def phrasebook_held_out(config: TrainConfig) -> list[SentencePair]:
    """HELD_OUT_SIZE different phrasebook sentences of 3 to `config.max_words` words, from their own seed."""
    seed = config.seed + HELD_OUT_SEED_OFFSET
    return generate_pairs(HELD_OUT_SIZE, seed, MIN_WORDS, config.max_words, unique=True)


class TrainingSentences:
    """The training pairs: given at once (an upload), or made by a child process while the model trains
    (the phrasebook). `first` are the pairs there are before training starts (a model's vocabularies
    are learned from them). Once `start(source_vocab, target_vocab)` is called, `encoded` holds every
    pair made so far as token ids, in the order they came (ids take a tenth of the memory of the
    pairs); `total` is how many there will be."""

    def __init__(self, first: list[SentencePair], total: int, maker: SentenceMaker | None = None) -> None:
        self.first, self.total, self._maker = first, total, maker
        self.encoded: list[Encoded] = []
        self._grown = threading.Condition()
        self.failure: BaseException | None = None
        self.being_made = maker is not None  # a process is still making them (and takes a core)

    @classmethod
    def given(cls, pairs: Sequence[SentencePair]) -> TrainingSentences:
        return cls(list(pairs), len(pairs))

    @classmethod
    def phrasebook(cls, config: TrainConfig, held_out: Sequence[SentencePair]) -> TrainingSentences:
        """The first pairs now, from a child process that goes on making the others."""
        maker = SentenceMaker(Plan.of(config), {pair.key for pair in held_out})
        try:
            first = maker.first()
        except BaseException:
            maker.close()
            raise
        return cls(first, config.train_pairs, maker)

    def start(self, source_vocab: Vocabulary, target_vocab: Vocabulary) -> None:
        """Encode the first pairs; the child encodes the others as it makes them, if more are to come."""
        self.encoded = [
            (array("H", source_vocab.encode(pair.key)), array("H", target_vocab.encode(pair.target_tokens)))
            for pair in self.first
        ]
        self.first = []  # the ids are what the training needs
        if self._maker is None:
            self.total = len(self.encoded)
            self.being_made = False
            return

        def grown(encoded: list[Encoded]) -> None:
            with self._grown:
                self.encoded.extend(encoded)
                self._grown.notify_all()

        def ended(failure: BaseException | None) -> None:
            with self._grown:
                self.failure = failure
                self.total = len(self.encoded)
                self.being_made = False
                self._grown.notify_all()

        self._maker.encode_rest(source_vocab, target_vocab, grown, ended)

    def close(self) -> None:
        """The training is over: the process making sentences is ended."""
        if self._maker is not None:
            self._maker.close()

    def wait_for(self, count: int) -> int:
        """Wait until `count` pairs are encoded or no more will come; how many there are."""
        with self._grown:
            self._grown.wait_for(lambda: len(self.encoded) >= min(count, self.total))
        if self.failure is not None:
            raise RuntimeError(f"making the training sentences failed: {self.failure}") from self.failure
        return len(self.encoded)


def phrasebook_training_keys(config: TrainConfig) -> set[tuple[str, ...]]:
    """The German sentences a phrasebook training with `config` learns from (made again, here)."""
    skip = {pair.key for pair in phrasebook_held_out(config)}
    return {pair.key for chunk in phrasebook_chunks(Plan.of(config), skip) for pair in chunk}


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
