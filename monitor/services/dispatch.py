"""Dispatch: send every check-in whose local instant has come, skip stale ones, plan the next.

A tick claims due check-ins in batches and writes, in one transaction per batch, each check-in's
new status, its outbox message, the patient's next planned check-in and the audit rows, so a
crash leaves every due check-in either sent or still due. Late work is skipped, never sent as a
backlog: after an outage each missed day gets a skipped row, one pass at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from monitor.db import claims
from monitor.db.models import Base, CheckIn, Message, Patient
from monitor.db.models import Course as CourseRow
from monitor.db.upsert import insert_ignoring_conflicts
from monitor.domain.dispatch import DueAction, due_action
from monitor.domain.gsm import to_gsm7
from monitor.domain.schedule import missed_at, next_checkin, reminder_at
from monitor.domain.states import CheckinStatus, MessageKind, PatientStatus
from monitor.domain.windows import Course
from monitor.domain.wording import first_name
from monitor.runtime import Runtime
from monitor.services.audit import audit_ids, audit_many
from monitor.services.outbox_queue import Outgoing, message_row
from monitor.services.planning import (
    COURSE_COLUMNS,
    domain_course,
    refresh_schedule,
    scheduled_checkin,
    zone_named,
)
from monitor.sms.render import Renderer

ACTOR = "job"
BATCH = 1000


@dataclass
class DispatchReport:
    sent: int = 0
    skipped: int = 0
    replanned: int = 0


# What dispatch reads of each patient: plain rows, not ORM objects (it changes no patient).
_DISPATCH_PATIENTS = select(
    Patient.id,
    Patient.name,
    Patient.phone,
    Patient.timezone,
    Patient.language,
    Patient.checkin_time,
    Patient.status,
    Patient.phone_problem,
)
_CHECKIN_TABLE = Base.metadata.tables[CheckIn.__tablename__]
# One UPDATE for many check-ins (ids by expanding IN): in a batch the values differ only in
# remind_at, which is the same for every patient of one zone.
_MARK_CHECKINS = update(_CHECKIN_TABLE).where(
    _CHECKIN_TABLE.c.id.in_(bindparam("ids", expanding=True))
)


def _dispatch_rows(
    session: Session, rt: Runtime, patient_ids: set[int]
) -> tuple[dict[int, Any], dict[int, list[Course]]]:
    ids = list(patient_ids)
    patients = {
        row.id: row for row in session.execute(_DISPATCH_PATIENTS.where(Patient.id.in_(ids)))
    }
    courses: dict[int, list[Course]] = {pid: [] for pid in ids}
    for row in session.execute(
        select(CourseRow.patient_id, *COURSE_COLUMNS).where(CourseRow.patient_id.in_(ids))
    ):
        courses[row[0]].append(domain_course(rt.catalogue, *row[1:]))
    return patients, courses


def dispatch_due(rt: Runtime, now: datetime, batch_size: int = BATCH) -> DispatchReport:
    """Send every check-in whose local instant has come; skip stale ones; plan each next one."""
    report = DispatchReport()
    bodies = CheckinBodies(rt.renderer)
    decisions = Decisions(rt, now)
    while True:
        with rt.sessions.begin() as session:
            due = claims.due_checkins(session, now, batch_size)
            if not due:
                break
            catching_up = _dispatch_batch(session, rt, now, due, report, bodies, decisions)
        if len(due) < batch_size and not catching_up:
            break
    return report


def _dispatch_batch(
    session: Session,
    rt: Runtime,
    now: datetime,
    due: Sequence[Any],
    report: DispatchReport,
    bodies: CheckinBodies,
    decisions: Decisions,
) -> bool:
    """Handle one claimed batch; True when it planned check-ins that are already due (after an
    outage the days in between are planned, then skipped, one pass at a time).

    The batch is written in a few statements, none of them row by row in Python: check-ins
    marked by one UPDATE per distinct set of values, messages and next check-ins by one
    executemany each, the audit rows by one INSERT ... SELECT.
    """
    timings = rt.protocol.timings
    patients, courses = _dispatch_rows(session, rt, {row.patient_id for row in due})
    sent: dict[datetime | None, list[int]] = defaultdict(list)  # by remind_at
    skipped: list[int] = []
    messages: list[dict[str, Any]] = []
    planned: list[dict[str, Any]] = []
    replanned: list[int] = []
    sent_ids: list[int] = []
    skipped_audit: list[tuple[int, dict[str, Any] | None]] = []
    deadline = missed_at(now, timings)
    for row in due:
        patient = patients[row.patient_id]
        decision = decisions.decide(
            patient.timezone, patient.checkin_time, row.local_date, row.due_at, courses[patient.id]
        )
        action = decision.action
        if action == DueAction.REPLAN or patient.status != PatientStatus.ACTIVE:
            replanned.append(row.id)
            continue
        if patient.phone_problem and action == DueAction.SEND:
            action = DueAction.SKIP  # no texts to a number known to fail until staff fix it
        if action == DueAction.SKIP:
            skipped.append(row.id)
            skipped_audit.append(
                (row.id, {"late_minutes": int((now - row.due_at).total_seconds() // 60)})
            )
        else:
            sent[decision.remind_at].append(row.id)
            body = bodies.body(patient.language, first_name(patient.name))
            messages.append(
                _checkin_message(patient.id, patient.phone, body, row.id, now, deadline)
            )
            sent_ids.append(row.id)
        if decision.upcoming is not None:
            planned.append(scheduled_checkin(patient.id, *decision.upcoming))
    for remind_at, ids in sent.items():
        values = {"sent_at": now, "remind_at": remind_at, "deadline_at": deadline}
        _mark(session, ids, CheckinStatus.SENT, **values)
    if skipped:
        _mark(session, skipped, CheckinStatus.SKIPPED)
    insert_ignoring_conflicts(session, Message, messages, ["idempotency_key"])
    insert_ignoring_conflicts(session, CheckIn, planned, ["patient_id", "local_date"])
    audit_ids(session, now, ACTOR, "checkin.sent", "checkin", _CHECKIN_TABLE, sent_ids)
    audit_many(session, now, ACTOR, "checkin.skipped", "checkin", skipped_audit)
    if replanned:
        _replan(session, rt, now, replanned)
    report.sent += len(sent_ids)
    report.skipped += len(skipped_audit)
    report.replanned += len(replanned)
    return any(row["due_at"] <= now for row in planned)


def _mark(session: Session, ids: list[int], status: CheckinStatus, **values: Any) -> None:
    statement = _MARK_CHECKINS.values(status=status, **values)
    session.execute(statement, {"ids": ids})


@dataclass(frozen=True)
class Decision:
    action: DueAction
    remind_at: datetime | None  # if sent now
    upcoming: tuple[date, datetime] | None  # the next check-in: local date and instant


class Decisions:
    """What to do with a due check-in, worked out once per distinct case.

    The decision is a pure function of the patient's zone, check-in time and courses and of the
    check-in's local date and instant (with `now` fixed for the whole dispatch); patients who
    share all of them, as most patients of one clinic due in the same minute do, share one
    computation. At most LIMIT cases are kept.
    """

    LIMIT = 20_000

    def __init__(self, rt: Runtime, now: datetime) -> None:
        self._now = now
        self._quiet = rt.protocol.quiet
        self._timings = rt.protocol.timings
        self._known: dict[tuple[Any, ...], Decision] = {}

    def decide(
        self, zone_name: str, at: time, local_day: date, due_at: datetime, courses: list[Course]
    ) -> Decision:
        key = (zone_name, at, local_day, due_at, *courses)
        found = self._known.get(key)
        if found is None:
            if len(self._known) >= self.LIMIT:
                self._known.clear()
            found = self._known[key] = self._decide(zone_name, at, local_day, due_at, courses)
        return found

    def _decide(
        self, zone_name: str, at: time, local_day: date, due_at: datetime, courses: list[Course]
    ) -> Decision:
        zone = zone_named(zone_name)
        action = due_action(
            local_day=local_day,
            due_at=due_at,
            now=self._now,
            courses=courses,
            zone=zone,
            quiet=self._quiet,
            timings=self._timings,
        )
        return Decision(
            action=action,
            remind_at=reminder_at(self._now, zone, self._timings, self._quiet),
            upcoming=next_checkin(courses, zone, at, due_at, local_day),
        )


class CheckinBodies:
    """The check-in text for each first name, rendered once per language.

    The template is the same for everyone but the first name, so it is rendered with a marker in
    the name's place and each name is spelled in GSM-7 and put in. The first use per language is
    checked against a full render; a template that changes the name (a filter, a condition)
    falls back to rendering every message, as does a name the marker trick cannot place exactly.
    """

    MARK = "@@FIRSTNAME@@"

    def __init__(self, renderer: Renderer) -> None:
        self._renderer = renderer
        self._parts: dict[str, tuple[str, str] | None] = {}

    def body(self, language: str, name: str) -> str:
        if language not in self._parts:
            self._parts[language] = self._split(language, name)
        parts = self._parts[language]
        if parts is None or not name or name != name.strip() or self.MARK in name:
            return self._render(language, name)
        return parts[0] + to_gsm7(name) + parts[1]

    def _render(self, language: str, name: str) -> str:
        return self._renderer.render("checkin", language, first_name=name)

    def _split(self, language: str, name: str) -> tuple[str, str] | None:
        marked = self._render(language, self.MARK)
        if marked.count(self.MARK) != 1:
            return None
        head, tail = marked.split(self.MARK)
        if (
            name
            and name == name.strip()
            and head + to_gsm7(name) + tail != self._render(language, name)
        ):
            return None
        return head, tail


def _checkin_message(
    patient_id: int, phone: str, body: str, checkin_id: int, now: datetime, deadline: datetime
) -> dict[str, Any]:
    return message_row(
        Outgoing(
            kind=MessageKind.CHECKIN,
            to_phone=phone,
            body=body,
            key=f"checkin:{checkin_id}",
            patient_id=patient_id,
            checkin_id=checkin_id,
            expires_at=deadline,
        ),
        now,
    )


def _replan(session: Session, rt: Runtime, now: datetime, ids: list[int]) -> None:
    owners = set(session.scalars(select(CheckIn.patient_id).where(CheckIn.id.in_(ids))).all())
    session.execute(delete(CheckIn).where(CheckIn.id.in_(ids)))
    patients = session.scalars(select(Patient).where(Patient.id.in_(owners)).order_by(Patient.id))
    for patient in patients:
        refresh_schedule(session, rt.catalogue, rt.protocol.quiet, patient, now)
    audit_many(session, now, ACTOR, "checkin.replanned", "checkin", [(i, None) for i in ids])
