"""Train an encoder–decoder on sentence pairs: batching, the loop with progress and stop, and the CLI.

    python -m rnn_demo.training.train --preset default --out my_model.safetensors
    python -m rnn_demo.training.train --shipped rnn   # a shipped model, as `translators.py` declares it

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

from rnn_demo.core.evaluate import exactly_right, share_exactly_right
from rnn_demo.core.model import MODEL_KINDS, EncoderDecoder, ModelConfig, device
from rnn_demo.core.text import PAD_ID, Vocabulary
from rnn_demo.core.translate import translate_batch
from rnn_demo.data.corpus import SentencePair
from rnn_demo.data.subwords import PieceVocabulary, learn_pair_subwords
from rnn_demo.data.vocabulary import MAX_VOCAB_WORDS, bounded_vocabularies
from rnn_demo.training.adam import Adam
from rnn_demo.training.checkpoint import save_checkpoint
from rnn_demo.training.config import (
    PRECISIONS,
    PRESETS,
    Progress,
    Sample,
    TrainConfig,
    TrainedModel,
    Watched,
)
from rnn_demo.training.sentences import TrainingSentences, epoch_batches, phrasebook_held_out
from rnn_demo.training.translators import SHIPPED_MODELS, translator

FINAL_LEARNING_RATE_FACTOR = 0.05
CHECK_SIZE = 100  # held-out sentences checked while training (all of them at the end): a check is cheap
WATCHED_HELD_OUT = 3  # held-out sentences of different lengths a training translates at every check


def held_out_exact_match(trained: TrainedModel, pairs: Sequence[SentencePair]) -> float:
    """The share of German sentences translated exactly as one of their references. A real corpus
    may hold several right translations of one sentence (as separate pairs): any of them counts."""
    references: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for pair in pairs:
        references.setdefault(pair.key, []).extend(pair.target_references)
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


def watched_held_out(held_out: Sequence[SentencePair], count: int = WATCHED_HELD_OUT) -> list[Watched]:
    """`count` held-out sentences, from short to long, for a page to watch the training translate."""
    by_length = sorted({pair.key: pair for pair in held_out}.values(), key=lambda pair: pair.word_count)
    spread = sorted({round(i * (len(by_length) - 1) / max(count - 1, 1)) for i in range(count)})
    chosen = [by_length[i] for i in spread] if by_length else []
    references = {}
    for pair in held_out:
        references.setdefault(pair.key, []).extend(pair.target_references)
    return [Watched(pair.german_text, pair.key, tuple(references[pair.key])) for pair in chosen]


def watched_translations(trained: TrainedModel, watch: Sequence[Watched]) -> tuple[Sample, ...]:
    outputs = translate_batch(
        trained.model, [w.tokens for w in watch], trained.source_vocab, trained.target_vocab
    )
    return tuple(
        Sample(
            w.german,
            tuple(output),
            exactly_right(output, w.references) if w.references else None,
        )
        for w, output in zip(watch, outputs, strict=True)
    )


def vocabularies(config: TrainConfig, pairs: Sequence[SentencePair]) -> tuple[Vocabulary, Vocabulary]:
    """The German and English vocabularies a model learns from these pairs: the most frequent words
    (the phrasebook has far fewer than the bound, and its first sentences hold them all), or subword
    pieces learned from them (real text: almost nothing is unknown, and the output layer stays small)."""
    if config.vocabulary == "pieces":
        german, english = learn_pair_subwords(pairs)
        return PieceVocabulary(german), PieceVocabulary(english)
    return bounded_vocabularies(pairs, MAX_VOCAB_WORDS)


def uses_bfloat16(precision: str) -> bool:
    """Whether a training of this precision runs its matrix products in bfloat16: "auto" does where
    the CPU has bfloat16 units (AMX or AVX-512 BF16), which make them about twice as fast, and torch
    uses its AVX-512 kernels (`ATEN_CPU_CAPABILITY=avx2` imitates a CPU without them: float32 then)."""
    if precision != "auto":
        return precision == "bfloat16"
    if not torch.backends.cpu.get_cpu_capability().startswith("AVX512"):
        return False
    native = (
        getattr(torch.cpu, name, lambda: False)
        for name in ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    )
    return any(check() for check in native)


def _train_step(
    model: EncoderDecoder, optimizer, loss_function, batch, learning_rate: float, bfloat16: bool, clip: float
) -> tuple[float, int]:
    """One optimizer step on one batch, with teacher forcing: the summed loss and the target tokens."""
    source_ids, lengths, inputs, outputs = (tensor.to(device()) for tensor in batch)
    optimizer.learning_rate = learning_rate
    with torch.autocast(source_ids.device.type, dtype=torch.bfloat16, enabled=bfloat16):
        logits = model(source_ids, lengths, inputs)  # (B, U, V)
    token_count = int((outputs != PAD_ID).sum())
    loss = loss_function(logits.float().reshape(-1, logits.shape[-1]), outputs.reshape(-1))
    optimizer.zero_grad()
    (loss / token_count).backward()  # the mean over target tokens
    nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    return loss.item(), token_count


class _Clock:
    """Training time: wall time since the start, without the time the caller's progress callback
    takes (a benchmark may measure more there than a page would)."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.now = now
        self.start = now()
        self.paused = 0.0

    def elapsed(self) -> float:
        return self.now() - self.start - self.paused


class _Reports:
    """Progress reports: the loss since the last report, the held-out checks and the translations of
    the watched sentences at every check."""

    def __init__(
        self, trained: TrainedModel, held_out, watch, on_progress, on_check, clock: _Clock, threads, sentences
    ) -> None:
        self.trained, self.held_out, self.watch = trained, held_out, watch
        self.on_progress, self.on_check, self.clock = on_progress, on_check, clock
        self.threads, self.sentences = threads, sentences
        self.use_threads()
        self.loss, self.tokens = 0.0, 0  # since the last report
        self.last_report = self.last_check = 0.0
        self.exact: float | None = None

    def report(self, step: int, tokens_seen: int, steps_per_epoch: int, check: bool, final: bool = False):
        trained, config = self.trained, self.trained.config
        samples = None
        if check or final:
            checked = self.held_out if final else self.held_out[:CHECK_SIZE]
            self.exact = held_out_exact_match(trained, checked) if checked else None
            if self.watch:
                samples = watched_translations(trained, self.watch)
            trained.model.train()
        elapsed = self.clock.elapsed()
        epoch = step / steps_per_epoch
        seconds_left = config.time_budget_s - elapsed
        if config.epochs is not None:
            seconds_left = min(seconds_left, elapsed / max(epoch, 1e-9) * (config.epochs - epoch))
        progress = Progress(
            step,
            epoch,
            self.loss / max(self.tokens, 1),
            self.exact,
            tokens_seen / max(elapsed, 1e-9),
            elapsed,
            max(seconds_left, 0.0),
            samples,
        )
        trained.history.append(progress)
        if not final:  # the training is over: its caller's threads are back
            self.use_threads()
        self.loss, self.tokens, self.last_report = 0.0, 0, elapsed
        if check:
            self.last_check = elapsed
        paused_at = self.clock.now()
        if self.on_progress:
            self.on_progress(progress)
        if self.on_check and (check or final):
            self.on_check(trained, progress)
            trained.model.train()
        self.clock.paused += self.clock.now() - paused_at
        return progress

    def use_threads(self) -> None:
        """As many torch threads as `threads()` allows, one fewer while sentences are being made: two
        torch threads with the sentence maker on one of their cores trained slower than one thread."""
        if self.threads is None:
            return
        wanted = max(1, self.threads() - (1 if self.sentences.being_made else 0))
        if wanted != torch.get_num_threads():
            torch.set_num_threads(wanted)


def train(
    config: TrainConfig,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    report_every_s: float = 0.5,
    check_every_s: float = 2.0,
    data: tuple[list[SentencePair], list[SentencePair]] | None = None,
    watch: Sequence[Watched] = (),
    on_check: Callable[[TrainedModel, Progress], None] | None = None,
    clock: Callable[[], float] = time.perf_counter,
    threads: Callable[[], int] | None = None,
) -> TrainedModel:
    """Train a model from `config`. Returns what was learned, also when stopped early.

    Every `check_every_s` the model is checked on a few held-out sentences (all of them at the end)
    and translates the `watch` sentences and a few held-out ones, so that a page can show it learn.
    `on_check(trained, progress)` is called after every check with the model as it is then (a
    benchmark measures it there); like `on_progress`, its time is left out of the training clock.
    `clock` reads that clock: wall time from this call on, as a page sees it (a test may pass a
    clock of its own). `threads()`, asked at every report, says how many CPU threads torch may use
    now (None: torch's setting stays); while a process is still making the training's sentences the
    training leaves one of them to it.
    """
    clock = _Clock(clock)  # from the call on, as a page's Train button sees it: making data counts
    threads_before = torch.get_num_threads()  # put back at the end: `threads` may change them
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    if data is None:  # the phrasebook: its training sentences are made while the model trains
        held_out = phrasebook_held_out(config)
        sentences = TrainingSentences.phrasebook(config, held_out)
    else:
        held_out = data[1]
        sentences = TrainingSentences.given(data[0])
    try:
        source_vocab, target_vocab = vocabularies(config, sentences.first)
        model_config = ModelConfig(
            len(source_vocab), len(target_vocab), config.embedding_size, config.hidden_size, config.kind
        )
        model = EncoderDecoder(model_config).to(device())
        trained = TrainedModel(model, source_vocab, target_vocab, config)
        optimizer = Adam(model.parameters(), config.learning_rate)
        loss_function = nn.CrossEntropyLoss(ignore_index=PAD_ID, reduction="sum")

        sentences.start(source_vocab, target_vocab)
        steps_per_epoch = -(-sentences.total // config.batch_size)  # an estimate while sentences are made
        bfloat16 = uses_bfloat16(config.precision)

        watched = [*watch, *watched_held_out(held_out)]
        reports = _Reports(trained, held_out, watched, on_progress, on_check, clock, threads, sentences)
        step = tokens_seen = epoch = 0
        model.train()
        done = False
        while not done:
            for batch in epoch_batches(sentences, config.batch_size, epoch, rng):
                if stop is not None and stop.is_set():
                    trained.stopped_early = done = True
                    break
                rate = config.learning_rate * learning_rate_factor(
                    config, clock.elapsed(), step / steps_per_epoch
                )
                loss, token_count = _train_step(
                    model, optimizer, loss_function, batch, rate, bfloat16, config.clip
                )
                step += 1
                tokens_seen += token_count
                reports.loss += loss
                reports.tokens += token_count
                elapsed = clock.elapsed()
                if elapsed >= config.time_budget_s:
                    done = True
                    break
                if elapsed - reports.last_check >= check_every_s:
                    reports.report(step, tokens_seen, steps_per_epoch, check=True)
                    if config.target_exact_match is not None and reports.exact >= config.target_exact_match:
                        done = True
                        break
                elif elapsed - reports.last_report >= report_every_s:
                    reports.report(step, tokens_seen, steps_per_epoch, check=False)
            epoch += 1
            if config.epochs is not None and epoch >= config.epochs:
                done = True
    finally:
        sentences.close()
        torch.set_num_threads(threads_before)
    reports.report(step, tokens_seen, steps_per_epoch, check=False, final=True)
    model.eval()
    return trained


def main(argv: Sequence[str] | None = None) -> None:
    from tqdm import tqdm

    parser = argparse.ArgumentParser(description="Train an encoder-decoder on the phrasebook corpus.")
    parser.add_argument(
        "--shipped",
        choices=[model.id for model in SHIPPED_MODELS],
        default=None,
        help="train a shipped model again: its settings and its file (instead of --preset and --out)",
    )
    parser.add_argument("--preset", choices=sorted(PRESETS), default="default")
    parser.add_argument("--kind", choices=MODEL_KINDS, default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--time-budget", type=float, default=None, help="seconds")
    parser.add_argument("--hidden-size", type=int, default=None)
    parser.add_argument("--max-words", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    parser.add_argument(
        "--precision", choices=PRECISIONS, default=None, help="matrix products (default: the preset's)"
    )
    parser.add_argument(
        "--check-every",
        type=float,
        default=10.0,
        help="seconds between held-out checks (they count against a time budget)",
    )
    parser.add_argument("--out", default=None, help="checkpoint file to write (.safetensors)")
    args = parser.parse_args(argv)
    shipped = translator(args.shipped) if args.shipped else None
    out = args.out or (shipped.checkpoint if shipped else None)
    if out is None:
        parser.error("--out is needed unless --shipped names the model")
    # both cores (or as many as asked), less one for the sentence maker while it makes sentences
    threads = args.threads if args.threads is not None else torch.get_num_threads()
    overrides = {
        name: value
        for name, value in [
            ("kind", args.kind),
            ("seed", args.seed),
            ("time_budget_s", args.time_budget),
            ("hidden_size", args.hidden_size),
            ("max_words", args.max_words),
            ("precision", args.precision),
        ]
        if value is not None
    }
    config = replace(shipped.config if shipped else PRESETS[args.preset], **overrides)
    # the bar counts epochs when the run is set by epochs, else seconds of the time budget
    by_epochs = config.epochs is not None
    total = config.epochs if by_epochs else round(config.time_budget_s)
    name = args.shipped or args.preset
    bar = tqdm(total=total, unit="epoch" if by_epochs else "s", desc=f"training {name}")

    def show(progress: Progress) -> None:
        bar.n = min(round(progress.epoch, 2) if by_epochs else round(progress.elapsed_s), bar.total)
        accuracy = "-" if progress.held_out_exact is None else f"{progress.held_out_exact:.1%}"
        bar.set_postfix(
            loss=f"{progress.loss:.3f}", exact=accuracy, tok_s=f"{progress.tokens_per_second:,.0f}"
        )

    trained = train(config, on_progress=show, check_every_s=args.check_every, threads=lambda: threads)
    bar.close()
    save_checkpoint(trained, out)
    print(
        f"held-out exact match {trained.held_out_exact:.1%} after {trained.history[-1].elapsed_s:.1f} s; "
        f"wrote {out}"
    )


if __name__ == "__main__":
    main()
