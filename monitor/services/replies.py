"""A patient wrote: keywords, triage, the report, the answer, and the care team if needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.db.models import CareTeam, CheckIn, Patient, Report
from monitor.domain.alerts import reported
from monitor.domain.keywords import Keyword, opt_keyword
from monitor.domain.parsing import parse_reply
from monitor.domain.schedule import closing_at
from monitor.domain.states import CheckinStatus, EscalationLevel, MessageKind, PatientStatus
from monitor.domain.triage import Level, WeightReading, triage
from monitor.domain.wording import clock_time, first_name
from monitor.runtime import Runtime
from monitor.services.audit import audit
from monitor.services.escalation import open_escalation
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


def clinic_line(session: Session, rt: Runtime, patient: Patient) -> str:
    team = session.get(CareTeam, patient.care_team_id)
    number = (team.clinic_phone if team else None) or rt.settings.clinic_phone
    return number or ("su equipo médico" if patient.language == "es" else "your care team")


def handle_patient(
    session: Session,
    rt: Runtime,
    patient: Patient,
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
    if keyword == Keyword.START and patient.status == PatientStatus.OPTED_OUT:
        return _start(session, rt, patient, now)
    if keyword == Keyword.HELP:
        line = clinic_line(session, rt, patient)
        body = rt.renderer.render("help", patient.language, clinic_line=line)
        return Reply(body, MessageKind.REPLY, patient.id)
    return _triaged(session, rt, patient, message_id, body, now)


def _keyword(body: str, opt_out_type: str | None) -> Keyword | None:
    if opt_out_type in ("STOP", "START", "HELP"):
        return Keyword(opt_out_type.lower())
    return opt_keyword(body)


def _triaged(
    session: Session, rt: Runtime, patient: Patient, message_id: int, body: str, now: datetime
) -> Reply:
    parsed = parse_reply(body)  # language detected exactly as `dswatch triage` does
    decision = triage(parsed, now, _weights(session, patient.id, now))
    checkin = _answering(session, patient.id, now)
    previous = session.scalars(
        select(Report)
        .where(Report.patient_id == patient.id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(1)
    ).first()
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
    audit(session, now, "patient", "report.triaged", "report", report.id, level=decision.level)
    if checkin is not None:
        checkin.status = CheckinStatus.ANSWERED
        checkin.answered_at = now
        checkin.remind_at = None
        audit(session, now, "patient", "checkin.answered", "checkin", checkin.id)

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
        template,
        patient.language,
        first_name=first_name(patient.name),
        clinic_line=clinic_line(session, rt, patient),
    )
    return Reply(text, kind, patient.id)


def _unclear_again(previous: Report | None, now: datetime) -> bool:
    return (
        previous is not None
        and previous.level == Level.UNCLEAR.value
        and now - previous.created_at <= UNCLEAR_RUN
    )


def _weights(session: Session, patient_id: int, now: datetime) -> list[WeightReading]:
    rows = session.execute(
        select(Report.created_at, Report.weight_kg).where(
            Report.patient_id == patient_id,
            Report.weight_kg.is_not(None),
            Report.created_at >= now - WEIGHT_HISTORY,
        )
    ).all()
    return [WeightReading(at, kg) for at, kg in rows if kg is not None]


def _answering(session: Session, patient_id: int, now: datetime) -> CheckIn | None:
    """The check-in this message answers: the latest one sent in the last day, unless answered."""
    return session.scalars(
        select(CheckIn)
        .where(
            CheckIn.patient_id == patient_id,
            CheckIn.status.in_((CheckinStatus.SENT, CheckinStatus.MISSED)),
            CheckIn.sent_at >= now - ANSWER_WINDOW,
        )
        .order_by(CheckIn.sent_at.desc())
        .limit(1)
        .with_for_update()
    ).first()


def _stop(session: Session, rt: Runtime, patient: Patient, message_id: int, now: datetime) -> None:
    """Opt out: no more messages, and the care team learns a patient left monitoring."""
    was = patient.status
    audit(session, now, "patient", "patient.stop", "patient", patient.id, message=message_id)
    if was == PatientStatus.OPTED_OUT:
        return
    patient.status = PatientStatus.OPTED_OUT
    patient.updated_at = now
    refresh_schedule(session, rt.catalogue, rt.protocol.quiet, patient, now)
    audit(session, now, "patient", "patient.opted_out", "patient", patient.id, was=was)
    if was in (PatientStatus.ACTIVE, PatientStatus.PAUSED):
        open_escalation(
            session,
            rt,
            patient,
            EscalationLevel.OPTED_OUT,
            now,
            "texted STOP and will get no more check-ins",
        )


def _start(session: Session, rt: Runtime, patient: Patient, now: datetime) -> Reply:
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
    line = clinic_line(session, rt, patient)
    body = rt.renderer.render("not_monitored", patient.language, clinic_line=line)
    return Reply(body, MessageKind.REPLY, patient.id)
