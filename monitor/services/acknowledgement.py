"""Acknowledgement: a nurse takes an alert (by SMS or from the CLI); re-alerting stops and the
other nurses paged for it are told who took it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.db.models import Escalation, Message, Nurse, Patient
from monitor.domain.states import MessageKind, Priority
from monitor.domain.wording import short_name
from monitor.runtime import Runtime
from monitor.services.audit import audit
from monitor.services.escalation import team_nurses, who
from monitor.services.outbox_queue import Outgoing, enqueue


@dataclass(frozen=True)
class AckOutcome:
    acknowledged: Escalation | None
    reply: str  # what the nurse is told


def acknowledge_by_phone(
    session: Session, rt: Runtime, phone: str, code: str | None, now: datetime
) -> AckOutcome:
    """ACK from a nurse's phone: `code` or, without one, that nurse's most recent open alert."""
    nurses = list(session.scalars(select(Nurse).where(Nurse.phone == phone)))
    if code:
        teams = [nurse.care_team_id for nurse in nurses]
        escalation = session.scalars(
            select(Escalation)
            .where(Escalation.code == code.upper(), Escalation.care_team_id.in_(teams))
            .with_for_update()
        ).first()
        if escalation is None or escalation.acknowledged_at is not None:
            return AckOutcome(None, _already_or_unknown(session, rt, escalation, code))
    else:
        latest = session.scalar(
            select(Message.escalation_id)
            .join(Escalation, Escalation.id == Message.escalation_id)
            .where(
                Message.nurse_id.in_([nurse.id for nurse in nurses]),
                Message.kind == MessageKind.ALERT,
                Escalation.acknowledged_at.is_(None),
            )
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(1)
        )
        if latest is None:
            return AckOutcome(None, rt.renderer.render("ack_none", "staff"))
        escalation = session.scalars(
            select(Escalation).where(Escalation.id == latest).with_for_update()
        ).one()
    nurse = next(n for n in nurses if n.care_team_id == escalation.care_team_id)
    return AckOutcome(escalation, _acknowledge(session, rt, escalation, nurse, now, "sms"))


def acknowledge_by_name(rt: Runtime, code: str, nurse_name: str, now: datetime) -> Escalation:
    """`dswatch ack CODE --nurse NAME`: the same acknowledgement, recorded for that nurse."""
    with rt.sessions.begin() as session:
        escalation = session.scalars(
            select(Escalation).where(Escalation.code == code.strip().upper()).with_for_update()
        ).first()
        if escalation is None:
            raise EscalationError(f"no alert {code!r}: see `dswatch alerts` for open codes")
        if escalation.acknowledged_at is not None:
            raise EscalationError(f"alert {escalation.code} was already acknowledged")
        nurse = session.scalars(
            select(Nurse).where(
                Nurse.care_team_id == escalation.care_team_id,
                Nurse.name.ilike(nurse_name.strip()),
            )
        ).first()
        if nurse is None:
            names = ", ".join(n.name for n in team_nurses(session, escalation.care_team_id))
            raise EscalationError(
                f"no nurse named {nurse_name!r} in this patient's care team (nurses: {names})"
            )
        _acknowledge(session, rt, escalation, nurse, now, "cli")
        return escalation


class EscalationError(ValueError):
    pass


def _already_or_unknown(
    session: Session, rt: Runtime, escalation: Escalation | None, code: str
) -> str:
    if escalation is not None and escalation.acknowledged_by is not None:
        taker = session.get(Nurse, escalation.acknowledged_by)
        patient = session.get(Patient, escalation.patient_id)
        assert patient is not None
        return rt.renderer.render(
            "ack_taken",
            "staff",
            code=escalation.code,
            who=who(patient),
            nurse=short_name(taker.name) if taker else "another nurse",
        )
    return rt.renderer.render("ack_unknown", "staff", code=code.upper())


def _acknowledge(
    session: Session, rt: Runtime, escalation: Escalation, nurse: Nurse, now: datetime, via: str
) -> str:
    escalation.acknowledged_at = now
    escalation.acknowledged_by = nurse.id
    escalation.next_alert_at = None
    escalation.next_tier_at = None
    patient = session.get(Patient, escalation.patient_id)
    assert patient is not None
    audit(
        session,
        now,
        f"nurse:{nurse.id}",
        "escalation.acknowledged",
        "escalation",
        escalation.id,
        via=via,
    )
    others = set(
        session.scalars(
            select(Message.nurse_id).where(
                Message.escalation_id == escalation.id,
                Message.kind == MessageKind.ALERT,
                Message.nurse_id.is_not(None),
                Message.nurse_id != nurse.id,
            )
        )
    )
    notice = rt.renderer.render(
        "ack_taken", "staff", code=escalation.code, who=who(patient), nurse=short_name(nurse.name)
    )
    for other in session.scalars(select(Nurse).where(Nurse.id.in_(others))):
        enqueue(
            session,
            now,
            Outgoing(
                kind=MessageKind.ALERT,
                to_phone=other.phone,
                body=notice,
                key=f"ack:{escalation.id}:{other.id}",
                priority=Priority.ALERT,
                nurse_id=other.id,
                escalation_id=escalation.id,
            ),
        )
    return rt.renderer.render(
        "ack_confirm", "staff", code=escalation.code, who=who(patient), callback=patient.phone
    )
