"""Sentence-pair files as people upload them, made here from phrasebook pairs (nothing is stored)."""

from rnn_demo.data.corpus import generate_pairs

ATTRIBUTION = "CC-BY 2.0 (France) Attribution: tatoeba.org #{n} (CK) & #{m} (Pfirsichbaeumchen)"


def tatoeba_rows(count: int, seed: int = 9, max_words: int = 12) -> list[tuple[str, str, str]]:
    """(English, German, attribution) rows, as a Tatoeba export has them."""
    return [
        (pair.english_text, pair.german_text, ATTRIBUTION.format(n=1000 + n, m=900_000 + n))
        for n, pair in enumerate(generate_pairs(count, seed=seed, max_words=max_words))
    ]


def as_file(rows, delimiter: str = "\t", encoding: str = "utf-8") -> bytes:
    return "".join(delimiter.join(row) + "\n" for row in rows).encode(encoding)


def tatoeba_file(count: int, seed: int = 9, max_words: int = 12) -> bytes:
    return as_file(tatoeba_rows(count, seed, max_words))


def swapped_file(count: int, seed: int = 9) -> bytes:
    """German first, English second, no attribution."""
    return as_file([(german, english) for english, german, _ in tatoeba_rows(count, seed)])


def latin1_file(count: int, seed: int = 9) -> bytes:
    """The same pairs saved by an old Windows program: ä, ö, ü and ß as single Latin-1 bytes."""
    rows = [(e, g) for e, g, _ in tatoeba_rows(count, seed) if "ü" in g or "ä" in g or "ö" in g or "ß" in g]
    rows += [(e, g) for e, g, _ in tatoeba_rows(count, seed)]
    return as_file(rows[:count], encoding="latin-1")


def ragged_file(count: int, seed: int = 9) -> bytes:
    """Most rows have three cells; every tenth row lost its tab and has two."""
    rows = tatoeba_rows(count, seed)
    return as_file([(f"{e} {g}", a) if n % 10 == 0 else (e, g, a) for n, (e, g, a) in enumerate(rows)])
