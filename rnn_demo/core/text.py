"""Tokenizer, detokenizer, vocabulary and input bounds for the sentences of the app.

Example:
    >>> tokens = tokenize("Kannst du mir helfen, diesen Satz zu übersetzen?")
    >>> tokens[:5]
    ['kannst', 'du', 'mir', 'helfen', ',']
    >>> detokenize(["can", "you", "help", "me", "?"])
    'Can you help me?'
    >>> vocab = Vocabulary.build([tokens])
    >>> vocab.decode(vocab.encode(["du", "hund"], add_eos=True))
    ['du', '<unk>']
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A word character is \w plus the combining accents that NFC cannot merge into the letter before
# them (e.g. "i\u0307" from "İ".lower()); without them such a word would fall apart into pieces.
_WORD_CHAR = r"[\w\u0300-\u036f]"
_WORD = rf"{_WORD_CHAR}+(?:['’-]{_WORD_CHAR}+)*"  # "geht's", "don't", "E-Mail" stay one word
_TOKEN_RE = re.compile(rf"{_WORD}|[^\s]")  # every other non-space character is a token of its own
_WORD_CHAR_RE = re.compile(_WORD_CHAR)
_WHITESPACE_RE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFC-compose, collapse runs of whitespace to one space, strip the ends."""
    # NFC first: "u" + combining diaeresis and the single character "ü" must be the same word.
    return _WHITESPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def tokenize(text: str, lower: bool = True) -> list[str]:
    """Split text into words and single punctuation characters; lower-case with str.lower().

    str.lower() rather than casefold(): casefold turns "ß" into "ss", a different German spelling.
    """
    tokens = _TOKEN_RE.findall(unicodedata.normalize("NFC", text))
    if lower:
        # Lower-casing can leave a non-NFC string behind, so compose again.
        tokens = [unicodedata.normalize("NFC", token.lower()) for token in tokens]
    return tokens


def lowered(tokens: Iterable[str]) -> list[str]:
    """The tokens lower-cased with str.lower(), as `tokenize` does: the one rule for English tokens too."""
    return [token.lower() for token in tokens]


def is_word(token: str) -> bool:
    """True if the token contains a word character (a letter, digit or underscore)."""
    return _WORD_CHAR_RE.search(token) is not None


def is_punctuation(token: str) -> bool:
    """Unicode punctuation (".", ",", "„", "¿"). Emoji and other symbols are not punctuation: a
    dictionary or a model does not know them, so they count as unknown words."""
    return all(unicodedata.category(ch).startswith("P") for ch in token)


def words(tokens: Iterable[str]) -> list[str]:
    """The tokens that are words, without punctuation and symbols."""
    return [token for token in tokens if is_word(token)]


# --- detokenize --------------------------------------------------------------------------------

_CLOSING = frozenset({".", ",", "!", "?", ";", ":", ")", "]", "}", "…", "%"})  # no space before
_OPENING = frozenset({"(", "[", "{", "¿", "¡"})  # no space after
# Quotes open or close depending on what is already open: German „…“, English “…”, »…«, "…".
_QUOTE_CLOSERS = {
    "„": frozenset({"“", "”"}),
    "‚": frozenset({"‘", "’"}),
    "“": frozenset({"”"}),
    "‘": frozenset({"’"}),
    "»": frozenset({"«"}),
    "«": frozenset({"»"}),
    '"': frozenset({'"'}),
    "'": frozenset({"'"}),
}
_CLOSING_ONLY_QUOTES = frozenset({"”", "’"})
_PRONOUN_I_RE = re.compile(r"i(?:['’](?:m|ve|ll|d))?")  # "i", "i'm", "i've", "i'll", "i'd"


def _role(token: str, open_quotes: list[str]) -> str:
    """'opening', 'closing' or 'plain'; updates the stack of quotes that are open."""
    if token in _QUOTE_CLOSERS or token in _CLOSING_ONLY_QUOTES:
        if open_quotes and token in _QUOTE_CLOSERS[open_quotes[-1]]:
            open_quotes.pop()
            return "closing"
        if token in _QUOTE_CLOSERS:
            open_quotes.append(token)
            return "opening"
        return "closing"  # a stray ” or ’ with nothing open
    if token in _CLOSING:
        return "closing"
    if token in _OPENING:
        return "opening"
    return "plain"


def _upper_first(token: str) -> str:
    first = token[0].upper()
    # "ß".upper() is "SS": keep a letter whose upper case is not one character, change nothing else.
    return first + token[1:] if len(first) == 1 else token


def detokenize(tokens: Sequence[str], capitalize: bool = True) -> str:
    """Join tokens with spaces, attaching punctuation; optionally capitalise the first word and "I".

    Only the first letter of the first word (if it starts with a letter) and the pronoun "i" change.
    """
    tokens = list(tokens)
    if capitalize:
        first_word = next((n for n, token in enumerate(tokens) if is_word(token)), None)
        if first_word is not None and tokens[first_word][0].isalpha():
            tokens[first_word] = _upper_first(tokens[first_word])
        tokens = [_upper_first(t) if _PRONOUN_I_RE.fullmatch(t) else t for t in tokens]

    pieces: list[str] = []
    open_quotes: list[str] = []
    attach_next = True  # no space before the first token, nor after an opening bracket or quote
    for token in tokens:
        role = _role(token, open_quotes)
        if not attach_next and role != "closing":
            pieces.append(" ")
        pieces.append(token)
        attach_next = role == "opening"
    return "".join(pieces)


# --- vocabulary --------------------------------------------------------------------------------

PAD, BOS, EOS, UNK = "<pad>", "<bos>", "<eos>", "<unk>"
PAD_ID, BOS_ID, EOS_ID, UNK_ID = 0, 1, 2, 3
SPECIAL_TOKENS = (PAD, BOS, EOS, UNK)
MAX_VOCAB_SIZE = 100_000  # bound for vocabularies read from (possibly uploaded) checkpoints
MAX_TOKEN_CHARS = 200  # longer than any real word; bounds the memory an uploaded vocabulary can take


class Vocabulary:
    """A fixed list of tokens; a token's id is its position. Ids 0-3 are PAD, BOS, EOS, UNK."""

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens: tuple[str, ...] = tuple(tokens)
        self._ids = {token: n for n, token in enumerate(self.tokens)}

    @classmethod
    def build(
        cls, token_lists: Iterable[Sequence[str]], max_size: int | None = None, min_count: int = 1
    ) -> Vocabulary:
        """Most frequent tokens first, ties alphabetical; `max_size` includes the 4 special tokens."""
        if max_size is not None and max_size < len(SPECIAL_TOKENS):
            raise ValueError(f"max_size must be at least {len(SPECIAL_TOKENS)} (the special tokens)")
        counts = Counter(token for tokens in token_lists for token in tokens)
        kept = [t for t, c in counts.items() if c >= min_count and t not in SPECIAL_TOKENS]
        kept.sort(key=lambda token: (-counts[token], token))
        if max_size is not None:
            kept = kept[: max_size - len(SPECIAL_TOKENS)]  # the rarer words become UNK
        return cls(SPECIAL_TOKENS + tuple(kept))

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token: object) -> bool:
        return token in self._ids

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and self.tokens == other.tokens

    def __hash__(self) -> int:
        return hash(self.tokens)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} tokens)"

    def id_of(self, token: str) -> int:
        return self._ids.get(token, UNK_ID)

    def split(self, words: Sequence[str]) -> tuple[list[str], list[int]]:
        """The tokens a model reads for these words, and for each token the index of its word. Here a
        word is a token; a vocabulary of subword pieces (data/subwords.py) splits words into pieces."""
        return list(words), list(range(len(words)))

    def join(self, tokens: Sequence[str]) -> list[str]:
        """The words of tokens a model wrote: here the tokens themselves."""
        return list(tokens)

    def unknown_words(self, words: Sequence[str]) -> set[str]:
        """The words a model of this vocabulary cannot read whole: it reads them, or a piece of them, as
        the unknown token.

        >>> sorted(Vocabulary([*SPECIAL_TOKENS, "das", "haus"]).unknown_words(["das", "boot", "🚤"]))
        ['boot', '🚤']
        """
        tokens, word_of_token = self.split(words)
        return {words[word_of_token[i]] for i, token in enumerate(tokens) if self.id_of(token) == UNK_ID}

    def token_of(self, token_id: int) -> str:
        # Checked explicitly: a negative id would silently index from the end of the list.
        if not 0 <= token_id < len(self.tokens):
            raise IndexError(f"token id {token_id} is outside the vocabulary of {len(self)} tokens")
        return self.tokens[token_id]

    def encode(self, tokens: Iterable[str], add_bos: bool = False, add_eos: bool = False) -> list[int]:
        ids = [self.id_of(token) for token in tokens]
        return ([BOS_ID] if add_bos else []) + ids + ([EOS_ID] if add_eos else [])

    def decode(self, ids: Iterable[int], strip_special: bool = True) -> list[str]:
        """Tokens for ids; with `strip_special`, the words written: stop at the first EOS, drop PAD and
        BOS, and join the tokens into words (`join`)."""
        if not strip_special:
            return [self.token_of(int(token_id)) for token_id in ids]
        decoded = []
        for token_id in ids:
            token_id = int(token_id)
            if token_id == EOS_ID:
                break
            if token_id not in (PAD_ID, BOS_ID):
                decoded.append(self.token_of(token_id))
        return self.join(decoded)

    def to_dict(self) -> dict[str, list[str]]:
        """JSON-safe form: just the token list."""
        return {"tokens": list(self.tokens)}

    @classmethod
    def from_dict(cls, data: object) -> Vocabulary:
        """Rebuild from `to_dict()` output, checking everything: the input may come from an upload."""
        if not isinstance(data, dict):
            raise ValueError(f"vocabulary must be a dict with a 'tokens' list, got {type(data).__name__}")
        if set(data) != {"tokens"}:
            raise ValueError(
                f"vocabulary dict must have exactly the key 'tokens', got {sorted(map(str, data))}"
            )
        tokens = data["tokens"]
        if not isinstance(tokens, list):
            raise ValueError(f"vocabulary 'tokens' must be a list, got {type(tokens).__name__}")
        if len(tokens) > MAX_VOCAB_SIZE:
            raise ValueError(f"vocabulary has {len(tokens)} tokens; at most {MAX_VOCAB_SIZE} are allowed")
        for n, token in enumerate(tokens):
            if not isinstance(token, str):
                raise ValueError(f"vocabulary token {n} is a {type(token).__name__}, not a string")
            if not 0 < len(token) <= MAX_TOKEN_CHARS:
                raise ValueError(f"vocabulary token {n} must have 1 to {MAX_TOKEN_CHARS} characters")
        if tuple(tokens[: len(SPECIAL_TOKENS)]) != SPECIAL_TOKENS:
            raise ValueError(f"vocabulary must start with the special tokens {list(SPECIAL_TOKENS)}")
        if len(set(tokens)) != len(tokens):
            duplicate = next(t for t, c in Counter(tokens).items() if c > 1)
            raise ValueError(f"vocabulary token {duplicate!r} appears more than once")
        return cls(tokens)


# --- bounds for sentences typed by users ----------------------------------------------------------

MAX_SENTENCE_CHARS = 300
MAX_SENTENCE_WORDS = 30


@dataclass(frozen=True)
class SentenceCheck:
    """The verdict on a typed sentence. If not `ok`, `message` says why and the tokens are empty."""

    ok: bool
    message: str
    tokens: tuple[str, ...] = ()  # lower-cased, for lookups and the model
    display_tokens: tuple[str, ...] = ()  # case kept, for showing


def strip_invisible(text: str) -> str:
    """Drop control and invisible format characters (tabs and newlines become spaces).

    They would otherwise become tokens nobody can see, or reorder the text on screen (bidi controls).
    """
    return "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char) not in ("Cc", "Cf")
    )


def check_sentence(text: str) -> SentenceCheck:
    """Clean and tokenize a sentence typed by a user, or explain in plain English why it cannot be used."""
    cleaned = normalize(strip_invisible(text))  # linear time, so a huge paste is still cheap
    if not cleaned:
        return SentenceCheck(False, "Please type a German sentence.")
    if len(cleaned) > MAX_SENTENCE_CHARS:  # checked before tokenizing
        return SentenceCheck(
            False,
            f"Your sentence is {len(cleaned):,} characters long; the limit is {MAX_SENTENCE_CHARS}. "
            "Please shorten it.",
        )
    display_tokens = tokenize(cleaned, lower=False)
    word_count = len(words(display_tokens))
    if word_count == 0:
        return SentenceCheck(
            False, "No words were found, only punctuation or symbols. Please type a German sentence."
        )
    if word_count > MAX_SENTENCE_WORDS:
        return SentenceCheck(
            False,
            f"Your sentence has {word_count} words; the limit is {MAX_SENTENCE_WORDS}. "
            "Please shorten it or split it into two sentences.",
        )
    return SentenceCheck(True, "", tuple(tokenize(cleaned)), tuple(display_tokens))
