"""An uploaded file's text read as a table, checked at every step: uploads are untrusted.

The second of the upload's steps (`text_file.py` does the first): text to rows and columns
(`parse_table`: the delimiter, quoted cells, a header, ragged rows). The table is not kept: it holds
the first rows (to guess the columns and show a preview) and what the whole file looks like, and
`table_rows` reads the rows again, as a stream, for the next step (`upload.py`).

    >>> from rnn_demo.data.text_file import open_text
    >>> text = open_text("Go on.\\tMach weiter.\\tCC-BY\\n".encode())
    >>> table = parse_table(text)
    >>> table.sample_rows, table.delimiter_name, list(table_rows(text, table))
    ([('Go on.', 'Mach weiter.', 'CC-BY')], 'tab', [('Go on.', 'Mach weiter.', 'CC-BY')])

Bad input raises `UploadError`, whose message says what is wrong and what to do.
"""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rnn_demo.data.text_file import EXPORT_HINT, TextFile, UploadError

MAX_ROWS = 500_000  # rows read from a file (Tatoeba's has 300,000); the lines after them are counted
MAX_COLUMNS = 20  # a sentence-pair file has a few columns; more means it is some other table
MAX_CELL_CHARS = 1_000  # far longer than 30 words; longer cells are not tokenized at all
RAGGED_LINES_SHOWN = 5
SAMPLE_ROWS = 2_000  # rows looked at to detect the delimiter and the languages, and kept for previews
_SAMPLE_CHARS = 200_000  # the start of the text, looked at to detect the delimiter and quoting


# --- text to a table -----------------------------------------------------------------------------

_DELIMITERS = {"\t": "tab", ";": "semicolon", ",": "comma"}  # in order of preference
LANGUAGE_LABELS = {  # header cells that name a column's language
    "german": "de", "deutsch": "de", "de": "de", "deu": "de", "ger": "de",
    "english": "en", "englisch": "en", "en": "en", "eng": "en",
}


@dataclass(frozen=True)
class Table:
    """How a file splits into rows and columns, what its first rows hold, and what the whole file
    holds (counted while reading it once). `table_rows` reads its rows again."""

    sample_rows: list[tuple[str, ...]]  # the first SAMPLE_ROWS data rows of `width` cells (no header)
    width: int  # the number of columns
    delimiter: str  # "\t", ";" or ","
    quoted: bool  # cells may be in quotes (a CSV; a tab file only if it quotes its cells)
    header: tuple[str, ...] | None  # the first row, if it names the languages ("German", "English")
    row_count: int  # data rows of `width` cells, among the first MAX_ROWS rows
    ragged_count: int  # rows with a different number of cells than most, left out
    ragged_lines: tuple[int, ...]  # the first few of them, by line number
    unread_lines: int = 0  # lines after the first MAX_ROWS rows: counted, not read

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
        if self.unread_lines:
            notes.append(
                f"Only the first {MAX_ROWS:,} rows were read: the {self.unread_lines:,} lines after them "
                "were counted, not read."
            )
        return notes


def _quotes_tab_fields(sample: str) -> bool:
    """True if every tab-separated field that starts with a quote also ends with one (a quoted TSV)."""
    quoted = [cell for line in sample.splitlines() for cell in line.split("\t") if cell.startswith('"')]
    return bool(quoted) and all(len(cell) >= 2 and cell.endswith('"') for cell in quoted)


def _is_quoted(sample: str, delimiter: str) -> bool:
    # A tab file is read without quoting unless it uses quotes like a CSV: in Tatoeba and Anki exports
    # a sentence may start with a quotation mark ("Hi," he said.), and a quote-aware reader would join
    # the lines that follow into one cell until it finds another quote.
    return delimiter != "\t" or _quotes_tab_fields(sample)


def _rows(lines: Iterable[str], delimiter: str, quoted: bool) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every row that is not blank."""
    quoting = csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE
    reader = csv.reader(lines, delimiter=delimiter, quoting=quoting, strict=False)
    start_line = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield start_line, row
            start_line = reader.line_num + 1
    except csv.Error as error:  # e.g. a cell over the csv module's limit of 131,072 characters
        raise UploadError(f"Line {start_line} cannot be read: {error}. {EXPORT_HINT}") from None


ONE_COLUMN = (
    "The file has only one column. Each line needs a German and an English sentence, separated by a tab "
    "(or a comma or semicolon, with quotes around sentences that contain one)."
)


def _sniff_delimiter(sample: str) -> str:
    """The first of tab, semicolon and comma that splits 90% of the sampled rows into the same number
    (2 or more) of cells; failing that, the one that comes closest. Tab first: sentences often hold
    commas, never tabs."""
    best, best_share = None, 0.0
    for delimiter in _DELIMITERS:
        rows = _rows(sample.splitlines(keepends=True), delimiter, _is_quoted(sample, delimiter))
        widths = Counter(len(row) for _, row in itertools.islice(rows, SAMPLE_ROWS))
        width, count = widths.most_common(1)[0] if widths else (0, 0)
        share = count / max(widths.total(), 1)  # of the rows, those with the most common width
        if width >= 2 and share >= 0.9:
            return delimiter
        if width >= 2 and share > best_share:
            best, best_share = delimiter, share
    if best is None:
        raise UploadError(ONE_COLUMN)
    return best


def _data_rows(text: TextFile, delimiter: str, quoted: bool, header: bool) -> Iterator[tuple[int, list[str]]]:
    rows = _rows(text.lines(), delimiter, quoted)
    if header:
        next(rows, None)
    return rows


def parse_table(text: TextFile) -> Table:
    """Split text into rows and columns: detect the delimiter and the quoting from the start of the
    file, then read it all once to count its rows and find the ragged ones."""
    sample = text.head(_SAMPLE_CHARS)
    if not sample.strip():
        raise UploadError(f"The file has no text in it. {EXPORT_HINT}")
    delimiter = _sniff_delimiter(sample)
    quoted = _is_quoted(sample, delimiter)
    sample_lines = sample.splitlines(keepends=True)
    first_rows = [row for _, row in itertools.islice(_rows(sample_lines, delimiter, quoted), SAMPLE_ROWS + 1)]
    width = Counter(len(row) for row in first_rows).most_common(1)[0][0]
    if width < 2:  # the start of the file had two columns, but most of it has one
        raise UploadError(ONE_COLUMN)
    if width > MAX_COLUMNS:
        raise UploadError(
            f"The file has {width} columns; a sentence-pair file has a few (German, English, and perhaps "
            "a source). Keep only the German and English columns."
        )
    labels = [LANGUAGE_LABELS.get(cell.strip().lower()) for cell in first_rows[0]]
    header = None
    if len(first_rows[0]) == width and "de" in labels and "en" in labels:
        header = tuple(cell.strip() for cell in first_rows[0])

    sample_rows: list[tuple[str, ...]] = []
    ragged_lines: list[int] = []
    rows_read = ragged_count = unread_lines = 0
    for line, row in _data_rows(text, delimiter, quoted, header is not None):
        if rows_read == MAX_ROWS:
            unread_lines = text.line_count - line + 1
            break
        rows_read += 1
        if len(row) != width:
            ragged_count += 1
            if len(ragged_lines) < RAGGED_LINES_SHOWN:
                ragged_lines.append(line)
        elif len(sample_rows) < SAMPLE_ROWS:
            sample_rows.append(tuple(row))
    return Table(
        sample_rows=sample_rows,
        width=width,
        delimiter=delimiter,
        quoted=quoted,
        header=header,
        row_count=rows_read - ragged_count,
        ragged_count=ragged_count,
        ragged_lines=tuple(ragged_lines),
        unread_lines=unread_lines,
    )


def table_rows(text: TextFile, table: Table) -> Iterator[tuple[str, ...]]:
    """The table's data rows, read again from the text: the first MAX_ROWS rows, ragged ones left out."""
    rows = _data_rows(text, table.delimiter, table.quoted, table.header is not None)
    for _, row in itertools.islice(rows, MAX_ROWS):
        if len(row) == table.width:
            yield tuple(row)
