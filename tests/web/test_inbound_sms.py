"""POST /twilio/sms: signed, stored once, answered in TwiML, whatever arrives."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from monitor.db.models import AuditEntry, Message, Report
from monitor.domain.triage import triage_text
from monitor.runtime import Runtime, build_runtime
from tests.support.builders import NURSE_1, PATIENT_PHONE, add_team, enrol
from tests.support.fakes import RecordingSender
from tests.support.webhook import PUBLIC, Webhook, twiml_message, webhook_settings

MORNING = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
CORPUS = Path(__file__).parents[1] / "fixtures" / "triage_corpus.tsv"


def count(rt: Runtime, model: type) -> int:
    with rt.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def enrolled(webhook_rt: Runtime) -> Runtime:
    with freeze_time(MORNING):
        add_team(webhook_rt, webhook_rt.clock.now())
        enrol(webhook_rt, webhook_rt.clock.now(), courses=[("ATRA", date(2026, 3, 2))])
    return webhook_rt


@pytest.mark.parametrize(
    "signature",
    ["", "forged", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="],
    ids=["missing", "garbage", "wrong"],
)
def test_a_forged_signature_is_refused_and_nothing_is_stored(
    enrolled: Runtime, webhook: Webhook, signature: str
) -> None:
    before = count(enrolled, Message)
    response = webhook.post(webhook.form(PATIENT_PHONE, "cant breathe"), signature=signature)
    assert response.status_code == 403
    assert count(enrolled, Message) == before
    assert count(enrolled, Report) == 0


def test_a_signature_for_another_url_is_refused(enrolled: Runtime, webhook: Webhook) -> None:
    from twilio.request_validator import RequestValidator

    from tests.support.webhook import TOKEN

    form = webhook.form(PATIENT_PHONE, "0")
    elsewhere = RequestValidator(TOKEN).compute_signature(PUBLIC + "/twilio/status", form)
    assert webhook.post(form, signature=elsewhere).status_code == 403


def test_a_body_changed_after_signing_is_refused(enrolled: Runtime, webhook: Webhook) -> None:
    from twilio.request_validator import RequestValidator

    from tests.support.webhook import TOKEN

    form = webhook.form(PATIENT_PHONE, "0")
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + "/twilio/sms", form)
    form["Body"] = "1"
    assert webhook.post(form, signature=signature).status_code == 403


def test_a_replay_is_answered_the_same_and_processed_once(
    enrolled: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    form = webhook.form(PATIENT_PHONE, "me duele el pecho")
    with freeze_time(MORNING):
        first = webhook.post(form)
        alerts = len(sender.to(NURSE_1))
        second = webhook.post(form)
    assert first.status_code == second.status_code == 200
    assert twiml_message(first) == twiml_message(second)
    assert twiml_message(first) is not None and "911" in str(twiml_message(first))
    assert count(enrolled, Report) == 1
    assert len(sender.to(NURSE_1)) == alerts == 1
    with enrolled.sessions() as session:
        inbound = session.scalar(
            select(func.count()).select_from(Message).where(Message.direction == "in")
        )
    assert inbound == 1


def test_an_unknown_number_gets_one_generic_reply_and_only_an_audit_entry(
    enrolled: Runtime, webhook: Webhook, sender: RecordingSender
) -> None:
    with freeze_time(MORNING):
        reply = twiml_message(webhook.text("+12015550777", "cant breathe, who is this?"))
    assert reply is not None and "911" in reply
    assert "Ana" not in reply and "Heme" not in reply  # reveals nothing about who is enrolled
    assert count(enrolled, Report) == 0
    assert sender.to(NURSE_1) == []
    with enrolled.sessions() as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert "inbound.unknown_sender" in actions


@pytest.mark.parametrize(
    ("body", "extra"),
    [
        ("", {}),
        ("x" * 1600, {}),
        ("😷🤒 no puedo respirar 🙏", {}),
        ("\u202e\u0000\ufffd weird bytes", {}),
        ("", {"NumMedia": "1", "MediaUrl0": "https://api.twilio.com/x.jpg"}),
        ("see photo, my legs are swollen", {"NumMedia": "1", "MediaUrl0": "https://x/y.jpg"}),
        ("1" * 5000, {}),
    ],
    ids=["empty", "1600-chars", "emoji", "control-chars", "mms-no-text", "mms-with-text", "huge"],
)
def test_any_body_is_answered_never_a_500(
    enrolled: Runtime, webhook: Webhook, body: str, extra: dict[str, str]
) -> None:
    with freeze_time(MORNING):
        response = webhook.post(webhook.form(PATIENT_PHONE, body, **extra))
    assert response.status_code == 200
    assert response.text.startswith("<?xml")


def test_mms_text_is_still_read(enrolled: Runtime, webhook: Webhook) -> None:
    with freeze_time(MORNING):
        form = webhook.form(
            PATIENT_PHONE, "look, my ankles are swollen", NumMedia="1", MediaUrl0="https://x/1.jpg"
        )
        webhook.post(form)
    with enrolled.sessions() as session:
        assert session.scalars(select(Report.level)).one() == "urgent"


def test_a_request_without_from_is_a_400_with_a_reason(enrolled: Runtime, webhook: Webhook) -> None:
    form = webhook.form(PATIENT_PHONE, "0")
    del form["From"]
    response = webhook.post(form)
    assert response.status_code == 400
    assert "From" in response.json()["detail"]


def test_an_oversized_request_is_refused_with_413(enrolled: Runtime, webhook: Webhook) -> None:
    form = webhook.form(PATIENT_PHONE, "0", Padding="p" * 100_000)
    response = webhook.post(form)
    assert response.status_code == 413
    assert count(enrolled, Report) == 0


def test_without_an_auth_token_webhooks_are_refused_unless_checks_are_switched_off(
    database_url: str,
) -> None:
    for skip, expected in ((False, 403), (True, 200)):
        settings = webhook_settings(
            database_url, twilio_auth_token=None, twilio_skip_signature_check=skip
        )
        runtime = build_runtime(settings, sender=RecordingSender())
        try:
            hook = Webhook(runtime)
            response = hook.post(hook.form(PATIENT_PHONE, "0"), signature="")
        finally:
            runtime.close()
        assert response.status_code == expected


def test_the_signature_is_checked_against_the_public_url_behind_a_proxy(
    enrolled: Runtime, webhook: Webhook
) -> None:
    # The app is reached as http://internal/..., Twilio signed https://dswatch.example.org/...
    with freeze_time(MORNING):
        response = webhook.text(PATIENT_PHONE, "0")
    assert response.status_code == 200


def test_the_webhook_agrees_with_dswatch_triage_for_a_patient_without_history(
    database_url: str,
) -> None:
    """Every corpus line without a weight (weights need history) gets the same level and signs
    from the webhook as from `dswatch triage`."""
    lines = [
        line.split("\t")[2]
        for line in CORPUS.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    sample = [
        text
        for text in lines
        if not any(u in text.lower() for u in ("kg", "lb", "peso", "wt", "weigh"))
    ]
    sample = sample[:: max(1, len(sample) // 60)]
    runtime = build_runtime(webhook_settings(database_url), sender=RecordingSender())
    try:
        hook = Webhook(runtime)
        with freeze_time(MORNING):
            add_team(runtime, runtime.clock.now())
            enrol(runtime, runtime.clock.now())
            for text in sample:
                hook.text(PATIENT_PHONE, text)
        with runtime.sessions() as session:
            reports = list(session.scalars(select(Report).order_by(Report.id)))
    finally:
        runtime.close()
    assert len(reports) == len(sample)
    for text, report in zip(sample, reports, strict=True):
        expected = triage_text(text)
        assert (report.level, report.signs) == (expected["level"], expected["signs"]), text
