"""The phrasebook grammar: German sentences, their English translations and the gold word alignment.

A clause is planned once (who does what to whom, in which tense), then written out twice, in German
word order and in English word order. Every German and English token carries the "meaning units" it
expresses; two tokens that share a unit are aligned. So the alignment is exact by construction, and
the reorderings that break word-by-word translation (the verb at the end, "mir helfen" -> "help me",
"rufe ... an" -> "call") fall out of the German word-order rules below.

    >>> import random
    >>> sentence = generate_sentence(random.Random(0), min_words=3, max_words=12)
    >>> len(sentence.german) > 0 and len(sentence.english) > 0
    True
"""

from __future__ import annotations

import functools
import random
from dataclasses import replace

from rnn_demo.data import phrasebook_words as words
from rnn_demo.data.grammar import (
    DEFINITE_ARTICLES,
    PRONOUNS,
    Builder,
    Clause,
    NounPhrase,
    Sentence,
    Token,
    realize,
    word_pair,
)

# --- planning clauses at random ------------------------------------------------------------------------

_VERB_BY_INFINITIVE = {v.full_infinitive: v for v in words.VERBS}
_NOUN_BY_GERMAN = {n.german: n for n in words.NOUNS}
_INTRANSITIVE = tuple(v for v in words.VERBS if v.frame == "-")
_TRANSITIVE = tuple(v for v in words.VERBS if v.frame != "-")
_SEPARABLE = tuple(v for v in words.VERBS if v.prefix)
_PERSONS = tuple(n for n in words.NOUNS if "person" in n.kinds)
_NOT_WITH_MODALS = frozenset({"brauchen", "haben"})  # "Ich muss den Schlüssel brauchen" sounds wrong


def _matrix_verb(entry: tuple[str, str, str, tuple[str, str, str, str]]) -> words.Verb:
    infinitive, present, participle, english = entry
    return words.Verb(infinitive, "", tuple(present.split()), participle, english, "-", frozenset())


ZU_MATRIX = tuple(_matrix_verb(e) for e in words.ZU_MATRIX_VERBS)
THAT_MATRIX = tuple(_matrix_verb(e) for e in words.THAT_MATRIX_VERBS)
BITTEN = words.Verb("bitten", "", ("bitte", "bittest", "bittet", "bitten", "bittet", "bitten"), "gebeten",
                    ("ask", "asks", "asked", "asked"), "acc", frozenset({"person"}))
WISSEN = THAT_MATRIX[1]


@functools.cache
def _nouns_of(kinds: frozenset[str]) -> tuple[words.Noun, ...]:
    return tuple(n for n in words.NOUNS if n.kinds & kinds)


@functools.cache
def _adjectives_for(kinds: frozenset[str]) -> tuple[words.Adjective, ...]:
    return tuple(a for a in words.ADJECTIVES if a.kinds & kinds)


def _choose_noun(rng: random.Random, kinds: frozenset[str]) -> words.Noun:
    return rng.choice(_nouns_of(kinds))


def _noun_phrase(rng: random.Random, noun: words.Noun, allow_indefinite: bool = True) -> NounPhrase:
    if noun.mass:
        determiner = rng.choice(("none", "none", "def", "mein", "unser"))
    else:
        options = ["def", "def", "def", "this", "mein", "dein", "sein", "ihr", "unser"]
        determiner = rng.choice(options + (["a", "a"] if allow_indefinite else []))
    adjectives = _adjectives_for(noun.kinds)
    adjective = rng.choice(adjectives) if adjectives and rng.random() < 0.2 else None
    return NounPhrase(noun=noun, determiner=determiner, adjective=adjective)


def _person(rng: random.Random, avoid: frozenset[int] = frozenset(), pronoun_share: float = 0.5,
            case: str = "nom") -> NounPhrase:
    """A person: a pronoun, a name or a noun. Pronouns in `avoid` (indices into PRONOUNS, those of the
    clause's other people) are not used: "ich ... mich" would be reflexive, "ich ... uns" odd.
    Accusative "sie" is "her" or "them": only "her" is used, so that every German sentence has one
    right English translation."""
    if avoid & {0, 4}:  # ich and wir include each other
        avoid = avoid | {0, 4}
    r = rng.random()
    if r < pronoun_share:
        choices = [i for i in range(len(PRONOUNS)) if i not in avoid and not (case == "acc" and i == 5)]
        return NounPhrase(pronoun=rng.choice(choices))
    if r < pronoun_share + 0.15:
        return NounPhrase(name=rng.choice(words.NAMES))
    return _noun_phrase(rng, rng.choice(_PERSONS))


def plan_clause(rng: random.Random, *, tenses: tuple[str, ...] = ("present", "perfect", "modal"),
                allow_negation: bool = True, allow_time: bool = True, allow_copula: bool = True,
                verb: words.Verb | None = None, avoid: frozenset[int] = frozenset(),
                allow_intransitive: bool = True) -> Clause:
    """A random clause whose words make sense together (people read texts, drink drinks, ...)."""
    tense = rng.choice(tenses)
    if allow_copula and verb is None and rng.random() < 0.12:
        adjective = rng.choice(words.ADJECTIVES)
        if "person" in adjective.kinds:
            subject = _person(rng, pronoun_share=0.6)
        else:
            noun = _choose_noun(rng, adjective.kinds - {"person"})
            subject = replace(_noun_phrase(rng, noun, allow_indefinite=False), adjective=None)
            if subject.determiner == "none":
                subject = replace(subject, determiner="def")
        negated = allow_negation and rng.random() < 0.15
        return Clause(subject, None, "present", adjective=adjective, negated=negated)

    if verb is None:
        r = rng.random()
        if r < 0.08 * allow_intransitive:
            verb = rng.choice(_INTRANSITIVE)
        else:  # separable verbs get a fixed share, so that "rufe ... an" is common enough to notice
            verb = rng.choice(_SEPARABLE) if r > 0.8 else rng.choice(_TRANSITIVE)
        while tense == "modal" and verb.infinitive in _NOT_WITH_MODALS:
            verb = rng.choice(_TRANSITIVE)
    subject = _person(rng, pronoun_share=0.55)
    avoid = avoid | _persons_of(subject)
    dative = accusative = None
    if verb.frame in ("dat", "dat+acc"):
        dative = _person(rng, avoid, pronoun_share=0.45, case="dat")
    if verb.frame in ("acc", "dat+acc"):
        things = verb.object_kinds - {"person"}
        if "person" in verb.object_kinds and (not things or rng.random() < 0.5):
            accusative = _person(rng, avoid, case="acc")
        else:
            accusative = _noun_phrase(rng, _choose_noun(rng, things))
    modal = None
    if tense == "modal":
        modal = rng.choice(words.MODALS)
    objects_definite = all(np is None or np.is_definite for np in (dative, accusative))
    modal_can_negate = modal is None or modal.english_negated or modal.is_verb_in_english
    can_negate = modal_can_negate and verb.infinitive != "haben"
    negated = allow_negation and objects_definite and can_negate and rng.random() < 0.15
    time = None
    if allow_time and rng.random() < 0.3:
        times = [t for t in words.TIME_ADVERBS
                 if tense in t.tenses and not (negated and t.english_before_verb)]
        time = rng.choice(times) if times else None
    place = None
    if not negated and verb.infinitive != "haben" and rng.random() < 0.15:
        place = rng.choice(words.PLACES)
    return Clause(subject, verb, tense, modal, dative, accusative, negated=negated, time=time, place=place)


# --- sentences -----------------------------------------------------------------------------------------

def _punct(b: Builder, german: str, english: str | None) -> tuple[list[Token], list[Token]]:
    if english is None:
        return [Token(german, (), "PUNCT")], []
    de, en = word_pair(b, german, "PUNCT", english)
    return [de], en


def _word(b: Builder, german: str, tag: str, english: str | None) -> tuple[list[Token], list[Token]]:
    if english is None:
        return [Token(german, (), tag)], []
    de, en = word_pair(b, german, tag, english)
    return [de], en


def _join(*parts: tuple[list[Token], list[Token]]) -> tuple[list[Token], list[Token]]:
    german: list[Token] = []
    english: list[Token] = []
    for de, en in parts:
        german += de
        english += en
    return german, english


def _declarative_unit(b: Builder) -> tuple[list[Token], list[Token]]:
    """One main clause, or a main clause with a "dass"/zu/subordinate part, as a statement."""
    rng = b.rng
    kind = rng.choices(("main", "front", "that", "zu", "it_is", "ask", "help", "front_sub", "whether"),
                       weights=(30, 10, 8, 7, 3, 3, 3, 6, 2))[0]
    if kind == "main":
        return realize(b, plan_clause(rng), "main")
    if kind == "front":
        clause = plan_clause(rng)
        if clause.time is None or not clause.time.can_front:
            times = [t for t in words.TIME_ADVERBS if clause.tense in t.tenses and t.can_front
                     and not (clause.negated and t.english_before_verb)]
            clause = replace(clause, time=rng.choice(times))
        return realize(b, clause, "front_time")
    if kind == "that":
        matrix_verb = rng.choice(THAT_MATRIX)
        # "Er hat gesagt, dass" reads well; "Ich habe geglaubt, dass" does not
        tenses = ("present", "perfect") if matrix_verb.infinitive in ("sagen", "hören") else ("present",)
        tense = rng.choice(tenses)
        matrix = Clause(_person(rng, pronoun_share=0.7), matrix_verb, tense)
        return _join(realize(b, matrix, "main"), _punct(b, ",", None), _word(b, "dass", "CONJ", "that"),
                     realize(b, plan_clause(rng), "sub"))
    if kind == "whether":  # "Ich weiß nicht, ob ..." -> "I do not know whether ..."
        matrix = Clause(_person(rng, pronoun_share=0.8), WISSEN, "present", negated=True)
        return _join(realize(b, matrix, "main"), _punct(b, ",", None), _word(b, "ob", "CONJ", "whether"),
                     realize(b, plan_clause(rng), "sub"))
    if kind in ("zu", "it_is", "ask", "help"):
        return _with_zu(b, kind, rng.choice(("present", "present", "perfect")), "main")
    # a fronted subordinate clause: the main clause then starts with its verb
    german_conj, english_conj = rng.choice(words.SUBORDINATORS[:3])
    sub = plan_clause(rng, tenses=_tenses_after(german_conj))
    main = plan_clause(rng, tenses=("present", "modal"), allow_time=False)
    b.phenomena.add("v2_inversion")
    return _join(_word(b, german_conj.capitalize(), "CONJ", english_conj), realize(b, sub, "sub"),
                 _punct(b, ",", ","), realize(b, main, "inverted"))


def _persons_of(*phrases: NounPhrase | None) -> frozenset[int]:
    """The pronouns (indices into PRONOUNS) among these phrases."""
    return frozenset(np.pronoun for np in phrases if np is not None and np.pronoun is not None)


def _zu_clause(b: Builder, avoid: frozenset[int]) -> Clause:
    """What goes into "..., das Buch zu lesen": a subjectless clause in the present. Its objects avoid
    the people of the main clause (`avoid`): "Ich bitte dich, dich zu ..." would be reflexive."""
    clause = plan_clause(b.rng, tenses=("modal",), allow_negation=False, allow_copula=False, avoid=avoid,
                         allow_intransitive=False)  # "Ich plane, zu tanzen" would want no comma
    return replace(clause, tense="present", modal=None)


def _with_zu(b: Builder, kind: str, tense: str, order: str, subject: NounPhrase | None = None
             ) -> tuple[list[Token], list[Token]]:
    """A main clause that takes a zu-infinitive: try to / ask someone to / help someone (bare)."""
    rng = b.rng
    if kind == "it_is":  # "Es ist wichtig, ..." -> "It is important to ..."
        german_adj, english_adj = rng.choice(words.IT_IS_ADJECTIVES)
        return _join(_word(b, "es", "PRON", "it"), _word(b, "ist", "AUX", "is"),
                     _word(b, german_adj, "ADJ", english_adj), _punct(b, ",", None),
                     realize(b, _zu_clause(b, frozenset()), "zu"))
    subject = subject or _person(rng, pronoun_share=0.7)
    obj = _person(rng, _persons_of(subject), pronoun_share=0.7, case="acc" if kind == "ask" else "dat")
    if kind == "zu":  # "Ich versuche, ..." -> "I try to ..."; "I have hoped to" sounds wrong
        matrix_verb = rng.choice(ZU_MATRIX)
        matrix = Clause(subject, matrix_verb, "present" if matrix_verb.infinitive == "hoffen" else tense)
        obj = None
    elif kind == "ask":  # "Ich bitte dich, ..." -> "I ask you to ..."
        matrix = Clause(subject, BITTEN, tense, accusative=obj)
    else:  # "Ich helfe dir, ... zu lesen" -> "I help you read ..."
        matrix = Clause(subject, _VERB_BY_INFINITIVE["helfen"], tense, dative=obj)
    zu_clause = _zu_clause(b, _persons_of(subject, obj))
    return _join(realize(b, matrix, order), _punct(b, ",", None),
                 realize(b, zu_clause, "zu", bare_infinitive=kind == "help"))


def _question_unit(b: Builder) -> tuple[list[Token], list[Token]]:
    rng = b.rng
    b.phenomena.add("question")
    kind = rng.choices(("yes_no", "wh", "help", "zu", "know"), weights=(40, 25, 12, 8, 6))[0]
    if kind == "yes_no":
        return realize(b, plan_clause(rng, allow_negation=False), "question")
    if kind == "wh":
        german_wh, english_wh = rng.choice(words.QUESTION_WORDS)
        clause = plan_clause(rng, allow_negation=False, allow_copula=german_wh != "wann",
                             allow_time=german_wh != "wann")
        if german_wh == "wo":
            clause = replace(clause, place=None)
        if clause.time is not None and clause.time.english_before_verb:
            clause = replace(clause, time=None)
        wh = _word(b, german_wh.capitalize(), "ADV", english_wh)
        return _join(wh, realize(b, clause, "wh"))
    if kind == "help":  # "Kannst du mir helfen, ... zu übersetzen?" -> "Can you help me translate ...?"
        subject = NounPhrase(pronoun=rng.choice((1, 1, 2, 3)))
        obj = _person(rng, _persons_of(subject), pronoun_share=0.8, case="dat")
        matrix = Clause(subject, _VERB_BY_INFINITIVE["helfen"], "modal", words.MODALS[0], dative=obj)
        return _join(realize(b, matrix, "question"), _punct(b, ",", None),
                     realize(b, _zu_clause(b, _persons_of(subject, obj)), "zu", bare_infinitive=True))
    if kind == "zu":  # "Hast du vergessen, ... zu schließen?"
        subject = NounPhrase(pronoun=rng.choice((1, 1, 2, 3)))
        return _with_zu(b, "zu", rng.choice(("present", "perfect")), "question", subject)
    matrix = Clause(NounPhrase(pronoun=1), WISSEN, "present")  # "Weißt du, ob ...?"
    german_conj, english_conj = rng.choice((("ob", "whether"), ("dass", "that")))
    return _join(realize(b, matrix, "question"), _punct(b, ",", None),
                 _word(b, german_conj, "CONJ", english_conj), realize(b, plan_clause(rng), "sub"))


def _subordinators(b: Builder) -> tuple[tuple[str, str], ...]:
    """weil, wenn, obwohl; after a clause about the past, "wenn" would need to be "als": leave it out."""
    conjunctions = words.SUBORDINATORS[:3]
    return tuple(c for c in conjunctions if not (b.past and c[0] == "wenn"))


def _tenses_after(conjunction: str) -> tuple[str, ...]:
    """"wenn" speaks of now or later; the other conjunctions also take the perfect."""
    return ("present", "modal") if conjunction == "wenn" else ("present", "perfect", "modal")


def _subordinate_extension(b: Builder, conjunctions: tuple[tuple[str, str], ...]
                           ) -> tuple[list[Token], list[Token]]:
    """", weil ...": a comma (German only), the conjunction, and a verb-final clause."""
    german_conj, english_conj = b.rng.choice(conjunctions)
    return _join(_punct(b, ",", None), _word(b, german_conj, "CONJ", english_conj),
                 realize(b, plan_clause(b.rng, tenses=_tenses_after(german_conj)), "sub"))


def _extension(b: Builder) -> tuple[list[Token], list[Token]]:
    """A clause joined to a statement: "und ...", ", aber ...", ", weil ..."."""
    rng = b.rng
    kind = rng.choices(("und", "aber", "sub"), weights=(3, 2, 5))[0]
    if kind in ("und", "aber"):  # the comma also closes a subordinate clause before it: "..., dass ..., und"
        conjunction = _word(b, kind, "CONJ", "and" if kind == "und" else "but")
        return _join(_punct(b, ",", ","), conjunction, realize(b, plan_clause(rng), "main"))
    return _subordinate_extension(b, _subordinators(b))


def _finish(b: Builder, german: list[Token], english: list[Token], mark: str) -> Sentence:
    de_mark, en_mark = _punct(b, mark, mark)
    german = _capitalize_first(german + de_mark)
    english = _capitalize_first(english + en_mark)
    if any(t.text in DEFINITE_ARTICLES for t in german):
        b.phenomena.add("many_to_one")  # der/die/das/den/dem all become "the"
    return Sentence(tuple(german), tuple(english), frozenset(b.phenomena))


def _capitalize_first(tokens: list[Token]) -> list[Token]:
    first = tokens[0]
    return [replace(first, text=first.text[:1].upper() + first.text[1:])] + tokens[1:]


def generate_sentence(rng: random.Random, min_words: int, max_words: int,
                      max_tries: int = 10_000) -> Sentence:
    """One sentence of min_words..max_words German words, joining clauses to reach the length."""
    for _ in range(max_tries):
        target = rng.randint(min_words, max_words)
        b = Builder(rng)
        if rng.random() < 0.2:
            german, english = _question_unit(b)
            if len([t for t in german if t.tag != "PUNCT"]) < target and rng.random() < 0.5:
                # a question takes one subordinate clause at most: "..., wenn du Zeit hast?"
                german, english = _join((german, english), _subordinate_extension(b, _subordinators(b)[:2]))
            sentence = _finish(b, german, english, "?")
        else:
            german, english = _declarative_unit(b)
            while sum(t.tag != "PUNCT" for t in german) < target:
                german, english = _join((german, english), _extension(b))
            sentence = _finish(b, german, english, ".")
        if min_words <= sentence.word_count <= max_words:
            return sentence
    raise RuntimeError(f"no sentence of {min_words}..{max_words} words after {max_tries} tries")


# --- hand-picked examples ------------------------------------------------------------------------------

def _np(noun: str, determiner: str = "def", adjective: str | None = None) -> NounPhrase:
    adjectives = {a.german: a for a in words.ADJECTIVES}
    return NounPhrase(noun=_NOUN_BY_GERMAN[noun], determiner=determiner,
                      adjective=adjectives[adjective] if adjective else None)


def _time(german: str) -> words.TimeAdverb:
    return next(t for t in words.TIME_ADVERBS if " ".join(t.german) == german)


def _place(noun: str) -> tuple[str, str, str, str, str]:
    return next(p for p in words.PLACES if p[1] == noun)


def _modal(infinitive: str) -> words.Modal:
    return next(m for m in words.MODALS if m.infinitive == infinitive)


ICH, DU, ER, SIE, WIR = (NounPhrase(pronoun=i) for i in range(5))


def example_sentences() -> list[tuple[str, Sentence]]:
    """One sentence per phenomenon, built by hand from the same grammar; the book's example first."""
    verb = _VERB_BY_INFINITIVE
    examples: list[tuple[str, Sentence]] = []

    def add(phenomenon: str, mark: str, *build) -> None:
        b = Builder(random.Random(0))
        if mark == "?":
            b.phenomena.add("question")
        parts = [step(b) for step in build]
        examples.append((phenomenon, _finish(b, *_join(*parts), mark)))

    def clause(c: Clause, order: str, **kwargs):
        return lambda b: realize(b, c, order, **kwargs)

    def word(german: str, tag: str, english: str | None):
        return lambda b: (_punct(b, german, english) if tag == "PUNCT" else _word(b, german, tag, english))

    add("seed", "?",
        clause(Clause(DU, verb["helfen"], "modal", _modal("können"), dative=ICH), "question"),
        word(",", "PUNCT", None),
        clause(Clause(DU, verb["übersetzen"], accusative=_np("Satz", "this")), "zu", bare_infinitive=True))
    add("modal_infinitive", ".",
        clause(Clause(_np("Schwester", "mein"), verb["reparieren"], "modal", _modal("können"),
                      accusative=_np("Auto", "def", "alt")), "main"))
    add("perfect_participle", ".",
        clause(Clause(_np("Lehrer"), verb["schreiben"], "perfect", accusative=_np("Brief", "def", "lang"),
                      place=_place("Zug")), "main"))
    add("verb_final_subclause", ".",
        clause(Clause(NounPhrase(name="Anna"), verb["trinken"], accusative=_np("Kaffee", "none")), "main"),
        word(",", "PUNCT", None), word("weil", "CONJ", "because"),
        clause(Clause(SIE, None, adjective=next(a for a in words.ADJECTIVES if a.german == "müde")), "sub"))
    add("zu_infinitive", ".",
        clause(Clause(ICH, ZU_MATRIX[0]), "main"), word(",", "PUNCT", None),
        clause(Clause(ICH, verb["öffnen"], accusative=_np("Fenster")), "zu"))
    add("pronoun_before_verb", ".",
        clause(Clause(ICH, verb["helfen"], "modal", _modal("wollen"), dative=DU, time=_time("heute")),
               "main"))
    add("v2_inversion", ".",
        clause(Clause(WIR, verb["besuchen"], accusative=_np("Museum"), time=_time("am Wochenende")),
               "front_time"))
    add("separable_verb", ".",
        clause(Clause(ICH, verb["anrufen"], accusative=_np("Freund", "mein"), time=_time("am Abend")),
               "main"))
    add("negation", ".",
        clause(Clause(ER, verb["finden"], "perfect", accusative=_np("Schlüssel"), negated=True), "main"))
    add("question", "?",
        clause(Clause(DU, verb["lesen"], "perfect", accusative=_np("Buch")), "question"))
    add("many_to_one", ".",
        clause(Clause(_np("Mann"), verb["geben"], dative=_np("Kind"), accusative=_np("Apfel")), "main"))
    add("long", ".",
        word("Wenn", "CONJ", "when"),
        clause(Clause(ICH, verb["haben"], accusative=_np("Zeit", "none")), "sub"), word(",", "PUNCT", ","),
        clause(Clause(ICH, verb["lesen"], accusative=_np("Zeitung"), place=_place("Park")), "inverted"),
        word(",", "PUNCT", ","), word("aber", "CONJ", "but"),
        clause(Clause(ICH, verb["arbeiten"], "modal", _modal("müssen"), time=_time("heute"),
                      place=_place("Büro")), "front_time"))
    return examples
