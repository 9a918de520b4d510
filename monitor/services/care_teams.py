"""Care teams and the nurses they page."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.db.models import CareTeam, Nurse
from monitor.domain.wording import parse_clock
from monitor.phones import InvalidPhone, normalise_phone
from monitor.runtime import Runtime
from monitor.services.audit import audit

NAME_LIMIT = 100  # the columns' size


class CareTeamError(ValueError):
    pass


def find_team(session: Session, name: str) -> CareTeam:
    team = session.scalar(select(CareTeam).where(CareTeam.name == name.strip()))
    if team is None:
        known = ", ".join(session.scalars(select(CareTeam.name).order_by(CareTeam.name))) or "none"
        raise CareTeamError(
            f"care team {name!r} does not exist: create it with `dswatch team add NAME` "
            f"(existing: {known})"
        )
    return team


def add_team(
    rt: Runtime,
    name: str,
    now: datetime,
    clinic_phone: str | None = None,
    actor: str = "cli",
    timezone: str = "UTC",
) -> CareTeam:
    name = " ".join(name.split())
    if not name:
        raise CareTeamError("care team name is empty: give a name such as 'Leukemia clinic'")
    if len(name) > NAME_LIMIT:
        raise CareTeamError(f"care team name is {len(name)} characters: at most {NAME_LIMIT}")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise CareTeamError(
            f"timezone {timezone!r} is not an IANA zone: use a name such as America/New_York"
        ) from None
    phone = None
    if clinic_phone:
        try:
            phone = normalise_phone(clinic_phone)
        except InvalidPhone as error:
            raise CareTeamError(f"clinic phone: {error}") from None
    with rt.sessions.begin() as session:
        if session.scalar(select(CareTeam.id).where(CareTeam.name == name)) is not None:
            raise CareTeamError(f"care team {name!r} already exists")
        team = CareTeam(name=name, clinic_phone=phone, timezone=timezone, created_at=now)
        session.add(team)
        session.flush()
        audit(session, now, actor, "care_team.added", "care_team", team.id)
        return team


def parse_on_call(text: str | None) -> tuple[time | None, time | None]:
    """'08:00-20:00' -> (08:00, 20:00); None or '' -> always on call."""
    if not text:
        return None, None
    try:
        start, end = (part.strip() for part in text.split("-", 1))
        return parse_clock(start), parse_clock(end)
    except ValueError:
        raise CareTeamError(
            f"on-call hours {text!r}: write them as HH:MM-HH:MM, e.g. 08:00-20:00"
        ) from None


def add_nurse(
    rt: Runtime,
    team_name: str,
    name: str,
    phone: str,
    tier: int,
    now: datetime,
    on_call: str | None = None,
    actor: str = "cli",
) -> Nurse:
    name = " ".join(name.split())
    if not name:
        raise CareTeamError("nurse name is empty: give the nurse's name")
    if len(name) > NAME_LIMIT:
        raise CareTeamError(f"nurse name is {len(name)} characters: at most {NAME_LIMIT}")
    if tier < 1:
        raise CareTeamError(f"tier {tier}: tiers start at 1 (first paged)")
    try:
        number = normalise_phone(phone)
    except InvalidPhone as error:
        raise CareTeamError(f"phone: {error}") from None
    start, end = parse_on_call(on_call)
    with rt.sessions.begin() as session:
        team = find_team(session, team_name)
        exists = session.scalar(
            select(Nurse.id).where(Nurse.care_team_id == team.id, Nurse.phone == number)
        )
        if exists is not None:
            raise CareTeamError(f"a nurse with phone {number} is already in {team.name!r}")
        nurse = Nurse(
            care_team_id=team.id,
            name=name,
            phone=number,
            tier=tier,
            on_call_start=start,
            on_call_end=end,
            created_at=now,
        )
        session.add(nurse)
        session.flush()
        audit(session, now, actor, "nurse.added", "nurse", nurse.id, care_team=team.id, tier=tier)
        return nurse


def list_teams(rt: Runtime) -> list[tuple[CareTeam, list[Nurse]]]:
    with rt.sessions() as session:
        teams = session.scalars(select(CareTeam).order_by(CareTeam.name)).all()
        nurses = session.scalars(select(Nurse).order_by(Nurse.tier, Nurse.name)).all()
        return [(team, [n for n in nurses if n.care_team_id == team.id]) for team in teams]
