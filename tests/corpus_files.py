"""Sentence-pair files as people upload them, made here from phrasebook pairs (nothing is stored).

`tatoeba_download` makes a file with the shapes of Tatoeba's German-English download (`deu.txt` in
`deu-eng.zip`), at its size if asked: 300,000 lines of English ⇥ German ⇥ attribution, about 45 MB,
with repeated lines, German sentences with two English translations, quotes inside sentences,
a few pairs too short to keep, and optionally Windows line ends and a byte-order mark. It says
what it planted (`DownloadPlan`), so tests can check the counts against the plan.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from rnn_demo.data.corpus import SentencePair, generate_pairs

ATTRIBUTION = "CC-BY 2.0 (France) Attribution: tatoeba.org #{n} (CK) & #{m} (Pfirsichbaeumchen)"


@cache
def many_pairs() -> tuple[SentencePair, ...]:
    """50,000 pairs of 3 to 12 German words for the tests of large uploads, generated once a session."""
    return tuple(generate_pairs(50_000, seed=21, max_words=12))


def as_tatoeba_rows(pairs: Sequence[SentencePair]) -> list[tuple[str, str, str]]:
    """(English, German, attribution) rows, as a Tatoeba export has them."""
    return [
        (pair.english_text, pair.german_text, ATTRIBUTION.format(n=1000 + n, m=900_000 + n))
        for n, pair in enumerate(pairs)
    ]


def tatoeba_rows(count: int, seed: int = 9, max_words: int = 12) -> list[tuple[str, str, str]]:
    """`count` distinct rows: an upload drops a repeated pair."""
    return as_tatoeba_rows(generate_pairs(count, seed=seed, max_words=max_words, unique=True))


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


# --- the download as it comes --------------------------------------------------------------------------

# Names to address people with ("Lena, wir gehen nach Hause."): each makes the pool's pairs new pairs.
VOCATIVES = (
    "Tom Maria Anna Paul Lena Jonas Sophie Felix Emma Ben Mia Noah Lea Finn Ida Karl Ella Max Nora Leon "
    "Clara Elias Lina Anton Greta Emil Frida Otto Marie Jakob Hanna Luis Rosa Theo Alma Moritz Lotta "
    "Henri Paula Oskar Mila Jan Luise Till Johanna Fritz Berta Kurt Ilse Hugo Erna Rudi Olga Bruno Tilda "
    "Egon Marta Udo Helga Carl Dora Franz Edith Gustav Irma Horst Vera Lutz Wilma Veit Nele Arne Ruth "
    "Sven Inge Jens Gerda Lars Heike Dirk Sabine Uwe Petra Rolf Britta Knut Doris Holger Silke Bernd "
    "Anke Harald Birgit Jutta Klaus Monika Peter Ursula Wolfgang Renate Dieter Karin Jürgen"
).split()
SHORT_PAIRS = (("Go.", "Geh."), ("Hi.", "Hallo."), ("Run!", "Lauf!"), ("Wow!", "Toll!"), ("Help!", "Hilfe!"))
ABOUT = "Sentence pairs for language learners. Made for the tests of this project.\n"
POOL_SIZE = 3_000


@dataclass(frozen=True)
class DownloadPlan:
    """What `tatoeba_download` wrote, counted as it was planted."""

    lines: int
    repeated: int  # lines that repeat an earlier line's pair (with another attribution)
    second_translations: int  # lines that give an earlier line's German sentence another English one
    quoted: int  # lines whose sentences hold quotation marks: "Hi," he said. / "Hallo", sagte er.
    too_short: int  # lines of one German word ("Geh."), from a handful of pairs

    @property
    def usable(self) -> int:
        """Distinct pairs of 3 or more German words (the pool's sentences have 3 to 6, plus a name)."""
        return self.lines - self.repeated - self.too_short


@lru_cache(maxsize=1)
def _pool() -> tuple[SentencePair, ...]:
    return tuple(generate_pairs(POOL_SIZE, seed=5, max_words=6, unique=True))


def _addressed(pair: SentencePair, name: str) -> tuple[str, str]:
    """English and German text of the pair with a name in front: "Lena, we are going home." """
    english, german = pair.english_text, pair.german_text
    if pair.german_tags[0] not in ("NOUN", "PROPN"):  # German nouns and names keep their capital
        german = german[:1].lower() + german[1:]
    if pair.english[0] != "I" and pair.german_tags[0] != "PROPN":
        english = english[:1].lower() + english[1:]
    return f"{name}, {english}", f"{name}, {german}"


def _line_pair(n: int) -> tuple[str, str]:
    """The n-th distinct pair: a pool pair, or the same with a name in front."""
    pool = _pool()
    pair = pool[n % len(pool)]
    round_ = n // len(pool)
    if round_ == 0:
        return pair.english_text, pair.german_text
    return _addressed(pair, VOCATIVES[(round_ - 1) % len(VOCATIVES)])


def _quoted(english: str, german: str) -> tuple[str, str]:
    """The pair as reported speech, with straight quotes as Tatoeba often has them."""
    if english.endswith("?"):
        return f'"{english}" he asked.', f'"{german}", fragte er.'
    return f'"{english[:-1]}," he said.', f'"{german[:-1]}", sagte er.'


def tatoeba_download(
    lines: int = 300_000, crlf: bool = False, bom: bool = False
) -> tuple[bytes, DownloadPlan]:
    """The text of `deu.txt` (English ⇥ German ⇥ attribution), and what it holds.

    In every 20 lines made: one repeats the pair made seven lines before it, one gives the German of
    the line before it a second English translation, and one is reported speech in quotes; one line
    in 1,000 is a one-word pair. They are written sorted by the length of the English, as in the real
    download.
    """
    if lines > (len(VOCATIVES) + 1) * POOL_SIZE:
        raise ValueError(f"at most {(len(VOCATIVES) + 1) * POOL_SIZE:,} distinct lines")
    rows: list[tuple[str, str]] = []
    repeated = second = quoted = too_short = 0
    for n in range(lines):
        english, german = _line_pair(n)
        if n % 1000 == 500:
            (english, german), too_short = SHORT_PAIRS[(n // 1000) % len(SHORT_PAIRS)], too_short + 1
        elif n % 20 == 19:
            (english, german), repeated = rows[n - 7], repeated + 1
        elif n % 20 == 9:
            english, german = rows[n - 1]
            english, second = english[:-1] + ("!" if english.endswith(".") else "?!"), second + 1
        elif n % 20 == 4:
            (english, german), quoted = _quoted(english, german), quoted + 1
        rows.append((english, german))
    attributed = [
        (len(english), f"{english}\t{german}\t{ATTRIBUTION.format(n=1000 + n, m=900_000 + n)}")
        for n, (english, german) in enumerate(rows)
    ]
    attributed.sort(key=lambda row: row[0])  # stable: equal lengths keep their order
    end = "\r\n" if crlf else "\n"
    text = end.join(line for _, line in attributed) + end
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    return data, DownloadPlan(lines, repeated, second, quoted, too_short)


def zipped(members: dict[str, bytes]) -> bytes:
    """A zip archive of the members (name -> bytes), deflated as Tatoeba's downloads are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tatoeba_zip(lines: int = 300_000, crlf: bool = False, bom: bool = False) -> tuple[bytes, DownloadPlan]:
    """`deu-eng.zip` as downloaded: `_about.txt`, then `deu.txt`."""
    text, plan = tatoeba_download(lines, crlf, bom)
    return zipped({"_about.txt": ABOUT.encode(), "deu.txt": text}), plan


def _patched(data: bytes, signature: bytes, offset: int, value: bytes) -> bytes:
    """The zip with `value` written at `offset` into every header that starts with `signature`."""
    patched = bytearray(data)
    start = patched.find(signature)
    while start != -1:
        patched[start + offset:start + offset + len(value)] = value
        start = patched.find(signature, start + 4)
    return bytes(patched)


def password_protected(data: bytes) -> bytes:
    """The zip with every file marked as encrypted (general purpose flag bit 0), as a password sets it."""
    data = _patched(data, b"PK\x03\x04", 6, b"\x01\x00")  # local file headers
    return _patched(data, b"PK\x01\x02", 8, b"\x01\x00")  # the central directory


def declaring_size(data: bytes, size: int) -> bytes:
    """The zip with every file declaring `size` bytes unpacked: a zip bomb's header, or a lie."""
    value = size.to_bytes(4, "little")
    return _patched(_patched(data, b"PK\x03\x04", 22, value), b"PK\x01\x02", 24, value)
