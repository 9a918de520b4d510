"""Read-only views for the CLI and the simulator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, union_all

from monitor.db.models import CareTeam, CheckIn, Escalation, Message, Patient
from monitor.db.models import Course as CourseRow
from monitor.db.types import UTCDateTime
from monitor.domain.states import CheckinStatus, MessageKind, OutboxStatus, PatientStatus
from monitor.domain.windows import course_spans, last_monitored_day
from monitor.runtime import Runtime
from monitor.services.patients import find_patient
from monitor.services.planning import domain_courses


@dataclass(frozen=True)
class PatientSummary:
    patient: Patient
    team: str
    next_checkin: datetime | None
    last_day: date | None


@dataclass(frozen=True)
class CourseView:
    course: CourseRow
    drug_name: str
    window_days: int
    spans: list[tuple[date, date]]


@dataclass(frozen=True)
class PatientDetail:
    summary: PatientSummary
    courses: list[CourseView]
    checkins: list[CheckIn]
    messages: list[Message]
    delivery: dict[int, str]  # check-in id -> the provider's latest status for its question

    @property
    def undelivered(self) -> list[CheckIn]:
        return [c for c in self.checkins if self.delivery.get(c.id) in ("undelivered", "failed")]


def list_patients(
    rt: Runtime, status: PatientStatus | None = None, team: str | None = None
) -> list[PatientSummary]:
    with rt.sessions() as session:
        query = (
            select(Patient, CareTeam.name)
            .join(CareTeam, CareTeam.id == Patient.care_team_id)
            .order_by(Patient.enrolled_at, Patient.id)
        )
        if status is not None:
            query = query.where(Patient.status == status)
        if team is not None:
            query = query.where(CareTeam.name == team)
        rows = session.execute(query).all()
        due = dict(
            session.execute(
                select(CheckIn.patient_id, CheckIn.due_at).where(
                    CheckIn.status == CheckinStatus.SCHEDULED
                )
            ).all()
        )
        courses: dict[int, list[CourseRow]] = {}
        for course in session.scalars(select(CourseRow)):
            courses.setdefault(course.patient_id, []).append(course)
        return [
            PatientSummary(
                patient,
                team_name,
                due.get(patient.id),
                last_monitored_day(domain_courses(rt.catalogue, courses.get(patient.id, []))),
            )
            for patient, team_name in rows
        ]


def patient_detail(rt: Runtime, ref: str, message_limit: int = 20) -> PatientDetail:
    with rt.sessions() as session:
        patient = find_patient(session, ref)
        team = session.get(CareTeam, patient.care_team_id)
        rows = session.scalars(
            select(CourseRow)
            .where(CourseRow.patient_id == patient.id)
            .order_by(CourseRow.start_date)
        ).all()
        views = []
        for row, course in zip(rows, domain_courses(rt.catalogue, rows), strict=True):
            try:
                name = rt.catalogue.get(row.drug).name
            except KeyError:
                name = row.drug
            views.append(CourseView(row, name, course.window_days, course_spans(course)))
        checkins = session.scalars(
            select(CheckIn).where(CheckIn.patient_id == patient.id).order_by(CheckIn.local_date)
        ).all()
        messages = session.scalars(
            select(Message)
            .where(Message.patient_id == patient.id)
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(message_limit)
        ).all()
        delivery = {
            checkin_id: status or ""
            for checkin_id, status in session.execute(
                select(Message.checkin_id, Message.delivery_status).where(
                    Message.patient_id == patient.id,
                    Message.kind == MessageKind.CHECKIN,
                )
            )
            if checkin_id is not None
        }
        scheduled = next((c.due_at for c in checkins if c.status == CheckinStatus.SCHEDULED), None)
        last_day = last_monitored_day(domain_courses(rt.catalogue, rows))
        summary = PatientSummary(patient, team.name if team else "?", scheduled, last_day)
        return PatientDetail(summary, views, list(checkins), list(messages), delivery)


def recent_messages(rt: Runtime, limit: int = 50, patient_ref: str | None = None) -> list[Message]:
    with rt.sessions() as session:
        query = select(Message).order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
        if patient_ref:
            query = query.where(Message.patient_id == find_patient(session, patient_ref).id)
        return list(session.scalars(query))


def next_due_at(rt: Runtime) -> datetime | None:
    """The earliest instant any job has work: what the simulator jumps to (one query)."""
    candidates = union_all(
        select(func.min(CheckIn.due_at).label("at")).where(
            CheckIn.status == CheckinStatus.SCHEDULED
        ),
        select(func.min(CheckIn.remind_at)).where(CheckIn.status == CheckinStatus.SENT),
        select(func.min(CheckIn.deadline_at)).where(CheckIn.status == CheckinStatus.SENT),
        select(func.min(Message.next_attempt_at)).where(Message.status == OutboxStatus.QUEUED),
        select(func.min(Patient.closes_at)).where(
            Patient.status.in_((PatientStatus.ACTIVE, PatientStatus.PAUSED))
        ),
        select(func.min(Escalation.next_alert_at)).where(Escalation.acknowledged_at.is_(None)),
        select(func.min(Escalation.next_tier_at)).where(Escalation.acknowledged_at.is_(None)),
    ).subquery()
    with rt.sessions() as session:
        earliest = session.scalar(select(func.min(candidates.c.at)))
    if earliest is None:
        return None
    return UTCDateTime().process_result_value(earliest, session.get_bind().dialect)
