"""The built-in German->English phrasebook corpus: sentence pairs with their gold word alignment.

    >>> pairs = generate_pairs(3, seed=0)
    >>> len(pairs)
    3
    >>> SEED_EXAMPLE.german_text
    'Kannst du mir helfen, diesen Satz zu übersetzen?'

Generation is deterministic: the same (n, seed, min_words, max_words) gives the same pairs.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from rnn_demo.core.text import detokenize, lowered, tokenize
from rnn_demo.data import phrasebook, phrasebook_examples

MIN_WORDS, MAX_WORDS = 3, 30  # the range of sentence lengths the generator can make
SAMPLE_MIN_WORDS, SAMPLE_MAX_WORDS = 3, 12  # a default sample of the phrasebook

# The reorderings that break word-by-word translation, each with a one-line explanation for students
PHENOMENA: dict[str, str] = {
    "modal_infinitive": "Modal verb + infinitive at the end: kann … reparieren → can repair",
    "perfect_participle": "Perfect tense, participle at the end: hat … geschrieben → wrote",
    "verb_final_subclause": "Verb-final subordinate clause: …, weil sie müde ist → because she is tired",
    "zu_infinitive": "zu + infinitive at the end: das Fenster zu öffnen → to open the window",
    "pronoun_before_verb": "Pronoun object before the verb: dir helfen → help you",
    "v2_inversion": "Verb second after a fronted phrase: am Wochenende besuchen wir → at the weekend we …",
    "separable_verb": "Separable verb: rufe … an → call",
    "negation": "Negation: nicht goes late, English adds do/does/did: hat … nicht gefunden → did not find",
    "question": "Questions: the verb comes first, English adds do/does or an auxiliary",
    "many_to_one": "Many words to one: der, die, das, den, dem all become 'the'",
}


@dataclass(frozen=True, slots=True)  # slots: an upload holds 100,000 of them
class SentencePair:
    """A German sentence, its English translation, and which German token means which English one."""

    german: tuple[str, ...]  # tokens as displayed: nouns capitalised, punctuation split off
    english: tuple[str, ...]
    alignment: tuple[tuple[int, int], ...]  # (german index, english index) links
    german_tags: tuple[str, ...]  # part of speech of each German token ("NOUN", "VERB", "PUNCT", ...)
    phenomena: frozenset[str]
    # Other right English translations, where the German says less than English must ("ihr Buch":
    # her/their book; "wenn": if/when); `english` is the one shown
    alternatives: tuple[tuple[str, ...], ...] = ()

    @property
    def german_text(self) -> str:
        return detokenize(self.german, capitalize=False)

    @property
    def english_text(self) -> str:
        return detokenize(self.english, capitalize=False)

    @property
    def word_count(self) -> int:
        """German words, punctuation not counted: the length every bound and chart uses."""
        return sum(tag != "PUNCT" for tag in self.german_tags)

    @property
    def key(self) -> tuple[str, ...]:
        """The lower-cased German tokens: what a model reads, and what a typed sentence is matched
        against. Interned: an index of 100,000 uploaded sentences would otherwise hold a million
        copies of a few words."""
        return tuple(map(sys.intern, lowered(self.german)))

    @property
    def target_tokens(self) -> tuple[str, ...]:
        """The lower-cased English tokens: what a model learns to write (interned, as `key`)."""
        return tuple(map(sys.intern, lowered(self.english)))

    @property
    def references(self) -> tuple[tuple[str, ...], ...]:
        """Every right English translation, the shown one first."""
        return (self.english, *self.alternatives)

    @property
    def target_references(self) -> tuple[tuple[str, ...], ...]:
        """Every right translation as a model writes it (lower-cased), `target_tokens` first."""
        return (self.target_tokens, *(tuple(map(sys.intern, lowered(a))) for a in self.alternatives))


def _to_pair(sentence: phrasebook.Sentence) -> SentencePair:
    return SentencePair(
        german=tuple(t.text for t in sentence.german),
        english=tuple(t.text for t in sentence.english),
        alignment=sentence.alignment,
        german_tags=tuple(t.tag for t in sentence.german),
        phenomena=sentence.phenomena,
        alternatives=sentence.english_alternatives,
    )


def generate_pairs(n: int, seed: int = 0, min_words: int = SAMPLE_MIN_WORDS,
                   max_words: int = SAMPLE_MAX_WORDS, unique: bool = False) -> list[SentencePair]:
    """n sentence pairs of min_words..max_words German words, deterministic from `seed`.

    Lengths are drawn evenly from the range, and short clauses are joined ("und", "aber", "weil",
    ...) until a sentence is long enough. With `unique`, no pair repeats.
    """
    if not MIN_WORDS <= min_words <= max_words <= MAX_WORDS:
        raise ValueError(f"lengths must satisfy {MIN_WORDS} <= min_words <= max_words <= {MAX_WORDS}, "
                         f"got {min_words}..{max_words}")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    rng = random.Random(seed)
    pairs: list[SentencePair] = []
    seen: set[tuple[str, ...]] = set()
    attempts = 0
    while len(pairs) < n:
        attempts += 1
        if unique and attempts > 20 * n + 1000:
            raise RuntimeError(f"only {len(pairs)} distinct pairs of {min_words}..{max_words} words found")
        pair = _to_pair(phrasebook.generate_sentence(rng, min_words, max_words))
        if unique:
            if pair.key in seen:
                continue
            seen.add(pair.key)
        pairs.append(pair)
    return pairs


@dataclass(frozen=True)
class Example:
    label: str  # what the example shows, for a picker
    phenomenon: str  # a key of PHENOMENA, or "seed" / "long"
    pair: SentencePair


_EXAMPLE_LABELS = {"seed": "The book's example", "long": "A long sentence"}


def examples() -> list[Example]:
    """One curated sentence per phenomenon, the book's own example first."""
    result = []
    for phenomenon, sentence in phrasebook_examples.example_sentences():
        label = _EXAMPLE_LABELS.get(phenomenon) or PHENOMENA[phenomenon].split(":")[0]
        result.append(Example(label, phenomenon, _to_pair(sentence)))
    return result


SEED_EXAMPLE = examples()[0].pair


class ReferenceIndex:
    """Finds the reference translation of a typed German sentence, if the phrasebook holds it."""

    def __init__(self, pairs: Iterable[SentencePair]):
        self._by_key: dict[tuple[str, ...], SentencePair] = {}
        for pair in pairs:
            self._by_key.setdefault(pair.key, pair)

    def __len__(self) -> int:
        return len(self._by_key)

    def lookup(self, text: str) -> SentencePair | None:
        return self._by_key.get(tuple(tokenize(text)))
