"""Replies and escalation journeys: texts through the real webhook, jobs on a frozen clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from jobs.tasks import run_due_work
from monitor import services
from monitor.db.models import CheckIn, Escalation, Message, Report
from monitor.domain.states import CheckinStatus, EscalationLevel, PatientStatus
from monitor.runtime import Runtime
from monitor.services.inbound import Answer
from tests.support.builders import NURSE_1, NURSE_2, PATIENT_PHONE, add_team, enrol, run_until
from tests.support.fakes import RecordingSender
from tests.support.webhook import Webhook, twiml_message

# 09:00 New York on 3 March 2026, the first day of a tretinoin course.
CHECKIN_SENT = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
COURSE_START = date(2026, 3, 3)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def escalations(rt: Runtime) -> list[Escalation]:
    with rt.sessions() as session:
        return list(session.scalars(select(Escalation).order_by(Escalation.id)))


def start_course(rt: Runtime, frozen: object, until: datetime = CHECKIN_SENT) -> None:
    add_team(rt, rt.clock.now())
    enrol(rt, rt.clock.now(), courses=[("tretinoin", COURSE_START)])
    run_until(rt, frozen, until)


def test_emergency_reply_gets_advice_at_once_and_pages_until_acknowledged(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    rt = webhook_rt
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(rt, frozen)
        frozen.move_to(CHECKIN_SENT + timedelta(minutes=5))
        response = webhook.text(PATIENT_PHONE, "I cant breathe since this morning")

        # The advice rides in the webhook's own response.
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/xml")
        advice = twiml_message(response)
        assert advice is not None and "911" in advice
        # Tier 1 was paged at once (the webhook drained urgent messages after answering).
        assert len(sender.to(NURSE_1)) == 1
        assert sender.to(NURSE_2) == []
        alert = sender.to(NURSE_1)[0].body
        assert "EMERGENCY" in alert and "Ana G." in alert and PATIENT_PHONE in alert
        assert "trouble breathing" in alert and "cant breathe" in alert
        code = escalations(rt)[0].code
        assert f"ACK {code}" in alert

        frozen.tick(timedelta(minutes=5))  # re-alert to tier 1 at 5 minutes
        run_due_work(rt)
        assert (len(sender.to(NURSE_1)), len(sender.to(NURSE_2))) == (2, 0)
        frozen.tick(timedelta(minutes=5))  # tier 2 joins at 10 minutes
        run_due_work(rt)
        assert (len(sender.to(NURSE_1)), len(sender.to(NURSE_2))) == (3, 1)

        ack = webhook.text(NURSE_2, "ack")
        confirmation = twiml_message(ack)
        assert confirmation is not None and f"Acknowledged {code}" in confirmation
        run_due_work(rt)
        told = sender.to(NURSE_1)[-1].body
        assert f"{code}" in told and "acknowledged by Omar T." in told

        before = len(sender.sent)
        frozen.tick(timedelta(minutes=30))
        run_due_work(rt)
        assert len(sender.sent) == before  # re-alerting stopped
    escalation = escalations(rt)[0]
    assert escalation.level == EscalationLevel.EMERGENCY
    assert escalation.acknowledged_at == CHECKIN_SENT + timedelta(minutes=15)


def test_an_answer_marks_the_checkin_answered_and_cancels_its_reminder(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    rt = webhook_rt
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(rt, frozen)
        frozen.move_to(CHECKIN_SENT + timedelta(minutes=20))
        reply = twiml_message(webhook.text(PATIENT_PHONE, "0"))
        assert reply is not None and reply.startswith("Thank you, Ana")
        run_until(rt, frozen, CHECKIN_SENT + timedelta(hours=8))
    with rt.sessions() as session:
        checkin = session.scalars(
            select(CheckIn).where(CheckIn.local_date == date(2026, 3, 3))
        ).one()
    assert checkin.status == CheckinStatus.ANSWERED
    reminders = [sms for sms in sender.to(PATIENT_PHONE) if "not heard" in sms.body]
    assert reminders == []
    assert escalations(rt) == []


def test_urgent_fever_with_a_number_pages_on_the_urgent_cadence(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    rt = webhook_rt
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(rt, frozen)
        reply = twiml_message(webhook.text(PATIENT_PHONE, "3 temp 38.6"))
        assert reply is not None and "within the hour" in reply and "+12015550199" in reply
        alert = sender.to(NURSE_1)[-1].body
        assert "URGENT" in alert and "38.6 C" in alert
        frozen.tick(timedelta(minutes=15))
        run_due_work(rt)
        assert len([s for s in sender.to(NURSE_1) if "URGENT" in s.body]) == 2
        assert sender.to(NURSE_2) == []
        frozen.tick(timedelta(minutes=15))
        run_due_work(rt)
        assert len([s for s in sender.to(NURSE_2) if "URGENT" in s.body]) == 1
    with rt.sessions() as session:
        report = session.scalars(select(Report)).one()
    assert report.temperature_c == 38.6 and report.level == "urgent"


def test_a_missed_checkin_reaches_a_nurse(rt: Runtime, sender: RecordingSender) -> None:
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        add_team(rt, rt.clock.now())
        enrol(rt, rt.clock.now())
        run_until(rt, frozen, utc(2026, 3, 2, 20, 1))  # 15:01 local, 6 h after the check-in
    alerts = [sms.body for sms in sender.to(NURSE_1)]
    assert len(alerts) == 1
    assert "MISSED CHECK-IN" in alerts[0] and "9:00 AM" in alerts[0]
    assert [e.level for e in escalations(rt)] == [EscalationLevel.MISSED]


def test_stop_ends_checkins_and_tells_the_care_team(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    rt = webhook_rt
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(rt, frozen)
        response = webhook.text(PATIENT_PHONE, "Stop")
        assert twiml_message(response) is None  # the carrier confirms STOP itself
        run_until(rt, frozen, utc(2026, 3, 10))
        detail = services.patient_detail(rt, PATIENT_PHONE)
        assert detail.summary.patient.status == PatientStatus.OPTED_OUT
        checkins_after = [c for c in detail.checkins if c.local_date > date(2026, 3, 3)]
        assert checkins_after == []
        alerts = [sms.body for sms in sender.to(NURSE_1) if "OPTED OUT" in sms.body]
        assert len(alerts) == 1 and "STOP" in alerts[0]

        # START inside the window brings the check-ins back.
        restart = twiml_message(webhook.text(PATIENT_PHONE, "START"))
        assert restart is not None and "Welcome back" in restart
        run_until(rt, frozen, utc(2026, 3, 11, 15, 0))
    detail = services.patient_detail(rt, PATIENT_PHONE)
    assert detail.summary.patient.status == PatientStatus.ACTIVE
    assert [c.local_date for c in detail.checkins if c.status != CheckinStatus.SCHEDULED][-1] == (
        date(2026, 3, 11)
    )


def test_stop_inside_a_sentence_is_an_ordinary_reply(webhook_rt: Runtime, webhook: Webhook) -> None:
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(webhook_rt, frozen)
        reply = twiml_message(webhook.text(PATIENT_PHONE, "stop this bill"))
    assert reply is not None and "could not read" in reply
    status = services.patient_detail(webhook_rt, PATIENT_PHONE).summary.patient.status
    assert status == PatientStatus.ACTIVE


def test_help_gives_the_clinic_line_in_the_patients_language(
    webhook_rt: Runtime, webhook: Webhook
) -> None:
    with freeze_time(utc(2026, 3, 2, 12, 0)):
        add_team(webhook_rt, webhook_rt.clock.now())
        enrol(webhook_rt, webhook_rt.clock.now(), language="es")
        reply = twiml_message(webhook.text(PATIENT_PHONE, "AYUDA"))
    assert reply is not None and "+12015550199" in reply and "ALTO" in reply


def test_a_second_unclear_reply_goes_to_a_nurse_instead_of_asking_again(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(webhook_rt, frozen)
        first = twiml_message(webhook.text(PATIENT_PHONE, "hmm not sure what to say"))
        assert first is not None and "numbers from the list" in first
        second = twiml_message(webhook.text(PATIENT_PHONE, "what?"))
        assert second is not None and "A nurse will read your message" in second
    levels = [e.level for e in escalations(webhook_rt)]
    assert levels == [EscalationLevel.UNCLEAR]
    assert any("UNCLEAR" in sms.body for sms in sender.to(NURSE_1))


def test_ack_with_a_code_takes_that_alert_and_a_wrong_code_is_explained(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(webhook_rt, frozen)
        webhook.text(PATIENT_PHONE, "me duele el pecho")
        code = escalations(webhook_rt)[0].code
        wrong = twiml_message(webhook.text(NURSE_1, "ACK ZZZZ"))
        assert wrong is not None and "no open alert ZZZZ" in wrong
        right = twiml_message(webhook.text(NURSE_1, f"ack {code.lower()}"))
        assert right is not None and f"Acknowledged {code}" in right
        again = twiml_message(webhook.text(NURSE_1, "ACK"))
        assert again is not None and "no open alert" in again
    escalation = escalations(webhook_rt)[0]
    assert escalation.acknowledged_at is not None


def test_a_more_severe_report_upgrades_the_open_alert_instead_of_opening_another(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(webhook_rt, frozen)
        webhook.text(PATIENT_PHONE, "rash on my arms")
        webhook.text(PATIENT_PHONE, "fever 39")
        webhook.text(PATIENT_PHONE, "fever 39.2")  # same level: folded in, no new page
    (escalation,) = escalations(webhook_rt)
    assert escalation.level == EscalationLevel.URGENT
    kinds = [sms.body.split(":")[0] for sms in sender.to(NURSE_1)]
    assert kinds == [
        f"DSWatch SAME-DAY REVIEW {escalation.code}",
        f"DSWatch URGENT {escalation.code}",
    ]


def test_dswatch_ack_from_the_cli_service_tells_the_other_nurses(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(webhook_rt, frozen)
        webhook.text(PATIENT_PHONE, "chest pain")
        frozen.tick(timedelta(minutes=10))
        run_due_work(webhook_rt)
        code = escalations(webhook_rt)[0].code
        services.acknowledge_by_name(webhook_rt, code, "nina tier1", webhook_rt.clock.now())
        run_due_work(webhook_rt)
    assert "acknowledged by Nina T." in sender.to(NURSE_2)[-1].body
    assert services.list_open(webhook_rt) == []


def test_a_patient_who_opted_out_still_gets_emergency_advice_and_a_page(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(webhook_rt, frozen)
        webhook.text(PATIENT_PHONE, "STOP")
        advice = twiml_message(webhook.text(PATIENT_PHONE, "my wife passed out"))
    assert advice is not None and "911" in advice
    levels = {e.level for e in escalations(webhook_rt)}
    assert levels == {EscalationLevel.OPTED_OUT, EscalationLevel.EMERGENCY}


def test_alerts_never_quote_a_drug_or_disease_name(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(webhook_rt, frozen)
        webhook.text(PATIENT_PHONE, "since the ATRA my chest hurts, is it the leukemia?")
    alert = sender.to(NURSE_1)[-1].body
    assert "ATRA" not in alert and "leukemia" not in alert.lower()
    assert "my chest hurts" in alert


def test_an_inbound_message_left_unprocessed_by_a_crash_is_processed_later(
    webhook_rt: Runtime, sender: RecordingSender
) -> None:
    rt = webhook_rt
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(rt, frozen)
        # Stored, then the process died before processing (what receive_sms commits first).
        sms = services.InboundSms(sid="SM" + "c" * 32, from_=PATIENT_PHONE, to="", body="1")
        from monitor.services.inbound import _store

        with rt.sessions.begin() as session:
            _store(session, sms, rt.clock.now())
        frozen.tick(timedelta(minutes=1))
        run_due_work(rt)
    assert any("911" in body for body in sender.bodies(PATIENT_PHONE))
    assert [e.level for e in escalations(rt)] == [EscalationLevel.EMERGENCY]
    with rt.sessions() as session:
        inbound = session.scalars(select(Message).where(Message.direction == "in")).one()
    assert inbound.processed_at is not None


def test_the_webhook_asks_for_an_urgent_send_only_when_a_text_queued_an_alert(
    webhook_rt: Runtime,
) -> None:
    """After answering, the web process drains urgent messages only if this text queued one:
    a routine answer costs no extra transaction, an emergency's page goes out at once."""
    rt = webhook_rt
    with freeze_time(utc(2026, 3, 2, 12, 0)) as frozen:
        start_course(rt, frozen)
        frozen.move_to(CHECKIN_SENT + timedelta(minutes=5))

        def answer(sid: str, body: str) -> Answer:
            sms = services.InboundSms(sid="SM" + sid * 32, from_=PATIENT_PHONE, to="", body=body)
            return services.receive_sms(rt, sms, rt.clock.now())

        routine = answer("a", "0")
        emergency = answer("b", "I cant breathe")
        replay = answer("b", "I cant breathe")
    assert routine.text is not None and not routine.urgent_queued
    assert emergency.text is not None and "911" in emergency.text and emergency.urgent_queued
    assert replay.text == emergency.text and not replay.urgent_queued  # processed once
