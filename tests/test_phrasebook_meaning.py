"""The phrasebook's sentences mean something: its rules stated as properties of thousands of sentences.

The word lists here (names, conjunctions, relational nouns, verb forms) are written by hand, not taken
from the generator, so that a slip in the generator cannot hide behind its own tables.
"""

import collections
from functools import cache

import pytest

from rnn_demo.data.corpus import generate_pairs
from rnn_demo.lessons import bottleneck
from rnn_demo.training import train

NAMES = {"Anna", "Thomas", "Maria", "Paul", "Lena", "Jonas", "Sophie", "Felix"}
SUBORDINATORS = {"weil", "obwohl", "wenn", "als", "dass", "ob"}
RELATIONAL = {"Bruder", "Schwester", "Mutter", "Vater", "Tante", "Onkel"}
INDEFINITE = {"ein", "eine", "einen", "einem", "einer"}
PERFECT_AUXILIARY = {"habe", "hast", "hat", "haben", "habt"}
SIMPLE_PAST = {"war", "warst", "waren", "wart", "hatte", "hattest", "hatten", "hattet"}


@cache
def sample():
    """Short and long sentences, from seeds no other test uses."""
    return (generate_pairs(4000, seed=31, min_words=3, max_words=12)
            + generate_pairs(3000, seed=32, min_words=13, max_words=30))


def segments(pair):
    """The sentence's comma-separated parts, each as (German tokens, tags)."""
    parts, tokens, tags = [], [], []
    for token, tag in zip(pair.german, pair.german_tags, strict=True):
        if tag == "PUNCT":
            parts.append((tokens, tags))
            tokens, tags = [], []
        else:
            tokens.append(token)
            tags.append(tag)
    return [part for part in parts if part[0]]


def is_zu_infinitive(tokens, tags):
    """ "das Hemd zu waschen", "ihn anzurufen"; not "Er macht die Tür zu"."""
    return any(t == "zu" and tag == "PART" and i + 1 < len(tags) and tags[i + 1] == "VERB"
               for i, (t, tag) in enumerate(zip(tokens, tags, strict=True))) or any(
        tag == "VERB" and "zu" in t[2:-2] for t, tag in zip(tokens, tags, strict=True))


def attached_clause(parts, index):
    """The clause with a finite verb that a subordinate clause at `index` belongs to: the next one if
    it comes first, else the one before it (before a zu-infinitive, the one that takes it)."""
    if index == 0:
        return parts[1]
    index -= 1
    while index > 0 and is_zu_infinitive(*parts[index]):
        index -= 1
    return parts[index]


def test_no_proper_name_twice_in_one_sentence():
    for pair in sample():
        names = collections.Counter(t for t in pair.german if t in NAMES)
        assert all(n == 1 for n in names.values()), pair.german_text


def test_no_subordinating_conjunction_twice_in_one_sentence():
    for pair in sample():
        tagged = zip(pair.german, pair.german_tags, strict=True)
        conjunctions = collections.Counter(t.lower() for t, tag in tagged if tag == "CONJ")
        conjunctions = {c: n for c, n in conjunctions.items() if c in SUBORDINATORS}
        assert all(n == 1 for n in conjunctions.values()), pair.german_text


def test_no_wh_question_takes_a_weil_or_wenn_clause():
    questions = [p for p in sample() if p.german[0] in ("Wann", "Warum", "Wo")]
    assert len(questions) > 100
    for pair in questions:
        assert not {"weil", "wenn", "obwohl"} & set(pair.german), pair.german_text


def test_als_joins_a_past_clause_to_a_past_one_and_wenn_never_joins_a_past_one():
    seen = collections.Counter()
    for pair in sample():
        parts = segments(pair)
        for index, (tokens, _) in enumerate(parts):
            conjunction = tokens[0].lower()
            if conjunction not in ("als", "wenn"):
                continue
            seen[conjunction] += 1
            main_tokens, main_tags = attached_clause(parts, index)
            main_is_perfect = any(t in PERFECT_AUXILIARY and tag == "AUX"
                                  for t, tag in zip(main_tokens, main_tags, strict=True))
            if conjunction == "als":
                assert tokens[-1] in SIMPLE_PAST and main_is_perfect, pair.german_text
            else:
                assert tokens[-1] not in SIMPLE_PAST and not main_is_perfect, pair.german_text
    assert seen["als"] > 100 and seen["wenn"] > 100


def test_no_relational_noun_with_an_indefinite_article():
    for pair in sample():
        for i, token in enumerate(pair.german):
            if token in RELATIONAL:
                before = pair.german[i - 1] if pair.german_tags[i - 1] != "ADJ" else pair.german[i - 2]
                assert before.lower() not in INDEFINITE, pair.german_text


def test_the_german_perfect_narrates_in_the_english_simple_past():
    """English "has/have" only where German "haben" is the verb itself ("Ich habe Zeit")."""
    for pair in sample():
        german_of = collections.defaultdict(set)
        for g, e in pair.alignment:
            german_of[e].add((pair.german[g].lower(), pair.german_tags[g]))
        for e, word in enumerate(pair.english):
            if word.lower() in ("has", "have"):
                assert german_of[e] <= {(f, "VERB") for f in PERFECT_AUXILIARY}, pair.german_text


def test_husband_wife_supposed_to_and_must_not():
    english = [p.english_text for p in sample()]
    assert not any(phrase in text.lower() for text in english
                   for phrase in ("my man", "his woman", "her man", "your woman", "should", "may not"))
    for pair in sample():
        if "soll" in pair.german or "sollst" in pair.german:
            at = pair.german.index("soll") if "soll" in pair.german else pair.german.index("sollst")
            offer = pair.german[-1] == "?" and pair.german[at + 1] == "ich"  # "Wann soll ich ...?"
            assert ("shall" if offer else "supposed") in pair.english, pair.german_text


def readings(pair, english_index):
    """The words at this place in every reference of the shown one's length (a verb read another way,
    "have read" for "read", shifts the words after it)."""
    return {reference[english_index].lower() for reference in pair.references
            if len(reference) == len(pair.english)}


# English words a polite "Sie" at the start would have to change with: then it is read as "they" only
OTHER_PERSON_WORDS = {"they", "them", "their", "you", "your", "her"}


def ambiguous_words(pair):
    """(German word, English index, the English words it must be read as), for each listed ambiguity:
    possessive ihr- (her/their, and polite "your" at the start where nothing else would have to change),
    object sie (her/them, unless a "she" or "they" elsewhere settles it), a sentence-first Sie with a
    plural verb (they/you, likewise), and wenn (if/when)."""
    polite = not OTHER_PERSON_WORDS & {w.lower() for w in pair.english[1:]}
    settled = {"she", "they"} & set(pair.english)
    english_of = collections.defaultdict(list)
    for g, e in pair.alignment:
        english_of[g].append(e)
    for g, (word, tag) in enumerate(zip(pair.german, pair.german_tags, strict=True)):
        for e in english_of[g]:
            english = pair.english[e].lower()
            if tag == "DET" and word.lower().startswith("ihr"):
                yield word, e, {"her", "their"} | ({"your"} if g == 0 and polite else set())
            elif word == "sie" and english in ("her", "them") and not settled:
                yield word, e, {"her", "them"}
            elif g == 0 and word == "Sie" and english == "they" and polite:
                yield word, e, {"they", "you"}
            elif word.lower() == "wenn":
                yield word, e, {"if", "when"}


def test_every_listed_ambiguity_carries_all_its_readings():
    found = collections.Counter()
    for pair in sample():
        for word, e, meanings in ambiguous_words(pair):
            found[word.lower()] += 1
            assert meanings <= readings(pair, e), (pair.german_text, pair.references)
    assert all(found[w] > 50 for w in ("ihr", "ihre", "sie", "wenn")), found


def test_alternatives_are_other_whole_translations():
    for pair in sample():
        assert pair.english not in pair.alternatives
        assert len(set(pair.alternatives)) == len(pair.alternatives)
        for alternative in pair.alternatives:
            assert alternative[-1] == pair.english[-1] and all(w and " " not in w for w in alternative)
            assert abs(len(alternative) - len(pair.english)) <= 3, (pair.english_text, alternative)


@pytest.fixture
def ambiguous_pair():
    return next(p for p in sample() if p.alternatives and p.word_count <= 8)


def test_training_counts_any_right_translation_as_right(monkeypatch, ambiguous_pair):
    alternative = [w.lower() for w in ambiguous_pair.alternatives[-1]]
    monkeypatch.setattr(train, "translate_batch", lambda model, sentences, *_: [alternative] * len(sentences))
    assert train.held_out_exact_match(train.TrainedModel(None, None, None, None), [ambiguous_pair]) == 1.0
    watched = train.watched_held_out([ambiguous_pair], count=1)
    assert tuple(alternative) in watched[0].references


def test_the_bottleneck_scores_any_right_translation_as_exact(monkeypatch, ambiguous_pair):
    alternative = list(ambiguous_pair.alternatives[-1])
    monkeypatch.setattr(bottleneck, "word_by_word_translations", lambda lexicon, pairs: [alternative])
    rows = bottleneck.measure(None, {}, [ambiguous_pair])
    assert [row.exact_match for row in rows] == [1.0] and rows[0].bleu == pytest.approx(100)


def test_soll_ich_offers_shall_or_should():
    """ "Soll ich ...?" / "Sollen wir ...?" offers or asks advice: "Shall I ...?", or "Should I ...?"."""
    tested = 0
    for pair in generate_pairs(20_000, seed=33, min_words=3, max_words=8):  # short questions are rare
        if pair.german[0] in ("Soll", "Sollen") and pair.german[1] in ("ich", "wir") \
                and pair.german[-1] == "?" and "nicht" not in pair.german:
            tested += 1
            firsts = {reference[0] for reference in pair.references}
            assert firsts == {"Shall", "Should"}, (pair.german_text, pair.references)
    assert tested > 10
