"""Quality against sentence length for word-by-word, the plain RNN and the attention RNN.

    python -m rnn_demo.lessons.bottleneck --out rnn_demo/results/bottleneck.json

scores the shipped Bottleneck models (and the word-by-word lexicon) on a held-out set whose German
lengths are spread evenly from 3 to 30 words and which shares no sentence with any training set, and
writes the scores by length bucket, and the alignment error rate of the attention model and of IBM
Model 1 (`alignment.py`): what the Bottleneck page shows without computing anything. The results
name each translator by its id in `training/translators.py`, which says how the page names it.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from rnn_demo.core.evaluate import closest_reference, scores_by_length
from rnn_demo.core.lexicon import Lexicon
from rnn_demo.core.translate import translate_batch
from rnn_demo.data.corpus import MAX_WORDS, MIN_WORDS, SentencePair, generate_pairs
from rnn_demo.lessons.alignment import ATTENTION, AlignmentRow, measure_alignments
from rnn_demo.lessons.gloss import LEXICON_SEED, PHRASEBOOK_LEXICON_PAIRS, gloss_sentence
from rnn_demo.training.checkpoint import load_checkpoint
from rnn_demo.training.config import TrainConfig, TrainedModel
from rnn_demo.training.registry import ModelKey
from rnn_demo.training.sentences import phrasebook_training_keys
from rnn_demo.training.translators import (
    BOTTLENECK_MODELS,
    TRAINED_STYLES,
    WORD_BY_WORD,
    Translator,
    translator,
)

HELD_OUT_SEED = 7_000_000  # per length L, seed HELD_OUT_SEED + L; no training uses these seeds
PER_LENGTH = 72  # 28 lengths x 72 = 2,016 sentences
RESULTS_PATH = Path(__file__).resolve().parents[1] / "results" / "bottleneck.json"


@dataclass(frozen=True)
class Row:
    translator: str  # a Translator's id
    low: int  # the length bucket, in German words
    high: int
    sentences: int
    exact_match: float  # 0-1
    bleu: float  # 0-100
    chrf: float  # 0-100


def wider_by(narrow: int, wide: int) -> str:
    """How many times as wide, in words.

    >>> wider_by(256, 512), wider_by(128, 384), wider_by(256, 384)
    ('twice', '3 times', '1.5 times')
    """
    ratio = wide / narrow
    return "twice" if ratio == 2 else f"{ratio:g} times"


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
    models: Mapping[str, TrainedModel],
    pairs: Sequence[SentencePair],
    on_progress: Callable[[str], None] | None = None,
) -> list[Row]:
    """Scores by length bucket for word-by-word and each model (translator id -> trained model);
    `on_progress` is told the id of each translator as its scoring begins."""
    references = [pair.target_references for pair in pairs]  # any right translation counts
    word_counts = [pair.word_count for pair in pairs]
    translations = {WORD_BY_WORD.id: lambda: word_by_word_translations(lexicon, pairs)}
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


@dataclass(frozen=True)
class ScoresByLength:
    """Rows reshaped for a chart: a label per length bucket, and each translator's scores in them."""

    labels: list[str]  # "3–5", "6–10", ...
    exact_match: dict[str, list[float]]  # translator id -> % of sentences exactly right, per bucket
    bleu: dict[str, list[float]]  # translator id -> BLEU (0-100), per bucket


def scores_by_translator(rows: Sequence[Row], translator_ids: Iterable[str]) -> ScoresByLength:
    """The scores of these translators (in the order the rows hold them) by length bucket."""
    wanted = set(translator_ids)
    rows = [row for row in rows if row.translator in wanted]
    names = list(dict.fromkeys(row.translator for row in rows))
    buckets = list(dict.fromkeys((row.low, row.high) for row in rows))
    by_key = {(row.translator, row.low, row.high): row for row in rows}
    return ScoresByLength(
        [f"{low}–{high}" for low, high in buckets],
        {name: [100 * by_key[name, low, high].exact_match for low, high in buckets] for name in names},
        {name: [by_key[name, low, high].bleu for low, high in buckets] for name in names},
    )


def trained_translators(models: Mapping[ModelKey, TrainedModel]) -> dict[Translator, TrainedModel]:
    """Models trained in the page (on one corpus) as translators: named by kind and width, two of the
    same kind and width numbered, each drawn in its own style, in the order they were trained."""
    named: dict[Translator, TrainedModel] = {}
    for number, (key, trained) in enumerate(models.items()):
        same = sum(t.name.startswith(key.description) for t in named)
        name = key.description if not same else f"{key.description} ({same + 1})"
        style = TRAINED_STYLES[number % len(TRAINED_STYLES)]
        named[Translator(f"trained_{number + 1}", name, style, trained.config)] = trained
    return named


def shipped_models(paths: Mapping[str, str | Path] | None = None) -> dict[str, TrainedModel]:
    """The shipped Bottleneck models, by id, read from their files (or from `paths`: id -> file)."""
    paths = paths or {}
    return {t.id: load_checkpoint(paths.get(t.id) or t.checkpoint) for t in BOTTLENECK_MODELS}


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
    shown = [translator(name).name for name in names]
    lines = ["| German words | sentences | " + " | ".join(f"{n}: AER" for n in shown) + " |"]
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
    shown = [translator(name).name for name in names]
    lines = [
        "| German words | sentences | " + " | ".join(f"{n}: BLEU / exact" for n in shown) + " |",
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
    for model in BOTTLENECK_MODELS:
        parser.add_argument(f"--{model.id}", default=str(model.checkpoint), help=f"{model.name}: its file")
    parser.add_argument("--out", default=str(RESULTS_PATH))
    args = parser.parse_args(argv)
    models = shipped_models({model.id: getattr(args, model.id) for model in BOTTLENECK_MODELS})
    lexicon, _ = phrasebook_lexicon()
    start = time.perf_counter()
    pairs = held_out_for(models.values())
    built = time.perf_counter()
    rows = measure(
        lexicon, models, pairs, on_progress=lambda tid: print(f"scoring {translator(tid).name}…", flush=True)
    )
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
