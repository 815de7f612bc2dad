"""How a subordinate clause truly joins a main clause: a cause that can cause it ("..., weil es kaputt
ist"), a concession that really concedes ("..., obwohl sie müde ist"), a condition ("..., wenn ich Zeit
habe") or a single past time ("..., als er hungrig war"). `scenes.py` plans the clauses joined.

    >>> state(NounPhrase(pronoun=3), "müde").adjective.english
    'tired'
"""

from __future__ import annotations

import random
from dataclasses import replace

from rnn_demo.data.grammar import Clause, NounPhrase
from rnn_demo.data.meanings import (
    CONDITIONS,
    DOER_HINDRANCES,
    DOER_REASONS,
    EFFORTS,
    HABIT_TIMES,
    LATER,
    NOW_ONLY,
    THING_HINDRANCES,
    THING_REASONS,
    TIME_TAKING,
    TRIVIAL,
)
from rnn_demo.data.scenes import ADJECTIVE, HABEN, ZEIT, can_come_back, fits, is_person


def state(subject: NounPhrase, adjective: str, tense: str = "present", negated: bool = False) -> Clause:
    """ "..., weil sie müde ist", "als es kaputt war"."""
    return Clause(subject, None, tense, adjective=ADJECTIVE[adjective], negated=negated)


def has_time(subject: NounPhrase, tense: str = "present") -> Clause:
    return Clause(subject, HABEN, tense, accusative=ZEIT)


def link(rng: random.Random, core: Clause, conjunction: str) -> tuple[Clause, Clause] | None:
    """A clause that `conjunction` can truly join to `core`, and the core as it must then read (a
    concession may negate it); None if nothing fits. "wenn" wants a core in the present, "als" one in
    the past."""
    verb = core.verb.full_infinitive if core.verb else ""
    past = core.tense == "perfect"
    modal = core.modal.infinitive if core.modal else ""
    if conjunction in ("weil", "obwohl") and modal in ("dürfen", "sollen", "können", "müssen"):
        return None  # "darf ihn anrufen, weil er krank ist": the reason is not for the permission
    if conjunction in ("wenn", "als") and modal in ("müssen", "sollen", "dürfen"):
        return None  # "muss dich anrufen, wenn er Zeit hat" contradicts itself
    habit = core.time is not None and core.time.german[0] in HABIT_TIMES
    if conjunction in ("weil", "obwohl") and habit:
        return None  # "tanzt immer, obwohl sie müde ist": a habit has no single reason
    thing_phrase = core.accusative or core.dative
    # "übersetzt das Wort, als sie Zeit hatte" or "obwohl sie müde war": a word is no effort
    trivial = thing_phrase is not None and thing_phrase.noun is not None \
        and thing_phrase.noun.german in TRIVIAL
    reasons = []  # what makes one do it: "isst, weil er hungrig ist"
    wine = thing_phrase is not None and thing_phrase.noun is not None and thing_phrase.noun.german == "Wein"
    if verb in DOER_REASONS and not (modal == "müssen" and DOER_REASONS[verb] == "glücklich") and not wine:
        reasons.append((core.subject, DOER_REASONS[verb]))
    if verb in THING_REASONS and thing_phrase is not None and can_come_back(thing_phrase) \
            and not thing_phrase.adjective \
            and is_person(thing_phrase) == (verb in ("besuchen", "anrufen", "helfen")) \
            and (thing_phrase.is_definite or verb == "kaufen") and fits(thing_phrase, THING_REASONS[verb]):
        reasons.append((thing_phrase, THING_REASONS[verb]))
    hindrances = []  # what keeps one from doing it: "arbeitet nicht, weil sie krank ist"
    if verb in EFFORTS and (modal == "" or core.negated) and not trivial:  # not "muss arbeiten, obwohl"
        hindrances += [(core.subject, a) for a in DOER_HINDRANCES]
    if verb in THING_HINDRANCES and core.accusative is not None and not is_person(core.accusative) \
            and core.accusative.adjective is None \
            and can_come_back(core.accusative) and fits(core.accusative, THING_HINDRANCES[verb]):
        if THING_HINDRANCES[verb] != "kalt" or "hot" in core.accusative.noun.kinds:  # cold juice is fine
            hindrances.append((core.accusative, THING_HINDRANCES[verb]))
    if not past and core.time is not None and " ".join(core.time.german) in LATER:
        # the doer is hungry or tired now, the soup cold now, and the act is still to come: no such reason
        reasons = [(who, a) for who, a in reasons if who is not core.subject and a not in NOW_ONLY]
        hindrances = [(who, a) for who, a in hindrances if who is not core.subject and a not in NOW_ONLY]
    tense = "past" if past else "present"
    if conjunction in ("weil", "obwohl"):
        # weil: a reason for doing it, a hindrance for not; obwohl: the other way round
        # "singt nicht, obwohl sie glücklich ist" concedes nothing
        options = [(who, adjective, core) for who, adjective in
                   (hindrances if core.negated == (conjunction == "weil") else reasons)
                   if not (core.negated and adjective == "glücklich")]
        negatable = all(phrase is None or phrase.is_definite for phrase in (core.accusative, core.dative))
        if conjunction == "obwohl" and negatable and core.modal is None and not core.negated:
            time = None if core.time is not None and core.time.english_before_verb else core.time
            options += [(who, adjective, replace(core, negated=True, place=None, time=time))
                        for who, adjective in reasons if adjective != "glücklich"]  # "isst ihn nicht, obwohl"
        if not options:
            return None
        who, adjective, core = rng.choice(options)
        return state(who, adjective, tense), core
    if core.negated:
        return None
    if conjunction == "wenn":
        if past or (core.time is not None and core.time.german == ("jetzt",)):
            return None  # "wenn" + present tells of now, later or every time
        conditions = [r for r in reasons if r[1] in CONDITIONS]
        if conditions and rng.random() < 0.5:
            who, adjective = rng.choice(conditions)
            return state(who, adjective), core
        return (has_time(core.subject), core) if verb in TIME_TAKING and not trivial else None
    if conjunction == "als":
        if not past:
            return None
        conditions = [r for r in reasons if r[1] in CONDITIONS]
        if conditions and rng.random() < 0.6:
            who, adjective = rng.choice(conditions)
            return state(who, adjective, "past"), replace(core, time=None)
        if verb in TIME_TAKING and not trivial:
            return has_time(core.subject, "past"), replace(core, time=None)
        return None
    raise ValueError(f"unknown conjunction {conjunction!r}")


def any_link(rng: random.Random, core: Clause, tense: str, conjunctions: list[str]
             ) -> tuple[str, Clause, Clause] | None:
    """A subordinate clause truly linked to `core` (judged in `tense`) by one of `conjunctions`."""
    rng.shuffle(conjunctions)
    judged = core if tense == core.tense else replace(core, tense=tense)
    for conjunction in conjunctions:
        linked = link(rng, judged, conjunction)
        if linked is not None:
            sub, new_core = linked
            if new_core.tense != core.tense:
                new_core = replace(new_core, tense=core.tense)
            return conjunction, sub, new_core
    return None
