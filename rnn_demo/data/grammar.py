"""The phrasebook's grammar: German and English words that carry meaning units, noun phrases, and
clauses written out in German and in English word order.

Every German and English token carries the "meaning units" it expresses; two tokens that share a
unit are aligned, so the gold alignment is exact by construction. The reorderings that break
word-by-word translation (the verb at the end, "mir helfen" -> "help me", "rufe ... an" -> "call")
fall out of the German word-order rules in `realize`. `phrasebook.py` plans what the clauses say.

    >>> from rnn_demo.data.scenes import NOUN, VERB
    >>> book = NounPhrase(noun=NOUN["Buch"])
    >>> read = Clause(NounPhrase(pronoun=0), VERB["lesen"], "perfect", accusative=book)
    >>> for order in ("main", "sub"):  # "ich habe ...", and "..., weil ich das Buch gelesen habe"
    ...     german, english = realize(Builder(random.Random(0)), read, order)
    ...     print(" ".join(t.text for t in german), "|", " ".join(t.text for t in english))
    ich habe das Buch gelesen | I read the book
    ich das Buch gelesen habe | I read the book
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field, replace

from rnn_demo.data import phrasebook_words as words
from rnn_demo.data.english_verbs import BE as _BE
from rnn_demo.data.english_verbs import Told, VerbGroup, verb_readings
from rnn_demo.data.meanings import STATIVE

# Parts of speech that count as content words (the lexicon test is about these)
CONTENT_TAGS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV"})


@dataclass(frozen=True)
class Token:
    text: str
    units: tuple[int, ...] = ()  # meaning units; a German and an English token sharing one are aligned
    tag: str = ""  # part of speech (German side only)
    alternatives: tuple[str, ...] = ()  # English side: other words the German also means ("her": "their")
    # English side: tokens of one `group` change together, the k-th alternative of each at once ("did ...
    # read" -> "have ... read"); an alternative may be several words, or none ("")
    group: int = -1


@dataclass(frozen=True)
class Sentence:
    german: tuple[Token, ...]
    english: tuple[Token, ...]
    phenomena: frozenset[str]

    @property
    def alignment(self) -> tuple[tuple[int, int], ...]:
        english_by_unit: dict[int, list[int]] = {}
        for e, token in enumerate(self.english):
            for unit in token.units:
                english_by_unit.setdefault(unit, []).append(e)
        return tuple(sorted({(g, e) for g, token in enumerate(self.german)
                             for unit in token.units for e in english_by_unit.get(unit, ())}))

    @property
    def word_count(self) -> int:
        return sum(token.tag != "PUNCT" for token in self.german)

    @property
    def english_alternatives(self) -> tuple[tuple[str, ...], ...]:
        """Every other right English translation: each ambiguous word ("ihr" -> her/their, "wenn" ->
        when/if) read each way it can be."""
        slots: list[tuple[list[int], list[tuple[str, ...]]]] = []
        groups: dict[int, list[int]] = {}
        for i, t in enumerate(self.english):
            if t.group >= 0:
                groups.setdefault(t.group, []).append(i)
            elif t.alternatives:
                slots.append(([i], [(t.text,), *((a,) for a in t.alternatives)]))
        for indices in groups.values():
            first = self.english[indices[0]]
            slots.append((indices, [tuple(self.english[i].text for i in indices)]
                          + [tuple(self.english[i].alternatives[k] for i in indices)
                             for k in range(len(first.alternatives))]))
        if not slots:
            return ()
        shown = tuple(t.text for t in self.english)
        found: dict[tuple[str, ...], None] = {}
        combinations = itertools.product(*(options for _, options in slots))
        for combination in itertools.islice(combinations, MAX_READINGS):
            texts = list(shown)
            for (indices, _), choice in zip(slots, combination, strict=True):
                for i, text in zip(indices, choice, strict=True):
                    texts[i] = text
            reading = tuple(w for text in texts for w in text.split())
            if reading != shown:
                found[reading] = None
        return tuple(found)


MAX_READINGS = 32  # a sentence has at most a few ambiguous words; this only bounds the worst case


@dataclass
class Builder:
    """Hands out fresh meaning units and collects the phenomena a sentence shows."""

    rng: random.Random
    phenomena: set[str] = field(default_factory=set)
    past: bool = False  # a clause speaks of the past: "wenn" (for present and future) no longer fits
    told: Told = field(default_factory=Told)  # what changes how English says the next verbs
    _counter: itertools.count = field(default_factory=itertools.count)

    def unit(self) -> int:
        return next(self._counter)


def word_pair(builder: Builder, german: str, tag: str, english: str | tuple[str, ...],
              alternatives: tuple[str, ...] = ()) -> tuple[Token, list[Token]]:
    """One German word and the English word(s) it means, aligned; `alternatives`: other right English
    words for a one-word English translation."""
    unit = builder.unit()
    english_words = (english,) if isinstance(english, str) else english
    return Token(german, (unit,), tag), [Token(word, (unit,), "", alternatives) for word in english_words]


# --- noun phrases --------------------------------------------------------------------------------------

# person index: 0 ich, 1 du, 2 er/sie/es, 3 wir, 4 ihr, 5 sie (plural)
PRONOUNS = (  # person, nominative, accusative, dative, English subject, English object
    (0, "ich", "mich", "mir", "I", "me"),
    (1, "du", "dich", "dir", "you", "you"),
    (2, "er", "ihn", "ihm", "he", "him"),
    (2, "sie", "sie", "ihr", "she", "her"),
    (3, "wir", "uns", "uns", "we", "us"),
    (5, "sie", "sie", "ihnen", "they", "them"),
    (2, "er", "ihn", "ihm", "it", "it"),  # things, by the noun's gender: "der Kuchen ... er ist lecker"
    (2, "sie", "sie", "ihr", "it", "it"),
    (2, "es", "es", "ihm", "it", "it"),
)
THING_PRONOUN = {"m": 6, "f": 7, "n": 8}
# Object "sie" is "her" or "them" (only the context tells): both are right
_OBJECT_ALTERNATIVES = {(3, "acc"): ("them",), (5, "acc"): ("her",)}
_DEFINITE = {"nom": ("der", "die", "das"), "acc": ("den", "die", "das"), "dat": ("dem", "der", "dem")}
_THIS = {"nom": ("dieser", "diese", "dieses"), "acc": ("diesen", "diese", "dieses"),
         "dat": ("diesem", "dieser", "diesem")}
_EIN_ENDINGS = {"nom": ("", "e", ""), "acc": ("en", "e", ""), "dat": ("em", "er", "em")}
# "ihr" is "her" and "ihr_pl" "their": the same German word, so each has the other as an alternative
POSSESSIVES = {"mein": "my", "dein": "your", "sein": "his", "ihr": "her", "ihr_pl": "their", "unser": "our"}
_POSSESSIVE_ALTERNATIVES = {"ihr": ("their",), "ihr_pl": ("her",)}
# Adjective endings by determiner type ("weak" after der/dieser, "mixed" after ein/mein, "strong" alone)
_ADJECTIVE_ENDINGS = {
    "weak": {"nom": ("e", "e", "e"), "acc": ("en", "e", "e"), "dat": ("en", "en", "en")},
    "mixed": {"nom": ("er", "e", "es"), "acc": ("en", "e", "es"), "dat": ("en", "en", "en")},
    "strong": {"nom": ("er", "e", "es"), "acc": ("en", "e", "es"), "dat": ("em", "er", "em")},
}
DEFINITE_ARTICLES = frozenset(itertools.chain.from_iterable(_DEFINITE.values()))
_GENDER_INDEX = {"m": 0, "f": 1, "n": 2}


@dataclass(frozen=True)
class NounPhrase:
    """A pronoun (by index into PRONOUNS), a name, or a determiner + optional adjective + noun."""

    pronoun: int | None = None
    name: str | None = None
    noun: words.Noun | None = None
    determiner: str = "def"  # "def", "this", "a", "none", or a possessive stem such as "mein"
    adjective: words.Adjective | None = None

    @property
    def person(self) -> int:
        return PRONOUNS[self.pronoun][0] if self.pronoun is not None else 2

    @property
    def is_pronoun(self) -> bool:
        return self.pronoun is not None

    @property
    def is_definite(self) -> bool:
        """Can "nicht" follow it? ("Ich lese das Buch nicht", but not "ein Buch nicht")."""
        return self.noun is None or self.determiner not in ("a", "none")

    def realize(self, builder: Builder, case: str) -> tuple[list[Token], list[Token]]:
        if self.pronoun is not None:
            _, nom, acc, dat, en_subject, en_object = PRONOUNS[self.pronoun]
            german = {"nom": nom, "acc": acc, "dat": dat}[case]
            de, en = word_pair(builder, german, "PRON", en_subject if case == "nom" else en_object,
                               _OBJECT_ALTERNATIVES.get((self.pronoun, case), ()))
            return [de], en
        if self.name is not None:
            de, en = word_pair(builder, self.name, "PROPN", self.name)
            return [de], en
        assert self.noun is not None
        gender = _GENDER_INDEX[self.noun.gender]
        de_tokens: list[Token] = []
        en_tokens: list[Token] = []
        if self.determiner == "def":
            article, adjective_type, english = _DEFINITE[case][gender], "weak", "the"
        elif self.determiner == "this":
            article, adjective_type, english = _THIS[case][gender], "weak", "this"
        elif self.determiner == "a":
            article, adjective_type, english = "ein" + _EIN_ENDINGS[case][gender], "mixed", "a"
        elif self.determiner == "none":
            article, adjective_type, english = None, "strong", None
        else:
            article = self.determiner.removesuffix("_pl") + _EIN_ENDINGS[case][gender]
            adjective_type, english = "mixed", POSSESSIVES[self.determiner]
        if article is not None:
            alternatives = _POSSESSIVE_ALTERNATIVES.get(self.determiner, ())
            de, en = word_pair(builder, article, "DET", english, alternatives)
            de_tokens.append(de)
            en_tokens += en
        if self.adjective is not None:
            ending = _ADJECTIVE_ENDINGS[adjective_type][case][gender]
            de, en = word_pair(builder, self.adjective.stem + ending, "ADJ", self.adjective.english)
            de_tokens.append(de)
            en_tokens += en
        possessed = self.determiner in POSSESSIVES and self.noun.possessed_english
        de, en = word_pair(builder, self.noun.german, "NOUN", possessed or self.noun.english)  # "my husband"
        de_tokens.append(de)
        en_tokens += en
        if english == "a" and en_tokens[1].text[0] in "aeiou":  # "an apple", "an old car"
            en_tokens[0] = replace(en_tokens[0], text="an")
        return de_tokens, en_tokens


# --- clauses -------------------------------------------------------------------------------------------

_HABEN = ("habe", "hast", "hat", "haben", "habt", "haben")
_SEIN = ("bin", "bist", "ist", "sind", "seid", "sind")
# The simple past (Präteritum) of "sein" and "haben", for "als" clauses: "als ich müde war"
_WAR = ("war", "warst", "war", "waren", "wart", "waren")
_HATTE = ("hatte", "hattest", "hatte", "hatten", "hattet", "hatten")
_WAS = ("was", "were", "was", "were", "were", "were")


@dataclass(frozen=True)
class Clause:
    """Who does what to whom, before any word order is chosen."""

    subject: NounPhrase
    verb: words.Verb | None  # None: the copula "sein" with `adjective`
    tense: str = "present"  # "present", "perfect", "modal", or "past" (only "sein" and "haben")
    modal: words.Modal | None = None
    dative: NounPhrase | None = None
    accusative: NounPhrase | None = None
    adjective: words.Adjective | None = None
    negated: bool = False
    time: words.TimeAdverb | None = None
    place: tuple[str, str, str, str, str] | None = None


def _place_tokens(builder: Builder, place: tuple[str, str, str, str, str]) -> tuple[list[Token], list[Token]]:
    preposition, noun, gender, english_noun, english_preposition = place
    article = _DEFINITE["dat"][_GENDER_INDEX[gender]]
    noun_de, noun_en = word_pair(builder, noun, "NOUN", english_noun)
    contracted = {("in", "dem"): "im", ("an", "dem"): "am"}.get((preposition, article))
    if contracted:  # "im" means "in the": one German word, two English ones
        de, en = word_pair(builder, contracted, "ADP", (english_preposition, "the"))
        return [de, noun_de], en + noun_en
    prep_de, prep_en = word_pair(builder, preposition, "ADP", english_preposition)
    art_de, art_en = word_pair(builder, article, "DET", "the")
    return [prep_de, art_de, noun_de], prep_en + art_en + noun_en


def _time_tokens(builder: Builder, time: words.TimeAdverb) -> tuple[list[Token], list[Token]]:
    """Aligned word by word; "am Abend" -> "in the evening" gives "am" both "in" and "the"."""
    german, english = time.german, time.english
    if len(german) == len(english):
        groups = [(e,) for e in english]
    else:  # two German words, three English: the first German word takes the first two
        groups = [english[:-1], english[-1:]]
    de_tokens, en_tokens = [], []
    for word, group in zip(german, groups, strict=True):
        tag = "NOUN" if word[0].isupper() else ("DET" if word in ("jeden", "letzte") else
                                               "ADP" if word == "am" else "ADV")
        de, en = word_pair(builder, word, tag, group)
        de_tokens.append(de)
        en_tokens += en
    return de_tokens, en_tokens


def realize(builder: Builder, clause: Clause, order: str, *, bare_infinitive: bool = False
            ) -> tuple[list[Token], list[Token]]:
    """Write a clause in one of the German word orders, with its English translation.

    order: "main" (Ich lese heute das Buch), "front_time" (Heute lese ich das Buch), "inverted"
    (after a fronted clause or question word: ..., lese ich das Buch), "question" (Liest du das Buch),
    "sub" (verb last: ... dass ich das Buch lese), "zu" (das Buch zu lesen; no subject).
    """
    person = clause.subject.person
    third_singular = person == 2
    verb_final = order in ("sub", "zu") or clause.tense not in ("present", "past")
    # The German perfect narrates the past: English takes the simple past ("Ich habe ... gelesen" -> "I read")
    past = clause.tense in ("perfect", "past")
    if order == "wh":  # German word order and English do-support as in a yes/no question
        order = "question"
    builder.past = builder.past or past

    # Meaning units shared by the German and the English verb group
    verb_unit, aux_unit, neg_unit = builder.unit(), builder.unit(), builder.unit()

    # German: the finite verb (second position or last) and the rest of the verb at the end
    german_finite: Token | None = None
    german_final: list[Token] = []
    if clause.verb is None:  # copula
        german_finite = Token((_WAR if past else _SEIN)[person], (aux_unit,), "AUX")
    elif clause.tense == "past":
        german_finite = Token(_HATTE[person], (verb_unit,), "VERB")
    elif clause.tense == "present":
        if order == "zu":
            german_final = [Token(w, (verb_unit,) if w != "zu" else (aux_unit,),
                                  "PART" if w == "zu" else "VERB") for w in clause.verb.zu_infinitive]
            if len(german_final) == 1:  # "anzurufen" holds the "to" too
                german_final = [Token(german_final[0].text, (verb_unit, aux_unit), "VERB")]
        elif order == "sub":
            german_finite = Token(clause.verb.final_present(person), (verb_unit,), "VERB")
        else:
            german_finite = Token(clause.verb.present[person], (verb_unit,), "VERB")
            if clause.verb.prefix:  # "rufe ... an": the prefix goes to the end
                german_final = [Token(clause.verb.prefix, (verb_unit,), "PART")]
                builder.phenomena.add("separable_verb")
    elif clause.tense == "perfect":
        german_finite = Token(_HABEN[person], (verb_unit,) if past else (aux_unit,), "AUX")
        german_final = [Token(clause.verb.participle, (verb_unit,), "VERB")]
        builder.phenomena.add("perfect_participle")
    else:
        assert clause.modal is not None
        german_finite = Token(clause.modal.present[person], (aux_unit,), "AUX")
        german_final = [Token(clause.verb.full_infinitive, (verb_unit,), "VERB")]
        builder.phenomena.add("modal_infinitive")

    # German middle field: pronouns, time, dative noun, accusative noun, nicht, place, adjective
    de_subject, en_subject = clause.subject.realize(builder, "nom")
    objects = [(phrase, case) for phrase, case in ((clause.dative, "dat"), (clause.accusative, "acc"))
               if phrase is not None]
    realized = {case: phrase.realize(builder, case) for phrase, case in objects}
    # acc, dat
    pronoun_cases = [case for phrase, case in sorted(objects, key=lambda o: o[1]) if phrase.is_pronoun]
    noun_cases = [case for phrase, case in objects if not phrase.is_pronoun]
    de_time, en_time = _time_tokens(builder, clause.time) if clause.time else ([], [])
    de_place, en_place = _place_tokens(builder, clause.place) if clause.place else ([], [])
    de_adjective, en_adjective = ([], [])
    if clause.adjective is not None:
        de, en_adjective = word_pair(builder, clause.adjective.german, "ADJ", clause.adjective.english)
        de_adjective = [de]
    de_nicht = [Token("nicht", (neg_unit,), "PART")] if clause.negated else []

    middle: list[Token] = []
    for case in pronoun_cases:
        middle += realized[case][0]
    if order != "front_time":
        middle += de_time
    for case in noun_cases:
        middle += realized[case][0]
    middle += de_nicht + de_place + de_adjective
    if pronoun_cases and verb_final:
        builder.phenomena.add("pronoun_before_verb")
    if clause.negated:
        builder.phenomena.add("negation")

    if order == "main":
        german = de_subject + [german_finite] + middle + german_final
    elif order == "front_time":
        german = de_time + [german_finite] + de_subject + middle + german_final
        builder.phenomena.add("v2_inversion")
    elif order in ("inverted", "question"):
        german = [german_finite] + de_subject + middle + german_final
    elif order == "sub":
        german = de_subject + middle + german_final + [german_finite]
        builder.phenomena.add("verb_final_subclause")
    elif order == "zu":
        german = middle + german_final
        builder.phenomena.add("zu_infinitive")
    else:
        raise ValueError(f"unknown word order {order!r}")

    # English verb group: (words before the subject in a question, words after the subject)
    def en(word_units: list) -> list[Token]:
        return [w if isinstance(w, Token) else Token(*w) for w in word_units]

    do = ("does" if third_singular else "do", ())
    question = order == "question"
    verb_forms = clause.verb.english if clause.verb else ("", "", "", "")
    base, third, past_form, _ = verb_forms
    not_ = ("not", (neg_unit,))
    if clause.verb is None:
        be = ((_WAS if past else _BE)[person], (aux_unit,))
        head, rest = [be], ([not_] if clause.negated else []) + [(w.text, w.units) for w in en_adjective]
    elif order == "zu":
        head, rest = [], ([] if bare_infinitive else [("to", (aux_unit,))]) + [(base, (verb_unit,))]
    elif clause.tense == "present" or clause.tense == "perfect":
        verb_group = VerbGroup(clause.verb.english, person, clause.tense, clause.negated, question,
                               clause.verb.full_infinitive in STATIVE, clause.time)
        names, aux, main = verb_readings(builder.told, verb_group)
        group = builder.told.groups.setdefault(names, builder.unit())
        if aux[0]:  # "is reading" -> "will read", "reads" ("" drops the auxiliary)
            # unaligned, like "do" and "did": "liest" is "reading", and "is" only English grammar
            aux_token = Token(aux[0], (), "", aux[1:], group)
            head, rest = [aux_token], ([not_] if clause.negated else [])
        else:  # "reads" -> "is reading": one token, the other readings in its alternatives
            head, rest = [], []
            main = tuple(f"{a} {m}".strip() for a, m in zip(aux, main, strict=True))
        rest = rest + [Token(main[0], (verb_unit,), "", main[1:], group)]
        if not question:
            head, rest = [], head + rest
    elif past:
        head, rest = [], [(past_form, (verb_unit,))]
    else:
        modal = clause.modal
        if question and modal.infinitive == "sollen" and person in (0, 3) and not clause.negated:  # "Shall I"
            head, rest = [Token("shall", (aux_unit,), "", ("should",))], [(base, (verb_unit,))]
        elif modal.english[0] == "be":  # "soll" -> "is supposed to": "be" agrees and goes first in a question
            head = [(_BE[person], (aux_unit,))]
            rest = ([not_] if clause.negated else []) + [(w, (aux_unit,)) for w in modal.english[1:]]
            rest += [(base, (verb_unit,))]
        elif modal.is_verb_in_english:  # "want to" agrees and takes do-support, like a verb
            want = ("wants" if third_singular and not (clause.negated or question) else "want", (aux_unit,))
            want_to = [want, ("to", (aux_unit,))]
            if clause.negated or question:
                head, rest = [do], ([not_] if clause.negated else []) + want_to + [(base, (verb_unit,))]
            else:
                head, rest = [], want_to + [(base, (verb_unit,))]
        elif clause.negated:
            negated = modal.english_negated
            head = [(negated[0], (aux_unit, neg_unit) if len(negated) == 1 else (aux_unit,))]
            rest = [(w, (neg_unit,)) for w in negated[1:]] + [(base, (verb_unit,))]
        else:
            head, rest = [(modal.english[0], (aux_unit,))], [(base, (verb_unit,))]

    en_objects: list[Token] = []
    for case in ("dat", "acc"):  # English: "give the child the apple"
        if case in realized:
            en_objects += realized[case][1]
    before_verb = clause.time is not None and clause.time.english_before_verb
    en_end = en_objects + en_place + ([] if before_verb or order == "front_time" else en_time)
    en_pre = en_time if before_verb and order != "front_time" else []
    if order == "zu":
        english = en(head + rest) + en_objects + en_place + en_time
    elif question:
        english = en(head) + en_subject + en_pre + en(rest) + en_end
    else:
        english = (en_time if order == "front_time" else []) + en_subject + en_pre + en(head + rest) + en_end
    return german, english
