"""An uploaded file of sentence pairs, read into a table, checked at every step: uploads are untrusted.

The first two of the upload's steps: bytes to text (`decode`: the encoding, or why it is no text
file), then text to rows and columns (`parse_table`: the delimiter, quoted cells, ragged rows).
`upload.py` takes the table on from there.

    >>> table = parse_table(decode("Go on.\\tMach weiter.\\tCC-BY\\n".encode()).text)
    >>> table.rows, table.delimiter_name
    ([('Go on.', 'Mach weiter.', 'CC-BY')], 'tab')

Bad input raises `UploadError`, whose message says what is wrong and what to do.
"""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

# A Tatoeba export of 100,000 pairs with its attribution column is about 18 MB. The same limit is
# `server.maxUploadSize` (MB) in .streamlit/config.toml.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PAIRS = 100_000  # rows read from a file: the page trains on at most 80,000, and memory is bounded
MAX_COLUMNS = 20  # a sentence-pair file has a few columns; more means it is some other table
MAX_CELL_CHARS = 1_000  # far longer than 30 words; longer cells are not tokenized at all
RAGGED_LINES_SHOWN = 5
_BINARY_CONTROL_SHARE = 0.01  # text has almost no control characters besides tab and newline
SAMPLE_ROWS = 2_000  # rows looked at to detect the delimiter and the languages
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
LANGUAGE_LABELS = {  # header cells that name a column's language
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


ONE_COLUMN = (
    "The file has only one column. Each line needs a German and an English sentence, separated by a tab "
    "(or a comma or semicolon, with quotes around sentences that contain one)."
)


def _sniff_delimiter(text: str) -> str:
    """The first of tab, semicolon and comma that splits 90% of the sampled rows into the same number
    (2 or more) of cells; failing that, the one that comes closest. Tab first: sentences often hold
    commas, never tabs."""
    best, best_share = None, 0.0
    for delimiter in _DELIMITERS:
        sample = itertools.islice(_rows(text[:_SAMPLE_CHARS], delimiter), SAMPLE_ROWS)
        widths = Counter(len(row) for _, row in sample)
        width, count = widths.most_common(1)[0] if widths else (0, 0)
        share = count / max(widths.total(), 1)  # of the rows, those with the most common width
        if width >= 2 and share >= 0.9:
            return delimiter
        if width >= 2 and share > best_share:
            best, best_share = delimiter, share
    if best is None:
        raise UploadError(ONE_COLUMN)
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
        raise UploadError(ONE_COLUMN)
    if width > MAX_COLUMNS:
        raise UploadError(
            f"The file has {width} columns; a sentence-pair file has a few (German, English, and perhaps "
            "a source). Keep only the German and English columns."
        )
    header = None
    labels = [LANGUAGE_LABELS.get(cell.strip().lower()) for cell in rows[0]]
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


