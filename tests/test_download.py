"""Tatoeba's download as it comes: the zip (deu.txt beside _about.txt) and the full text file, at the
real size (300,000 lines), read as streams and sampled down; and every kind of bad zip refused with its
message. The files are generated here (tests/corpus_files.py), never stored."""

from __future__ import annotations

import io
import random
import tracemalloc
import zipfile
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_demo.data import text_file as text_file_module
from rnn_demo.data.table import parse_table
from rnn_demo.data.text_file import MAX_TEXT_BYTES, UploadError, open_text
from rnn_demo.data.upload import MAX_KEPT_PAIRS, guess_columns, to_pairs
from tests.corpus_files import (
    ABOUT,
    declaring_size,
    password_protected,
    tatoeba_download,
    tatoeba_zip,
    zipped,
)

pytestmark = pytest.mark.timeout(300)
DOWNLOAD_LINES = 300_000


@pytest.fixture(scope="module")
def download_zip():
    return tatoeba_zip(DOWNLOAD_LINES)


@pytest.fixture(scope="module")
def download_text():
    """The same lines as the zip's deu.txt, saved by a Windows editor: CRLF line ends, a byte-order mark."""
    return tatoeba_download(DOWNLOAD_LINES, crlf=True, bom=True)


def read(data: bytes, **limits):
    text = open_text(data)
    table = parse_table(text)
    columns = guess_columns(table)
    return text, table, columns, to_pairs(text, table, columns.german, columns.english, **limits)


@pytest.fixture(scope="module")
def zip_read(download_zip):
    return read(download_zip[0], min_words=3, max_words=15)


# --- the real size --------------------------------------------------------------------------------------


def test_the_zip_as_downloaded_is_read_whole_and_sampled_down(download_zip, zip_read):
    data, plan = download_zip
    assert 30 * 2**20 < len(tatoeba_download(DOWNLOAD_LINES)[0])  # Tatoeba's size: tens of MB of text
    text, table, columns, kept = zip_read
    assert (text.member, text.encoding, text.line_count) == ("deu.txt", "utf-8", DOWNLOAD_LINES)
    assert text.notes == ("Read “deu.txt” from the zip; left out: _about.txt.",)
    # every line one row of three cells: the quotes inside sentences did not join lines
    assert (table.width, table.delimiter, table.quoted) == (3, "\t", False)
    assert (table.row_count, table.ragged_count, table.unread_lines) == (DOWNLOAD_LINES, 0, 0)
    assert (columns.german, columns.english, columns.ignored) == (1, 0, (2,))
    assert columns.confidence > 0.95

    assert kept.rows_read == DOWNLOAD_LINES
    assert kept.dropped == {
        "empty": 0, "too_short": plan.too_short, "too_long": 0, "duplicate": plan.repeated
    }
    assert kept.usable == plan.usable
    assert len(kept.pairs) == MAX_KEPT_PAIRS
    assert len({(pair.key, pair.target_tokens) for pair in kept.pairs}) == MAX_KEPT_PAIRS  # no repeats
    assert f"{plan.usable:,} of {DOWNLOAD_LINES:,} rows are usable" in kept.summary
    assert f"A sample of {MAX_KEPT_PAIRS:,} of them is kept" in kept.summary
    quoted = [pair for pair in kept.pairs if pair.german[0] == '"']
    assert quoted and all(pair.english[0] == '"' and pair.german[-3:-1] in (("sagte", "er"), ("fragte", "er"))
                          for pair in quoted)


def test_the_sample_keeps_whole_german_sentences(download_zip, zip_read):
    *_, kept = zip_read
    translations = Counter(pair.key for pair in kept.pairs)
    # the file gives 15,000 German sentences a second translation; the sample takes German sentences,
    # so it keeps both translations of those it takes, except perhaps one at the sample's edge
    assert kept.several_translations == sum(count == 2 for count in translations.values())
    expected = download_zip[1].second_translations * MAX_KEPT_PAIRS / download_zip[1].usable
    assert 0.8 * expected < kept.several_translations < 1.2 * expected
    firsts = {pair.key for pair in kept.pairs if pair.english[-1] == "!"}  # the second translations
    assert len(firsts - {key for key, count in translations.items() if count == 2}) <= 1


def test_the_text_file_with_windows_line_ends_and_a_bom_gives_the_same_pairs(download_text, zip_read):
    data, plan = download_text
    text, table, columns, kept = read(data, min_words=3, max_words=15)
    assert (text.member, text.encoding, text.line_count) == (None, "utf-8 with BOM", DOWNLOAD_LINES)
    assert (table.row_count, table.ragged_count, table.header) == (DOWNLOAD_LINES, 0, None)
    assert table.sample_rows[0][0] == "Go."  # no byte-order mark glued to the first cell
    assert not any("\r" in cell for row in table.sample_rows for cell in row)
    assert kept.pairs == zip_read[3].pairs  # the same lines give the same sample


def test_reading_the_text_never_holds_it_whole(download_text):
    data, _ = download_text
    text = open_text(data)
    tracemalloc.start()
    try:
        table = parse_table(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert table.row_count == DOWNLOAD_LINES
    assert peak < len(data) / 8  # a stream: a few MB, not the 45 MB of text


def test_the_sample_is_the_same_whatever_the_order_of_the_lines():
    data, plan = tatoeba_download(4_000)
    lines = data.decode().splitlines(keepends=True)
    shuffled = lines[:]
    random.Random(1).shuffle(shuffled)
    kept = read(data, max_pairs=500)[3]
    kept_shuffled = read("".join(shuffled).encode(), max_pairs=500)[3]
    assert len(kept.pairs) == 500 and kept.usable == plan.usable
    assert set(kept.pairs) == set(kept_shuffled.pairs)
    other_seed = read(data, max_pairs=500, seed=1)[3]
    assert set(other_seed.pairs) != set(kept.pairs)


def test_a_small_download_is_kept_whole_with_its_counts():
    data, plan = tatoeba_zip(2_000)
    _, table, _, kept = read(data)
    assert kept.usable is None and len(kept.pairs) == plan.usable
    assert kept.several_translations == plan.second_translations
    assert "sample" not in kept.summary


# --- bad zips -------------------------------------------------------------------------------------------


def small_text() -> bytes:
    return tatoeba_download(300)[0]


@pytest.mark.parametrize(
    ("members", "says"),
    [
        ({}, "The zip is empty"),
        ({"_about.txt": ABOUT.encode()}, "holds no text file of sentence pairs"),
        ({"photo.png": b"\x89PNG\r\n\x1a\n" + bytes(100)}, "holds no text file of sentence pairs"),
        ({"deu-eng.zip": zipped({"deu.txt": b"Hi.\tHallo.\n"})}, "holds another archive inside it"),
        ({"deu.txt": zipped({"deu.txt": b"Hi.\tHallo.\n"})}, "holds another zip inside it"),
        ({"deu.txt": b"%PDF-1.7\n" + bytes(100)}, "“deu.txt” in the zip is a PDF document"),
        ({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}, "an Office file"),
        ({"collection.anki2": b"SQLite format 3\x00" + bytes(100)}, "an Anki deck"),
    ],
    ids=["empty", "only about", "image", "nested zip", "zip named txt", "pdf inside", "xlsx", "anki"],
)
def test_a_zip_without_usable_text_is_refused(members, says):
    with pytest.raises(UploadError, match=says):
        open_text(zipped(members))


def test_a_password_protected_zip_is_refused():
    with pytest.raises(UploadError, match="password-protected"):
        open_text(password_protected(zipped({"deu.txt": small_text()})))


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = declaring_size(zipped({"deu.txt": small_text()}), MAX_TEXT_BYTES + 1)
    with pytest.raises(UploadError, match=f"unpacks to 256 MB, over the {MAX_TEXT_BYTES // 2**20} MB limit"):
        open_text(bomb)


def test_a_zip_that_unpacks_to_more_than_it_declares_is_damaged_and_read_no_further():
    liar = declaring_size(zipped({"deu.txt": small_text()}), 1_000)
    with pytest.raises(UploadError, match="damaged"):
        open_text(liar)


def test_an_empty_text_another_compression_method_and_a_damaged_zip():
    with pytest.raises(UploadError, match="no text"):
        parse_table(open_text(zipped({"deu.txt": b""})))
    bzip2 = io.BytesIO()
    with zipfile.ZipFile(bzip2, "w", compression=zipfile.ZIP_BZIP2) as archive:
        archive.writestr("deu.txt", small_text())
    with pytest.raises(UploadError, match="compressed with a method this page does not read"):
        open_text(bzip2.getvalue())
    whole = zipped({"deu.txt": small_text()})
    with pytest.raises(UploadError, match="damaged"):
        open_text(whole[: len(whole) // 2])


def test_a_zip_of_a_latin1_csv_in_a_folder_is_read_and_marked_for_confirmation(monkeypatch):
    rows = "Die Straße ist lang;The street is long\nIch bin müde;I am tired\n" * 150
    data = zipped({"export/": b"", "export/pairs.csv": rows.encode("cp1252"), "export/.DS_Store": b"\x00"})
    text = open_text(data)
    assert (text.member, text.encoding, text.needs_confirmation) == ("export/pairs.csv", "windows-1252", True)
    table = parse_table(text)
    assert (table.delimiter, table.row_count) == (";", 300)
    kept = to_pairs(text, table, 0, 1, min_pairs=1)
    assert kept.pairs[0].german_text == "Die Straße ist lang" and kept.dropped["duplicate"] == 298
    monkeypatch.setattr(text_file_module, "MAX_MEMBERS", 2)
    with pytest.raises(UploadError, match="lists 3 files"):  # read from the zip's end, before its list
        open_text(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8))
def test_a_damaged_zip_gives_a_result_or_an_upload_error(changes):
    data = bytearray(zipped({"_about.txt": ABOUT.encode(), "deu.txt": tatoeba_download(40)[0]}))
    for position, value in changes:
        data[position % len(data)] = value
    try:
        text = open_text(bytes(data))
        table = parse_table(text)
        to_pairs(text, table, 1, 0, min_pairs=0)
    except UploadError as error:
        assert str(error)
