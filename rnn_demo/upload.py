"""Reading a user's file of German–English sentence pairs, checked at every step: uploads are untrusted.

A Tatoeba or Anki export (English<TAB>German<TAB>attribution), or any German/English table, tab- or
comma-separated, goes through four steps, each with a result the page can show and let the user correct:

    >>> decoded = decode("Go on.\\tMach weiter.\\tCC-BY\\nI am tired.\\tIch bin müde.\\tCC-BY\\n".encode())
    >>> table = parse_table(decoded.text)
    >>> columns = guess_columns(table)
    >>> (columns.german, columns.english, columns.ignored)
    (1, 0, (2,))
    >>> kept = to_pairs(table, columns.german, columns.english, min_pairs=1)
    >>> kept.pairs[0].german, kept.dropped["too_short"]
    (('Ich', 'bin', 'müde', '.'), 1)

`split_held_out` then sets aside held-out pairs that share no German sentence with the training pairs.
Bad input raises `UploadError`, whose message says what is wrong and what to do.
"""

from __future__ import annotations

import csv
import io
import itertools
import random
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rnn_demo.corpus import SentencePair
from rnn_demo.text import (
    MAX_SENTENCE_WORDS,
    MAX_TOKEN_CHARS,
    MAX_VOCAB_WORDS,
    SPECIAL_TOKENS,
    Vocabulary,
    is_word,
    strip_invisible,
    tokenize,
)

# A Tatoeba export of 100,000 pairs with its attribution column is about 18 MB. The same limit is
# `server.maxUploadSize` (MB) in .streamlit/config.toml.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PAIRS = 100_000  # rows read from a file: the page trains on at most 80,000, and memory is bounded
MIN_PAIRS = 200  # fewer usable pairs than this cannot teach a model anything
MAX_COLUMNS = 20  # a sentence-pair file has a few columns; more means it is some other table
MAX_CELL_CHARS = 1_000  # far longer than 30 words; longer cells are not tokenized at all
DEFAULT_MIN_WORDS, DEFAULT_MAX_WORDS = 3, 30
HELD_OUT_SHARE, MAX_HELD_OUT = 0.05, 1_000
RAGGED_LINES_SHOWN = 5
_BINARY_CONTROL_SHARE = 0.01  # text has almost no control characters besides tab and newline
_SAMPLE_ROWS = 2_000  # rows looked at to detect the delimiter and the languages
_SAMPLE_CHARS = 200_000  # the start of the text, looked at to detect the delimiter and quoting


class UploadError(ValueError):
    """A file that cannot be used; the message says why and what to do, in plain English."""


# --- bytes to text -------------------------------------------------------------------------------

_SIGNATURES = {  # the start of common binary files people upload by mistake, and what they are
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (an .xlsx or .ods spreadsheet, an Anki .apkg deck, or a .zip)",
    b"\x1f\x8b": "a gzip archive",
    b"SQLite format 3\x00": "an SQLite database (an Anki collection)",
    b"\xd0\xcf\x11\xe0": "an old Office file (an .xls spreadsheet or a .doc)",
}
_EXPORT_HINT = "Export your sentence pairs as tab-separated text (.tsv or .txt, UTF-8) and upload that."


@dataclass(frozen=True)
class Decoded:
    """The text of an uploaded file, and whether the user must confirm how it was read."""

    text: str
    encoding: str  # "utf-8", "utf-8 with BOM", "utf-16", "windows-1252" or "latin-1"
    needs_confirmation: bool = False  # True when the encoding was guessed, not known
    message: str = ""  # for the user when `needs_confirmation`


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def decode(data: bytes) -> Decoded:
    """Text from an uploaded file's bytes: UTF-8 (or UTF-16 with its byte-order mark) as is; anything
    else decoded as Windows-1252 / Latin-1 but marked for the user to confirm, never silently."""
    if not data:
        raise UploadError(f"The file is empty. {_EXPORT_HINT}")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"The file is larger than the {MAX_UPLOAD_BYTES // 2**20} MB limit ({len(data):,} bytes). "
            f"Upload fewer sentence pairs: split the file, or keep its first {MAX_PAIRS:,} lines."
        )
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            raise UploadError(f"This is {kind}, not a text file. {_EXPORT_HINT}")
    # A byte-order mark says which encoding the file is in: no guessing. (Excel's "Unicode text" is UTF-16.)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(Decoded(data.decode("utf-16"), "utf-16"))
        except UnicodeDecodeError:
            raise UploadError(f"The file says it is UTF-16 but is damaged. {_EXPORT_HINT}") from None
    if b"\x00" in data:  # of the text encodings only UTF-16 and UTF-32 write NUL bytes, after a BOM
        raise UploadError(f"This is a binary file, not text (it contains NUL bytes). {_EXPORT_HINT}")
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return _checked(Decoded(data[3:].decode("utf-8"), "utf-8 with BOM"))
        return _checked(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as error:
        first_bad = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
    # Not UTF-8. Western European files are mostly Windows-1252 (Latin-1 plus “smart quotes” and €);
    # Latin-1 reads every byte, for the five that Windows-1252 leaves undefined.
    try:
        text, encoding = data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    message = (
        f"This file is not UTF-8 (byte 0x{data[first_bad]:02X} on line {_line_of(data, first_bad)} is not "
        "valid UTF-8). It looks like Latin-1 (Windows-1252), which older Windows programs write. Check "
        "that the umlauts (ä, ö, ü, ß) look right below before you go on, or save the file as UTF-8."
    )
    return _checked(Decoded(text, encoding, needs_confirmation=True, message=message))


def _checked(decoded: Decoded) -> Decoded:
    """Refuse text with more than a few control characters: a binary file that happened to decode."""
    sample = decoded.text[:100_000]
    controls = sum(1 for char in sample if char not in "\t\n\r" and unicodedata.category(char) == "Cc")
    if controls > _BINARY_CONTROL_SHARE * len(sample):
        raise UploadError(
            f"This looks like a binary file, not text ({controls:,} control characters in the first "
            f"{len(sample):,}). {_EXPORT_HINT}"
        )
    return decoded


# --- text to a table -----------------------------------------------------------------------------

_DELIMITERS = {"\t": "tab", ";": "semicolon", ",": "comma"}  # in order of preference
_LANGUAGE_LABELS = {  # header cells that name a column's language
    "german": "de", "deutsch": "de", "de": "de", "deu": "de", "ger": "de",
    "english": "en", "englisch": "en", "en": "en", "eng": "en",
}


@dataclass(frozen=True)
class Table:
    rows: list[tuple[str, ...]]  # the data rows, all `width` cells wide (ragged rows left out)
    width: int  # the number of columns
    delimiter: str  # "\t", ";" or ","
    header: tuple[str, ...] | None  # the first row, if it names the languages ("German", "English")
    line_numbers: list[int]  # the file line each row starts on, for messages
    ragged_count: int  # rows with a different number of cells than most, left out
    ragged_lines: tuple[int, ...]  # the first few of them, by line number
    truncated: bool  # True if rows after the first MAX_PAIRS were not read

    @property
    def delimiter_name(self) -> str:
        return _DELIMITERS[self.delimiter]

    @property
    def notes(self) -> list[str]:
        """What the user should know about how the file was read."""
        notes = []
        if self.ragged_count:
            lines = ", ".join(str(n) for n in self.ragged_lines)
            more = ", …" if self.ragged_count > len(self.ragged_lines) else ""
            notes.append(
                f"{self.ragged_count:,} rows do not have {self.width} columns like the rest and were "
                f"left out (lines {lines}{more}). A {self.delimiter_name} inside a sentence needs quotes."
            )
        if self.truncated:
            notes.append(f"Only the first {MAX_PAIRS:,} rows were read.")
        return notes


def _reader(text: str, delimiter: str):
    # A tab file is read without quoting unless it uses quotes like a CSV: in Tatoeba and Anki exports
    # a sentence may start with a quotation mark ("Hi," he said.), and a quote-aware reader would join
    # the lines that follow into one cell until it finds another quote.
    quoting = csv.QUOTE_MINIMAL
    if delimiter == "\t" and not _quotes_tab_fields(text[:_SAMPLE_CHARS]):
        quoting = csv.QUOTE_NONE
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=False)


def _quotes_tab_fields(sample: str) -> bool:
    """True if every tab-separated field that starts with a quote also ends with one (a quoted TSV)."""
    quoted = [cell for line in sample.splitlines() for cell in line.split("\t") if cell.startswith('"')]
    return bool(quoted) and all(len(cell) >= 2 and cell.endswith('"') for cell in quoted)


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every row that is not blank."""
    reader = _reader(text, delimiter)
    start_line = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield start_line, row
            start_line = reader.line_num + 1
    except csv.Error as error:  # e.g. a cell over the csv module's limit of 131,072 characters
        raise UploadError(f"Line {start_line} cannot be read: {error}. {_EXPORT_HINT}") from None


_ONE_COLUMN = (
    "The file has only one column. Each line needs a German and an English sentence, separated by a tab "
    "(or a comma or semicolon, with quotes around sentences that contain one)."
)


def _sniff_delimiter(text: str) -> str:
    """The first of tab, semicolon and comma that splits 90% of the sampled rows into the same number
    (2 or more) of cells; failing that, the one that comes closest. Tab first: sentences often hold
    commas, never tabs."""
    best, best_share = None, 0.0
    for delimiter in _DELIMITERS:
        sample = itertools.islice(_rows(text[:_SAMPLE_CHARS], delimiter), _SAMPLE_ROWS)
        widths = Counter(len(row) for _, row in sample)
        width, count = widths.most_common(1)[0] if widths else (0, 0)
        share = count / max(widths.total(), 1)  # of the rows, those with the most common width
        if width >= 2 and share >= 0.9:
            return delimiter
        if width >= 2 and share > best_share:
            best, best_share = delimiter, share
    if best is None:
        raise UploadError(_ONE_COLUMN)
    return best


def parse_table(text: str) -> Table:
    """Split text into rows and columns: detect the delimiter, read quoted cells, leave out ragged rows."""
    if not text.strip():
        raise UploadError(f"The file has no text in it. {_EXPORT_HINT}")
    delimiter = _sniff_delimiter(text)
    # MAX_PAIRS + 2: a header row may come first, and one more row shows that the file was cut
    numbered_rows = list(itertools.islice(_rows(text, delimiter), MAX_PAIRS + 2))
    rows = [row for _, row in numbered_rows]
    line_numbers = [n for n, _ in numbered_rows]
    width = Counter(len(row) for row in rows).most_common(1)[0][0]
    if width < 2:  # the start of the file had two columns, but most of it has one
        raise UploadError(_ONE_COLUMN)
    if width > MAX_COLUMNS:
        raise UploadError(
            f"The file has {width} columns; a sentence-pair file has a few (German, English, and perhaps "
            "a source). Keep only the German and English columns."
        )
    header = None
    labels = [_LANGUAGE_LABELS.get(cell.strip().lower()) for cell in rows[0]]
    if len(rows[0]) == width and "de" in labels and "en" in labels:
        header = tuple(cell.strip() for cell in rows[0])
        rows, line_numbers = rows[1:], line_numbers[1:]
    truncated = len(rows) > MAX_PAIRS
    rows, line_numbers = rows[:MAX_PAIRS], line_numbers[:MAX_PAIRS]
    ragged = [n for row, n in zip(rows, line_numbers, strict=True) if len(row) != width]
    kept = [(tuple(row), n) for row, n in zip(rows, line_numbers, strict=True) if len(row) == width]
    return Table(
        rows=[row for row, _ in kept],
        width=width,
        delimiter=delimiter,
        header=header,
        line_numbers=[n for _, n in kept],
        ragged_count=len(ragged),
        ragged_lines=tuple(ragged[:RAGGED_LINES_SHOWN]),
        truncated=truncated,
    )


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
        raise UploadError(_ONE_COLUMN)
    scores = [[_german_minus_english(cell) for cell in row] for row in table.rows[:_SAMPLE_ROWS]]  # (R, C)
    column_scores = tuple(sum(row[c] for row in scores) / max(len(scores), 1) for c in range(table.width))

    def others(german: int, english: int) -> tuple[int, ...]:
        return tuple(c for c in range(table.width) if c not in (german, english))

    if table.header is not None:
        labels = [_LANGUAGE_LABELS.get(cell.lower()) for cell in table.header]
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
    """The usable pairs of a table, and how many rows were dropped for each reason in DROP_REASONS."""

    pairs: list[SentencePair]
    dropped: dict[str, int]
    rows_read: int
    several_translations: int = 0  # German sentences with more than one English translation

    @property
    def summary(self) -> str:
        reasons = {
            "empty": "with an empty cell",
            "too_short": "too short",
            "too_long": "too long",
            "duplicate": "repeated",
        }
        dropped = [f"{self.dropped[r]:,} {reasons[r]}" for r in DROP_REASONS if self.dropped[r]]
        text = f"{len(self.pairs):,} of {self.rows_read:,} rows are usable sentence pairs"
        return text + (f"; left out: {', '.join(dropped)}." if dropped else ".")


def _tokens(cell: str) -> tuple[str, ...] | None:
    """The tokens of one cell, case kept; None if the cell, or a word in it, is too long to be real.

    A word over MAX_TOKEN_CHARS would make a vocabulary that checkpoint loading refuses."""
    if len(cell) > MAX_CELL_CHARS:
        return None
    if not cell.isprintable():  # a quick test first: strip_invisible goes character by character
        cell = strip_invisible(cell)
    # interned: 100,000 pairs repeat the same few thousand words, and each copy would cost memory
    tokens = tuple(sys.intern(token) for token in tokenize(cell, lower=False))
    return None if any(len(token) > MAX_TOKEN_CHARS for token in tokens) else tokens


def _pair_or_reason(german_cell: str, english_cell: str, min_words: int, max_words: int
                    ) -> SentencePair | str:
    """The pair of two cells, or the reason (one of DROP_REASONS) it cannot be used."""
    german, english = _tokens(german_cell), _tokens(english_cell)
    if german is None or english is None:
        return "too_long"
    german_is_word = [is_word(token) for token in german]
    german_words = sum(german_is_word)
    if german_words == 0 or not any(map(is_word, english)):
        return "empty"
    if german_words < min_words:
        return "too_short"
    if german_words > max_words or len(english) > 2 * len(german) + 4:
        return "too_long"
    # What an upload cannot know stays empty: no alignment, no phenomena, and each German token is
    # tagged only as punctuation ("PUNCT", so SentencePair.word_count works) or not ("X").
    tags = tuple("X" if word else "PUNCT" for word in german_is_word)
    return SentencePair(german, english, alignment=(), german_tags=tags, phenomena=frozenset())


def to_pairs(
    table: Table,
    german_col: int,
    english_col: int,
    min_words: int = DEFAULT_MIN_WORDS,
    max_words: int = DEFAULT_MAX_WORDS,
    min_pairs: int = MIN_PAIRS,
) -> UploadedPairs:
    """Tokenize the chosen columns and keep the pairs a model can learn from.

    A row is dropped if a cell is empty (or has no words), if the German has fewer than `min_words` or
    more than `max_words` words, if the English is longer than the decoder may write for it (2 tokens per
    German token, plus 4, as in translate.max_output_length), or if the same pair came before (compared
    lower-cased). Raises UploadError if fewer than `min_pairs` pairs are left.
    """
    if not 1 <= min_words <= max_words <= MAX_SENTENCE_WORDS:
        raise ValueError(
            f"need 1 <= min_words <= max_words <= {MAX_SENTENCE_WORDS}, got {min_words}..{max_words}"
        )
    if german_col == english_col or not (0 <= german_col < table.width and 0 <= english_col < table.width):
        raise ValueError(f"choose two different columns of {table.width}, got {german_col} and {english_col}")
    dropped = dict.fromkeys(DROP_REASONS, 0)
    pairs: list[SentencePair] = []
    verdicts: dict[tuple[str, str], str] = {}  # raw cells already seen: "kept" or why they were dropped
    seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()  # lower-cased tokens of the kept pairs
    translations: Counter[tuple[str, ...]] = Counter()
    for row in table.rows:
        cells = (row[german_col], row[english_col])
        if cells in verdicts:  # an exact repeat is not tokenized again
            reason = verdicts[cells]
            dropped["duplicate" if reason == "kept" else reason] += 1
            continue
        pair = _pair_or_reason(*cells, min_words, max_words)
        if isinstance(pair, str):
            verdicts[cells] = pair
            dropped[pair] += 1
            continue
        key = (pair.key, tuple(sys.intern(token.lower()) for token in pair.english))
        verdicts[cells] = "kept"
        if key in seen:  # the same pair in other case or spacing
            dropped["duplicate"] += 1
            continue
        seen.add(key)
        translations[pair.key] += 1
        pairs.append(pair)
    kept = UploadedPairs(pairs, dropped, len(table.rows), sum(count > 1 for count in translations.values()))
    if len(pairs) < min_pairs:
        raise UploadError(
            f"Only {kept.summary} Training needs at least {min_pairs:,} pairs "
            f"of {min_words} to {max_words} German words: upload more, or widen the sentence-length limits."
        )
    return kept


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


def bounded_vocabularies(
    pairs: Sequence[SentencePair], max_words: int = MAX_VOCAB_WORDS
) -> tuple[Vocabulary, Vocabulary]:
    """German and English vocabularies of the `max_words` most frequent tokens each (plus the special
    tokens), read as train.py reads a pair: the German key and the lower-cased English."""
    size = max_words + len(SPECIAL_TOKENS)
    source = Vocabulary.build((pair.key for pair in pairs), max_size=size)
    target = Vocabulary.build(([token.lower() for token in pair.english] for pair in pairs), max_size=size)
    return source, target


@dataclass(frozen=True)
class UnknownShare:
    """How much of the text falls outside bounded vocabularies: words the model will read as <unk>."""

    german: float
    english: float
    examples: tuple[str, ...]  # a few of the most frequent German words left out


def unknown_share(pairs: Sequence[SentencePair], source: Vocabulary, target: Vocabulary) -> UnknownShare:
    german = Counter(token for pair in pairs for token in pair.key)
    english = Counter(token.lower() for pair in pairs for token in pair.english)
    german_unknown = {token: n for token, n in german.items() if token not in source}
    english_unknown = sum(n for token, n in english.items() if token not in target)
    examples = sorted(german_unknown, key=lambda token: (-german_unknown[token], token))[:5]
    return UnknownShare(
        sum(german_unknown.values()) / max(german.total(), 1),
        english_unknown / max(english.total(), 1),
        tuple(examples),
    )
