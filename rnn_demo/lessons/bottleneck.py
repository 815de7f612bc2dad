"""Quality against sentence length for word-by-word, the plain RNN and the attention RNN.

    python -m rnn_demo.lessons.bottleneck --out rnn_demo/results/bottleneck.json

scores the shipped Bottleneck models (and the word-by-word lexicon) on a held-out set whose German
lengths are spread evenly from 3 to 30 words and which shares no sentence with any training set, and
writes the scores by length bucket, and the alignment error rate of the attention model and of IBM
Model 1 (`alignment.py`): what the Bottleneck page shows without computing anything.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from rnn_demo.core.evaluate import closest_reference, scores_by_length
from rnn_demo.core.lexicon import Lexicon
from rnn_demo.core.translate import translate_batch
from rnn_demo.data.corpus import MAX_WORDS, MIN_WORDS, SentencePair, generate_pairs
from rnn_demo.lessons.alignment import ATTENTION, AlignmentRow, measure_alignments
from rnn_demo.lessons.gloss import LEXICON_SEED, PHRASEBOOK_LEXICON_PAIRS, gloss_sentence
from rnn_demo.training.checkpoint import CHECKPOINTS_DIR, load_checkpoint
from rnn_demo.training.config import TrainConfig, TrainedModel
from rnn_demo.training.sentences import phrasebook_training_keys

HELD_OUT_SEED = 7_000_000  # per length L, seed HELD_OUT_SEED + L; no training uses these seeds
PER_LENGTH = 72  # 28 lengths x 72 = 2,016 sentences
RESULTS_PATH = Path(__file__).resolve().parents[1] / "results" / "bottleneck.json"
WIDER = "RNN, 512 hidden units"
# The shipped models, by the name the page gives them: all trained by the "bottleneck" preset
SHIPPED_MODELS = {
    "RNN": CHECKPOINTS_DIR / "bottleneck_rnn.safetensors",
    "RNN + attention": CHECKPOINTS_DIR / "bottleneck_attention.safetensors",
    WIDER: CHECKPOINTS_DIR / "bottleneck_rnn_512.safetensors",
}


@dataclass(frozen=True)
class Row:
    translator: str
    low: int  # the length bucket, in German words
    high: int
    sentences: int
    exact_match: float  # 0-1
    bleu: float  # 0-100
    chrf: float  # 0-100


def training_keys(configs: Iterable[TrainConfig]) -> set[tuple[str, ...]]:
    """The German sentences that phrasebook trainings with these configs learn from. The sentences
    depend on the seed, the number of pairs, the longest length and short_first: models alike in
    those (the Bottleneck page's three) share one set, made once."""
    same_sentences = {(c.seed, c.train_pairs, c.max_words, c.short_first): c for c in configs}
    keys: set[tuple[str, ...]] = set()
    for config in same_sentences.values():
        keys |= phrasebook_training_keys(config)
    return keys


def held_out_by_length(
    exclude: set[tuple[str, ...]], per_length: int = PER_LENGTH, seed: int = HELD_OUT_SEED
) -> list[SentencePair]:
    """`per_length` distinct pairs of each length from 3 to 30 German words, none of them in `exclude`."""
    pairs: list[SentencePair] = []
    for length in range(MIN_WORDS, MAX_WORDS + 1):
        candidates = generate_pairs(
            2 * per_length, seed=seed + length, min_words=length, max_words=length, unique=True
        )
        kept = [pair for pair in candidates if pair.key not in exclude][:per_length]
        if len(kept) < per_length:
            raise RuntimeError(f"only {len(kept)} held-out pairs of {length} words")
        pairs += kept
    return pairs


def held_out_for(models: Iterable[TrainedModel]) -> list[SentencePair]:
    """The held-out set for the word-by-word lexicon and these models: no pair any of them trained on."""
    lexicon_pairs = generate_pairs(PHRASEBOOK_LEXICON_PAIRS, seed=LEXICON_SEED)
    models_pairs = training_keys(model.config for model in models)
    return held_out_by_length({pair.key for pair in lexicon_pairs} | models_pairs)


def word_by_word_translations(lexicon: Lexicon, pairs: Sequence[SentencePair]) -> list[list[str]]:
    return [gloss_sentence(lexicon, pair.german).words for pair in pairs]


def model_translations(trained: TrainedModel, pairs: Sequence[SentencePair]) -> list[list[str]]:
    return translate_batch(
        trained.model, [list(pair.key) for pair in pairs], trained.source_vocab, trained.target_vocab
    )


def measure(
    lexicon: Lexicon,
    models: dict[str, TrainedModel],
    pairs: Sequence[SentencePair],
    on_progress: Callable[[str], None] | None = None,
) -> list[Row]:
    """Scores by length bucket for word-by-word and each model (name -> trained model)."""
    references = [pair.target_references for pair in pairs]  # any right translation counts
    word_counts = [pair.word_count for pair in pairs]
    translations = {"word by word": lambda: word_by_word_translations(lexicon, pairs)}
    translations |= {
        name: (lambda trained=trained: model_translations(trained, pairs)) for name, trained in models.items()
    }
    rows = []
    for name, translate_all in translations.items():
        if on_progress:
            on_progress(name)
        outputs = translate_all()
        closest = [closest_reference(o, r) for o, r in zip(outputs, references, strict=True)]
        by_length = scores_by_length(outputs, closest, word_counts)
        rows += [
            Row(name, low, high, s.sentences, s.exact_match, s.bleu, s.chrf)
            for (low, high), s in by_length.items()
        ]
    return rows


def save_rows(rows: Sequence[Row], path: Path, about: dict, alignment: Sequence[AlignmentRow] = ()) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    results = {
        "about": about,
        "rows": [asdict(row) for row in rows],
        "alignment": [asdict(row) for row in alignment],
    }
    path.write_text(json.dumps(results, indent=1) + "\n")


def load_rows(path: Path = RESULTS_PATH) -> list[Row]:
    return [Row(**row) for row in json.loads(path.read_text())["rows"]]


def load_alignment_rows(path: Path = RESULTS_PATH) -> list[AlignmentRow]:
    """The alignment error rates of the shipped results; none in a file made before they were measured."""
    return [AlignmentRow(**row) for row in json.loads(path.read_text()).get("alignment", [])]


def alignment_table(rows: Sequence[AlignmentRow]) -> str:
    """A Markdown table: one line per length band, the AER of each aligner."""
    names = list(dict.fromkeys(row.aligner for row in rows))
    bands = list(dict.fromkeys((row.low, row.high) for row in rows))
    by_key = {(row.aligner, row.low, row.high): row for row in rows}
    lines = ["| German words | sentences | " + " | ".join(f"{n}: AER" for n in names) + " |"]
    lines.append("|---|---|" + "---|" * len(names))
    for low, high in bands:
        cells = [f"{by_key[n, low, high].aer:.1%}" for n in names]
        sentences = by_key[names[0], low, high].sentences
        lines.append(f"| {low}–{high} | {sentences} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table(rows: Sequence[Row]) -> str:
    """A Markdown table: one line per length bucket, BLEU and exact match per translator."""
    names = list(dict.fromkeys(row.translator for row in rows))
    buckets = list(dict.fromkeys((row.low, row.high) for row in rows))
    by_key = {(row.translator, row.low, row.high): row for row in rows}
    lines = [
        "| German words | sentences | " + " | ".join(f"{n}: BLEU / exact" for n in names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for low, high in buckets:
        cells = [f"{by_key[n, low, high].bleu:.1f} / {by_key[n, low, high].exact_match:.0%}" for n in names]
        lines.append(
            f"| {low}–{high} | {by_key[names[0], low, high].sentences} | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    from rnn_demo.lessons.gloss import phrasebook_lexicon

    parser = argparse.ArgumentParser(description="Score word-by-word and the models by sentence length.")
    parser.add_argument("--rnn", default=str(SHIPPED_MODELS["RNN"]))
    parser.add_argument("--attention", default=str(SHIPPED_MODELS["RNN + attention"]))
    parser.add_argument("--wider", default=str(SHIPPED_MODELS[WIDER]))
    parser.add_argument("--out", default=str(RESULTS_PATH))
    args = parser.parse_args(argv)
    models = {
        "RNN": load_checkpoint(args.rnn),
        "RNN + attention": load_checkpoint(args.attention),
        WIDER: load_checkpoint(args.wider),
    }
    lexicon, _ = phrasebook_lexicon()
    start = time.perf_counter()
    pairs = held_out_for(models.values())
    built = time.perf_counter()
    rows = measure(lexicon, models, pairs, on_progress=lambda name: print(f"scoring {name}…", flush=True))
    print("scoring the alignments…", flush=True)
    alignment = measure_alignments(lexicon, models[ATTENTION], pairs)
    about = {
        "held_out_sentences": len(pairs),
        # building the held-out set means regenerating every training set to exclude its sentences
        "held_out_seconds": round(built - start, 1),
        "scoring_seconds": round(time.perf_counter() - built, 1),
        "models": {name: m.config.to_dict() for name, m in models.items()},
    }
    save_rows(rows, Path(args.out), about, alignment)
    print(table(rows))
    print(alignment_table(alignment))
    print(
        f"wrote {args.out}: held-out set built in {about['held_out_seconds']} s, "
        f"{len(pairs):,} sentences scored with {len(models) + 1} translators in {about['scoring_seconds']} s"
    )


if __name__ == "__main__":
    main()
