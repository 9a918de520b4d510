"""What permanent provider errors do to patients, nurses and the care team."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from jobs.tasks import run_due_work
from monitor import services
from monitor.db.models import Escalation
from monitor.domain.states import CheckinStatus, EscalationLevel, PatientStatus
from monitor.runtime import Runtime
from monitor.sms.sender import SendError
from tests.support.builders import NURSE_1, NURSE_2, PATIENT_PHONE, add_team, enrol, run_until
from tests.support.fakes import RecordingSender

MORNING = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 07:00 New York


def levels(rt: Runtime) -> list[EscalationLevel]:
    with rt.sessions() as session:
        return list(session.scalars(select(Escalation.level).order_by(Escalation.id)))


def test_21610_opts_the_patient_out_and_alerts_the_care_team(
    rt: Runtime, sender: RecordingSender
) -> None:
    sender.fail_for(PATIENT_PHONE, SendError("twilio 400 code 21610", code=21610, permanent=True))
    with freeze_time(MORNING) as frozen:
        add_team(rt, rt.clock.now())
        enrol(rt, rt.clock.now())
        run_until(rt, frozen, MORNING + timedelta(days=3))
    detail = services.patient_detail(rt, PATIENT_PHONE)
    assert detail.summary.patient.status == PatientStatus.OPTED_OUT
    assert levels(rt) == [EscalationLevel.OPTED_OUT]
    assert any("OPTED OUT" in sms.body and "21610" in sms.body for sms in sender.to(NURSE_1))
    assert sender.attempts == 1 + len(sender.sent)  # the welcome failed once; never retried


def test_an_invalid_number_is_flagged_alerted_once_and_not_texted_again(
    rt: Runtime, sender: RecordingSender
) -> None:
    sender.fail_for(PATIENT_PHONE, SendError("twilio 400 code 21211", code=21211, permanent=True))
    with freeze_time(MORNING) as frozen:
        add_team(rt, rt.clock.now())
        enrol(rt, rt.clock.now())
        run_until(rt, frozen, MORNING + timedelta(days=4))
    detail = services.patient_detail(rt, PATIENT_PHONE)
    assert detail.summary.patient.phone_problem == "invalid number (21211)"
    assert levels(rt) == [EscalationLevel.DELIVERY_FAILURE]
    alerts = [sms.body for sms in sender.to(NURSE_1)]
    assert len(alerts) == 1 and "TEXTS FAILING" in alerts[0] and "check the number" in alerts[0]
    # After the first failure no more texts are attempted until staff fix the number.
    patient_attempts = sender.attempts - len(sender.sent)
    assert patient_attempts == 1
    assert {c.status for c in detail.checkins if c.status != CheckinStatus.SCHEDULED} == {
        CheckinStatus.SKIPPED
    }


def test_fixing_the_number_restarts_texts(rt: Runtime, sender: RecordingSender) -> None:
    sender.fail_for(PATIENT_PHONE, SendError("twilio 400 code 21614", code=21614, permanent=True))
    with freeze_time(MORNING) as frozen:
        add_team(rt, rt.clock.now())
        patient = enrol(rt, rt.clock.now())
        run_until(rt, frozen, MORNING + timedelta(hours=4))
        services.update_details(rt, patient.code, rt.clock.now(), phone="+12015550124")
        run_until(rt, frozen, MORNING + timedelta(days=1, hours=3))
    assert len([s for s in sender.to("+12015550124") if "daily check-in" in s.body]) == 1


def test_a_nurse_alert_that_fails_pages_the_next_nurse_at_once(
    rt: Runtime, sender: RecordingSender
) -> None:
    sender.fail_for(NURSE_1, SendError("twilio 400 code 21211", code=21211, permanent=True))
    with freeze_time(MORNING) as frozen:
        add_team(rt, rt.clock.now())
        enrol(rt, rt.clock.now(), courses=[("ATRA", date(2026, 3, 2))])
        run_until(rt, frozen, datetime(2026, 3, 2, 20, 1, tzinfo=UTC))  # missed at 15:00 local
        run_due_work(rt)
    assert len(sender.to(NURSE_2)) == 1  # not 4 hours later
    patient = services.patient_detail(rt, PATIENT_PHONE).summary.patient
    assert patient.phone_problem is None  # the nurse's number is not the patient's problem
