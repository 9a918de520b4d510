"""Turn a patient's rows into the next planned check-in and the closing instant.

Shared by enrolment, edits and dispatch: every change to a patient ends in `refresh_schedule`,
which is why an edit takes effect at the next tick with nothing to re-register.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from monitor.db.models import CheckIn, Patient
from monitor.db.models import Course as CourseRow
from monitor.domain.drugs import Catalogue
from monitor.domain.schedule import QuietHours, closing_at, next_checkin
from monitor.domain.states import CheckinStatus, PatientStatus
from monitor.domain.windows import Course

log = logging.getLogger("dswatch.planning")


def domain_courses(catalogue: Catalogue, rows: Iterable[CourseRow]) -> list[Course]:
    """Courses with their windows resolved: the patient's override, else the catalogue's."""
    courses = []
    for row in rows:
        window = row.window_days
        if window is None:
            try:
                window = catalogue.get(row.drug).window_days
            except KeyError:
                # The drug left the catalogue after enrolment: keep watching on the safe side.
                window = max(drug.window_days for drug in catalogue)
                log.warning("course id=%s names a drug no longer in the catalogue", row.id)
        courses.append(
            Course(
                drug=row.drug,
                start=row.start_date,
                window_days=window,
                hold=row.hold_date,
                resume=row.resume_date,
                stop=row.stop_date,
            )
        )
    return courses


def next_checkin_row(
    patient: Patient, courses: Sequence[Course], not_before: datetime, after_day: date | None
) -> dict[str, Any] | None:
    """Column values for the next scheduled check-in, or None when no window is left."""
    found = next_checkin(
        courses, ZoneInfo(patient.timezone), patient.checkin_time, not_before, after_day
    )
    if found is None:
        return None
    day, due = found
    return {
        "patient_id": patient.id,
        "local_date": day,
        "due_at": due,
        "status": CheckinStatus.SCHEDULED,
    }


def last_checkin_day(session: Session, patient_id: int) -> date | None:
    return session.scalar(
        select(func.max(CheckIn.local_date)).where(CheckIn.patient_id == patient_id)
    )


def load_courses(session: Session, catalogue: Catalogue, patient_id: int) -> list[Course]:
    rows = session.scalars(select(CourseRow).where(CourseRow.patient_id == patient_id))
    return domain_courses(catalogue, rows)


def refresh_schedule(
    session: Session, catalogue: Catalogue, quiet: QuietHours, patient: Patient, now: datetime
) -> CheckIn | None:
    """Re-plan after any change: drop the planned check-in, plan the next, recompute closing.

    Check-ins already sent keep their rows; a new plan never reuses their local dates.
    """
    session.execute(
        delete(CheckIn).where(
            CheckIn.patient_id == patient.id, CheckIn.status == CheckinStatus.SCHEDULED
        )
    )
    courses = load_courses(session, catalogue, patient.id)
    zone = ZoneInfo(patient.timezone)
    patient.closes_at = (
        closing_at(courses, zone, quiet)
        if patient.status in (PatientStatus.ACTIVE, PatientStatus.PAUSED)
        else None
    )
    if patient.status != PatientStatus.ACTIVE:
        return None
    values = next_checkin_row(patient, courses, now, last_checkin_day(session, patient.id))
    if values is None:
        return None
    session.execute(insert(CheckIn), [values])
    return session.scalars(
        select(CheckIn).where(
            CheckIn.patient_id == patient.id, CheckIn.status == CheckinStatus.SCHEDULED
        )
    ).first()
