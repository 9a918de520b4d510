"""Change a patient's monitoring: pause, resume, stop, edit details and courses.

Every change ends in `refresh_schedule`, so it takes effect at the next tick.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from monitor.db.models import Course as CourseRow
from monitor.db.models import Patient
from monitor.domain.drugs import UnknownDrug
from monitor.domain.schedule import checkin_time_allowed, local_date
from monitor.domain.states import PatientStatus
from monitor.domain.windows import CourseError, check_course_dates
from monitor.domain.wording import parse_clock
from monitor.phones import InvalidPhone, normalise_phone
from monitor.runtime import Runtime
from monitor.services.audit import audit
from monitor.services.checkins import queue_closing
from monitor.services.enrolment import LANGUAGES, check_zone, queue_welcome
from monitor.services.planning import refresh_schedule


class PatientError(ValueError):
    pass


def find_patient(session: Session, ref: str) -> Patient:
    """A patient by code (P3K7QX) or phone number."""
    ref = ref.strip()
    clauses = [Patient.code == ref.upper()]
    with contextlib.suppress(InvalidPhone):
        clauses.append(Patient.phone == normalise_phone(ref))
    patient = session.scalars(select(Patient).where(or_(*clauses))).first()
    if patient is None:
        raise PatientError(
            f"no patient {ref!r}: give a patient code or phone from `dswatch patient list`"
        )
    return patient


def _change(
    rt: Runtime,
    ref: str,
    now: datetime,
    actor: str,
    action: str,
    change: Callable[[Session, Patient], dict[str, object] | None],
) -> Patient:
    with rt.sessions.begin() as session:
        patient = find_patient(session, ref)
        detail = change(session, patient) or {}
        patient.updated_at = now
        session.flush()
        refresh_schedule(session, rt.catalogue, rt.protocol.quiet, patient, now)
        audit(session, now, actor, action, "patient", patient.id, **detail)
        return patient


def pause(rt: Runtime, ref: str, now: datetime, actor: str = "cli") -> Patient:
    def change(_: Session, patient: Patient) -> None:
        if patient.status != PatientStatus.ACTIVE:
            raise PatientError(f"patient {patient.code} is {patient.status}, not active")
        patient.status = PatientStatus.PAUSED

    return _change(rt, ref, now, actor, "patient.paused", change)


def resume(rt: Runtime, ref: str, now: datetime, actor: str = "cli") -> Patient:
    """Back to active from paused. An opted-out patient can only come back by texting START."""

    def change(session: Session, patient: Patient) -> None:
        if patient.status == PatientStatus.OPTED_OUT:
            raise PatientError(
                f"patient {patient.code} opted out by text: only the patient can restart, "
                "by texting START"
            )
        if patient.status != PatientStatus.PAUSED:
            raise PatientError(
                f"patient {patient.code} is {patient.status}: only paused patients can be "
                "resumed (add a course to restart an ended one)"
            )
        patient.status = PatientStatus.ACTIVE

    return _change(rt, ref, now, actor, "patient.resumed", change)


def stop(rt: Runtime, ref: str, now: datetime, actor: str = "cli") -> Patient:
    """End monitoring now; an active patient gets the closing message."""

    def change(session: Session, patient: Patient) -> None:
        if patient.status == PatientStatus.ENDED:
            raise PatientError(f"patient {patient.code} has already ended")
        was_active = patient.status == PatientStatus.ACTIVE
        patient.status = PatientStatus.ENDED
        _stop_courses(session, patient, now)
        if was_active:
            queue_closing(session, rt, patient, now, f"stop:{now.isoformat()}")

    return _change(rt, ref, now, actor, "patient.stopped", change)


def update_details(
    rt: Runtime,
    ref: str,
    now: datetime,
    *,
    timezone: str | None = None,
    checkin_time: str | None = None,
    language: str | None = None,
    phone: str | None = None,
    actor: str = "cli",
) -> Patient:
    """Edit where and when a patient is asked; the next check-in follows the new values."""

    def change(session: Session, patient: Patient) -> dict[str, object]:
        changed: dict[str, object] = {}
        try:
            if timezone is not None:
                patient.timezone = check_zone(timezone.strip())
                changed["timezone"] = True
            if checkin_time is not None:
                at = parse_clock(checkin_time)
                if not checkin_time_allowed(at, rt.protocol.quiet):
                    raise PatientError(f"check-in time {at:%H:%M} is inside quiet hours")
                patient.checkin_time = at
                changed["checkin_time"] = True
            if language is not None:
                wanted = language.strip().lower()
                if wanted not in LANGUAGES:
                    raise PatientError(f"language {language!r} is not supported: use en or es")
                patient.language = wanted
                changed["language"] = True
            if phone is not None:
                number = normalise_phone(phone)
                taken = session.scalar(
                    select(Patient.id).where(Patient.phone == number, Patient.id != patient.id)
                )
                if taken is not None:
                    raise PatientError(f"phone {number} belongs to another patient")
                patient.phone = number
                patient.phone_problem = None
                changed["phone"] = True
        except (ValueError, InvalidPhone) as error:
            raise PatientError(str(error)) from None
        return changed

    return _change(rt, ref, now, actor, "patient.updated", change)


def add_course(
    rt: Runtime,
    ref: str,
    drug: str,
    start: date,
    now: datetime,
    window_days: int | None = None,
    actor: str = "cli",
) -> Patient:
    """Add a treatment course; an ended patient becomes active again."""

    def change(session: Session, patient: Patient) -> dict[str, object]:
        try:
            found = rt.catalogue.find(drug)
            window = window_days if window_days is not None else found.window_days
            check_course_dates(start, window, None, None, None)
        except (UnknownDrug, CourseError) as error:
            raise PatientError(str(error)) from None
        session.add(
            CourseRow(
                patient_id=patient.id,
                drug=found.key,
                start_date=start,
                window_days=window_days,
                created_at=now,
            )
        )
        _reactivate(session, rt, patient, now)
        return {"drug": found.key}

    return _change(rt, ref, now, actor, "course.added", change)


def _stop_courses(session: Session, patient: Patient, now: datetime) -> None:
    """Record today as the stop date of every course, so a later course does not revive them."""
    today = local_date(now, ZoneInfo(patient.timezone))
    for course in session.scalars(select(CourseRow).where(CourseRow.patient_id == patient.id)):
        if course.stop_date is None or course.stop_date > today:
            course.stop_date = max(today, course.start_date + timedelta(days=1))


def _reactivate(session: Session, rt: Runtime, patient: Patient, now: datetime) -> None:
    """A restarted drug restarts monitoring of an ended patient, announced by a new welcome."""
    if patient.status == PatientStatus.ENDED:
        patient.status = PatientStatus.ACTIVE
        queue_welcome(session, rt, patient, now)


def _course(session: Session, rt: Runtime, patient: Patient, drug: str) -> CourseRow:
    try:
        key = rt.catalogue.find(drug).key
    except UnknownDrug as error:
        raise PatientError(str(error)) from None
    course = session.scalars(
        select(CourseRow)
        .where(CourseRow.patient_id == patient.id, CourseRow.drug == key)
        .order_by(CourseRow.start_date.desc())
    ).first()
    if course is None:
        raise PatientError(f"patient {patient.code} has no course of {drug}")
    return course


def set_course_date(
    rt: Runtime,
    ref: str,
    drug: str,
    which: str,
    on: date,
    now: datetime,
    actor: str = "cli",
) -> Patient:
    """Record a hold, resume or stop date on the patient's latest course of `drug`."""
    if which not in ("hold", "resume", "stop"):
        raise PatientError(f"unknown course date {which!r}")

    def change(session: Session, patient: Patient) -> dict[str, object]:
        course = _course(session, rt, patient, drug)
        dates = {
            "hold": course.hold_date,
            "resume": course.resume_date,
            "stop": course.stop_date,
        } | {which: on}
        window = course.window_days or rt.catalogue.get(course.drug).window_days
        try:
            check_course_dates(
                course.start_date, window, dates["hold"], dates["resume"], dates["stop"]
            )
        except CourseError as error:
            raise PatientError(str(error)) from None
        setattr(course, f"{which}_date", on)
        if which == "resume":
            _reactivate(session, rt, patient, now)
        return {"course": course.id, "date": which}

    return _change(rt, ref, now, actor, f"course.{which}", change)
