"""Does a negation clearly cover the words of a sign? Word-level rules on the normalised words
(see parsing.normal_words); parsing.is_present applies them to each phrase match.

A sign is negated by a negation word before it in the same clause with only filler words
between ("I don't have a fever", "no tengo fiebre"), by a negation inside its own words ("chest
doesn't hurt"), by a list joined by "or"/"ni" under one negation ("no fever, chills or cough"),
or by words after it saying it has gone ("chest pain is gone", "fever: no"). When in doubt the
sign stays. Pure.
"""

from __future__ import annotations

import re

from monitor.domain import lexicon as lx

NEGATORS = lx.collapse_all(lx.NEGATORS)
_NEGATIVE_NONE = frozenset({"nada", "ningun", "ninguno", "ninguna", "nothing", "none", "cero"})
_WITHOUT = frozenset({"without", "sin"})
_NOT_GONE = lx.collapse_all(
    {"no", "not", "wont", "dont", "doesnt", "didnt", "never", "havent", "hasnt", "isnt", "cant"}
)
_CANT = lx.collapse_all(
    {"cant", "canot", "cannot", "couldnt", "barely", "hardly", "unable", "not", "no", "never"}
)
_FILLER = lx.collapse_all(lx.NEGATION_FILLER)
_NO_FILLER_EN = lx.collapse_all(lx.NO_FILLER_EN)
_NO_ANSWER_EN = lx.collapse_all(lx.NO_ANSWER_EN)
_CLAUSE = lx.collapse_all(lx.CLAUSE_WORDS) | lx.CLAUSE_MARKS
_JOINERS = lx.collapse_all(lx.LIST_JOINERS)
_DISJUNCTIONS = lx.collapse_all(lx.DISJUNCTIONS)


def _phrase(source: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{lx.collapse_pattern(source)})(?![a-z0-9])")


_RESOLVED = _phrase(lx.RESOLVED)
_ANSWERED_NO = _phrase(lx.ANSWERED_NO)
_COMPARED = _phrase(lx.COMPARED_AFTER)
_NOT_A_PROBLEM = _phrase(lx.NOT_A_PROBLEM)
_ONLY = frozenset({("nada", "mas"), ("nothing", "but")})  # "nada más el pecho": only the chest


def negated_before(words: list[str], first: int, text: str = "", end: int = -1) -> bool:
    """A negation before words[first] reaches it ('no fever', 'I don't have a fever');
    a "none" word reaching a "none" phrase is not a negation ('nada, todo bien'), nor is
    "never" when the sign is then compared ('never had chest pain like this': `text` is the
    normalised text and `end` where the sign's words end in it)."""
    if words[first] in _NEGATIVE_NONE:
        return False
    between: list[str] = []
    for at in range(first - 1, max(first - 2 - lx.NEGATION_REACH, -1), -1):
        word = words[at]
        if word == "no":
            return _no_negates(between[::-1])
        if word in lx.NEVER and end >= 0 and _COMPARED.match(text, end + 1):
            return False
        if (word, words[at + 1]) in _ONLY:
            return False
        if word in NEGATORS:
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


def negation_inside(words: list[str], first: int, end: int, absent: bool = False) -> bool:
    """'chest doesnt hurt', 'el pecho no me duele'. In a phrase saying a sign is absent,
    "without"/"sin" is part of the phrase ('respiro sin problema')."""
    for at in range(first + 1, end):
        word = words[at]
        if (word not in NEGATORS and word != "no") or (absent and word in _WITHOUT):
            continue
        after = words[at + 1] if at + 1 < len(words) else ""
        amount = {("", word, after), (words[at - 1], word, "")} & lx.AMOUNT_NEGATIONS
        if not amount:
            return True
    return False


def negated_lists(words: list[str], spans: list[tuple[int, int]], direct: list[bool]) -> list[bool]:
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


def resolved_after(text: str, end: int) -> bool:
    """'chest pain is gone', 'fever: no'; not 'this cough won't go away'. `end` is where the
    sign's words end in the normalised text."""
    if _ANSWERED_NO.match(text, end + 1) or _NOT_A_PROBLEM.match(text, end + 1):
        return True
    match = _RESOLVED.match(text, end + 1)
    return match is not None and not (_NOT_GONE & set(match.group().split()))
