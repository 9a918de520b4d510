"""Put messages in the outbox. Every planned send is a row before anything is sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from monitor.db.models import Message
from monitor.db.upsert import insert_ignoring_conflicts
from monitor.domain.states import Direction, MessageKind, OutboxStatus, Priority


@dataclass(frozen=True)
class Outgoing:
    kind: MessageKind
    to_phone: str
    body: str
    key: str  # idempotency key: enqueuing the same key twice sends once
    priority: Priority = Priority.ROUTINE
    patient_id: int | None = None
    nurse_id: int | None = None
    checkin_id: int | None = None
    escalation_id: int | None = None
    not_before: datetime | None = None
    expires_at: datetime | None = None


def message_row(item: Outgoing, now: datetime) -> dict[str, Any]:
    return {
        "direction": Direction.OUTBOUND,
        "kind": item.kind,
        "priority": int(item.priority),
        "patient_id": item.patient_id,
        "nurse_id": item.nurse_id,
        "checkin_id": item.checkin_id,
        "escalation_id": item.escalation_id,
        "to_phone": item.to_phone,
        "body": item.body,
        "idempotency_key": item.key,
        "status": OutboxStatus.QUEUED,
        "attempts": 0,
        "next_attempt_at": item.not_before or now,
        "expires_at": item.expires_at,
        "created_at": now,
        "updated_at": now,
    }


URGENT_QUEUED = "dswatch.urgent_queued"


def enqueue(session: Session, now: datetime, *items: Outgoing, **columns: Any) -> None:
    """Queue messages (`columns` sets more of each row, e.g. in_reply_to).

    The session remembers when something above routine priority was queued, so the web
    process can send it right after answering instead of waiting for a worker's tick.
    """
    rows = [message_row(item, now) | columns for item in items]
    insert_ignoring_conflicts(session, Message, rows, ["idempotency_key"])
    if any(item.priority < Priority.ROUTINE for item in items):
        session.info[URGENT_QUEUED] = True


def urgent_queued(session: Session) -> bool:
    return bool(session.info.get(URGENT_QUEUED))
