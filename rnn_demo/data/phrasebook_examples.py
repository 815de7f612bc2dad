"""Hand-picked phrasebook sentences: the book's own example and one sentence per phenomenon, built
from the same grammar as the generated ones.

    >>> example_sentences()[0][0]
    'seed'
"""

from __future__ import annotations

import random

from rnn_demo.data import phrasebook_words as words
from rnn_demo.data import writing
from rnn_demo.data.grammar import Builder, Clause, NounPhrase, Sentence, realize
from rnn_demo.data.phrasebook import finish
from rnn_demo.data.scenes import NOUN, VERB, ZU_MATRIX

_VERB_BY_INFINITIVE = VERB
_NOUN_BY_GERMAN = NOUN


# --- hand-picked examples ------------------------------------------------------------------------------

def _phrase(noun: str, determiner: str = "def", adjective: str | None = None) -> NounPhrase:
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
        builder = Builder(random.Random(0))
        if mark == "?":
            builder.phenomena.add("question")
        parts = [step(builder) for step in build]
        examples.append((phenomenon, finish(builder, *writing.join(*parts), mark)))

    def clause(planned: Clause, order: str, **kwargs):
        return lambda builder: realize(builder, planned, order, **kwargs)

    def word(german: str, tag: str, english: str | None):
        if tag == "PUNCT":
            return lambda builder: writing.punct(builder, german, english)
        return lambda builder: writing.word(builder, german, tag, english)

    add("seed", "?",
        clause(Clause(DU, verb["helfen"], "modal", _modal("können"), dative=ICH), "question"),
        word(",", "PUNCT", None),
        clause(Clause(DU, verb["übersetzen"], accusative=_phrase("Satz", "this")), "zu",
               bare_infinitive=True))
    add("modal_infinitive", ".",
        clause(Clause(_phrase("Schwester", "mein"), verb["reparieren"], "modal", _modal("können"),
                      accusative=_phrase("Auto", "def", "alt")), "main"))
    add("perfect_participle", ".",
        clause(Clause(_phrase("Lehrer"), verb["schreiben"], "perfect",
                      accusative=_phrase("Brief", "def", "lang"), place=_place("Zug")), "main"))
    add("verb_final_subclause", ".",
        clause(Clause(NounPhrase(name="Anna"), verb["trinken"], accusative=_phrase("Kaffee", "none")),
               "main"),
        word(",", "PUNCT", None), word("weil", "CONJ", "because"),
        clause(Clause(SIE, None, adjective=next(a for a in words.ADJECTIVES if a.german == "müde")), "sub"))
    add("zu_infinitive", ".",
        clause(Clause(ICH, ZU_MATRIX[0]), "main"), word(",", "PUNCT", None),
        clause(Clause(ICH, verb["öffnen"], accusative=_phrase("Fenster")), "zu"))
    add("pronoun_before_verb", ".",
        clause(Clause(ICH, verb["helfen"], "modal", _modal("wollen"), dative=DU, time=_time("heute")),
               "main"))
    add("v2_inversion", ".",
        clause(Clause(WIR, verb["besuchen"], accusative=_phrase("Museum"), time=_time("am Wochenende")),
               "front_time"))
    add("separable_verb", ".",
        clause(Clause(ICH, verb["anrufen"], accusative=_phrase("Freund", "mein"), time=_time("am Abend")),
               "main"))
    add("negation", ".",
        clause(Clause(ER, verb["finden"], "perfect", accusative=_phrase("Schlüssel"), negated=True), "main"))
    add("question", "?",
        clause(Clause(DU, verb["lesen"], "perfect", accusative=_phrase("Buch")), "question"))
    add("many_to_one", ".",
        clause(Clause(_phrase("Mann"), verb["geben"], dative=_phrase("Kind"), accusative=_phrase("Apfel")),
               "main"))
    add("long", ".",
        word("Wenn", "CONJ", "when"),
        clause(Clause(ICH, verb["haben"], accusative=_phrase("Zeit", "none")), "sub"),
        word(",", "PUNCT", ","),
        clause(Clause(ICH, verb["lesen"], accusative=_phrase("Zeitung"), place=_place("Park")),
               "inverted"),
        word(",", "PUNCT", ","), word("aber", "CONJ", "but"),
        clause(Clause(ICH, verb["arbeiten"], "modal", _modal("müssen"), time=_time("heute"),
                      place=_place("Büro")), "front_time"))
    return examples
