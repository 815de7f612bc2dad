"""The phrasebook's word-by-word dictionary and the sentences it is learned from, shipped as one file:
learning them (10,000 sentence pairs generated, then IBM Model 1 trained on them) takes about 3 s,
and a server would otherwise spend that on its first visitor after every start or wake-up.

Remake the file after changing the grammar, its words or the dictionary's settings in `gloss.py`:

    python -m rnn_demo.lessons.phrasebook_dictionary

A file made with other settings, or missing, is not used: the dictionary is learned as before.
The file holds numbers, words and JSON only (numpy's `allow_pickle` stays off: no code runs on load).
"""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import numpy as np

from rnn_demo.core.lexicon import Lexicon
from rnn_demo.data.corpus import SentencePair
from rnn_demo.lessons.gloss import LEXICON_SEED, PHRASEBOOK_LEXICON_PAIRS, phrasebook_lexicon

FORMAT = 2  # 2: each sentence keeps its other right English translations
PATH = Path(__file__).resolve().parents[1] / "results" / "phrasebook_dictionary.npz"


def _settings() -> np.ndarray:
    return np.array([FORMAT, PHRASEBOOK_LEXICON_PAIRS, LEXICON_SEED])


def to_bytes(lexicon: Lexicon, pairs: list[SentencePair]) -> bytes:
    sentences = [
        [
            pair.german,
            pair.english,
            pair.alignment,
            pair.german_tags,
            sorted(pair.phenomena),
            pair.alternatives,
        ]
        for pair in pairs
    ]
    arrays = {
        "settings": _settings(),
        "german": np.array(lexicon.german),
        "english": np.array(lexicon.english),
        "translation": lexicon.translation,
        "rules": np.array([lexicon.min_count, lexicon.min_probability, lexicon.min_fertility]),
        "sentences": np.frombuffer(json.dumps(sentences, ensure_ascii=False).encode(), dtype=np.uint8),
    }
    for name in ("occurrences", "fertility"):
        if getattr(lexicon, name) is not None:
            arrays[name] = getattr(lexicon, name)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def from_bytes(data: bytes) -> tuple[Lexicon, list[SentencePair]] | None:
    """The dictionary and its sentences; None if the file was made with other settings."""
    with np.load(io.BytesIO(data), allow_pickle=False) as saved:
        if not np.array_equal(saved["settings"], _settings()):
            return None
        min_count, min_probability, min_fertility = saved["rules"].tolist()
        lexicon = Lexicon(
            german=tuple(saved["german"].tolist()),
            english=tuple(saved["english"].tolist()),
            translation=saved["translation"],
            occurrences=saved["occurrences"] if "occurrences" in saved else None,
            fertility=saved["fertility"] if "fertility" in saved else None,
            min_count=int(min_count),
            min_probability=min_probability,
            min_fertility=min_fertility,
        )
        sentences = json.loads(saved["sentences"].tobytes().decode())
    pairs = [
        SentencePair(
            tuple(german),
            tuple(english),
            tuple(map(tuple, alignment)),
            tuple(tags),
            frozenset(phenomena),
            tuple(map(tuple, alternatives)),
        )
        for german, english, alignment, tags, phenomena, alternatives in sentences
    ]
    return lexicon, pairs


def phrasebook_dictionary(path: Path = PATH) -> tuple[Lexicon, list[SentencePair]]:
    """The phrasebook's dictionary and its sentences: from the shipped file, or learned if it is
    missing or was made with other settings."""
    try:
        shipped = from_bytes(path.read_bytes())
    except (OSError, ValueError, KeyError):
        shipped = None
    return shipped if shipped is not None else phrasebook_lexicon()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=PATH)
    args = parser.parse_args()
    data = to_bytes(*phrasebook_lexicon())
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data) / 1024:.0f} kB)")


if __name__ == "__main__":
    main()
