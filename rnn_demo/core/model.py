"""The encoder–decoder RNN, and the same with attention.

The plain model (kind "rnn") is the one of the book's figure 3.4:

1. The **encoder** embeds each German token and runs a GRU over them. Its hidden state after the last
   real token, the *context vector*, is everything the decoder ever learns about the sentence.
2. The **decoder** is a second GRU that starts from the context vector. At each step it reads the
   English token it produced last together with the context vector, and predicts the next token
   through a linear layer over the English vocabulary that also reads the context vector. This is the
   RNN Encoder–Decoder of Cho et al. (2014): the context vector still is the only thing that crosses
   from the encoder, but the decoder is handed it at every step instead of only at the first, so it
   need not carry it along in its own state (and learns much faster).

The attention model (kind "attention") is RNNsearch, Bahdanau, Cho and Bengio (2014):

3. A **bidirectional encoder**: a forward GRU reads the German left to right, a backward GRU right to
   left, and each token's *annotation* is its two states side by side, so it holds the words before
   it and the words after it.
4. The decoder starts from the backward GRU's state at the first token (which has read the whole
   sentence) through a tanh layer. Before each step it scores every annotation against its state
   (additive attention), reads their weighted average, the *context* of this step, beside the word it
   wrote last, and predicts the next word from its new state, that context and the last word (one
   linear layer: the paper's "deep output" without its maxout, which a small vocabulary does not need).

Shapes: B sentences in a batch, T source positions, U target positions, E embedding size, H hidden
size, V vocabulary size.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnn_demo.core.text import PAD_ID

MODEL_KINDS = ("rnn", "attention")
KIND_NAMES = {"rnn": "RNN", "attention": "RNN + attention"}  # as the pages name them
# Bounds on sizes, checked for every config (including one read from an uploaded checkpoint)
MAX_EMBEDDING_SIZE, MAX_HIDDEN_SIZE, MAX_VOCABULARY = 1024, 1024, 100_000


@dataclass(frozen=True)
class ModelConfig:
    source_vocab_size: int
    target_vocab_size: int
    embedding_size: int = 128
    hidden_size: int = 256
    kind: str = "rnn"

    def __post_init__(self) -> None:
        if self.kind not in MODEL_KINDS:
            raise ValueError(f"model kind must be one of {MODEL_KINDS}, got {self.kind!r}")
        for name, upper in (
            ("source_vocab_size", MAX_VOCABULARY),
            ("target_vocab_size", MAX_VOCABULARY),
            ("embedding_size", MAX_EMBEDDING_SIZE),
            ("hidden_size", MAX_HIDDEN_SIZE),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 4 <= value <= upper:
                raise ValueError(f"{name} must be an integer from 4 to {upper}, got {value!r}")

    def to_dict(self) -> dict[str, int | str]:
        return asdict(self)


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


UPDATE_GATE_BIAS = 1.0


def lean_towards_keeping(gru: nn.GRU | nn.GRUCell) -> nn.GRU | nn.GRUCell:
    """Start a GRU's update gate at about sigmoid(1) = 0.73 instead of 0.5.

    A GRU's new state is (1 - z) * candidate + z * old state, with z the update gate. At 0.5 a fresh
    encoder keeps only about half of its state at each step, so the first words of a sentence barely
    reach the context vector and training stalls until it learns to keep them. Leaning towards
    keeping from the start (as LSTMs start with a forget-gate bias of 1) shortens that stall: on the
    phrasebook a 60-second training reached 75-78% held-out exact match instead of 57-70%.
    The gates are stacked reset, update, candidate (H rows each); the input and the recurrent bias
    are added, so each carries half.
    """
    hidden_size = gru.hidden_size
    with torch.no_grad():
        for name, bias in gru.named_parameters():
            if name.startswith("bias"):
                bias[hidden_size : 2 * hidden_size] = UPDATE_GATE_BIAS / 2
    return gru


class Encoder(nn.Module):
    """Embedding + one-layer GRU over the German tokens."""

    def __init__(self, vocab_size: int, embedding_size: int, hidden_size: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_size, padding_idx=PAD_ID)
        self.gru = lean_towards_keeping(nn.GRU(embedding_size, hidden_size, batch_first=True))

    def forward(
        self, source_ids: torch.Tensor, source_lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """source_ids (B, T), padded with PAD; source_lengths (B,) real tokens per sentence.

        Returns encoder_states (B, T, H), zero at padding, and the context vector (B, H): the state
        after each sentence's own last token. Packing makes the GRU skip the padding, so padding never
        changes a sentence's states.
        """
        embedded = self.embedding(source_ids)  # (B, T, E)
        packed = pack_padded_sequence(embedded, source_lengths.cpu(), batch_first=True, enforce_sorted=False)
        packed_states, final_state = self.gru(packed)  # final_state (1, B, H)
        encoder_states, _ = pad_packed_sequence(
            packed_states, batch_first=True, total_length=source_ids.shape[1]
        )  # (B, T, H)
        return encoder_states, final_state[0]


def reverse_each(sequences: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse each sentence's real tokens in place, leaving its padding where it is.

    sequences (B, T, ...), lengths (B,): position t of sentence b becomes position lengths[b] - 1 - t.
    Applied twice it gives the sequences back."""
    positions = torch.arange(sequences.shape[1], device=sequences.device).unsqueeze(0)  # (1, T)
    lengths = lengths.to(sequences.device).unsqueeze(1)  # (B, 1)
    reversed_positions = torch.where(positions < lengths, lengths - 1 - positions, positions)  # (B, T)
    index = reversed_positions.view(*reversed_positions.shape, *([1] * (sequences.dim() - 2)))
    return sequences.gather(1, index.expand_as(sequences))


class BidirectionalEncoder(nn.Module):
    """Embedding + a forward and a backward GRU; each token's annotation is [forward; backward]."""

    def __init__(self, vocab_size: int, embedding_size: int, hidden_size: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_size, padding_idx=PAD_ID)
        self.forward_gru = lean_towards_keeping(nn.GRU(embedding_size, hidden_size, batch_first=True))
        self.backward_gru = lean_towards_keeping(nn.GRU(embedding_size, hidden_size, batch_first=True))

    def _run(self, gru: nn.GRU, embedded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
        states, _ = pad_packed_sequence(gru(packed)[0], batch_first=True, total_length=embedded.shape[1])
        return states  # (B, T, H), zero at padding

    def forward(
        self, source_ids: torch.Tensor, source_lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """source_ids (B, T), source_lengths (B,), as for Encoder.

        Returns the annotations (B, T, 2H), zero at padding: at token j, the forward state after
        tokens 1..j and the backward state after tokens T..j. And the summary (B, 2H): the forward
        state after the last token and the backward state after the first, each of which has read the
        whole sentence (the backward half is where the decoder starts from)."""
        embedded = self.embedding(source_ids)  # (B, T, E)
        forward_states = self._run(self.forward_gru, embedded, source_lengths)  # (B, T, H)
        backward_states = reverse_each(
            self._run(self.backward_gru, reverse_each(embedded, source_lengths), source_lengths),
            source_lengths,
        )  # (B, T, H): reversed in, read, and put back in German order
        annotations = torch.cat([forward_states, backward_states], dim=2)  # (B, T, 2H)
        last = (source_lengths.to(embedded.device) - 1).view(-1, 1, 1).expand(-1, 1, forward_states.shape[2])
        summary = torch.cat([forward_states.gather(1, last)[:, 0], backward_states[:, 0]], dim=1)  # (B, 2H)
        return annotations, summary


class Decoder(nn.Module):
    """A GRU that starts from the context vector, reads it again at every step, and predicts the next
    English token from its state and the context vector."""

    def __init__(self, vocab_size: int, embedding_size: int, hidden_size: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_size, padding_idx=PAD_ID)
        self.gru = lean_towards_keeping(nn.GRU(embedding_size + hidden_size, hidden_size, batch_first=True))
        self.output = nn.Linear(2 * hidden_size, vocab_size)  # from [state; context]

    def initial_state(self, context: torch.Tensor) -> torch.Tensor:
        """The decoder starts from the context vector itself: (B, H) -> (B, H)."""
        return context

    def forward(
        self,
        previous_ids: torch.Tensor,
        state: torch.Tensor,
        context: torch.Tensor,
        encoder_states: torch.Tensor,
        source_mask: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor, None]:
        """previous_ids (B, U): BOS then the tokens so far (teacher forcing); state (B, H): the state to
        go on from (the context vector at the start); context (B, H).

        Returns logits (B, U, V) and decoder_states (B, U, H). The encoder states are not used:
        that is the bottleneck. (They are taken so both decoders have one signature.)
        """
        embedded = self.embedding(previous_ids)  # (B, U, E)
        context_each_step = context.unsqueeze(1).expand(-1, previous_ids.shape[1], -1)  # (B, U, H)
        decoder_states, _ = self.gru(
            torch.cat([embedded, context_each_step], dim=2), state.unsqueeze(0).contiguous()
        )  # (B, U, H)
        logits = self.output(torch.cat([decoder_states, context_each_step], dim=2))  # (B, U, V)
        return logits, decoder_states, None


class AdditiveAttention(nn.Module):
    """score(s, h_j) = v · tanh(W s + U h_j); weights are the softmax over the real source tokens."""

    def __init__(self, state_size: int, annotation_size: int, attention_size: int) -> None:
        super().__init__()
        self.query = nn.Linear(state_size, attention_size, bias=False)  # W
        self.key = nn.Linear(annotation_size, attention_size)  # U (with the bias of the sum)
        self.score = nn.Linear(attention_size, 1, bias=False)  # v

    def forward(
        self, decoder_state: torch.Tensor, projected_keys: torch.Tensor, source_mask: torch.Tensor
    ) -> torch.Tensor:
        """decoder_state (B, H); projected_keys (B, T, A) = key(annotations); source_mask (B, T).

        Returns weights (B, T): a distribution over each sentence's real tokens (0 at padding).
        """
        energy = self.score(torch.tanh(self.query(decoder_state).unsqueeze(1) + projected_keys))  # (B, T, 1)
        energy = energy.squeeze(2).masked_fill(~source_mask, float("-inf"))
        return torch.softmax(energy, dim=1)


class AttentionDecoder(nn.Module):
    """RNNsearch's decoder: before each step it reads a weighted average of the annotations (2H each)."""

    def __init__(self, vocab_size: int, embedding_size: int, hidden_size: int) -> None:
        super().__init__()
        annotation_size = 2 * hidden_size
        self.embedding = nn.Embedding(vocab_size, embedding_size, padding_idx=PAD_ID)
        self.start = nn.Linear(hidden_size, hidden_size)  # W_s: s_0 = tanh(W_s h_1 backward)
        self.attention = AdditiveAttention(hidden_size, annotation_size, hidden_size)
        self.cell = lean_towards_keeping(nn.GRUCell(embedding_size + annotation_size, hidden_size))
        # from [state; context; previous word]
        self.output = nn.Linear(hidden_size + annotation_size + embedding_size, vocab_size)

    def initial_state(self, summary: torch.Tensor) -> torch.Tensor:
        """summary (B, 2H) -> s_0 (B, H), from its backward half: the backward GRU at the first token."""
        return torch.tanh(self.start(summary[:, summary.shape[1] // 2 :]))

    def forward(
        self,
        previous_ids: torch.Tensor,
        state: torch.Tensor,
        context: torch.Tensor,
        encoder_states: torch.Tensor,
        source_mask: torch.Tensor,
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """As Decoder.forward (state (B, H), encoder_states the annotations (B, T, 2H)), plus attention
        weights (B, U, T); one step at a time, as attention needs. The summary is not read: the decoder
        reads the encoder only through attention (and its first state)."""
        embedded = self.embedding(previous_ids)  # (B, U, E)
        projected_keys = self.attention.key(encoder_states)  # (B, T, H), computed once per sentence
        states, outputs, weights = [], [], []
        for step in range(previous_ids.shape[1]):
            step_weights = self.attention(state, projected_keys, source_mask)  # (B, T), from s_{i-1}
            attended = torch.bmm(step_weights.unsqueeze(1), encoder_states).squeeze(1)  # (B, 2H): c_i
            state = self.cell(torch.cat([embedded[:, step], attended], dim=1), state)  # (B, H): s_i
            states.append(state)
            outputs.append(torch.cat([state, attended, embedded[:, step]], dim=1))
            weights.append(step_weights)
        decoder_states = torch.stack(states, dim=1)  # (B, U, H)
        logits = self.output(torch.stack(outputs, dim=1))  # (B, U, V)
        return logits, decoder_states, torch.stack(weights, dim=1)


class EncoderDecoder(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        rnnsearch = config.kind == "attention"
        encoder_class = BidirectionalEncoder if rnnsearch else Encoder
        decoder_class = AttentionDecoder if rnnsearch else Decoder
        self.encoder = encoder_class(config.source_vocab_size, config.embedding_size, config.hidden_size)
        self.decoder = decoder_class(config.target_vocab_size, config.embedding_size, config.hidden_size)

    def forward(
        self, source_ids: torch.Tensor, source_lengths: torch.Tensor, previous_ids: torch.Tensor
    ) -> torch.Tensor:
        """Teacher forcing: logits (B, U, V) for every next target token, given the true previous ones."""
        encoder_states, context = self.encoder(source_ids, source_lengths)
        first_state = self.decoder.initial_state(context)
        logits, _, _ = self.decoder(previous_ids, first_state, context, encoder_states, source_ids != PAD_ID)
        return logits

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())
