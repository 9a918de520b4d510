"""Enrolment through the real services: every field checked, all problems reported at once."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from monitor import services
from monitor.db.models import CheckIn, Message, Patient
from monitor.domain.states import CheckinStatus, MessageKind, OutboxStatus, PatientStatus
from monitor.runtime import Runtime
from monitor.services.enrolment import CODE_ALPHABET
from tests.support.builders import PATIENT_PHONE, TEAM, add_team

NOON_EST = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)  # 12:00 in New York, the day before the start


def request(**changes: object) -> services.EnrolmentRequest:
    """A valid request for a tretinoin patient in New York, with `changes` applied."""
    fields: dict[str, object] = {
        "name": "Ana Garcia",
        "phone": PATIENT_PHONE,
        "timezone": "America/New_York",
        "language": "en",
        "checkin_time": "09:00",
        "care_team": TEAM,
        "courses": (services.CourseRequest("tretinoin", date(2026, 3, 2)),),
    }
    fields.update(changes)
    return services.EnrolmentRequest(**fields)  # type: ignore[arg-type]


def course(drug: str = "tretinoin", start: date = date(2026, 3, 2), **kw: object) -> tuple:
    return (services.CourseRequest(drug, start, **kw),)  # type: ignore[arg-type]


def check(rt: Runtime, req: services.EnrolmentRequest, now: datetime = NOON_EST):
    with rt.sessions() as session:
        return services.check_enrolment(session, rt, req, now)


def problems_of(rt: Runtime, req: services.EnrolmentRequest, now: datetime = NOON_EST) -> list:
    with pytest.raises(services.EnrolmentError) as caught:
        check(rt, req, now)
    return caught.value.problems


def count(rt: Runtime, model: type) -> int:
    with rt.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def team(rt: Runtime) -> None:
    add_team(rt, NOON_EST)


INVALID = [
    pytest.param({"name": "   "}, "name:", "give the patient's name", id="empty-name"),
    pytest.param({"name": "A" * 201}, "name:", "200", id="name-too-long"),
    pytest.param({"phone": ""}, "phone:", "E.164", id="empty-phone"),
    pytest.param({"phone": "+15551234567"}, "phone:", "E.164", id="fictional-555-number"),
    pytest.param({"phone": "call me"}, "phone:", "E.164", id="not-a-number"),
    pytest.param({"phone": "+34912345678"}, "phone:", "landline", id="spanish-landline"),
    pytest.param({"phone": "+18005550199"}, "phone:", "cannot receive SMS", id="us-toll-free"),
    pytest.param({"timezone": "EST5"}, "timezone:", "IANA", id="posix-zone"),
    pytest.param({"timezone": "Mars/Olympus"}, "timezone:", "IANA", id="unknown-zone"),
    pytest.param({"timezone": ""}, "timezone:", "IANA", id="empty-zone"),
    pytest.param({"language": "fr"}, "language:", "en or es", id="french"),
    pytest.param({"checkin_time": "22:30"}, "checkin_time:", "quiet hours", id="quiet-evening"),
    pytest.param({"checkin_time": "07:59"}, "checkin_time:", "quiet hours", id="quiet-morning"),
    pytest.param({"checkin_time": "25:00"}, "checkin_time:", "HH:MM", id="no-such-hour"),
    pytest.param({"checkin_time": "nine"}, "checkin_time:", "HH:MM", id="words"),
    pytest.param({"care_team": "Nowhere"}, "care_team:", "dswatch team add", id="unknown-team"),
    pytest.param({"courses": ()}, "courses:", "at least one", id="no-course"),
    pytest.param({"courses": course("aspirin")}, "course:", "unknown drug", id="unknown-drug"),
    pytest.param(
        {"courses": course(start=date(2026, 1, 1))}, "courses:", "already ended", id="ended"
    ),
    pytest.param(
        {"courses": course(window_days=-3)}, "course:", "at least 1 day", id="negative-window"
    ),
    pytest.param(
        {"courses": course(hold=date(2026, 3, 1))}, "course:", "before the start", id="early-hold"
    ),
    pytest.param(
        {"courses": course(resume=date(2026, 3, 9))}, "course:", "needs a hold", id="lone-resume"
    ),
    pytest.param(
        {"courses": course(stop=date(2026, 3, 2))}, "course:", "after the start", id="stop-at-start"
    ),
    pytest.param(
        {"courses": course() + course("nonsense")}, "course 2:", "unknown drug", id="second-course"
    ),
]


@pytest.mark.usefixtures("team")
@pytest.mark.parametrize(("changes", "prefix", "advice"), INVALID)
def test_each_invalid_field_is_reported_with_its_name_and_what_to_do(
    rt: Runtime, changes: dict[str, object], prefix: str, advice: str
) -> None:
    problems = problems_of(rt, request(**changes))
    assert len(problems) == 1, problems
    assert problems[0].startswith(prefix)
    assert advice in problems[0]


@pytest.mark.usefixtures("team")
def test_an_unknown_drug_lists_the_catalogue(rt: Runtime) -> None:
    [problem] = problems_of(rt, request(courses=course("aspirin")))
    for drug in rt.catalogue:
        assert drug.name in problem


@pytest.mark.usefixtures("team")
def test_every_problem_is_reported_at_once(rt: Runtime) -> None:
    problems = problems_of(
        rt,
        request(
            name="",
            phone="+15551234567",
            timezone="Mars/Olympus",
            language="fr",
            checkin_time="22:30",
            care_team="Nowhere",
            courses=course("aspirin"),
        ),
    )
    prefixes = [problem.split(":")[0] for problem in problems]
    assert prefixes == [
        "name",
        "phone",
        "timezone",
        "language",
        "checkin_time",
        "care_team",
        "course",
    ]


@pytest.mark.usefixtures("team")
def test_an_invalid_request_writes_nothing(rt: Runtime) -> None:
    with pytest.raises(services.EnrolmentError):
        services.enrol(rt, request(language="fr"), NOON_EST)
    assert (count(rt, Patient), count(rt, Message), count(rt, CheckIn)) == (0, 0, 0)


@pytest.mark.usefixtures("team")
@pytest.mark.parametrize(
    "raw",
    ["(201) 555-0123", "201-555-0123", "201.555.0123", "+1 201 555 0123", " +12015550123 "],
)
def test_phone_numbers_are_stored_in_e164(rt: Runtime, raw: str) -> None:
    assert check(rt, request(phone=raw)).phone == "+12015550123"
    patient = services.enrol(rt, request(phone=raw), NOON_EST)
    assert patient.phone == "+12015550123"


@pytest.mark.usefixtures("team")
def test_a_mobile_number_abroad_is_accepted(rt: Runtime) -> None:
    checked = check(rt, request(phone="+34 612 34 56 78", timezone="Europe/Madrid", language="es"))
    assert checked.phone == "+34612345678"


@pytest.mark.usefixtures("team")
def test_a_phone_already_enrolled_is_refused_in_any_spelling(rt: Runtime) -> None:
    services.enrol(rt, request(), NOON_EST)
    [problem] = problems_of(rt, request(phone="(201) 555-0123", name="Someone Else"))
    assert problem.startswith("phone:")
    assert "already enrolled" in problem


@pytest.mark.usefixtures("team")
def test_fields_are_normalised(rt: Runtime) -> None:
    checked = check(
        rt,
        request(
            name="  Ana   Garcia ",
            language="ES",
            checkin_time="9:30 am",
            timezone=" Europe/Madrid ",
            care_team=f" {TEAM} ",
            courses=course("ATRA"),
        ),
    )
    assert checked.name == "Ana Garcia"
    assert checked.language == "es"
    assert checked.checkin_time == time(9, 30)
    assert checked.timezone == "Europe/Madrid"
    assert [c.drug_key for c in checked.courses] == ["tretinoin"]


@pytest.mark.usefixtures("team")
def test_one_open_course_is_enough_when_another_has_ended(rt: Runtime) -> None:
    courses = course(start=date(2026, 1, 1)) + course("ivosidenib", date(2026, 3, 2))
    assert len(check(rt, request(courses=courses)).courses) == 2


@pytest.mark.usefixtures("team")
def test_a_zero_day_window_is_refused_like_any_other_bad_window(rt: Runtime) -> None:
    with pytest.raises(services.EnrolmentError) as caught:
        services.enrol(rt, request(courses=course(window_days=0)), NOON_EST)
    assert caught.value.problems[0].startswith("course:")


def welcome(rt: Runtime) -> Message:
    with rt.sessions() as session:
        return session.scalars(select(Message).where(Message.kind == MessageKind.WELCOME)).one()


@pytest.mark.usefixtures("team")
@pytest.mark.parametrize(
    ("enrolled_at", "not_before"),
    [
        pytest.param(NOON_EST, NOON_EST, id="noon-at-once"),
        # 22:00 EST on 1 March: quiet hours until 08:00 EST on 2 March.
        pytest.param(
            datetime(2026, 3, 2, 3, 0, tzinfo=UTC),
            datetime(2026, 3, 2, 13, 0, tzinfo=UTC),
            id="night-waits-for-8am",
        ),
        # 06:30 EST on 2 March: quiet hours end at 08:00 the same morning.
        pytest.param(
            datetime(2026, 3, 2, 11, 30, tzinfo=UTC),
            datetime(2026, 3, 2, 13, 0, tzinfo=UTC),
            id="early-morning-waits",
        ),
        # 23:00 EST on 7 March: quiet hours end at 08:00 EDT (12:00Z), after the clocks change.
        pytest.param(
            datetime(2026, 3, 8, 4, 0, tzinfo=UTC),
            datetime(2026, 3, 8, 12, 0, tzinfo=UTC),
            id="night-before-dst",
        ),
    ],
)
def test_the_welcome_is_queued_outside_quiet_hours(
    rt: Runtime, enrolled_at: datetime, not_before: datetime
) -> None:
    services.enrol(rt, request(courses=course(start=date(2026, 3, 9))), enrolled_at)
    message = welcome(rt)
    assert message.status == OutboxStatus.QUEUED
    assert message.next_attempt_at == not_before
    assert message.to_phone == PATIENT_PHONE
    assert "Ana" in message.body
    assert "Garcia" not in message.body
    assert "tretinoin" not in message.body.lower()


@pytest.mark.usefixtures("team")
def test_the_welcome_is_written_in_the_patients_language(rt: Runtime) -> None:
    services.enrol(rt, request(language="es", checkin_time="18:30"), NOON_EST)
    body = welcome(rt).body
    assert "18:30" in body
    assert "6:30 PM" not in body


def scheduled(rt: Runtime) -> list[CheckIn]:
    with rt.sessions() as session:
        return list(session.scalars(select(CheckIn)))


@pytest.mark.usefixtures("team")
@pytest.mark.parametrize(
    ("enrolled_at", "local_date", "due_at"),
    [
        pytest.param(
            NOON_EST, date(2026, 3, 2), datetime(2026, 3, 2, 14, 0, tzinfo=UTC), id="before-start"
        ),
        pytest.param(
            datetime(2026, 3, 2, 13, 30, tzinfo=UTC),  # 08:30 EST on the first day
            date(2026, 3, 2),
            datetime(2026, 3, 2, 14, 0, tzinfo=UTC),
            id="first-day-before-the-time",
        ),
        pytest.param(
            datetime(2026, 3, 2, 17, 0, tzinfo=UTC),  # 12:00 EST on the first day
            date(2026, 3, 3),
            datetime(2026, 3, 3, 14, 0, tzinfo=UTC),
            id="first-day-after-the-time",
        ),
        pytest.param(
            datetime(2026, 3, 7, 20, 0, tzinfo=UTC),  # 15:00 EST, the day before DST
            date(2026, 3, 8),
            datetime(2026, 3, 8, 13, 0, tzinfo=UTC),
            id="next-day-after-dst",
        ),
    ],
)
def test_the_first_checkin_is_planned_at_the_next_instant(
    rt: Runtime, enrolled_at: datetime, local_date: date, due_at: datetime
) -> None:
    patient = services.enrol(rt, request(), enrolled_at)
    [checkin] = scheduled(rt)
    assert checkin.patient_id == patient.id
    assert checkin.status == CheckinStatus.SCHEDULED
    assert (checkin.local_date, checkin.due_at) == (local_date, due_at)


@pytest.mark.usefixtures("team")
def test_an_enrolled_patient_is_active_with_a_code_and_a_closing_time(rt: Runtime) -> None:
    patient = services.enrol(rt, request(), NOON_EST)
    assert patient.status == PatientStatus.ACTIVE
    assert re.fullmatch(rf"P[{CODE_ALPHABET}]{{5}}", patient.code)
    # Last day 15 March; closing at the end of quiet hours on 16 March (08:00 EDT).
    assert patient.closes_at == datetime(2026, 3, 16, 12, 0, tzinfo=UTC)


@pytest.mark.usefixtures("team")
def test_patient_codes_are_unique_and_avoid_ambiguous_characters(rt: Runtime) -> None:
    codes = [
        services.enrol(rt, request(phone=f"+1201555{n:04d}"), NOON_EST).code for n in range(30)
    ]
    assert len(set(codes)) == 30
    assert not set("".join(codes)) & set("01ILO")
    assert all(re.fullmatch(r"P[A-Z2-9]{5}", code) for code in codes)
