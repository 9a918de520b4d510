"""Read a patient's SMS reply: menu numbers, a temperature, a weight and the signs named in
English or Spanish free text, each with the words that produced it. Pure; never raises.

How free text is read: the text is normalised (see lexicon.py), every phrase pattern of both
languages is matched, and each match is kept unless a negation clearly covers it: a negation
word before it in the same clause with only filler words between ("I don't have a fever",
"no tengo fiebre"), a negation inside it ("chest doesn't hurt"), a list joined by "or"/"ni"
under one negation ("no fever, chills or cough"), or a word after it saying it has gone
("chest pain is gone"). Phrases that are a sign through their own negation ("can't breathe",
"no puedo respirar") are never negated. When in doubt the sign stays.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum, StrEnum
from functools import lru_cache

from monitor.domain import lexicon as lx
from monitor.domain import lexicon_en, lexicon_es


class Sign(StrEnum):
    BREATHING = "breathing"
    CHEST_PAIN = "chest_pain"
    FEVER = "fever"
    CHILLS = "chills"
    WEIGHT_GAIN = "weight_gain"
    SWELLING = "swelling"
    DIZZINESS = "dizziness"
    FAINTING = "fainting"
    LOW_URINE = "low_urine"
    COUGH = "cough"
    BONE_PAIN = "bone_pain"
    RASH = "rash"
    SWOLLEN_GLANDS = "swollen_glands"
    BLUE_LIPS = "blue_lips"
    COUGHING_BLOOD = "coughing_blood"
    CONFUSION = "confusion"
    # Menu 7 names three things at once; recording it as one of them would tell a nurse
    # something the patient did not say.
    NEW_PAIN_OR_RASH = "menu_7"


MENU: dict[int, Sign] = {
    1: Sign.BREATHING,
    2: Sign.CHEST_PAIN,
    3: Sign.FEVER,  # "fever or shaking chills"
    4: Sign.WEIGHT_GAIN,  # "fast weight gain or new swelling"
    5: Sign.DIZZINESS,  # "dizzy, light-headed, or fainted": words are needed to tell fainting
    6: Sign.LOW_URINE,
    7: Sign.NEW_PAIN_OR_RASH,
}
FEVER_C = 38.0


@dataclass(frozen=True)
class Evidence:
    sign: Sign
    source: str  # "menu" | "text" | "number"
    text: str  # the words as written (lower case, no accents) or the number


@dataclass(frozen=True)
class ParsedReply:
    text: str
    language: str  # "en" | "es"
    signs: frozenset[Sign]
    evidence: tuple[Evidence, ...]
    menu_numbers: tuple[int, ...]  # 0-7 in the order written, without repeats
    temperature_c: float | None  # the highest plausible reading, 1 decimal
    weight_kg: float | None  # the last plausible reading, 1 decimal
    none_reported: bool  # "0", "none", "nada", "fine"... and no sign, no other complaint


# --- normalisation -----------------------------------------------------------------------------

_LETTER_RUNS = re.compile(r"([a-z])\1+")
_LINE_BREAKS = re.compile(r"[\r\n\v\f\u0085\u2028\u2029]+")
_NOT_TEXT = re.compile(r"[^a-z0-9.,;:!?/&#%°+\-]+")
_DIGIT_LETTER = re.compile(r"(?<=[0-9])(?=[a-z°])|(?<=[a-z°])(?=[0-9])")
_MARK = re.compile(r"[;:!?/&#%°+\-]|(?<![0-9])[.,]|[.,](?![0-9])")
_NO_APOSTROPHES = str.maketrans("", "", lx.APOSTROPHES)
_OXYGEN = re.compile(r"(?<![a-z0-9])(?:sp)?o2(?![0-9])")  # before "o2" splits into "o 2"


def collapse(word: str) -> str:
    """'dizzzy' -> 'dizy', 'swollen' -> 'swolen' (the same for every text and pattern)."""
    return word if word in lx.KEEP_DOUBLE else _LETTER_RUNS.sub(r"\1", word)


def _collapse_all(words: Iterable[str]) -> frozenset[str]:
    return frozenset(collapse(word) for word in words)


def normalise(text: str) -> str:
    """Lower-case ASCII words and marks separated by single spaces (see lexicon.py)."""
    return " ".join(word for word, _ in normal_words(text))


def normal_words(text: str) -> list[tuple[str, str]]:
    """Each normalised word with the word as written (lower case, no accents) that it came
    from; a written word split in two ("nopuedo") shows on the first part only."""
    for symbol, words in lx.SYMBOLS:
        text = text.replace(symbol, words)
    text = unicodedata.normalize("NFKD", text.translate(_NO_APOSTROPHES))
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    text = _LINE_BREAKS.sub(" . ", text)  # a new line ends a clause: "No\nchest pain"
    text = _NOT_TEXT.sub(" ", text)
    text = _OXYGEN.sub(" oxygen ", text)
    text = _DIGIT_LETTER.sub(" ", text)
    text = _MARK.sub(lambda mark: f" {mark.group()} ", text)
    pairs = []
    for written in text.split():
        fixed = _fix_word(collapse(written)).split()
        pairs += [(word, written if not at else "") for at, word in enumerate(fixed)]
    return pairs


_TYPOS = {
    collapse(typo): " ".join(collapse(word) for word in right.split())
    for typo, right in lx.TYPOS.items()
}
_FUZZY_TARGETS = tuple(dict.fromkeys(collapse(word) for word in lx.FUZZY_TARGETS))
_KNOWN = frozenset(_FUZZY_TARGETS) | _collapse_all(lx.NOT_TYPOS)


def _fix_word(word: str) -> str:
    if word in _TYPOS:
        return _TYPOS[word]
    if len(word) < 4 or word in _KNOWN or not word.isalpha():
        return word
    return fuzzy_word(word) or word


@lru_cache(maxsize=4096)
def fuzzy_word(word: str) -> str | None:
    """The key word `word` is one slip away from ('respiar' -> 'respirar'), if any."""
    for target in _FUZZY_TARGETS:
        if abs(len(target) - len(word)) <= 1 and one_slip(word, target):
            return target
    return None


def one_slip(word: str, target: str) -> bool:
    """One letter dropped, added, swapped with its neighbour or mistyped, never the first
    letter, and never a substitution in the first two letters."""
    if len(target) < 5 or word == target or word[0] != target[0]:
        return False
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(diffs) == 1:
            return diffs[0] >= 2
        first, second = diffs[0], diffs[-1]
        return (
            len(diffs) == 2
            and second == first + 1
            and word[first] == target[second]
            and word[second] == target[first]
        )
    short, long = sorted((word, target), key=len)
    pairs = zip(short, long[: len(short)], strict=True)
    at = next((i for i, (a, b) in enumerate(pairs) if a != b), len(short))
    return short[at:] == long[at + 1 :]


# --- phrases -----------------------------------------------------------------------------------

NONE_KEY = "none"
COMPLAINT_KEY = "complaint"


class Kind(Enum):
    PRESENT = "present"  # a negation in scope removes it
    NEGATIVE = "negative"  # a sign through its own negation: always kept
    ABSENT = "absent"  # "breathing fine": counts as a "none" answer unless negated


def _compile(source: str) -> re.Pattern[str]:
    """Word-bounded, with letter runs collapsed like the text (escapes left alone)."""
    out: list[str] = []
    escaping = last_escaped = False
    for char in source:
        if not escaping and not last_escaped and char.isalpha() and out and out[-1] == char:
            continue
        out.append(char)
        last_escaped, escaping = escaping, char == "\\" and not escaping
    return re.compile(rf"(?<![a-z0-9])(?:{''.join(out)})(?![a-z0-9])")


def _tables() -> Iterator[tuple[str, lx.Phrases]]:
    for module in (lexicon_en, lexicon_es):
        for table in (module.EMERGENCY, module.URGENT, module.SAME_DAY):
            yield from table.items()
        yield NONE_KEY, module.NONE
        yield COMPLAINT_KEY, module.COMPLAINT


PATTERNS: tuple[tuple[str, Kind, re.Pattern[str]], ...] = tuple(
    (key, kind, _compile(source))
    for key, phrases in _tables()
    for kind, sources in (
        (Kind.PRESENT, phrases.present),
        (Kind.NEGATIVE, phrases.negative),
        (Kind.ABSENT, phrases.absent),
    )
    for source in sources
)
SIGN_KEYS = frozenset(sign.value for sign in Sign)
# A sign phrase inside a stronger one is not reported on its own ("swollen glands" is not
# swelling, "coughing up blood" is more than a cough).
SUPPRESSED_BY: dict[str, frozenset[str]] = {
    Sign.SWELLING: frozenset({Sign.SWOLLEN_GLANDS, Sign.BONE_PAIN}),
    Sign.COUGH: frozenset({Sign.COUGHING_BLOOD}),
}


@dataclass(frozen=True)
class Mention:
    key: str  # a Sign value, NONE_KEY or COMPLAINT_KEY
    kind: Kind
    start: int
    end: int
    text: str

    def inside(self, other: Mention) -> bool:
        """Within the other's words and shorter."""
        return (
            other.start <= self.start and self.end <= other.end and len(self.text) < len(other.text)
        )

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end


def find_mentions(norm: str) -> list[Mention]:
    """Every phrase match, less those inside a longer match of the same kind of thing."""
    found = list(
        {
            Mention(key, kind, match.start(), match.end(), match.group())
            for key, kind, pattern in PATTERNS
            for match in pattern.finditer(norm)
        }
    )
    return sorted(
        (mention for mention in found if not _shadowed(mention, found)),
        key=lambda mention: (mention.start, mention.end),
    )


def _shadowed(mention: Mention, found: list[Mention]) -> bool:
    """Inside a longer match for the same thing (or the same words read as a stronger kind),
    overlapping a sign that SUPPRESSED_BY names, or a "none"/complaint word that is part of a
    sign phrase ("breathing fine") or of a longer "none"/complaint ("no me duele nada")."""
    for other in found:
        if other.key == mention.key:
            same_words = (other.start, other.end) == (mention.start, mention.end)
            stronger = same_words and _STRENGTH[other.kind] > _STRENGTH[mention.kind]
            if mention.inside(other) or stronger:
                return True
        elif mention.key in SIGN_KEYS:
            if other.key in SUPPRESSED_BY.get(mention.key, ()) and mention.overlaps(other):
                return True
        elif mention.inside(other) or (other.key in SIGN_KEYS and mention.overlaps(other)):
            return True
    return False


_STRENGTH = {Kind.PRESENT: 0, Kind.ABSENT: 1, Kind.NEGATIVE: 2}


# --- negation ----------------------------------------------------------------------------------

_NEGATORS = _collapse_all(lx.NEGATORS)
_NEGATIVE_NONE = frozenset({"nada", "ningun", "ninguno", "ninguna", "nothing", "none", "cero"})
_WITHOUT = frozenset({"without", "sin"})
_NOT_GONE = _collapse_all(
    {"no", "not", "wont", "dont", "doesnt", "didnt", "never", "havent", "hasnt", "isnt", "cant"}
)
_CANT = _collapse_all(
    {"cant", "canot", "cannot", "couldnt", "barely", "hardly", "unable", "not", "no", "never"}
)
_FILLER = _collapse_all(lx.NEGATION_FILLER)
_NO_FILLER_EN = _collapse_all(lx.NO_FILLER_EN)
_NO_ANSWER_EN = _collapse_all(lx.NO_ANSWER_EN)
_CLAUSE = _collapse_all(lx.CLAUSE_WORDS) | lx.CLAUSE_MARKS
_JOINERS = _collapse_all(lx.LIST_JOINERS)
_DISJUNCTIONS = _collapse_all(lx.DISJUNCTIONS)
_RESOLVED = _compile(lx.RESOLVED)
_ANSWERED_NO = _compile(lx.ANSWERED_NO)


class Tokens:
    """The normalised text's words, as written, with their character offsets."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.words = [word for word, _ in pairs]
        self.written = [written for _, written in pairs]
        self.text = " ".join(self.words)
        self.starts: list[int] = []
        at = 0
        for word in self.words:
            self.starts.append(at)
            at += len(word) + 1

    def span(self, mention: Mention) -> tuple[int, int]:
        """Index of the mention's first token and one past its last."""
        first = bisect.bisect_right(self.starts, mention.start) - 1
        return first, bisect.bisect_left(self.starts, mention.end)

    def as_written(self, mention: Mention) -> str:
        first, end = self.span(mention)
        return " ".join(word for word in self.written[first:end] if word)


def is_present(mentions: list[Mention], tokens: Tokens) -> list[bool]:
    """For each mention (sorted by position): does it report the thing as there?"""
    spans = [tokens.span(mention) for mention in mentions]
    direct = [
        (_negated_before(tokens.words, first) and tokens.words[first] not in _NEGATIVE_NONE)
        or (mention.key != NONE_KEY and _negation_inside(tokens.words, first, end))
        for mention, (first, end) in zip(mentions, spans, strict=True)
    ]
    listed = _negated_lists(tokens.words, spans, direct)
    present = []
    for mention, negated_directly, negated_in_list in zip(mentions, direct, listed, strict=True):
        if mention.kind is Kind.NEGATIVE:
            present.append(True)
        elif mention.kind is Kind.ABSENT:
            present.append(negated_directly)  # "not breathing fine"
        else:
            resolved = _resolved_after(tokens.text, mention.end)
            present.append(not (negated_directly or negated_in_list or resolved))
    return present


def _resolved_after(text: str, end: int) -> bool:
    """'chest pain is gone', 'fever: no'; not 'this cough won't go away'."""
    if _ANSWERED_NO.match(text, end + 1):
        return True
    match = _RESOLVED.match(text, end + 1)
    return match is not None and not (_NOT_GONE & set(match.group().split()))


def _negated_before(words: list[str], first: int) -> bool:
    between: list[str] = []
    for at in range(first - 1, max(first - 2 - lx.NEGATION_REACH, -1), -1):
        word = words[at]
        if word == "no":
            return _no_negates(between[::-1])
        if word in _NEGATORS:
            return not (word in _WITHOUT and _follows_cant(words, at))
        if word in _CLAUSE or word == "," or word not in _FILLER:
            return False
        between.append(word)
    return False


def _follows_cant(words: list[str], at: int) -> bool:
    """'can't walk without getting winded', 'no puedo caminar sin ...': two negations."""
    for word in reversed(words[max(at - 6, 0) : at]):
        if word in _CLAUSE or word == ",":
            return False
        if word in _CANT:
            return True
    return False


def _no_negates(between: list[str]) -> bool:
    """English 'no' is a determiner ('no fever'); before a pronoun or verb it is an answer
    ('no I have chest pain'). Spanish 'no' negates the verb after it ('no tengo fiebre')."""
    if all(word in _NO_FILLER_EN for word in between):
        return True
    if between[0] == "he" and len(between) > 1:
        return between[1].endswith(lx.SPANISH_PARTICIPLE_ENDINGS)  # "no he tenido fiebre"
    return between[0] not in _NO_ANSWER_EN


def _negation_inside(words: list[str], first: int, end: int) -> bool:
    """'chest doesnt hurt', 'el pecho no me duele'."""
    return any(word in _NEGATORS or word == "no" for word in words[first + 1 : end])


def _negated_lists(
    words: list[str], spans: list[tuple[int, int]], direct: list[bool]
) -> list[bool]:
    """Mentions in a list joined by 'or'/'ni' share the negation of its first member."""
    negated = [False] * len(spans)
    start = 0
    while start < len(spans):
        stop, disjunctive = start, False
        while stop + 1 < len(spans):
            gap = words[spans[stop][1] : spans[stop + 1][0]]
            if not gap or any(word not in _JOINERS for word in gap):
                break
            disjunctive = disjunctive or any(word in _DISJUNCTIONS for word in gap)
            stop += 1
        if disjunctive and direct[start]:
            for at in range(start, stop + 1):
                negated[at] = True
        start = stop + 1
    return negated


# --- numbers -----------------------------------------------------------------------------------

_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
_TEMPERATURE_WORDS = _collapse_all(lx.TEMPERATURE_WORDS)
_WEIGHT_WORDS = _collapse_all(lx.WEIGHT_WORDS)
_GAIN_WORDS = _collapse_all(lx.GAIN_WORDS)
_OTHER_WORDS = _collapse_all(lx.OTHER_MEASURE_WORDS)
_QUANTITY_BEFORE = _collapse_all(lx.QUANTITY_BEFORE)
_COUNT_AFTER = _collapse_all(lx.COUNT_AFTER)
_NOT_PLURALS = _collapse_all(lx.NOT_PLURALS)
_MENU_FILLER = _collapse_all(lx.MENU_FILLER)
_AGE_BEFORE = frozenset({"is", "am", "im", "hes", "shes", "aged", "turned", "turns", "age"})


@dataclass
class Numbers:
    menu: list[tuple[int, str]]
    temperatures: list[tuple[float, str]]  # Celsius and the number as written
    weights: list[float]  # kg
    low_pressure: str | None = None  # a blood pressure reading under 90 systolic
    low_oxygen: str | None = None  # a pulse-oximeter reading under LOW_OXYGEN %


def read_numbers(words: list[str]) -> Numbers:
    """Menu answers, temperatures, weights and blood pressure, each by its context."""
    found = Numbers([], [], [])
    numbers_only = all(_NUMBER.fullmatch(word) or word in _MENU_FILLER for word in words)
    at = 0
    while at < len(words):
        word = words[at]
        if not word[0].isdigit():
            at += 1
        elif at + 2 < len(words) and words[at + 1] in ("/", ":") and words[at + 2][0].isdigit():
            _read_pair(word, words[at + 1], words[at + 2], numbers_only, found)
            at += 3
        else:
            _read_number(words, at, numbers_only, found)
            at += 1
    return found


def _read_pair(first: str, mark: str, second: str, numbers_only: bool, found: Numbers) -> None:
    """'120/80' is a blood pressure, '1/3' alone two menu answers; '3:30', '7/10' and dates
    ('on 3/4') mean nothing."""
    if mark != "/" or not (first.isdigit() and second.isdigit()):
        return
    top, bottom = int(first), int(second)
    if 60 <= top <= 250 and 30 <= bottom <= 150 and top > bottom:
        if top < 90:
            found.low_pressure = f"{first}/{second}"
    elif numbers_only and len(first) == len(second) == 1 and top <= 7 and bottom <= 7:
        found.menu += [(top, first), (bottom, second)]


def _read_number(words: list[str], at: int, numbers_only: bool, found: Numbers) -> None:
    """One number, read by the unit after it, then the keywords near it, then its shape."""
    word = words[at]
    if not _NUMBER.fullmatch(word):  # "1.2.3"
        found.menu += _menu_digits(word)
        return
    value = float(word.replace(",", "."))
    unit = _unit_after(words, at)
    context = _context(words, at)
    if context == "oxygen":
        if 50 <= value < lx.LOW_OXYGEN:
            found.low_oxygen = word
    elif unit in lx.DEGREE_UNITS or context == "temperature":
        _add_temperature(value, word, unit, found)
    elif unit in lx.KG_UNITS or unit in lx.LB_UNITS:
        if context != "gain":
            _add_weight(value, unit, found)
    elif context == "weight":
        _add_weight(value, None, found)
    elif context is not None or unit in lx.OTHER_UNITS:
        return  # a pulse, a weight change ("gained 5"), a percentage...
    elif not word.isdigit():  # "38.6", or "1,3" as two answers
        if not _add_temperature(value, word, "", found):
            found.menu += _menu_digits(word)
    elif len(word) == 1:
        if not _counts_something(words, at):
            found.menu += _menu_digits(word)
    elif numbers_only and set(word) <= set("1234567") and len(set(word)) >= 2:
        found.menu += _menu_digits(word)  # "13": answers 1 and 3
    elif not _counts_something(words, at) and words[max(at - 1, 0)] not in _AGE_BEFORE:
        _add_temperature(value, word, "", found)  # "38", "101"


def _menu_digits(word: str) -> list[tuple[int, str]]:
    """'7' -> 7, '356' -> 3, 5, 6, '1,3' -> 1, 3; digits 8 and 9 and longer parts are no answer."""
    parts = re.split(r"[.,]", word) if not word.isdigit() else list(word)
    if any(len(part) != 1 for part in parts):
        return []
    return [(int(part), part) for part in parts if part <= "7"]


def _unit_after(words: list[str], at: int) -> str:
    after = words[at + 1 : at + 3]
    if after[:1] == ["°"] and after[1:] and after[1] in lx.DEGREE_UNITS:
        return after[1]  # "38.6 ° c"
    return after[0] if after else ""


def _context(words: list[str], at: int) -> str | None:
    """What the keywords near a number say it measures: the nearest temperature or weight word
    before it ("temp was 102"), another measure before it ("pulse 101"), a temperature word
    just after it ("39 de fiebre"), or a weight change before it ("gained 5")."""
    before: list[str] = []
    for word in reversed(words[max(at - 3, 0) : at]):
        if word in (",", ".", "-", ";", "!", "?") or _NUMBER.fullmatch(word):
            break
        before.append(word)
    for word in before:
        if word in _TEMPERATURE_WORDS:
            return "temperature"
        if word in _WEIGHT_WORDS:
            return "weight"
        if word in lx.OXYGEN_WORDS:
            return "oxygen"
    if _OTHER_WORDS.intersection(before):
        return "other"
    after = words[at + 1 : at + 3]
    if after and after[0] == "de" and _TEMPERATURE_WORDS.intersection(after):
        return "temperature"
    return "gain" if _GAIN_WORDS.intersection(before) else None


def _counts_something(words: list[str], at: int) -> bool:
    """'for 2 days', 'took 2 pills', 'at 3 am', 'my 2 kids': a quantity, not an answer."""
    before = words[at - 1] if at else ""
    after = words[at + 1] if at + 1 < len(words) else ""
    plural = len(after) >= 4 and after.isalpha() and after.endswith("s")
    return (
        before in _QUANTITY_BEFORE
        or after in _COUNT_AFTER
        or (plural and after not in _NOT_PLURALS)
    )


def _add_temperature(value: float, written: str, unit: str, found: Numbers) -> bool:
    fahrenheit = unit in lx.FAHRENHEIT_UNITS or (unit not in lx.CELSIUS_UNITS and value >= 45)
    if fahrenheit and 93 <= value <= 110:
        celsius = round((value - 32) * 5 / 9, 1)
    elif not fahrenheit and 34 <= value <= 43:
        celsius = round(value, 1)
    else:
        return False
    found.temperatures.append((celsius, written))
    return True


def _add_weight(value: float, unit: str | None, found: Numbers) -> None:
    """Unit-less weights of 90 or more are read as pounds (most patients weigh themselves in
    pounds in the US; a kg patient writing '95' is read low, which never raises an alert)."""
    pounds = unit in lx.LB_UNITS or (unit is None and value >= 90)
    if pounds and 66 <= value <= 550:
        found.weights.append(round(value * 0.45359237, 1))
    elif not pounds and 30 <= value <= 250:
        found.weights.append(round(value, 1))


# --- the reply ---------------------------------------------------------------------------------

_SPANISH = _collapse_all(lx.SPANISH_WORDS)
_ENGLISH = _collapse_all(lx.ENGLISH_WORDS)
_BARE_NO = frozenset({"no", "nope", "nah", "na", "n", "nop"})
_BARE_NO_COMPANY = _BARE_NO | {"thanks", "thank", "you", "gracias", "ok", "okay"}


def detect_language(words: list[str]) -> str | None:
    """'es' when Spanish words outnumber English ones, 'en' when any word is known, else None."""
    spanish = sum(word in _SPANISH for word in words)
    english = sum(word in _ENGLISH for word in words)
    if spanish > english:
        return "es"
    return "en" if english else None


def parse_reply(text: str, language: str | None = None) -> ParsedReply:
    """Everything the triage rules need from one reply; `language` ('en'/'es') wins over the
    detected one, which falls back to 'en'. Both languages' phrases are always read."""
    tokens = Tokens(normal_words(text))
    numbers = read_numbers(tokens.words)
    mentions = find_mentions(tokens.text)
    present = is_present(mentions, tokens)
    evidence = _evidence(numbers, mentions, present, tokens)
    signs = frozenset(item.sign for item in evidence)
    menu_numbers = tuple(dict.fromkeys(number for number, _ in numbers.menu))
    return ParsedReply(
        text=text,
        language=language if language in ("en", "es") else detect_language(tokens.words) or "en",
        signs=signs,
        evidence=evidence,
        menu_numbers=menu_numbers,
        temperature_c=max((celsius for celsius, _ in numbers.temperatures), default=None),
        weight_kg=numbers.weights[-1] if numbers.weights else None,
        none_reported=not signs and _says_none(tokens.words, menu_numbers, mentions, present),
    )


def _evidence(
    numbers: Numbers, mentions: list[Mention], present: list[bool], tokens: Tokens
) -> tuple[Evidence, ...]:
    """Menu answers first, then readings and words in the order they were written."""
    menu = [Evidence(MENU[number], "menu", written) for number, written in numbers.menu if number]
    readings = [
        (written, Sign.FEVER) for celsius, written in numbers.temperatures if celsius >= FEVER_C
    ]
    if numbers.low_pressure:
        readings.append((numbers.low_pressure, Sign.DIZZINESS))
    if numbers.low_oxygen:
        readings.append((numbers.low_oxygen, Sign.BREATHING))
    found = [
        (tokens.text.find(written), Evidence(sign, "number", written)) for written, sign in readings
    ]
    found += [
        (mention.start, Evidence(Sign(mention.key), "text", tokens.as_written(mention)))
        for mention, there in zip(mentions, present, strict=True)
        if there and mention.key in SIGN_KEYS
    ]
    found.sort(key=lambda item: item[0])
    return tuple(dict.fromkeys(menu + [item for _, item in found]))


def _says_none(
    words: list[str], menu: tuple[int, ...], mentions: list[Mention], present: list[bool]
) -> bool:
    """For a reply with no sign: a "none" answer, a "0", or a sign or complaint said to be
    absent ("no fever", "no headache"), and no other complaint ("tired but ok")."""
    said_none = 0 in menu or _bare_no(words)
    for mention, there in zip(mentions, present, strict=True):
        if mention.key == NONE_KEY:
            if not there:
                return False  # "not feeling well"
            said_none = True
        elif mention.key == COMPLAINT_KEY and there:
            return False
        else:
            said_none = True
    return said_none


def _bare_no(words: list[str]) -> bool:
    """'No.', 'nope', 'no thanks': the whole reply says no."""
    letters = {word for word in words if word.isalpha()}
    return bool(letters & _BARE_NO) and letters <= _BARE_NO_COMPANY
