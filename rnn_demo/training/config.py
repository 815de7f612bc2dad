"""The types every part of training shares: what to train (`TrainConfig`, the named `PRESETS`), how it
is going (`Progress`) and what came out (`TrainedModel`). The loop is in `train.py`, files in
`checkpoint.py`; both import these, and neither imports the other.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, replace
from typing import NamedTuple

from rnn_demo.core.model import EncoderDecoder
from rnn_demo.core.text import Vocabulary

HELD_OUT_SIZE = 400
PRECISIONS = ("float32", "bfloat16", "auto")
VOCABULARIES = ("words", "pieces")


@dataclass(frozen=True)
class TrainConfig:
    kind: str = "rnn"
    embedding_size: int = 128
    hidden_size: int = 256
    learning_rate: float = 3e-3
    batch_size: int = 64
    max_words: int = 10  # German words per training sentence, 3 up to this
    train_pairs: int = 40_000
    time_budget_s: float = 60.0
    epochs: int | None = None  # None: as many as the time budget allows
    target_exact_match: float | None = None  # stop once the held-out exact match reaches this
    seed: int = 0
    clip: float = 5.0  # gradient-norm limit: guards against a rare exploding step
    short_first: float = 0.0  # share of the first epoch's batches ordered from short to long sentences
    # "float32"; "bfloat16" (matrix products in bfloat16, weights and sums in float32: much faster on a
    # CPU with bfloat16 units, much slower on one without); "auto": bfloat16 where the CPU has such units
    precision: str = "float32"
    # "words": whole words, the most frequent of each language (the phrasebook); "pieces": subword
    # pieces learned from the training sentences, so that almost nothing of real text is unknown
    vocabulary: str = "words"

    def __post_init__(self) -> None:
        checks = [
            (4 <= self.embedding_size <= 512, "embedding size must be from 4 to 512"),
            (4 <= self.hidden_size <= 1024, "hidden size must be from 4 to 1024"),
            (1e-5 <= self.learning_rate <= 0.1, "learning rate must be from 0.00001 to 0.1"),
            (1 <= self.batch_size <= 1024, "batch size must be from 1 to 1024"),
            (3 <= self.max_words <= 30, "maximum sentence length must be from 3 to 30 words"),
            (20 <= self.train_pairs <= 200_000, "training pairs must be from 20 to 200,000"),
            (0 < self.time_budget_s <= 3600, "time budget must be more than 0 and at most 3,600 s"),
            (self.epochs is None or 1 <= self.epochs <= 10_000, "epochs must be from 1 to 10,000"),
            (0 <= self.short_first <= 1, "the share of short sentences first must be from 0 to 1"),
            (self.precision in PRECISIONS, f"precision must be one of {', '.join(PRECISIONS)}"),
            (self.vocabulary in VOCABULARIES, f"vocabulary must be one of {', '.join(VOCABULARIES)}"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(message)

    def to_dict(self) -> dict:
        return asdict(self)


# What the page trains by default: a minute on a laptop CPU. Measured on the phrasebook (see the
# README's speed table, three seeds each): batches of 128 at rate 0.006 learn as much per word as
# 64 at 0.003 and train faster; new sentences teach more than the same ones seen again, but each
# is made on a core the training then lacks: 70,000, about what a minute of training reads once,
# reached 91.5% in 45 s where 150,000 reached 86.2% (float32, 2 cores); bfloat16 matrix products are
# much faster where the CPU has bfloat16 units
_DEFAULT = TrainConfig(batch_size=128, learning_rate=0.006, train_pairs=70_000, precision="auto")

PRESETS: dict[str, TrainConfig] = {
    # For tests: learns a handful of pairs in seconds
    "tiny": TrainConfig(
        embedding_size=16, hidden_size=32, train_pairs=200, batch_size=32, time_budget_s=10, max_words=6
    ),
    "default": _DEFAULT,
    # What the page trains on an uploaded corpus: the default, but with subword pieces (real text has
    # too many words to know them all) and the shortest sentences first (see the README's real-text table)
    "real text": replace(_DEFAULT, vocabulary="pieces", short_first=0.3),
    # The models shipped with the app: the default model trained longer, on more sentences, for a fixed
    # number of epochs (not a time budget), so the same seed gives the same model on any machine
    "shipped": TrainConfig(train_pairs=150_000, epochs=4, time_budget_s=3600),
    # The Bottleneck page's models: sentences of 3 to 30 words, and the same data and number of
    # epochs for the plain RNN, the attention RNN and a wider plain RNN, so that only the attention
    # (or the width) differs. Epochs, not a time budget: a wider or attention model is slower per
    # step, and would see less data in the same time. A small context vector (96 numbers): the
    # phrasebook's one-scene sentences fit nearly whole into 256, which hid the fall (see the README)
    "bottleneck": TrainConfig(
        max_words=30, train_pairs=100_000, epochs=2, time_budget_s=3600, hidden_size=96
    ),
}


class Watched(NamedTuple):
    """A sentence a training translates at every held-out check, so that a page can show it learn."""

    german: str  # as shown
    tokens: tuple[str, ...]  # as the model reads it
    references: tuple[tuple[str, ...], ...]  # its right translations, lower-cased tokens (may be none)


class Sample(NamedTuple):
    """A watched sentence's translation at one check."""

    german: str
    translation: tuple[str, ...]  # lower-cased tokens
    right: bool | None  # exactly one of its references; None if it has none


@dataclass(frozen=True)
class Progress:
    step: int
    epoch: float  # epochs done, fractional
    loss: float  # mean cross-entropy per target token over the last steps
    held_out_exact: float | None  # share of held-out sentences translated exactly; None until measured
    tokens_per_second: float  # target tokens trained on per second, so far
    elapsed_s: float  # training time: the caller's progress callback not counted
    seconds_left: float  # until the budget ends (or the epochs are done, estimated)
    samples: tuple[Sample, ...] | None = None  # the watched sentences' translations, at a check


@dataclass
class TrainedModel:
    model: EncoderDecoder
    source_vocab: Vocabulary
    target_vocab: Vocabulary
    config: TrainConfig
    history: list[Progress] = field(default_factory=list)
    stopped_early: bool = False  # True if the stop flag ended training
    stop_reason: str | None = None  # why the server stopped it early (its memory ran short), if it did
    recorded_exact: float | None = None  # the held-out exact match stored in a loaded checkpoint
    # Tells this model from every other, also from one trained again under the same key (a stopped
    # training asked for again): a cache key that, unlike id(), is never given to another model
    instance: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def held_out_exact(self) -> float | None:
        measured = [p.held_out_exact for p in self.history if p.held_out_exact is not None]
        return measured[-1] if measured else self.recorded_exact
