"""The words the system uses for states, kinds and priorities (stored as these strings)."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class PatientStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    OPTED_OUT = "opted_out"
    ENDED = "ended"


class CheckinStatus(StrEnum):
    SCHEDULED = "scheduled"
    SENT = "sent"
    ANSWERED = "answered"
    MISSED = "missed"
    SKIPPED = "skipped"


class Direction(StrEnum):
    OUTBOUND = "out"
    INBOUND = "in"


class MessageKind(StrEnum):
    WELCOME = "welcome"
    CHECKIN = "checkin"
    REMINDER = "reminder"
    CLOSING = "closing"
    REPLY = "reply"  # answer to something the patient or a nurse wrote
    SAFETY = "safety"  # emergency advice to the patient
    ALERT = "alert"  # to a nurse
    INBOUND = "inbound"


ROUTINE_KINDS = frozenset(
    {MessageKind.WELCOME, MessageKind.CHECKIN, MessageKind.REMINDER, MessageKind.CLOSING}
)


class OutboxStatus(StrEnum):
    QUEUED = "queued"  # waiting for next_attempt_at
    SENDING = "sending"  # claimed by a drainer until claimed_until
    SENT = "sent"  # accepted by the provider
    FAILED = "failed"  # permanent error, never retried
    CANCELLED = "cancelled"  # the recipient may no longer be messaged (stopped, paused, ended)
    EXPIRED = "expired"  # routine message that could not go out in time
    RECEIVED = "received"  # inbound, stored


class Priority(IntEnum):
    """Lower goes first. Routine traffic alone is subject to the rate cap."""

    EMERGENCY = 0  # emergency advice, emergency alerts
    ALERT = 1  # other nurse alerts
    REPLY = 2  # answers to people who just wrote
    ROUTINE = 5  # welcome, check-in, reminder, closing


class EscalationLevel(StrEnum):
    """Why the care team is being paged; the first three come from triage."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SAME_DAY = "same_day"
    MISSED = "missed"  # a check-in went unanswered
    OPTED_OUT = "opted_out"  # the patient stopped monitoring mid-window
    UNCLEAR = "unclear"  # two unclear replies in a row: a nurse should read them
    DELIVERY_FAILURE = "delivery_failure"  # messages to the patient cannot be delivered


class Language(StrEnum):
    EN = "en"
    ES = "es"
