"""`dswatch simulate`: run a scenario through the real services and jobs on a simulated clock.

A fresh temporary SQLite database, the local sender, and a clock that jumps from one due instant
to the next (so six months take seconds); at each instant every job runs once, exactly as the
scheduler would run it within its interval.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from jobs.scenario import Scenario, ScenarioError
from jobs.tasks import run_due_work
from monitor import services
from monitor.clock import SimulatedClock
from monitor.db import migrate
from monitor.db.models import CheckIn, Message
from monitor.domain.states import CheckinStatus, Direction, OutboxStatus
from monitor.runtime import Runtime, build_runtime
from monitor.settings import Settings
from monitor.sms.sender import LocalSender

STEP = timedelta(seconds=1)


def run_scenario(scenario: Scenario, settings: Settings) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="dswatch-simulate-") as folder:
        url = f"sqlite:///{Path(folder) / 'simulate.db'}"
        migrate.upgrade(url)
        sim_settings = settings.model_copy(
            update={
                "database_url": url,
                "twilio_account_sid": None,
                "twilio_auth_token": None,
                "routine_rate_per_second": None,
                "send_concurrency": 1,
            }
        )
        clock = SimulatedClock(scenario.start)
        rt = build_runtime(sim_settings, clock=clock, sender=LocalSender())
        try:
            refs = _set_up(rt, scenario)
            _run(rt, clock, scenario)
            return _report(rt, refs)
        finally:
            rt.close()


def _set_up(rt: Runtime, scenario: Scenario) -> dict[int, str]:
    now = rt.clock.now()
    for t_index, team in enumerate(scenario.care_teams):
        try:
            services.add_team(rt, team.name, now, team.clinic_phone, actor="simulate")
            for n_index, nurse in enumerate(team.nurses):
                where = f"care_teams[{t_index}].nurses[{n_index}]"
                try:
                    services.add_nurse(
                        rt, team.name, nurse.name, nurse.phone, nurse.tier, now, nurse.on_call
                    )
                except services.CareTeamError as error:
                    raise ScenarioError(f"{where}: {error}") from None
        except services.CareTeamError as error:
            if isinstance(error, ScenarioError):
                raise
            raise ScenarioError(f"care_teams[{t_index}]: {error}") from None
    refs: dict[int, str] = {}
    for index, entry in enumerate(scenario.patients):
        request = services.EnrolmentRequest(
            name=entry.name,
            phone=entry.phone,
            timezone=entry.timezone,
            language=entry.language,
            checkin_time=entry.checkin_time,
            care_team=entry.care_team,
            courses=[
                services.CourseRequest(c.drug, c.start, c.window_days, c.hold, c.resume, c.stop)
                for c in entry.courses
            ],
        )
        try:
            patient = services.enrol(rt, request, now, actor="simulate")
        except services.EnrolmentError as error:
            problems = "; ".join(error.problems)
            raise ScenarioError(f"patients[{index}] (ref {entry.ref}): {problems}") from None
        refs[patient.id] = entry.ref
    return refs


def _run(rt: Runtime, clock: SimulatedClock, scenario: Scenario) -> None:
    while True:
        run_due_work(rt)
        upcoming = services.next_due_at(rt)
        if upcoming is None or upcoming > scenario.end:
            break
        clock.set(max(upcoming, clock.now() + STEP))


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _report(rt: Runtime, refs: dict[int, str]) -> dict[str, Any]:
    with rt.sessions() as session:
        messages = session.scalars(
            select(Message)
            .where(Message.direction == Direction.OUTBOUND, Message.status == OutboxStatus.SENT)
            .order_by(Message.sent_at, Message.id)
        ).all()
        checkins = session.scalars(
            select(CheckIn)
            .where(CheckIn.status != CheckinStatus.SCHEDULED)
            .order_by(CheckIn.patient_id, CheckIn.local_date)
        ).all()
        return {
            "messages": [
                {
                    "at": _iso(message.sent_at or message.created_at),
                    "to": message.to_phone,
                    "kind": message.kind.value,
                    "body": message.body,
                }
                for message in messages
            ],
            "checkins": [
                {
                    "patient": refs.get(checkin.patient_id, str(checkin.patient_id)),
                    "local_date": checkin.local_date.isoformat(),
                    "status": checkin.status.value,
                }
                for checkin in checkins
            ],
        }
