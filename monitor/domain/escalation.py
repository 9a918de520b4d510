"""Escalation policy: who is paged, when an alert repeats, when it widens to the next tier.

The timings come from config/protocol.toml; its defaults: emergency re-alerts every 5 min
and adds the next tier after 10 min; urgent every 15 min and next tier after 30 min; everything
else alerts once per tier and widens after 4 h. A tier with nobody on call is passed over; if
nobody at all is on call, every nurse of the team is paged rather than nobody.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from monitor.domain.states import EscalationLevel


@dataclass(frozen=True)
class Cadence:
    realert_every: timedelta | None  # None: alert once per tier
    next_tier_after: timedelta


@dataclass(frozen=True)
class EscalationPolicy:
    emergency: Cadence
    urgent: Cadence
    other: Cadence

    def cadence(self, level: EscalationLevel) -> Cadence:
        if level == EscalationLevel.EMERGENCY:
            return self.emergency
        if level == EscalationLevel.URGENT:
            return self.urgent
        return self.other


SEVERITY = {
    EscalationLevel.EMERGENCY: 3,
    EscalationLevel.URGENT: 2,
    EscalationLevel.SAME_DAY: 1,
}
TRIAGE_LEVELS = frozenset(SEVERITY)


@dataclass(frozen=True)
class Nurse:
    id: int
    tier: int
    on_call_start: time | None = None
    on_call_end: time | None = None

    def on_call(self, local: time) -> bool:
        start, end = self.on_call_start, self.on_call_end
        if start is None or end is None or start == end:
            return True
        if start < end:
            return start <= local < end
        return local >= start or local < end


def tiers_on_call(nurses: Iterable[Nurse], local: time) -> list[int]:
    return sorted({nurse.tier for nurse in nurses if nurse.on_call(local)})


def first_tier(nurses: Sequence[Nurse], local: time) -> int | None:
    """The lowest tier with someone on call; None when the team has no nurse at all."""
    if not nurses:
        return None
    on_call = tiers_on_call(nurses, local)
    return on_call[0] if on_call else min(nurse.tier for nurse in nurses)


def next_tier(nurses: Sequence[Nurse], current: int, local: time) -> int | None:
    """The next tier above `current` with someone on call (or, failing that, any higher tier)."""
    higher_on_call = [tier for tier in tiers_on_call(nurses, local) if tier > current]
    if higher_on_call:
        return higher_on_call[0]
    higher = sorted({nurse.tier for nurse in nurses if nurse.tier > current})
    return higher[0] if higher else None


def recipients(nurses: Sequence[Nurse], up_to_tier: int, local: time) -> list[Nurse]:
    """Nurses on call at tiers up to `up_to_tier`; everyone up to it if none is on call."""
    eligible = [nurse for nurse in nurses if nurse.tier <= up_to_tier]
    on_call = [nurse for nurse in eligible if nurse.on_call(local)]
    return sorted(on_call or eligible, key=lambda nurse: (nurse.tier, nurse.id))


@dataclass(frozen=True)
class Round:
    """One alert round: which tier it reaches and when the next steps fall due."""

    tier: int
    next_alert_at: datetime | None
    next_tier_at: datetime | None


def plan_round(
    nurses: Sequence[Nurse],
    level: EscalationLevel,
    policy: EscalationPolicy,
    now: datetime,
    local: time,
    tier: int,
    widened: bool,
    next_tier_at: datetime | None,
) -> Round:
    """After alerting `tier` at `now`: when to repeat, and when to add the next tier.

    The widening clock restarts whenever a tier is added; it stops when no higher tier exists.
    """
    cadence = policy.cadence(level)
    has_higher = next_tier(nurses, tier, local) is not None
    if widened or next_tier_at is None:
        next_tier_at = now + cadence.next_tier_after if has_higher else None
    repeat = now + cadence.realert_every if cadence.realert_every else None
    return Round(tier=tier, next_alert_at=repeat, next_tier_at=next_tier_at)


def more_severe(new: EscalationLevel, old: EscalationLevel) -> bool:
    return SEVERITY.get(new, 0) > SEVERITY.get(old, 0)
