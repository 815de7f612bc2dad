"""Using both cores for one training: training throughput with one torch thread, with two, and with two
processes of one thread each that share their gradients (torch's DistributedDataParallel over gloo,
each process half of every batch), on the same sentences, model and batch size.

    python -m benchmarks.two_cores --seconds 20 --batch 128

Each figure is target tokens per second of training, all processes together.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import time
from dataclasses import replace

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

from rnn_demo.core.model import EncoderDecoder, ModelConfig
from rnn_demo.core.text import PAD_ID
from rnn_demo.data.vocabulary import bounded_vocabularies
from rnn_demo.training.config import PRESETS, TrainConfig
from rnn_demo.training.sentences import TrainingSentences, epoch_batches, phrasebook_held_out
from rnn_demo.training.train import uses_bfloat16

PAIRS = 8_000  # made once; a run goes over them as often as its seconds allow


def _setup(config: TrainConfig, batch_size: int):
    """The model and a list of batches of the phrasebook, as a training makes them."""
    held_out = phrasebook_held_out(config)
    sentences = TrainingSentences.phrasebook(replace(config, train_pairs=PAIRS), held_out)
    source_vocab, target_vocab = bounded_vocabularies(sentences.first)
    sentences.start(source_vocab, target_vocab)
    batches = list(epoch_batches(sentences, batch_size, 0, random.Random(0)))
    torch.manual_seed(0)
    model_config = ModelConfig(
        len(source_vocab), len(target_vocab), config.embedding_size, config.hidden_size
    )
    return EncoderDecoder(model_config), batches


def _train_for(model: nn.Module, batches: list, seconds: float, bfloat16: bool) -> float:
    """Train for `seconds`; target tokens per second of this process."""
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    loss_function = nn.CrossEntropyLoss(ignore_index=PAD_ID, reduction="sum")
    tokens, step, start = 0, 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        source_ids, lengths, inputs, outputs = batches[step % len(batches)]
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bfloat16):
            logits = model(source_ids, lengths, inputs)
        count = int((outputs != PAD_ID).sum())
        loss = loss_function(logits.float().reshape(-1, logits.shape[-1]), outputs.reshape(-1))
        optimizer.zero_grad()
        (loss / count).backward()
        optimizer.step()
        tokens += count
        step += 1
    return tokens / (time.perf_counter() - start)


def _process(rank: int, port: int, config: TrainConfig, batch: int, seconds: float, results) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=2)
    model, batches = _setup(config, batch // 2)  # half of every batch in each process
    shared = nn.parallel.DistributedDataParallel(model)
    results.put(_train_for(shared, batches[rank::2], seconds, uses_bfloat16(config.precision)))
    dist.destroy_process_group()


def two_processes(config: TrainConfig, batch: int, seconds: float) -> float:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    context = mp.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(target=_process, args=(rank, port, config, batch, seconds, results))
        for rank in range(2)
    ]
    for process in processes:
        process.start()
    total = sum(results.get(timeout=seconds + 300) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    return total


def measure(config: TrainConfig, batch: int, seconds: float) -> dict[str, float]:
    bfloat16 = uses_bfloat16(config.precision)
    measured = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        model, batches = _setup(config, batch)
        name = f"{threads} thread{'s' if threads > 1 else ''}"
        measured[name] = _train_for(model, batches, seconds, bfloat16)
    measured["2 processes sharing gradients"] = two_processes(config, batch, seconds)
    return measured


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.two_cores", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--batch", type=int, default=PRESETS["default"].batch_size)
    parser.add_argument("--precision", default=PRESETS["default"].precision)
    args = parser.parse_args(argv)
    config = replace(PRESETS["default"], precision=args.precision)
    for name, tokens_per_second in measure(config, args.batch, args.seconds).items():
        print(f"{name:32s} {tokens_per_second:10,.0f} target tokens/s")


if __name__ == "__main__":
    main()
