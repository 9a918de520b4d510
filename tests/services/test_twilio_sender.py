"""The Twilio sender: the real `twilio` client over real HTTP against the stand-in on 127.0.0.1.

Nothing here talks to Twilio. The stand-in answers like Twilio's Messages API, returns Twilio's
error bodies and injects 429s, 5xx, dropped and hung connections on demand.
"""

from __future__ import annotations

import socket
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from monitor import services
from monitor.db.models import Message, Patient
from monitor.domain.states import MessageKind, OutboxStatus, PatientStatus, Priority
from monitor.domain.states import Priority as _Priority
from monitor.runtime import Runtime, build_runtime
from monitor.services.outbox import VALIDITY_SECONDS
from monitor.services.outbox_queue import Outgoing, enqueue
from monitor.settings import Settings
from monitor.sms.sender import OutgoingSms, SendError
from monitor.sms.twilio_sender import TwilioSender
from tests.support.builders import NURSE_1, PATIENT_PHONE, add_team, enrol
from tests.support.twilio_standin import TwilioStandIn

ALERT_VALIDITY_SECONDS = VALIDITY_SECONDS[_Priority.ALERT]

FROM = "+15550001111"
SERVICE = "MG" + "0" * 32
MORNING = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 in New York


@pytest.fixture
def standin() -> Iterator[TwilioStandIn]:
    with TwilioStandIn() as running:
        yield running


def twilio_sender(
    standin: TwilioStandIn, *, service: bool = False, timeout: float = 2.0
) -> TwilioSender:
    return TwilioSender.build(
        standin.account_sid,
        standin.auth_token,
        from_number=None if service else FROM,
        messaging_service_sid=SERVICE if service else None,
        api_base_url=standin.base_url,
        timeout=timeout,
    )


@pytest.fixture
def twilio_rt(settings: Settings, standin: TwilioStandIn) -> Iterator[Runtime]:
    """A whole runtime whose outbox sends through the real client to the stand-in."""
    runtime = build_runtime(settings, sender=twilio_sender(standin))
    try:
        yield runtime
    finally:
        runtime.close()


def sms(to: str = PATIENT_PHONE, body: str = "How are you today?", **extra: object) -> OutgoingSms:
    return OutgoingSms(message_id=1, to=to, body=body, **extra)  # type: ignore[arg-type]


def send_error(sender: TwilioSender, message: OutgoingSms | None = None) -> SendError:
    with pytest.raises(SendError) as failed:
        sender.send(message or sms())
    return failed.value


def queue(rt: Runtime, *items: Outgoing) -> None:
    with rt.sessions.begin() as session:
        enqueue(session, rt.clock.now(), *items)


def rows(rt: Runtime) -> list[Message]:
    with rt.sessions() as session:
        return list(session.scalars(select(Message).order_by(Message.id)))


# -- a drain through the real client ------------------------------------------------------------


def test_a_drain_through_the_real_client_delivers_with_a_callback_url(
    twilio_rt: Runtime, standin: TwilioStandIn
) -> None:
    with freeze_time(MORNING):
        add_team(twilio_rt, twilio_rt.clock.now())
        patient = enrol(twilio_rt, twilio_rt.clock.now())  # queues the welcome
        queue(
            twilio_rt,
            Outgoing(
                kind=MessageKind.ALERT,
                to_phone=NURSE_1,
                body="DSWatch: patient reports fever, call back",
                key="alert:1",
                priority=Priority.ALERT,
            ),
        )
        report = services.drain_outbox(twilio_rt)

    assert report.sent == 2
    by_to = {m.to: m for m in standin.messages}
    welcome, alert = by_to[PATIENT_PHONE], by_to[NURSE_1]
    callback = twilio_rt.settings.public_base_url + "/twilio/status"  # type: ignore[operator]
    assert callback == "https://dswatch.example.org/twilio/status"
    for recorded in (welcome, alert):
        assert recorded.form["From"] == FROM
        assert recorded.form["StatusCallback"] == callback
        assert "MessagingServiceSid" not in recorded.form
    assert welcome.body.startswith("Hi Ana")
    assert alert.body == "DSWatch: patient reports fever, call back"
    assert alert.form["ValidityPeriod"] == str(ALERT_VALIDITY_SECONDS)
    assert "ValidityPeriod" not in welcome.form
    stored = {m.to_phone: m for m in rows(twilio_rt)}
    for phone, recorded in by_to.items():
        assert stored[phone].provider_sid == recorded.sid
        assert (stored[phone].status, stored[phone].delivery_status) == ("sent", "queued")
    assert stored[PATIENT_PHONE].patient_id == patient.id


def test_a_messaging_service_sends_without_a_from_number(standin: TwilioStandIn) -> None:
    accepted = twilio_sender(standin, service=True).send(sms())

    [recorded] = standin.messages
    assert recorded.messaging_service_sid == SERVICE and "From" not in recorded.form
    assert (accepted.provider_sid, accepted.status) == (recorded.sid, "accepted")


def test_a_message_without_a_callback_url_sends_none(standin: TwilioStandIn) -> None:
    twilio_sender(standin).send(sms())

    [recorded] = standin.messages
    assert "StatusCallback" not in recorded.form and "ValidityPeriod" not in recorded.form


def test_a_sender_needs_a_from_number_or_a_messaging_service(standin: TwilioStandIn) -> None:
    with pytest.raises(ValueError, match="from number or a messaging service"):
        TwilioSender.build(
            standin.account_sid,
            standin.auth_token,
            from_number=None,
            messaging_service_sid=None,
            api_base_url=standin.base_url,
        )


# -- how failures map onto SendError ------------------------------------------------------------


@pytest.mark.parametrize("code", [21211, 21614, 21610, 21408])
def test_twilio_refusals_are_permanent_and_carry_the_code(
    standin: TwilioStandIn, code: int
) -> None:
    standin.error_for(PATIENT_PHONE, code)

    error = send_error(twilio_sender(standin))

    assert (error.code, error.http_status) == (code, 400)
    assert error.permanent and not error.maybe_sent
    assert standin.count() == 0


@pytest.mark.parametrize(
    ("kind", "code", "http_status", "maybe_sent"),
    [
        pytest.param("429", 20429, 429, False, id="429-not-processed"),
        pytest.param("500", 20500, 500, True, id="500"),
        pytest.param("503", 20503, 503, True, id="503"),
        pytest.param("drop", None, None, True, id="dropped-connection"),
        pytest.param("timeout", None, None, True, id="read-timeout"),
    ],
)
def test_provider_faults_are_transient_and_say_whether_it_may_have_gone(
    standin: TwilioStandIn,
    kind: str,
    code: int | None,
    http_status: int | None,
    maybe_sent: bool,
) -> None:
    standin.fail_next(1, kind, hold=2.0)  # type: ignore[arg-type]

    error = send_error(twilio_sender(standin, timeout=0.3))

    assert (error.code, error.http_status) == (code, http_status)
    assert not error.permanent
    assert error.maybe_sent is maybe_sent
    assert standin.create_attempts == 1  # the client itself never retries


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_refused_connection_is_transient_and_certainly_not_sent(
    standin: TwilioStandIn,
) -> None:
    nobody_listens = TwilioSender.build(
        standin.account_sid,
        standin.auth_token,
        from_number=FROM,
        messaging_service_sid=None,
        api_base_url=f"http://127.0.0.1:{closed_port()}",
        timeout=2.0,
    )

    error = send_error(nobody_listens)

    assert not error.permanent and not error.maybe_sent
    assert error.reason.startswith("connection:")


def test_a_fault_after_twilio_accepted_is_reported_as_maybe_sent(standin: TwilioStandIn) -> None:
    standin.fail_next(1, "500", after_accept=True)

    error = send_error(twilio_sender(standin))

    assert error.maybe_sent and standin.count() == 1  # it went: a blind retry would double it


@pytest.mark.parametrize("kind", ["500", "drop"])
def test_a_message_twilio_accepted_before_failing_is_not_sent_twice(
    twilio_rt: Runtime, standin: TwilioStandIn, kind: str
) -> None:
    standin.fail_next(1, kind, after_accept=True)  # type: ignore[arg-type]
    with freeze_time(MORNING) as frozen:
        queue(twilio_rt, Outgoing(MessageKind.CHECKIN, PATIENT_PHONE, "How are you?", "once"))
        services.drain_outbox(twilio_rt)
        frozen.tick(timedelta(minutes=1))
        services.drain_outbox(twilio_rt)

    [row] = rows(twilio_rt)
    assert row.status == OutboxStatus.SENT
    assert [m.body for m in standin.messages] == ["How are you?"]
    assert row.provider_sid == standin.messages[0].sid


@pytest.mark.parametrize(
    ("code", "check"),
    [
        pytest.param(21211, "bad_number", id="21211"),
        pytest.param(21614, "bad_number", id="21614"),
        pytest.param(21610, "opted_out", id="21610"),
    ],
)
def test_a_twilio_refusal_reaches_the_patient_record_through_a_drain(
    twilio_rt: Runtime, standin: TwilioStandIn, code: int, check: str
) -> None:
    standin.error_for(PATIENT_PHONE, code)
    with freeze_time(MORNING) as frozen:
        add_team(twilio_rt, twilio_rt.clock.now())
        patient = enrol(twilio_rt, twilio_rt.clock.now())
        services.drain_outbox(twilio_rt)
        frozen.tick(timedelta(hours=1))
        services.drain_outbox(twilio_rt)

    with twilio_rt.sessions() as session:
        welcome = session.scalars(select(Message).where(Message.kind == "welcome")).one()
        stored = session.get(Patient, patient.id)
    assert stored is not None
    assert (welcome.status, welcome.error_code, welcome.attempts) == (OutboxStatus.FAILED, code, 1)
    assert standin.messages_to(PATIENT_PHONE) == []
    if check == "bad_number":
        assert stored.phone_problem is not None and str(code) in stored.phone_problem
        assert stored.status == PatientStatus.ACTIVE
    else:
        assert stored.status == PatientStatus.OPTED_OUT


# -- faults at scale ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "after_accept",
    [pytest.param(0.0, id="faults-before-accept"), pytest.param(0.5, id="half-after-accept")],
)
def test_with_one_create_in_five_failing_every_message_still_goes(
    twilio_rt: Runtime, standin: TwilioStandIn, after_accept: float
) -> None:
    standin.fault_rate = 0.2  # 500, 429 and dropped connections
    standin.fault_after_accept = after_accept
    bodies = [f"check-in {n}" for n in range(100)]
    drains = 0
    with freeze_time(MORNING) as frozen:
        queue(
            twilio_rt,
            *(
                Outgoing(MessageKind.CHECKIN, f"+1201555{n:04d}", body, f"bulk:{n}")
                for n, body in enumerate(bodies)
            ),
        )
        while any(m.status != OutboxStatus.SENT for m in rows(twilio_rt)):
            assert drains < 10, "some messages never went"
            services.drain_outbox(twilio_rt)
            drains += 1
            frozen.tick(timedelta(minutes=10))  # past the longest backoff

    assert standin.faults_injected > 0 and drains > 1
    delivered = Counter(m.body for m in standin.messages)
    assert set(delivered) == set(bodies)
    # A fault after Twilio accepted a message (5xx or a dropped answer) leaves it sent but not
    # known to be: the retry sends it again. Only those can be doubled; with faults only
    # before acceptance each message arrives exactly once.
    doubled = standin.count() - len(bodies)
    if after_accept == 0.0:
        assert doubled == 0 and standin.count() == 100
    else:
        assert 0 <= doubled <= standin.faults_injected
    assert {m.provider_sid for m in rows(twilio_rt)} <= {m.sid for m in standin.messages}
