"""The outbox drainer through the real services: priorities, the routine rate cap, retries with
backoff, permanent errors, the rules applied at send time, and recovery after a crash mid-send.

Time: freezegun moves the wall clock; the rate cap runs on a fake monotonic clock and a fake
sleep, so nothing here waits for real time.
"""

from __future__ import annotations

import dataclasses
import random
import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from freezegun import freeze_time
from sqlalchemy import select, update

from jobs.tasks import dispatch_checkins, run_due_work
from monitor import services
from monitor.db import claims
from monitor.db.models import AuditEntry, Message, Nurse, Patient
from monitor.domain.states import (
    CheckinStatus,
    MessageKind,
    OutboxStatus,
    PatientStatus,
    Priority,
)
from monitor.domain.states import Priority as _Priority
from monitor.runtime import Runtime
from monitor.services.outbox import ROUTINE_MAX_ATTEMPTS, VALIDITY_SECONDS
from monitor.services.outbox_queue import Outgoing, enqueue
from monitor.sms.ratelimit import RateLimiter
from monitor.sms.sender import Accepted, OutgoingSms, SendError
from tests.support.builders import NURSE_1, PATIENT_PHONE, add_team, checkins, enrol, outbound
from tests.support.fakes import RecordingSender

ALERT_VALIDITY_SECONDS = VALIDITY_SECONDS[_Priority.ALERT]
LEASE = timedelta(seconds=60)  # the default DSWATCH_SEND_LEASE_SECONDS

# 10:00 in New York on Monday 2 March 2026: outside quiet hours, inside the tretinoin window.
MORNING = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
COURSE = [("tretinoin", date(2026, 3, 2))]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- small helpers ------------------------------------------------------------------------------


class CountingSender(RecordingSender):
    """Also remembers every number it was asked to send to, accepted or not."""

    def __init__(self) -> None:
        super().__init__()
        self.tried: list[str] = []

    def send(self, sms: OutgoingSms) -> Accepted:
        self.tried.append(sms.to)
        return super().send(sms)

    def tries(self, phone: str) -> int:
        return self.tried.count(phone)


@pytest.fixture
def sender() -> CountingSender:
    """The `rt` fixture's sender (care-team alerts may go too: count per number)."""
    return CountingSender()


def queue(rt: Runtime, *items: Outgoing) -> None:
    with rt.sessions.begin() as session:
        enqueue(session, rt.clock.now(), *items)


def routine(count: int, start: int = 0) -> list[Outgoing]:
    """Routine check-ins to people the rules know nothing about (so they always go)."""
    return [
        Outgoing(
            kind=MessageKind.CHECKIN,
            to_phone=f"+1201555{n:04d}",
            body=f"routine {n}",
            key=f"routine:{n}",
        )
        for n in range(start, start + count)
    ]


def nurse_alert(
    rt: Runtime, key: str = "alert:1", priority: Priority = Priority.ALERT, **extra: Any
) -> Outgoing:
    with rt.sessions() as session:
        nurse_id = session.scalars(select(Nurse.id).where(Nurse.phone == NURSE_1)).one()
    return Outgoing(
        kind=MessageKind.ALERT,
        to_phone=NURSE_1,
        body=f"DSWatch {key}: patient reports fever, call back",
        key=key,
        priority=priority,
        nurse_id=nurse_id,
        **extra,
    )


def message(rt: Runtime, key: str) -> Message:
    with rt.sessions() as session:
        return session.scalars(select(Message).where(Message.idempotency_key == key)).one()


def patient_row(rt: Runtime, patient_id: int) -> Patient:
    with rt.sessions() as session:
        found = session.get(Patient, patient_id)
        assert found is not None
        return found


def audit_actions(rt: Runtime, entity: str, entity_id: int) -> list[str]:
    with rt.sessions() as session:
        return list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
                .order_by(AuditEntry.id)
            )
        )


def with_settings(rt: Runtime, **changes: Any) -> Runtime:
    return dataclasses.replace(rt, settings=rt.settings.model_copy(update=changes))


class NoJitter(random.Random):
    """Backoff with the jitter at zero, so each delay is exactly base * 2^(n-1), capped."""

    def random(self) -> float:
        return 0.0


class FakeMonotonic:
    """A monotonic clock for the rate limiter that only moves when the drainer sleeps."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class TimedSender(RecordingSender):
    """Records the fake monotonic instant and the number of every accepted send."""

    def __init__(self, clock: FakeMonotonic) -> None:
        super().__init__()
        self.clock = clock
        self.log: list[tuple[float, str]] = []
        self._log_lock = threading.Lock()

    def send(self, sms: OutgoingSms) -> Accepted:
        accepted = super().send(sms)
        with self._log_lock:
            self.log.append((self.clock(), sms.to))
        return accepted

    @property
    def times(self) -> list[float]:
        return [at for at, _ in self.log]


def rate_limited(
    rt: Runtime, rate: float, **limiter: Any
) -> tuple[Runtime, TimedSender, FakeMonotonic]:
    """`rt` with a rate cap on a fake clock; the drainer must be given `clock.sleep`."""
    clock = FakeMonotonic()
    sender = TimedSender(clock)
    limited = dataclasses.replace(
        rt, sender=sender, limiter=RateLimiter(rate, monotonic=clock, **limiter)
    )
    return limited, sender, clock


def enrolled(rt: Runtime, at: datetime, **kwargs: Any) -> Patient:
    add_team(rt, at)
    return enrol(rt, at, courses=COURSE, **kwargs)


# -- priorities ---------------------------------------------------------------------------------


@pytest.mark.parametrize("priority", [Priority.ALERT, Priority.EMERGENCY], ids=str)
def test_an_alert_queued_behind_routine_traffic_goes_first(
    rt: Runtime, sender: CountingSender, priority: Priority
) -> None:
    one_at_a_time = with_settings(rt, send_concurrency=1)  # one claim batch holds 4 messages
    with freeze_time(MORNING):
        add_team(rt, rt.clock.now())
        queue(rt, *routine(10))
        queue(rt, nurse_alert(rt, priority=priority))
        report = services.drain_outbox(one_at_a_time)

    assert report.sent == 11
    assert sender.sent[0].sms.to == NURSE_1
    assert [s.sms.body for s in sender.sent[1:]] == [f"routine {n}" for n in range(10)]


def test_with_eight_senders_the_alert_leaves_in_the_first_batch(
    rt: Runtime, sender: CountingSender
) -> None:
    batch = rt.settings.send_concurrency * 4
    with freeze_time(MORNING):
        add_team(rt, rt.clock.now())
        queue(rt, *routine(3 * batch))
        queue(rt, nurse_alert(rt))
        services.drain_outbox(rt)

    phones = [s.sms.to for s in sender.sent]
    assert len(phones) == 3 * batch + 1
    # The first batch is sent by eight threads at once, so only its membership is certain.
    assert phones.index(NURSE_1) < batch


class AlertMidDrain(RecordingSender):
    """While sending routine traffic, an alert arrives (as a reply handler would queue it)."""

    def __init__(self, rt: Runtime, alert: Outgoing, after: int) -> None:
        super().__init__()
        self.rt, self.alert, self.after = rt, alert, after

    def send(self, sms: OutgoingSms) -> Accepted:
        accepted = super().send(sms)
        if len(self.sent) == self.after:
            queue(self.rt, self.alert)
        return accepted


def test_an_alert_arriving_mid_drain_overtakes_the_routine_backlog(rt: Runtime) -> None:
    with freeze_time(MORNING):
        add_team(rt, rt.clock.now())
        sender = AlertMidDrain(rt, nurse_alert(rt), after=2)
        draining = dataclasses.replace(with_settings(rt, send_concurrency=1), sender=sender)
        queue(rt, *routine(20))
        services.drain_outbox(draining)

    phones = [s.sms.to for s in sender.sent]
    assert len(phones) == 21
    # The alert arrived during the first batch of four; it is the first of the next batch.
    assert phones.index(NURSE_1) == 4


def test_what_the_sender_is_given(rt: Runtime, sender: CountingSender) -> None:
    with freeze_time(MORNING):
        add_team(rt, rt.clock.now())
        queue(rt, *routine(1), nurse_alert(rt))
        services.drain_outbox(rt)

    by_phone = {s.sms.to: s.sms for s in sender.sent}
    alert, check_in = by_phone[NURSE_1], by_phone["+12015550000"]
    assert alert.status_callback == check_in.status_callback
    assert check_in.status_callback == "https://dswatch.example.org/twilio/status"
    assert (alert.validity_seconds, check_in.validity_seconds) == (ALERT_VALIDITY_SECONDS, None)
    stored = message(rt, "alert:1")
    assert stored.id == alert.message_id
    assert (stored.status, stored.attempts, stored.delivery_status) == ("sent", 1, "queued")
    assert stored.provider_sid == next(s.sid for s in sender.sent if s.sms.to == NURSE_1)
    assert stored.sent_at == MORNING


def test_the_same_key_queued_twice_is_sent_once(rt: Runtime, sender: CountingSender) -> None:
    with freeze_time(MORNING):
        queue(rt, *routine(1))
        queue(rt, *routine(1))
        services.drain_outbox(rt)
        services.drain_outbox(rt)

    assert [s.sms.body for s in sender.sent] == ["routine 0"]


# -- the rate cap -------------------------------------------------------------------------------


def test_routine_traffic_is_held_to_the_cap(rt: Runtime) -> None:
    limited, sender, clock = rate_limited(rt, rate=4)
    queue(rt, *routine(40))

    report = services.drain_outbox(limited, sleep=clock.sleep, max_seconds=60)

    assert report.sent == 40
    start = sender.times[0]
    per_second = Counter(int(t - start) for t in sender.times)
    assert max(per_second.values()) == 4
    assert sorted(per_second) == list(range(10))  # 40 messages at 4 a second: ten seconds
    assert sender.times == sorted(sender.times)


def test_after_an_idle_spell_only_one_burst_goes_at_once(rt: Runtime) -> None:
    limited, sender, clock = rate_limited(rt, rate=4, burst=6)
    clock.now += 3600  # idle for an hour: the bucket is full, but holds only `burst`
    queue(rt, *routine(20))

    services.drain_outbox(limited, sleep=clock.sleep, max_seconds=60)

    start = sender.times[0]
    at_once = [t for t in sender.times if t == start]
    assert len(at_once) == 6
    # Afterwards, four a second: 14 more messages need 3.5 s.
    assert sender.times[-1] - start == pytest.approx(3.5)


def test_the_configured_cap_holds_every_second_through_the_drain(rt: Runtime) -> None:
    """The limiter built from DSWATCH_ROUTINE_RATE_PER_SECOND (a bucket with a tenth of a
    second's burst, plus the gate in the sending threads): after an idle spell, 400 messages at
    a cap of 100 never put more than 100 into any one-second span (the bucket alone would let
    109 through), and still go at about the cap."""
    clock = FakeMonotonic()
    sender = TimedSender(clock)
    limiter = RateLimiter.capped(100, monotonic=clock, sleep=clock.sleep)
    limited = dataclasses.replace(rt, sender=sender, limiter=limiter)
    clock.now += 3600
    queue(rt, *routine(400))

    services.drain_outbox(limited, sleep=clock.sleep, max_seconds=30)

    times = sender.times
    assert len(times) == 400
    assert max(sum(1 for t in times if start <= t < start + 1.0) for start in times) <= 100
    assert 3.8 <= times[-1] - times[0] <= 4.3


def test_alerts_do_not_wait_for_the_cap(rt: Runtime) -> None:
    limited, sender, clock = rate_limited(rt, rate=1)
    add_team(rt, rt.clock.now())
    queue(rt, *routine(3))
    queue(rt, *[nurse_alert(rt, key=f"alert:{n}") for n in range(40)])

    services.drain_outbox(limited, sleep=clock.sleep, max_seconds=60)

    alert_times = [at for at, to in sender.log if to == NURSE_1]
    routine_times = [at for at, to in sender.log if to != NURSE_1]
    assert len(alert_times) == 40 and set(alert_times) == {1000.0}  # before any wait
    assert [to for _, to in sender.log[:40]] == [NURSE_1] * 40
    assert routine_times == [1000.0, 1001.0, 1002.0]  # one token to start, then one a second


def test_tokens_not_needed_are_given_back(rt: Runtime) -> None:
    limited, sender, clock = rate_limited(rt, rate=10)
    clock.now += 10  # a full bucket: 10 tokens
    queue(rt, *routine(3))

    services.drain_outbox(limited, sleep=clock.sleep)

    assert len(sender.sent) == 3
    assert limited.limiter is not None
    # The drainer asked for a batch of 32, was granted 10 and gave back the 7 it did not use.
    assert limited.limiter.take(100) == 7


def test_a_stale_backlog_does_not_hold_fresh_messages_behind_the_cap(rt: Runtime) -> None:
    limited, sender, clock = rate_limited(rt, rate=1)
    with freeze_time(MORNING):
        patient = enrolled(rt, rt.clock.now())  # its welcome is the fresh message
        stale = [
            Outgoing(
                kind=MessageKind.REMINDER,
                to_phone=PATIENT_PHONE,
                body="reminder",
                key=f"stale:{n}",
                patient_id=patient.id,
                not_before=MORNING - timedelta(hours=7),  # queued before an outage: first in line
                expires_at=MORNING - timedelta(hours=1),
            )
            for n in range(5)
        ]
        queue(rt, *stale)
        report = services.drain_outbox(limited, sleep=clock.sleep)

    assert (report.expired, report.sent) == (5, 1)
    assert sender.times == [1000.0]  # nothing was sent before the welcome: it had no need to wait


# -- transient errors ---------------------------------------------------------------------------

TRANSIENT = [
    pytest.param(SendError("twilio 429 code 20429", code=20429, http_status=429), id="429"),
    pytest.param(
        SendError("twilio 500 code 20500", code=20500, http_status=500, maybe_sent=True), id="500"
    ),
    pytest.param(SendError("connection: ConnectionError"), id="refused"),
    pytest.param(SendError("connection: ReadTimeout", maybe_sent=True), id="timeout"),
]


@pytest.mark.parametrize("error", TRANSIENT)
def test_a_transient_error_is_retried_after_a_backoff(
    rt: Runtime, sender: CountingSender, error: SendError
) -> None:
    with freeze_time(MORNING) as frozen:
        queue(rt, *routine(1))
        sender.fail_next(error)
        report = services.drain_outbox(rt, rng=random.Random(7))

        waiting = message(rt, "routine:0")
        assert (report.retried, report.sent) == (1, 0)
        assert (waiting.status, waiting.attempts) == (OutboxStatus.QUEUED, 1)
        assert (waiting.last_error, waiting.error_code) == (error.reason, error.code)
        assert waiting.claimed_until is None
        assert waiting.next_attempt_at is not None
        # attempt 1: 2 s, plus up to half again of jitter
        assert MORNING + timedelta(seconds=2) <= waiting.next_attempt_at
        assert waiting.next_attempt_at < MORNING + timedelta(seconds=3)

        services.drain_outbox(rt)  # too early: left alone
        assert sender.attempts == 1
        frozen.move_to(waiting.next_attempt_at)
        services.drain_outbox(rt)

    sent = message(rt, "routine:0")
    assert (sent.status, sent.attempts, sent.last_error, sent.error_code) == (
        OutboxStatus.SENT,
        2,
        None,
        None,
    )
    assert [s.sms.body for s in sender.sent] == ["routine 0"]
    assert audit_actions(rt, "message", sent.id) == ["message.retry"]


def test_routine_traffic_gives_up_after_the_last_attempt(
    rt: Runtime, sender: CountingSender
) -> None:
    failure = SendError("twilio 503 code 20503", code=20503, http_status=503, maybe_sent=True)
    sender.fail_for("+12015550000", failure)
    delays = []
    with freeze_time(MORNING) as frozen:
        queue(rt, *routine(1))
        for _ in range(ROUTINE_MAX_ATTEMPTS + 3):
            services.drain_outbox(rt, rng=NoJitter())
            row = message(rt, "routine:0")
            if row.status != OutboxStatus.QUEUED:
                break
            assert row.next_attempt_at is not None
            delays.append((row.next_attempt_at - rt.clock.now()).total_seconds())
            frozen.move_to(row.next_attempt_at)

    assert delays == [2, 4, 8, 16, 32, 64, 128]
    assert (row.status, row.attempts, row.error_code) == (OutboxStatus.FAILED, 8, 20503)
    assert sender.attempts == ROUTINE_MAX_ATTEMPTS
    actions = audit_actions(rt, "message", row.id)
    assert actions == ["message.retry"] * 7 + ["message.failed"]


@pytest.mark.parametrize("priority", [Priority.ALERT, Priority.EMERGENCY], ids=str)
def test_alerts_are_never_given_up_and_their_backoff_is_bounded(
    rt: Runtime, sender: CountingSender, priority: Priority
) -> None:
    failures = 12
    sender.fail_next(*[SendError("connection: ConnectionError") for _ in range(failures)])
    delays = []
    with freeze_time(MORNING) as frozen:
        add_team(rt, rt.clock.now())
        queue(rt, nurse_alert(rt, priority=priority))
        for _ in range(failures + 1):
            services.drain_outbox(rt, rng=NoJitter())
            row = message(rt, "alert:1")
            if row.status != OutboxStatus.QUEUED:
                break
            assert row.next_attempt_at is not None
            delays.append((row.next_attempt_at - rt.clock.now()).total_seconds())
            frozen.move_to(row.next_attempt_at)

    assert delays == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300, 300]
    assert (row.status, row.attempts) == (OutboxStatus.SENT, failures + 1)
    assert [s.sms.to for s in sender.sent] == [NURSE_1]


class BrokenSender(RecordingSender):
    """A sender with a bug: raises something that is not a SendError, once."""

    def send(self, sms: OutgoingSms) -> Accepted:
        if self.attempts == 0:
            self.attempts += 1
            raise KeyError("oops")
        return super().send(sms)


def test_a_sender_bug_leaves_the_message_queued_not_stranded_in_sending(rt: Runtime) -> None:
    broken = BrokenSender()
    with freeze_time(MORNING) as frozen:
        queue(rt, *routine(1))
        services.drain_outbox(dataclasses.replace(rt, sender=broken))
        row = message(rt, "routine:0")
        assert (row.status, row.last_error) == (OutboxStatus.QUEUED, "unexpected: KeyError")
        frozen.tick(timedelta(seconds=5))
        services.drain_outbox(dataclasses.replace(rt, sender=broken))

    assert message(rt, "routine:0").status == OutboxStatus.SENT


# -- permanent errors ---------------------------------------------------------------------------


def permanent(code: int) -> SendError:
    return SendError(f"twilio 400 code {code}", code=code, http_status=400, permanent=True)


@pytest.mark.parametrize(
    ("code", "problem"),
    [(21211, "invalid number (21211)"), (21614, "not a mobile number (21614)")],
)
def test_a_bad_number_fails_the_message_once_and_flags_the_patient(
    rt: Runtime, sender: CountingSender, code: int, problem: str
) -> None:
    sender.fail_for(PATIENT_PHONE, permanent(code))
    with freeze_time(MORNING) as frozen:
        patient = enrolled(rt, rt.clock.now())
        report = services.drain_outbox(rt)
        frozen.tick(timedelta(hours=1))
        services.drain_outbox(rt)

    [welcome] = outbound(rt, "welcome")
    assert report.failed == 1
    assert (welcome.status, welcome.error_code, welcome.attempts) == (OutboxStatus.FAILED, code, 1)
    assert sender.tries(PATIENT_PHONE) == 1  # never retried
    flagged = patient_row(rt, patient.id)
    assert flagged.phone_problem == problem
    assert flagged.status == PatientStatus.ACTIVE  # still monitored: staff fix the number
    assert "patient.bad_number" in audit_actions(rt, "patient", patient.id)


def test_a_recipient_who_replied_stop_at_the_carrier_is_opted_out(
    rt: Runtime, sender: CountingSender
) -> None:
    with freeze_time(utc(2026, 3, 1, 17, 0)) as frozen:  # noon the day before the course
        patient = enrolled(rt, rt.clock.now())
        services.drain_outbox(rt)  # the welcome goes
        sender.fail_for(PATIENT_PHONE, permanent(21610))
        frozen.move_to(utc(2026, 3, 2, 14, 0))  # 09:00: the first check-in
        run_due_work(rt)
        tries_then = sender.tries(PATIENT_PHONE)
        for day in range(1, 4):
            frozen.move_to(utc(2026, 3, 2 + day, 14, 0))
            run_due_work(rt)

    opted_out = patient_row(rt, patient.id)
    assert opted_out.status == PatientStatus.OPTED_OUT
    assert opted_out.closes_at is None
    [first] = checkins(rt, patient.id)  # no check-in is planned any more
    assert first.status == CheckinStatus.SKIPPED  # the question never reached the patient
    [checkin_message] = outbound(rt, "checkin")
    assert (checkin_message.status, checkin_message.error_code) == (OutboxStatus.FAILED, 21610)
    assert sender.tries(PATIENT_PHONE) == tries_then == 2  # welcome, check-in; nothing since
    assert "patient.opted_out" in audit_actions(rt, "patient", patient.id)


def test_a_checkin_whose_message_failed_is_skipped_and_never_missed_or_reminded(
    rt: Runtime, sender: CountingSender
) -> None:
    with freeze_time(utc(2026, 3, 1, 17, 0)) as frozen:
        patient = enrolled(rt, rt.clock.now())
        services.drain_outbox(rt)
        sender.fail_for(PATIENT_PHONE, permanent(21614))
        frozen.move_to(utc(2026, 3, 2, 14, 0))
        run_due_work(rt)
        for hour in range(15, 22):  # past the reminder (12:00) and the deadline (15:00)
            frozen.move_to(utc(2026, 3, 2, hour, 0))
            run_due_work(rt)

    first = checkins(rt, patient.id)[0]
    assert (first.status, first.remind_at, first.reminded_at) == (CheckinStatus.SKIPPED, None, None)
    assert outbound(rt, "reminder") == []


def test_a_checkin_whose_message_was_given_up_is_skipped(
    rt: Runtime, sender: CountingSender
) -> None:
    with freeze_time(utc(2026, 3, 1, 17, 0)) as frozen:
        patient = enrolled(rt, rt.clock.now())
        services.drain_outbox(rt)
        sender.fail_for(PATIENT_PHONE, SendError("twilio 500", http_status=500, maybe_sent=True))
        frozen.move_to(utc(2026, 3, 2, 14, 0))
        dispatch_checkins(rt)
        for _ in range(ROUTINE_MAX_ATTEMPTS):
            services.drain_outbox(rt)
            frozen.tick(timedelta(minutes=10))

    [checkin_message] = outbound(rt, "checkin")
    assert checkin_message.status == OutboxStatus.FAILED
    assert checkins(rt, patient.id)[0].status == CheckinStatus.SKIPPED
    assert patient_row(rt, patient.id).phone_problem is None  # transient: the number is fine


# -- rules at send time -------------------------------------------------------------------------


def test_a_welcome_that_reaches_quiet_hours_waits_for_the_morning(
    rt: Runtime, sender: CountingSender
) -> None:
    with freeze_time(utc(2026, 3, 2, 1, 59)) as frozen:  # 20:59 in New York
        patient = enrolled(rt, rt.clock.now())
        frozen.move_to(utc(2026, 3, 2, 2, 0, 30))  # the drainer gets to it at 21:00:30
        report = services.drain_outbox(rt)
        [welcome] = outbound(rt, "welcome")
        assert report.deferred == 1 and sender.sent == []
        assert (welcome.status, welcome.attempts) == (OutboxStatus.QUEUED, 0)  # not an attempt
        assert welcome.next_attempt_at == utc(2026, 3, 2, 13, 0)  # 08:00 local
        frozen.move_to(utc(2026, 3, 2, 12, 59))
        services.drain_outbox(rt)
        assert sender.sent == []
        frozen.move_to(utc(2026, 3, 2, 13, 0))
        services.drain_outbox(rt)

    [welcome] = outbound(rt, "welcome")
    assert (welcome.status, welcome.attempts) == (OutboxStatus.SENT, 1)
    assert welcome.sent_at == utc(2026, 3, 2, 13, 0)
    assert sender.bodies(PATIENT_PHONE)[0].startswith("Hi Ana")
    assert patient.status == PatientStatus.ACTIVE


def test_the_closing_to_an_ended_patient_goes_and_waits_out_quiet_hours(
    rt: Runtime, sender: CountingSender
) -> None:
    with freeze_time(utc(2026, 3, 3, 14, 0)) as frozen:
        patient = enrolled(rt, rt.clock.now())
        services.drain_outbox(rt)
        frozen.move_to(utc(2026, 3, 4, 3, 0))  # 22:00 local: staff stop monitoring
        services.stop(rt, patient.code, rt.clock.now())
        report = services.drain_outbox(rt)
        assert report.deferred == 1
        frozen.move_to(utc(2026, 3, 4, 13, 0))
        services.drain_outbox(rt)

    [closing] = outbound(rt, "closing")
    assert patient_row(rt, patient.id).status == PatientStatus.ENDED
    assert (closing.status, closing.attempts) == (OutboxStatus.SENT, 1)
    assert closing.sent_at == utc(2026, 3, 4, 13, 0)


def test_a_checkin_that_could_not_go_in_time_expires_and_is_skipped_not_missed(
    rt: Runtime, sender: CountingSender
) -> None:
    with freeze_time(utc(2026, 3, 1, 17, 0)) as frozen:
        patient = enrolled(rt, rt.clock.now())
        services.drain_outbox(rt)
        frozen.move_to(utc(2026, 3, 2, 14, 0))
        services.dispatch_due(rt, rt.clock.now())  # queued at 09:00 ...
        frozen.move_to(utc(2026, 3, 2, 20, 0))  # ... and the drainer reaches it at 15:00
        report = services.drain_outbox(rt)
        missed = services.mark_missed(rt, rt.clock.now())

    [checkin_message] = outbound(rt, "checkin")
    assert report.expired == 1
    assert checkin_message.status == OutboxStatus.EXPIRED
    assert checkins(rt, patient.id)[0].status == CheckinStatus.SKIPPED
    assert missed.count == 0
    assert sender.bodies(PATIENT_PHONE) == [sender.bodies(PATIENT_PHONE)[0]]  # the welcome only


def test_after_an_outage_a_checkin_that_never_went_out_is_skipped_not_missed(
    rt: Runtime, sender: CountingSender
) -> None:
    with freeze_time(utc(2026, 3, 1, 17, 0)) as frozen:
        patient = enrolled(rt, rt.clock.now())
        services.drain_outbox(rt)
        frozen.move_to(utc(2026, 3, 2, 14, 0))
        dispatch_checkins(rt)  # queued at 09:00; the process dies before the drainer runs
        frozen.move_to(utc(2026, 3, 2, 21, 0))  # back up at 16:00
        run_due_work(rt)

    [checkin_message] = outbound(rt, "checkin")
    assert checkin_message.status == OutboxStatus.EXPIRED
    assert sender.bodies(PATIENT_PHONE) == sender.bodies(PATIENT_PHONE)[:1]
    assert checkins(rt, patient.id)[0].status == CheckinStatus.SKIPPED


def set_status(rt: Runtime, patient_id: int, status: PatientStatus) -> None:
    """As the replies issue's STOP handling would (nothing else writes opted_out directly)."""
    with rt.sessions.begin() as session:
        session.execute(update(Patient).where(Patient.id == patient_id).values(status=status))


@pytest.mark.parametrize(
    ("kind", "priority"),
    [
        (MessageKind.WELCOME, Priority.ROUTINE),
        (MessageKind.CHECKIN, Priority.ROUTINE),
        (MessageKind.CLOSING, Priority.ROUTINE),
        (MessageKind.SAFETY, Priority.EMERGENCY),
        (MessageKind.REPLY, Priority.REPLY),
    ],
    ids=str,
)
def test_nothing_goes_to_a_patient_who_opted_out(
    rt: Runtime, sender: CountingSender, kind: MessageKind, priority: Priority
) -> None:
    with freeze_time(MORNING):
        patient = enrolled(rt, rt.clock.now())
        services.drain_outbox(rt)
        set_status(rt, patient.id, PatientStatus.OPTED_OUT)
        queue(rt, Outgoing(kind, PATIENT_PHONE, "text", "late", priority, patient_id=patient.id))
        report = services.drain_outbox(rt)

    assert report.cancelled == 1
    cancelled = message(rt, "late")
    assert cancelled.status == OutboxStatus.CANCELLED
    assert audit_actions(rt, "message", cancelled.id) == ["message.cancelled"]
    assert sender.tries(PATIENT_PHONE) == 1  # the welcome, before the opt-out


@pytest.mark.parametrize(
    ("kind", "priority", "outcome"),
    [
        (MessageKind.CHECKIN, Priority.ROUTINE, OutboxStatus.CANCELLED),
        (MessageKind.REMINDER, Priority.ROUTINE, OutboxStatus.CANCELLED),
        (MessageKind.WELCOME, Priority.ROUTINE, OutboxStatus.CANCELLED),
        (MessageKind.SAFETY, Priority.EMERGENCY, OutboxStatus.SENT),
        (MessageKind.REPLY, Priority.REPLY, OutboxStatus.SENT),
    ],
    ids=str,
)
def test_routine_traffic_to_a_paused_patient_is_cancelled_but_answers_still_go(
    rt: Runtime,
    sender: CountingSender,
    kind: MessageKind,
    priority: Priority,
    outcome: OutboxStatus,
) -> None:
    with freeze_time(MORNING):
        patient = enrolled(rt, rt.clock.now())
        services.drain_outbox(rt)
        services.pause(rt, patient.code, rt.clock.now())
        queue(rt, Outgoing(kind, PATIENT_PHONE, "text", "paused", priority, patient_id=patient.id))
        services.drain_outbox(rt)

    assert message(rt, "paused").status == outcome


def test_a_checkin_cancelled_because_the_patient_was_paused_is_not_missed(
    rt: Runtime, sender: CountingSender
) -> None:
    with freeze_time(utc(2026, 3, 1, 17, 0)) as frozen:
        patient = enrolled(rt, rt.clock.now())
        services.drain_outbox(rt)
        frozen.move_to(utc(2026, 3, 2, 14, 0))
        dispatch_checkins(rt)
        services.pause(rt, patient.code, rt.clock.now())  # before the drainer sends it
        services.drain_outbox(rt)
        frozen.move_to(utc(2026, 3, 2, 20, 1))
        run_due_work(rt)

    [checkin_message] = outbound(rt, "checkin")
    assert checkin_message.status == OutboxStatus.CANCELLED
    assert checkins(rt, patient.id)[0].status == CheckinStatus.SKIPPED


def test_an_alert_about_a_patient_who_opted_out_still_reaches_the_nurse(
    rt: Runtime, sender: CountingSender
) -> None:
    with freeze_time(MORNING):
        patient = enrolled(rt, rt.clock.now())
        services.drain_outbox(rt)
        set_status(rt, patient.id, PatientStatus.OPTED_OUT)
        queue(rt, nurse_alert(rt, priority=Priority.EMERGENCY, patient_id=patient.id))
        services.drain_outbox(rt)

    assert message(rt, "alert:1").status == OutboxStatus.SENT
    assert sender.to(NURSE_1) != []


@pytest.mark.parametrize("code", [21610, 21211])
def test_a_nurse_number_problem_is_not_blamed_on_the_patient(
    rt: Runtime, sender: CountingSender, code: int
) -> None:
    sender.fail_for(NURSE_1, permanent(code))
    with freeze_time(MORNING):
        patient = enrolled(rt, rt.clock.now())
        services.drain_outbox(rt)
        queue(rt, nurse_alert(rt, patient_id=patient.id))
        services.drain_outbox(rt)

    assert message(rt, "alert:1").status == OutboxStatus.FAILED
    unchanged = patient_row(rt, patient.id)
    assert (unchanged.status, unchanged.phone_problem) == (PatientStatus.ACTIVE, None)


# -- a crash mid-send ---------------------------------------------------------------------------


def claimed_by_a_sender_that_died(rt: Runtime) -> list[int]:
    """Claim everything due, as a drainer does just before it calls the provider, then stop."""
    now = rt.clock.now()
    with rt.sessions.begin() as session:
        return claims.outbox_batch(session, now, now + LEASE, 100, routine=None)


def test_a_message_left_mid_send_is_requeued_once_its_lease_runs_out_and_sent_once(
    rt: Runtime, sender: CountingSender
) -> None:
    with freeze_time(MORNING) as frozen:
        queue(rt, *routine(1))
        [claimed] = claimed_by_a_sender_that_died(rt)
        frozen.tick(LEASE + timedelta(seconds=1))
        assert services.recover_lapsed(rt) == 1
        requeued = message(rt, "routine:0")
        assert (requeued.status, requeued.claimed_until) == (OutboxStatus.QUEUED, None)
        assert requeued.last_error == "sender stopped mid-send; will check with the provider"
        services.drain_outbox(rt)
        assert services.recover_lapsed(rt) == 0
        frozen.tick(timedelta(hours=1))
        assert services.recover_lapsed(rt) == 0
        services.drain_outbox(rt)

    sent = message(rt, "routine:0")
    assert sent.id == claimed
    assert (sent.status, sent.attempts) == (OutboxStatus.SENT, 2)  # the lost attempt counts
    assert [s.sms.body for s in sender.sent] == ["routine 0"]


def test_a_message_whose_lease_has_not_run_out_is_left_alone(
    rt: Runtime, sender: CountingSender
) -> None:
    with freeze_time(MORNING) as frozen:
        queue(rt, *routine(1))
        claimed_by_a_sender_that_died(rt)
        frozen.tick(LEASE - timedelta(seconds=1))
        assert services.recover_lapsed(rt) == 0
        report = services.drain_outbox(rt)

    assert report.handled == 0 and sender.attempts == 0
    still = message(rt, "routine:0")
    assert (still.status, still.attempts) == (OutboxStatus.SENDING, 1)
    assert still.claimed_until == MORNING + LEASE


def test_the_check_in_state_survives_a_crash_mid_send(rt: Runtime, sender: CountingSender) -> None:
    with freeze_time(utc(2026, 3, 1, 17, 0)) as frozen:
        patient = enrolled(rt, rt.clock.now())
        services.drain_outbox(rt)
        frozen.move_to(utc(2026, 3, 2, 14, 0))
        dispatch_checkins(rt)
        claimed_by_a_sender_that_died(rt)
        for seconds in range(0, 181, 15):  # the jobs keep ticking; the lease runs out at 60 s
            frozen.move_to(utc(2026, 3, 2, 14, 0) + timedelta(seconds=seconds))
            run_due_work(rt)

    [checkin_message] = outbound(rt, "checkin")
    assert checkin_message.status == OutboxStatus.SENT
    assert [s.sms.message_id for s in sender.sent].count(checkin_message.id) == 1
    assert checkins(rt, patient.id)[0].status == CheckinStatus.SENT
