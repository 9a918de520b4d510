"""Delivery receipts: Twilio's status callbacks, each (MessageSid, status) once, never backwards.

Callbacks can arrive twice and out of order; the first copy of each status is kept as an event,
and the message row only moves forward. An undelivered nurse alert pages the next tier at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from monitor.db.models import DeliveryEvent, Message
from monitor.db.upsert import dialect_insert
from monitor.domain.outbox_rules import delivery_advances
from monitor.domain.states import MessageKind
from monitor.runtime import Runtime
from monitor.services.audit import audit
from monitor.services.escalation import alert_failed

UNDELIVERED = frozenset({"undelivered", "failed"})


def record_delivery_status(
    rt: Runtime, provider_sid: str, status: str, error_code: int | None, now: datetime
) -> bool:
    """Apply a status callback; False when it is a repeat, unknown, or a step back."""
    module = dialect_insert(rt.engine)
    first_copy = (
        module.insert(DeliveryEvent)
        .values(
            provider_sid=provider_sid[:64],
            status=status[:16],
            error_code=error_code,
            received_at=now,
        )
        .on_conflict_do_nothing(index_elements=["provider_sid", "status"])
        .returning(DeliveryEvent.id)
    )
    with rt.sessions.begin() as session:
        if session.scalar(first_copy) is None:
            return False  # this status for this message was recorded before
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
        if status in UNDELIVERED and message.kind == MessageKind.ALERT and message.escalation_id:
            alert_failed(session, rt, message.escalation_id, now)
        return True
