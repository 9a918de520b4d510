"""Tables (SQLAlchemy 2.0 typed mappings). Every change to them comes with an Alembic migration."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from monitor.db.types import UTCDateTime
from monitor.domain.states import (
    CheckinStatus,
    Direction,
    EscalationLevel,
    MessageKind,
    OutboxStatus,
    PatientStatus,
)


def _enum(kind: type[Any]) -> Enum:
    # VARCHAR plus validation on write: adding a value later needs no table rebuild on SQLite.
    return Enum(
        kind,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        date: Date(),
        time: Time(),
    }


class CareTeam(Base):
    __tablename__ = "care_teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    clinic_phone: Mapped[str | None] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")  # nurses' on-call hours
    created_at: Mapped[datetime]


class Nurse(Base):
    __tablename__ = "nurses"
    __table_args__ = (UniqueConstraint("care_team_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    care_team_id: Mapped[int] = mapped_column(ForeignKey("care_teams.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    tier: Mapped[int] = mapped_column(Integer)
    on_call_start: Mapped[time | None]
    on_call_end: Mapped[time | None]
    created_at: Mapped[datetime]


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (Index("ix_patients_status_closes_at", "status", "closes_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    checkin_time: Mapped[time]
    care_team_id: Mapped[int] = mapped_column(ForeignKey("care_teams.id"), index=True)
    status: Mapped[PatientStatus] = mapped_column(_enum(PatientStatus))
    phone_problem: Mapped[str | None] = mapped_column(String(100))
    closes_at: Mapped[datetime | None]
    enrolled_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    drug: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[date]
    window_days: Mapped[int | None] = mapped_column(Integer)  # None: the catalogue's window
    hold_date: Mapped[date | None]
    resume_date: Mapped[date | None]
    stop_date: Mapped[date | None]
    created_at: Mapped[datetime]


class CheckIn(Base):
    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("patient_id", "local_date", name="uq_checkins_patient_day"),
        Index("ix_checkins_status_due_at", "status", "due_at"),
        Index("ix_checkins_status_remind_at", "status", "remind_at"),
        Index("ix_checkins_status_deadline_at", "status", "deadline_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    local_date: Mapped[date]
    due_at: Mapped[datetime]
    status: Mapped[CheckinStatus] = mapped_column(_enum(CheckinStatus))
    sent_at: Mapped[datetime | None]
    remind_at: Mapped[datetime | None]  # set while a reminder is still to be sent
    reminded_at: Mapped[datetime | None]
    deadline_at: Mapped[datetime | None]  # unanswered by then: missed
    answered_at: Mapped[datetime | None]


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_outbox", "status", "priority", "next_attempt_at"),
        Index("ix_messages_patient_created", "patient_id", "created_at"),
        # Partial: only inbound texts not yet processed (normally none), so the retry job's
        # lookup stays constant however large the table grows.
        Index(
            "ix_messages_unprocessed_inbound",
            "created_at",
            postgresql_where=text("direction = 'in' AND processed_at IS NULL"),
            sqlite_where=text("direction = 'in' AND processed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[Direction] = mapped_column(_enum(Direction))
    kind: Mapped[MessageKind] = mapped_column(_enum(MessageKind))
    priority: Mapped[int] = mapped_column(Integer)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"))
    nurse_id: Mapped[int | None] = mapped_column(ForeignKey("nurses.id"))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id"))
    # use_alter breaks the messages -> escalations -> reports -> messages cycle for table sorting.
    escalation_id: Mapped[int | None] = mapped_column(
        ForeignKey("escalations.id", use_alter=True, name="fk_messages_escalation_id"), index=True
    )
    in_reply_to: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", name="fk_messages_in_reply_to"), index=True
    )
    processed_at: Mapped[datetime | None]  # inbound: handled (replied, triaged, escalated)
    to_phone: Mapped[str] = mapped_column(String(20))
    from_phone: Mapped[str | None] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus))
    delivery_status: Mapped[str | None] = mapped_column(String(16))  # provider's, never regresses
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    claimed_until: Mapped[datetime | None]
    # Set when an attempt may have reached the provider without our hearing back (timeout,
    # dropped connection, 5xx, a sender killed mid-call): reconcile before sending again.
    in_doubt_since: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]  # routine messages only: stale after this
    last_error: Mapped[str | None] = mapped_column(String(200))
    error_code: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class Report(Base):
    """One triaged message from a patient: what was found and what level it earned."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_patient_created", "patient_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), unique=True)
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id"))
    level: Mapped[str] = mapped_column(String(16))
    signs: Mapped[list[str]] = mapped_column(JSON)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    temperature_c: Mapped[float | None]
    weight_kg: Mapped[float | None]
    language: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime]


class Escalation(Base):
    """An alertable event and its progress through the care team's tiers until acknowledged."""

    __tablename__ = "escalations"
    __table_args__ = (
        Index("ix_escalations_open_alert", "acknowledged_at", "next_alert_at"),
        Index("ix_escalations_open_tier", "acknowledged_at", "next_tier_at"),
        Index("ix_escalations_patient", "patient_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    care_team_id: Mapped[int] = mapped_column(ForeignKey("care_teams.id"))
    level: Mapped[EscalationLevel] = mapped_column(_enum(EscalationLevel))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id"))
    summary: Mapped[str] = mapped_column(String(400))  # what happened, for the alert
    words: Mapped[str | None] = mapped_column(String(400))  # the patient's own words, if any
    tier: Mapped[int] = mapped_column(Integer)  # highest tier alerted so far
    alert_rounds: Mapped[int] = mapped_column(Integer, default=0)
    next_alert_at: Mapped[datetime | None]
    next_tier_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("nurses.id"))


class DeliveryEvent(Base):
    """Each provider status callback once: (MessageSid, status) repeats are dropped."""

    __tablename__ = "delivery_events"
    __table_args__ = (UniqueConstraint("provider_sid", "status", name="uq_delivery_events"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_sid: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime]


class Heartbeat(Base):
    """The last run of each scheduled job, written by whichever worker ran it."""

    __tablename__ = "heartbeats"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    finished_at: Mapped[datetime]
    duration_ms: Mapped[float]
    ok: Mapped[bool]
    runs: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Append-only (database triggers refuse UPDATE and DELETE). Ids and states only, no PHI."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
