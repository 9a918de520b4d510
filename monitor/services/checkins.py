"""The daily cycle: dispatch due check-ins, remind, mark missed, close ended windows.

Each function takes `now`, works in bounded batches, and commits each batch with every row it
claimed, so a crash leaves work either done or still due, never half-done.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from monitor.db import claims
from monitor.db.models import CheckIn, Message, Patient
from monitor.db.models import Course as CourseRow
from monitor.domain.schedule import (
    closing_at,
    is_quiet,
)
from monitor.domain.states import (
    CheckinStatus,
    EscalationLevel,
    MessageKind,
    OutboxStatus,
    PatientStatus,
)
from monitor.domain.windows import Course, last_monitored_day
from monitor.domain.wording import clock_time, first_name
from monitor.runtime import Runtime
from monitor.services.audit import audit, audit_many
from monitor.services.escalation import open_escalation
from monitor.services.outbox_queue import Outgoing, enqueue
from monitor.services.planning import domain_courses, refresh_schedule, zone_named

ACTOR = "job"
BATCH = 1000


@dataclass
class CycleReport:
    """What one pass of a job did; missed check-ins are listed for escalation."""

    count: int = 0
    ids: list[int] = field(default_factory=list)


def _patients_and_courses(
    session: Session, rt: Runtime, patient_ids: set[int]
) -> tuple[dict[int, Patient], dict[int, list[Course]]]:
    patients = {
        patient.id: patient
        for patient in session.scalars(select(Patient).where(Patient.id.in_(patient_ids)))
    }
    rows: dict[int, list[CourseRow]] = defaultdict(list)
    for course in session.scalars(select(CourseRow).where(CourseRow.patient_id.in_(patient_ids))):
        rows[course.patient_id].append(course)
    return patients, {pid: domain_courses(rt.catalogue, rows[pid]) for pid in patient_ids}


def send_reminders(rt: Runtime, now: datetime, batch_size: int = BATCH) -> CycleReport:
    """One reminder per unanswered check-in, unless it would land in quiet hours or too late."""
    report = CycleReport()
    for session, due in claims.claimed_batches(rt.sessions, claims.due_reminders, now, batch_size):
        patients = {
            p.id: p
            for p in session.scalars(
                select(Patient).where(Patient.id.in_({c.patient_id for c in due}))
            )
        }
        for checkin in due:
            patient = patients[checkin.patient_id]
            checkin.remind_at = None
            late = checkin.deadline_at is not None and now >= checkin.deadline_at
            quiet = is_quiet(now, zone_named(patient.timezone), rt.protocol.quiet)
            if patient.status != PatientStatus.ACTIVE or late or quiet:
                audit(session, now, ACTOR, "checkin.reminder_skipped", "checkin", checkin.id)
                continue
            checkin.reminded_at = now
            body = rt.renderer.render(
                "reminder", patient.language, first_name=first_name(patient.name)
            )
            enqueue(
                session,
                now,
                Outgoing(
                    kind=MessageKind.REMINDER,
                    to_phone=patient.phone,
                    body=body,
                    key=f"reminder:{checkin.id}",
                    patient_id=patient.id,
                    checkin_id=checkin.id,
                    expires_at=checkin.deadline_at,
                ),
            )
            audit(session, now, ACTOR, "checkin.reminded", "checkin", checkin.id)
            report.count += 1
            report.ids.append(checkin.id)
    return report


def mark_missed(rt: Runtime, now: datetime, batch_size: int = BATCH) -> CycleReport:
    """Unanswered by the deadline: missed. Returns the ids so a nurse can be told."""
    report = CycleReport()
    for session, overdue in claims.claimed_batches(
        rt.sessions, claims.overdue_checkins, now, batch_size
    ):
        asked = _asked(session, [c.id for c in overdue])
        missed = [c for c in overdue if c.id in asked]
        never_asked = [c for c in overdue if c.id not in asked]
        for checkin in missed:
            checkin.status = CheckinStatus.MISSED
            checkin.remind_at = None
        for checkin in never_asked:
            checkin.status = CheckinStatus.SKIPPED
            checkin.remind_at = None
        audit_many(session, now, ACTOR, "checkin.missed", "checkin", [(c.id, None) for c in missed])
        audit_many(
            session,
            now,
            ACTOR,
            "checkin.skipped",
            "checkin",
            [(c.id, {"reason": "not_sent"}) for c in never_asked],
        )
        _escalate_missed(session, rt, missed, now)
        report.count += len(overdue)
        report.ids.extend(c.id for c in overdue)
    return report


def _asked(session: Session, checkin_ids: list[int]) -> set[int]:
    """Check-ins whose question the provider accepted (queued after an outage is not asked)."""
    return set(
        session.scalars(
            select(Message.checkin_id).where(
                Message.checkin_id.in_(checkin_ids),
                Message.kind == MessageKind.CHECKIN,
                Message.status == OutboxStatus.SENT,
            )
        )
    )


def _escalate_missed(
    session: Session, rt: Runtime, overdue: Sequence[CheckIn], now: datetime
) -> None:
    """Silence is a signal: a nurse hears of every missed check-in, unless the patient was
    paused by staff or opted out (the care team already knows about those)."""
    patients, _ = _patients_and_courses(session, rt, {c.patient_id for c in overdue})
    for checkin in overdue:
        patient = patients[checkin.patient_id]
        if patient.status in (PatientStatus.PAUSED, PatientStatus.OPTED_OUT):
            continue
        sent = (checkin.sent_at or checkin.due_at).astimezone(zone_named(patient.timezone))
        summary = f"did not answer the check-in sent {clock_time(sent.time(), 'en')} {sent:%d %b}"
        open_escalation(
            session, rt, patient, EscalationLevel.MISSED, now, summary, checkin_id=checkin.id
        )


def close_ended_windows(rt: Runtime, now: datetime, batch_size: int = BATCH) -> CycleReport:
    """End monitoring for patients whose last window has closed and say goodbye.

    The closing instant is re-derived from the current catalogue first: if a window was lengthened
    since it was computed, the patient is re-planned instead of closed.
    """
    report = CycleReport()
    for session, due in claims.claimed_batches(
        rt.sessions, claims.closing_patients, now, batch_size
    ):
        _, courses = _patients_and_courses(session, rt, {p.id for p in due})
        for patient in due:
            zone = zone_named(patient.timezone)
            closes = closing_at(courses[patient.id], zone, rt.protocol.quiet)
            if closes is not None and closes > now:
                refresh_schedule(session, rt.catalogue, rt.protocol.quiet, patient, now)
                continue
            _close(session, rt, patient, courses[patient.id], now)
            report.count += 1
            report.ids.append(patient.id)
    return report


def _close(
    session: Session, rt: Runtime, patient: Patient, courses: list[Course], now: datetime
) -> None:
    was_active = patient.status == PatientStatus.ACTIVE
    patient.status = PatientStatus.ENDED
    patient.closes_at = None
    patient.updated_at = now
    session.execute(
        delete(CheckIn).where(
            CheckIn.patient_id == patient.id, CheckIn.status == CheckinStatus.SCHEDULED
        )
    )
    audit(session, now, ACTOR, "patient.ended", "patient", patient.id, reason="window_closed")
    if was_active:
        queue_closing(session, rt, patient, now, last_monitored_day(courses))


def queue_closing(
    session: Session, rt: Runtime, patient: Patient, now: datetime, occasion: object
) -> None:
    """Queue the goodbye; `occasion` tells one ending from another (the window's last day, or
    the moment staff stopped monitoring) so a later ending is not taken for a repeat."""
    body = rt.renderer.render("closing", patient.language, first_name=first_name(patient.name))
    enqueue(
        session,
        now,
        Outgoing(
            kind=MessageKind.CLOSING,
            to_phone=patient.phone,
            body=body,
            key=f"closing:{patient.id}:{occasion}",
            patient_id=patient.id,
        ),
    )
