"""An uploaded file's text, read line by line and never held whole: uploads are untrusted.

The first of the upload's steps: bytes to text. A plain text file is read as it is; a zip (Tatoeba's
download is `deu-eng.zip`, holding `deu.txt` and `_about.txt`) is opened and its text file read
straight out of it. `open_text` checks everything once (what kind of file it is, the encoding, how
many lines) and returns a `TextFile` whose `lines()` can be read again as often as a step needs,
each time as a stream: a 40 MB file never becomes one 40 MB string.

    >>> text = open_text("Go on.\\tMach weiter.\\tCC-BY\\n".encode())
    >>> text.encoding, text.line_count, list(text.lines())
    ('utf-8', 1, ['Go on.\\tMach weiter.\\tCC-BY\\n'])

Bad input raises `UploadError`, whose message says what is wrong and what to do.
"""

from __future__ import annotations

import codecs
import io
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import BinaryIO

# Tatoeba's German-English download is about 45 MB of text (300,000 lines) and 10 MB as a zip. The
# same limit is `server.maxUploadSize` (MB) in .streamlit/config.toml.
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
MAX_TEXT_BYTES = 256 * 1024 * 1024  # text unpacked from a zip: bounds a "zip bomb"
MAX_MEMBERS = 1_000  # files listed in a zip: a download of sentence pairs holds two or three
_CHUNK_BYTES = 1 << 20  # read and checked a megabyte at a time
_BINARY_CONTROL_SHARE = 0.01  # text has almost no control characters besides tab and newline
_CONTROL_SAMPLE_CHARS = 100_000
TEXT_SUFFIXES = (".txt", ".tsv", ".csv", ".tab")


class UploadError(ValueError):
    """A file that cannot be used; the message says why and what to do, in plain English."""


_SIGNATURES = {  # the start of common binary files people upload by mistake, and what they are
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive (.gz); unpack it first",
    b"SQLite format 3\x00": "an SQLite database (an Anki collection)",
    b"\xd0\xcf\x11\xe0": "an old Office file (an .xls spreadsheet or a .doc)",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
}
_ZIP, _EMPTY_ZIP = b"PK\x03\x04", b"PK\x05\x06"  # a zip's first file; its end record (alone: empty)
_MAX_END_RECORD_BYTES = 22 + 65_535  # the end record, and the comment that may follow it
_MAX_NAME_CHARS = 60  # of a file in a zip, in messages
# What the zipfile module raises for a damaged archive (a wrong checksum, size, header or deflate stream)
_ZIP_ERRORS = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError, NotImplementedError
)
EXPORT_HINT = "Export your sentence pairs as tab-separated text (.tsv or .txt, UTF-8) and upload that."
_ZIP_HINT = "Unpack the zip and upload the text file of sentence pairs in it (e.g. deu.txt)."


@dataclass(frozen=True)
class TextFile:
    """An uploaded file's text: where it is (the bytes, or a member of the zip they hold) and how to
    read it. `lines()` reads it again, as a stream, each time it is called."""

    data: bytes = field(repr=False)  # the upload, shared with the uploader (not copied)
    member: str | None  # the text file read from a zip, or None for a plain text file
    codec: str  # the Python codec that reads it
    encoding: str  # for the user: "utf-8", "utf-8 with BOM", "utf-16", "windows-1252" or "latin-1"
    line_count: int  # lines in the text, blank ones included
    needs_confirmation: bool = False  # True when the encoding was guessed, not known
    message: str = ""  # for the user when `needs_confirmation`
    notes: tuple[str, ...] = ()  # what the user should know, e.g. which file of the zip was read

    def _bytes(self) -> BinaryIO:
        if self.member is None:
            return io.BytesIO(self.data)  # shares the bytes: nothing is copied
        return zipfile.ZipFile(io.BytesIO(self.data)).open(self.member)  # stops at the declared size

    def lines(self) -> Iterator[str]:
        """The lines of the text, each with its line end ("\\r\\n" kept for the csv module)."""
        with io.TextIOWrapper(self._bytes(), encoding=self.codec, newline="") as stream:
            yield from stream

    def head(self, chars: int) -> str:
        """The first `chars` characters of the text."""
        with io.TextIOWrapper(self._bytes(), encoding=self.codec, newline="") as stream:
            return stream.read(chars)


def _refuse_binary(head: bytes, what: str = "This") -> None:
    for signature, kind in _SIGNATURES.items():
        if head.startswith(signature):
            raise UploadError(f"{what} is {kind}, not a text file. {EXPORT_HINT}")


def open_text(data: bytes) -> TextFile:
    """The text of an uploaded file, checked: a text file as is, or the text file inside a zip.

    UTF-8 (with or without a byte-order mark) and UTF-16 (with its byte-order mark) are read as they
    are; anything else is read as Windows-1252 / Latin-1 but marked for the user to confirm, never
    silently."""
    if not data:
        raise UploadError(f"The file is empty. {EXPORT_HINT}")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"The file is larger than the {MAX_UPLOAD_BYTES // 2**20} MB limit ({len(data):,} bytes). "
            "Upload fewer sentence pairs: split the file, or keep its first few hundred thousand lines."
        )
    _refuse_binary(data)
    member, notes = None, ()
    if data.startswith((_ZIP, _EMPTY_ZIP)):
        member, notes = _zip_member(data)
    probe = TextFile(data, member, "latin-1", "", 0, notes=notes)
    try:
        with probe._bytes() as stream:
            head = stream.read(16)
        if member is not None:
            if head.startswith((_ZIP, _EMPTY_ZIP)):
                raise UploadError(f"The zip holds another zip inside it. {_ZIP_HINT}")
            _refuse_binary(head, f"“{member[:_MAX_NAME_CHARS]}” in the zip")
        return _decoded(probe, head)
    except UploadError:
        raise
    except _ZIP_ERRORS as error:
        raise UploadError(f"The zip is damaged ({error}). {_ZIP_HINT}") from None


# --- a zip ---------------------------------------------------------------------------------------------


def _zip_member(data: bytes) -> tuple[str, tuple[str, ...]]:
    """The name of the text file to read in a zip, and a note saying so; UploadError for a zip that
    holds none, or one that is password-protected, nested, too big unpacked, or compressed oddly."""
    # The end of a zip says how many entries its directory lists: looked at before the zipfile module
    # reads them all (a 64 MB zip can list a million empty files). 0xFFFF: a ZIP64 zip, with more.
    end = data.rfind(_EMPTY_ZIP, max(0, len(data) - _MAX_END_RECORD_BYTES))
    listed = int.from_bytes(data[end + 10:end + 12], "little") if end != -1 else 0
    if listed > MAX_MEMBERS:
        raise UploadError(f"The zip lists {listed:,} files; sentence pairs come in one. {_ZIP_HINT}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS as error:
        raise UploadError(f"This zip is damaged and cannot be opened ({error}). {_ZIP_HINT}") from None
    files = [info for info in infos if not info.is_dir()]
    if not files:
        raise UploadError(f"The zip is empty. {_ZIP_HINT}")
    if len(files) > MAX_MEMBERS:
        raise UploadError(f"The zip holds {len(files):,} files; sentence pairs come in one. {_ZIP_HINT}")
    names = {PurePosixPath(info.filename).name.lower() for info in files}
    kind = (
        "an Office file (an .xlsx spreadsheet or a .docx document)" if "[content_types].xml" in names
        else "an OpenDocument file (an .ods spreadsheet or an .odt document)" if "mimetype" in names
        else "an Anki deck (.apkg)" if names & {"collection.anki2", "collection.anki21"}
        else None
    )
    if kind:
        raise UploadError(f"This is {kind}, not a zip of text files. {EXPORT_HINT}")
    if any(info.filename.lower().endswith((".zip", ".gz", ".7z", ".rar")) for info in files):
        raise UploadError(f"The zip holds another archive inside it. {_ZIP_HINT}")

    def is_text(info: zipfile.ZipInfo) -> bool:
        path = PurePosixPath(info.filename)
        hidden = path.name.startswith(("_", ".")) or "__MACOSX" in path.parts  # _about.txt, macOS extras
        return path.suffix.lower() in TEXT_SUFFIXES and not hidden

    candidates = [info for info in files if is_text(info)]
    if not candidates:
        raise UploadError(
            f"The zip holds no text file of sentence pairs (.txt, .tsv or .csv). {_ZIP_HINT} {EXPORT_HINT}"
        )
    chosen = max(candidates, key=lambda info: info.file_size)  # the largest; ties: the first
    if chosen.flag_bits & 0x1:
        raise UploadError(f"The zip is password-protected. {_ZIP_HINT}")
    if chosen.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UploadError(f"The zip is compressed with a method this page does not read. {_ZIP_HINT}")
    if chosen.file_size > MAX_TEXT_BYTES:
        raise UploadError(
            f"The text in the zip unpacks to {chosen.file_size / 2**20:,.0f} MB, over the "
            f"{MAX_TEXT_BYTES // 2**20} MB limit. {_ZIP_HINT}"
        )
    others = [info.filename[:_MAX_NAME_CHARS] for info in files if info is not chosen]
    note = f"Read “{chosen.filename[:_MAX_NAME_CHARS]}” from the zip"
    if others:
        note += f"; left out: {', '.join(others[:5])}" + ("…" if len(others) > 5 else "")
    return chosen.filename, (note + ".",)


# --- the encoding ----------------------------------------------------------------------------------------


def _codec(head: bytes) -> tuple[str, str]:
    """The codec and its name for the user, from a byte-order mark; UTF-8 if there is none."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "utf-8 with BOM"
    # A byte-order mark says which encoding the file is in: no guessing. (Excel's "Unicode text" is UTF-16.)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "utf-16"
    return "utf-8", "utf-8"


class _NotInCodec(Exception):
    def __init__(self, byte: int, line: int):
        super().__init__(byte, line)
        self.byte, self.line = byte, line


def _scan(text: TextFile) -> tuple[int, str]:
    """Decode the whole text once, a chunk at a time: its line count and its start (for the control
    character check). Raises _NotInCodec (with the first bad byte and its line) if it is not in
    `text.codec`, and UploadError for NUL bytes."""
    decoder = codecs.getincrementaldecoder(text.codec)()
    newlines, lines, start, last = 0, 0, [], ""
    with text._bytes() as stream:
        while chunk := stream.read(_CHUNK_BYTES):
            if not text.codec.startswith("utf-16") and b"\x00" in chunk:
                # of the text encodings only UTF-16 and UTF-32 write NUL bytes, after a byte-order mark
                raise UploadError(f"This is a binary file, not text (it contains NUL bytes). {EXPORT_HINT}")
            try:
                decoded = decoder.decode(chunk)
            except UnicodeDecodeError as error:  # a "\n" is never part of an unfinished character
                line = newlines + error.object.count(b"\n", 0, error.start) + 1
                raise _NotInCodec(error.object[error.start], line) from None
            newlines += chunk.count(b"\n")
            lines += decoded.count("\n")
            if sum(map(len, start)) < _CONTROL_SAMPLE_CHARS:
                start.append(decoded)
            last = decoded[-1:] or last
        try:
            last = decoder.decode(b"", final=True)[-1:] or last
        except UnicodeDecodeError as error:  # the text ends in the middle of a character
            raise _NotInCodec(error.object[error.start], newlines + 1) from None
    return lines + (last not in ("", "\n")), "".join(start)[:_CONTROL_SAMPLE_CHARS]


def _decoded(probe: TextFile, head: bytes) -> TextFile:
    codec, name = _codec(head)
    try:
        line_count, start = _scan(replace(probe, codec=codec))
        return _checked(replace(probe, codec=codec, encoding=name, line_count=line_count), start)
    except _NotInCodec as error:
        if codec == "utf-16":
            raise UploadError(f"The file says it is UTF-16 but is damaged. {EXPORT_HINT}") from None
        bad = error
    # Not UTF-8. Western European files are mostly Windows-1252 (Latin-1 plus “smart quotes” and €);
    # Latin-1 reads every byte, for the five that Windows-1252 leaves undefined.
    message = (
        f"This file is not UTF-8 (byte 0x{bad.byte:02X} on line {bad.line} is not valid UTF-8). It looks "
        "like Latin-1 (Windows-1252), which older Windows programs write. Check that the umlauts (ä, ö, ü, "
        "ß) look right below before you go on, or save the file as UTF-8."
    )
    for codec, name in (("cp1252", "windows-1252"), ("latin-1", "latin-1")):
        try:
            line_count, start = _scan(replace(probe, codec=codec))
        except _NotInCodec:
            continue
        guessed = replace(probe, codec=codec, encoding=name, line_count=line_count)
        return _checked(replace(guessed, needs_confirmation=True, message=message), start)
    raise AssertionError("latin-1 decodes every byte")


def _checked(text: TextFile, start: str) -> TextFile:
    """Refuse text with more than a few control characters: a binary file that happened to decode."""
    controls = sum(1 for char in start if char not in "\t\n\r" and unicodedata.category(char) == "Cc")
    if controls > _BINARY_CONTROL_SHARE * len(start):
        raise UploadError(
            f"This looks like a binary file, not text ({controls:,} control characters in the first "
            f"{len(start):,}). {EXPORT_HINT}"
        )
    return text
