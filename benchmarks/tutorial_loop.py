"""A training loop written as the PyTorch tutorial "NLP From Scratch: Translation with a Sequence to
Sequence Network and Attention" writes its plain model: one sentence per optimizer step, the decoder
stepped one token at a time in Python. The benchmark measures our loop's speed against it.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import nn, optim

from rnn_demo.core.model import device
from rnn_demo.core.text import BOS_ID, EOS_ID, Vocabulary
from rnn_demo.data.corpus import SentencePair
from rnn_demo.training.config import TrainConfig


class EncoderRNN(nn.Module):
    """Imitates `EncoderRNN` of the PyTorch tutorial "NLP From Scratch: Translation with a Sequence to
    Sequence Network and Attention": an embedding and a GRU, fed one sentence as a (1, T) tensor.

    The tutorial uses the hidden size for the embedding too; here it is our embedding size, so both
    models have the same layer sizes. No padding index, no packing: one sentence never needs them.
    """

    def __init__(self, input_size: int, embedding_size: int, hidden_size: int) -> None:
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(input_size, embedding_size)
        self.gru = nn.GRU(embedding_size, hidden_size, batch_first=True)

    def forward(self, input_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """input_ids (1, T) -> outputs (1, T, H), hidden (1, 1, H)."""
        embedded = self.embedding(input_ids)
        output, hidden = self.gru(embedded)
        return output, hidden


class DecoderRNN(nn.Module):
    """Imitates the tutorial's plain (non-attention) `DecoderRNN`: one step per call, with ReLU on the
    embedding, a GRU, a linear layer and log-softmax, as the tutorial writes it."""

    def __init__(self, embedding_size: int, hidden_size: int, output_size: int) -> None:
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(output_size, embedding_size)
        self.gru = nn.GRU(embedding_size, hidden_size, batch_first=True)
        self.out = nn.Linear(hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input_id: torch.Tensor, hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """input_id (1, 1), hidden (1, 1, H) -> log-probabilities (1, V), new hidden (1, 1, H)."""
        output = self.embedding(input_id)
        output = F.relu(output)
        output, hidden = self.gru(output, hidden)
        output = self.softmax(self.out(output[:, 0]))
        return output, hidden


def reference_tensors(
    source_ids: Sequence[int], target_ids: Sequence[int], where: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """The tutorial's `tensorsFromPair`: source (1, T); target (U + 1, 1), ending with EOS."""
    source = torch.tensor([list(source_ids)], dtype=torch.long, device=where)
    target = torch.tensor([*target_ids, EOS_ID], dtype=torch.long, device=where).view(-1, 1)
    return source, target


def reference_train_step(
    input_tensor: torch.Tensor,
    target_tensor: torch.Tensor,
    encoder: EncoderRNN,
    decoder: DecoderRNN,
    encoder_optimizer: optim.Optimizer,
    decoder_optimizer: optim.Optimizer,
    criterion: nn.NLLLoss,
) -> float:
    """The tutorial's `train` for one sentence, always with teacher forcing: NLLLoss summed over the
    target tokens, one optimizer step. Returns the loss per target token."""
    encoder_optimizer.zero_grad()
    decoder_optimizer.zero_grad()
    _, encoder_hidden = encoder(input_tensor)
    decoder_input = torch.tensor([[BOS_ID]], device=input_tensor.device)
    decoder_hidden = encoder_hidden  # the context vector
    target_length = target_tensor.size(0)
    loss = 0
    for di in range(target_length):
        decoder_output, decoder_hidden = decoder(decoder_input, decoder_hidden)
        loss += criterion(decoder_output, target_tensor[di])
        decoder_input = target_tensor[di].view(1, 1)  # teacher forcing: feed the true token
    loss.backward()
    encoder_optimizer.step()
    decoder_optimizer.step()
    return loss.item() / target_length


def reference_throughput(
    train_pairs: Sequence[SentencePair],
    source_vocab: Vocabulary,
    target_vocab: Vocabulary,
    config: TrainConfig,
    seconds: float,
) -> dict:
    """Train the tutorial-style model for `seconds`; target tokens (EOS included) per second."""
    torch.manual_seed(config.seed)
    where = device()
    encoder = EncoderRNN(len(source_vocab), config.embedding_size, config.hidden_size).to(where)
    decoder = DecoderRNN(config.embedding_size, config.hidden_size, len(target_vocab)).to(where)
    # Adam with our learning rate, not the tutorial's SGD (later versions of it use Adam too): the
    # optimizer barely changes the time of a step, and this way both loops learn alike.
    encoder_optimizer = optim.Adam(encoder.parameters(), lr=config.learning_rate)
    decoder_optimizer = optim.Adam(decoder.parameters(), lr=config.learning_rate)
    criterion = nn.NLLLoss()
    # Tensors are built before the clock starts, as the tutorial does (ours builds batches on its clock)
    examples = [
        reference_tensors(source_vocab.encode(p.key), target_vocab.encode(p.target_tokens), where)
        for p in train_pairs
    ]
    random.Random(config.seed).shuffle(examples)
    encoder.train()
    decoder.train()
    sentences = tokens = 0
    losses: list[float] = []
    start = time.perf_counter()
    while True:
        input_tensor, target_tensor = examples[sentences % len(examples)]
        losses.append(
            reference_train_step(
                input_tensor, target_tensor, encoder, decoder, encoder_optimizer, decoder_optimizer, criterion
            )
        )
        sentences += 1
        tokens += target_tensor.size(0)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            break
    return {
        "tokens_per_second": tokens / elapsed,
        "sentences": sentences,
        "seconds": elapsed,
        "final_loss": statistics.fmean(losses[-200:]),
    }
