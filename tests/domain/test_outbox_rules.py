"""Outbox rules: a message's fate when its turn comes, retry backoff, delivery status order."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from monitor.domain.outbox_rules import Action, action_for, backoff, delivery_advances
from monitor.domain.schedule import QuietHours
from monitor.domain.states import MessageKind, PatientStatus

NEW_YORK = ZoneInfo("America/New_York")
QUIET = QuietHours(time(21, 0), time(8, 0))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


DAY = utc("2026-03-10T15:00")  # 11:00 EDT
NIGHT = utc("2026-03-11T03:00")  # 23:00 EDT on 03-10
MORNING = utc("2026-03-11T12:00")  # 08:00 EDT on 03-11, when quiet hours end
SPRING_NIGHT = utc("2026-03-08T04:00")  # 23:00 EST on 03-07; clocks go forward at 02:00
SPRING_MORNING = utc("2026-03-08T12:00")  # 08:00 EDT on 03-08
EARLY = utc("2026-03-10T11:59")  # 07:59 EDT
EIGHT = utc("2026-03-10T12:00")  # 08:00 EDT

K = MessageKind
P = PatientStatus


@pytest.mark.parametrize(
    ("kind", "status", "now", "expires_at", "expected"),
    [
        # Nurse alerts have no patient: always sent, day or night, whatever the expiry.
        (K.ALERT, None, DAY, None, (Action.SEND, None)),
        (K.ALERT, None, NIGHT, None, (Action.SEND, None)),
        (K.ALERT, None, NIGHT, utc("2026-03-10T00:00"), (Action.SEND, None)),
        (K.ALERT, P.OPTED_OUT, NIGHT, None, (Action.SEND, None)),
        # Nothing goes to a patient who opted out.
        (K.SAFETY, P.OPTED_OUT, DAY, None, (Action.CANCEL, None)),
        (K.REPLY, P.OPTED_OUT, DAY, None, (Action.CANCEL, None)),
        (K.CHECKIN, P.OPTED_OUT, DAY, None, (Action.CANCEL, None)),
        (K.CLOSING, P.OPTED_OUT, DAY, None, (Action.CANCEL, None)),
        # Non-routine messages to a patient ignore quiet hours and status.
        (K.SAFETY, P.ACTIVE, NIGHT, None, (Action.SEND, None)),
        (K.REPLY, P.ACTIVE, NIGHT, None, (Action.SEND, None)),
        (K.SAFETY, P.PAUSED, NIGHT, None, (Action.SEND, None)),
        (K.SAFETY, P.ENDED, DAY, None, (Action.SEND, None)),
        # Routine messages go only to active patients; the closing only to ended ones (a
        # closing still queued when the patient was restarted must not go).
        (K.WELCOME, P.ACTIVE, DAY, None, (Action.SEND, None)),
        (K.CHECKIN, P.ACTIVE, DAY, None, (Action.SEND, None)),
        (K.REMINDER, P.ACTIVE, DAY, None, (Action.SEND, None)),
        (K.CLOSING, P.ACTIVE, DAY, None, (Action.CANCEL, None)),
        (K.CLOSING, P.ENDED, DAY, None, (Action.SEND, None)),
        (K.WELCOME, P.PAUSED, DAY, None, (Action.CANCEL, None)),
        (K.CHECKIN, P.PAUSED, DAY, None, (Action.CANCEL, None)),
        (K.REMINDER, P.PAUSED, DAY, None, (Action.CANCEL, None)),
        (K.CLOSING, P.PAUSED, DAY, None, (Action.CANCEL, None)),
        (K.WELCOME, P.ENDED, DAY, None, (Action.CANCEL, None)),
        (K.CHECKIN, P.ENDED, DAY, None, (Action.CANCEL, None)),
        (K.REMINDER, P.ENDED, DAY, None, (Action.CANCEL, None)),
        # Expiry.
        (K.CHECKIN, P.ACTIVE, DAY, DAY, (Action.EXPIRE, None)),
        (K.CHECKIN, P.ACTIVE, DAY, DAY - timedelta(seconds=1), (Action.EXPIRE, None)),
        (K.CHECKIN, P.ACTIVE, DAY, DAY + timedelta(seconds=1), (Action.SEND, None)),
        (K.REMINDER, P.ACTIVE, DAY, DAY - timedelta(hours=1), (Action.EXPIRE, None)),
        # Quiet hours: welcome and closing wait for the morning, check-in and reminder expire.
        (K.WELCOME, P.ACTIVE, NIGHT, None, (Action.DEFER, MORNING)),
        (K.CLOSING, P.ENDED, NIGHT, None, (Action.DEFER, MORNING)),
        (K.WELCOME, P.ACTIVE, SPRING_NIGHT, None, (Action.DEFER, SPRING_MORNING)),
        (K.WELCOME, P.ACTIVE, EARLY, None, (Action.DEFER, EIGHT)),
        (K.WELCOME, P.ACTIVE, EIGHT, None, (Action.SEND, None)),
        (K.CHECKIN, P.ACTIVE, NIGHT, None, (Action.EXPIRE, None)),
        (K.REMINDER, P.ACTIVE, NIGHT, None, (Action.EXPIRE, None)),
    ],
    ids=[
        "alert-day-send",
        "alert-night-send",
        "alert-past-expiry-still-send",
        "alert-about-an-opted-out-patient-send",
        "safety-to-opted-out-cancel",
        "reply-to-opted-out-cancel",
        "checkin-to-opted-out-cancel",
        "closing-to-opted-out-cancel",
        "safety-at-night-send",
        "reply-at-night-send",
        "safety-to-paused-at-night-send",
        "safety-to-ended-send",
        "welcome-active-send",
        "checkin-active-send",
        "reminder-active-send",
        "closing-to-restarted-patient-cancel",
        "closing-to-ended-send",
        "welcome-to-paused-cancel",
        "checkin-to-paused-cancel",
        "reminder-to-paused-cancel",
        "closing-to-paused-cancel",
        "welcome-to-ended-cancel",
        "checkin-to-ended-cancel",
        "reminder-to-ended-cancel",
        "checkin-expires-at-now-expire",
        "checkin-past-expiry-expire",
        "checkin-before-expiry-send",
        "reminder-past-expiry-expire",
        "welcome-at-night-defer-to-0800",
        "closing-to-ended-at-night-defer",
        "welcome-night-before-spring-forward-defer-to-0800-edt",
        "welcome-at-0759-defer-one-minute",
        "welcome-at-0800-send",
        "checkin-at-night-expire",
        "reminder-at-night-expire",
    ],
)
def test_action_for(
    kind: MessageKind,
    status: PatientStatus | None,
    now: datetime,
    expires_at: datetime | None,
    expected: tuple[Action, datetime | None],
) -> None:
    zone = None if status is None else NEW_YORK
    got = action_for(
        kind, now, expires_at=expires_at, patient_status=status, zone=zone, quiet=QUIET
    )
    assert got == expected


# --- backoff -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attempt", "jitter", "seconds"),
    [
        (1, 0.0, 2),
        (2, 0.0, 4),
        (3, 0.0, 8),
        (8, 0.0, 256),
        (9, 0.0, 300),
        (50, 0.0, 300),
        (5000, 0.0, 300),
        (1, 0.5, 2.5),
        (9, 0.5, 375),
    ],
    ids=[
        "first-retry-2s",
        "second-4s",
        "third-8s",
        "eighth-256s",
        "ninth-capped-300s",
        "fiftieth-capped",
        "huge-attempt-count-capped-not-overflowing",
        "jitter-adds-up-to-half",
        "jitter-on-the-cap",
    ],
)
def test_backoff(attempt: int, jitter: float, seconds: float) -> None:
    assert backoff(attempt, jitter) == timedelta(seconds=seconds)


def test_backoff_grows_until_the_cap_and_never_exceeds_cap_times_one_and_a_half() -> None:
    for jitter in (0.0, 0.3, 0.999999):
        delays = [backoff(attempt, jitter) for attempt in range(1, 40)]
        assert delays == sorted(delays)
        assert delays[0] < delays[1] < delays[2]
        assert max(delays) < timedelta(seconds=450)
        assert max(delays) >= timedelta(seconds=300)


def test_backoff_is_deterministic_for_a_given_jitter() -> None:
    assert backoff(4, 0.37) == backoff(4, 0.37)
    assert backoff(4, 0.37) != backoff(4, 0.38)


# --- delivery status order ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "new", "advances"),
    [
        (None, "queued", True),
        (None, "sent", True),
        ("accepted", "queued", True),
        ("queued", "sending", True),
        ("queued", "sent", True),
        ("sent", "delivered", True),
        ("sent", "failed", True),
        ("sent", "undelivered", True),
        ("delivered", "read", True),
        ("delivered", "sent", False),
        ("delivered", "queued", False),
        ("sending", "queued", False),
        ("failed", "delivered", False),
        ("delivered", "undelivered", False),
        ("sent", "sent", False),
        ("delivered", "delivered", False),
        ("sent", "exploded", False),
        (None, "exploded", False),
        ("mystery", "sent", True),
    ],
    ids=[
        "first-status",
        "first-status-sent",
        "accepted-to-queued",
        "queued-to-sending",
        "queued-to-sent",
        "sent-to-delivered",
        "sent-to-failed",
        "sent-to-undelivered",
        "delivered-to-read",
        "delivered-to-sent-late-callback",
        "delivered-to-queued",
        "sending-to-queued",
        "failed-to-delivered-both-final",
        "delivered-to-undelivered-both-final",
        "repeat-sent",
        "repeat-delivered",
        "unknown-new-status-ignored",
        "unknown-first-status-ignored",
        "unknown-current-replaced",
    ],
)
def test_delivery_advances(current: str | None, new: str, advances: bool) -> None:
    assert delivery_advances(current, new) is advances
