"""Turn a patient's rows into the next planned check-in and the closing instant.

Shared by enrolment, edits and dispatch: every change to a patient ends in `refresh_schedule`,
which is why an edit takes effect at the next tick with nothing to re-register.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from functools import cache
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


@cache
def zone_named(name: str) -> ZoneInfo:
    """The zone called `name`, kept for good.

    ZoneInfo's own cache keeps only the 8 most recent zones alive, so a batch of patients in
    more zones than that reread and reparsed the tz files for nearly every row.
    """
    return ZoneInfo(name)


# Course columns the domain needs, in the order `domain_course` takes them.
COURSE_COLUMNS = (
    CourseRow.id,
    CourseRow.drug,
    CourseRow.start_date,
    CourseRow.window_days,
    CourseRow.hold_date,
    CourseRow.resume_date,
    CourseRow.stop_date,
)


def domain_courses(catalogue: Catalogue, rows: Iterable[CourseRow]) -> list[Course]:
    """Courses with their windows resolved: the patient's override, else the catalogue's."""
    return [
        domain_course(
            catalogue,
            row.id,
            row.drug,
            row.start_date,
            row.window_days,
            row.hold_date,
            row.resume_date,
            row.stop_date,
        )
        for row in rows
    ]


def domain_course(
    catalogue: Catalogue,
    course_id: int,
    drug: str,
    start: date,
    window_days: int | None,
    hold: date | None,
    resume: date | None,
    stop: date | None,
) -> Course:
    """One course (the values of COURSE_COLUMNS) with its window resolved."""
    window = window_days
    if window is None:
        try:
            window = catalogue.get(drug).window_days
        except KeyError:
            # The drug left the catalogue after enrolment: keep watching on the safe side.
            window = max(known.window_days for known in catalogue)
            log.warning("course id=%s names a drug no longer in the catalogue", course_id)
    return Course(drug=drug, start=start, window_days=window, hold=hold, resume=resume, stop=stop)


def next_checkin_row(
    patient: Patient, courses: Sequence[Course], not_before: datetime, after_day: date | None
) -> dict[str, Any] | None:
    """Column values for the next scheduled check-in, or None when no window is left."""
    return next_checkin_values(
        patient.id,
        zone_named(patient.timezone),
        patient.checkin_time,
        courses,
        not_before,
        after_day,
    )


def next_checkin_values(
    patient_id: int,
    patient_zone: ZoneInfo,
    at: time,
    courses: Sequence[Course],
    not_before: datetime,
    after_day: date | None,
) -> dict[str, Any] | None:
    """`next_checkin_row` from the patient's id, zone and check-in time alone."""
    found = next_checkin(courses, patient_zone, at, not_before, after_day)
    return None if found is None else scheduled_checkin(patient_id, *found)


def scheduled_checkin(patient_id: int, day: date, due: datetime) -> dict[str, Any]:
    """Column values of a planned check-in."""
    return {
        "patient_id": patient_id,
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
    patient.closes_at = (
        closing_at(courses, zone_named(patient.timezone), quiet)
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
