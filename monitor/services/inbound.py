"""Receive an SMS: store it once per MessageSid, then work out who wrote and answer them.

The row is committed before anything else happens, so a crash later loses nothing: the message
waits, unprocessed, for `process_pending`. A replay of the same MessageSid gets the same answer
and is processed once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from monitor.db.models import CareTeam, Message, Nurse, Patient
from monitor.db.upsert import dialect_insert, insert_ignoring_conflicts
from monitor.domain.keywords import parse_ack
from monitor.domain.states import Direction, MessageKind, OutboxStatus, Priority
from monitor.phones import InvalidPhone, normalise_phone
from monitor.runtime import Runtime
from monitor.services.acknowledgement import acknowledge_by_phone
from monitor.services.audit import audit
from monitor.services.outbox_queue import Outgoing, enqueue, message_row, urgent_queued
from monitor.services.replies import Reply, handle_patient

log = logging.getLogger("dswatch.inbound")

MAX_BODY = 1600  # Twilio's limit; anything longer is cut before it is stored
PENDING_GRACE = timedelta(seconds=30)  # a request may still be processing it


class InboundError(ValueError):
    """The request is not an inbound SMS (400 with this reason)."""


@dataclass(frozen=True)
class InboundSms:
    sid: str
    from_: str
    to: str
    body: str
    num_media: int = 0
    opt_out_type: str | None = None  # Twilio Advanced Opt-Out: STOP, START or HELP


def from_form(form: Mapping[str, str]) -> InboundSms:
    sid = (form.get("MessageSid") or form.get("SmsSid") or "").strip()
    sender = (form.get("From") or "").strip()
    if not sid or not sender:
        raise InboundError("MessageSid and From are required")
    try:
        media = int(form.get("NumMedia") or 0)
    except ValueError:
        media = 0
    return InboundSms(
        sid=sid,
        from_=sender,
        to=(form.get("To") or "").strip(),
        # NUL cannot be stored in PostgreSQL text and carries no meaning in an SMS.
        body=(form.get("Body") or "").replace("\x00", "")[:MAX_BODY],
        num_media=media,
        opt_out_type=(form.get("OptOutType") or "").strip().upper() or None,
    )


def _store_statement(dialect: Any) -> Any:
    return (
        dialect.insert(Message)
        .values(
            direction=Direction.INBOUND,
            kind=MessageKind.INBOUND,
            priority=int(Priority.REPLY),
            to_phone=bindparam("to_phone"),
            from_phone=bindparam("from_phone"),
            body=bindparam("body"),
            status=OutboxStatus.RECEIVED,
            provider_sid=bindparam("sid"),
            attempts=0,
            created_at=bindparam("now"),
            updated_at=bindparam("now"),
        )
        .on_conflict_do_nothing(index_elements=["provider_sid"])
        .returning(Message.id)
    )


# Built once: the webhook runs these for every text.
_STORE = {module: _store_statement(module) for module in (postgresql, sqlite)}
_SENDER = (
    select(Patient, CareTeam.clinic_phone)
    .join(CareTeam, CareTeam.id == Patient.care_team_id)
    .where(Patient.phone == bindparam("phone"))
)
_CLAIM = (
    update(Message)
    .where(Message.id == bindparam("message_id"), Message.processed_at.is_(None))
    .values(
        processed_at=bindparam("now"),
        updated_at=bindparam("now"),
        patient_id=bindparam("patient_id"),
        nurse_id=bindparam("nurse_id"),
    )
    .returning(Message.id)
)


def _store(session: Session, sms: InboundSms, now: datetime) -> int | None:
    """Insert the inbound row; None when this MessageSid was stored before."""
    statement = _STORE[dialect_insert(session)]
    inserted: int | None = session.scalar(
        statement,
        {
            "to_phone": sms.to[:20],
            "from_phone": sms.from_[:20],
            "body": sms.body,
            "sid": sms.sid[:64],
            "now": now,
        },
    )
    return inserted


@dataclass(frozen=True)
class Answer:
    """What the webhook answers, and whether it queued anything urgent to send now."""

    text: str | None  # the TwiML <Message>, or None for an empty response
    urgent_queued: bool = False


def receive_sms(rt: Runtime, sms: InboundSms, now: datetime) -> Answer:
    """Store, process and answer one inbound SMS.

    If the message cannot even be stored (database down) the sender still gets the generic
    safety answer: Twilio does not retry a failed webhook, so an error would tell them nothing.
    """
    try:
        with rt.sessions.begin() as session:
            message_id = _store(session, sms, now)
            if message_id is None:
                existing = session.scalar(select(Message.id).where(Message.provider_sid == sms.sid))
    except SQLAlchemyError:
        log.exception("inbound message could not be stored; answered with safety advice only")
        return Answer(rt.renderer.render("unknown_sender", "en"))
    if message_id is None:
        log.info("inbound replay of message id=%s answered from the record", existing)
        return Answer(_stored_answer(rt, existing))
    try:
        return _process(rt, message_id, sms, now, immediate=True)
    except Exception:
        log.exception("inbound message id=%s failed; it stays stored for a retry", message_id)
        return Answer(rt.renderer.render("unknown_sender", "en"))  # still: breathing, chest: 911


def _stored_answer(rt: Runtime, message_id: int | None) -> str | None:
    with rt.sessions() as session:
        return session.scalar(
            select(Message.body)
            .where(Message.in_reply_to == message_id, Message.direction == Direction.OUTBOUND)
            .order_by(Message.id)
            .limit(1)
        )


@dataclass(frozen=True)
class _Sender:
    phone: str | None
    patient: Patient | None = None
    team_phone: str | None = None  # the patient's care-team line
    nurses: tuple[Nurse, ...] = ()

    @property
    def is_nurse(self) -> bool:
        return bool(self.nurses)


def _identify(session: Session, sms: InboundSms) -> _Sender:
    """Who wrote: a patient (with their team's line, in the same query) and, only when it could
    matter (no patient, or the text is an ACK), the nurses with that number. A number that is
    both a nurse's and a patient's is the nurse's for ACKs and the patient's otherwise."""
    phone = _normalised(sms.from_)
    if phone is None:
        return _Sender(None)
    row = session.execute(_SENDER, {"phone": phone}).first()
    patient, team_phone = (row[0], row[1]) if row else (None, None)
    nurses: tuple[Nurse, ...] = ()
    if patient is None or parse_ack(sms.body) is not None:
        nurses = tuple(session.scalars(select(Nurse).where(Nurse.phone == phone)))
    return _Sender(phone, patient, team_phone, nurses)


def _claim(session: Session, message_id: int, now: datetime, sender: _Sender) -> bool:
    """Take the message for processing and record who wrote it, in one statement; False when
    another request or the retry job has it already."""
    nurse = sender.nurses[0] if sender.is_nurse else None
    claimed = session.execute(
        _CLAIM,
        {
            "message_id": message_id,
            "now": now,
            "patient_id": None if nurse else (sender.patient.id if sender.patient else None),
            "nurse_id": nurse.id if nurse else None,
        },
        execution_options={"synchronize_session": False},
    ).first()
    return claimed is not None


def _process(
    rt: Runtime, message_id: int, sms: InboundSms, now: datetime, *, immediate: bool
) -> Answer:
    """Route the message and record the answer.

    `immediate`: the answer goes back in the webhook's TwiML (recorded as sent); otherwise (a
    retry after a crash) it is queued in the outbox.
    """
    with rt.sessions.begin() as session:
        sender = _identify(session, sms)
        if not _claim(session, message_id, now, sender):
            return Answer(None)
        reply = _route(session, rt, message_id, sms, sender, now)
        if reply is not None:
            _record_reply(session, message_id, sms.from_, reply, now, immediate=immediate)
        text = reply.body if (reply is not None and immediate) else None
        return Answer(text, urgent_queued(session))


def _route(
    session: Session,
    rt: Runtime,
    message_id: int,
    sms: InboundSms,
    sender: _Sender,
    now: datetime,
) -> Reply | None:
    if sender.is_nurse:
        return _handle_nurse(session, rt, sms, sender, now)
    if sender.patient is not None:
        return handle_patient(
            session,
            rt,
            sender.patient,
            sender.team_phone,
            message_id,
            sms.body,
            sms.opt_out_type,
            now,
        )
    audit(session, now, "inbound", "inbound.unknown_sender", "message", message_id)
    return Reply(rt.renderer.render("unknown_sender", "en"), MessageKind.REPLY)


def _normalised(phone: str) -> str | None:
    try:
        return normalise_phone(phone)
    except InvalidPhone:
        return None


def _handle_nurse(
    session: Session, rt: Runtime, sms: InboundSms, sender: _Sender, now: datetime
) -> Reply:
    command = parse_ack(sms.body)
    if command is None:
        return Reply(rt.renderer.render("nurse_help", "staff", example="A7K2"), MessageKind.REPLY)
    outcome = acknowledge_by_phone(session, rt, sender.phone or sms.from_, command.code, now)
    return Reply(outcome.reply, MessageKind.REPLY)


def _record_reply(
    session: Session, message_id: int, to: str, reply: Reply, now: datetime, *, immediate: bool
) -> None:
    """The answer as one outbound row: already sent when it rode in the TwiML, else queued."""
    priority = Priority.EMERGENCY if reply.kind == MessageKind.SAFETY else Priority.REPLY
    item = Outgoing(
        kind=reply.kind, to_phone=to, body=reply.body, key=f"reply:{message_id}", priority=priority
    )
    if not immediate:
        enqueue(session, now, item, in_reply_to=message_id, patient_id=reply.patient_id)
        return
    row = message_row(item, now) | {
        "in_reply_to": message_id,
        "patient_id": reply.patient_id,
        "status": OutboxStatus.SENT,
        "delivery_status": "twiml",
        "sent_at": now,
        "next_attempt_at": None,
    }
    insert_ignoring_conflicts(session, Message, [row], ["idempotency_key"])


def process_pending(rt: Runtime, now: datetime) -> int:
    """Process inbound messages a crash left unprocessed; their answers go by the outbox."""
    with rt.sessions() as session:
        pending = session.execute(
            select(
                Message.id, Message.provider_sid, Message.from_phone, Message.to_phone, Message.body
            )
            .where(
                Message.direction == Direction.INBOUND,
                Message.processed_at.is_(None),
                Message.created_at <= now - PENDING_GRACE,
            )
            .order_by(Message.id)
            .limit(100)
        ).all()
    for row in pending:
        sms = InboundSms(row.provider_sid or "", row.from_phone or "", row.to_phone, row.body)
        try:
            _process(rt, row.id, sms, now, immediate=False)
        except Exception:
            log.exception("inbound message id=%s failed again; will retry", row.id)
    return len(pending)
