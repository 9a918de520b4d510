"""A patient wrote: keywords, triage, the report, the answer, and the care team if needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from monitor.db.models import CheckIn, Patient, Report
from monitor.domain.alerts import reported
from monitor.domain.keywords import Keyword, opt_keyword
from monitor.domain.parsing import parse_reply
from monitor.domain.schedule import closing_at
from monitor.domain.states import CheckinStatus, EscalationLevel, MessageKind, PatientStatus
from monitor.domain.triage import Level, WeightReading, triage
from monitor.domain.wording import clock_time, first_name
from monitor.runtime import Runtime
from monitor.services.audit import audit, audit_entries
from monitor.services.escalation import open_escalation
from monitor.services.opting_out import opt_out
from monitor.services.planning import load_courses, refresh_schedule

ANSWER_WINDOW = timedelta(hours=24)  # a reply counts as the answer to a check-in sent this recently
WEIGHT_HISTORY = timedelta(days=7)
UNCLEAR_RUN = timedelta(hours=24)  # two unclear replies this close together go to a nurse

TRIAGE_ESCALATION = {
    Level.EMERGENCY: EscalationLevel.EMERGENCY,
    Level.URGENT: EscalationLevel.URGENT,
    Level.SAME_DAY: EscalationLevel.SAME_DAY,
}
REPLY_TEMPLATE = {
    Level.EMERGENCY: "reply_emergency",
    Level.URGENT: "reply_urgent",
    Level.SAME_DAY: "reply_same_day",
    Level.ROUTINE: "reply_routine",
    Level.UNCLEAR: "reply_unclear",
}


@dataclass(frozen=True)
class Reply:
    body: str
    kind: MessageKind
    patient_id: int | None = None


def clinic_line(rt: Runtime, patient: Patient, team_phone: str | None) -> str:
    """The number patients are told to call: the care team's, else the clinic's, else words."""
    number = team_phone or rt.settings.clinic_phone
    return number or ("su equipo médico" if patient.language == "es" else "your care team")


def handle_patient(
    session: Session,
    rt: Runtime,
    patient: Patient,
    team_phone: str | None,
    message_id: int,
    body: str,
    opt_out_type: str | None,
    now: datetime,
) -> Reply | None:
    """Answer a patient, whatever their status: an emergency is an emergency after STOP too.

    START matters only to a patient who opted out; from anyone else ("yes") it is an answer
    like any other and is triaged.
    """
    keyword = _keyword(body, opt_out_type)
    if keyword == Keyword.STOP:
        _stop(session, rt, patient, message_id, now)
        return None  # the carrier confirms STOP itself and blocks anything we would send
    line = clinic_line(rt, patient, team_phone)
    if keyword == Keyword.START and patient.status == PatientStatus.OPTED_OUT:
        return _start(session, rt, patient, line, now)
    if keyword == Keyword.HELP:
        body = rt.renderer.render("help", patient.language, clinic_line=line)
        return Reply(body, MessageKind.REPLY, patient.id)
    return _triaged(session, rt, patient, line, message_id, body, now)


def _keyword(body: str, opt_out_type: str | None) -> Keyword | None:
    if opt_out_type in ("STOP", "START", "HELP"):
        return Keyword(opt_out_type.lower())
    return opt_keyword(body)


def _triaged(
    session: Session,
    rt: Runtime,
    patient: Patient,
    line: str,
    message_id: int,
    body: str,
    now: datetime,
) -> Reply:
    parsed = parse_reply(body)  # language detected exactly as `dswatch triage` does
    recent = _recent_reports(session, patient.id, now)
    weights = [WeightReading(at, kg) for at, kg, _ in recent if kg is not None]
    decision = triage(parsed, now, weights)
    checkin = _answering(session, patient.id, now)
    previous = recent[0] if recent else None
    report = Report(
        patient_id=patient.id,
        message_id=message_id,
        checkin_id=checkin.id if checkin else None,
        level=decision.level.value,
        signs=[sign.value for sign in decision.signs],
        reasons=list(decision.reasons),
        temperature_c=parsed.temperature_c,
        weight_kg=parsed.weight_kg,
        language=parsed.language,
        created_at=now,
    )
    session.add(report)
    session.flush()
    entries: list[tuple[str, str, int | None, dict[str, Any] | None]] = [
        ("report.triaged", "report", report.id, {"level": decision.level.value})
    ]
    if checkin is not None:
        checkin.status = CheckinStatus.ANSWERED
        checkin.answered_at = now
        checkin.remind_at = None
        entries.append(("checkin.answered", "checkin", checkin.id, None))
    audit_entries(session, now, "patient", entries)

    template = REPLY_TEMPLATE[decision.level]
    if decision.level in TRIAGE_ESCALATION:
        summary = reported(
            (s.value for s in decision.signs), parsed.temperature_c, parsed.weight_kg
        )
        open_escalation(
            session,
            rt,
            patient,
            TRIAGE_ESCALATION[decision.level],
            now,
            summary,
            words=body,
            report_id=report.id,
        )
    elif decision.level == Level.UNCLEAR and _unclear_again(previous, now):
        template = "reply_review"
        open_escalation(
            session,
            rt,
            patient,
            EscalationLevel.UNCLEAR,
            now,
            "sent 2 unclear replies in a row",
            words=body,
            report_id=report.id,
        )
    kind = MessageKind.SAFETY if decision.level == Level.EMERGENCY else MessageKind.REPLY
    text = rt.renderer.render(
        template, patient.language, first_name=first_name(patient.name), clinic_line=line
    )
    return Reply(text, kind, patient.id)


RecentReport = tuple[datetime, float | None, str]  # created_at, weight_kg, level


def _unclear_again(previous: RecentReport | None, now: datetime) -> bool:
    return (
        previous is not None
        and previous[2] == Level.UNCLEAR.value
        and now - previous[0] <= UNCLEAR_RUN
    )


# Built once (every text runs them); bound per call.
_RECENT_REPORTS = (
    select(Report.created_at, Report.weight_kg, Report.level)
    .where(Report.patient_id == bindparam("patient_id"), Report.created_at >= bindparam("since"))
    .order_by(Report.created_at.desc(), Report.id.desc())
)
_ANSWERING = (
    select(CheckIn)
    .where(
        CheckIn.patient_id == bindparam("patient_id"),
        CheckIn.status.in_((CheckinStatus.SENT, CheckinStatus.MISSED)),
        CheckIn.sent_at >= bindparam("since"),
    )
    .order_by(CheckIn.sent_at.desc())
    .limit(1)
    .with_for_update()
)


def _recent_reports(session: Session, patient_id: int, now: datetime) -> list[RecentReport]:
    """The patient's reports of the last week, newest first: the weights for the history rule
    and the previous level for the unclear-twice rule, in one query."""
    rows = session.execute(
        _RECENT_REPORTS, {"patient_id": patient_id, "since": now - WEIGHT_HISTORY}
    ).all()
    return [(at, kg, level) for at, kg, level in rows]


def _answering(session: Session, patient_id: int, now: datetime) -> CheckIn | None:
    """The check-in this message answers: the latest one sent in the last day, unless answered."""
    return session.scalars(
        _ANSWERING, {"patient_id": patient_id, "since": now - ANSWER_WINDOW}
    ).first()


def _stop(session: Session, rt: Runtime, patient: Patient, message_id: int, now: datetime) -> None:
    """Opt out: no more messages, and the care team learns a patient left monitoring."""
    audit(session, now, "patient", "patient.stop", "patient", patient.id, message=message_id)
    opt_out(session, rt, patient, now, "patient", "texted STOP and will get no more check-ins")


def _start(session: Session, rt: Runtime, patient: Patient, line: str, now: datetime) -> Reply:
    """Opt back in: check-ins resume while a window is still open; otherwise say they ended."""
    courses = load_courses(session, rt.catalogue, patient.id)
    closes = closing_at(courses, ZoneInfo(patient.timezone), rt.protocol.quiet)
    patient.updated_at = now
    if closes is not None and closes > now:
        patient.status = PatientStatus.ACTIVE
        refresh_schedule(session, rt.catalogue, rt.protocol.quiet, patient, now)
        audit(session, now, "patient", "patient.opted_in", "patient", patient.id)
        body = rt.renderer.render(
            "restarted",
            patient.language,
            first_name=first_name(patient.name),
            checkin_time=clock_time(patient.checkin_time, patient.language),
        )
        return Reply(body, MessageKind.REPLY, patient.id)
    patient.status = PatientStatus.ENDED
    audit(
        session, now, "patient", "patient.ended", "patient", patient.id, reason="start_after_window"
    )
    body = rt.renderer.render("not_monitored", patient.language, clinic_line=line)
    return Reply(body, MessageKind.REPLY, patient.id)
