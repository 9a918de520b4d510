"""Numbers in a reply, each read by its context: menu answers ("1 3", "13"), temperatures in
°C or °F ("38,6", "temp 101.2"), weights in kg or lb, a low blood pressure ("85/50") and a low
pulse-oximeter reading ("sats 88"). Works on the normalised words (see parsing.normal_words).
Pure; never raises."""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.domain import lexicon as lx

_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
_TEMPERATURE_WORDS = lx.collapse_all(lx.TEMPERATURE_WORDS)
_WEIGHT_WORDS = lx.collapse_all(lx.WEIGHT_WORDS)
_GAIN_WORDS = lx.collapse_all(lx.GAIN_WORDS)
_OTHER_WORDS = lx.collapse_all(lx.OTHER_MEASURE_WORDS)
_QUANTITY_BEFORE = lx.collapse_all(lx.QUANTITY_BEFORE)
_COUNT_AFTER = lx.collapse_all(lx.COUNT_AFTER)
_NOT_PLURALS = lx.collapse_all(lx.NOT_PLURALS)
_MENU_FILLER = lx.collapse_all(lx.MENU_FILLER)
_AGE_BEFORE = frozenset({"is", "am", "im", "hes", "shes", "aged", "turned", "turns", "age"})
_MENU_WORDS = {lx.collapse(word): digit for word, digit in lx.MENU_WORDS.items()}
_CHECKLIST_NO = lx.collapse_all(lx.CHECKLIST_NO)
_DEGREE_UNITS = lx.collapse_all(lx.DEGREE_UNITS)  # "degrees" is "degres" in normal text
_CELSIUS_UNITS = lx.collapse_all(lx.CELSIUS_UNITS)
_FAHRENHEIT_UNITS = lx.collapse_all(lx.FAHRENHEIT_UNITS)
_KG_UNITS = lx.collapse_all(lx.KG_UNITS)
_LB_UNITS = lx.collapse_all(lx.LB_UNITS)
_OTHER_UNITS = lx.collapse_all(lx.OTHER_UNITS)
_OXYGEN_WORDS = lx.collapse_all(lx.OXYGEN_WORDS)


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
    if any(word in _MENU_WORDS for word in words) and all(
        word in _MENU_WORDS or word in _MENU_FILLER for word in words
    ):
        words = [_MENU_WORDS.get(word, word) for word in words]  # "one", "dos y tres"
    numbers_only = all(_NUMBER.fullmatch(word) or word in _MENU_FILLER for word in words)
    words = spelled_out(words)
    at = 0
    while at < len(words):
        word = words[at]
        if not word[0].isdigit():
            at += 1
        elif at + 2 < len(words) and words[at + 1] in ("/", ":") and words[at + 2][0].isdigit():
            _read_pair(word, words[at + 1], words[at + 2], numbers_only, found)
            at += 3
        elif at + 2 < len(words) and words[at + 1] in _OVER and _pressure(word, words[at + 2]):
            _read_pair(word, "/", words[at + 2], numbers_only, found)  # "88 over 50"
            at += 3
        else:
            _read_number(words, at, numbers_only, found)
            at += 1
    return found


_OVER = frozenset({"over", "sobre"})


def _pressure(first: str, second: str) -> bool:
    """Could first/second be a blood pressure (systolic over diastolic)?"""
    if not (first.isdigit() and second.isdigit()):
        return False
    top, bottom = int(first), int(second)
    return 60 <= top <= 250 and 30 <= bottom <= 150 and top > bottom


_NUMBER_WORDS = {lx.collapse(word): value for word, value in lx.NUMBER_WORDS.items()}
_HUNDREDS = lx.collapse_all(lx.HUNDRED_WORDS)


def spelled_out(words: list[str]) -> list[str]:
    """Numbers in words that make a temperature ('one hundred and two', 'treinta y ocho y
    medio', '38 point 5') become digits; every other number word is left alone, so 'one
    question' is never menu answer 1."""
    out: list[str] = []
    at = 0
    while at < len(words):
        value, used = _spelled_value(words, at)
        if used and (34 <= value <= 43 or 93 <= value <= 110):
            out.append(f"{value:g}")
            at += used
        else:
            out.append(words[at])
            at += 1
    return out


def _spelled_value(words: list[str], at: int) -> tuple[float, int]:
    """The number written from words[at] on and how many words it took (0: none)."""
    whole, decimals, half, end = 0, "", False, at
    counted = False  # a number word or digits read so far
    while end < len(words):
        word = words[end]
        after = words[end + 1] if end + 1 < len(words) else ""
        if word in _NUMBER_WORDS and not decimals:
            whole, counted = (whole + _NUMBER_WORDS[word]), True
        elif word.isdigit() and not counted and len(word) <= 3:
            whole, counted = int(word), True
        elif word in _HUNDREDS and not decimals:
            whole, counted = (whole or 1) * 100, True
        elif word in lx.POINT_WORDS and counted and (after in _NUMBER_WORDS or after.isdigit()):
            decimals = str(_NUMBER_WORDS.get(after, after))
            end += 1
        elif word in lx.NUMBER_JOINERS and (after in _NUMBER_WORDS or after in _HUNDREDS):
            pass  # "a hundred", "hundred and two", "treinta y ocho"
        elif word in lx.NUMBER_JOINERS and counted and after in ("a", *lx.HALF_WORDS):
            pass  # "and a half", "y medio"
        elif word in lx.HALF_WORDS and counted:
            half = True
        else:
            break
        end += 1
    if not counted or (end - at == 1 and words[at].isdigit()):
        return 0.0, 0  # plain digits are read as they are
    value = float(f"{whole}.{decimals}") if decimals else float(whole)
    return value + 0.5 * half, end - at


def _read_pair(first: str, mark: str, second: str, numbers_only: bool, found: Numbers) -> None:
    """'120/80' is a blood pressure, '1/3' alone two menu answers; '3:30', '7/10' and dates
    ('on 3/4') mean nothing."""
    if mark != "/" or not (first.isdigit() and second.isdigit()):
        return
    top, bottom = int(first), int(second)
    if _pressure(first, second):
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
    if context == "oxygen" and value < 50:
        context = None  # not a saturation ("sat down, temp 38.5")
    if context == "oxygen":
        if value < lx.LOW_OXYGEN:
            found.low_oxygen = word
    elif unit in _DEGREE_UNITS or context == "temperature":
        _add_temperature(value, word, unit, found)
    elif unit in _KG_UNITS or unit in _LB_UNITS:
        if context != "gain":
            _add_weight(value, unit, found)
    elif context == "weight":
        _add_weight(value, None, found)
    elif context is not None or unit in _OTHER_UNITS:
        return  # a pulse, a weight change ("gained 5"), a percentage...
    elif not word.isdigit():  # "38.6", or "1,3" as two answers
        if not _add_temperature(value, word, "", found):
            found.menu += _menu_digits(word)
    elif len(word) == 1:
        if not (_counts_something(words, at) or _answered_no(words, at)):
            found.menu += _menu_digits(word)
    elif numbers_only and set(word) <= set("1234567") and len(set(word)) >= 2:
        found.menu += _menu_digits(word)  # "13": answers 1 and 3
    elif not _counts_something(words, at) and words[max(at - 1, 0)] not in _AGE_BEFORE:
        _add_temperature(value, word, "", found)  # "38", "101"


def _answered_no(words: list[str], at: int) -> bool:
    """'1 no 2 no 3 yes', '1: no.': a checklist item answered no; not '1 no fever'."""
    after = [word for word in words[at + 1 : at + 4] if word not in (":", "-", "=")]
    return bool(after) and after[0] in _CHECKLIST_NO and (len(after) == 1 or not after[1].isalpha())


def _menu_digits(word: str) -> list[tuple[int, str]]:
    """'7' -> 7, '356' -> 3, 5, 6, '1,3' -> 1, 3; digits 8 and 9 and longer parts are no answer."""
    parts = re.split(r"[.,]", word) if not word.isdigit() else list(word)
    if any(len(part) != 1 for part in parts):
        return []
    return [(int(part), part) for part in parts if part <= "7"]


def _unit_after(words: list[str], at: int) -> str:
    after = words[at + 1 : at + 3]
    if after[:1] == ["°"] and after[1:] and after[1] in _DEGREE_UNITS:
        return after[1]  # "38.6 ° c"
    return after[0] if after else ""


def _context(words: list[str], at: int) -> str | None:
    """What the keywords near a number say it measures: the nearest temperature or weight word
    before it ("temp was 102"), another measure before it ("pulse 101"), a temperature word
    just after it ("39 de fiebre"), or a weight change before it ("gained 5")."""
    before: list[str] = []
    for word in reversed(words[max(at - 5, 0) : at]):
        if word in (",", ".", "-", ";", "!", "?") or _NUMBER.fullmatch(word):
            break
        before.append(word)
    for distance, word in enumerate(before):  # the nearest keyword wins
        if distance < 3 and word in _TEMPERATURE_WORDS:
            return "temperature"
        if distance < 3 and word in _WEIGHT_WORDS:
            return "weight"
        if word in _OXYGEN_WORDS:  # "sats went down to 89": up to five words back
            return "oxygen"
    before = before[:3]
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
    fahrenheit = unit in _FAHRENHEIT_UNITS or (unit not in _CELSIUS_UNITS and value >= 45)
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
    pounds = unit in _LB_UNITS or (unit is None and value >= 90)
    if pounds and 66 <= value <= 550:
        found.weights.append(round(value * 0.45359237, 1))
    elif not pounds and 30 <= value <= 250:
        found.weights.append(round(value, 1))
