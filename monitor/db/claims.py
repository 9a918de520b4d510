"""Atomic claims of due work.

PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED`, so any number of workers take disjoint rows.
SQLite: the FOR UPDATE clause is dropped and the write lock taken at BEGIN IMMEDIATE
(see engine.py) serialises claimers instead. Either way a row is claimed once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Row, bindparam, select, update
from sqlalchemy.orm import Session

from monitor.db.models import CheckIn, Message, Patient
from monitor.domain.states import CheckinStatus, Direction, OutboxStatus, PatientStatus, Priority


def due_checkins(
    session: Session, now: datetime, limit: int
) -> Sequence[Row[int, int, date, datetime]]:
    """Scheduled check-ins whose instant has come: (id, patient_id, local_date, due_at)."""
    return session.execute(
        select(CheckIn.id, CheckIn.patient_id, CheckIn.local_date, CheckIn.due_at)
        .where(CheckIn.status == CheckinStatus.SCHEDULED, CheckIn.due_at <= now)
        .order_by(CheckIn.due_at, CheckIn.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def due_reminders(session: Session, now: datetime, limit: int) -> Sequence[CheckIn]:
    return session.scalars(
        select(CheckIn)
        .where(CheckIn.status == CheckinStatus.SENT, CheckIn.remind_at <= now)
        .order_by(CheckIn.remind_at, CheckIn.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def overdue_checkins(session: Session, now: datetime, limit: int) -> Sequence[CheckIn]:
    return session.scalars(
        select(CheckIn)
        .where(CheckIn.status == CheckinStatus.SENT, CheckIn.deadline_at <= now)
        .order_by(CheckIn.deadline_at, CheckIn.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def closing_patients(session: Session, now: datetime, limit: int) -> Sequence[Patient]:
    return session.scalars(
        select(Patient)
        .where(
            Patient.status.in_((PatientStatus.ACTIVE, PatientStatus.PAUSED)),
            Patient.closes_at <= now,
        )
        .order_by(Patient.closes_at, Patient.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def _outbox_claim(band: ColumnElement[bool] | None) -> Any:
    where = [Message.status == OutboxStatus.QUEUED, Message.next_attempt_at <= bindparam("now")]
    if band is not None:
        where.append(band)
    chosen = (
        select(Message.id)
        .where(*where)
        .order_by(Message.priority, Message.next_attempt_at, Message.id)
        .limit(bindparam("limit", type_=Integer))
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    return (
        update(Message)
        .where(Message.id.in_(chosen))
        .values(
            status=OutboxStatus.SENDING,
            claimed_until=bindparam("lease_until"),
            attempts=Message.attempts + 1,
            updated_at=bindparam("now"),
        )
        .returning(Message.id)
    )


# Built once: the drainer claims many times a second and statement construction is not free.
_CLAIM_URGENT = _outbox_claim(Message.priority < Priority.ROUTINE)
_CLAIM_ROUTINE = _outbox_claim(Message.priority >= Priority.ROUTINE)
_CLAIM_ANY = _outbox_claim(None)


def outbox_batch(
    session: Session,
    now: datetime,
    lease_until: datetime,
    limit: int,
    *,
    routine: bool | None,
) -> list[int]:
    """Claim queued messages that are due, most urgent first; returns their ids.

    `routine` False: alerts and replies only; True: routine only; None: both bands at once
    (when no rate cap applies). The claim marks them `sending` until `lease_until` and counts the
    attempt before the provider is called, so a crash mid-send leaves a row that
    `requeue_lapsed` hands back later.
    """
    if limit <= 0:
        return []
    statement = {None: _CLAIM_ANY, False: _CLAIM_URGENT, True: _CLAIM_ROUTINE}[routine]
    claimed = session.scalars(
        statement,
        {"now": now, "lease_until": lease_until, "limit": limit},
        execution_options={"synchronize_session": False},
    )
    return sorted(claimed)


def requeue_lapsed(session: Session, now: datetime) -> list[int]:
    """Hand back messages whose sender died mid-send (its lease ran out); returns their ids."""
    return list(
        session.scalars(
            update(Message)
            .where(
                Message.direction == Direction.OUTBOUND,
                Message.status == OutboxStatus.SENDING,
                Message.claimed_until < now,
            )
            .values(
                status=OutboxStatus.QUEUED,
                next_attempt_at=now,
                claimed_until=None,
                last_error="sender stopped mid-send; retried",
                updated_at=now,
            )
            .returning(Message.id),
            execution_options={"synchronize_session": False},
        )
    )
