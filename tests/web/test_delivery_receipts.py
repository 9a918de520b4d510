"""Delivery receipts: deduplicated by (MessageSid, status), never backwards, visible per patient."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import func, select

from jobs.tasks import run_due_work
from monitor import services
from monitor.db.models import AuditEntry, DeliveryEvent, Escalation, Message
from monitor.runtime import Runtime
from tests.support.builders import NURSE_1, NURSE_2, PATIENT_PHONE, add_team, enrol, run_until
from tests.support.fakes import RecordingSender
from tests.support.webhook import Webhook

MORNING = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # 07:00 New York


def callback(webhook: Webhook, sid: str, status: str, code: str = "") -> int:
    form = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "1" * 32}
    if code:
        form["ErrorCode"] = code
    return webhook.post(form, path="/twilio/status").status_code


def sid_of(sender: RecordingSender, phone: str, index: int = 0) -> str:
    return [item.sid for item in sender.sent if item.sms.to == phone][index]


def test_a_repeated_callback_is_recorded_once(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    with freeze_time(MORNING) as frozen:
        add_team(webhook_rt, webhook_rt.clock.now())
        enrol(webhook_rt, webhook_rt.clock.now())
        run_until(webhook_rt, frozen, MORNING + timedelta(hours=3))
        sid = sid_of(sender, PATIENT_PHONE, 1)  # the check-in
        assert callback(webhook, sid, "sent") == 204
        assert callback(webhook, sid, "sent") == 204
        assert callback(webhook, sid, "delivered") == 204
        assert callback(webhook, sid, "delivered") == 204
        assert callback(webhook, sid, "sent") == 204  # late and out of order
    with webhook_rt.sessions() as session:
        events = session.scalar(
            select(func.count()).select_from(DeliveryEvent).where(DeliveryEvent.provider_sid == sid)
        )
        message = session.scalars(select(Message).where(Message.provider_sid == sid)).one()
        audited = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "message.delivery", AuditEntry.entity_id == message.id)
        )
    assert events == 2  # sent, delivered
    assert audited == 2
    assert message.delivery_status == "delivered"


def test_undelivered_checkins_are_visible_per_patient(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    with freeze_time(MORNING) as frozen:
        add_team(webhook_rt, webhook_rt.clock.now())
        enrol(webhook_rt, webhook_rt.clock.now())
        run_until(webhook_rt, frozen, MORNING + timedelta(hours=3))
        callback(webhook, sid_of(sender, PATIENT_PHONE, 1), "undelivered", "30003")
    detail = services.patient_detail(webhook_rt, PATIENT_PHONE)
    assert [c.local_date for c in detail.undelivered] == [date(2026, 3, 2)]
    with webhook_rt.sessions() as session:
        message = session.scalars(select(Message).where(Message.kind == "checkin")).one()
    assert (message.delivery_status, message.error_code) == ("undelivered", 30003)


def test_an_undelivered_nurse_alert_pages_the_next_tier_at_once(
    webhook_rt: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    with freeze_time(MORNING) as frozen:
        add_team(webhook_rt, webhook_rt.clock.now())
        enrol(webhook_rt, webhook_rt.clock.now(), courses=[("ATRA", date(2026, 3, 2))])
        run_until(webhook_rt, frozen, MORNING + timedelta(hours=3))
        webhook.text(PATIENT_PHONE, "fever 39")  # urgent: tier 2 would wait 30 minutes
        assert sender.to(NURSE_2) == []
        callback(webhook, sid_of(sender, NURSE_1), "undelivered", "30005")
        run_due_work(webhook_rt)
    assert len(sender.to(NURSE_2)) == 1
    assert "URGENT" in sender.to(NURSE_2)[0].body
    with webhook_rt.sessions() as session:
        assert session.scalars(select(Escalation.tier)).one() == 2
