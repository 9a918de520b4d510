"""What to do with an outbound message when its turn comes, and how long to wait after a failure."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from monitor.domain.schedule import QuietHours, after_quiet_hours, is_quiet
from monitor.domain.states import ROUTINE_KINDS, MessageKind, PatientStatus


class Action(StrEnum):
    SEND = "send"
    CANCEL = "cancel"  # the recipient may no longer be messaged this way
    EXPIRE = "expire"  # too late to be useful
    DEFER = "defer"  # wait for quiet hours to end


def action_for(
    kind: MessageKind,
    now: datetime,
    *,
    expires_at: datetime | None,
    patient_status: PatientStatus | None,
    zone: ZoneInfo | None,
    quiet: QuietHours,
) -> tuple[Action, datetime | None]:
    """Decide one message's fate; DEFER comes with the instant to try again.

    Nurse alerts always go, even when they name a patient who opted out (the patient's state
    is about the patient's phone, not the nurse's). Nothing goes to a patient who opted out.
    Routine messages go only to active patients (the closing only to ended ones), never late,
    and never inside quiet hours: welcome and closing wait for the morning; a check-in or
    reminder that cannot go now has lost its point and expires.
    """
    if patient_status is None or kind == MessageKind.ALERT:
        return Action.SEND, None
    if patient_status == PatientStatus.OPTED_OUT:
        return Action.CANCEL, None
    if kind not in ROUTINE_KINDS:
        return Action.SEND, None
    # A closing is queued as monitoring ends: it goes only while the patient is still ended
    # (not after a restart). Everything else routine goes only to active patients.
    allowed = {PatientStatus.ENDED} if kind == MessageKind.CLOSING else {PatientStatus.ACTIVE}
    if patient_status not in allowed:
        return Action.CANCEL, None
    if expires_at is not None and now >= expires_at:
        return Action.EXPIRE, None
    if zone is not None and is_quiet(now, zone, quiet):
        if kind in (MessageKind.WELCOME, MessageKind.CLOSING):
            return Action.DEFER, after_quiet_hours(now, zone, quiet)
        return Action.EXPIRE, None
    return Action.SEND, None


def backoff(attempt: int, jitter: float, base: float = 2.0, cap: float = 300.0) -> timedelta:
    """Exponential backoff for attempt 1, 2, 3...: base * 2^(n-1), capped, times (1 + jitter / 2)
    where 0 <= jitter < 1 is supplied by the caller so the rule stays deterministic."""
    # Alerts retry without limit: bound the exponent so a long outage cannot overflow the float.
    delay = min(cap, base * (2 ** min(max(attempt - 1, 0), 64)))
    return timedelta(seconds=delay * (1 + 0.5 * jitter))


# Twilio's create-time error codes that change the patient's state (never retried).
OPTED_OUT_CODE = 21610
BAD_NUMBER_CODES = {21211: "invalid number (21211)", 21614: "not a mobile number (21614)"}

DELIVERY_RANK = {
    "accepted": 0,
    "scheduled": 0,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "undelivered": 4,
    "failed": 4,
    "canceled": 4,
    "stored": 4,
    "read": 5,
}


def delivery_advances(current: str | None, new: str) -> bool:
    """Provider statuses only move forward; callbacks arrive out of order."""
    if new not in DELIVERY_RANK:
        return False
    if current is None or current not in DELIVERY_RANK:
        return True
    return DELIVERY_RANK[new] > DELIVERY_RANK[current]
