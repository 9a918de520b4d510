"""`dswatch simulate`: run a scenario through the real services and jobs on a simulated clock.

A fresh temporary SQLite database, the local sender, and a clock that jumps from one due instant
to the next (so six months take seconds); at each instant every job runs once, exactly as the
scheduler would run it within its interval.
"""

from __future__ import annotations

import random
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
from monitor.db.models import CheckIn, Escalation, Message, Nurse
from monitor.domain.states import CheckinStatus, Direction, OutboxStatus
from monitor.runtime import Runtime, build_runtime
from monitor.settings import Settings
from monitor.sms.sender import LocalSender

STEP = timedelta(seconds=1)
SEED = 20261124  # codes are drawn from a seeded source: a scenario always gives the same output
SIMULATED_NUMBER = "+12015550000"  # the service's own number, as Twilio would post it


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
        rt = build_runtime(sim_settings, clock=clock, sender=LocalSender(), rng=random.Random(SEED))
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
            services.add_team(
                rt, team.name, now, team.clinic_phone, actor="simulate", timezone=team.timezone
            )
        except services.CareTeamError as error:
            raise ScenarioError(f"care_teams[{t_index}]: {error}") from None
        for n_index, nurse in enumerate(team.nurses):
            try:
                services.add_nurse(
                    rt, team.name, nurse.name, nurse.phone, nurse.tier, now, nurse.on_call
                )
            except services.CareTeamError as error:
                raise ScenarioError(f"care_teams[{t_index}].nurses[{n_index}]: {error}") from None
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
    """Jump from one due instant or event to the next; at each, deliver what people texted
    (through the webhook's own path), then run every job once."""
    events = sorted(enumerate(scenario.events), key=lambda pair: (pair[1].at, pair[0]))
    position = 0
    while True:
        while position < len(events) and events[position][1].at <= clock.now():
            index, event = events[position]
            sms = services.InboundSms(
                sid=f"SMsimulated{index:022d}",
                from_=event.from_,
                to=SIMULATED_NUMBER,
                body=event.body,
            )
            services.receive_sms(rt, sms, clock.now())
            position += 1
        run_due_work(rt)
        candidates = [services.next_due_at(rt)]
        if position < len(events):
            candidates.append(events[position][1].at)
        upcoming = min((when for when in candidates if when is not None), default=None)
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
        escalations = session.execute(
            select(Escalation, Nurse.name)
            .outerjoin(Nurse, Nurse.id == Escalation.acknowledged_by)
            .order_by(Escalation.created_at, Escalation.id)
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
            "escalations": [
                {
                    "patient": refs.get(escalation.patient_id, str(escalation.patient_id)),
                    "level": escalation.level.value,
                    "code": escalation.code,
                    "created_at": _iso(escalation.created_at),
                    "acknowledged_at": (
                        _iso(escalation.acknowledged_at) if escalation.acknowledged_at else None
                    ),
                    "acknowledged_by": nurse_name,
                }
                for escalation, nurse_name in escalations
            ],
        }
