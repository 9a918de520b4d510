"""Word tables shared by both languages: how text is normalised and which words steer numbers,
negation and language detection. The sign phrases live in lexicon_en.py and lexicon_es.py.

Every pattern and word here is matched against *normalised* text (see parsing.normalise):
lower-case ASCII, accents and apostrophes removed ("can't" -> "cant", "sí" -> "si"), letters
written twice or more collapsed to one ("dizzzy" -> "dizy", "swollen" -> "swolen"),
punctuation and digits split off as their own tokens ("72kg" -> "72 kg", "1y3" -> "1 y 3"),
one space between tokens. Patterns and word sets are collapsed the same way when loaded, so
they are written with normal spelling (FUZZY_TARGETS and NOT_TYPOS are kept collapsed because
NOT_TYPOS is generated: real words from English and Spanish word lists one slip away from a
target, found offline with parsing.fuzzy_word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# --- pattern fragments -------------------------------------------------------------------------

# Words that end a negation's reach (clauses are also ended by . ; ! ? : and, for a single
# negation, a comma): "no fever but chest pain", "no fever and short of breath".
CLAUSE_WORDS = frozenset(
    {
        "but", "though", "although", "except", "however", "just", "only", "still", "and",
        "plus", "also", "then", "because", "yet", "otherwise", "pero", "aunque",
        "excepto", "salvo", "sino", "solo", "nomas", "sigo", "sigue", "y", "e",
        "tambien", "luego", "porque", "todavia", "aun", "&",
    }
)  # fmt: skip
_NOT_CLAUSE = "|".join(sorted(w for w in CLAUSE_WORDS if w.isalpha()))
# One word or number and its space: never punctuation, never a clause word ("chest fine but
# leg hurts" is not chest pain).
WORD = rf"(?!(?:{_NOT_CLAUSE}) )(?:[a-z]+|[0-9]+(?:[.,][0-9]+)?) "
GAP1 = rf"(?:{WORD})?"  # at most one word between two parts of a phrase
GAP2 = rf"(?:{WORD}){{0,2}}?"
GAP3 = rf"(?:{WORD}){{0,3}}?"
GAP4 = rf"(?:{WORD}){{0,4}}?"


@dataclass(frozen=True)
class Phrases:
    """The regular expressions for one sign (or for "none" / "complaint") in one language."""

    present: tuple[str, ...] = ()  # name it; a negation that clearly covers it removes it
    negative: tuple[str, ...] = ()  # name it through their own negation ("cant breathe"): kept
    absent: tuple[str, ...] = ()  # say it is absent or normal ("breathing fine", "weight same")


# --- normalisation -----------------------------------------------------------------------------

# Emoji and symbols that carry meaning, replaced before accents are stripped.
SYMBOLS: tuple[tuple[str, str], ...] = (
    ("😵‍💫", " dizzy "),
    ("😵", " dizzy "),
    ("🤒", " fever "),
    ("🥶", " chills "),
    ("🤢", " nauseous "),
    ("🤮", " vomiting "),
    ("👍", " ok "),
    ("👌", " ok "),
    ("✅", " ok "),
    ("🆗", " ok "),
    ("👎", " bad "),
    ("🫁", " lungs "),  # the safety net reads these (safety_net.py)
    ("🫀", " heart "),
    ("🩸", " blood "),
    ("º", "°"),  # the ordinal sign people type for degrees ("38º"); NFKD would make it "o"
    ("℃", "°c"),
    ("℉", "°f"),
)

APOSTROPHES = "'’‘`´ʼ"

# Words whose double letter carries meaning and must survive collapsing.
# "fell" is not "feel" ("I feel wiped out" is no fall); patterns write it "fel{2}".
KEEP_DOUBLE = frozenset({"toss", "tossing", "tossed", "fell"})  # "toss" is not Spanish "tos"
_LETTER_RUNS = re.compile(r"([a-z])\1+")


def collapse(word: str) -> str:
    """'dizzzy' -> 'dizy', 'swollen' -> 'swolen' (the same for every text and pattern)."""
    return word if word in KEEP_DOUBLE else _LETTER_RUNS.sub(r"\1", word)


def collapse_all(words: Iterable[str]) -> frozenset[str]:
    return frozenset(collapse(word) for word in words)


def collapse_pattern(source: str) -> str:
    """A regular expression with letter runs collapsed like the text (escapes left alone)."""
    out: list[str] = []
    escaping = last_escaped = False
    for char in source:
        if not escaping and not last_escaped and char.isalpha() and out and out[-1] == char:
            continue
        out.append(char)
        last_escaped, escaping = escaping, char == "\\" and not escaping
    return "".join(out)


# Misspellings, run-together words and abbreviations too short or too far for the fuzzy match.
TYPOS: dict[str, str] = {
    "cheat": "chest",
    "chets": "chest",
    "chst": "chest",
    "ches": "chest",
    "pian": "pain",
    "pani": "pain",
    "paine": "pain",
    "dizi": "dizy",
    "dizie": "dizy",
    "disy": "dizy",
    "dizines": "diziness",
    "lite": "light",
    "brethe": "breathe",
    "cnt": "cant",
    "cnat": "cant",
    "caint": "cant",
    "dnt": "dont",
    "dosent": "doesnt",
    "dosnt": "doesnt",
    "doesent": "doesnt",
    "didint": "didnt",
    "havnt": "havent",
    "hav": "have",
    "u": "you",
    "cof": "cough",
    "cofing": "coughing",
    "caugh": "cough",
    "caughing": "coughing",
    "fevah": "fever",
    "blud": "blood",
    "bloud": "blood",
    "fver": "fever",
    "nopuedo": "no puedo",
    "nopuede": "no puede",
    "nome": "no me",
    "notengo": "no tengo",
    "pexo": "pecho",
    "pecjo": "pecho",
    "toz": "tos",
    "fievre": "fiebre",
    "fiebe": "fiebre",
    "fiebr": "fiebre",
    "q": "que",
    "xq": "porque",
    "pq": "porque",
    "tb": "tambien",
}

# Words written together ("chestpain", "nopuedorespirar", "mefaltaelaire") are split into these
# when every piece is one of them and one piece is in RUN_TOGETHER_KEYS (see parsing).
RUN_TOGETHER_KEYS = frozenset(
    {"chest", "pain", "pains", "hurts", "hurt", "tight", "breath", "breathe", "breathing",
     "short", "shortness", "cant", "passed", "blacked", "fainted", "dizzy", "fever", "swollen",
     "lips", "blue", "blood", "coughing", "cough", "pecho", "dolor", "duele", "falta", "aire",
     "respirar", "respiro", "puedo", "puede", "desmaye", "desmayo", "ahogo", "ahogando",
     "fiebre", "mareado", "mareada", "mareo", "tos", "sangre", "labios", "morados",
     "hinchados", "hinchadas", "orino", "escalofrios", "calentura"}
)  # fmt: skip
RUN_TOGETHER_WORDS = RUN_TOGETHER_KEYS | frozenset(
    {"my", "of", "out", "no", "not", "can", "in", "the", "im", "is", "and", "so", "very",
     "feel", "me", "le", "se", "el", "de", "del", "en", "con", "mi", "un", "una", "muy"}
)  # fmt: skip

# Key words a one-letter slip should still reach ("respiar" -> "respirar", "fevr" -> "fever").
# Written collapsed. parsing.fuzzy_word() only maps a word that keeps the first letter, is one
# edit away and is not a real word listed in NOT_TYPOS.
FUZZY_TARGETS: tuple[str, ...] = (
    # English
    "breath", "breathe", "breathing", "breathin", "breathles", "shortnes", "struggling", "gasping",
    "wheezing", "chest", "presure", "tightnes", "fever", "feverish", "chils", "shivering",
    "diziness", "lightheaded", "swolen", "sweling", "fainted", "fainting", "pased", "pasing",
    "blacked", "colapsed", "unconscious", "confused", "confusion", "disoriented", "coughing",
    "urine", "urinating", "peing", "bones", "joints", "glands", "blod", "bleding", "weight",
    "gained", "pounds", "ankles", "hurts", "aching",
    # Spanish
    "respirar", "respiro", "respiracion", "ahogo", "ahogando", "dificultad", "pecho",
    "duele", "dolor", "opresion", "presion", "apretado", "desmaye", "desmayo", "desmayado",
    "desmayada", "conocimiento", "mareado", "mareada", "mareos", "fiebre", "calentura",
    "escalofrios", "hinchado", "hinchada", "hinchados", "hinchadas", "hinchazon", "piernas",
    "tobilos", "orino", "orina", "labios", "morados", "moradas", "sangre", "confundido",
    "confundida", "desorientado", "desorientada", "ganglios", "inflamados", "sarpulido",
    "ronchas", "huesos", "articulaciones", "puedo", "puede", "zapatos", "kilos", "libras",
)  # fmt: skip

# --- negation scope ----------------------------------------------------------------------------

# A negation covers the first sign after it in the same clause, across at most NEGATION_REACH
# words, and only when every word in between is one of NEGATION_FILLER ("I don't think I have a
# fever", "no tengo nada de fiebre"); any other word (a verb like "aguanto" in "no aguanto el
# dolor de pecho", "sure" in "not sure if it is a fever") leaves the sign standing. Amounts are
# not filler: "not much chest pain", "not too short of breath", "no tengo mucha fiebre" report
# some of the sign.
NEGATION_REACH = 4
NEGATORS = frozenset(
    {
        "not", "dont", "doesnt", "didnt", "havent", "hasnt", "hadnt", "isnt", "arent", "wasnt",
        "werent", "wont", "never", "denies", "deny", "denied", "without", "nor", "neither",
        "nothing", "sin", "ni", "nunca", "tampoco", "niega", "nego", "ningun", "ninguna",
        "ninguno", "nada", "quito", "quitaron", "desaparecio",
    }
)  # fmt: skip
# English "no" is a determiner ("no fever", "no more chest pain"); followed by a pronoun or a
# verb it is an answer of its own ("no I have chest pain"), so it reaches over fewer words.
NO_FILLER_EN = frozenset(
    {"more", "longer", "real", "new", "signs", "sign", "of", "major", "serious", "obvious",
     "bad", "any", "further", "significant", "sudden", "big", "actual"}
)  # fmt: skip
NEGATION_FILLER = NO_FILLER_EN | frozenset(
    {
        # English
        "i", "a", "an", "the", "my", "his", "her", "their", "have", "has", "had", "having",
        "got", "get", "getting", "feel", "feeling", "felt", "feels", "think", "been", "be",
        "is", "am", "are", "was", "were", "really", "that", "it", "he",
        "she", "they", "we", "such", "seem", "seems", "look", "looks", "appear", "appears",
        "notice", "noticed", "experience", "experiencing", "complain", "complaining",
        "complained", "about", "report", "reporting", "reported", "show", "showing", "to",
        "do", "does", "did", "anymore", "at", "all", "today", "currently", "now", "legs", "leg",
        "feet", "foot", "ankles", "ankle", "face", "hands", "arms", "belly",
        # Spanish
        "tengo", "tiene", "tienes", "tenemos", "tienen", "tuve", "tuvo", "tenido", "ha",
        "han", "hemos", "hay", "habido", "siento", "siente", "sentido", "senti",
        "sintio", "noto", "nota", "notado", "presento", "presenta", "estoy", "esta", "estamos",
        "me", "le", "te", "se", "nos", "les", "lo", "la", "el", "los", "las", "un", "una",
        "unos", "unas", "nada", "de", "del", "ya", "mas", "otra", "vez", "dado", "dio", "da",
        "hoy", "ahora", "ni",
        "piernas", "pierna", "pies", "pie", "tobillos", "cara", "manos", "brazos", "panza",
        "barriga", "cuerpo", "ojos", "estan", "estaba", "estuvo",
    }
)  # fmt: skip
# Words after "no" that make it an answer, not a negation, in English.
NO_ANSWER_EN = frozenset(
    {"i", "im", "ive", "id", "he", "hes", "she", "shes", "they", "theyre", "we", "were",
     "it", "its", "my", "his", "her", "have", "has", "had", "am", "is", "are", "was", "feel",
     "felt", "think", "but", "just", "only"}
)  # fmt: skip
SPANISH_PARTICIPLE_ENDINGS = ("ado", "ido", "to", "cho")  # "no he tenido" is Spanish "no"
# "Never" before a sign is not absence when the sign is then compared: "never had chest pain
# like this", "nunca había tenido un dolor de pecho así" (and, when in doubt, "... before").
NEVER = frozenset({"never", "nunca", "jamas"})
# Negation words that measure an amount inside a sign's own words ("peeing not much", "orino
# casi nada", "not able to finish a sentence"): (word before or "", negation, word after or "").
AMOUNT_NEGATIONS = frozenset(
    {("", "not", "much"), ("", "not", "very"), ("", "not", "enough"), ("", "not", "able"),
     ("casi", "nada", ""), ("", "nada", "de"), ("", "not", "many")}
)  # fmt: skip
COMPARED_AFTER = (
    r"(?:[a-z]+ ){0,3}?(?:like (?:this|that|it is now|now|today)|this (?:bad|strong|much|severe)"
    r"|so (?:bad|strong|much)|as bad|before|until now|til now|till now|in my life|asi|como (?:este"
    r"|esta|ahora|hoy)|tan (?:fuerte|feo|mal)|antes|hasta ahora|en mi vida)"
)
# Spanish written without the silent "h": "no e orinado", "ya a tomado" ("he", "ha" before a
# participle). Read as if the "h" were there.
H_DROPPED = {"e": "he", "a": "ha", "emos": "hemos", "an": "han", "as": "has"}

CLAUSE_MARKS = frozenset({".", ";", "!", "?", ":", "-"})
# Between signs in a list: a negation covers the whole list when it is joined by "or"/"ni"
# ("no fever, chills or cough"), only the first sign when joined by commas alone.
LIST_JOINERS = frozenset({",", "or", "nor", "ni", "o", "/", "any"})
DISJUNCTIONS = frozenset({"or", "nor", "ni", "o", "/"})
# After a sign: it has gone ("chest pain is gone", "fever broke", "la fiebre se me quito").
RESOLVED = (
    rf"(?:, |){GAP3}(?:(?:but|pero|and|y) |)(?:(?:it|its|it is|it has|they|they are|theyre"
    r"|they have|now|ya) |)"
    r"(?:(?:(?:is|are|has|have|had|was|now|all|completely|totally|finally|already|pretty much) )*"
    r"(?:gone(?! (?:bad|worse|up|down|blue|gray|grey|pale))|went away|gone away|go away|resolved"
    r"|cleared(?: up)?|broke|broken|free|stopped|disappeared|went down|gone down)"
    r"|(?:is|are|its) (?:all )?over"
    r"|(?:ya )?se (?:me |le |)(?:quito|fue|paso|calmo|acabo)|(?:ya )?desaparecio)"
)

# After a sign: it is no problem ("breathing is not a problem", "fever not an issue today").
NOT_A_PROBLEM = (
    r"(?:is |are |was |has been |have been |)(?:not|no|isnt|aint|wasnt|arent|never) (?:a |an |)"
    r"(?:problem|issue|concern|worry|bother|trouble)s?(?! (?:with|when|if|for))"
    r"|(?:no es|no ha sido|no fue) (?:un |ningun |)problema"
)

# After a sign in a checklist: "chest pain: no", "fever - none", "trouble breathing? no".
ANSWERED_NO = (
    r"(?:[:?=\-] |)(?:no|none|nope|negative|neg|nada|ninguno|ninguna|nothing|denied|denies)"
    r"(?= [,.;!?]| and | y |$)"
)

# --- numbers -----------------------------------------------------------------------------------

TEMPERATURE_WORDS = frozenset(
    {"temp", "temperature", "temperatura", "t", "tmp", "fever", "fiebre", "calentura",
     "thermometer", "termometro", "temps"}
)  # fmt: skip
WEIGHT_WORDS = frozenset(
    {"wt", "weight", "weigh", "weighs", "weighed", "weighing", "peso", "pese", "pesa",
     "pesaba", "scale", "bascula"}
)  # fmt: skip
GAIN_WORDS = frozenset(
    {"gained", "gain", "gaining", "up", "put", "lost", "lose", "losing", "down", "+", "more",
     "increase", "increased", "subi", "sube", "subio", "baje", "bajo", "gane", "gano",
     "aumente", "aumento", "engorde", "engordo", "perdi", "perdio"}
)  # fmt: skip
OTHER_MEASURE_WORDS = frozenset(
    {"pulse", "hr", "heart", "rate", "bpm", "sugar", "glucose", "azucar", "glucosa", "bp",
     "pressure", "presion", "tension", "pulso", "age", "aged", "edad", "room", "cuarto",
     "cycle", "ciclo", "dose", "dosis", "day", "dia", "week", "semana", "level", "grade",
     "scale", "page", "phone", "appointment", "cita", "mg", "ml"}
)  # fmt: skip
# Pulse-oximeter readings ("o2 88%", "sat 90"): under LOW_OXYGEN is trouble breathing.
OXYGEN_WORDS = frozenset(
    {"oxygen", "oxigeno", "sat", "sats", "saturation", "saturacion", "oximeter", "oximetro",
     "ox", "spo", "oxigenacion", "saturando", "satura", "saturo", "saturating",
     "pulsioximetro", "saturacio", "oxygenation"}
)  # fmt: skip
LOW_OXYGEN = 92
# Numbers written in words ("a hundred and two", "treinta y ocho y medio"), read as a
# temperature when they make one (see numbers.spelled_out).
NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "cero": 0, "uno": 1, "un": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
    "trece": 13, "catorce": 14, "quince": 15, "veinte": 20, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
}  # fmt: skip
HUNDRED_WORDS = frozenset({"hundred", "cien", "ciento"})
# A reply made only of these (and MENU_FILLER) is menu answers: "one", "two and three", "dos".
MENU_WORDS: dict[str, str] = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
    "seis": "6", "siete": "7",
}  # fmt: skip
# A menu digit answered "no" in a checklist ("1 no 2 no 3 yes") is not an answer.
CHECKLIST_NO = frozenset({"no", "nope", "n", "negative", "neg", "nada", "x"})
NUMBER_JOINERS = frozenset({"and", "y", "a"})  # "a hundred and two", "treinta y ocho"
POINT_WORDS = frozenset({"point", "punto", "coma", "dot"})
HALF_WORDS = frozenset({"medio", "media", "half"})  # "38 y medio", "a hundred and a half"
CELSIUS_UNITS = frozenset({"c", "celsius", "centigrados", "centigrado", "grados"})
FAHRENHEIT_UNITS = frozenset({"f", "fahrenheit", "farenheit", "fahrenheight"})
DEGREE_UNITS = CELSIUS_UNITS | FAHRENHEIT_UNITS | {"°", "degrees", "degre", "deg"}
KG_UNITS = frozenset({"kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramos"})
LB_UNITS = frozenset({"lb", "lbs", "pound", "pounds", "libra", "libras"})
OTHER_UNITS = frozenset({"%", "mg", "ml", "mcg", "bpm", "mmhg", "mm", "cm", "units", "cc"})
# A digit that counts something is not a menu answer: "for 2 days", "took 2 pills", "at 3 am".
QUANTITY_BEFORE = frozenset(
    {
        "for", "x", "since", "at", "about", "around", "after", "before", "took", "take",
        "taking", "ate", "last", "past", "every", "each", "in", "within", "than", "like", "of",
        "my", "his", "her", "our", "their", "to", "day", "week", "cycle", "dose", "round",
        "room", "page", "level", "grade", "maybe", "almost", "nearly", "over", "under",
        "until", "til", "till", "hace", "por", "desde", "durante", "cada", "las", "los", "a",
        "tome", "tomo", "mi", "mis", "su", "sus", "dia", "ciclo", "semana", "hasta", "unos",
        "como", "by", "an", "the", "un", "una",
    }
    | GAIN_WORDS
)  # fmt: skip
COUNT_AFTER = frozenset(
    {
        "day", "days", "d", "hour", "hours", "hr", "hrs", "h", "minute", "minutes", "min",
        "mins", "second", "seconds", "secs", "week", "weeks", "wk", "wks", "month", "months",
        "year", "years", "yr", "yrs", "time", "times", "x", "am", "pm", "oclock", "st", "nd",
        "rd", "th", "more", "of", "to", "mas", "dias", "dia", "horas", "hora", "minutos",
        "semanas", "meses", "mes", "anos", "veces", "vez", "de", "pills", "pill", "tablets",
        "tabs", "pastillas", "pastilla", "hijos", "kids", "people", "personas", "a", "out",
        "question", "pregunta", "thing", "cosa", "tylenol", "advil", "aspirin", "ibuprofen",
        "motrin", "paracetamol", "acetaminophen", "capsule", "tablet",
    }
    | KG_UNITS
    | LB_UNITS
    | OTHER_UNITS
)  # fmt: skip
# Plural-looking words after a digit that are not counted things ("6 less", "3 chills").
NOT_PLURALS = frozenset(
    {"less", "yes", "this", "chills", "plus", "thanks", "gracias", "always", "nothing", "ninos"}
)
# Words a numbers-only reply may carry ("1 and 3", "option 2", "13 thanks").
MENU_FILLER = frozenset(
    {"and", "y", "e", "&", "or", "o", "option", "options", "opcion", "opciones", "number",
     "numbers", "numero", "numeros", "num", "no", "#", "plus", "today", "hoy", "thanks",
     "thank", "you", "gracias", "ok", "okay", "answer", "respuesta", "reply", "is", "es",
     "son", "are", "my", "mi", "-", ",", ".", "!", "?", "/", ";", ":"}
)  # fmt: skip

# --- language ----------------------------------------------------------------------------------

SPANISH_WORDS = frozenset(
    {
        "el", "la", "los", "las", "de", "del", "que", "y", "en", "con", "sin", "pero", "mi",
        "mis", "me", "tengo", "tiene", "estoy", "esta", "muy", "bien", "nada", "dolor",
        "fiebre", "pecho", "todo", "hoy", "ayer", "mas", "poco", "se", "le", "su", "ya",
        "por", "para", "gracias", "hola", "buenos", "buenas", "dias", "noches", "tardes",
        "puedo", "puede", "respirar", "duele", "siento", "mareado", "mareada", "mareo",
        "esposo", "esposa", "mama", "papa", "hijo", "hija", "tos", "un", "una", "es", "como",
        "cuando", "desde", "anoche", "manana", "estamos", "nuevo", "sintomas", "ninguno",
        "ninguna", "aire", "falta", "cabeza", "tambien", "porque", "orino", "hinchados",
        "hinchadas", "peso", "escalofrios", "estan", "quien", "abuela", "abuelo", "cansada",
        "cansado", "mucho", "mucha", "tuvo", "esos", "eso", "solo", "sigo", "pies", "piernas",
        "al", "lo", "nos", "cuesta", "ahogo", "desmaye", "desmayo", "labios", "sangre",
        "temperatura", "ganglios", "huesos", "sarpulido", "ronchas", "igual", "llamame",
        "lamame", "favor", "mejor", "tranquilo", "cero", "pipi", "orina",
    }
)  # fmt: skip
ENGLISH_WORDS = frozenset(
    {
        "the", "i", "im", "my", "and", "is", "but", "to", "of", "in", "have", "has", "fine",
        "good", "pain", "chest", "fever", "today", "with", "not", "it", "he", "she", "hes",
        "shes", "feel", "feeling", "cant", "breathe", "breath", "short", "dizy", "swolen",
        "legs", "ankles", "husband", "wife", "mom", "dad", "son", "daughter", "since", "last",
        "night", "morning", "yesterday", "a", "an", "at", "this", "that", "for", "just", "all",
        "no", "none", "nothing", "thanks", "thank", "you", "hurts", "chils", "cough",
        "coughing", "peing", "weight", "gained", "passed", "out", "fainted", "confused",
        "lips", "blue", "blood", "rash", "bone", "bones", "joint", "glands", "temp", "was",
        "are", "am", "be", "been", "got", "so", "very", "really", "up", "too", "what",
        "who", "when", "call", "me", "please", "hi", "hello", "tired", "headache", "great",
    }
)  # fmt: skip

# Real words one slip away from a FUZZY_TARGETS word, which must be left alone. Generated from
# Debian's wamerican and wspanish word lists (each word normalised; kept when fuzzy_word finds a
# target for it): regenerate after changing FUZZY_TARGETS.
NOT_TYPOS: frozenset[str] = frozenset(
    {
        "acing", "acting", "ahogado", "ahoro", "angles", "ankle", "anklet", "anklets", "aporetado",
        "apretada", "apretador", "arching", "backed", "beding", "blacken", "blacker", "blanked",
        "blending", "bleping", "blesing", "blocked", "bloding", "bodes", "boles", "bonds", "bone",
        "boned", "boner", "boners", "bonet", "bonets", "boney", "bongs", "bons", "bonus", "bores",
        "boses", "botes", "boxes", "bozes", "breach", "breaching", "breadth", "breathed",
        "breather", "breathes", "breaths", "breathy", "cheat", "ches", "chesa", "chese", "cheso",
        "chests", "chesy", "chil", "chila", "child", "chile", "chiles", "chili", "chilis", "chilo",
        "chily", "chins", "chips", "chis", "chist", "chits", "colapse", "colapses", "concusion",
        "confesed", "confesion", "confuse", "confuser", "confuses", "confusions", "confuted",
        "contused", "contusion", "couching", "dele", "deslayo", "desmanada", "desmanado", "desmano",
        "desorientador", "dificultar", "divines", "dizies", "dolar", "doler", "dolo", "dolop",
        "dolora", "dolzor", "donor", "dotor", "duel", "duela", "dueled", "duelo", "duels",
        "escalofrio", "fainter", "feder", "feler", "ferer", "feter", "fevers", "fewer", "gaines",
        "ganglio", "ganglion", "ganglions", "gaping", "gashing", "gasing", "gined", "glads",
        "gland", "glande", "grasping", "huebos", "hueso", "huesosa", "huesoso", "hunts", "hurls",
        "hurst", "hurt", "hurtas", "hurto", "huts", "inflamador", "joins", "joint", "joists",
        "kidos", "kilns", "kilo", "kils", "kilts", "labio", "libra", "librar", "liras", "marcos",
        "mareador", "marejada", "mareo", "mareosa", "mareoso", "mares", "morada", "morado",
        "morador", "odrina", "orcina", "orila", "orilo", "orin", "orinal", "orinar", "orion",
        "oriya", "ormino", "paced", "pacing", "paded", "pading", "paged", "paging", "paled",
        "paling", "paned", "paning", "pared", "paring", "parsed", "parsing", "pase", "pasel",
        "paseo", "paser", "pases", "pasted", "pasting", "pated", "pating", "paused", "pausing",
        "paved", "paving", "pawed", "pawing", "payed", "paying", "pecha", "peche", "pecio", "pedo",
        "peging", "peina", "peine", "peking", "peling", "pening", "peping", "pering", "peting",
        "peving", "phased", "phasing", "pieing", "pierna", "ping", "ponds", "pound", "prension",
        "preston", "presume", "presura", "presured", "presures", "prision", "puado", "puero",
        "respigar", "respigo", "respiration", "respire", "roncha", "ronchar", "salpulido", "sanger",
        "seling", "shimering", "shortens", "solen", "stragling", "swelings", "sweping", "swiling",
        "tightens", "tobilo", "weigh", "weighs", "weights", "weighty", "wheling", "wheting",
        "whizing", "wight", "zapato",
    }
)  # fmt: skip
