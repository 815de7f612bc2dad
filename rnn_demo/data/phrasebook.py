"""The phrasebook grammar: German sentences, their English translations and the gold word alignment.

A sentence is planned from one scene (`scenes.py`: who does what to which thing, and why), then each
clause is written out twice, in German word order and in English word order. Every German and
English token carries the "meaning units" it expresses; two tokens that share a unit are aligned. So
the alignment is exact by construction, and the reorderings that break word-by-word translation (the
verb at the end, "mir helfen" -> "help me", "rufe ... an" -> "call") fall out of the German word-order
rules in `grammar.py`. A person or thing named once comes back as a pronoun, and each subordinating
conjunction is used at most once in a sentence.

    >>> import random
    >>> sentence = generate_sentence(random.Random(0), min_words=3, max_words=8)
    >>> " ".join(t.text for t in sentence.german), " ".join(t.text for t in sentence.english)
    ('Unsere Schwester kann ihre Gitarre spielen .', 'Our sister can play her guitar .')
    >>> [(sentence.german[g].text, sentence.english[e].text) for g, e in sentence.alignment][3:]
    [('ihre', 'her'), ('Gitarre', 'guitar'), ('spielen', 'play'), ('.', '.')]
"""

from __future__ import annotations

import random
from dataclasses import replace

from rnn_demo.data import links, scenes
from rnn_demo.data import phrasebook_words as words
from rnn_demo.data.grammar import DEFINITE_ARTICLES, Builder, Clause, NounPhrase, Sentence, Token
from rnn_demo.data.meanings import AT_HOME, MADE, NOW_ONLY, STATIVE, TRIVIAL
from rnn_demo.data.scenes import BITTEN, THAT_MATRIX, WISSEN, ZU_MATRIX
from rnn_demo.data.writing import (
    Scene,
    add_link,
    help_link,
    join,
    keep,
    punct,
    subordinate,
    two_readings,
    word,
)

_VERB_BY_INFINITIVE = scenes.VERB

# English words that a polite "Sie" at the start would have to change with, or clash with
_PERSON_WORDS = frozenset({"they", "them", "their", "you", "your", "her"})
# How often a statement takes each shape: (in a sentence of up to 15 words, in a longer one, which goes
# on about its scene and so mostly states what happens or helps with it)
STATEMENT_SHAPES = {
    "main": (40, 75),  # "Anna repariert das Fahrrad."
    "front": (10, 5),  # "Heute repariert Anna das Fahrrad."
    "that": (10, 0),  # "Ich glaube, dass ..."
    "zu": (10, 0),  # "Ich versuche, ... zu reparieren."
    "it_is": (3, 0),  # "Es ist wichtig, ... zu ..."
    "ask": (4, 0),  # "Sie bittet ihn, ... zu ..."
    "help": (6, 15),  # "Er hilft mir, ... zu ..."
    "whether": (2, 0),  # "Ich weiß nicht, ob ..."
}
# How often a question takes each shape (`_question` shows each)
QUESTION_SHAPES = {"yes_no": 40, "wh": 25, "help": 12, "zu": 8, "know": 6}


# --- statements ----------------------------------------------------------------------------------------

def _zu_frame(scene: Scene, kind: str, want_link: bool
              ) -> tuple[tuple[list[Token], list[Token]], Clause | None] | None:
    """Try to / ask someone to / help someone (bare) / it is important to: a clause with a zu-infinitive.
    The infinitive's doer (the subject, or the person asked or helped) owns its things."""
    rng = scene.rng
    tense = rng.choice(("present", "present", "perfect"))
    # "du" is not told what it tries or asks: not "Du bittest uns, ..."
    helping = kind == "help"  # the family helps: not "unsere Ärztin hilft ihnen, den Hund zu zeichnen"
    subject = scenes.person(rng, frozenset({1}) if kind in ("zu", "ask") else frozenset(), definite=True,
                            family=helping)
    asked = kind in ("ask", "help")
    helped = scenes.person(rng, scenes.persons_of(subject), definite=True, family=helping) if asked else None
    doer = helped or subject
    time = False
    german_adj = english_adj = ""
    if kind == "zu":
        matrix_verb = rng.choice(ZU_MATRIX)
        frame = matrix_verb.infinitive
        # "I have hoped to" sounds wrong; "Ich habe vergessen, ..." tells what happened, "I forget" not
        tense = {"hoffen": "present", "vergessen": "perfect"}.get(frame, tense)
        time = frame in ("hoffen", "planen")  # "ich plane, morgen ... zu"
        matrix = Clause(subject, matrix_verb, tense)
    elif kind == "ask":
        frame, matrix = "bitten", Clause(subject, BITTEN, tense, accusative=helped)
    elif kind == "help":
        frame, matrix = "helfen", Clause(subject, _VERB_BY_INFINITIVE["helfen"], tense, dative=helped)
    else:
        matrix = None
        german_adj, english_adj = rng.choice(words.IT_IS_ADJECTIVES)
        frame, doer = german_adj, NounPhrase(pronoun=4)  # "Es ist wichtig, unser Zimmer aufzuräumen"
    core = scenes.plan_core(rng, tense="modal", subject=doer, frame=frame, detail=scene.detail,
                            avoid=scenes.persons_of(subject, helped), time=time)
    if core.verb.full_infinitive in AT_HOME and not all(scenes.is_family(p) for p in (subject, helped) if p):
        return None  # "mein Arzt hilft Jonas, seine Küche aufzuräumen": at home, the family helps
    trivial = core.accusative is not None and core.accusative.noun is not None \
        and core.accusative.noun.german in TRIVIAL
    if trivial and kind in ("help", "ask", "zu"):
        return None  # "hilft ihr, das Wort in der Bibliothek zu lernen": one word needs no help
    jetzt = core.time is not None and core.time.german == ("jetzt",)
    core = replace(core, tense="present", modal=None, time=None if jetzt else core.time)
    if frame == "planen":
        scene.used |= {"weil", "obwohl", "als"}  # one plans for a condition: "..., wenn ich Zeit habe"
    can_link = frame in ("versuchen", "planen", "bitten")  # "beginnt, ..., wenn" is odd
    link = add_link(scene, core, tense) if want_link and can_link else None
    if link and kind == "ask" and (link[0] != "weil" or scenes.same_pronoun(link[1].subject, subject)):
        link = None  # "bat sie, aufzuräumen, obwohl sie krank war" is unkind, and who is "sie"?
    if want_link and kind == "help":
        helping = help_link(scene, subject, helped, core, tense)
        link = (helping[0], helping[1], core) if helping else None
    if link and two_readings(link):
        link = None
    if link:
        core = keep(scene, link)
        if core.negated:
            return None  # "versucht, es nicht zu reparieren" is no concession
    if matrix is None:
        head = join(word(scene.builder, "es", "PRON", "it"), word(scene.builder, "ist", "AUX", "is"),
                    word(scene.builder, german_adj, "ADJ", english_adj))
    else:
        head = scene.say(matrix, "main")
    parts = [head, punct(scene.builder, ",", None), scene.say(core, "zu", bare_infinitive=kind == "help")]
    if link:
        parts += [punct(scene.builder, ",", None), subordinate(scene, link[0], link[1], core)]
    # only helping gets it done: "hilft mir, den Kuchen zu backen, und wir essen ihn"; planning does not
    return join(*parts), replace(core, tense=tense) if frame == "helfen" else None


def _statement(scene: Scene, want_link: bool) -> tuple[tuple[list[Token], list[Token]], Clause | None]:
    """One main clause, maybe with a linked subordinate clause or a "dass"/zu part; and the clause a
    next one can build on."""
    rng = scene.rng
    long = scene.detail > 1  # a long sentence goes on about its scene: "main" and "help" can
    weights = [short_and_long[long] for short_and_long in STATEMENT_SHAPES.values()]
    kind = rng.choices(tuple(STATEMENT_SHAPES), weights)[0]
    if kind in ("zu", "it_is", "ask", "help"):
        framed = _zu_frame(scene, kind, want_link)
        if framed is not None:
            return framed
        kind = "main"
    if kind == "that":  # "du" is not told what it thinks, hopes or heard
        matrix_verb = rng.choice(THAT_MATRIX)
        subject = scenes.person(rng, frozenset({1}), definite=True)
        hoping = matrix_verb.infinitive == "hoffen"
        if hoping:  # one hopes for something good
            content = links.has_time(scenes.person(rng, scenes.persons_of(subject), definite=True))
            if rng.random() < 0.5 and not scenes.same_pronoun(content.subject, subject):  # "dass sie sie"
                verb = _VERB_BY_INFINITIVE[rng.choice(("besuchen", "anrufen", "einladen"))]
                content = Clause(content.subject, verb, rng.choice(("present", "modal")), accusative=subject,
                                 modal=scenes.words.MODALS[0])
                content = replace(content, modal=content.modal if content.tense == "modal" else None)
        else:  # something done: "dass Anna das Auto repariert hat"; not what "ich" or "du" did
            content = scenes.plan_core(rng, tense="perfect", avoid=scenes.persons_of(subject) | {0, 1, 4},
                                       place=False, intransitive=False)
        # "Ich habe gehört, dass" and "Er hat gesagt, dass"; not "Ich habe geglaubt, dass"
        told = {"hören": "perfect", "sagen": rng.choice(("present", "perfect"))}
        tense = told.get(matrix_verb.infinitive, "present")
        # a state says little ("dass er das Auto hat", "dass mein Arzt die Geschichte versteht"); "Anna hat
        # gehört, dass sie ..." might be Anna
        while not hoping and (content.verb.full_infinitive in STATIVE
                              or scenes.same_pronoun(content.subject, subject)):
            content = scenes.plan_core(rng, tense="perfect", avoid=scenes.persons_of(subject) | {0, 1, 4},
                                       place=False)
        scene.used.add("dass")
        tokens = join(scene.say(Clause(subject, matrix_verb, tense), "main"),
                      punct(scene.builder, ",", None), scene.conjunction("dass"), scene.say(content, "sub"))
        return tokens, None  # what someone says or hopes is no scene to go on with
    if kind == "whether":  # "Ich weiß nicht, ob ..." -> "I do not know whether ..."
        subject = scenes.person(rng, frozenset({1}), definite=True)
        content = scenes.plan_core(rng, avoid=scenes.persons_of(subject) | {1})  # not "ob du ..."
        return join(scene.say(Clause(subject, WISSEN, "present", negated=True), "main"),
                    punct(scene.builder, ",", None), scene.conjunction("ob"),
                    scene.say(content, "sub")), None
    for _ in range(8 if long else 4 if want_link else 1):  # a scene that a conjunction fits, and goes on
        core = scenes.plan_core(rng, negate=True, detail=scene.detail)
        link = add_link(scene, core, core.tense) if want_link else None
        if (link or not want_link) and (not long or scenes.goes_on(link[2] if link else core)):
            break
    # "Weil sie müde ist, schläft sie."; told first, a state names its own one
    # not "Obwohl ihr Koffer schwer war, hat Anna ihn getragen": "ihr" before Anna is named
    # nor "Weil die Jacke billig ist, kaufen sie sie", "Wenn Anna Zeit hat, lädt sie sie ein"
    owned = link is not None and (link[1].subject.determiner in scenes.POSSESSIVE_OF_PRONOUN
                                  or scenes.same_pronoun(link[2].subject, link[2].accusative, link[2].dative))
    front = link is not None and link[1].subject.is_definite and not owned \
        and (rng.random() < 0.4 or two_readings(link) and link[1].subject.pronoun is None)
    if link and not front and two_readings(link):
        link = None
    if front:
        conjunction, sub, core = link
        core = replace(keep(scene, link), time=None)
        tokens = join(subordinate(scene, conjunction, sub, core, capital=True),
                      punct(scene.builder, ",", ","), scene.say(core, "inverted"))
        scene.builder.phenomena.add("v2_inversion")
        return tokens, core
    if link:
        core = keep(scene, link)
    times = [t for t in scenes.fitting_times(core.verb, core.tense, core.accusative)
             if t.can_front and not (core.negated and t.english_before_verb)]
    if kind == "front" and not link and times:
        time = rng.choice(times)
        thing_now = core.accusative is not None and core.accusative.determiner == "this" and time.past
        accusative = replace(core.accusative, determiner="def") if thing_now else core.accusative
        tokens = scene.say(replace(core, time=time, accusative=accusative), "front_time")
    else:
        tokens = scene.say(core, "main")
    if link:
        tokens = join(tokens, punct(scene.builder, ",", None), subordinate(scene, link[0], link[1], core))
    return tokens, core


def _next_statement(scene: Scene, core: Clause | None, conjunction: str, want_link: bool
                    ) -> tuple[tuple[list[Token], list[Token]], Clause] | None:
    """ ", und ..." / ", aber ...": a clause about the same people and things, maybe with its own link."""
    if core is None:
        return None
    clause = scenes.next_clause(scene.rng, core, conjunction, scene.detail, scene.cook_was_hungry,
                                again="und" in scene.used, named=frozenset(scene.named))
    if clause is None:
        return None
    answers = clause.accusative is not None and clause.accusative == core.subject  # "und er ruft mich an"
    if answers and scenes.pronoun_of(clause.subject) in scene.unwell:
        return None  # "wir haben ihn angerufen, als er krank war", then not "und er hat uns besucht"
    scene.used.add(conjunction)
    english = "and" if conjunction == "und" else "but"
    link = add_link(scene, clause, clause.tense) if want_link and not answers else None
    if link and link[1].adjective is not None and link[1].adjective in scene.states:
        link = None  # "..., weil du hungrig warst, aber wir ..., als wir hungrig waren" says it twice
    if link and link[2].negated and not clause.negated:
        link = None  # not "kocht das Ei, und sie isst es nicht, obwohl ..."
    if link and two_readings(link):
        link = None
    if link and scene.builder.told.later and link[1].subject == clause.subject and link[1].tense == "present":
        link = None  # "backt am Abend einen Kuchen, und wir essen ihn, weil wir hungrig sind": hungry now?
    making = core.verb is not None and core.verb.full_infinitive in MADE and core.tense != "perfect"
    scene.unmade = core.accusative if making else scene.unmade
    now_only = link is not None and scene.builder.told.later and link[1].adjective is not None \
        and link[1].adjective.german in NOW_ONLY
    if link and (link[0] == "wenn" or link[1].subject == scene.unmade or now_only):
        link = None  # not "..., und wir essen ihn, wenn wir hungrig sind" (one cake is eaten once), nor
        # "schreibt das Gedicht, und ich lese es, aber du liest es nicht, obwohl es interessant ist" (it is
        # not written yet), nor "kocht am Wochenende die Suppe, ..., weil sie kalt ist"
    if link:
        clause = keep(scene, link)
    tokens = join(punct(scene.builder, ",", ","), word(scene.builder, conjunction, "CONJ", english),
                  scene.say(clause, "main"))
    if link:
        tokens = join(tokens, punct(scene.builder, ",", None), subordinate(scene, link[0], link[1], clause))
    return tokens, clause


# --- questions -----------------------------------------------------------------------------------------

def _question(scene: Scene, want_link: bool) -> tuple[list[Token], list[Token]]:
    rng = scene.rng
    builder = scene.builder
    builder.phenomena.add("question")
    kind = rng.choices(tuple(QUESTION_SHAPES), tuple(QUESTION_SHAPES.values()))[0]
    if kind == "yes_no":  # a yes/no question may take a condition: "..., wenn du Zeit hast?"
        tense = rng.choice(("present", "perfect", "modal"))
        # "Kann ich ...?", not "Lese ich ...?"; "Bringst du am Abend ... mit?" is "Will you bring ...?"
        subject = scenes.person(rng, frozenset({0, 4}) if tense != "modal" else frozenset(), definite=True)
        core = scenes.plan_core(rng, tense=tense, subject=subject, asking=True, time=tense != "present")
        # "Kannst du mich anrufen, wenn du Zeit hast?"; not "Tanzt Thomas, wenn er Zeit hat?"
        asks = tense == "modal" or subject.pronoun == 1
        linked = links.link(rng, core, "wenn") if want_link and asks else None
        if linked is not None and two_readings(("wenn", *linked)):
            linked = None  # "Kann sie die Frau anrufen, wenn sie Zeit hat?": who has time?
        if linked is None:
            return scene.say(core, "question")
        sub, core = linked
        scene.builder.told.condition = True
        return join(scene.say(core, "question"), punct(builder, ",", None),
                    subordinate(scene, "wenn", sub, core))
    if kind == "wh":  # "Wo ...?" only where the verb has a place: not "Wo bringt er ... mit?"
        german_wh, english_wh = rng.choice(words.QUESTION_WORDS)
        # "When did she buy it?", never "When has she bought it?"
        builder.told.past_fixed = german_wh == "wann"
        verb = None
        if german_wh == "wo":
            verb = _VERB_BY_INFINITIVE[rng.choice(sorted(set().union(*scenes.PLACE_VERBS.values())))]
        tense = rng.choice(("present", "perfect", "modal"))
        subject = scenes.person(rng, frozenset({0, 4}) if tense != "modal" else frozenset(), definite=True)
        core = scenes.plan_core(rng, tense=tense, subject=subject, verb=verb, time=german_wh != "wann",
                                place=german_wh != "wo", asking=True)
        for _ in range(5):  # "Warum liebt er dich?" and "Warum hat sie Zeit?" are no textbook questions
            if german_wh != "warum" or core.verb.full_infinitive not in ("lieben", "haben"):
                break
            core = scenes.plan_core(rng, tense=tense, subject=subject, time=True, asking=True)
        if core.time is not None and core.time.english_before_verb:
            core = replace(core, time=None)
        return join(word(builder, german_wh.capitalize(), "ADV", english_wh), scene.say(core, "wh"))
    if kind == "help":  # "Kannst du mir helfen, ... zu übersetzen?" -> "Can you help me translate ...?"
        subject = NounPhrase(pronoun=rng.choice((1, 1, 2, 3)))
        # the family: not "Kannst du unserer Ärztin helfen, Brot zu backen?"
        helped = scenes.person(rng, scenes.persons_of(subject), family=True)
        core = scenes.plan_core(rng, tense="modal", subject=helped, frame="helfen",
                                avoid=scenes.persons_of(subject, helped), time=False)
        matrix = Clause(subject, _VERB_BY_INFINITIVE["helfen"], "modal", words.MODALS[0], dative=helped)
        return join(scene.say(matrix, "question"), punct(builder, ",", None),
                    scene.say(replace(core, tense="present", modal=None), "zu", bare_infinitive=True))
    if kind == "zu":  # "Hast du vergessen, ... zu schließen?"
        subject = NounPhrase(pronoun=rng.choice((1, 1, 2, 3)))
        matrix_verb = rng.choice([v for v in ZU_MATRIX if v.infinitive in ("versuchen", "vergessen")])
        core = scenes.plan_core(rng, tense="modal", subject=subject, frame=matrix_verb.infinitive,
                                avoid=scenes.persons_of(subject), time=False)
        return join(scene.say(Clause(subject, matrix_verb, "perfect"), "question"),
                    punct(builder, ",", None), scene.say(replace(core, tense="present", modal=None), "zu"))
    conjunction = rng.choice(("ob", "dass"))  # "Weißt du, ob ...?"
    # not "Weißt du, dass ich meine Tasche aufgemacht habe?"
    content = scenes.plan_core(rng, tense="perfect", avoid=frozenset({0, 1, 4}), intransitive=False)
    return join(scene.say(Clause(NounPhrase(pronoun=1), WISSEN, "present"), "question"),
                punct(builder, ",", None), scene.conjunction(conjunction), scene.say(content, "sub"))


# --- sentences -----------------------------------------------------------------------------------------

def finish(builder: Builder, german: list[Token], english: list[Token], mark: str) -> Sentence:
    de_mark, en_mark = punct(builder, mark, mark)
    german = _capitalize_first(german + de_mark)
    english = _capitalize_first(english + en_mark)
    # "Sie haben ..." may be the polite "you", "Ihre Katze" the polite "your": only where no other word
    # would have to change with it ("Sie planen, dich zu treffen" is no "You plan to meet you")
    polite = not any(t.text.lower() in _PERSON_WORDS for t in english[1:])
    if any(t.text in ("she", "they") for t in english):  # "He visits her because she is ill": not "them"
        english = [replace(t, alternatives=()) if t.text in ("her", "them") and t.alternatives in
                   (("them",), ("her",)) else t for t in english]
    if polite and german[0].text == "Sie" and english[0].text == "They":
        english[0] = replace(english[0], alternatives=("You",))
    if polite and german[0].text.startswith("Ihr") and german[0].tag == "DET":
        english[0] = replace(english[0], alternatives=(*english[0].alternatives, "Your"))
    if any(t.text in DEFINITE_ARTICLES for t in german):
        builder.phenomena.add("many_to_one")  # der/die/das/den/dem all become "the"
    return Sentence(tuple(german), tuple(english), frozenset(builder.phenomena))


def _capitalize_first(tokens: list[Token]) -> list[Token]:
    first = tokens[0]
    return [replace(first, text=first.text[:1].upper() + first.text[1:],
                    alternatives=tuple(a[:1].upper() + a[1:] for a in first.alternatives))] + tokens[1:]


def _words(tokens: list[Token]) -> int:
    return sum(t.tag != "PUNCT" for t in tokens)


def generate_sentence(rng: random.Random, min_words: int, max_words: int,
                      max_tries: int = 10_000) -> Sentence:
    """One sentence of min_words..max_words German words: a statement or question from one scene,
    with more clauses about the same scene until it is long enough."""
    for _ in range(max_tries):
        target = rng.randint(min_words, max_words)
        scene = Scene(Builder(rng), 1 if target < 16 else 2.5)
        want_link = rng.random() < (0.15 if target <= 6 else 0.5 if target <= 10 else 1)
        if rng.random() < (0.2 if target <= 12 else 0.05):  # a question is one or two clauses
            german, english = _question(scene, want_link)
            sentence = finish(scene.builder, german, english, "?")
        else:
            (german, english), core = _statement(scene, want_link)
            # at most two main clauses, unless the third is about the same thing: "Anna backt einen
            # Kuchen, und Paul isst ihn, aber Lena isst ihn nicht"
            for conjunction in ("und", "aber") if target > 20 or scene.rng.random() < 0.6 else ("aber",):
                if _words(german) >= target or conjunction == "aber" and "und" in scene.used \
                        and not scenes.shared(core):
                    break
                for want_link in (target - _words(german) > 4, False):  # without its link if too long
                    saved = (set(scene.named), set(scene.used), set(scene.builder.phenomena),
                             set(scene.states), scene.cook_was_hungry, replace(scene.builder.told))
                    more = _next_statement(scene, core, conjunction, want_link)
                    if more is None or _words(german) + _words(more[0][0]) <= max_words:
                        break
                    (scene.named, scene.used, scene.builder.phenomena, scene.states, scene.cook_was_hungry,
                     scene.builder.told) = saved
                    more = None
                if more is not None:
                    (german, english), core = join((german, english), more[0]), more[1]
            sentence = finish(scene.builder, german, english, ".")
        if min_words <= sentence.word_count <= max_words:
            return sentence
    raise RuntimeError(f"no sentence of {min_words}..{max_words} words after {max_tries} tries")
