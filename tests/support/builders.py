"""Small helpers that set up the usual world: a care team with nurses, an enrolled patient."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from jobs.tasks import run_due_work
from monitor import services
from monitor.db.models import CheckIn, Message, Patient
from monitor.runtime import Runtime

TEAM = "Heme clinic"
NURSE_1 = "+12015550101"
NURSE_2 = "+12015550102"
PATIENT_PHONE = "+12015550123"


def add_team(rt: Runtime, now: datetime, name: str = TEAM) -> None:
    services.add_team(rt, name, now, "+12015550199")
    services.add_nurse(rt, name, "Nina Tier1", NURSE_1, 1, now)
    services.add_nurse(rt, name, "Omar Tier2", NURSE_2, 2, now)


def enrol(
    rt: Runtime,
    now: datetime,
    *,
    courses: list[tuple[str, date]] | None = None,
    phone: str = PATIENT_PHONE,
    timezone: str = "America/New_York",
    language: str = "en",
    checkin_time: str = "09:00",
    name: str = "Ana Garcia",
    window_days: int | None = None,
    team: str = TEAM,
) -> Patient:
    request = services.EnrolmentRequest(
        name=name,
        phone=phone,
        timezone=timezone,
        language=language,
        checkin_time=checkin_time,
        care_team=team,
        courses=[
            services.CourseRequest(drug, start, window_days)
            for drug, start in (courses or [("tretinoin", date(2026, 3, 2))])
        ],
    )
    return services.enrol(rt, request, now)


def run_until(
    rt: Runtime, frozen: object, until: datetime, max_gap: timedelta | None = None
) -> None:
    """Advance a freezegun clock through every due instant up to `until`, running every job
    at each, like the scheduler would (optionally also at least every `max_gap`)."""
    while True:
        run_due_work(rt)
        upcoming = services.next_due_at(rt)
        now = rt.clock.now()
        target = until if upcoming is None else min(upcoming, until)
        if max_gap is not None:
            target = min(target, now + max_gap)
        if target <= now:
            if now >= until:
                return
            target = now + timedelta(seconds=1)
        frozen.move_to(target)  # type: ignore[attr-defined]


def checkins(rt: Runtime, patient_id: int) -> list[CheckIn]:
    with rt.sessions() as session:
        return list(
            session.scalars(
                select(CheckIn).where(CheckIn.patient_id == patient_id).order_by(CheckIn.local_date)
            )
        )


def outbound(rt: Runtime, kind: str | None = None, to: str | None = None) -> list[Message]:
    with rt.sessions() as session:
        query = select(Message).where(Message.direction == "out").order_by(Message.id)
        if kind:
            query = query.where(Message.kind == kind)
        if to:
            query = query.where(Message.to_phone == to)
        return list(session.scalars(query))
