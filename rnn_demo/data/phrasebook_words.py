"""The words of the built-in phrasebook: German forms, English forms, and what may go with what.

Each table is a block of text with one entry a line, parsed once at import, so that a German reader
can check the forms at a glance. Only words whose inflection the grammar in `phrasebook.py` handles
are here: singular nouns without the weak (-n) declension, verbs with the auxiliary "haben".
"""

from __future__ import annotations

from dataclasses import dataclass

# --- nouns -------------------------------------------------------------------------------------------
# German  gender  English[/English after a possessive]  kinds  [mass]
# (mass nouns may stand without an article: "Ich trinke Kaffee"; "mein Mann" is "my husband")
_NOUNS = """
Mann m man/husband person
Frau f woman/wife person
Kind n child person
Lehrer m teacher person
Lehrerin f teacher person
Arzt m doctor person
Ärztin f doctor person
Freund m friend person
Freundin f friend person
Bruder m brother person
Schwester f sister person
Mutter f mother person
Vater m father person
Tante f aunt person
Onkel m uncle person
Chef m boss person
Chefin f boss person
Mädchen n girl person
Hund m dog animal,washable,drawable,hearable,havable
Katze f cat animal,drawable,havable
Pferd n horse animal,drawable
Vogel m bird animal,drawable,hearable
Buch n book text,openable,closable,returnable,lendable,showable,buyable,writable,givable,long,readable
Brief m letter text,openable,sendable,showable,writable,givable,long,readable
Zeitung f newspaper text,buyable,givable,readable
Satz m sentence text,writable,explainable
Text m text text,learnable,writable,explainable,readable
Geschichte f story text,writable,long,readable
Nachricht f message text,sendable,writable,readable
Artikel m article text,writable,long,readable
Gedicht n poem text,learnable,writable,explainable,readable
Wort n word text,learnable,writable,explainable
Apfel m apple food,sweet
Brot n bread food,bakeable mass
Kuchen m cake food,bakeable,preparable,sweet,dish
Suppe f soup food,cookable,preparable,hot,cold,dish
Käse m cheese food mass
Fisch m fish food,cookable,dish
Salat m salad food,preparable,dish
Banane f banana food,sweet
Ei n egg food
Pizza f pizza food,bakeable,dish
Kaffee m coffee drink,hot,cold,fresh mass
Tee m tea drink,hot,cold mass
Wasser n water drink,cold mass
Milch f milk drink,cold,fresh mass
Saft m juice drink,cold,fresh,sweet mass
Wein m wine drink,cold mass
Schlüssel m key thing,returnable,forgettable,givable
Tasche f bag thing,openable,closable,carryable,forgettable,givable
Tür f door openable,closable,repairable
Fenster n window openable,closable,repairable
Tisch m table thing,repairable,carryable
Stuhl m chair thing,repairable,carryable
Lampe f lamp thing,repairable
Uhr f watch thing,repairable,forgettable
Telefon n phone thing,repairable,forgettable,givable
Computer m computer thing,repairable
Bild n picture thing,paintable,drawable,showable
Geschenk n present thing,sendable,givable
Ticket n ticket thing,forgettable,givable
Fahrrad n bicycle thing,repairable,washable,returnable,lendable,havable
Auto n car thing,repairable,washable,returnable,lendable,havable
Regenschirm m umbrella thing,forgettable,lendable
Hemd n shirt thing,washable
Jacke f jacket thing,washable,forgettable
Koffer m suitcase thing,openable,closable,carryable
Flasche f bottle thing,openable
Kamera f camera thing,returnable,lendable,givable,havable
Rechnung f bill payable
Miete f rent payable
Paket n parcel sendable,carryable,openable
Klavier n piano instrument
Gitarre f guitar instrument
Geige f violin instrument
Spiel n game playable
Lied n song singable
Musik f music sound mass
Radio n radio thing,repairable
Zeit f time havable mass
Museum n museum place
Zoo m zoo place
Schloss n castle place
Kirche f church place
Markt m market place
Stadt f city place
Präsentation f presentation preparable
Rede f speech preparable
Zimmer n room tidyable,showable
Küche f kitchen tidyable
Wohnung f flat tidyable,showable
Garten m garden showable
Weg m way showable
"""


@dataclass(frozen=True)
class Noun:
    german: str
    gender: str  # "m", "f" or "n"
    english: str
    kinds: frozenset[str]
    mass: bool = False
    possessed_english: str = ""  # the English after a possessive, if it differs: "mein Mann" -> "my husband"


def _parse_nouns(block: str) -> tuple[Noun, ...]:
    nouns = []
    for line in block.strip().splitlines():
        german, gender, english, kinds, *rest = line.split()
        english, _, possessed = english.partition("/")
        nouns.append(Noun(german, gender, english, frozenset(kinds.split(",")), rest == ["mass"], possessed))
    return tuple(nouns)


NOUNS = _parse_nouns(_NOUNS)

NAMES = ("Anna", "Thomas", "Maria", "Paul", "Lena", "Jonas", "Sophie", "Felix")

# --- verbs -------------------------------------------------------------------------------------------
# infinitive | present: ich du er wir ihr sie | participle | English: base 3sg past participle | frame
# A separable verb is written "an|rufen": the present forms are then the stem's ("rufe"), and the
# prefix ("an") goes to the end of a main clause. Frames: "acc:KIND" an accusative object of that kind,
# "dat:person" a dative object, "dat+acc:KIND" a recipient and a thing, "-" no object.
_VERBS = """
lesen | lese liest liest lesen lest lesen | gelesen | read reads read read | acc:readable
schreiben | schreibe schreibst schreibt schreiben schreibt schreiben | geschrieben | write writes wrote written | acc:writable
übersetzen | übersetze übersetzt übersetzt übersetzen übersetzt übersetzen | übersetzt | translate translates translated translated | acc:writable
erklären | erkläre erklärst erklärt erklären erklärt erklären | erklärt | explain explains explained explained | acc:explainable
verstehen | verstehe verstehst versteht verstehen versteht verstehen | verstanden | understand understands understood understood | acc:text
kaufen | kaufe kaufst kauft kaufen kauft kaufen | gekauft | buy buys bought bought | acc:food,drink,thing,buyable
essen | esse isst isst essen esst essen | gegessen | eat eats ate eaten | acc:food
trinken | trinke trinkst trinkt trinken trinkt trinken | getrunken | drink drinks drank drunk | acc:drink
kochen | koche kochst kocht kochen kocht kochen | gekocht | cook cooks cooked cooked | acc:cookable
backen | backe backst backt backen backt backen | gebacken | bake bakes baked baked | acc:bakeable
bestellen | bestelle bestellst bestellt bestellen bestellt bestellen | bestellt | order orders ordered ordered | acc:dish,drink
bezahlen | bezahle bezahlst bezahlt bezahlen bezahlt bezahlen | bezahlt | pay pays paid paid | acc:payable
sehen | sehe siehst sieht sehen seht sehen | gesehen | see sees saw seen | acc:person,animal,place,thing
treffen | treffe triffst trifft treffen trefft treffen | getroffen | meet meets met met | acc:person
besuchen | besuche besuchst besucht besuchen besucht besuchen | besucht | visit visits visited visited | acc:person,place
lieben | liebe liebst liebt lieben liebt lieben | geliebt | love loves loved loved | acc:person,animal
finden | finde findest findet finden findet finden | gefunden | find finds found found | acc:thing,animal
brauchen | brauche brauchst braucht brauchen braucht brauchen | gebraucht | need needs needed needed | acc:thing
öffnen | öffne öffnest öffnet öffnen öffnet öffnen | geöffnet | open opens opened opened | acc:openable
schließen | schließe schließt schließt schließen schließt schließen | geschlossen | close closes closed closed | acc:closable
waschen | wasche wäschst wäscht waschen wascht waschen | gewaschen | wash washes washed washed | acc:washable
reparieren | repariere reparierst repariert reparieren repariert reparieren | repariert | repair repairs repaired repaired | acc:repairable
malen | male malst malt malen malt malen | gemalt | paint paints painted painted | acc:paintable
zeichnen | zeichne zeichnest zeichnet zeichnen zeichnet zeichnen | gezeichnet | draw draws drew drawn | acc:drawable
hören | höre hörst hört hören hört hören | gehört | hear hears heard heard | acc:hearable
spielen | spiele spielst spielt spielen spielt spielen | gespielt | play plays played played | acc:instrument,playable
lernen | lerne lernst lernt lernen lernt lernen | gelernt | learn learns learned learned | acc:learnable
singen | singe singst singt singen singt singen | gesungen | sing sings sang sung | acc:singable
tragen | trage trägst trägt tragen tragt tragen | getragen | carry carries carried carried | acc:carryable
vergessen | vergesse vergisst vergisst vergessen vergesst vergessen | vergessen | forget forgets forgot forgotten | acc:forgettable
haben | habe hast hat haben habt haben | gehabt | have has had had | acc:havable
geben | gebe gibst gibt geben gebt geben | gegeben | give gives gave given | dat+acc:food,drink,givable
zeigen | zeige zeigst zeigt zeigen zeigt zeigen | gezeigt | show shows showed shown | dat+acc:showable
schicken | schicke schickst schickt schicken schickt schicken | geschickt | send sends sent sent | dat+acc:sendable
leihen | leihe leihst leiht leihen leiht leihen | geliehen | lend lends lent lent | dat+acc:lendable
bringen | bringe bringst bringt bringen bringt bringen | gebracht | bring brings brought brought | dat+acc:food,drink
helfen | helfe hilfst hilft helfen helft helfen | geholfen | help helps helped helped | dat:person
an|rufen | rufe rufst ruft rufen ruft rufen | angerufen | call calls called called | acc:person
ein|laden | lade lädst lädt laden ladet laden | eingeladen | invite invites invited invited | acc:person
auf|machen | mache machst macht machen macht machen | aufgemacht | open opens opened opened | acc:openable
zu|machen | mache machst macht machen macht machen | zugemacht | close closes closed closed | acc:closable
auf|räumen | räume räumst räumt räumen räumt räumen | aufgeräumt | tidy tidies tidied tidied | acc:tidyable
vor|bereiten | bereite bereitest bereitet bereiten bereitet bereiten | vorbereitet | prepare prepares prepared prepared | acc:preparable
zurück|geben | gebe gibst gibt geben gebt geben | zurückgegeben | return returns returned returned | acc:returnable
mit|bringen | bringe bringst bringt bringen bringt bringen | mitgebracht | bring brings brought brought | acc:food,drink
arbeiten | arbeite arbeitest arbeitet arbeiten arbeitet arbeiten | gearbeitet | work works worked worked | -
schlafen | schlafe schläfst schläft schlafen schlaft schlafen | geschlafen | sleep sleeps slept slept | -
warten | warte wartest wartet warten wartet warten | gewartet | wait waits waited waited | -
lachen | lache lachst lacht lachen lacht lachen | gelacht | laugh laughs laughed laughed | -
tanzen | tanze tanzt tanzt tanzen tanzt tanzen | getanzt | dance dances danced danced | -
"""


@dataclass(frozen=True)
class Verb:
    infinitive: str  # without the separable prefix: "rufen"
    prefix: str  # separable prefix ("an") or ""
    present: tuple[str, ...]  # ich, du, er/sie/es, wir, ihr, sie
    participle: str
    english: tuple[str, str, str, str]  # base, 3rd person singular, past, past participle
    frame: str  # "acc", "dat", "dat+acc" or "-"
    object_kinds: frozenset[str]

    @property
    def full_infinitive(self) -> str:
        return self.prefix + self.infinitive

    @property
    def zu_infinitive(self) -> tuple[str, ...]:
        """"zu lesen", but one word for a separable verb: "anzurufen"."""
        if self.prefix:
            return (self.prefix + "zu" + self.infinitive,)
        return ("zu", self.infinitive)

    def final_present(self, person: int) -> str:
        """The finite verb at the end of a subordinate clause: the prefix stays on ("anrufe")."""
        return self.prefix + self.present[person]


def _parse_verbs(block: str) -> tuple[Verb, ...]:
    verbs = []
    for line in block.strip().splitlines():
        infinitive, present, participle, english, frame = (part.strip() for part in line.split("|")[-5:])
        if line.count("|") == 5:  # separable: "an|rufen | ..."
            prefix, infinitive = line.split("|")[0].strip(), line.split("|")[1].strip()
        else:
            prefix = ""
        frame_name, _, kinds = frame.partition(":")
        verbs.append(Verb(infinitive, prefix, tuple(present.split()), participle,
                          tuple(english.split()), frame_name, frozenset(kinds.split(",")) - {""}))
    return tuple(verbs)


VERBS = _parse_verbs(_VERBS)

# --- modal verbs ---------------------------------------------------------------------------------------
# infinitive | present forms | English | English negated ("" = this modal is never negated here:
# "muss nicht" means "need not", not "must not")
_MODALS = """
können | kann kannst kann können könnt können | can | cannot
müssen | muss musst muss müssen müsst müssen | must |
sollen | soll sollst soll sollen sollt sollen | be supposed to | be not supposed to
dürfen | darf darfst darf dürfen dürft dürfen | be allowed to | be not allowed to
wollen | will willst will wollen wollt wollen | want to |
"""


@dataclass(frozen=True)
class Modal:
    infinitive: str
    present: tuple[str, ...]
    english: tuple[str, ...]  # ("can",) or ("want", "to"): "want" agrees like a verb, "can" does not
    english_negated: tuple[str, ...]  # ("cannot",); () when do-support negates it ("do not want to")

    @property
    def is_verb_in_english(self) -> bool:
        return self.english == ("want", "to")


MODALS = tuple(
    Modal(inf.strip(), tuple(forms.split()), tuple(en.split()), tuple(neg.split()))
    for inf, forms, en, neg in (line.split("|") for line in _MODALS.strip().splitlines())
)

# --- adjectives ----------------------------------------------------------------------------------------
# German  stem-before-endings  English  kinds they describe
_ADJECTIVES = """
alt alt old person,thing,text,place
neu neu new thing,text,place
groß groß big thing,animal,place
klein klein small animal,place
schön schön beautiful thing,place
rot rot red thing
blau blau blue thing
grün grün green thing
schwarz schwarz black thing,animal
weiß weiß white thing,animal
teuer teur expensive thing
billig billig cheap thing
kaputt kaputt broken thing
schwer schwer heavy carryable
schmutzig schmutzig dirty thing
interessant interessant interesting text,place
lang lang long long
kurz kurz short text
kalt kalt cold cold
heiß heiß hot hot
frisch frisch fresh food,fresh
süß süß sweet sweet
lecker lecker delicious food
müde müd tired person
glücklich glücklich happy person
krank krank ill person
hungrig hungrig hungry person
durstig durstig thirsty person
nett nett nice person
traurig traurig sad person
"""


@dataclass(frozen=True)
class Adjective:
    german: str  # predicative form: "Das Buch ist teuer."
    stem: str  # before an ending: "ein teures Buch"
    english: str
    kinds: frozenset[str]


ADJECTIVES = tuple(
    Adjective(german, stem, english, frozenset(kinds.split(",")))
    for german, stem, english, kinds in (line.split() for line in _ADJECTIVES.strip().splitlines())
)

# --- places, times, clause links ----------------------------------------------------------------------
# preposition, noun, gender, English preposition; "in" + "dem" contracts to "im", "an" + "dem" to "am".
PLACES = (
    ("in", "Park", "m", "park", "in"),
    ("in", "Küche", "f", "kitchen", "in"),
    ("in", "Büro", "n", "office", "in"),
    ("in", "Garten", "m", "garden", "in"),
    ("in", "Bibliothek", "f", "library", "in"),
    ("in", "Café", "n", "café", "in"),
    ("in", "Hotel", "n", "hotel", "at"),
    ("in", "Zug", "m", "train", "on"),
    ("an", "Bahnhof", "m", "station", "at"),
    ("auf", "Markt", "m", "market", "at"),
)


@dataclass(frozen=True)
class TimeAdverb:
    german: tuple[str, ...]
    english: tuple[str, ...]
    tenses: frozenset[str]  # "present", "modal", "perfect"
    english_before_verb: bool = False  # "I often read", not "I read often"
    can_front: bool = True  # "Heute lese ich ..."; "Immer lese ich ..." sounds wrong
    past: bool = False  # with the perfect, English takes the simple past: "Yesterday I read the book."


TIME_ADVERBS = (
    TimeAdverb(("heute",), ("today",), frozenset({"modal", "perfect"})),  # "I drink it today" wants "am drinking"
    TimeAdverb(("morgen",), ("tomorrow",), frozenset({"modal"})),
    TimeAdverb(("jetzt",), ("now",), frozenset({"modal"})),
    TimeAdverb(("jeden", "Tag"), ("every", "day"), frozenset({"present"})),
    TimeAdverb(("am", "Abend"), ("in", "the", "evening"), frozenset({"present", "modal"})),
    TimeAdverb(("am", "Wochenende"), ("at", "the", "weekend"), frozenset({"present", "modal"})),
    TimeAdverb(("am", "Montag"), ("on", "Monday"), frozenset({"modal"})),
    TimeAdverb(("oft",), ("often",), frozenset({"present"}), english_before_verb=True),
    TimeAdverb(("manchmal",), ("sometimes",), frozenset({"present"}), english_before_verb=True),
    TimeAdverb(("immer",), ("always",), frozenset({"present"}), english_before_verb=True, can_front=False),
    TimeAdverb(("gestern",), ("yesterday",), frozenset({"perfect"}), past=True),
    TimeAdverb(("letzte", "Woche"), ("last", "week"), frozenset({"perfect"}), past=True),
)

# Verbs that take a "zu" infinitive: German, its present forms, participle, English (base, 3sg, past, pp)
ZU_MATRIX_VERBS = (
    ("versuchen", "versuche versuchst versucht versuchen versucht versuchen", "versucht",
     ("try", "tries", "tried", "tried")),
    ("beginnen", "beginne beginnst beginnt beginnen beginnt beginnen", "begonnen",
     ("begin", "begins", "began", "begun")),
    ("vergessen", "vergesse vergisst vergisst vergessen vergesst vergessen", "vergessen",
     ("forget", "forgets", "forgot", "forgotten")),
    ("hoffen", "hoffe hoffst hofft hoffen hofft hoffen", "gehofft", ("hope", "hopes", "hoped", "hoped")),
    ("planen", "plane planst plant planen plant planen", "geplant", ("plan", "plans", "planned", "planned")),
)

# Verbs that take a "dass" clause
THAT_MATRIX_VERBS = (
    ("glauben", "glaube glaubst glaubt glauben glaubt glauben", "geglaubt",
     ("think", "thinks", "thought", "thought")),
    ("wissen", "weiß weißt weiß wissen wisst wissen", "gewusst", ("know", "knows", "knew", "known")),
    ("sagen", "sage sagst sagt sagen sagt sagen", "gesagt", ("say", "says", "said", "said")),
    ("hoffen", "hoffe hoffst hofft hoffen hofft hoffen", "gehofft", ("hope", "hopes", "hoped", "hoped")),
    ("hören", "höre hörst hört hören hört hören", "gehört", ("hear", "hears", "heard", "heard")),
)

# "Es ist wichtig, ... zu lesen." -> "It is important to read ..."
IT_IS_ADJECTIVES = (("wichtig", "important"), ("schwer", "hard"), ("einfach", "easy"), ("schön", "nice"))

# Subordinating conjunctions: German, English (all send the verb to the end). "wenn" is "if" for a
# condition and "when" for a repeated time: both readings are right, one is shown.
SUBORDINATORS = {"weil": "because", "obwohl": "although", "wenn": "if", "als": "when", "dass": "that",
                 "ob": "whether"}

QUESTION_WORDS = (("wann", "when"), ("warum", "why"), ("wo", "where"))
