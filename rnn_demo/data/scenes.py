"""What the phrasebook's clauses say: who does what to which thing, where, and why.

A sentence is planned from one small scene: a person doing something that fits the thing it is done
to ("repariert das Fahrrad", not "malt die Tür"), in a place where it can be done. Joined clauses are
planned from the first one, so that they share its people and things: a cause that can cause it
("..., weil es kaputt ist"), a concession that really concedes ("..., obwohl sie müde ist"), a
condition ("..., wenn ich Zeit habe"), or a next step done to the same thing ("..., und wir essen ihn").

    >>> import random
    >>> clause = plan_core(random.Random(1))
    >>> clause.subject.pronoun, clause.verb.infinitive, clause.tense  # "ich lache"
    (0, 'lachen', 'present')
"""

from __future__ import annotations

import functools
import random
from dataclasses import replace

from rnn_demo.data import phrasebook_words as words
from rnn_demo.data.grammar import PRONOUNS, THING_PRONOUN, Clause, NounPhrase
from rnn_demo.data.meanings import (
    ANSWERS,
    AT_HOME,
    CHOICES,
    DISHES,
    FRAME_VERBS,
    GETTING,
    HABIT_TIMES,
    HABITS,
    MADE,
    MADE_ADJECTIVES,
    MALE_NAMES,
    MOMENTARY,
    NOT_ON_PURPOSE,
    NOT_OWNED,
    ONE_ONLY,
    ONLY_SAID,
    OWNABLE,
    PLACE_VERBS,
    POSSESSIVE_OF_PRONOUN,
    RELATIONAL,
    ROLE,
    SHAREABLE,
    SHARED,
    TRIVIAL,
    USES,
)

VERB = {v.full_infinitive: v for v in words.VERBS}
NOUN = {n.german: n for n in words.NOUNS}
ADJECTIVE = {a.german: a for a in words.ADJECTIVES}
HABEN = VERB["haben"]
ZEIT = NounPhrase(noun=NOUN["Zeit"], determiner="none")

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
def _adjectives_for(noun: words.Noun) -> tuple[words.Adjective, ...]:
    kinds = noun.kinds - ({"food"} if "drink" in noun.kinds else set())
    return tuple(a for a in words.ADJECTIVES if a.kinds & kinds)


def possessive_of(phrase: NounPhrase) -> str:
    """The possessive that points back at this person: "Anna ... ihr Buch", "wir ... unser Auto"."""
    if phrase.pronoun is not None:
        return POSSESSIVE_OF_PRONOUN[phrase.pronoun] if phrase.pronoun < 6 else "sein"
    if phrase.name is not None:
        return "sein" if phrase.name in MALE_NAMES else "ihr"
    return "ihr" if phrase.noun.gender == "f" else "sein"


def pronoun_of(phrase: NounPhrase) -> NounPhrase:
    """The pronoun for a second mention: "Anna" -> "sie", "der Kuchen" -> "er" (English "it")."""
    if phrase.pronoun is not None:
        return phrase
    if phrase.name is not None:
        return NounPhrase(pronoun=2 if phrase.name in MALE_NAMES else 3)
    if "person" in phrase.noun.kinds:
        return NounPhrase(pronoun=2 if phrase.noun.gender == "m" else 3) if can_come_back(phrase) else phrase
    return NounPhrase(pronoun=THING_PRONOUN[phrase.noun.gender])


def role(phrase: NounPhrase) -> str | None:
    """What a person noun names, whoever it is: "der Arzt" and "meine Ärztin" are both doctors."""
    return ROLE.get(phrase.noun.german, phrase.noun.german) if phrase.noun is not None else None


def is_family(phrase: NounPhrase) -> bool:
    """Someone one cooks or tidies with: a pronoun, a name, "meine Tante", "dein Mann"; not "der Arzt"."""
    return phrase.noun is None or phrase.noun.german in RELATIONAL or bool(phrase.noun.possessed_english)


def is_person(phrase: NounPhrase) -> bool:
    if phrase.noun is None:
        return phrase.pronoun is None or phrase.pronoun < 6  # 6.. are "it"
    return "person" in phrase.noun.kinds


def can_come_back(phrase: NounPhrase) -> bool:
    """Can a later clause name it by a pronoun? Not "das Kind": "es" would be "it"."""
    return phrase.noun is None or "person" not in phrase.noun.kinds or phrase.noun.gender != "n"


def fits(phrase: NounPhrase, adjective: str) -> bool:
    """Can this be said of it? "Die Suppe ist kalt", but not "Der Kuchen ist kalt"."""
    kinds = ADJECTIVE[adjective].kinds
    return bool(kinds & phrase.noun.kinds) if phrase.noun is not None else "person" in kinds


def another_name(rng: random.Random, phrase: NounPhrase, named: set[NounPhrase]) -> NounPhrase:
    """A name for a second person of the same kind ("die Chefin ... meine Chefin" reads as one person):
    of the same gender, so that a pronoun for it still fits."""
    female = phrase.noun.gender == "f"
    names = [n for n in words.NAMES if (n not in MALE_NAMES) == female and NounPhrase(name=n) not in named]
    return NounPhrase(name=rng.choice(names)) if names else phrase


def _adjective(rng: random.Random, noun: words.Noun, share: float = 0.08, verb: str = ""
               ) -> words.Adjective | None:
    """Maybe an adjective that fits the noun and what is done to it: not "kocht eine heiße Suppe" (it is
    being made), not "ein billiges Geschenk"."""
    if rng.random() >= share:
        return None
    adjectives = [a for a in _adjectives_for(noun) if a.german not in ONLY_SAID
                  and (verb not in MADE or a.german in MADE_ADJECTIVES)
                  and (a.german != "kaputt" or verb == "reparieren")  # not "wäscht das kaputte Hemd"
                  and noun.german not in TRIVIAL  # not "das alte Wort"
                  and not (noun.german == "Geschenk" and a.german in ("billig", "teuer"))]
    return rng.choice(adjectives) if adjectives else None


def person(rng: random.Random, avoid: frozenset[int] = frozenset(), recurring: bool = True,
           acc: bool = False, definite: bool = False, family: bool = False) -> NounPhrase:
    """A person: a pronoun (none of `avoid`, the clause's other people), a name or a noun. Only a
    person who can be named again by a pronoun is `recurring`; a question asks about a `definite` one;
    at home (cooking, eating what was cooked) one of the `family`, not "die Ärztin"."""
    if avoid & {0, 4}:  # ich and wir include each other: "ich ... uns" is odd
        avoid = avoid | {0, 4}
    if avoid & {3, 5}:  # "Sie hat sie eingeladen" leaves the reader guessing
        avoid = avoid | {3, 5}
    r = rng.random()
    choices = [i for i in range(6) if i not in avoid]
    if r < 0.5 and choices:
        return NounPhrase(pronoun=rng.choice(choices))
    if r < 0.7:
        return NounPhrase(name=rng.choice(words.NAMES))
    nouns = [n for n in _PERSONS if n.gender != "n"] if recurring else _PERSONS
    if definite:  # "ein Freund" is some friend: a specific act wants a specific person
        nouns = [n for n in nouns if n.german not in ("Freund", "Freundin")]
    # at home, the family; the people of a sentence mostly family too: "meine Ärztin tanzt immer",
    # "Thomas hilft meiner Ärztin, den Vogel zu zeichnen" tell of a doctor outside her work
    if family or rng.random() < 0.7:
        nouns = [n for n in nouns if is_family(NounPhrase(noun=n))]
    noun = rng.choice(nouns)
    if noun.german in RELATIONAL:  # "meine Tante", never "eine Tante"
        determiner = rng.choice(("mein", "dein", "unser"))
    elif noun.german in ("Freund", "Freundin"):  # "mein Freund" might be a boyfriend
        determiner = "a"
    elif noun.german in NOT_OWNED:
        determiner = "def" if noun.german == "Mädchen" else rng.choice(("def", "a"))
    elif noun.german in ONE_ONLY:
        determiner = rng.choice(("def", "mein", "unser"))
    elif noun.possessed_english:  # "mein Mann" is "my husband"; "unser Mann" is no one's
        determiner = rng.choice(("mein", "dein"))  # "die Frau ..." leaves "which woman?"
    else:
        determiner = rng.choice(("def", "def", "mein", "unser"))
    if definite and determiner == "a":
        determiner = "def"
    # "mein alter Mann" is slang for one's husband, "unsere alte Mutter" is unkind: "der alte Mann"
    adjective = _adjective(rng, noun, 0.1) if determiner == "def" else None
    return NounPhrase(noun=noun, determiner=determiner, adjective=adjective)


_PERSONS = tuple(n for n in words.NOUNS if "person" in n.kinds)


def thing(rng: random.Random, kinds: frozenset[str], verb: str, owner: NounPhrase | None,
          detail: float = 1) -> NounPhrase:
    """A thing of these kinds, with a determiner that fits it and the verb: a possessive (the doer's)
    for one's own things, never for what is being bought or made, nor for a museum or a city."""
    noun = rng.choice(_nouns_of(kinds))
    if noun.mass:
        determiner = "none" if verb in GETTING or rng.random() < 0.6 else "def"
    elif "place" in noun.kinds or "payable" in noun.kinds:
        determiner = "def"
    elif verb in GETTING or noun.kinds & {"food", "drink"}:
        determiner = rng.choice(("a", "a", "a", "def", "def", "this"))
    elif not noun.kinds & OWNABLE and noun.german not in ("Buch", "Brief"):
        made = verb in GETTING or verb in ("finden", "brauchen", "lesen", "lernen", "übersetzen")
        determiner = rng.choice(("def", "def", "this", "a", "a") if made else ("def", "def", "this"))
    else:
        own = possessive_of(owner) if owner is not None else "mein"
        if own in ("unser", "ihr_pl") and noun.german not in SHARED or verb == "zurückgeben":
            own = "def"  # one gives back what is someone else's
        determiner = rng.choice(("def", "def", "def", "this", own, own, own,
                                 "a" if verb in ("finden", "brauchen") else "def"))
    # rarely: "seine grüne Flasche", "den interessanten Markt besuchen" tell what no one asked
    return NounPhrase(noun=noun, determiner=determiner, adjective=_adjective(rng, noun, 0.08 * detail, verb))


def persons_of(*phrases: NounPhrase | None) -> frozenset[int]:
    """The pronouns among these phrases (indexes into PRONOUNS): a `person` to `avoid` beside them."""
    pronouns = (phrase.pronoun for phrase in phrases if phrase is not None)
    return frozenset(pronoun for pronoun in pronouns if pronoun is not None)


@functools.cache
def _verbs(on_purpose: bool, intransitive: bool) -> tuple[tuple[words.Verb, ...], tuple[words.Verb, ...]]:
    """The verbs that may be chosen, and the separable ones among them."""
    verbs = tuple(v for v in words.VERBS if not (on_purpose and v.full_infinitive in NOT_ON_PURPOSE)
                  and (intransitive or v.frame != "-"))
    return verbs, tuple(v for v in verbs if v.prefix)


def choose_verb(rng: random.Random, on_purpose: bool = False, intransitive: bool = True) -> words.Verb:
    verbs, separable = _verbs(on_purpose, intransitive)
    return rng.choice(separable) if rng.random() < 0.2 else rng.choice(verbs)


def plan_core(rng: random.Random, *, tense: str | None = None, subject: NounPhrase | None = None,
              verb: words.Verb | str | None = None, on_purpose: bool = False, intransitive: bool = True,
              avoid: frozenset[int] = frozenset(), time: bool = True, place: bool = True,
              frame: str = "", negate: bool = False, asking: bool = False, detail: float = 1) -> Clause:
    """Someone doing something to something that fits (in a zu-`frame`: what fits the frame); with
    more `detail`, more often when, where and what kind."""
    tense = tense or rng.choice(("present", "perfect", "modal"))
    if tense == "modal":
        on_purpose = True
    if frame:
        verb = rng.choice(sorted(FRAME_VERBS[frame]))
    verb = VERB[verb] if isinstance(verb, str) else verb or choose_verb(rng, on_purpose, intransitive)
    if verb.infinitive in ("vergessen", "finden") and tense == "present" and not frame:
        tense = "perfect"  # "Ich habe den Schlüssel vergessen": these happen once, and are told afterwards
    if verb.infinitive in ("haben", "lieben", "verstehen", "hören", "sehen"):
        tense = "present"  # "Maria hat das Auto gehabt" says little
    subject = subject or person(rng, avoid, definite=True, family=verb.full_infinitive in MADE | AT_HOME)
    avoid = avoid | persons_of(subject)
    dative = accusative = None
    def someone_else(**kwargs) -> NounPhrase:  # not "Lena lädt sie ein" with Lena meant twice
        return next((p for p in (person(rng, avoid, recurring=False, **kwargs) for _ in range(5))
                     if p != subject), NounPhrase(pronoun=next(i for i in range(6) if i not in avoid)))

    if verb.frame in ("dat", "dat+acc"):
        dative = someone_else(definite=bool(frame))
        avoid = avoid | persons_of(dative)
    if verb.frame in ("acc", "dat+acc"):
        things = verb.object_kinds - {"person"}
        if "person" in verb.object_kinds and (not things or rng.random() < 0.5):
            accusative = someone_else(acc=True, definite=bool(frame))
        else:
            accusative = thing(rng, frozenset(things), verb.full_infinitive, subject, detail)
    modal = None
    if tense == "modal":
        modal = rng.choice(words.MODALS)
        if asking and modal.infinitive in ("müssen", "dürfen") and subject.pronoun not in (0, 4):
            modal = words.MODALS[0]  # "Darf ich ...?" asks leave; "May you ...?", "Must he ...?" are stilted
    when = None
    if time and rng.random() < 0.3 * detail:
        times = fitting_times(verb, tense, accusative)
        when = rng.choice(times) if times else None
    if when is not None and when.past and accusative is not None and accusative.determiner == "this":
        accusative = replace(accusative, determiner="def")  # "diese Suppe ... letzte Woche": which one now?
    where = None
    food = accusative is not None and accusative.noun is not None \
        and accusative.noun.kinds & {"food", "drink"}
    cooking = bool(food) and verb.full_infinitive in ("vorbereiten", "kochen", "backen")
    places = [p for p in words.PLACES
              if verb.full_infinitive in PLACE_VERBS[p[1]] and (p[1] == "Küche") == cooking
              or p[1] == "Küche" and verb.full_infinitive in ("essen", "trinken", "warten")]
    if place and places and rng.random() < 0.2 * detail:
        where = rng.choice(places)
    negated = False
    definite = all(phrase is None or phrase.is_definite for phrase in (dative, accusative))
    if negate and verb.infinitive != "lieben" and definite and rng.random() < 0.12 \
            and (modal is None or modal.english_negated or modal.is_verb_in_english):
        negated, where = True, None  # "Ich lese das Buch nicht"; "muss nicht" would mean "need not"
        if when is not None and (when.english_before_verb or when.german[0] == "jeden"):
            when = None  # not "hilft uns jeden Tag nicht"
    return Clause(subject, verb, tense, modal, dative, accusative, negated=negated, time=when, place=where)


def fitting_times(verb: words.Verb, tense: str, accusative: NounPhrase | None) -> list[words.TimeAdverb]:
    """The time adverbs that fit: none for a state or a moment's act ("macht am Abend das Buch zu"),
    "oft"/"jeden Tag" only for a habit ("liest oft", not "lädt sie jeden Tag ein", "kocht oft den Fisch")."""
    if verb.full_infinitive in MOMENTARY | {"haben", "verstehen", "lieben", "hören", "lachen", "sehen"}:
        return []
    definite_thing = accusative is not None and not is_person(accusative) and accusative.is_definite
    # "kauft oft Brot", not "kauft immer einen Computer"; "schreibt manchmal einen Satz" says nothing
    everyday = verb.full_infinitive not in ("kaufen", "bestellen") or accusative is None \
        or is_person(accusative) or bool(accusative.noun.kinds & {"food", "drink"})
    trivial = accusative is not None and accusative.noun is not None and accusative.noun.german in TRIVIAL
    habit = verb.full_infinitive in HABITS and not definite_thing and everyday and not trivial
    return [t for t in words.TIME_ADVERBS if tense in t.tenses
            and (habit or t.german[0] not in HABIT_TIMES)]


def goes_on(core: Clause) -> bool:
    """Can a clause with "und" or "aber" be about the same scene (see `next_clause`)?"""
    verb = core.verb.full_infinitive if core.verb else ""
    return not core.negated and core.modal is None and (
        verb in GETTING or verb in ANSWERS or verb in SHAREABLE or verb in CHOICES)


def shared(core: Clause) -> bool:
    """Is it a thing two people may each use, or not: "Paul isst den Kuchen, aber Lena isst ihn nicht"?"""
    verb = core.verb.full_infinitive if core.verb else ""
    dish = core.accusative is not None and core.accusative.noun is not None \
        and core.accusative.noun.german in DISHES  # "Anna hat das Ei gegessen, aber ..." leaves no egg
    return core.accusative is not None and (verb in SHAREABLE or verb in ("essen", "trinken") and dish)


def same_pronoun(phrase: NounPhrase, *people: NounPhrase | None) -> bool:
    """Would the pronoun for this one also fit one of these people? ("Anna liest die Zeitung, aber
    Paul liest sie nicht": "sie" might be Anna; "Thomas hilft ihm, weil er krank ist": who is?)"""
    def nominative(p: NounPhrase) -> str | None:
        index = pronoun_of(p).pronoun
        return PRONOUNS[index][1] if index is not None else None
    german = nominative(phrase)
    return german is not None and any(nominative(p) == german for p in people if p is not None)


def next_clause(rng: random.Random, core: Clause, conjunction: str, detail: float = 1,
                cook_was_hungry: bool = False, again: bool = False, named: frozenset[NounPhrase] = frozenset()
                ) -> Clause | None:
    """A main clause joined to `core` by "und" (a next step with its thing, or an answer to the person
    it was done to) or "aber" (someone else does not do it, or chooses something else; `again`: only
    the first); None if nothing fits. It shares the scene's people or things: no new person doing a
    new thing."""
    verb = core.verb.full_infinitive if core.verb else ""
    tense = "perfect" if core.tense == "perfect" else "present"
    others = persons_of(core.subject)
    thing_phrase = core.accusative
    is_thing = thing_phrase is not None and thing_phrase.noun is not None \
        and "person" not in thing_phrase.noun.kinds
    if conjunction == "und":
        options = []
        # not "backt ihn nicht, und du isst ihn", nor "muss ihn backen, und du isst ihn"; and not "kocht,
        # weil sie hungrig ist, und Paul isst es"
        if is_thing and verb in GETTING and not core.negated and core.modal is None and not cook_was_hungry:
            uses = [VERB[v] for kind, v in USES.items() if kind in thing_phrase.noun.kinds and v != verb]
            if uses:
                use = rng.choice(uses)
                # someone else ("hilft ihr, ... zu schreiben, und du liest es" is no next step of yours)
                avoid = others | persons_of(*named) | {2, 3, 5}
                eater = next((p for p in (person(rng, avoid, definite=True, family=verb in MADE)
                                          for _ in range(5)) if p not in named), None)
                if eater is not None:
                    home = ("Garten",) if verb in MADE else tuple(PLACE_VERBS)  # not "im Zug", "im Park"
                    places = [p for p in words.PLACES if use.full_infinitive in PLACE_VERBS[p[1]]
                              and p != core.place and p[1] in home] if rng.random() < 0.2 * detail else []
                    where = rng.choice(places) if places else None  # "und Paul isst ihn im Garten"
                    options.append(Clause(eater, use, tense, accusative=thing_phrase, place=where))
        pronouns = {pronoun_of(core.accusative).pronoun, core.subject.pronoun} if core.accusative else set()
        she_and_her = pronouns <= {3, 5} or pronouns <= {2, 6}
        if core.accusative is not None and is_person(core.accusative) and can_come_back(core.accusative) \
                and core.accusative.pronoun not in (0, 1, 4) and core.subject.pronoun is not None \
                and not core.negated and core.modal is None and verb in ANSWERS and not she_and_her:
            # "Ich lade sie ein, und sie besucht mich"; not "sie besucht sie", nor after "darf ... anrufen"
            answer = VERB[rng.choice(ANSWERS[verb])]
            options.append(Clause(core.accusative, answer, tense, accusative=core.subject))
        if detail > 1 and any(goes_on(o) for o in options):  # a long sentence goes on after it
            options = [o for o in options if goes_on(o)]
        return rng.choice(options) if options else None
    if conjunction == "aber" and core.verb is not None and not core.negated and core.modal is None \
            and verb not in NOT_ON_PURPOSE:
        # someone not yet in the scene ("du hilfst ihm, ..., aber du isst ihn nicht" contradicts itself);
        # a new "er" or "sie" would come from nowhere
        avoid = others | persons_of(*named) | {2, 3, 5}
        home = verb in MADE or verb == "essen"  # at home, the family: not "aber meine Chefin isst ihn nicht"
        other = next((p for p in (person(rng, avoid, definite=True, family=home) for _ in range(5))
                      if p not in named), None)
        if other is None:
            return None
        if pronoun_of(other) == pronoun_of(core.subject):
            return None
        repeatable = verb in SHAREABLE or shared(core)
        if repeatable and (core.verb.frame == "-" or is_thing and thing_phrase.is_definite
                                  and not same_pronoun(thing_phrase, core.subject, other)):
            return Clause(other, core.verb, tense, accusative=core.accusative, negated=True)
        if is_thing and verb in CHOICES and not again:  # "Anna trinkt Kaffee, aber Paul trinkt Tee"
            kinds = frozenset(thing_phrase.noun.kinds & core.verb.object_kinds)
            if not kinds:
                return None
            another = replace(thing(rng, kinds, verb, other, detail), adjective=None)  # not "ein leckeres Ei"
            if thing_phrase.determiner in ("none", "a") and another.noun.mass == thing_phrase.noun.mass:
                # "Saft, aber Anna trinkt Milch"
                another = replace(another, determiner=thing_phrase.determiner)
            if another.noun != thing_phrase.noun:
                return Clause(other, core.verb, tense, accusative=another)
    return None
