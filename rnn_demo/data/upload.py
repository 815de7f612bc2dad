"""Sentence pairs from an uploaded table, checked at every step: uploads are untrusted.

A Tatoeba or Anki export (English<TAB>German<TAB>attribution; Tatoeba's zip as downloaded), or any
German/English table, tab- or comma-separated, goes through four steps, each with a result the page
can show and let the user correct (the first two in `text_file.py` and `table.py`):

    >>> from rnn_demo.data.table import parse_table
    >>> from rnn_demo.data.text_file import open_text
    >>> text = open_text("Go on.\\tMach weiter.\\tCC-BY\\nI am tired.\\tIch bin müde.\\tCC-BY\\n".encode())
    >>> table = parse_table(text)
    >>> columns = guess_columns(table)
    >>> (columns.german, columns.english, columns.ignored)
    (1, 0, (2,))
    >>> kept = to_pairs(text, table, columns.german, columns.english, min_pairs=1)
    >>> kept.pairs[0].german, kept.dropped["too_short"]
    (('Ich', 'bin', 'müde', '.'), 1)

`to_pairs` reads the file as a stream and keeps a sample of at most MAX_KEPT_PAIRS of its usable
pairs, so a file of any length takes bounded memory. `split_held_out` then sets aside held-out pairs
that share no German sentence with the training pairs.
Bad input raises `UploadError`, whose message says what is wrong and what to do.
"""

from __future__ import annotations

import hashlib
import heapq
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rnn_demo.core.text import MAX_SENTENCE_WORDS, MAX_TOKEN_CHARS, is_word, strip_invisible, tokenize
from rnn_demo.data.corpus import MIN_WORDS, SentencePair
from rnn_demo.data.table import LANGUAGE_LABELS, MAX_CELL_CHARS, ONE_COLUMN, Table, table_rows
from rnn_demo.data.text_file import TextFile, UploadError

MIN_PAIRS = 200  # fewer usable pairs than this cannot teach a model anything
HELD_OUT_SHARE, MAX_HELD_OUT = 0.05, 1_000
MAX_TRAIN_PAIRS = 80_000  # the most a training in the page learns from
# An upload keeps at most this many pairs (a sample, if it has more): enough for the largest training
# and its held-out pairs, and bounded memory (about 400 bytes a pair) whatever the file's length.
MAX_KEPT_PAIRS = MAX_TRAIN_PAIRS + MAX_HELD_OUT
SAMPLE_SEED = 0


# --- which column is which language ----------------------------------------------------------------

# Frequent short words of one language that are not words of the other ("in", "was", "will", "also",
# "an", "so" and "war" are both, so they are in neither list).
GERMAN_MARKERS = frozenset(
    "der die das den dem des ein eine einen einem einer und ist sind nicht ich du er sie es wir ihr "
    "zu mit auf für von bin bist hat habe haben mir mich dir dich sich kann kein keine auch noch "
    "schon sehr wie wo ja nein aber oder wenn dass weil hier jetzt nur gern mein dein sein".split()
)
ENGLISH_MARKERS = frozenset(
    "the a and is are not i you he she it we they to of with on for from am has have me my your "
    "can no yes but or if that because here now only very what where do does don't i'm it's this".split()
)
_GERMAN_LETTERS = frozenset("äöüß")


@dataclass(frozen=True)
class ColumnGuess:
    german: int  # column index (0-based)
    english: int
    ignored: tuple[int, ...]  # other columns (attribution, ids)
    confidence: float  # 0.5: a coin flip; 1.0: every sampled row that tells them apart agrees
    evidence_rows: int  # sampled rows in which the two columns differ in their marker words
    column_scores: tuple[float, ...]  # per column: German minus English marker words per row
    message: str  # for the user, e.g. "Column 2 looks German and column 1 English in 98% of …"


def _german_minus_english(cell: str) -> int:
    """German marker words and letters minus English marker words, in one cell."""
    cell = cell[:MAX_CELL_CHARS].lower()
    tokens = tokenize(cell, lower=False)
    german = sum(token in GERMAN_MARKERS for token in tokens) + sum(ch in _GERMAN_LETTERS for ch in cell)
    return german - sum(token in ENGLISH_MARKERS for token in tokens)


def guess_columns(table: Table) -> ColumnGuess:
    """Which column is German and which English: from the header if it says so, else by marker words."""
    if table.width < 2:
        raise UploadError(ONE_COLUMN)
    scores = [[_german_minus_english(cell) for cell in row] for row in table.sample_rows]  # (R, C)
    column_scores = tuple(sum(row[c] for row in scores) / max(len(scores), 1) for c in range(table.width))

    def others(german: int, english: int) -> tuple[int, ...]:
        return tuple(c for c in range(table.width) if c not in (german, english))

    if table.header is not None:
        labels = [LANGUAGE_LABELS.get(cell.lower()) for cell in table.header]
        german, english = labels.index("de"), labels.index("en")
        message = f"The header names column {german + 1} German and column {english + 1} English."
        return ColumnGuess(german, english, others(german, english), 1.0, 0, column_scores, message)

    german = max(range(table.width), key=lambda c: column_scores[c])  # ties: the leftmost
    english = min((c for c in range(table.width) if c != german), key=lambda c: column_scores[c])
    # each sampled row votes: is its German cell more German than its English cell, or less?
    agree = sum(row[german] > row[english] for row in scores)
    disagree = sum(row[german] < row[english] for row in scores)
    evidence = agree + disagree
    confidence = agree / evidence if evidence else 0.5
    if not evidence:
        message = (
            "The columns could not be told apart: no common German or English words were found. "
            "Please choose the German and the English column."
        )
    else:
        message = (
            f"Column {german + 1} looks German and column {english + 1} English in {confidence:.0%} of "
            f"the {evidence:,} sampled rows that tell them apart."
        )
        if confidence < 0.9:
            message += " Please check, and swap them if they are the wrong way round."
    return ColumnGuess(german, english, others(german, english), confidence, evidence, column_scores, message)


# --- a table to sentence pairs -------------------------------------------------------------------

DROP_REASONS = ("empty", "too_short", "too_long", "duplicate")


@dataclass(frozen=True)
class UploadedPairs:
    """The pairs kept from a table (all its usable pairs, or a sample of them), and how many rows were
    dropped for each reason in DROP_REASONS."""

    pairs: list[SentencePair]  # in the order of the file
    dropped: dict[str, int]
    rows_read: int
    several_translations: int = 0  # German sentences (of those kept) with more than one translation
    usable: int | None = None  # usable pairs in the file, if more than were kept (a sample)

    @property
    def summary(self) -> str:
        reasons = {
            "empty": "with an empty cell",
            "too_short": "too short",
            "too_long": "too long",
            "duplicate": "repeated",
        }
        dropped = [f"{self.dropped[r]:,} {reasons[r]}" for r in DROP_REASONS if self.dropped[r]]
        usable = len(self.pairs) if self.usable is None else self.usable
        text = f"{usable:,} of {self.rows_read:,} rows are usable sentence pairs"
        text += f"; left out: {', '.join(dropped)}." if dropped else "."
        if usable > len(self.pairs):
            text += (
                f" A sample of {len(self.pairs):,} of them is kept, drawn at random (the same sample for the "
                "same file)."
            )
        return text


def _tokens(cell: str) -> tuple[str, ...] | None:
    """The tokens of one cell, case kept; None if the cell, or a word in it, is too long to be real.

    A word over MAX_TOKEN_CHARS would make a vocabulary that checkpoint loading refuses."""
    if len(cell) > MAX_CELL_CHARS:
        return None
    if not cell.isprintable():  # a quick test first: strip_invisible goes character by character
        cell = strip_invisible(cell)
    tokens = tuple(tokenize(cell, lower=False))
    return None if tokens and max(map(len, tokens)) > MAX_TOKEN_CHARS else tokens


_Checked = tuple[tuple[str, ...], tuple[str, ...], tuple[bool, ...]]  # German, English, German is_word


def _checked_cells(german_cell: str, english_cell: str, min_words: int, max_words: int) -> _Checked | str:
    """The tokens of two cells (and which German ones are words), or the reason (one of DROP_REASONS)
    they cannot be used."""
    german, english = _tokens(german_cell), _tokens(english_cell)
    if german is None or english is None:
        return "too_long"
    german_is_word = tuple(map(is_word, german))
    german_words = sum(german_is_word)
    if german_words == 0 or not any(map(is_word, english)):
        return "empty"
    if german_words < min_words:
        return "too_short"
    if german_words > max_words or len(english) > 2 * len(german) + 4:
        return "too_long"
    return german, english, german_is_word


def _pair(german: tuple[str, ...], english: tuple[str, ...], is_word_: tuple[bool, ...]) -> SentencePair:
    # What an upload cannot know stays empty: no alignment, no phenomena, and each German token is
    # tagged only as punctuation ("PUNCT", so SentencePair.word_count works) or not ("X").
    tags = tuple("X" if word else "PUNCT" for word in is_word_)
    return SentencePair(german, english, (), tags, frozenset())


DIGEST_SEPARATOR = "\x1f"  # between tokens in what a digest is taken of: no token holds it


def _digest(text: str, seed: int = 0) -> int:
    """A 64-bit number for the text and the seed, the same in every process (Python's hash() is not)."""
    return int.from_bytes(hashlib.blake2b(f"{seed}{DIGEST_SEPARATOR}{text}".encode(), digest_size=8).digest())


def to_pairs(
    text: TextFile,
    table: Table,
    german_col: int,
    english_col: int,
    min_words: int = MIN_WORDS,
    max_words: int = MAX_SENTENCE_WORDS,
    min_pairs: int = MIN_PAIRS,
    max_pairs: int | None = None,
    seed: int = SAMPLE_SEED,
) -> UploadedPairs:
    """Read the table's rows as a stream, tokenize the chosen columns and keep the pairs a model can
    learn from: all of them, or a random sample of `max_pairs` of them (MAX_KEPT_PAIRS if None).

    A row is dropped if a cell is empty (or has no words), if the German has fewer than `min_words` or
    more than `max_words` words, if the English is longer than the decoder may write for it (2 tokens per
    German token, plus 4, as in translate.max_output_length), or if the same pair came before (compared
    lower-cased). Raises UploadError if fewer than `min_pairs` pairs are left.

    The sample takes whole German sentences: each gets a pseudo-random rank from its lower-cased
    tokens and `seed`, and the pairs of the lowest ranks are kept (ties: the earlier line). It needs
    one pass and memory for `max_pairs` pairs, and it is the same whatever the order of the lines.
    """
    if not 1 <= min_words <= max_words <= MAX_SENTENCE_WORDS:
        raise ValueError(
            f"need 1 <= min_words <= max_words <= {MAX_SENTENCE_WORDS}, got {min_words}..{max_words}"
        )
    if german_col == english_col or not (0 <= german_col < table.width and 0 <= english_col < table.width):
        raise ValueError(f"choose two different columns of {table.width}, got {german_col} and {english_col}")
    max_pairs = MAX_KEPT_PAIRS if max_pairs is None else max_pairs
    dropped = dict.fromkeys(DROP_REASONS, 0)
    # hash() of the lower-cased tokens: the same within this one pass, which is all `seen` needs
    seen: set[int] = set()
    kept: list[tuple[int, int, _Checked]] = []  # a heap of (-rank, -row, tokens): the highest on top
    rows_read = 0
    for rows_read, row in enumerate(table_rows(text, table), start=1):
        checked = _checked_cells(row[german_col], row[english_col], min_words, max_words)
        if isinstance(checked, str):
            dropped[checked] += 1
            continue
        german, english, _ = checked
        german_key = DIGEST_SEPARATOR.join(german).lower()
        pair_hash = hash((german_key, DIGEST_SEPARATOR.join(english).lower()))
        if pair_hash in seen:  # the same pair again, perhaps in other case or spacing
            dropped["duplicate"] += 1
            continue
        seen.add(pair_hash)
        rank = (-_digest(german_key, seed), -rows_read)  # in the heap, higher is better
        if len(kept) == max_pairs and rank < kept[0][:2]:
            continue  # it ranks higher than every pair kept so far
        # interned: 80,000 pairs repeat the same few thousand words, and each copy would cost memory
        checked = (tuple(map(sys.intern, german)), tuple(map(sys.intern, english)), checked[2])
        if len(kept) < max_pairs:
            heapq.heappush(kept, (*rank, checked))
        else:  # it takes the place of the highest ranked pair kept so far
            heapq.heapreplace(kept, (*rank, checked))
    pairs = [_pair(*checked) for _, _, checked in sorted(kept, key=lambda entry: -entry[1])]  # file order
    translations = Counter(pair.key for pair in pairs)
    result = UploadedPairs(
        pairs,
        dropped,
        rows_read,
        several_translations=sum(count > 1 for count in translations.values()),
        usable=len(seen) if len(seen) > len(pairs) else None,
    )
    if len(pairs) < min_pairs:
        raise UploadError(
            f"Only {result.summary} Training needs at least {min_pairs:,} pairs "
            f"of {min_words} to {max_words} German words: upload more, or widen the sentence-length limits."
        )
    return result


def split_held_out(
    pairs: Sequence[SentencePair],
    seed: int = 0,
    share: float = HELD_OUT_SHARE,
    max_held_out: int = MAX_HELD_OUT,
) -> tuple[list[SentencePair], list[SentencePair]]:
    """Training and held-out pairs, deterministic from `seed`, each in the order given: `share` of the
    pairs (at most `max_held_out`; at least one if there are two German sentences) are held out, whole
    German sentences at a time, so that no German sentence is in both (one with several translations
    goes to one side with all of them)."""
    by_german: dict[tuple[str, ...], list[int]] = {}  # in order of first appearance: no hash order
    for n, pair in enumerate(pairs):
        by_german.setdefault(pair.key, []).append(n)
    groups = list(by_german.values())
    random.Random(seed).shuffle(groups)
    wanted = max(1, min(max_held_out, round(share * len(pairs))))
    held_out_ids: set[int] = set()
    for group in groups[:-1]:  # the last group always stays: training needs at least one sentence
        if len(held_out_ids) >= wanted:
            break
        held_out_ids.update(group)
    train = [pair for n, pair in enumerate(pairs) if n not in held_out_ids]
    held_out = [pair for n, pair in enumerate(pairs) if n in held_out_ids]
    return train, held_out
