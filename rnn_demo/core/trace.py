"""What one translation looks like from the inside: plain lists and numpy arrays, no torch.

`translate.translate` fills a `Trace`; every figure of a translation reads one, so the model runs once
per sentence and the figure modules never need the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_demo.core.text import EOS


@dataclass(frozen=True)
class Trace:
    """One translation seen from the inside. T source tokens, U decoding steps, H hidden units."""

    source_tokens: list[str]  # as the model read them (lower-cased; unknown words kept as typed)
    source_known: list[bool]  # False where the token was not in the vocabulary and read as <unk>
    # (T, H): the encoder's state after each source token. The attention model's encoder reads both
    # ways: (T, 2H), each token's forward state (tokens 1..t) then its backward state (tokens T..t)
    encoder_states: np.ndarray
    # (H,): the final encoder state, the only thing the plain decoder receives. Attention model: (2H,),
    # the forward state after the last token and the backward state after the first (the decoder
    # starts from the backward half, through a tanh layer)
    context: np.ndarray
    decoder_states: np.ndarray  # (U, H): the decoder's state at each step, from which it predicts
    logits: np.ndarray  # (U, V): the output layer's scores at each step
    top_tokens: list[list[tuple[str, float]]]  # per step: the k likeliest tokens, with probabilities
    output_tokens: list[str]  # the translation; the last step's token is "<eos>" unless cut off
    attention: np.ndarray | None  # (U, T) attention weights, for the attention model only
    # A model of subword pieces reads and writes pieces of words: the words it read, the word of each
    # source token (piece), and the words it wrote. None for a model of whole words.
    source_words: list[str] | None = None
    word_of_source: list[int] | None = None
    words_written: list[str] | None = None

    @property
    def translation(self) -> list[str]:
        """The words written: the output without the end-of-sentence token (pieces joined)."""
        if self.words_written is not None:
            return self.words_written
        return [token for token in self.output_tokens if token != EOS]

    @property
    def total_steps(self) -> int:
        """Steps of the step-through: one per German token read, then one per English token written."""
        return len(self.source_tokens) + len(self.output_tokens)
