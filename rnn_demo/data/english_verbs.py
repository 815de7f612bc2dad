"""How English says a German verb group: every right reading of a present or a perfect, shown one first.

The German present is the English simple present for a habit or a fact ("Anna trinkt Kaffee": "Anna
drinks coffee"), the progressive for an act going on or arranged ("Wir bereiten am Abend diese Rede
vor": "We are preparing this speech in the evening") and "will" after a condition or for later ("If I
have time, I will read the book"). The German perfect narrates: the simple past, and the present
perfect too unless a past time ("gestern", an "als" clause) fixes the moment.

    >>> ing_form("write"), ing_form("plan"), ing_form("see")
    ('writing', 'planning', 'seeing')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rnn_demo.data.meanings import HABIT_TIMES
from rnn_demo.data.phrasebook_words import TimeAdverb

BE = ("am", "are", "is", "are", "are", "are")

_FUTURE_TIMES = frozenset({("am", "Abend"), ("am", "Wochenende")})
_DOUBLED = frozenset({"begin", "forget", "plan", "sit", "get", "put", "run", "stop", "swim"})


def ing_form(base: str) -> str:
    """ "read" -> "reading", "write" -> "writing", "plan" -> "planning", "see" -> "seeing"."""
    if base in _DOUBLED:
        return base + base[-1] + "ing"
    if base.endswith("ie"):
        return base[:-2] + "ying"
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        return base[:-1] + "ing"
    return base + "ing"


@dataclass
class Told:
    """What the sentence has told so far that changes how English says a verb."""

    condition: bool = False  # a "wenn" condition holds for what follows: "If I have time, I will read"
    past_fixed: bool = False  # an "als" clause or "gestern" pins the past: no present perfect reading
    later: bool = False  # a clause told of later ("am Abend"): what follows it is later too
    habit: bool = False  # a clause told of a habit ("oft"): what is set against it is one too
    # Clauses read alike change together: "we will eat it, but you will not", never "but you are not
    # eating it"; a group of readings per list of reading names
    groups: dict[tuple[str, ...], int] = field(default_factory=dict)


@dataclass(frozen=True)
class VerbGroup:
    """A German present or perfect clause, as far as its English verb group depends on it."""

    english: tuple[str, str, str, str]  # base, 3rd person singular, past, past participle
    person: int  # 0 ich .. 5 sie (plural)
    tense: str  # "present" or "perfect"
    negated: bool
    question: bool
    state: bool  # a state or an act of the mind: "I have", "I see", never "I am having"
    time: TimeAdverb | None


def present_readings(told: Told, v: VerbGroup) -> tuple[str, ...]:
    """How English may say a German present, the shown reading first: "simple" (a habit, a fact),
    "progressive" (an act going on or arranged: "We are preparing this speech this evening") and
    "will" (after a condition, or later: "If I have time, I will read the book")."""
    if v.state or told.habit or v.time is not None and v.time.german[0] in HABIT_TIMES:
        told.habit = told.habit or not v.state  # "You often drink juice, but Anna drinks milk"
        return ("simple",)
    future = v.time is not None and v.time.german in _FUTURE_TIMES
    if told.condition:  # "If I have time, I read the book" (whenever), "I will read" (this once)
        readings = ("will",) if future or told.later else ("simple", "will")
        told.later = told.later or future
        return readings
    if told.later and v.time is None:  # "We are cooking the soup this evening, and you will eat it"
        return ("will",)
    told.later = told.later or future
    # The simple present is shown for an act now, "will" for one later, where the simple present would
    # read as a habit (so a word-by-word dictionary still learns "liest" -> "reads", not "is")
    readings = ("will", "progressive") if future else ("simple", "progressive")
    return readings + ("will",) if v.question and "will" not in readings else readings


def verb_readings(told: Told, v: VerbGroup) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The English verb group of a present or perfect clause in every right reading, the shown one
    first: (their names, auxiliaries, main verbs); an auxiliary may be "" (none). The German perfect is the
    simple past and the present perfect, unless a past time ("gestern", an "als" clause) fixes it."""
    third = v.person == 2
    base, third_form, past_form, participle = v.english
    with_aux = v.negated or v.question
    if v.tense == "perfect":
        names = ("past",) if told.past_fixed or v.time is not None and v.time.past else ("past", "perfect")
        forms = {"past": ("did", base) if with_aux else ("", past_form),
                 "perfect": ("has" if third else "have", participle)}
    else:
        be, do = BE[v.person], "does" if third else "do"
        forms = {"simple": (do, base) if with_aux else ("", third_form if third else base),
                 "progressive": (be, ing_form(base)), "will": ("will", base)}
        names = present_readings(told, v)
    readings = [forms[name] for name in names]
    return names, tuple(a for a, _ in readings), tuple(m for _, m in readings)
