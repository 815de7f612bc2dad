"""Train an encoder–decoder on sentence pairs: batching, the loop with progress and stop, and the CLI.

    python -m rnn_demo.training.train --preset default --out rnn_demo/checkpoints/rnn.safetensors

The loop is ordinary mini-batch training with teacher forcing: Adam, gradient clipping, padded and
packed batches of similar length. It reports progress through a callback, checks a stop flag at every
step, and ends at a time budget, an epoch count or a held-out exact-match target, whichever is first.
"""

from __future__ import annotations

import argparse
import math
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

import torch
from torch import nn

from rnn_demo.core.evaluate import share_exactly_right
from rnn_demo.core.model import MODEL_KINDS, EncoderDecoder, ModelConfig, device
from rnn_demo.core.text import BOS_ID, EOS_ID, PAD_ID
from rnn_demo.core.translate import translate_batch
from rnn_demo.data.corpus import SentencePair, generate_pairs
from rnn_demo.data.vocabulary import MAX_VOCAB_WORDS, bounded_vocabularies
from rnn_demo.training.checkpoint import save_checkpoint
from rnn_demo.training.config import HELD_OUT_SIZE, PRESETS, Progress, TrainConfig, TrainedModel

HELD_OUT_SEED_OFFSET = 1_000_003  # held-out pairs come from another generator seed, then are filtered
FINAL_LEARNING_RATE_FACTOR = 0.05


def split_data(config: TrainConfig) -> tuple[list[SentencePair], list[SentencePair]]:
    """Training pairs and held-out pairs (3..max_words German words) that share no German sentence."""
    train = generate_pairs(config.train_pairs, seed=config.seed, min_words=3, max_words=config.max_words)
    seen = {pair.key for pair in train}
    candidates = generate_pairs(
        4 * HELD_OUT_SIZE, seed=config.seed + HELD_OUT_SEED_OFFSET, min_words=3, max_words=config.max_words
    )
    held_out = [pair for pair in candidates if pair.key not in seen][:HELD_OUT_SIZE]
    return train, held_out


def make_batches(
    sources: list[list[int]], targets: list[list[int]], batch_size: int, rng: random.Random
) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]]:
    """Shuffled batches of sentences of similar length (less padding): source_ids (B, T), source
    lengths (B,), decoder inputs (B, U) = BOS + target, decoder targets (B, U) = target + EOS."""
    order = list(range(len(sources)))
    rng.shuffle(order)
    # sort within windows of 50 batches by source length, then shuffle the batches
    window = 50 * batch_size
    order = [
        i
        for start in range(0, len(order), window)
        for i in sorted(order[start : start + window], key=lambda i: len(sources[i]))
    ]
    batches = []
    for start in range(0, len(order), batch_size):
        chosen = order[start : start + batch_size]
        source_width = max(len(sources[i]) for i in chosen)
        target_width = max(len(targets[i]) for i in chosen) + 1
        source_ids = torch.full((len(chosen), source_width), PAD_ID, dtype=torch.long)
        inputs = torch.full((len(chosen), target_width), PAD_ID, dtype=torch.long)
        outputs = torch.full((len(chosen), target_width), PAD_ID, dtype=torch.long)
        for row, i in enumerate(chosen):
            source, target = sources[i], targets[i]
            source_ids[row, : len(source)] = torch.tensor(source)
            inputs[row, : len(target) + 1] = torch.tensor([BOS_ID, *target])
            outputs[row, : len(target) + 1] = torch.tensor([*target, EOS_ID])
        lengths = torch.tensor([len(sources[i]) for i in chosen])
        batches.append((source_ids, lengths, inputs, outputs))
    rng.shuffle(batches)
    return batches


def held_out_exact_match(trained: TrainedModel, pairs: Sequence[SentencePair]) -> float:
    """The share of German sentences translated exactly as one of their references. A real corpus
    may hold several right translations of one sentence (as separate pairs): any of them counts."""
    references: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for pair in pairs:
        references.setdefault(pair.key, []).append(pair.target_tokens)
    sentences = list(references)
    outputs = translate_batch(trained.model, sentences, trained.source_vocab, trained.target_vocab)
    return share_exactly_right(outputs, [references[key] for key in sentences])


def learning_rate_factor(config: TrainConfig, elapsed_s: float, epochs_done: float) -> float:
    """Cosine decay from 1 to FINAL_LEARNING_RATE_FACTOR over the run (its budget or its epochs).

    A high rate learns fast early; a low one at the end lets the weights settle.
    """
    done = elapsed_s / config.time_budget_s
    if config.epochs is not None:
        done = max(done, epochs_done / config.epochs)
    done = min(done, 1.0)
    return FINAL_LEARNING_RATE_FACTOR + (1 - FINAL_LEARNING_RATE_FACTOR) * 0.5 * (
        1 + math.cos(math.pi * done)
    )


def train(
    config: TrainConfig,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    report_every_s: float = 0.5,
    evaluate_every_s: float = 2.0,
    data: tuple[list[SentencePair], list[SentencePair]] | None = None,
) -> TrainedModel:
    """Train a model from `config`. Returns what was learned, also when stopped early."""
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    train_pairs, held_out = data or split_data(config)
    # the phrasebook has far fewer words than the bound; an uploaded corpus may have more
    source_vocab, target_vocab = bounded_vocabularies(train_pairs, MAX_VOCAB_WORDS)
    model_config = ModelConfig(
        len(source_vocab), len(target_vocab), config.embedding_size, config.hidden_size, config.kind
    )
    where = device()
    model = EncoderDecoder(model_config).to(where)
    trained = TrainedModel(model, source_vocab, target_vocab, config)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    loss_function = nn.CrossEntropyLoss(ignore_index=PAD_ID, reduction="sum")
    sources = [source_vocab.encode(pair.key) for pair in train_pairs]
    targets = [target_vocab.encode(pair.target_tokens) for pair in train_pairs]
    steps_per_epoch = -(-len(sources) // config.batch_size)

    start = time.perf_counter()
    step, tokens_seen, recent_loss, recent_tokens = 0, 0, 0.0, 0
    last_report = last_evaluation = start
    held_out_exact: float | None = None

    def report(now: float, evaluate: bool) -> None:
        nonlocal held_out_exact, recent_loss, recent_tokens, last_report, last_evaluation
        if evaluate and held_out:
            held_out_exact = held_out_exact_match(trained, held_out)
            model.train()
            last_evaluation = time.perf_counter()
        elapsed = now - start
        epoch = step / steps_per_epoch
        if config.epochs is not None:
            left = elapsed / max(epoch, 1e-9) * (config.epochs - epoch)
            seconds_left = min(left, config.time_budget_s - elapsed)
        else:
            seconds_left = config.time_budget_s - elapsed
        progress = Progress(
            step,
            epoch,
            recent_loss / max(recent_tokens, 1),
            held_out_exact,
            tokens_seen / max(elapsed, 1e-9),
            elapsed,
            max(seconds_left, 0.0),
        )
        trained.history.append(progress)
        if on_progress:
            on_progress(progress)
        recent_loss, recent_tokens, last_report = 0.0, 0, now

    model.train()
    epoch = 0
    done = False
    while not done:
        for source_ids, lengths, inputs, outputs in make_batches(sources, targets, config.batch_size, rng):
            if stop is not None and stop.is_set():
                trained.stopped_early = done = True
                break
            source_ids, inputs, outputs = source_ids.to(where), inputs.to(where), outputs.to(where)
            logits = model(source_ids, lengths, inputs)  # (B, U, V)
            token_count = int((outputs != PAD_ID).sum())
            loss = loss_function(logits.reshape(-1, logits.shape[-1]), outputs.reshape(-1))
            for group in optimizer.param_groups:
                group["lr"] = config.learning_rate * learning_rate_factor(
                    config, time.perf_counter() - start, step / steps_per_epoch
                )
            optimizer.zero_grad()
            (loss / token_count).backward()
            nn.utils.clip_grad_norm_(model.parameters(), config.clip)
            optimizer.step()
            step += 1
            tokens_seen += token_count
            recent_loss += loss.item()
            recent_tokens += token_count
            now = time.perf_counter()
            if now - start >= config.time_budget_s:
                done = True
                break
            if now - last_evaluation >= evaluate_every_s:
                report(now, evaluate=True)
                if config.target_exact_match is not None and held_out_exact >= config.target_exact_match:
                    done = True
                    break
            elif now - last_report >= report_every_s:
                report(now, evaluate=False)
        epoch += 1
        if config.epochs is not None and epoch >= config.epochs:
            done = True
    report(time.perf_counter(), evaluate=True)
    model.eval()
    return trained


def main(argv: Sequence[str] | None = None) -> None:
    from tqdm import tqdm

    parser = argparse.ArgumentParser(description="Train an encoder-decoder on the phrasebook corpus.")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="default")
    parser.add_argument("--kind", choices=MODEL_KINDS, default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--time-budget", type=float, default=None, help="seconds")
    parser.add_argument("--hidden-size", type=int, default=None)
    parser.add_argument("--max-words", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    parser.add_argument("--evaluate-every", type=float, default=10.0,
                        help="seconds between held-out evaluations (they count against a time budget)")
    parser.add_argument("--out", required=True, help="checkpoint file to write (.safetensors)")
    args = parser.parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    overrides = {
        name: value
        for name, value in [
            ("kind", args.kind),
            ("seed", args.seed),
            ("time_budget_s", args.time_budget),
            ("hidden_size", args.hidden_size),
            ("max_words", args.max_words),
        ]
        if value is not None
    }
    config = replace(PRESETS[args.preset], **overrides)
    # the bar counts epochs when the run is set by epochs, else seconds of the time budget
    by_epochs = config.epochs is not None
    total = config.epochs if by_epochs else round(config.time_budget_s)
    bar = tqdm(total=total, unit="epoch" if by_epochs else "s", desc=f"training {args.preset}")

    def show(progress: Progress) -> None:
        bar.n = min(round(progress.epoch, 2) if by_epochs else round(progress.elapsed_s), bar.total)
        accuracy = "-" if progress.held_out_exact is None else f"{progress.held_out_exact:.1%}"
        bar.set_postfix(
            loss=f"{progress.loss:.3f}", exact=accuracy, tok_s=f"{progress.tokens_per_second:,.0f}"
        )

    trained = train(config, on_progress=show, evaluate_every_s=args.evaluate_every)
    bar.close()
    save_checkpoint(trained, args.out)
    print(
        f"held-out exact match {trained.held_out_exact:.1%} after {trained.history[-1].elapsed_s:.1f} s; "
        f"wrote {args.out}"
    )


if __name__ == "__main__":
    main()
