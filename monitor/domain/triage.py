"""Triage: the level a parsed reply calls for, and why (clinical.md section 5). Pure.

Rules where clinical.md leaves room (the corpus header in tests/fixtures/triage_corpus.tsv
states the same decisions with examples):
- Any emergency sign anywhere in a reply wins, however reassuring the rest ("fine except my
  chest hurts"). Fever is never downgraded.
- DS sign groups are breathing, fever/chills, weight/swelling, dizziness/fainting and low urine:
  two or three together are at least urgent, four or more are an emergency.
- Menu 5 alone is dizziness (urgent): only words can say the patient fainted.
- A weight reading raises an alert only against the patient's history: up >= 2 kg on a report
  within the last day, or >= 4.5 kg on one within the last 7 days.
- Symptoms not on the menu (headache, tiredness...) are not signs; they keep a "fine" from
  counting, so "tired but ok" is unclear and a nurse reads it.
- Safety net (safety_net.py): a reply that mentions breathing, the chest, the heart, fainting
  or consciousness, a blue or grey colour, blood with a cough or vomiting, or confusion in
  words no phrase read, and does not say it is fine, is an emergency; the reason says it was
  escalated to be safe. It adds no sign.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from monitor.domain.parsing import FEVER_C, ParsedReply, Sign, parse_reply


class Level(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    SAME_DAY = "same_day"
    ROUTINE = "routine"
    UNCLEAR = "unclear"

    @property
    def rank(self) -> int:
        """Higher is more severe: emergency 4 ... unclear 1 (needs a look), routine 0."""
        return _RANK[self]


_RANK = {Level.EMERGENCY: 4, Level.URGENT: 3, Level.SAME_DAY: 2, Level.UNCLEAR: 1, Level.ROUTINE: 0}


@dataclass(frozen=True)
class WeightReading:
    at: datetime  # aware, UTC
    kg: float


@dataclass(frozen=True)
class Decision:
    level: Level
    signs: tuple[Sign, ...]  # most severe first
    reasons: tuple[str, ...]


SIGN_LEVEL: dict[Sign, Level] = {
    Sign.BREATHING: Level.EMERGENCY,
    Sign.CHEST_PAIN: Level.EMERGENCY,
    Sign.FAINTING: Level.EMERGENCY,
    Sign.BLUE_LIPS: Level.EMERGENCY,
    Sign.COUGHING_BLOOD: Level.EMERGENCY,
    Sign.CONFUSION: Level.EMERGENCY,
    Sign.FEVER: Level.URGENT,
    Sign.CHILLS: Level.URGENT,
    Sign.WEIGHT_GAIN: Level.URGENT,
    Sign.SWELLING: Level.URGENT,
    Sign.DIZZINESS: Level.URGENT,
    Sign.LOW_URINE: Level.URGENT,
    Sign.COUGH: Level.URGENT,
    Sign.BONE_PAIN: Level.SAME_DAY,
    Sign.RASH: Level.SAME_DAY,
    Sign.SWOLLEN_GLANDS: Level.SAME_DAY,
    Sign.NEW_PAIN_OR_RASH: Level.SAME_DAY,
}
SIGN_NAMES: dict[Sign, str] = {
    Sign.BREATHING: "trouble breathing",
    Sign.CHEST_PAIN: "chest pain or pressure",
    Sign.FEVER: "fever",
    Sign.CHILLS: "chills",
    Sign.WEIGHT_GAIN: "weight gain",
    Sign.SWELLING: "new swelling",
    Sign.DIZZINESS: "dizziness or low blood pressure",
    Sign.FAINTING: "fainting",
    Sign.LOW_URINE: "peeing much less",
    Sign.COUGH: "cough",
    Sign.BONE_PAIN: "bone or joint pain",
    Sign.RASH: "rash",
    Sign.SWOLLEN_GLANDS: "swollen glands",
    Sign.BLUE_LIPS: "blue lips or skin",
    Sign.COUGHING_BLOOD: "coughing blood",
    Sign.CONFUSION: "confusion",
    Sign.NEW_PAIN_OR_RASH: "new bone or joint pain, rash or swollen glands",
}
NUMBER_NAMES = {
    Sign.FEVER: "temperature {}",
    Sign.DIZZINESS: "blood pressure {}",
    Sign.BREATHING: "oxygen saturation {}%",
}
# The sign groups clinicians count (PETHEMA), as a patient at home can report them.
DS_GROUPS: dict[Sign, str] = {
    Sign.BREATHING: "breathing",
    Sign.FEVER: "fever/chills",
    Sign.CHILLS: "fever/chills",
    Sign.WEIGHT_GAIN: "weight/swelling",
    Sign.SWELLING: "weight/swelling",
    Sign.DIZZINESS: "dizziness/fainting",
    Sign.FAINTING: "dizziness/fainting",
    Sign.LOW_URINE: "low urine",
}
SEVERE_GROUPS = 4
SEVERAL_GROUPS = 2
WEIGHT_RULES = ((timedelta(days=1), 2.0), (timedelta(days=7), 4.5))  # window, kg gained


def triage(
    parsed: ParsedReply,
    now: datetime | None = None,
    weight_history: Sequence[WeightReading] = (),
) -> Decision:
    """The level for one reply. The weight rule needs `now` (aware UTC) and the patient's
    earlier readings; without them a weight reading alone changes nothing."""
    signs = set(parsed.signs)
    reasons = [_sign_reason(sign, parsed) for sign in _by_severity(signs)]
    gain = _weight_gain(parsed.weight_kg, now, weight_history)
    if gain:
        reasons.append(gain)
        signs.add(Sign.WEIGHT_GAIN)
    if parsed.temperature_c is not None:
        reasons.append(_temperature_reason(parsed.temperature_c))
    net = tuple(concern.reason for concern in parsed.concerns)
    if not signs:
        if net:
            return Decision(Level.EMERGENCY, (), (*reasons, *net))
        if parsed.none_reported:
            return Decision(Level.ROUTINE, (), (*reasons, "no sign reported, answer was 'none'"))
        return Decision(
            Level.UNCLEAR, (), (*reasons, "no sign and no 'none' recognised: ask for the menu")
        )

    level = max((SIGN_LEVEL[sign] for sign in signs), key=lambda each: each.rank)
    groups = sorted({DS_GROUPS[sign] for sign in signs if sign in DS_GROUPS})
    if len(groups) >= SEVERE_GROUPS:
        level = Level.EMERGENCY
        reasons.append(f"{len(groups)} sign groups together ({', '.join(groups)}): emergency")
    elif len(groups) >= SEVERAL_GROUPS:
        level = max(level, Level.URGENT, key=lambda each: each.rank)
        reasons.append(f"{len(groups)} sign groups together ({', '.join(groups)}): at least urgent")
    if net and level is not Level.EMERGENCY:
        level = Level.EMERGENCY
        reasons.extend(net)
    return Decision(level, _by_severity(signs), tuple(reasons))


def triage_text(text: str, language: str | None = None) -> dict[str, object]:
    """What `dswatch triage` prints for one line: the reply of a patient without history."""
    parsed = parse_reply(text, language)
    decision = triage(parsed)
    return {
        "text": text,
        "level": decision.level.value,
        "signs": [sign.value for sign in decision.signs],
        "reasons": list(decision.reasons),
        "language": parsed.language,
    }


def _by_severity(signs: set[Sign]) -> tuple[Sign, ...]:
    order = list(Sign)
    return tuple(sorted(signs, key=lambda sign: (-SIGN_LEVEL[sign].rank, order.index(sign))))


def _sign_reason(sign: Sign, parsed: ParsedReply) -> str:
    said = []
    for item in parsed.evidence:
        if item.sign is not sign:
            continue
        if item.source == "menu":
            said.append(f"menu {item.text}")
        elif item.source == "number":
            said.append(NUMBER_NAMES.get(sign, "{}").format(item.text))
        else:
            said.append(f'"{item.text}"')
    return f"{SIGN_NAMES[sign]} ({'; '.join(said)}): {SIGN_LEVEL[sign].value}"


def _temperature_reason(celsius: float) -> str:
    if celsius >= FEVER_C:
        return f"temperature {celsius:.1f} °C is {FEVER_C:.1f} °C or more: urgent at least"
    return f"temperature {celsius:.1f} °C is under {FEVER_C:.1f} °C"


def _weight_gain(
    kg: float | None, now: datetime | None, history: Sequence[WeightReading]
) -> str | None:
    if kg is None or now is None:
        return None
    for window, limit in WEIGHT_RULES:
        earlier = [each for each in history if timedelta(0) <= now - each.at <= window]
        lowest = min(earlier, key=lambda each: each.kg, default=None)
        if lowest is not None and round(kg - lowest.kg, 1) >= limit:
            hours = (now - lowest.at) / timedelta(hours=1)
            return (
                f"weight {kg:.1f} kg is {kg - lowest.kg:.1f} kg above the {lowest.kg:.1f} kg"
                f" reported {hours:.0f} h earlier (alert at {limit:g} kg within"
                f" {window.days} day{'s' if window.days > 1 else ''}): urgent"
            )
    return None
