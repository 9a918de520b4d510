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
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from monitor.db.types import UTCDateTime
from monitor.domain.states import (
    CheckinStatus,
    Direction,
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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[Direction] = mapped_column(_enum(Direction))
    kind: Mapped[MessageKind] = mapped_column(_enum(MessageKind))
    priority: Mapped[int] = mapped_column(Integer)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"))
    nurse_id: Mapped[int | None] = mapped_column(ForeignKey("nurses.id"))
    checkin_id: Mapped[int | None] = mapped_column(ForeignKey("checkins.id"))
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
    expires_at: Mapped[datetime | None]  # routine messages only: stale after this
    last_error: Mapped[str | None] = mapped_column(String(200))
    error_code: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


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
