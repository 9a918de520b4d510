"""Atomic claims of due work.

PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED`, so any number of workers take disjoint rows.
SQLite: the FOR UPDATE clause is dropped and the write lock taken at BEGIN IMMEDIATE
(see engine.py) serialises claimers instead. Either way a row is claimed once.

Statements are built once, with bind parameters: jobs claim every few seconds, most often
finding nothing, and building a statement costs more than running it on an idle database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Row,
    Select,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from monitor.db.models import CheckIn, Escalation, Message, Patient
from monitor.domain.states import CheckinStatus, Direction, OutboxStatus, PatientStatus, Priority

T = TypeVar("T")

_NOW: BindParameter[datetime] = bindparam("now")
_LIMIT = bindparam("limit", type_=Integer)
_NO_SYNC = {"synchronize_session": False}

_DUE_CHECKINS = (
    select(CheckIn.id, CheckIn.patient_id, CheckIn.local_date, CheckIn.due_at)
    .where(CheckIn.status == CheckinStatus.SCHEDULED, CheckIn.due_at <= _NOW)
    .order_by(CheckIn.due_at, CheckIn.id)
    .limit(_LIMIT)
    .with_for_update(skip_locked=True)
)


def _sent_checkins_due_by(column: InstrumentedAttribute[datetime | None]) -> Select[CheckIn]:
    """Sent check-ins whose reminder (or deadline) has come, oldest first, skipping locked rows."""
    return (
        select(CheckIn)
        .where(CheckIn.status == CheckinStatus.SENT, column <= _NOW)
        .order_by(column, CheckIn.id)
        .limit(_LIMIT)
        .with_for_update(skip_locked=True)
    )


_DUE_REMINDERS = _sent_checkins_due_by(CheckIn.remind_at)
_OVERDUE_CHECKINS = _sent_checkins_due_by(CheckIn.deadline_at)
_CLOSING_PATIENTS = (
    select(Patient)
    .where(
        Patient.status.in_((PatientStatus.ACTIVE, PatientStatus.PAUSED)),
        Patient.closes_at <= _NOW,
    )
    .order_by(Patient.closes_at, Patient.id)
    .limit(_LIMIT)
    .with_for_update(skip_locked=True)
)
_DUE_ESCALATIONS = (
    select(Escalation)
    .where(Escalation.acknowledged_at.is_(None), Escalation.next_alert_at <= _NOW)
    .union(
        select(Escalation).where(
            Escalation.acknowledged_at.is_(None), Escalation.next_tier_at <= _NOW
        )
    )
    .subquery()
)


def due_checkins(
    session: Session, now: datetime, limit: int
) -> Sequence[Row[int, int, date, datetime]]:
    """Scheduled check-ins whose instant has come: (id, patient_id, local_date, due_at)."""
    return session.execute(_DUE_CHECKINS, {"now": now, "limit": limit}).all()


def due_reminders(session: Session, now: datetime, limit: int) -> Sequence[CheckIn]:
    return session.scalars(_DUE_REMINDERS, {"now": now, "limit": limit}).all()


def overdue_checkins(session: Session, now: datetime, limit: int) -> Sequence[CheckIn]:
    return session.scalars(_OVERDUE_CHECKINS, {"now": now, "limit": limit}).all()


def closing_patients(session: Session, now: datetime, limit: int) -> Sequence[Patient]:
    return session.scalars(_CLOSING_PATIENTS, {"now": now, "limit": limit}).all()


_ESCALATIONS = (
    select(Escalation)
    .where(
        Escalation.id.in_(select(_DUE_ESCALATIONS.c.id)),
        Escalation.acknowledged_at.is_(None),
    )
    .order_by(Escalation.id)
    .limit(_LIMIT)
    .with_for_update(skip_locked=True)
)


def due_escalations(session: Session, now: datetime, limit: int) -> Sequence[Escalation]:
    """Open escalations whose next alert or next tier has come (two indexed lookups)."""
    return session.scalars(_ESCALATIONS, {"now": now, "limit": limit}).all()


def _outbox_claim(band: ColumnElement[bool] | None) -> Any:
    where = [Message.status == OutboxStatus.QUEUED, Message.next_attempt_at <= _NOW]
    if band is not None:
        where.append(band)
    # Ordered by the outbox index's own columns only, so the scan stops after `limit` rows.
    # With Message.id as a last key PostgreSQL read and sorted every queued message on each
    # claim (a dispatch queues thousands with one next_attempt_at): O(backlog) per batch,
    # 10 ms at 20k queued, and quadratic over a drain. Ties go in index order (SQLite: by id).
    chosen = (
        select(Message.id)
        .where(*where)
        .order_by(Message.priority, Message.next_attempt_at)
        .limit(_LIMIT)
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
            updated_at=_NOW,
        )
        .returning(Message.id)
    )


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
        execution_options=_NO_SYNC,
    )
    return sorted(claimed)


_LAPSED = (
    Message.direction == Direction.OUTBOUND,
    Message.status == OutboxStatus.SENDING,
    Message.claimed_until < _NOW,
)
_REQUEUE = (
    update(Message)
    .where(*_LAPSED)
    .values(
        # next_attempt_at is kept (it was due when claimed): the message keeps its place in the
        # queue instead of going behind the whole backlog. Being in doubt, it should be looked
        # up with the provider soon, while it is still among the number's recent messages.
        status=OutboxStatus.QUEUED,
        claimed_until=None,
        in_doubt_since=func.coalesce(Message.in_doubt_since, Message.updated_at),
        last_error="sender stopped mid-send; will check with the provider",
        updated_at=_NOW,
    )
    .returning(Message.id, Message.attempts)
)
_GIVE_UP = (
    update(Message)
    .where(Message.id.in_(bindparam("ids", expanding=True)))
    .values(status=OutboxStatus.FAILED, last_error=bindparam("reason"), updated_at=_NOW)
)


def requeue_lapsed(session: Session, now: datetime, max_attempts: int) -> list[int]:
    """Hand back messages whose sender died mid-send (lease run out); returns their ids.

    The provider may have taken them, so they are marked in doubt from when they were claimed
    (`updated_at`), and the next attempt asks the provider before sending. One that has been
    claimed `max_attempts` times without an answer is given up rather than retried forever.
    """
    lapsed = session.execute(_REQUEUE, {"now": now}, execution_options=_NO_SYNC).all()
    poisoned = [row.id for row in lapsed if row.attempts >= max_attempts]
    if poisoned:
        reason = f"sender stopped mid-send {max_attempts} times; given up"
        session.execute(
            _GIVE_UP, {"ids": poisoned, "reason": reason, "now": now}, execution_options=_NO_SYNC
        )
    return [row.id for row in lapsed if row.attempts < max_attempts]


def claimed_batches(
    sessions: sessionmaker[Session],
    claim: Callable[[Session, datetime, int], Sequence[T]],
    now: datetime,
    batch_size: int,
) -> Iterator[tuple[Session, Sequence[T]]]:
    """Claim and hand over due rows batch by batch, one transaction per batch.

    The caller works on each batch inside its transaction (the claim's row locks are held until
    it commits), so a worker that dies mid-batch loses nothing: the batch rolls back and is
    claimed again. Stops at the first short batch rather than asking for an empty one.
    """
    while True:
        with sessions.begin() as session:
            rows = claim(session, now, batch_size)
            if not rows:
                return
            yield session, rows
        if len(rows) < batch_size:
            return
