"""A phrasebook training's sentences, made in a process of their own while the model trains.

Making sentences is pure Python. In a thread beside the training it held Python's lock so often that
every torch call of the training waited for it (a 45 s default training learned a fifth of what it
learned from sentences made beforehand). A child process has its own interpreter: it makes the
sentences, encodes them as token ids once it is given the vocabularies, and sends them as bytes; the
training process only copies them in. The child never imports torch (it needs only the data layer),
and it runs at the lowest CPU priority, so that it takes the time a core has left over: the training
and, in a server, the sessions go first. Should it fall behind, the training waits, and a waiting
training leaves the core to it.

With `short_first`, the first share of the sentences are short: their longest length grows from
SHORTEST_FIRST words to the longest, so a fresh model starts on what it can learn soon.
"""

from __future__ import annotations

import os
import random
import threading
from array import array
from collections.abc import Callable, Iterator
from typing import NamedTuple

from rnn_demo.core.text import Vocabulary
from rnn_demo.data.corpus import MIN_WORDS, SentencePair, generate_pairs
from rnn_demo.training.processes import SPAWN, start_process

FIRST_PAIRS = 10_000  # sent before the training starts: its vocabularies are learned from them
CHUNK = 1_000  # pairs made (and sent) at a time
SHORTEST_FIRST = 5  # with short_first, the first sentences have at most this many German words
NICENESS = 19  # the lowest CPU priority: the child takes what the training and the server leave

Encoded = tuple[array, array]  # a pair as token ids: German, English ('H': two bytes an id)


class Plan(NamedTuple):
    """What to make: everything of a training's config that its sentences depend on (a plain tuple, so
    that the child need not import the config, and with it torch)."""

    seed: int
    pairs: int  # how many training pairs (a few fewer come: those that are held-out sentences)
    max_words: int
    short_first: float

    @classmethod
    def of(cls, config) -> Plan:
        return cls(config.seed, config.train_pairs, config.max_words, config.short_first)


def phrasebook_chunks(plan: Plan, skip: set[tuple[str, ...]]) -> Iterator[list[SentencePair]]:
    """The training pairs of `plan`, CHUNK at a time, in order, from its seed (one generator seed per
    chunk); pairs whose German is in `skip` (the held-out ones) are left out."""
    seeds = random.Random(plan.seed)
    longest = _lengths(plan)
    for start in range(0, plan.pairs, CHUNK):
        count = min(CHUNK, plan.pairs - start)
        pairs = generate_pairs(count, seeds.randrange(2**32), MIN_WORDS, longest(start))
        yield [pair for pair in pairs if pair.key not in skip]


def _lengths(plan: Plan) -> Callable[[int], int]:
    """The longest German length of the sentences made from each position on: with short_first, rising
    over the first share of the sentences from SHORTEST_FIRST to the plan's longest."""
    rising = round(plan.short_first * plan.pairs)
    shortest = min(SHORTEST_FIRST, plan.max_words)

    def longest(position: int) -> int:
        if position >= rising:
            return plan.max_words
        return shortest + (plan.max_words - shortest) * position // max(rising, 1)

    return longest


def encode_chunk(pairs: list[SentencePair], source: Vocabulary, target: Vocabulary) -> tuple[bytes, ...]:
    """Pairs as four byte strings: the German ids one after another, each sentence's German length,
    and the same for the English (what crosses to the training process: bytes are cheap to copy)."""
    german, german_lengths, english, english_lengths = array("H"), array("H"), array("H"), array("H")
    for pair in pairs:
        source_ids, target_ids = source.encode(pair.key), target.encode(pair.target_tokens)
        german.extend(source_ids)
        german_lengths.append(len(source_ids))
        english.extend(target_ids)
        english_lengths.append(len(target_ids))
    return german.tobytes(), german_lengths.tobytes(), english.tobytes(), english_lengths.tobytes()


def decode_chunk(
    german: bytes, german_lengths: bytes, english: bytes, english_lengths: bytes
) -> list[Encoded]:
    """The pairs of `encode_chunk`, one (German ids, English ids) each."""
    return list(zip(_split(german, german_lengths), _split(english, english_lengths), strict=True))


def _split(ids: bytes, lengths: bytes) -> list[array]:
    flat, sizes = array("H", ids), array("H", lengths)
    pieces, start = [], 0
    for size in sizes:
        pieces.append(flat[start : start + size])
        start += size
    return pieces


def _make(plan: Plan, skip: set[tuple[str, ...]], connection) -> None:
    """In the child: send ("first", pairs) once there are FIRST_PAIRS, wait for the vocabularies, then
    send ("ids", *encode_chunk(...)) for every further chunk and ("end",) at the end; ("error", text)
    if anything fails. Ends quietly when the training process goes away."""
    try:
        os.nice(NICENESS)
    except OSError:  # not allowed here: the same priority as the training, then
        pass
    try:
        chunks = phrasebook_chunks(plan, skip)
        first: list[SentencePair] = []
        for chunk in chunks:  # until there are FIRST_PAIRS (or the chunks run out)
            first += chunk
            if len(first) >= FIRST_PAIRS:
                break
        connection.send(("first", first))
        vocabularies = connection.recv()
        if vocabularies is None:  # no more wanted
            return
        source, target = vocabularies
        for chunk in chunks:
            connection.send(("ids", *encode_chunk(chunk, source, target)))
        connection.send(("end",))
    except (BrokenPipeError, EOFError, ConnectionResetError):  # the training is over
        return
    except Exception as error:  # the training reports it instead of waiting for ever
        connection.send(("error", f"{type(error).__name__}: {error}"))


class SentenceMaker:
    """The parent's side of the child that makes a plan's sentences."""

    def __init__(self, plan: Plan, skip: set[tuple[str, ...]]) -> None:
        self._connection, child_end = SPAWN.Pipe(duplex=True)
        self._process = start_process(_make, (plan, skip, child_end), "training-sentences")
        child_end.close()  # the child's end lives on in the child only: its exit ends our reads
        self._closed = threading.Event()

    def first(self) -> list[SentencePair]:
        """The first FIRST_PAIRS pairs (all of them, for a smaller plan); waits for the child."""
        message = self._receive()
        if message[0] != "first":
            raise RuntimeError(f"making the training sentences failed: {message[-1]}")
        return message[1]

    def encode_rest(
        self,
        source: Vocabulary,
        target: Vocabulary,
        on_chunk: Callable[[list[Encoded]], None],
        on_end: Callable[[BaseException | None], None],
    ) -> None:
        """Have the child encode the other pairs with these vocabularies; a thread hands each chunk
        of them to `on_chunk` as it comes, then calls `on_end(None)`, or `on_end(error)` on a failure."""
        self._connection.send((source, target))

        def receive() -> None:
            failure: BaseException | None = None
            try:
                while True:
                    message = self._receive()
                    if message[0] == "ids":
                        on_chunk(decode_chunk(*message[1:]))
                    elif message[0] == "end":
                        break
                    else:
                        raise RuntimeError(f"making the training sentences failed: {message[-1]}")
            except BaseException as error:
                failure = None if self._closed.is_set() else error
            finally:
                on_end(failure)

        threading.Thread(target=receive, name="training-sentences", daemon=True).start()

    def _receive(self) -> tuple:
        try:
            return self._connection.recv()
        except EOFError:
            raise RuntimeError(
                f"the process making the training sentences ended (exit code {self._process.exitcode})"
            ) from None

    def close(self) -> None:
        """No more sentences are wanted: the child is ended (which also ends the receiving thread)."""
        self._closed.set()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=5)
        if self._process.is_alive():  # SIGTERM not acted on within 5 s: SIGKILL cannot be put off
            self._process.kill()
            self._process.join(timeout=5)
