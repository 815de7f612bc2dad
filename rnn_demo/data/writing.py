"""Writing one phrasebook sentence: the scene so far (who and what was named, which conjunctions are
used), its words in German and English order, and the subordinate clauses that truly link to a clause
(`links.py`), on the right person and read one way only. `phrasebook.py` plans the sentence's shape.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from rnn_demo.data import links, scenes
from rnn_demo.data import phrasebook_words as words
from rnn_demo.data.grammar import Builder, Clause, NounPhrase, Token, realize, word_pair
from rnn_demo.data.meanings import HELP_WHEN_UNWELL, UNWELL

LINKS = ("weil", "obwohl", "wenn", "als")


# --- writing tokens ------------------------------------------------------------------------------------

def punct(builder: Builder, german: str, english: str | None) -> tuple[list[Token], list[Token]]:
    return word(builder, german, "PUNCT", english)


def word(builder: Builder, german: str, tag: str, english: str | None, alternatives: tuple[str, ...] = ()
         ) -> tuple[list[Token], list[Token]]:
    if english is None:
        return [Token(german, (), tag)], []
    de, en = word_pair(builder, german, tag, english, alternatives)
    return [de], en


def join(*parts: tuple[list[Token], list[Token]]) -> tuple[list[Token], list[Token]]:
    german: list[Token] = []
    english: list[Token] = []
    for de, en in parts:
        german += de
        english += en
    return german, english


@dataclass
class Scene:
    """One sentence being written: who and what was named already, which conjunctions are used."""

    builder: Builder
    detail: float = 1  # more for a long sentence: more often when, where and what kind
    named: set[NounPhrase] = field(default_factory=set)  # and the pronouns said
    used: set[str] = field(default_factory=set)
    cook_was_hungry: bool = False  # "kocht, weil er hungrig ist": then no one else eats it
    unmade: NounPhrase | None = None  # what is still being made: nothing is said of how it is
    states: set = field(default_factory=set)  # the states a link has told of
    unwell: set[NounPhrase] = field(default_factory=set)  # who was told ill or tired (as a pronoun)

    @property
    def rng(self) -> random.Random:
        return self.builder.rng

    def say(self, clause: Clause, order: str, **kwargs) -> tuple[list[Token], list[Token]]:
        """Write a clause; whoever was named before comes back as a pronoun ("Anna ... sie")."""
        changes = {}
        for role in ("subject", "dative", "accusative"):
            phrase = getattr(clause, role)
            if phrase is not None and phrase.pronoun is not None:
                self.named.add(phrase)  # "ich", "du": in the scene, though never named otherwise
            if phrase is None or phrase.pronoun is not None or (role == "subject" and order == "zu"):
                continue
            if phrase in self.named:
                changes[role] = scenes.pronoun_of(phrase)
            elif phrase.noun is not None and any(scenes.role(n) == scenes.role(phrase) for n in self.named) \
                    and scenes.is_person(phrase):
                # "die Chefin ... meine Chefin" would read as one person, "der Arzt ... meine Ärztin" two
                # doctors
                changes[role] = scenes.another_name(self.rng, phrase, self.named)
            self.named.add(phrase)
        said = realize(self.builder, replace(clause, **changes) if changes else clause, order, **kwargs)
        told = self.builder.told
        told.past_fixed = told.past_fixed or clause.time is not None and clause.time.past
        return said

    def conjunction(self, german: str, english_alternative: str = "", capital: bool = False
                    ) -> tuple[list[Token], list[Token]]:
        self.used.add(german)
        english = english_alternative or words.SUBORDINATORS[german]
        alternatives = ()
        if german == "wenn":  # "wenn" is "if" and "when(ever)": both are right
            alternatives = ("when",) if english == "if" else ("if",)
        text = german.capitalize() if capital else german
        return word(self.builder, text, "CONJ", english, alternatives)


def add_link(scene: Scene, core: Clause, tense: str) -> tuple[str, Clause, Clause] | None:
    unused = [conjunction for conjunction in LINKS if conjunction not in scene.used]
    return links.any_link(scene.rng, core, tense, unused)


def keep(scene: Scene, link: tuple[str, Clause, Clause]) -> Clause:
    """A link is chosen: a condition makes the English "will", "als" pins the past; the core as it reads."""
    conjunction, sub, core = link
    scene.states.add(sub.adjective)
    if sub.adjective is not None and sub.adjective.german in UNWELL:
        scene.unwell.add(scenes.pronoun_of(sub.subject))
    scene.builder.told.condition = scene.builder.told.condition or conjunction == "wenn"
    # "als", and a past state ("weil sie müde war"), pin the past: "she helped us because we were tired"
    told = scene.builder.told
    told.past_fixed = told.past_fixed or conjunction == "als" or sub.tense == "past"
    if sub.adjective is not None and sub.adjective.german in ("hungrig", "durstig") \
            and sub.subject == core.subject:
        scene.cook_was_hungry = True
    return core


def help_link(scene: Scene, helper: NounPhrase, helped: NounPhrase, task: Clause, tense: str
              ) -> tuple[str, Clause] | None:
    """Why one helps: the helped person is ill or tired ("weil sie krank sind"), for a task that takes
    strength; or what the helper overcomes ("obwohl ich müde bin"). Never a pronoun that could be
    either of them."""
    needs_help = task.verb.full_infinitive in HELP_WHEN_UNWELL and "weil" not in scene.used
    options = [("weil", helped, a) for a in ("krank", "müde") if needs_help]
    options += [("obwohl", helper, "müde")] if "obwohl" not in scene.used else []
    if not options or scenes.same_pronoun(helped, helper):
        return None
    conjunction, who, adjective = scene.rng.choice(options)
    return conjunction, links.state(who, adjective, "past" if tense == "perfect" else "present")


def two_readings(link: tuple[str, Clause, Clause]) -> bool:
    """Would the pronoun of a state told after its clause fit another one of the clause ("meine Tante
    hat sie gegessen, obwohl sie kalt war": the soup, but the reader looks twice)?"""
    _, sub, core = link
    others = [p for p in (core.subject, core.dative, core.accusative) if p is not None and p != sub.subject]
    return scenes.same_pronoun(sub.subject, *others)


def subordinate(scene: Scene, conjunction: str, sub: Clause, core: Clause, capital: bool = False
         ) -> tuple[list[Token], list[Token]]:
    # "if" for a condition ("wenn ich Zeit habe"); "when" for what happens each time a state holds
    when = sub.verb is None and core.tense == "present"
    english = ("when" if when else "if") if conjunction == "wenn" else ""
    return join(scene.conjunction(conjunction, english, capital), scene.say(sub, "sub"))
