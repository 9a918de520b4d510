"""Read a patient's SMS reply: menu numbers, a temperature, a weight and the signs named in
English or Spanish free text, each with the words that produced it. Pure; never raises.

How free text is read: the text is normalised (see lexicon.py), every phrase pattern of both
languages is matched, and each match is kept unless a negation clearly covers it (see
negation.py: "no fever", "chest doesn't hurt", "no fever, chills or cough", "chest pain is
gone"). Phrases that are a sign through their own negation ("can't breathe", "no puedo
respirar") are never negated. When in doubt the sign stays. Numbers are read in numbers.py.

Speed: the webhook parses every inbound SMS, so the few hundred patterns are not each run
over the whole text. Each pattern is tried only where a word starts with one of the
two-character beginnings it can match (worked out once, from the pattern itself, at import).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from enum import Enum, StrEnum
from functools import lru_cache

from monitor.domain import lexicon as lx
from monitor.domain import lexicon_en, lexicon_es, safety_net
from monitor.domain import negation as neg
from monitor.domain.numbers import Numbers, read_numbers

collapse = lx.collapse


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
    # Emergency-domain words no phrase read and nothing said were fine (see safety_net.py).
    concerns: tuple[safety_net.Concern, ...] = ()


# --- normalisation -----------------------------------------------------------------------------

_LINE_BREAKS = re.compile(r"[\r\n\v\f\u0085\u2028\u2029]+")
_NOT_TEXT = re.compile(r"[^a-z0-9.,;:!?/&#%°+\-]+")
_DIGIT_LETTER = re.compile(r"(?<=[0-9])(?=[a-z°])|(?<=[a-z°])(?=[0-9])")
_MARK = re.compile(r"[;:!?/&#%°+\-]|(?<![0-9])[.,]|[.,](?![0-9])")
_NO_APOSTROPHES = str.maketrans("", "", lx.APOSTROPHES)
_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_OXYGEN = re.compile(r"(?<![a-z0-9])(?:sp)?o2(?![0-9])")  # before "o2" splits into "o 2"


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
    text = _HYPHEN.sub(" ", text)  # "chest-pain", "short-of-breath"
    text = _MARK.sub(lambda mark: f" {mark.group()} ", text)
    pairs = []
    for written in text.split():
        pairs += [(word, written if not at else "") for at, word in enumerate(_fixed(written))]
    for at, (word, written) in enumerate(pairs[:-1]):
        participle = pairs[at + 1][0].endswith(lx.SPANISH_PARTICIPLE_ENDINGS)
        if word in lx.H_DROPPED and participle and (at == 0 or pairs[at - 1][0] in _BEFORE_HABER):
            pairs[at] = (lx.H_DROPPED[word], written)  # "no e orinado": "no he orinado"
    return pairs


_BEFORE_HABER = frozenset({"no", "ya", "nunca", "casi", "me", "te", "se", "le", "lo", "la", "nos"})


@lru_cache(maxsize=8192)
def _fixed(written: str) -> tuple[str, ...]:
    return tuple(_fix_word(collapse(written)).split())


_TYPOS = {
    collapse(typo): " ".join(collapse(word) for word in right.split())
    for typo, right in lx.TYPOS.items()
}
_FUZZY_TARGETS = tuple(dict.fromkeys(collapse(word) for word in lx.FUZZY_TARGETS))
_KNOWN = frozenset(_FUZZY_TARGETS) | lx.collapse_all(lx.NOT_TYPOS)


def _fix_word(word: str) -> str:
    if word in _TYPOS:
        return _TYPOS[word]
    if len(word) < 4 or word in _KNOWN or not word.isalpha():
        return word
    if len(word) >= 6 and word.endswith("ao"):
        word = word[:-2] + "ado"  # Caribbean and Andalusian "apretao", "trancao", "hinchao"
    return fuzzy_word(word) or (len(word) >= 7 and split_run(word)) or word


_RUN_KEYS = lx.collapse_all(lx.RUN_TOGETHER_KEYS)
_RUN_WORDS = lx.collapse_all(lx.RUN_TOGETHER_WORDS)


def split_run(word: str) -> str | None:
    """'chestpain' -> 'chest pain', 'nopuedorespirar' -> 'no puedo respirar': the fewest
    pieces from RUN_TOGETHER_WORDS, one of them a key word; None when there is no such split.
    Checked against the English and Spanish word lists: no real word of 7+ letters splits."""
    best: list[list[str] | None] = [[]] + [None] * len(word)  # best[i]: pieces of word[:i]
    for end in range(2, len(word) + 1):
        for start in range(max(end - 12, 0), end - 1):
            piece, before = word[start:end], best[start]
            known = before is not None and piece in _RUN_WORDS
            if known and (best[end] is None or len(before or ()) + 1 < len(best[end] or ())):
                best[end] = [*(before or ()), piece]
    pieces = best[-1]
    if pieces is None or len(pieces) < 2 or not _RUN_KEYS.intersection(pieces):
        return None
    if len(pieces[-1]) <= 2:
        return None  # a real word's ending: "shorten", "tighten", "mitosis"
    return " ".join(pieces)


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


# --- where each pattern can start --------------------------------------------------------------

_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_TEXT_CHARS = _WORD_CHARS | frozenset(" .,;:!?/&#%°+-")  # every character normal text has
_CLASSES = {"w": _WORD_CHARS, "d": frozenset("0123456789"), "s": frozenset(" ")}
_PREFIX = 2
_MOST_STARTS = 3000


class _Starts:
    """The set of _PREFIX-character beginnings of the strings a pattern matches (a shorter
    string when the whole match can be that short), read from the pattern's source. Knows the
    syntax the phrase tables use (literals, classes, groups, alternatives, look-arounds,
    ? * + {m,n}); anything else gives up (None), and the pattern is tried everywhere."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.at = 0

    def alternatives(self) -> set[str]:
        found = self.sequence()
        while self.at < len(self.source) and self.source[self.at] == "|":
            self.at += 1
            found |= self.sequence()
        return found

    def sequence(self) -> set[str]:
        found = {""}
        while self.at < len(self.source) and self.source[self.at] not in "|)":
            found = _joined(found, self.repeated(self.item()))
        return found

    def item(self) -> set[str]:
        char = self.source[self.at]
        self.at += 1
        if char == "(":
            look = re.match(r"\?(?:[=!]|<[=!])", self.source[self.at :])
            if look is None and self.source.startswith("?:", self.at):
                self.at += 2
            elif look is not None:
                self.at += len(look.group())
            found = self.alternatives()
            self.expect(")")
            return {""} if look is not None else found
        if char == "[":
            return set(self.char_class())
        if char == "\\":
            escaped = self.source[self.at]
            self.at += 1
            if escaped in "bBAZ":
                return {""}
            if escaped.isalnum() and escaped not in _CLASSES:
                raise ValueError(f"unknown escape \\{escaped}")  # \W, \S, \1...: give up
            return set(_CLASSES.get(escaped, {escaped}))
        if char == ".":
            return set(_TEXT_CHARS)
        if char in "^$":
            return {""}
        if char in "*+?{":
            raise ValueError(f"nothing to repeat at {self.at}")
        return {char}

    def char_class(self) -> frozenset[str]:
        end = self.source.index("]", self.at + 1)
        body, self.at = self.source[self.at : end], end + 1
        negated = body.startswith("^")
        chars: set[str] = set()
        for first, last in re.findall(r"(\\.|[^\\])(?:-(\\.|[^\\]))?", body[negated:]):
            if first.startswith("\\"):
                if first[1].isalnum() and first[1] not in _CLASSES:
                    raise ValueError(f"unknown escape {first}")
                chars |= _CLASSES.get(first[1], {first[1]})
            else:
                chars |= {chr(code) for code in range(ord(first), ord(last or first) + 1)}
        return _TEXT_CHARS - chars if negated else frozenset(chars) & _TEXT_CHARS

    def repeated(self, found: set[str]) -> set[str]:
        quantifier = re.match(r"(?:([?*+])|\{(\d*)(,?)(\d*)\})[?+]?", self.source[self.at :])
        if quantifier is None:
            return found
        self.at += len(quantifier.group())
        symbol, low, comma, high = quantifier.groups()
        if symbol:
            least, most = {"?": (0, 1), "*": (0, _PREFIX), "+": (1, _PREFIX)}[symbol]
        else:
            least = int(low or 0)
            most = _PREFIX if comma and not high else int(high or low)
        result: set[str] = set()
        power = {""}
        for times in range(min(most, _PREFIX) + 1):
            if times >= min(least, _PREFIX):
                result |= power
            power = _joined(power, found)
        return result

    def expect(self, char: str) -> None:
        if self.source[self.at : self.at + 1] != char:
            raise ValueError(f"expected {char!r} at {self.at}")
        self.at += 1


def _joined(heads: set[str], tails: set[str]) -> set[str]:
    joined = {head for head in heads if len(head) >= _PREFIX}
    joined |= {(head + tail)[:_PREFIX] for head in heads if len(head) < _PREFIX for tail in tails}
    if len(joined) > _MOST_STARTS:
        raise ValueError("too many starts to list")
    return joined


def _starts(source: str) -> frozenset[str] | None:
    reader = _Starts(source)
    try:
        found = reader.alternatives()
    except (ValueError, IndexError):
        return None
    return frozenset(found) if reader.at == len(source) and "" not in found else None


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: find_mentions is hot
class Pattern:
    """One phrase pattern, compiled to match at a word start (find_mentions checks the start)
    and to end at a word end; `starts` are the beginnings of its matches (see _starts)."""

    key: str  # a Sign value, NONE_KEY or COMPLAINT_KEY
    kind: Kind
    regex: re.Pattern[str]
    starts: frozenset[str] | None  # None: too many to list, tried at every word


def _pattern(key: str, kind: Kind, source: str) -> Pattern:
    collapsed = lx.collapse_pattern(source)
    return Pattern(key, kind, re.compile(rf"(?:{collapsed})(?![a-z0-9])"), _starts(collapsed))


def _tables() -> Iterator[tuple[str, lx.Phrases]]:
    for module in (lexicon_en, lexicon_es):
        for table in (module.EMERGENCY, module.URGENT, module.SAME_DAY):
            yield from table.items()
        yield NONE_KEY, module.NONE
        yield COMPLAINT_KEY, module.COMPLAINT


PATTERNS: tuple[Pattern, ...] = tuple(
    _pattern(key, kind, source)
    for key, phrases in _tables()
    for kind, sources in (
        (Kind.PRESENT, phrases.present),
        (Kind.NEGATIVE, phrases.negative),
        (Kind.ABSENT, phrases.absent),
    )
    for source in sources
)


def _index(patterns: tuple[Pattern, ...]) -> tuple[dict[str, tuple[Pattern, ...]], ...]:
    """The patterns to try where the text goes on with two given characters, and where it
    goes on with one character only (its end): each list in PATTERNS order."""
    two: dict[str, list[Pattern]] = {}
    one: dict[str, list[Pattern]] = {}
    for pattern in patterns:
        for start in pattern.starts or ():
            (two if len(start) == 2 else one).setdefault(start, []).append(pattern)
    anywhere = [pattern for pattern in patterns if pattern.starts is None]
    pairs = set(two) | {first + second for first in one for second in _TEXT_CHARS}
    by_two = {
        pair: tuple(two.get(pair, []) + one.get(pair[0], []) + anywhere)
        for pair in pairs
        if pair in two or pair[0] in one
    }
    by_one = {char: tuple(one.get(char, []) + anywhere) for char in _TEXT_CHARS}
    return by_two, by_one


_BY_TWO, _BY_ONE = _index(PATTERNS)
_ANYWHERE = tuple(each for each in PATTERNS if each.starts is None)

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
    found = match_all(norm)
    return sorted(
        (mention for mention in found if not _shadowed(mention, found)),
        key=lambda mention: (mention.start, mention.end),
    )


def match_all(norm: str) -> set[Mention]:
    """Every match of every pattern. Each pattern finds what re.finditer would with a word
    boundary before it: the leftmost match at a word start, then the next after it ends."""
    found: set[Mention] = set()
    ends: dict[Pattern, int] = {}
    for at in range(len(norm)):
        if at and norm[at - 1] in _WORD_CHARS:
            continue
        pair = norm[at : at + 2]
        candidates = (_BY_TWO if len(pair) == 2 else _BY_ONE).get(pair, _ANYWHERE)
        for pattern in candidates:
            if at < ends.get(pattern, 0):
                continue
            match = pattern.regex.match(norm, at)
            if match and match.end() > at:
                ends[pattern] = match.end()
                found.add(Mention(pattern.key, pattern.kind, at, match.end(), match.group()))
    return found


def _shadowed(mention: Mention, found: Collection[Mention]) -> bool:
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


# --- negation: see negation.py -----------------------------------------------------------------


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
        neg.negated_before(tokens.words, first, tokens.text, mention.end)
        or (
            mention.key != NONE_KEY
            and neg.negation_inside(tokens.words, first, end, mention.kind is Kind.ABSENT)
        )
        for mention, (first, end) in zip(mentions, spans, strict=True)
    ]
    listed = neg.negated_lists(tokens.words, spans, direct)
    present = []
    for mention, negated_directly, negated_in_list in zip(mentions, direct, listed, strict=True):
        if mention.kind is Kind.NEGATIVE:
            present.append(True)
        elif mention.kind is Kind.ABSENT:
            present.append(negated_directly)  # "not breathing fine"
        else:
            resolved = neg.resolved_after(tokens.text, mention.end)
            present.append(not (negated_directly or negated_in_list or resolved))
    return present


# --- the reply ---------------------------------------------------------------------------------

_SPANISH = lx.collapse_all(lx.SPANISH_WORDS)
_ENGLISH = lx.collapse_all(lx.ENGLISH_WORDS)
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
    read = [tokens.span(mention) for mention in mentions if mention.key in SIGN_KEYS]
    return ParsedReply(
        text=text,
        language=language if language in ("en", "es") else detect_language(tokens.words) or "en",
        signs=signs,
        evidence=evidence,
        menu_numbers=menu_numbers,
        temperature_c=max((celsius for celsius, _ in numbers.temperatures), default=None),
        weight_kg=numbers.weights[-1] if numbers.weights else None,
        none_reported=not signs and _says_none(tokens.words, menu_numbers, mentions, present),
        concerns=safety_net.scan(tokens.words, tokens.written, read),
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
