"""Training on real German–English text, as the Your-own-corpus and Encoder–decoder pages do it.

    python -m benchmarks.real_text PAIRS_FILE [--budget 300] [--phrasebook-seconds 30] [--short-first 0.3]

PAIRS_FILE is a file of real sentence pairs as people download them (a Tatoeba export, zip or text;
kept outside the project: the project holds no text it did not write). The file goes through the
upload path (read, columns guessed, lengths 3 to 15, held-out split, dictionary), then a model of
subword pieces trains on it with the page's settings for `--budget` seconds. Reported: training
throughput in target tokens per second, against the phrasebook's default training in the same run;
the unknown share of held-out German; and BLEU, chrF and exact match on held-out sentences of 3 to 6
German words (and of every length), with the word-by-word dictionary beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
from dataclasses import replace
from pathlib import Path

from benchmarks.report import logger
from rnn_demo.core.evaluate import corpus_scores
from rnn_demo.core.text import UNK
from rnn_demo.core.translate import translate_batch
from rnn_demo.data.table import parse_table
from rnn_demo.data.text_file import open_text
from rnn_demo.data.upload import guess_columns, to_pairs
from rnn_demo.lessons.corpora import uploaded_corpus
from rnn_demo.lessons.gloss import gloss_sentence
from rnn_demo.training.config import PRESETS
from rnn_demo.training.train import train

SHORT = (3, 6)  # German words of the held-out sentences the BLEU target is about
log = logger("real text")


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.real_text", description=__doc__.split("\n")[0]
    )
    parser.add_argument("pairs_file", type=Path)
    parser.add_argument("--budget", type=float, default=300.0, help="seconds of training on the real text")
    parser.add_argument("--phrasebook-seconds", type=float, default=30.0)
    parser.add_argument("--longest", type=int, default=15, help="German words per sentence, as on the page")
    parser.add_argument("--short-first", type=float, default=PRESETS["real text"].short_first,
                        help="share of the first pass trained short first (default: the page's)")  # fmt: skip
    args = parser.parse_args(argv)

    log(f"reading {args.pairs_file.name}")
    decoded = open_text(args.pairs_file.read_bytes())
    table = parse_table(decoded)
    columns = guess_columns(table)
    kept = to_pairs(decoded, table, columns.german, columns.english, 3, args.longest)
    corpus = uploaded_corpus(args.pairs_file.name, kept.pairs)
    log(f"{len(corpus.train_pairs):,} training pairs, {len(corpus.held_out):,} held out")

    pairs = max(20, min(len(corpus.train_pairs), 200_000))
    config = replace(PRESETS["real text"], short_first=args.short_first, time_budget_s=args.budget,
                     max_words=args.longest, train_pairs=pairs)  # fmt: skip
    log(f"training a model of pieces for {args.budget:g} s")
    held_out = corpus.held_out_sentences
    short = [i for i, pair in enumerate(held_out) if SHORT[0] <= pair.word_count <= SHORT[1]]
    curve = []

    def measure(trained, progress) -> None:
        """At each check (off the training clock): how many passes so far, and the short sentences' scores.
        This is what the page's one line before training is calibrated on (lessons/expectations.py)."""
        outputs = translate_batch(
            trained.model, [held_out[i].key for i in short], trained.source_vocab, trained.target_vocab
        )
        got = corpus_scores(outputs, [held_out[i].english for i in short])
        curve.append({"seconds": progress.elapsed_s, "passes": progress.epoch, "bleu": got.bleu,
                      "exact": got.exact_match})  # fmt: skip
        log(
            f"  {progress.elapsed_s:5.0f} s, {progress.epoch:4.1f} passes: short BLEU {got.bleu:.1f}, "
            f"exact {got.exact_match:.1%}"
        )

    def cores() -> int:  # wall time, as the page sees it, on the cores a server with one visitor gives
        return os.cpu_count() or 1

    data = corpus.training_data(config)
    real = train(config, data=data, check_every_s=10.0, threads=cores, on_check=measure)
    log(f"training the phrasebook's default for {args.phrasebook_seconds:g} s")
    phrasebook_config = replace(PRESETS["default"], time_budget_s=args.phrasebook_seconds)
    phrasebook = train(phrasebook_config, check_every_s=10.0, threads=cores)

    outputs = translate_batch(
        real.model, [pair.key for pair in held_out], real.source_vocab, real.target_vocab
    )
    glosses = [gloss_sentence(corpus.lexicon, pair.german).words for pair in held_out]
    splits = [real.source_vocab.split(list(pair.key))[0] for pair in held_out]
    unknown = statistics.fmean(UNK in pieces for pieces in splits)

    def scores(translations, chosen):
        return corpus_scores([translations[i] for i in chosen], [held_out[i].english for i in chosen])

    results = {
        "real_tokens_per_second": real.history[-1].tokens_per_second,
        "phrasebook_tokens_per_second": phrasebook.history[-1].tokens_per_second,
        "held_out_sentences": len(held_out),
        "short_sentences": len(short),
        "unknown_german_sentences_share": unknown,
        "model_short": scores(outputs, short),
        "model_all": scores(outputs, range(len(held_out))),
        "word_by_word_short": scores(glosses, short),
        "final_exact": real.held_out_exact,
        "curve": curve,
    }
    ratio = results["real_tokens_per_second"] / results["phrasebook_tokens_per_second"]
    log(
        f"throughput: real {results['real_tokens_per_second']:,.0f}, phrasebook "
        f"{results['phrasebook_tokens_per_second']:,.0f} target tokens/s (ratio {ratio:.2f})"
    )
    for name in ("model_short", "model_all", "word_by_word_short"):
        got = results[name]
        shown = f"BLEU {got.bleu:.1f}, chrF {got.chrf:.1f}, exact {got.exact_match:.1%}"
        log(f"{name}: {got.sentences} sentences, {shown}")
    log(f"held-out sentences with a character no piece holds: {unknown:.2%}")
    return results


if __name__ == "__main__":
    main()
