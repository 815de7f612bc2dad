"""What goes with what in the phrasebook: which verbs fit which frames, places, reasons and
hindrances; which determiners fit which nouns. Read by `scenes.py`, which plans the clauses.

Verbs are named by their full infinitive ("anrufen"), nouns and adjectives by their German form.
"""

# Things one only does on purpose go after modals, "helfen" and "versuchen"; these happen to one
# (and one sees a bag, but does not plan to: "will die Tasche sehen, wenn er Zeit hat")
NOT_ON_PURPOSE = frozenset({"vergessen", "finden", "lieben", "haben", "brauchen", "verstehen", "hören",
                            "lachen", "sehen"})
# Activities that take time: what one can "begin" to do ("beginnt, die Kamera zurückzugeben" cannot)
ACTIVITIES = frozenset({"lesen", "schreiben", "übersetzen", "kochen", "backen", "essen", "malen", "zeichnen",
                        "spielen",
                        "lernen", "singen", "waschen", "reparieren", "aufräumen", "vorbereiten", "arbeiten"})
# What takes effort, so that being tired or ill concedes something: "arbeitet, obwohl sie krank ist"
EFFORTS = frozenset({"arbeiten", "lernen", "aufräumen", "kochen", "backen", "reparieren", "waschen", "tanzen",
                     "besuchen", "helfen", "vorbereiten", "übersetzen", "schreiben"})  # not "wartet, obwohl"
# What one does when one has time: "..., wenn ich Zeit habe"
TIME_TAKING = frozenset({"lesen", "schreiben", "kochen", "backen", "besuchen", "anrufen", "aufräumen",
                         "reparieren", "waschen", "lernen", "spielen", "malen", "zeichnen", "helfen",
                         "einladen",
                         "treffen", "vorbereiten", "tanzen", "singen", "übersetzen"})
# What each frame with a zu-infinitive goes with: "versucht, das Fahrrad zu reparieren"
_TASKS = {"tragen", "reparieren", "übersetzen", "aufräumen", "kochen", "backen", "vorbereiten", "schreiben",
          "malen", "zeichnen", "waschen"}
FRAME_VERBS = {
    "versuchen": _TASKS - {"vorbereiten", "kochen"} | {"erklären", "lernen", "anrufen", "öffnen"},
    "planen": {"besuchen", "kaufen", "kochen", "backen", "einladen", "reparieren", "aufräumen", "treffen",
               "malen", "vorbereiten"},
    "vergessen": {"anrufen", "zumachen", "schließen", "bezahlen", "mitbringen", "zurückgeben", "kaufen",
                  "einladen", "schicken"},
    "hoffen": {"treffen", "besuchen", "sehen"},
    "beginnen": ACTIVITIES - {"arbeiten"},
    "helfen": _TASKS | {"finden", "lernen"},
    "bitten": {"anrufen", "mitbringen", "zurückgeben", "zumachen", "schließen", "öffnen", "aufmachen",
               "bezahlen",
               "helfen", "bringen", "geben", "zeigen", "leihen", "schicken", "aufräumen", "kaufen"},
    "wichtig": {"bezahlen", "anrufen", "lernen", "aufräumen", "besuchen", "helfen"},
    "schwer": {"übersetzen", "verstehen", "lernen", "reparieren", "tragen", "erklären", "backen"},
    "einfach": {"übersetzen", "verstehen", "lernen", "reparieren", "tragen", "erklären", "kochen"},
    "schön": {"besuchen", "treffen", "lesen", "singen", "spielen", "hören", "malen", "zeichnen"},
}
# Things a second person can do again to the same thing, or not: "Anna liest das Buch, aber Paul liest
# es nicht" (a washed shirt is not washed again, a tidied room not tidied again)
SHAREABLE = frozenset({"lesen", "lernen", "singen", "hören", "spielen", "tanzen", "arbeiten", "lachen"})
# Objects too small for a free afternoon or a tired evening: not "übersetzt das Wort, als sie Zeit hatte"
TRIVIAL = frozenset({"Wort", "Satz"})
# States and acts of the mind take no progressive in English: "I have", "I see", not "I am having"
STATIVE = frozenset({"haben", "lieben", "verstehen", "hören", "sehen", "brauchen", "vergessen", "finden",
                     "wissen", "glauben", "hoffen", "sagen"})
# What is being made is not yet fresh, hot, delicious, old or interesting: "kocht eine Suppe", not "eine
# heiße"; "schreibt einen langen Brief", not "ein altes Buch". Only its size is planned.
MADE = frozenset({"kochen", "backen", "vorbereiten", "schreiben", "malen", "zeichnen"})
MADE_ADJECTIVES = frozenset({"groß", "klein", "lang", "kurz"})
# What one does often or every day ("liest jeden Tag"; not "lädt sie jeden Tag ein")
HABITS = frozenset({"lesen", "spielen", "trinken", "essen", "arbeiten", "lernen", "kochen", "backen",
                    "tanzen", "singen", "schlafen", "helfen", "warten", "lachen", "malen", "zeichnen",
                    "schreiben",
                    "besuchen", "anrufen", "waschen", "aufräumen", "kaufen", "bestellen", "hören"})
# Time adverbs of a habit, by their first word: "oft", "manchmal", "immer", "jeden Tag"
HABIT_TIMES = frozenset({"oft", "manchmal", "immer", "jeden"})
# Conditions: "wenn er hungrig ist", "wenn es kaputt ist" (not "wenn es billig ist")
CONDITIONS = frozenset({"hungrig", "durstig", "müde", "glücklich", "kaputt", "schmutzig", "krank"})
# States that are told, not used to pick someone out: "die hungrige Freundin" reads oddly; "ein
# leckeres Ei", "die schmutzige Tasche tragen" add nothing to what is done
ONLY_SAID = frozenset({"hungrig", "durstig", "krank", "müde", "glücklich", "traurig", "lang", "lecker",
                       "schmutzig"})
# One person's job, whoever does it: "der Arzt ... meine Ärztin" would be two doctors in one scene
ROLE = {"Ärztin": "Arzt", "Lehrerin": "Lehrer", "Chefin": "Chef", "Freundin": "Freund"}
# Done at home, by the family (and for them): not "mein Arzt hilft Jonas, seine Küche aufzuräumen"
AT_HOME = frozenset({"aufräumen", "waschen", "kochen", "backen", "vorbereiten"})
# People one has no possessive for: "mein Mädchen"
NOT_OWNED = frozenset({"Mädchen"})
ONE_ONLY = frozenset({"Chef", "Chefin"})  # "ein Chef" is no one's boss
# Food a family shares, so that one may eat of it and another not: not an egg, an apple or a drink
DISHES = frozenset({"Kuchen", "Pizza", "Suppe", "Salat", "Brot", "Fisch", "Käse"})
# What two people may each choose differently: "Anna trinkt Kaffee, aber Paul trinkt Tee"
# ("liest diese Geschichte, aber du liest eine Nachricht" contrasts nothing)
CHOICES = frozenset({"trinken", "essen", "kaufen", "bestellen", "spielen", "singen", "hören"})
# Acts of a moment: "macht am Wochenende das Buch zu" says nothing
MOMENTARY = frozenset({"öffnen", "schließen", "aufmachen", "zumachen", "tragen"})
# What a family or a group owns together: "unser Auto", not "unser Hemd"
SHARED = frozenset({"Auto", "Wohnung", "Küche", "Zimmer", "Hund", "Katze", "Pferd", "Computer", "Klavier",
                    "Tisch", "Radio", "Telefon", "Kamera", "Lampe"})
# Things one owns: "mein Fahrrad", "sein Buch"; not "ihr Wort"
OWNABLE = frozenset({"thing", "animal", "instrument", "tidyable"})
# Verbs whose object comes into being or changes hands: "kauft meine Uhr" would buy what one has
GETTING = frozenset({"kaufen", "bestellen", "backen", "kochen", "schreiben", "malen", "vorbereiten"})
# Where each place can be the scene of what
PLACE_VERBS = {
    "Park": {"lesen", "warten", "treffen", "essen", "singen", "malen", "zeichnen"},
    "Küche": {"kochen", "backen", "essen", "trinken", "vorbereiten", "warten"},  # food made only here
    "Büro": {"arbeiten", "schreiben", "lesen", "übersetzen", "vorbereiten", "warten", "treffen"},
    "Garten": {"lesen", "arbeiten", "essen", "trinken", "schlafen", "malen", "zeichnen"},
    "Bibliothek": {"lesen", "lernen", "arbeiten", "schreiben", "übersetzen"},
    "Café": {"treffen", "warten", "trinken", "essen", "lesen", "schreiben", "bestellen"},
    "Hotel": {"schlafen", "warten", "treffen", "arbeiten"},
    "Zug": {"lesen", "schlafen", "arbeiten", "warten", "essen", "schreiben"},
    "Bahnhof": {"warten", "treffen"},
    "Markt": {"kaufen", "treffen"},
}
RELATIONAL = frozenset({"Bruder", "Schwester", "Mutter", "Vater", "Tante", "Onkel"})
MALE_NAMES = frozenset({"Thomas", "Paul", "Jonas", "Felix"})
POSSESSIVE_OF_PRONOUN = ("mein", "dein", "sein", "ihr", "unser", "ihr_pl")

# Why one does something: a state of the doer ("weil er hungrig ist") or of the thing ("weil es kaputt
# ist"). The same state makes a concession when the thing is not done ("isst ihn nicht, obwohl ...").
DOER_REASONS = {"essen": "hungrig", "kochen": "hungrig", "backen": "hungrig", "trinken": "durstig",
                "schlafen": "müde", "tanzen": "glücklich", "singen": "glücklich", "lachen": "glücklich"}
THING_REASONS = {"reparieren": "kaputt", "waschen": "schmutzig", "kaufen": "billig", "lesen": "interessant",
                 "essen": "lecker", "zeigen": "schön", "besuchen": "krank",
                 "anrufen": "krank", "helfen": "müde"}
# Times still to come: one is hungry or tired now, not "bakes at the weekend because he is hungry"
LATER = frozenset({"morgen", "am Abend", "am Wochenende", "am Montag"})
# How food is now, not later: not "isst am Wochenende die Suppe, obwohl sie kalt ist"
NOW_ONLY = frozenset({"kalt", "heiß", "lecker"})
# Tasks one helps an ill or tired person with ("helps him carry the bag because he is ill"); not
# "helps him find his suitcase because he is ill"
HELP_WHEN_UNWELL = frozenset({"tragen", "aufräumen", "kochen", "backen", "vorbereiten", "waschen",
                              "reparieren"})
# States after which one does not go out to see someone: "we called him when he was ill", then not
# "and he visited us"
UNWELL = frozenset({"krank", "müde"})
# What would keep one from doing it ("arbeitet, obwohl sie krank ist"; "kauft es, obwohl es teuer ist")
DOER_HINDRANCES = ("müde", "krank")
THING_HINDRANCES = {"kaufen": "teuer", "essen": "kalt", "trinken": "kalt", "lesen": "lang",
                    "tragen": "schwer"}
# What is done next with a thing that was got: "kauft einen Kuchen, und wir essen ihn"
USES = {"food": "essen", "drink": "trinken", "readable": "lesen", "instrument": "spielen",
        "singable": "singen"}
# What a person called, visited or invited does in turn: "..., und sie lädt mich ein"
ANSWERS = {"anrufen": ("besuchen", "einladen"), "besuchen": ("einladen", "anrufen"),
           "einladen": ("besuchen",)}
