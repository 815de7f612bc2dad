"""The word-by-word baseline: a German->English dictionary learned from sentence pairs by IBM Model 1.

IBM Model 1 (Brown et al., 1993) knows nothing of word order. It only asks, over all sentence pairs,
which English word keeps turning up when a German word is there, and shares each English word
between the German words of its sentence (and an empty NULL word) by expectation maximisation.

    >>> lexicon = train_model1([(["das", "haus"], ["the", "house"]), (["das", "buch"], ["the", "book"])])
    >>> lexicon.gloss("haus")
    'house'

The English side is read as words: a contraction is the words it stands for ("I'm" is "i am",
"don't" is "do not", "Tom's" is "tom"), so a gloss is always one English word, never "i'm".

A German word is glossed only if the lexicon can place it (`Lexicon.unplaced` says why not):
- it was seen at least `min_count` times: one or two sentences cannot tell its translation;
- its best translation has t(e | f) of at least `min_probability`: below that the lexicon is guessing;
- it stands for some English word at least `min_fertility` times per occurrence, in expectation (its
  "fertility": the share of English words that EM assigns to it): a word that mostly stands for
  nothing in English, like "es" in "es regnet" or "zu" before an infinitive that English marks
  otherwise, has the empty word as its best translation.
The thresholds are the lexicon's (`train_model1` takes them); the defaults place every word seen.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from rnn_demo.core.text import words

NULL = "<null>"  # the empty German word: English words with no German source align to it
_CHUNK = 4096  # sentence pairs per vectorised step, to bound memory


@dataclass(frozen=True)
class Lexicon:
    german: tuple[str, ...]  # German word types; index 0 is NULL
    english: tuple[str, ...]  # English word types
    translation: np.ndarray  # t(e | f): (len(german), len(english)), each row sums to 1
    occurrences: np.ndarray | None = None  # (len(german),) how often each German type was seen
    fertility: np.ndarray | None = None  # (len(german),) English words each stands for, per occurrence
    min_count: int = 1  # the rule for glossing a word (see the module's docstring)
    min_probability: float = 0.0
    min_fertility: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "_german_index", {word: i for i, word in enumerate(self.german)})

    def unplaced(self, german_word: str) -> str | None:
        """Why the lexicon does not gloss this word, in a few words for a table; None if it does."""
        row = self._german_index.get(german_word.lower())
        if row is None or row == 0:
            return "not in the dictionary"
        if self.occurrences is not None and self.occurrences[row] < self.min_count:
            return "seen too rarely"
        best = float(self.translation[row].max())
        if best <= 0 or best < self.min_probability:  # 0: seen only beside no English word at all
            return "no sure translation"
        if self.fertility is not None and self.fertility[row] < self.min_fertility:
            return "mostly left untranslated"
        return None

    def glosses(self, german_word: str, k: int = 3) -> list[tuple[str, float]]:
        """The k most likely English translations of a German word, with t(e | f); [] if unknown."""
        row = self._german_index.get(german_word.lower())
        if row is None or row == 0:
            return []
        probabilities = self.translation[row]
        best = np.argsort(-probabilities, kind="stable")[:k]
        return [(self.english[e], float(probabilities[e])) for e in best if probabilities[e] > 0]

    def gloss(self, german_word: str) -> str | None:
        """The single most likely English word, or None for a word the lexicon cannot place."""
        if self.unplaced(german_word):
            return None
        candidates = self.glosses(german_word, k=1)
        return candidates[0][0] if candidates else None


# English contractions, as the words they stand for. "'s" is "is" after these words, else a possessive
_CONTRACTED = {"can't": ("can", "not"), "won't": ("will", "not"), "shan't": ("shall", "not"),
               "ain't": ("is", "not"), "let's": ("let", "us")}
_SUFFIXES = (("n't", "not"), ("'m", "am"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would"))
_IS_AFTER = frozenset("it that this he she what who where when why how there here everything nothing".split())


def english_words(tokens: Iterable[str]) -> list[str]:
    """English tokens as lower-cased words: punctuation left out, contractions spelled out
    ("I'm" -> "i", "am"; "don't" -> "do", "not"), possessives without their "'s" ("Tom's" -> "tom")."""
    result = []
    for token in words(tokens):
        token = token.lower().replace("’", "'")
        if token in _CONTRACTED:
            result += _CONTRACTED[token]
            continue
        suffix = next(((end, word) for end, word in _SUFFIXES if token.endswith(end) and token != end), None)
        if suffix:
            result += [token[: -len(suffix[0])], suffix[1]]
        elif token.endswith("'s") and len(token) > 2:
            result += [token[:-2], "is"] if token[:-2] in _IS_AFTER else [token[:-2]]
        else:
            result.append(token.rstrip("'") or token)
    return result


def _padded(sentences: list[list[int]], width: int) -> tuple[np.ndarray, np.ndarray]:
    """Word ids in a (N, width) array, and a mask of the real (unpadded) positions."""
    ids = np.zeros((len(sentences), width), dtype=np.int64)
    mask = np.zeros((len(sentences), width), dtype=bool)
    for row, sentence in enumerate(sentences):
        ids[row, : len(sentence)] = sentence
        mask[row, : len(sentence)] = True
    return ids, mask


def _most_frequent(sentences: list[list[str]], max_types: int | None) -> list[list[str]]:
    """The sentences with only their `max_types` most frequent word types (all if None)."""
    if max_types is None:
        return sentences
    counts = Counter(w for s in sentences for w in s)
    kept = set(sorted(counts, key=lambda w: (-counts[w], w))[:max_types])
    return [[w for w in s if w in kept] for s in sentences]


def train_model1(
    pairs: Sequence[tuple[Sequence[str], Sequence[str]]],
    iterations: int = 8,
    max_types: int | None = None,
    min_count: int = 1,
    min_probability: float = 0.0,
    min_fertility: float = 0.0,
) -> Lexicon:
    """Learn t(e | f) from (German tokens, English tokens) pairs; punctuation is ignored, case too,
    and English contractions are read as the words they stand for (`english_words`).

    `max_types` bounds the word types per language (the most frequent are kept; the others are left
    out, so they are unknown to the lexicon): the table t(e | f) has one cell per pair of types.
    `min_count`, `min_probability` and `min_fertility` are the rule for glossing (see the module).
    """
    german_sentences = [[w.lower() for w in words(german)] for german, _ in pairs]
    english_sentences = [english_words(english) for _, english in pairs]
    german_sentences, english_sentences = (
        _most_frequent(german_sentences, max_types), _most_frequent(english_sentences, max_types)
    )
    german_types = (NULL, *sorted({w for s in german_sentences for w in s}))
    english_types = tuple(sorted({w for s in english_sentences for w in s}))
    german_id = {w: i for i, w in enumerate(german_types)}
    english_id = {w: i for i, w in enumerate(english_types)}

    # Every German sentence starts with NULL (id 0), so each English word can also come from nothing
    source, source_mask = _padded([[0] + [german_id[w] for w in s] for s in german_sentences],
                                  1 + max((len(s) for s in german_sentences), default=0))
    target, target_mask = _padded([[english_id[w] for w in s] for s in english_sentences],
                                  max((len(s) for s in english_sentences), default=0))
    n_german, n_english = len(german_types), len(english_types)
    translation = np.full((n_german, n_english), 1.0 / max(n_english, 1))
    row_totals = np.zeros((n_german, 1))

    for _ in range(iterations):
        counts = np.zeros(n_german * n_english)
        for start in range(0, len(pairs), _CHUNK):
            f = source[start:start + _CHUNK]  # (B, F) German ids, NULL first
            e = target[start:start + _CHUNK]  # (B, E) English ids
            chunk = slice(start, start + _CHUNK)
            both_real = target_mask[chunk, :, None] & source_mask[chunk, None, :]  # (B, E, F)
            # E-step: share each English word among the German words of its sentence, by t(e | f)
            scores = translation[f[:, None, :], e[:, :, None]] * both_real  # (B, E, F)
            totals = scores.sum(axis=2, keepdims=True)  # (B, E, 1)
            posterior = np.divide(scores, totals, out=np.zeros_like(scores), where=totals > 0)
            flat_pairs = (f[:, None, :] * n_english + e[:, :, None]).ravel()  # (f, e) cell of each share
            counts += np.bincount(flat_pairs, weights=posterior.ravel(), minlength=counts.size)
        # M-step: t(e | f) = expected count of (f, e) / expected count of f
        counts = counts.reshape(n_german, n_english)
        row_totals = counts.sum(axis=1, keepdims=True)
        translation = np.divide(counts, row_totals, out=translation.copy(), where=row_totals > 0)

    # The last E-step's row totals: the English words EM gave each German type, over all its occurrences
    occurrences = np.bincount(source[source_mask], minlength=n_german)  # NULL: once per sentence
    fertility = row_totals[:, 0] / np.maximum(occurrences, 1)
    return Lexicon(german_types, english_types, translation.astype(np.float32), occurrences,
                   fertility.astype(np.float32), min_count, min_probability, min_fertility)


def model1_links(lexicon: Lexicon, german: Sequence[str], english: Sequence[str]) -> list[int | None]:
    """IBM Model 1's alignment of one sentence pair: for each English token, the German token with the
    highest t(e | f) (its most likely source, the empty word left out; the first on a tie). None for
    punctuation and for an English word that no German word of the sentence gives any probability.
    A contraction ("don't") takes the best of the words it stands for."""
    rows = [lexicon._german_index.get(token.lower(), 0) for token in german]  # 0 (NULL): not a word
    english_index = {word: i for i, word in enumerate(lexicon.english)}
    links: list[int | None] = []
    for token in english:
        columns = [english_index[w] for w in english_words([token]) if w in english_index]
        scores = [
            max((float(lexicon.translation[row, c]) for c in columns), default=0.0) if row else 0.0
            for row in rows
        ]
        best = int(np.argmax(scores)) if scores else 0
        links.append(best if scores and scores[best] > 0 else None)
    return links


def gold_lexicon(aligned_pairs: Iterable[tuple[Sequence[str], Sequence[str], Sequence[tuple[int, int]]]]
                 ) -> dict[str, str]:
    """For each German word, the English word it is most often aligned to (ties: alphabetical).

    Items are (German tokens, English tokens, gold links (German index, English index)).
    """
    aligned: dict[str, Counter[str]] = defaultdict(Counter)
    for german, english, alignment in aligned_pairs:
        for g, e in alignment:
            aligned[german[g].lower()][english[e].lower()] += 1
    return {word: min(counts, key=lambda w: (-counts[w], w)) for word, counts in aligned.items()}


def recovery_rate(lexicon: Lexicon, gold: dict[str, str], german_words: Iterable[str]) -> float:
    """Share of the given German words (those with a gold entry) whose top gloss is the gold one."""
    checked = [w for w in set(german_words) if w in gold]
    if not checked:
        return 0.0
    return sum(lexicon.gloss(w) == gold[w] for w in checked) / len(checked)
