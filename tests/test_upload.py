"""Reading uploaded sentence-pair files: every kind of bad file gets a clear UploadError, good files
become SentencePairs with counts of what was dropped. All files are made in memory (the download-sized
ones in test_download.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_demo.core.text import SPECIAL_TOKENS, UNK
from rnn_demo.data import table as table_module
from rnn_demo.data.corpus import generate_pairs
from rnn_demo.data.table import parse_table
from rnn_demo.data.text_file import MAX_UPLOAD_BYTES, UploadError, open_text
from rnn_demo.data.upload import MIN_PAIRS, guess_columns, split_held_out, to_pairs
from rnn_demo.data.vocabulary import bounded_vocabularies, unknown_share

ATTRIBUTION = "CC-BY 2.0 (France) Attribution: tatoeba.org #2877272 (CM) & #8597805 (Roujin)"
# (English, German) as in a Tatoeba / Anki export
HAND_MADE = [
    ("I am tired.", "Ich bin müde."),
    ("Can you help me?", "Kannst du mir helfen?"),
    ("The street is long.", "Die Straße ist lang."),
    ("I don't know that.", "Das weiß ich nicht."),
    ("We want to go home.", "Wir wollen nach Hause gehen."),
    ("Tom is not here yet.", "Tom ist noch nicht hier."),
]


def _file(rows: list[tuple[str, ...]], delimiter: str = "\t") -> bytes:
    return "".join(delimiter.join(row) + "\n" for row in rows).encode("utf-8")


def _read(data: bytes):
    table = parse_table(open_text(data))
    return table, guess_columns(table)


def _pairs(data: bytes, german: int = 1, english: int = 0, **limits):
    text = open_text(data)
    return to_pairs(text, parse_table(text), german, english, **limits)


@pytest.fixture(scope="module")
def phrasebook_rows() -> list[tuple[str, str]]:
    """(English, German) texts of 300 generated pairs: enough to train on."""
    return [(pair.english_text, pair.german_text) for pair in generate_pairs(300, seed=7)]


# --- good files ------------------------------------------------------------------------------------


def test_tatoeba_export_english_german_attribution():
    text = open_text(_file([(en, de, ATTRIBUTION) for en, de in HAND_MADE]))
    assert (text.encoding, text.needs_confirmation, text.line_count) == ("utf-8", False, len(HAND_MADE))
    table = parse_table(text)
    assert (table.delimiter, table.width, table.ragged_count, table.unread_lines) == ("\t", 3, 0, 0)
    assert table.sample_rows[2] == ("The street is long.", "Die Straße ist lang.", ATTRIBUTION)
    assert table.row_count == len(HAND_MADE)
    columns = guess_columns(table)
    assert (columns.german, columns.english, columns.ignored) == (1, 0, (2,))
    assert columns.confidence == 1.0
    assert columns.evidence_rows == len(HAND_MADE)
    assert "Column 2 looks German and column 1 English" in columns.message

    kept = to_pairs(text, table, columns.german, columns.english, min_pairs=1)
    assert kept.pairs[0].german == ("Ich", "bin", "müde", ".")
    assert kept.pairs[0].english == ("I", "am", "tired", ".")
    assert kept.pairs[2].key == ("die", "straße", "ist", "lang", ".")
    assert [pair.word_count for pair in kept.pairs] == [3, 4, 4, 4, 5, 5]
    assert kept.pairs[0].alignment == () and kept.pairs[0].phenomena == frozenset()
    assert kept.dropped == {"empty": 0, "too_short": 0, "too_long": 0, "duplicate": 0}
    assert kept.summary == "6 of 6 rows are usable sentence pairs."


def test_german_first_is_recognised():
    _, columns = _read(_file([(de, en) for en, de in HAND_MADE]))
    assert (columns.german, columns.english, columns.ignored) == (0, 1, ())
    assert columns.confidence == 1.0


def test_header_row_names_the_columns():
    table, columns = _read(_file([("English", "German"), *HAND_MADE]))
    assert table.header == ("English", "German")
    assert table.row_count == len(table.sample_rows) == len(HAND_MADE)  # the header is not a data row
    assert (columns.german, columns.english, columns.confidence) == (1, 0, 1.0)


def test_columns_that_cannot_be_told_apart_ask_the_user():
    _, columns = _read(_file([("Bonjour Marie.", "Hola Maria."), ("Merci beaucoup.", "Muchas gracias.")]))
    assert columns.confidence == 0.5
    assert columns.evidence_rows == 0
    assert "choose" in columns.message


def test_csv_with_quoted_commas():
    rows = [
        '"Ich weiß, dass du müde bist.","I know that you are tired."',
        '"Wenn es regnet, bleiben wir hier.","If it rains, we stay here."',
        'Er liest ein Buch.,He reads a book.',
        '"Sie sagte: ""Hallo!""","She said: ""Hello!"""',
    ]
    data = ("\r\n".join(rows) + "\r\n").encode()
    table, columns = _read(data)
    assert (table.delimiter, table.width, table.ragged_count) == (",", 2, 0)
    assert table.sample_rows[0] == ("Ich weiß, dass du müde bist.", "I know that you are tired.")
    assert table.sample_rows[3] == ('Sie sagte: "Hallo!"', 'She said: "Hello!"')
    assert (columns.german, columns.english) == (0, 1)
    kept = _pairs(data, 0, 1, min_pairs=1)
    assert kept.pairs[0].german == ("Ich", "weiß", ",", "dass", "du", "müde", "bist", ".")


def test_semicolon_csv_from_a_german_spreadsheet():
    rows = ["Ich bin müde, sehr müde.;I am tired, very tired.", "Wir gehen nach Hause.;We are going home."]
    table = parse_table(open_text("\n".join(rows).encode()))
    assert (table.delimiter, table.width) == (";", 2)
    assert table.sample_rows[0] == ("Ich bin müde, sehr müde.", "I am tired, very tired.")


def test_a_quote_in_a_tab_file_does_not_swallow_the_next_lines():
    rows = [('"Hi," he said.', '"Hallo", sagte er.'), ('She said "no.', 'Sie sagte "nein.'), *HAND_MADE]
    table = parse_table(open_text(_file(rows)))
    assert table.ragged_count == 0
    assert table.row_count == len(table.sample_rows) == 2 + len(HAND_MADE)
    assert table.sample_rows[0] == ('"Hi," he said.', '"Hallo", sagte er.')
    assert table.sample_rows[2] == HAND_MADE[0]


def test_utf8_with_bom_and_utf16_with_bom():
    text = "Die Straße ist lang.\tThe street is long.\n"
    with_bom = open_text(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert ("".join(with_bom.lines()), with_bom.encoding, with_bom.needs_confirmation) == (
        text, "utf-8 with BOM", False
    )
    utf16 = open_text(text.encode("utf-16"))  # Python writes a BOM first, as Excel's "Unicode text" does
    assert ("".join(utf16.lines()), utf16.encoding, utf16.needs_confirmation) == (text, "utf-16", False)
    assert utf16.line_count == with_bom.line_count == 1


def test_latin1_is_offered_for_confirmation_never_taken_silently():
    data = "Wir gehen heim.\tWe are going home.\nDie Straße ist lang.\tThe street is long.\n".encode("cp1252")
    assert b"\xdf" in data  # ß as one Latin-1 byte, which is not UTF-8
    decoded = open_text(data)
    assert decoded.needs_confirmation
    assert decoded.encoding == "windows-1252"
    assert "Straße" in decoded.head(100)
    assert "not UTF-8" in decoded.message and "Latin-1 (Windows-1252)" in decoded.message
    assert "0xDF on line 2" in decoded.message


def test_windows_1252_quotes_and_bytes_it_leaves_undefined():
    assert open_text("„Tschüss“ – 5 €".encode("cp1252")).head(100) == "„Tschüss“ – 5 €"
    data = "Die Straße ist lang.\tThe street is long.\n".encode("latin-1") * 10 + b"\x81"
    fallback = open_text(data)  # 0x81 is undefined in Windows-1252: read as Latin-1
    assert (fallback.encoding, fallback.needs_confirmation) == ("latin-1", True)
    assert "".join(fallback.lines()).endswith("The street is long.\n\x81")
    assert fallback.line_count == 11  # the last line has no line end


# --- bad files -------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\n\t \n"])
def test_empty_file(data):
    with pytest.raises(UploadError, match="empty|no text"):
        parse_table(open_text(data))


def test_file_over_the_size_limit():
    assert MAX_UPLOAD_BYTES == 64 * 1024 * 1024
    config = (Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text()
    assert "maxUploadSize = 64\n" in config  # Streamlit refuses a larger file before we see it
    line = "Ich bin müde.\tI am tired.\n".encode()
    just_over = line * (MAX_UPLOAD_BYTES // len(line)) + b"x" * (MAX_UPLOAD_BYTES % len(line) + 1)
    assert len(just_over) == MAX_UPLOAD_BYTES + 1
    with pytest.raises(UploadError, match="64 MB limit"):
        open_text(just_over)
    at_the_limit = open_text(just_over[:MAX_UPLOAD_BYTES])  # at the limit it is read, all of it
    assert at_the_limit.encoding == "utf-8" and not at_the_limit.needs_confirmation
    assert "".join(at_the_limit.lines()).encode() == just_over[:MAX_UPLOAD_BYTES]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "This is a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "This is a JPEG image"),
        (b"GIF89a\x10\x00\x10\x00\x80\x00\x00", "This is a GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "This is a PDF document"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "This is a gzip archive"),
        (b"SQLite format 3\x00\x10\x00\x01\x01", "This is an SQLite database"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", r"old Office file \(an \.xls spreadsheet or a \.doc"),
        (b"Ich bin m\x00\x00de.\tI am tired.\n", "NUL bytes"),
        (bytes(range(1, 32)) * 20 + b"Ich bin da.\tI am here.\n", "control characters"),
    ],
    ids=["png", "jpeg", "gif", "pdf", "gzip", "sqlite", "old office", "nul", "control"],
)
def test_binary_files_are_named(data, says):
    with pytest.raises(UploadError, match=says) as error:
        open_text(data)
    assert "tab-separated text" in str(error.value)  # and what to do instead


@pytest.mark.parametrize("text", ["Ich bin müde.\nDu bist müde.\n", "Hallo, Welt\nGuten Tag\nTschüss\n"])
def test_one_column(text):
    with pytest.raises(UploadError, match="only one column"):
        parse_table(open_text(text.encode()))


def test_ragged_rows_are_left_out_and_reported():
    rows = [*HAND_MADE[:3], ("Nur ein Satz.",), *HAND_MADE[3:], ("a", "b", "c"), ("", "")]
    table = parse_table(open_text(_file(rows)))
    assert table.width == 2
    assert table.sample_rows == HAND_MADE  # the blank row (line 9) is skipped without a word
    assert (table.ragged_count, table.ragged_lines, table.row_count) == (2, (4, 8), len(HAND_MADE))
    assert "2 rows do not have 2 columns" in table.notes[0]
    assert "lines 4, 8" in table.notes[0]


def test_many_columns_are_refused():
    with pytest.raises(UploadError, match="30 columns"):
        parse_table(open_text(("\t".join(["wort"] * 30) + "\n").encode()))


def test_a_cell_too_big_for_the_csv_module():
    with pytest.raises(UploadError, match="Line 2 cannot be read"):
        parse_table(open_text(('Ich bin müde.,I am tired.\n"' + "a" * 200_000 + '",b\n').encode()))


def test_lines_past_max_rows_are_counted_not_read(monkeypatch):
    monkeypatch.setattr(table_module, "MAX_ROWS", 4)
    data = _file([("English", "German"), *HAND_MADE])  # a header, then 6 rows
    table = parse_table(open_text(data))
    assert (table.row_count, table.unread_lines, table.sample_rows) == (4, 2, HAND_MADE[:4])
    assert "Only the first 4 rows were read: the 2 lines after them were counted, not read." in table.notes
    kept = _pairs(data, min_pairs=1)
    assert kept.rows_read == 4 and [pair.english_text for pair in kept.pairs] == [e for e, _ in HAND_MADE[:4]]


def test_a_file_is_read_up_to_its_real_row_limit_and_the_rest_counted():
    """At the real limit (not a small one patched in): every row read, then the lines after counted."""
    assert table_module.MAX_ROWS == 500_000
    lines = "".join(f"Satz {n} ist kurz.\tSentence {n} is short.\n" for n in range(500_003)).encode()
    table = parse_table(open_text(lines))
    assert (table.row_count, table.unread_lines) == (500_000, 3)
    assert "Only the first 500,000 rows were read: the 3 lines after them were counted" in table.notes[-1]


# --- from a table to pairs -------------------------------------------------------------------------


def test_too_few_pairs(phrasebook_rows):
    with pytest.raises(UploadError, match=f"Only 199 of 199 rows .* at least {MIN_PAIRS} pairs"):
        _pairs(_file(phrasebook_rows[: MIN_PAIRS - 1]), 1, 0)
    assert len(_pairs(_file(phrasebook_rows), 1, 0).pairs) >= MIN_PAIRS


def test_length_limits_and_empty_cells_are_counted():
    long_german = " ".join(["sehr"] * 30) + " gut."  # 31 words
    long_word = "Das ist " + "x" * 201 + "."  # a "word" longer than a vocabulary may hold
    rows = [
        *HAND_MADE,  # 3, 4, 4, 4, 5 and 5 German words
        ("Go.", "Geh."),  # 1 word
        ("I see.", "Ich sehe."),  # 2 words
        ("It is very very good.", long_german),
        ("That is an x.", long_word),
        ("Yes.", "Ja, " + "ja, " * 400 + "ja."),  # over MAX_CELL_CHARS
        (" ".join(["no"] * 11), "Nein nein nein"),  # more English than the decoder may write (2 * 3 + 4)
        ("Nothing here.", "   "),
        ("", "Ich bin hier."),
        ("...", "Das ist gut."),  # no English words
    ]
    kept = _pairs(_file(rows), 1, 0, min_pairs=1)
    assert len(kept.pairs) == 6
    assert kept.dropped == {"empty": 3, "too_short": 2, "too_long": 4, "duplicate": 0}
    assert kept.summary == (
        "6 of 15 rows are usable sentence pairs; left out: 3 with an empty cell, 2 too short, 4 too long."
    )

    narrow = _pairs(_file(rows), 1, 0, min_words=4, max_words=4, min_pairs=1)
    assert [pair.word_count for pair in narrow.pairs] == [4, 4, 4]
    # "Nein nein nein" is now too short before its English is too long
    assert narrow.dropped == {"empty": 3, "too_short": 4, "too_long": 5, "duplicate": 0}
    with pytest.raises(ValueError):
        _pairs(_file(rows), 1, 0, min_words=5, max_words=4)
    with pytest.raises(ValueError):
        _pairs(_file(rows), 1, 1)


def test_duplicates_are_counted_once_kept_once():
    rows = [
        *HAND_MADE,
        HAND_MADE[0],  # the same line again
        HAND_MADE[0],
        ("I am  TIRED.", "ich bin müde ."),  # the same words in other case and spacing
        ("I'm tired.", "Ich bin müde."),  # another translation: kept
        ("Go.", "Geh."),
        ("Go.", "Geh."),  # a repeated short row is still short, not a duplicate
    ]
    kept = _pairs(_file(rows), 1, 0, min_pairs=1)
    assert kept.dropped == {"empty": 0, "too_short": 2, "too_long": 0, "duplicate": 3}
    assert len(kept.pairs) == len(HAND_MADE) + 1
    assert kept.several_translations == 1  # "ich bin müde ." has two English translations


# --- held-out split and vocabularies -----------------------------------------------------------------


def _pairs_with_repeated_german(count: int):
    # every German sentence has two English translations
    rows = [(f"I now see the number {n // 2}, version {n}.", f"Ich sehe jetzt die Zahl {n // 2}.")
            for n in range(count)]
    return _pairs(_file(rows), 1, 0, min_pairs=1).pairs


def test_held_out_split_shares_no_german_sentence():
    pairs = _pairs_with_repeated_german(400)
    train, held_out = split_held_out(pairs, seed=3)
    assert len(train) + len(held_out) == 400
    assert len(held_out) == 20  # 5% of 400, in whole German sentences (two pairs each)
    assert not {pair.key for pair in train} & {pair.key for pair in held_out}
    assert split_held_out(pairs, seed=3) == (train, held_out)  # deterministic
    assert split_held_out(pairs, seed=4)[1] != held_out
    assert [pairs.index(pair) for pair in train] == sorted(pairs.index(pair) for pair in train)  # order kept


def test_held_out_split_is_capped_and_never_empty():
    pairs = generate_pairs(3000, seed=1)
    _, held_out = split_held_out(pairs, share=0.5, max_held_out=100)
    assert 100 <= len(held_out) < 110
    train, held_out = split_held_out(pairs[:3], seed=0)
    assert len(held_out) >= 1 and len(train) >= 1


def test_bounded_vocabularies_keep_the_frequent_words(phrasebook_rows):
    pairs = _pairs(_file(phrasebook_rows), 1, 0).pairs
    source, target = bounded_vocabularies(pairs, max_words=20)
    assert len(source) == len(target) == 24  # 20 words + 4 special tokens
    assert "." in source and "the" in target  # the most frequent tokens
    share = unknown_share(pairs, source, target)
    german = [token for pair in pairs for token in pair.key]
    assert share.german == pytest.approx(sum(token not in source for token in german) / len(german))
    assert 0 < share.german < 1 and 0 < share.english < 1
    assert share.examples and all(word not in source for word in share.examples)
    assert source.decode(source.encode(["quietschgrün"])) == [UNK]


def test_uploaded_pairs_train_like_phrasebook_pairs(phrasebook_rows):
    """train.train takes the uploaded pairs as they are: its model knows their words, and is the model
    the generated pairs they were written from train (a few seconds: it imports torch)."""
    from dataclasses import replace

    import torch

    from rnn_demo.training.config import PRESETS
    from rnn_demo.training.train import train
    from tests.trainings import SAME_ON_ANY_MACHINE

    pairs = _pairs(_file(phrasebook_rows), 1, 0).pairs[:64]
    generated = {pair.key: pair for pair in generate_pairs(300, seed=7)}
    assert [p.target_tokens for p in pairs] == [generated[p.key].target_tokens for p in pairs]
    two_passes = replace(PRESETS["tiny"], epochs=2, time_budget_s=3600)  # four steps, however fast

    def trained_on(these):
        return train(two_passes, data=split_held_out(these), **SAME_ON_ANY_MACHINE)

    uploaded = trained_on(pairs)
    german_words = {token for pair in split_held_out(pairs)[0] for token in pair.key}
    assert set(uploaded.source_vocab.tokens) == german_words | set(SPECIAL_TOKENS)  # the upload's words
    assert uploaded.history[-1].step == 4
    from_the_phrasebook = trained_on([generated[p.key] for p in pairs])
    assert uploaded.target_vocab == from_the_phrasebook.target_vocab
    for name, weight in from_the_phrasebook.model.state_dict().items():
        torch.testing.assert_close(uploaded.model.state_dict()[name], weight, msg=name)


# --- scale and robustness --------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.binary(max_size=600),
    st.text(alphabet=st.sampled_from('ab ü"\t,;\n\r\x01\x00'), max_size=300).map(lambda text: text.encode()),
))
def test_any_bytes_give_a_result_or_an_upload_error(data):
    try:
        table, columns = _read(data)
        kept = _pairs(data, columns.german, columns.english, min_words=1, min_pairs=0)
    except UploadError as error:
        assert str(error)
        return
    assert len(kept.pairs) + sum(kept.dropped.values()) == kept.rows_read == table.row_count
