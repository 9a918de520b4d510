"""What a nurse alert says: who, how bad, what was reported, and the number to call."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from monitor.domain.states import EscalationLevel

LABELS = {
    EscalationLevel.EMERGENCY: "EMERGENCY",
    EscalationLevel.URGENT: "URGENT",
    EscalationLevel.SAME_DAY: "SAME-DAY REVIEW",
    EscalationLevel.MISSED: "MISSED CHECK-IN",
    EscalationLevel.OPTED_OUT: "OPTED OUT",
    EscalationLevel.UNCLEAR: "UNCLEAR REPLIES",
    EscalationLevel.DELIVERY_FAILURE: "TEXTS FAILING",
}

SIGN_WORDS = {
    "breathing": "trouble breathing",
    "chest_pain": "chest pain",
    "fever": "fever",
    "chills": "chills",
    "weight_gain": "weight gain",
    "swelling": "swelling",
    "dizziness": "dizziness",
    "fainting": "fainted",
    "low_urine": "peeing less",
    "cough": "cough",
    "bone_pain": "bone/joint pain",
    "rash": "rash",
    "swollen_glands": "swollen glands",
    "blue_lips": "blue lips",
    "coughing_blood": "coughing blood",
    "confusion": "confusion",
    "menu_7": "new pain/rash/glands",
}

ALERT_MAX_SEPTETS = 3 * 153  # three concatenated segments

# Never in any SMS, even quoted from the patient: lock screens are public.
DISEASE_WORDS = (
    "leukemia",
    "leukaemia",
    "leucemia",
    "APL",
    "AML",
    "MDS",
    "cancer",
    "differentiation",
    "diferenciacion",
    "syndrome",
    "sindrome",
    "chemotherapy",
    "chemo",
    "quimioterapia",
    "quimio",
)
REDACTED = "[...]"


def redact(text: str, forbidden: Iterable[str]) -> str:
    """Replace every forbidden term (whole words, any case, accents ignored) with "[...]"."""
    pattern = _pattern(frozenset(term for term in forbidden if term.strip()))
    if pattern is None:
        return text
    folded = _fold(text)
    pieces, last = [], 0
    for match in pattern.finditer(folded):
        pieces.append(text[last : match.start()])
        pieces.append(REDACTED)
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


@lru_cache(maxsize=8)
def _pattern(terms: frozenset[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    longest_first = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(re.escape(_fold(term)) for term in longest_first)
    return re.compile(r"(?<![0-9a-z])(?:" + alternatives + r")(?![0-9a-z])")


def _fold(text: str) -> str:
    """Lower case without accents, one character for one (so positions map back to the text)."""
    return "".join(
        (unicodedata.normalize("NFKD", char)[0] if char.isalpha() else char).lower()[:1] or char
        for char in text
    )


def reported(signs: Iterable[str], temperature_c: float | None, weight_kg: float | None) -> str:
    """'reports trouble breathing, fever (38.6 C)': the signs in words, numbers attached."""
    words = []
    for sign in signs:
        text = SIGN_WORDS.get(sign, sign.replace("_", " "))
        if sign == "fever" and temperature_c is not None:
            text += f" ({temperature_c:.1f} C)"
        words.append(text)
    if weight_kg is not None:
        words.append(f"weight {weight_kg:.1f} kg")
    return "reports " + ", ".join(words) if words else "sent a reply"
