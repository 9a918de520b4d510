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
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from monitor.db import claims
from monitor.db.models import CheckIn, Message, Patient
from monitor.domain.outbox_rules import (
    BAD_NUMBER_CODES,
    OPTED_OUT_CODE,
    Action,
    action_for,
    backoff,
    delivery_advances,
)
from monitor.domain.states import CheckinStatus, MessageKind, OutboxStatus, PatientStatus, Priority
from monitor.runtime import Runtime
from monitor.services.audit import audit
from monitor.services.planning import refresh_schedule
from monitor.sms.sender import Accepted, OutgoingSms, SendError

log = logging.getLogger("dswatch.outbox")

ACTOR = "outbox"
LEASE = timedelta(seconds=60)  # longer than any provider call may take
ROUTINE_MAX_ATTEMPTS = 8  # about 8 minutes of backoff; alerts are never given up
ALERT_VALIDITY_SECONDS = 900  # an alert nobody can read within 15 minutes is useless


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
) -> DrainReport:
    """Send due messages until none are left or `max_seconds` of wall time have passed."""
    report = DrainReport()
    rng = rng or random.Random()
    concurrency = rt.settings.send_concurrency
    stop_at = time.monotonic() + max_seconds
    limit = concurrency * 4
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="send") as pool:
        while time.monotonic() < stop_at:
            now = rt.clock.now()
            batch = _claim(rt, now, limit)
            if not batch:
                if rt.limiter is not None and _routine_waiting(rt, now):
                    sleep(min(rt.limiter.wait_time(), max(0.0, stop_at - time.monotonic())))
                    continue
                break
            sendable = _apply_rules(rt, now, batch, report)
            if concurrency == 1:
                outcomes = [_send(rt, item) for item in sendable]
            else:
                outcomes = list(pool.map(lambda item: _send(rt, item), sendable))
            _record(rt, rt.clock.now(), outcomes, rng, report)
            if len(batch) < limit and rt.limiter is None:
                break  # drained; what arrives meanwhile waits for the next tick
    return report


def recover_lapsed(rt: Runtime) -> int:
    """Requeue messages a stopped sender left in `sending` once their lease has run out."""
    with rt.sessions.begin() as session:
        lapsed = claims.requeue_lapsed(session, rt.clock.now())
    if lapsed:
        log.warning("requeued %d messages left mid-send by a stopped sender", len(lapsed))
    return len(lapsed)


def _claim(rt: Runtime, now: datetime, limit: int) -> list[_Claimed]:
    lease = now + LEASE
    with rt.sessions.begin() as session:
        if rt.limiter is None:
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
                zone=ZoneInfo(patient.timezone) if patient else None,
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
            session.execute(update(Message).where(Message.id == message.id).values(**values))
            audit(session, now, ACTOR, f"message.{values['status']}", "message", message.id)
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
    message = item.message
    sms = OutgoingSms(
        message_id=message.id,
        to=message.to_phone,
        body=message.body,
        status_callback=_status_callback(rt),
        validity_seconds=ALERT_VALIDITY_SECONDS if message.kind == MessageKind.ALERT else None,
    )
    try:
        return item, rt.sender.send(sms)
    except SendError as error:
        return item, error
    except Exception as error:  # a sender bug must not strand the message in `sending`
        log.exception("sender raised unexpectedly for message id=%s", message.id)
        return item, SendError(f"unexpected: {type(error).__name__}", maybe_sent=True)


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
                "id": item.message.id,
                "status": OutboxStatus.SENT,
                "provider_sid": result.provider_sid,
                "delivery_status": result.status,
                "sent_at": now,
                "claimed_until": None,
                "last_error": None,
                "error_code": None,
                "updated_at": now,
            }
            for item, result in outcomes
            if isinstance(result, Accepted)
        ]
        if accepted:
            session.execute(update(Message), accepted)
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
        if error.permanent and item.patient is not None:
            _patient_unreachable(session, rt, item.patient, error, now)


def _patient_unreachable(
    session: Session, rt: Runtime, patient: Patient, error: SendError, now: datetime
) -> None:
    """21610: the patient opted out at the carrier. 21211/21614: the number cannot take SMS."""
    patient = session.get(Patient, patient.id) or patient
    if error.code == OPTED_OUT_CODE and patient.status != PatientStatus.OPTED_OUT:
        patient.status = PatientStatus.OPTED_OUT
        patient.updated_at = now
        refresh_schedule(session, rt.catalogue, rt.protocol.quiet, patient, now)
        audit(session, now, ACTOR, "patient.opted_out", "patient", patient.id, source="21610")
    elif error.code in BAD_NUMBER_CODES:
        patient.phone_problem = BAD_NUMBER_CODES[error.code]
        patient.updated_at = now
        audit(session, now, ACTOR, "patient.bad_number", "patient", patient.id, code=error.code)


def record_delivery_status(
    rt: Runtime, provider_sid: str, status: str, error_code: int | None, now: datetime
) -> bool:
    """Apply a provider status callback; False when it is unknown, a repeat or a step back."""
    with rt.sessions.begin() as session:
        message = session.scalars(
            select(Message).where(Message.provider_sid == provider_sid).with_for_update()
        ).first()
        if message is None or not delivery_advances(message.delivery_status, status):
            return False
        message.delivery_status = status
        if error_code:
            message.error_code = error_code
        message.updated_at = now
        audit(
            session,
            now,
            "twilio",
            "message.delivery",
            "message",
            message.id,
            status=status,
            code=error_code,
        )
        return True
