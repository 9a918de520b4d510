"""Enrol patients: check every field first (all problems at once), then write in one transaction."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.db.models import CareTeam, Patient
from monitor.db.models import Course as CourseRow
from monitor.domain.drugs import UnknownDrug
from monitor.domain.schedule import (
    after_quiet_hours,
    checkin_time_allowed,
    local_date,
    next_checkin,
)
from monitor.domain.states import MessageKind, PatientStatus
from monitor.domain.windows import Course, CourseError, last_monitored_day
from monitor.domain.wording import clock_time, first_name, parse_clock
from monitor.phones import InvalidPhone, normalise_phone
from monitor.runtime import Runtime
from monitor.services.audit import audit
from monitor.services.outbox_queue import Outgoing, enqueue
from monitor.services.planning import refresh_schedule

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: codes are read aloud
LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class CourseRequest:
    drug: str
    start: date
    window_days: int | None = None
    hold: date | None = None
    resume: date | None = None
    stop: date | None = None


@dataclass(frozen=True)
class EnrolmentRequest:
    name: str
    phone: str
    timezone: str
    language: str
    checkin_time: str | time
    care_team: str
    courses: Sequence[CourseRequest] = field(default_factory=tuple)


@dataclass(frozen=True)
class CheckedCourse:
    drug_key: str
    request: CourseRequest


@dataclass(frozen=True)
class CheckedEnrolment:
    name: str
    phone: str
    timezone: str
    language: str
    checkin_time: time
    care_team_id: int
    courses: tuple[CheckedCourse, ...]


class EnrolmentError(ValueError):
    """Every problem with one enrolment, each naming its field and what to do."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"timezone {name!r} is not an IANA zone: use a name such as America/New_York"
        ) from None
    return name


def check_enrolment(
    session: Session,
    rt: Runtime,
    request: EnrolmentRequest,
    now: datetime,
) -> CheckedEnrolment:
    """Validate and normalise one enrolment; raise EnrolmentError listing every problem."""
    problems: list[str] = []
    quiet = rt.protocol.quiet
    name = " ".join((request.name or "").split())
    if not name:
        problems.append("name: give the patient's name")
    elif len(name) > 200:
        problems.append("name: at most 200 characters")

    phone = ""
    try:
        phone = normalise_phone(request.phone)
    except InvalidPhone as error:
        problems.append(f"phone: {error}")
    if phone and _phone_enrolled(session, phone):
        problems.append(f"phone: {phone} is already enrolled (see `dswatch patient list`)")

    zone_name = (request.timezone or "").strip()
    try:
        check_zone(zone_name)
    except ValueError as error:
        problems.append(f"timezone: {error}")
        zone_name = ""

    language = (request.language or "").strip().lower()
    if language not in LANGUAGES:
        problems.append(f"language: {request.language!r} is not supported: use en or es")

    at: time | None = None
    try:
        at = parse_clock(request.checkin_time)
    except ValueError as error:
        problems.append(f"checkin_time: {error}")
    if at is not None and not checkin_time_allowed(at, quiet):
        problems.append(
            f"checkin_time: {at:%H:%M} is inside quiet hours ({quiet.start:%H:%M}-"
            f"{quiet.end:%H:%M}): choose a time from {quiet.end:%H:%M} "
            f"to before {quiet.start:%H:%M}"
        )

    team = session.scalar(
        select(CareTeam).where(CareTeam.name == (request.care_team or "").strip())
    )
    if team is None:
        known = ", ".join(session.scalars(select(CareTeam.name).order_by(CareTeam.name))) or "none"
        problems.append(
            f"care_team: {request.care_team!r} does not exist: create it with "
            f"`dswatch team add NAME` (existing: {known})"
        )

    courses = _check_courses(rt, request.courses, problems)
    if courses and zone_name and not problems:
        domain = [_domain(rt, course) for course in courses]
        last = last_monitored_day(domain)
        today = local_date(now, ZoneInfo(zone_name))
        if last is None or last < today:
            problems.append(
                f"courses: every risk window has already ended (last day {last}): "
                "check the start dates"
            )
        elif at is not None and next_checkin(domain, ZoneInfo(zone_name), at, now) is None:
            problems.append(
                f"courses: the window ends today ({last}) and today's check-in time has passed: "
                "nothing is left to monitor; check the start date or use --window-days"
            )
    if problems:
        raise EnrolmentError(problems)
    assert team is not None and at is not None
    return CheckedEnrolment(
        name=name,
        phone=phone,
        timezone=zone_name,
        language=language,
        checkin_time=at,
        care_team_id=team.id,
        courses=tuple(courses),
    )


def _phone_enrolled(session: Session, phone: str) -> bool:
    return session.scalar(select(Patient.id).where(Patient.phone == phone)) is not None


def _check_courses(
    rt: Runtime, requests: Sequence[CourseRequest], problems: list[str]
) -> list[CheckedCourse]:
    if not requests:
        problems.append("courses: give at least one drug and start date")
        return []
    checked = []
    for index, request in enumerate(requests, start=1):
        label = "course" if len(requests) == 1 else f"course {index}"
        try:
            drug = rt.catalogue.find(request.drug)
        except UnknownDrug as error:
            problems.append(f"{label}: {error}")
            continue
        window = request.window_days if request.window_days is not None else drug.window_days
        try:
            Course(drug.key, request.start, window, request.hold, request.resume, request.stop)
        except CourseError as error:
            problems.append(f"{label}: {error}")
            continue
        checked.append(CheckedCourse(drug.key, request))
    return checked


def _domain(rt: Runtime, course: CheckedCourse) -> Course:
    request = course.request
    window = request.window_days
    if window is None:
        window = rt.catalogue.get(course.drug_key).window_days
    return Course(
        course.drug_key, request.start, window, request.hold, request.resume, request.stop
    )


def new_patient_code(session: Session, rng: random.Random) -> str:
    while True:
        code = "P" + "".join(rng.choice(CODE_ALPHABET) for _ in range(5))
        if session.scalar(select(Patient.id).where(Patient.code == code)) is None:
            return code


def write_enrolment(
    session: Session, rt: Runtime, checked: CheckedEnrolment, now: datetime, actor: str
) -> Patient:
    """Create the patient and courses, queue the welcome, plan the first check-in."""
    patient = Patient(
        code=new_patient_code(session, rt.rng),
        name=checked.name,
        phone=checked.phone,
        timezone=checked.timezone,
        language=checked.language,
        checkin_time=checked.checkin_time,
        care_team_id=checked.care_team_id,
        status=PatientStatus.ACTIVE,
        enrolled_at=now,
        updated_at=now,
    )
    session.add(patient)
    session.flush()
    for course in checked.courses:
        request = course.request
        session.add(
            CourseRow(
                patient_id=patient.id,
                drug=course.drug_key,
                start_date=request.start,
                window_days=request.window_days,
                hold_date=request.hold,
                resume_date=request.resume,
                stop_date=request.stop,
                created_at=now,
            )
        )
    session.flush()
    audit(
        session, now, actor, "patient.enrolled", "patient", patient.id, courses=len(checked.courses)
    )
    queue_welcome(session, rt, patient, now)
    refresh_schedule(session, rt.catalogue, rt.protocol.quiet, patient, now)
    return patient


def queue_welcome(session: Session, rt: Runtime, patient: Patient, now: datetime) -> None:
    body = rt.renderer.render(
        "welcome",
        patient.language,
        first_name=first_name(patient.name),
        checkin_time=clock_time(patient.checkin_time, patient.language),
    )
    enqueue(
        session,
        now,
        Outgoing(
            kind=MessageKind.WELCOME,
            to_phone=patient.phone,
            body=body,
            key=f"welcome:{patient.id}:{rt.rng.getrandbits(48):012x}",  # each enrolment is new
            patient_id=patient.id,
            not_before=after_quiet_hours(now, ZoneInfo(patient.timezone), rt.protocol.quiet),
        ),
    )


def enrol(rt: Runtime, request: EnrolmentRequest, now: datetime, actor: str = "cli") -> Patient:
    with rt.sessions.begin() as session:
        checked = check_enrolment(session, rt, request, now)
        return write_enrolment(session, rt, checked, now, actor)
