"""GSM-7 character set and SMS segment arithmetic.

One character outside GSM-7 (a curly quote, an emoji, an á) switches the whole message to UCS-2,
which cuts a segment from 160 to 70 characters, so outbound text is kept inside GSM-7.
"""

from __future__ import annotations

import math
import unicodedata

BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = "^{}\\[~]|€\f"
_BASIC_SET = frozenset(BASIC)
_EXTENSION_SET = frozenset(EXTENSION)

_REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u00b0": " ",
    "\t": " ",
}

SINGLE_SEGMENT_GSM = 160
MULTI_SEGMENT_GSM = 153
SINGLE_SEGMENT_UCS2 = 70
MULTI_SEGMENT_UCS2 = 67


def is_gsm7(text: str) -> bool:
    return all(char in _BASIC_SET or char in _EXTENSION_SET for char in text)


def gsm7_length(text: str) -> int:
    """Septets used: extension characters take two."""
    return sum(2 if char in _EXTENSION_SET else 1 for char in text)


def segments(text: str) -> int:
    if is_gsm7(text):
        length, single, multi = gsm7_length(text), SINGLE_SEGMENT_GSM, MULTI_SEGMENT_GSM
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, multi = SINGLE_SEGMENT_UCS2, MULTI_SEGMENT_UCS2
    if length <= single:
        return 1
    return math.ceil(length / multi)


def to_gsm7(text: str) -> str:
    """Closest GSM-7 spelling: typographic punctuation made plain, unsupported accents dropped
    ("información" -> "informacion"), anything else replaced by "?"."""
    out: list[str] = []
    for char in text:
        if char in _BASIC_SET or char in _EXTENSION_SET:
            out.append(char)
            continue
        if char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
            continue
        stripped = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if stripped and all(c in _BASIC_SET for c in stripped):
            out.append(stripped)
        else:
            out.append("?")
    return "".join(out)


def truncate_gsm7(text: str, max_septets: int) -> str:
    """Cut `text` so it takes at most `max_septets`, marking a cut with "..."."""
    if gsm7_length(text) <= max_septets:
        return text
    budget = max_septets - 3
    kept: list[str] = []
    used = 0
    for char in text:
        cost = 2 if char in _EXTENSION_SET else 1
        if used + cost > budget:
            break
        kept.append(char)
        used += cost
    return "".join(kept).rstrip() + "..."
