"""Subword pieces for real text: a vocabulary in which almost nothing is unknown, and that stays small.

A real corpus has tens of thousands of word types; a model that knows only the 5,000 most frequent
reads the rest as <unk>, and its output layer is large. Byte-pair encoding (Sennrich et al., 2016)
learns pieces instead: it starts from single characters and keeps merging the pair of pieces that
is most frequent in the corpus, until it has as many pieces as asked for. Frequent words become one
piece, rare words several (hin|ge|fallen), and only a character never seen in the corpus is unknown.
The learning and the splitting are done by the `sentencepiece` library (BPE, one thread, so the
same sentences always give the same pieces).

Sentences come in as the project's tokens (`core.text.tokenize`: words and punctuation, lower-cased),
and every token is split on its own, so each piece belongs to exactly one token: the first piece of
a token starts with WORD_START ("▁").

    >>> sentences = [["ich", "bin", "müde"], ["wir", "sind", "hingegangen"], ["er", "ist", "gefallen"]]
    >>> german = learn_subwords([[*sentence, "."] for sentence in sentences] * 20, size=60)
    >>> german.encode(["ich", "bin", "hingefallen", "."])  # pieces, and the token each belongs to
    (['▁ich', '▁bin', '▁h', 'in', 'gef', 'allen', '▁.'], [0, 1, 2, 2, 2, 2, 3])
    >>> german.decode(['▁ich', '▁bin', '▁h', 'in', 'gef', 'allen', '▁.'])
    ['ich', 'bin', 'hingefallen', '.']

A model's vocabulary is `subwords.vocabulary()` (the special tokens, then the pieces); a checkpoint
keeps `to_dict()` as JSON, and `from_dict` checks it before it is used (bounded, no code).
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Sequence

import sentencepiece
from sentencepiece import sentencepiece_model_pb2 as model_pb2

from rnn_demo.core.text import SPECIAL_TOKENS, UNK, Vocabulary
from rnn_demo.data.corpus import SentencePair

WORD_START = "\u2581"  # "▁": sentencepiece's mark on the first piece of a word
KIND = "sentencepiece-bpe"
# Pieces per language. German pieces are only looked up (an embedding); English ones are the output
# layer, which every training step computes and updates in full: fewer of them train faster.
GERMAN_PIECES, ENGLISH_PIECES = 2_000, 1_000
MAX_PIECES = 16_000  # bound for pieces read from a checkpoint (or asked for)
MAX_PIECE_CHARS = 17  # sentencepiece's longest piece (16 characters), plus WORD_START
_MIN_COVERAGE = 0.98  # the least share of the text's characters that sentencepiece accepts as pieces
_MAX_SENTENCE_BYTES = 16_384  # far above a sentence of 30 words (the trainer skips longer ones)


def _cleaned(token: str) -> str:
    # a typed "▁" would read as the start of a word; tokens never hold spaces (`tokenize` splits there)
    return token.replace(WORD_START, "_")


class Subwords:
    """The pieces of one language, in the order byte-pair encoding learned them (the earliest merges
    first), and the sentencepiece model that splits words into them."""

    def __init__(self, pieces: Sequence[str]):
        self.pieces: tuple[str, ...] = tuple(pieces)
        # The model is built from the pieces alone: in a BPE model, a piece's score is its rank
        proto = model_pb2.ModelProto()
        proto.trainer_spec.model_type = model_pb2.TrainerSpec.BPE
        proto.trainer_spec.unk_id, proto.trainer_spec.bos_id = 0, -1
        proto.trainer_spec.eos_id, proto.trainer_spec.pad_id = -1, -1
        proto.normalizer_spec.name = "identity"  # the tokens are normalised already (NFC, lower case)
        unknown = proto.pieces.add()
        unknown.piece, unknown.score, unknown.type = UNK, 0.0, model_pb2.ModelProto.SentencePiece.UNKNOWN
        for rank, piece in enumerate(self.pieces):
            entry = proto.pieces.add()
            entry.piece, entry.score = piece, -float(rank)
        self._model = sentencepiece.SentencePieceProcessor(model_proto=proto.SerializeToString())

    def __len__(self) -> int:
        return len(self.pieces)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Subwords) and self.pieces == other.pieces

    def __hash__(self) -> int:
        return hash(self.pieces)

    def __repr__(self) -> str:
        return f"Subwords({len(self)} pieces)"

    def __reduce__(self):  # pickled (e.g. for a training process) as its pieces
        return (Subwords, (self.pieces,))

    def split(self, tokens: Sequence[str]) -> list[list[str]]:
        """The pieces of each token; UNK for a character the pieces do not hold."""
        ids = self._model.encode([_cleaned(token) for token in tokens])  # id 0 is unknown
        return [[self.pieces[i - 1] if i else UNK for i in token_ids] for token_ids in ids]

    def encode(self, tokens: Sequence[str]) -> tuple[list[str], list[int]]:
        """The pieces of a sentence, and for each piece the index of the token it belongs to."""
        pieces, word_of_piece = [], []
        for index, token_pieces in enumerate(self.split(tokens)):
            pieces += token_pieces
            word_of_piece += [index] * len(token_pieces)
        return pieces, word_of_piece

    @staticmethod
    def decode(pieces: Iterable[str]) -> list[str]:
        """Words from pieces, as a decoder writes them: a piece that starts with WORD_START starts a new
        word, any other is joined to the word before it; UNK (or a special token) is a word of its own."""
        words: list[str] = []
        glued = False  # whether the next piece may join the last word
        for piece in pieces:
            if piece in SPECIAL_TOKENS:
                words.append(piece)
                glued = False
            elif piece.startswith(WORD_START) or not glued:
                words.append(piece.removeprefix(WORD_START))
                glued = True
            else:
                words[-1] += piece
        return [word for word in words if word]  # a lone "▁" with nothing after it is no word

    def vocabulary(self) -> Vocabulary:
        """A model's vocabulary: the special tokens (PAD, BOS, EOS, UNK), then the pieces."""
        return Vocabulary(SPECIAL_TOKENS + self.pieces)

    def to_dict(self) -> dict[str, object]:
        """JSON-safe form, for a checkpoint's header."""
        return {"kind": KIND, "pieces": list(self.pieces)}

    @classmethod
    def from_dict(cls, data: object) -> Subwords:
        """Rebuild from `to_dict()` output, checking everything: the input may come from an upload."""
        if not isinstance(data, dict) or set(data) != {"kind", "pieces"}:
            raise ValueError("subwords must be a dict with exactly the keys 'kind' and 'pieces'")
        if data["kind"] != KIND:
            raise ValueError(f"subwords must be of kind {KIND!r}, got {str(data['kind'])[:40]!r}")
        pieces = data["pieces"]
        if not isinstance(pieces, list) or not 1 <= len(pieces) <= MAX_PIECES:
            raise ValueError(f"subword 'pieces' must be a list of 1 to {MAX_PIECES:,} strings")
        for n, piece in enumerate(pieces):
            if not isinstance(piece, str) or not 0 < len(piece) <= MAX_PIECE_CHARS:
                raise ValueError(f"subword piece {n} must be a string of 1 to {MAX_PIECE_CHARS} characters")
            if not piece.isprintable() or " " in piece or WORD_START in piece[1:]:
                raise ValueError(f"subword piece {n} holds a space, an invisible character or a misplaced ▁")
            if piece in SPECIAL_TOKENS:
                raise ValueError(f"subword piece {n} is a special token ({piece})")
        if len(set(pieces)) != len(pieces):
            duplicate = next(piece for piece, count in Counter(pieces).items() if count > 1)
            raise ValueError(f"subword piece {duplicate!r} appears more than once")
        return cls(pieces)


def learn_subwords(sentences: Iterable[Sequence[str]], size: int) -> Subwords:
    """Learn about `size` pieces (fewer if the sentences hold fewer) from sentences of tokens.

    Every character of the sentences becomes a piece of its own, so that only characters never seen
    are unknown; if there are too many different characters for that, the rarest are left out (if
    they are at most 2% of the text). Deterministic: the same sentences give the same pieces.
    Raises ValueError if there is nothing to learn from, or too many different characters."""
    if not 1 <= size <= MAX_PIECES:
        raise ValueError(f"size must be from 1 to {MAX_PIECES:,}, got {size}")
    texts = [" ".join(_cleaned(token) for token in tokens) for tokens in sentences]
    characters = Counter(char for text in texts for char in text if char != " ")
    if not characters:
        raise ValueError("no text to learn subword pieces from")
    # the characters themselves may take at most half of the pieces; sentencepiece needs them to
    # cover at least 98% of the text
    kept = sum(count for _, count in characters.most_common(max(size // 2, 1)))
    coverage = kept / characters.total()
    if coverage < _MIN_COVERAGE:
        raise ValueError(
            f"The sentences hold {len(characters):,} different characters, too many for {size:,} subword "
            "pieces: is this German and English text?"
        )
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(texts),
        model_writer=model,
        model_type="bpe",
        vocab_size=size + 1,  # with the unknown piece
        hard_vocab_limit=False,  # a small corpus may not have that many pieces to give
        character_coverage=min(coverage, 1.0),
        normalization_rule_name="identity",
        unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1,
        byte_fallback=False,
        max_sentence_length=_MAX_SENTENCE_BYTES,
        num_threads=1,  # more threads may learn different pieces from the same sentences
        minloglevel=2,  # quiet
    )
    trained = sentencepiece.SentencePieceProcessor(model_proto=model.getvalue())
    return Subwords([trained.id_to_piece(i) for i in range(1, trained.get_piece_size())])


def learn_pair_subwords(
    pairs: Sequence[SentencePair], german_size: int = GERMAN_PIECES, english_size: int = ENGLISH_PIECES
) -> tuple[Subwords, Subwords]:
    """German and English pieces from sentence pairs, from the tokens a model reads and writes
    (`pair.key` and `pair.target_tokens`, lower-cased)."""
    return (
        learn_subwords((pair.key for pair in pairs), german_size),
        learn_subwords((pair.target_tokens for pair in pairs), english_size),
    )


def unknown_share(subwords: Subwords, sentences: Iterable[Sequence[str]]) -> float:
    """The share of the sentences' tokens that hold a character the pieces do not (read as <unk>)."""
    tokens = unknown = 0
    for sentence in sentences:
        for pieces in subwords.split(sentence):
            tokens += 1
            unknown += UNK in pieces
    return unknown / max(tokens, 1)


class PieceVocabulary(Vocabulary):
    """A model's vocabulary of subword pieces: the special tokens, then the pieces. It reads words split
    into pieces (`encode` and `split` take words) and writes pieces that `decode` and `join` turn
    back into words, so the code that feeds a model words and reads its words works unchanged."""

    def __init__(self, subwords: Subwords) -> None:
        super().__init__(SPECIAL_TOKENS + subwords.pieces)
        self.subwords = subwords

    def split(self, words: Sequence[str]) -> tuple[list[str], list[int]]:
        return self.subwords.encode(words)

    def join(self, tokens: Sequence[str]) -> list[str]:
        return self.subwords.decode(tokens)

    def encode(self, tokens: Iterable[str], add_bos: bool = False, add_eos: bool = False) -> list[int]:
        pieces, _ = self.split(list(tokens))
        return super().encode(pieces, add_bos, add_eos)

    def to_dict(self) -> dict[str, object]:
        return self.subwords.to_dict()

    def __reduce__(self):  # pickled (for a training process) as its pieces
        return (PieceVocabulary, (self.subwords,))


def vocabulary_from_dict(data: object) -> Vocabulary:
    """A vocabulary from a checkpoint's JSON: of whole words ({"tokens": …}) or of subword pieces
    ({"kind": …, "pieces": …}); everything is checked, since the file may be an upload."""
    if isinstance(data, dict) and "pieces" in data:
        return PieceVocabulary(Subwords.from_dict(data))
    return Vocabulary.from_dict(data)
