"""Drain the outbox through the SmsSender and record what the provider says.

Alerts and safety advice are claimed before routine traffic on every round; routine traffic is
held to the rate cap. Transient failures come back with bounded exponential backoff; permanent
ones are recorded (and change the patient's state) and never retried.
"""

from __future__ import annotations

import logging
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from monitor.db import claims
from monitor.db.models import Base, CheckIn, Message, Patient
from monitor.domain.outbox_rules import (
    BAD_NUMBER_CODES,
    OPTED_OUT_CODE,
    Action,
    action_for,
    backoff,
)
from monitor.domain.states import (
    CheckinStatus,
    EscalationLevel,
    MessageKind,
    OutboxStatus,
    Priority,
)
from monitor.runtime import Runtime
from monitor.services.audit import audit
from monitor.services.escalation import alert_failed, open_escalation
from monitor.services.opting_out import opt_out
from monitor.services.planning import zone_named
from monitor.sms.sender import Accepted, OutgoingSms, SendError

log = logging.getLogger("dswatch.outbox")

ACTOR = "outbox"
RECONCILE_MARGIN = timedelta(minutes=2)  # clock skew between us and the provider
ROUTINE_MAX_ATTEMPTS = 8  # about 8 minutes of backoff; alerts are never given up
MAX_LAPSED_ATTEMPTS = 10  # a message whose sending keeps killing the sender is given up
# How long the provider may keep trying: an alert or safety advice nobody can read in time is
# useless (the next alert round follows anyway); emergencies are shortest.
VALIDITY_SECONDS = {Priority.EMERGENCY: 300, Priority.ALERT: 900}


_MESSAGES = Base.metadata.tables[Message.__tablename__]
_RECORDED = (
    "status",
    "provider_sid",
    "delivery_status",
    "sent_at",
    "claimed_until",
    "in_doubt_since",
    "last_error",
    "error_code",
    "updated_at",
)
# Accepted sends, one executemany on the table (the ORM's bulk update by primary key cost more
# than the database did).
_ACCEPTED = (
    update(_MESSAGES)
    .where(_MESSAGES.c.id == bindparam("message_id"))
    .values({name: bindparam(name) for name in _RECORDED})
)


@dataclass
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    expired: int = 0
    deferred: int = 0

    @property
    def handled(self) -> int:
        return (
            self.sent + self.retried + self.failed + self.cancelled + self.expired + self.deferred
        )


@dataclass(frozen=True)
class _Claimed:
    message: Message
    patient: Patient | None


def drain_outbox(
    rt: Runtime,
    *,
    max_seconds: float = 5.0,
    rng: random.Random | None = None,
    sleep: Any = time.sleep,
    urgent_only: bool = False,
) -> DrainReport:
    """Send due messages until none are left or `max_seconds` of wall time have passed.

    `urgent_only`: alerts and replies only (the web process after a webhook raised an alert).
    """
    report = DrainReport()
    rng = rng or random.Random()
    concurrency = rt.settings.send_concurrency
    stop_at = time.monotonic() + max_seconds
    limit = concurrency * 4
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="send") as pool:
        while time.monotonic() < stop_at:
            now = rt.clock.now()
            batch = _claim(rt, now, limit, urgent_only)
            if not batch:
                if rt.limiter is not None and not urgent_only and _routine_waiting(rt, now):
                    sleep(min(rt.limiter.wait_time(), max(0.0, stop_at - time.monotonic())))
                    continue
                break
            sendable = _apply_rules(rt, now, batch, report)
            if concurrency == 1:
                outcomes = [_send(rt, item) for item in sendable]
            else:
                outcomes = list(pool.map(lambda item: _send(rt, item), sendable))
            _record(rt, rt.clock.now(), outcomes, rng, report)
            if len(batch) < limit and (rt.limiter is None or urgent_only):
                break  # drained; what arrives meanwhile waits for the next tick
    return report


def recover_lapsed(rt: Runtime) -> int:
    """Requeue messages a stopped sender left in `sending` once their lease has run out.

    They are marked in doubt (the provider may have taken them) so the next attempt asks the
    provider first; one that has stopped its sender too often is given up.
    """
    with rt.sessions.begin() as session:
        lapsed = claims.requeue_lapsed(session, rt.clock.now(), MAX_LAPSED_ATTEMPTS)
    if lapsed:
        log.warning("requeued %d messages left mid-send by a stopped sender", len(lapsed))
    return len(lapsed)


def _claim(rt: Runtime, now: datetime, limit: int, urgent_only: bool) -> list[_Claimed]:
    lease = now + timedelta(seconds=rt.settings.send_lease_seconds)
    with rt.sessions.begin() as session:
        if urgent_only:
            ids = claims.outbox_batch(session, now, lease, limit, routine=False)
        elif rt.limiter is None:
            ids = claims.outbox_batch(session, now, lease, limit, routine=None)
        else:
            ids = claims.outbox_batch(session, now, lease, limit, routine=False)
            if not ids:
                allowed = rt.limiter.take(limit)
                ids = claims.outbox_batch(session, now, lease, allowed, routine=True)
                rt.limiter.give_back(allowed - len(ids))
        if not ids:
            return []
        rows = session.execute(
            select(Message, Patient)
            .outerjoin(Patient, Patient.id == Message.patient_id)
            .where(Message.id.in_(ids))
            .order_by(Message.priority, Message.id)
        ).all()
        return [_Claimed(message, patient) for message, patient in rows]


def _routine_waiting(rt: Runtime, now: datetime) -> bool:
    with rt.sessions() as session:
        return (
            session.scalar(
                select(Message.id)
                .where(
                    Message.status == OutboxStatus.QUEUED,
                    Message.priority >= Priority.ROUTINE,
                    Message.next_attempt_at <= now,
                )
                .limit(1)
            )
            is not None
        )


def _apply_rules(
    rt: Runtime, now: datetime, batch: list[_Claimed], report: DrainReport
) -> list[_Claimed]:
    """Cancel, expire or defer what must not go now; return the rest to send."""
    sendable = []
    with rt.sessions.begin() as session:
        for item in batch:
            message, patient = item.message, item.patient
            action, retry_at = action_for(
                message.kind,
                now,
                expires_at=message.expires_at,
                patient_status=patient.status if patient else None,
                zone=zone_named(patient.timezone) if patient else None,
                quiet=rt.protocol.quiet,
            )
            if action == Action.SEND:
                sendable.append(item)
                continue
            values: dict[str, Any] = {"claimed_until": None, "updated_at": now}
            if action == Action.DEFER:
                values |= {"status": OutboxStatus.QUEUED, "next_attempt_at": retry_at}
                values["attempts"] = Message.attempts - 1  # waiting is not an attempt
                report.deferred += 1
            elif action == Action.EXPIRE:
                values["status"] = OutboxStatus.EXPIRED
                report.expired += 1
                _checkin_not_asked(session, message, now)
            else:
                values["status"] = OutboxStatus.CANCELLED
                report.cancelled += 1
                _checkin_not_asked(session, message, now)
            session.execute(update(Message).where(Message.id == message.id).values(**values))
            audit(session, now, ACTOR, f"message.{values['status']}", "message", message.id)
    unsent_routine = sum(
        1 for item in batch if item.message.priority >= Priority.ROUTINE and item not in sendable
    )
    if rt.limiter is not None and unsent_routine:
        rt.limiter.give_back(unsent_routine)  # a token is for a message that actually goes
    return sendable


def _checkin_not_asked(session: Session, message: Message, now: datetime) -> None:
    """A check-in whose question never went out is skipped, not missed: nobody was asked."""
    if message.kind != MessageKind.CHECKIN or message.checkin_id is None:
        return
    session.execute(
        update(CheckIn)
        .where(CheckIn.id == message.checkin_id, CheckIn.status == CheckinStatus.SENT)
        .values(status=CheckinStatus.SKIPPED, remind_at=None)
    )
    audit(session, now, ACTOR, "checkin.skipped", "checkin", message.checkin_id, reason="not_sent")


def _status_callback(rt: Runtime) -> str | None:
    base = rt.settings.public_base_url
    return f"{base}/twilio/status" if base else None


def _send(rt: Runtime, item: _Claimed) -> tuple[_Claimed, Accepted | SendError]:
    """One provider call (run in a sending thread); a message in doubt is looked up first."""
    message = item.message
    sms = OutgoingSms(
        message_id=message.id,
        to=message.to_phone,
        body=message.body,
        status_callback=_status_callback(rt),
        validity_seconds=VALIDITY_SECONDS.get(Priority(message.priority))
        if message.priority in VALIDITY_SECONDS
        else None,
    )
    try:
        if message.in_doubt_since is not None:
            found = _already_sent(rt, sms, message.in_doubt_since)
            if found is not None:
                log.info("message id=%s was already accepted; not sending again", message.id)
                return item, found
        if rt.limiter is not None and message.priority >= Priority.ROUTINE:
            rt.limiter.gate()
        return item, rt.sender.send(sms)
    except SendError as error:
        return item, error
    except Exception as error:  # a sender bug must not strand the message in `sending`
        log.exception("sender raised unexpectedly for message id=%s", message.id)
        return item, SendError(f"unexpected: {type(error).__name__}", maybe_sent=True)


def _already_sent(rt: Runtime, sms: OutgoingSms, since: datetime) -> Accepted | None:
    """The provider's copy of this message from an earlier attempt, if it has one that no other
    row of ours claims (identical bodies recur, e.g. the rounds of one alert)."""
    candidates = rt.sender.find_sent(sms, since - RECONCILE_MARGIN)
    if not candidates:
        return None
    with rt.sessions() as session:
        known = set(
            session.scalars(
                select(Message.provider_sid).where(
                    Message.provider_sid.in_([c.provider_sid for c in candidates])
                )
            )
        )
    return next((c for c in candidates if c.provider_sid not in known), None)


def _record(
    rt: Runtime,
    now: datetime,
    outcomes: list[tuple[_Claimed, Accepted | SendError]],
    rng: random.Random,
    report: DrainReport,
) -> None:
    if not outcomes:
        return
    with rt.sessions.begin() as session:
        accepted = [
            {
                "message_id": item.message.id,
                "status": OutboxStatus.SENT,
                "provider_sid": result.provider_sid,
                "delivery_status": result.status,
                "sent_at": now,
                "claimed_until": None,
                "in_doubt_since": None,
                "last_error": None,
                "error_code": None,
                "updated_at": now,
            }
            for item, result in outcomes
            if isinstance(result, Accepted)
        ]
        if accepted:
            session.execute(_ACCEPTED, accepted)
            report.sent += len(accepted)
        for item, result in outcomes:
            if isinstance(result, SendError):
                _record_failure(session, rt, item, result, now, rng, report)


def _record_failure(
    session: Session,
    rt: Runtime,
    item: _Claimed,
    error: SendError,
    now: datetime,
    rng: random.Random,
    report: DrainReport,
) -> None:
    message = item.message
    attempts = message.attempts  # already counted by the claim
    routine = message.priority >= Priority.ROUTINE
    give_up = error.permanent or (routine and attempts >= ROUTINE_MAX_ATTEMPTS)
    values: dict[str, Any] = {
        "claimed_until": None,
        "last_error": error.reason[:200],
        "error_code": error.code,
        "updated_at": now,
    }
    if give_up:
        values["status"] = OutboxStatus.FAILED
        report.failed += 1
        log.warning("message id=%s failed permanently code=%s", message.id, error.code)
    else:
        values["status"] = OutboxStatus.QUEUED
        values["next_attempt_at"] = now + backoff(attempts, rng.random())
        report.retried += 1
    if error.maybe_sent and message.in_doubt_since is None:
        values["in_doubt_since"] = message.updated_at  # when this attempt was claimed
    session.execute(update(Message).where(Message.id == message.id).values(**values))
    audit(
        session,
        now,
        ACTOR,
        "message.failed" if give_up else "message.retry",
        "message",
        message.id,
        code=error.code,
        attempts=attempts,
    )
    if give_up:
        _checkin_not_asked(session, message, now)
        patient = item.patient
        if error.permanent and patient is not None and message.to_phone == patient.phone:
            _patient_unreachable(session, rt, patient, error, now)
        if message.kind == MessageKind.ALERT and message.escalation_id is not None:
            alert_failed(session, rt, message.escalation_id, now)


def _patient_unreachable(
    session: Session, rt: Runtime, patient: Patient, error: SendError, now: datetime
) -> None:
    """21610: the patient opted out at the carrier. 21211/21614: the number cannot take SMS."""
    patient = session.get(Patient, patient.id) or patient
    if error.code == OPTED_OUT_CODE:
        opt_out(
            session,
            rt,
            patient,
            now,
            ACTOR,
            "has blocked our texts (STOP at the carrier, 21610): no more check-ins",
            source="21610",
        )
    elif error.code in BAD_NUMBER_CODES:
        patient.phone_problem = BAD_NUMBER_CODES[error.code]
        patient.updated_at = now
        audit(session, now, ACTOR, "patient.bad_number", "patient", patient.id, code=error.code)
        open_escalation(
            session,
            rt,
            patient,
            EscalationLevel.DELIVERY_FAILURE,
            now,
            f"cannot receive our texts: {BAD_NUMBER_CODES[error.code]}; check the number",
        )
