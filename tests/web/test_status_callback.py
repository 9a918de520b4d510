"""POST /twilio/status: signed delivery callbacks that move a message forward, never back.

Requests go through the real FastAPI app in-process (httpx's ASGI transport), signed the way
Twilio signs them; one test runs the app under uvicorn on 127.0.0.1 and lets the Twilio stand-in
post the callback.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import anyio
import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from freezegun import freeze_time
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from monitor import services
from monitor.db.models import AuditEntry, Message
from monitor.domain.states import MessageKind
from monitor.runtime import Runtime, build_runtime
from monitor.services.outbox_queue import Outgoing, enqueue
from monitor.settings import Settings
from monitor.sms.twilio_sender import TwilioSender
from monitor.web.app import create_app
from tests.support.fakes import RecordingSender
from tests.support.twilio_standin import TwilioStandIn

TOKEN = "0123456789abcdef0123456789abcdef"
ACCOUNT = "AC" + "1" * 32
PUBLIC = "https://dswatch.example.org"
STATUS_URL = PUBLIC + "/twilio/status"
PATIENT = "+12015550123"
MORNING = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "public_base_url": PUBLIC,
        "twilio_auth_token": TOKEN,
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


@pytest.fixture
def web_rt(database_url: str) -> Iterator[Runtime]:
    runtime = build_runtime(make_settings(database_url), sender=RecordingSender())
    try:
        yield runtime
    finally:
        runtime.close()


class AppClient:
    """Calls the app in-process through httpx's ASGI transport: no server, no network."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def post(self, path: str, data: dict[str, str], headers: dict[str, str]) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                return await c.post(path, data=data, headers=headers)

        return anyio.run(call)


@pytest.fixture
def client(web_rt: Runtime) -> AppClient:
    return AppClient(create_app(web_rt))


def sent_message(rt: Runtime) -> Message:
    """One check-in handed to the provider: it has a provider sid and status `queued`."""
    with freeze_time(MORNING):
        with rt.sessions.begin() as session:
            enqueue(
                session,
                rt.clock.now(),
                Outgoing(MessageKind.CHECKIN, PATIENT, "How are you today?", "checkin:1"),
            )
        services.drain_outbox(rt)
    return stored(rt)


def stored(rt: Runtime) -> Message:
    with rt.sessions() as session:
        return session.scalars(select(Message).where(Message.idempotency_key == "checkin:1")).one()


def deliveries(rt: Runtime) -> list[tuple[str, dict[str, Any] | None]]:
    with rt.sessions() as session:
        return [
            (entry.action, entry.detail)
            for entry in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.actor == "twilio", AuditEntry.entity == "message")
                .order_by(AuditEntry.id)
            )
        ]


def callback_form(sid: str, status: str, **extra: str) -> dict[str, str]:
    """The fields Twilio posts to a StatusCallback."""
    return {
        "SmsSid": sid,
        "SmsStatus": status,
        "MessageStatus": status,
        "To": PATIENT,
        "MessageSid": sid,
        "AccountSid": ACCOUNT,
        "From": "+15550001111",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def sign(params: dict[str, str], url: str = STATUS_URL, token: str = TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(url, params))


def post(
    client: AppClient, params: dict[str, str], signature: str | None = "sign", path: str = ""
) -> httpx.Response:
    headers = {}
    if signature == "sign":
        signature = sign(params, STATUS_URL + path)
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    return client.post("/twilio/status" + path, data=params, headers=headers)


# -- recording a callback -----------------------------------------------------------------------


def test_a_signed_callback_moves_the_message_and_is_audited(
    web_rt: Runtime, client: AppClient
) -> None:
    message = sent_message(web_rt)
    assert message.delivery_status == "queued"

    answer = post(client, callback_form(message.provider_sid or "", "delivered"))

    assert answer.status_code == 204 and answer.content == b""
    assert stored(web_rt).delivery_status == "delivered"
    assert deliveries(web_rt) == [("message.delivery", {"status": "delivered", "code": None})]


def test_an_undelivered_callback_keeps_its_error_code(web_rt: Runtime, client: AppClient) -> None:
    message = sent_message(web_rt)

    form = callback_form(message.provider_sid or "", "undelivered", ErrorCode="30003")
    assert post(client, form).status_code == 204

    updated = stored(web_rt)
    assert (updated.delivery_status, updated.error_code) == ("undelivered", 30003)
    assert updated.status == "sent"  # the outbox's own state is not the provider's
    assert deliveries(web_rt) == [("message.delivery", {"status": "undelivered", "code": 30003})]


@pytest.mark.parametrize(
    ("statuses", "final", "audited"),
    [
        pytest.param(["sending", "sent", "delivered"], "delivered", 3, id="in-order"),
        pytest.param(["delivered", "sent"], "delivered", 1, id="sent-after-delivered"),
        pytest.param(["sent", "sending"], "sent", 1, id="sending-after-sent"),
        pytest.param(["delivered", "delivered"], "delivered", 1, id="repeat"),
        pytest.param(["undelivered", "delivered"], "undelivered", 1, id="two-final-states"),
        pytest.param(["delivered", "queued"], "delivered", 1, id="queued-after-delivered"),
        pytest.param(["sent", "bogus"], "sent", 1, id="unknown-status"),
    ],
)
def test_statuses_never_go_backwards(
    web_rt: Runtime, client: AppClient, statuses: list[str], final: str, audited: int
) -> None:
    message = sent_message(web_rt)

    answers = [
        post(client, callback_form(message.provider_sid or "", status)).status_code
        for status in statuses
    ]

    assert answers == [204] * len(statuses)  # Twilio must not retry what we chose to ignore
    assert stored(web_rt).delivery_status == final
    assert len(deliveries(web_rt)) == audited


def test_a_callback_for_an_unknown_message_is_acknowledged_and_ignored(
    web_rt: Runtime, client: AppClient
) -> None:
    message = sent_message(web_rt)

    answer = post(client, callback_form("SM" + "f" * 32, "delivered"))

    assert answer.status_code == 204
    assert stored(web_rt).delivery_status == message.delivery_status == "queued"
    assert deliveries(web_rt) == []


def test_the_older_sms_status_field_is_enough(web_rt: Runtime, client: AppClient) -> None:
    message = sent_message(web_rt)
    form = callback_form(message.provider_sid or "", "delivered")
    del form["MessageStatus"]

    assert post(client, form).status_code == 204
    assert stored(web_rt).delivery_status == "delivered"


@pytest.mark.parametrize(
    "drop",
    [
        pytest.param(("MessageStatus", "SmsStatus"), id="no-status"),
        pytest.param(("MessageSid",), id="no-sid"),
    ],
)
@pytest.mark.parametrize("how", ["absent", "blank"])
def test_a_callback_without_a_sid_or_status_is_a_bad_request(
    web_rt: Runtime, client: AppClient, drop: tuple[str, ...], how: str
) -> None:
    message = sent_message(web_rt)
    form = callback_form(message.provider_sid or "", "delivered")
    for name in drop:
        if how == "absent":
            del form[name]
        else:
            form[name] = ""

    answer = post(client, form)

    assert answer.status_code == 400
    assert answer.json()["detail"] == "MessageSid and MessageStatus are required"
    assert stored(web_rt).delivery_status == "queued"
    assert deliveries(web_rt) == []


# -- signatures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("bm90IGEgc2lnbmF0dXJl", id="forged"),
        pytest.param("other-token", id="signed-with-another-token"),
        pytest.param("other-url", id="signed-for-another-url"),
        pytest.param("other-params", id="signed-over-other-fields"),
    ],
)
def test_an_unsigned_or_forged_callback_is_refused_and_changes_nothing(
    web_rt: Runtime, client: AppClient, signature: str | None
) -> None:
    message = sent_message(web_rt)
    form = callback_form(message.provider_sid or "", "delivered")
    if signature == "other-token":
        signature = sign(form, token="f" * 32)
    elif signature == "other-url":
        signature = sign(form, url="https://attacker.example.org/twilio/status")
    elif signature == "other-params":
        signature = sign(callback_form(message.provider_sid or "", "failed"))

    answer = post(client, form, signature=signature)

    assert answer.status_code == 403
    assert answer.json()["detail"] == "invalid X-Twilio-Signature"
    assert stored(web_rt).delivery_status == "queued"
    assert deliveries(web_rt) == []


def test_blank_fields_are_part_of_the_signature(web_rt: Runtime, client: AppClient) -> None:
    message = sent_message(web_rt)
    form = callback_form(message.provider_sid or "", "delivered", FromZip="", ToCity="")
    without_blanks = {k: v for k, v in form.items() if v}

    refused = post(client, form, signature=sign(without_blanks))
    assert refused.status_code == 403
    accepted = post(client, form)  # signed over every field, blank ones too

    assert accepted.status_code == 204
    assert stored(web_rt).delivery_status == "delivered"


def test_the_query_string_is_part_of_the_signed_url(web_rt: Runtime, client: AppClient) -> None:
    message = sent_message(web_rt)
    form = callback_form(message.provider_sid or "", "delivered")

    assert post(client, form, path="?attempt=2", signature=sign(form)).status_code == 403
    assert post(client, form, path="?attempt=2").status_code == 204


def test_without_an_auth_token_every_callback_is_refused_with_the_reason(
    database_url: str,
) -> None:
    runtime = build_runtime(
        make_settings(database_url, twilio_auth_token=None), sender=RecordingSender()
    )
    try:
        message = sent_message(runtime)
        no_token = AppClient(create_app(runtime))
        answer = post(no_token, callback_form(message.provider_sid or "", "delivered"))
        assert answer.status_code == 403
        assert "DSWATCH_TWILIO_AUTH_TOKEN is not set" in answer.json()["detail"]
        assert stored(runtime).delivery_status == "queued"
    finally:
        runtime.close()


def test_local_development_may_skip_the_signature_check(database_url: str) -> None:
    runtime = build_runtime(
        make_settings(database_url, twilio_auth_token=None, twilio_skip_signature_check=True),
        sender=RecordingSender(),
    )
    try:
        message = sent_message(runtime)
        form = callback_form(message.provider_sid or "", "delivered")
        answer = post(AppClient(create_app(runtime)), form, signature=None)
        assert answer.status_code == 204
        assert stored(runtime).delivery_status == "delivered"
    finally:
        runtime.close()


def test_without_a_public_base_url_the_request_url_is_what_was_signed(database_url: str) -> None:
    runtime = build_runtime(
        make_settings(database_url, public_base_url=None), sender=RecordingSender()
    )
    try:
        message = sent_message(runtime)
        form = callback_form(message.provider_sid or "", "delivered")
        answer = AppClient(create_app(runtime)).post(
            "/twilio/status",
            data=form,
            headers={"X-Twilio-Signature": sign(form, url="http://testserver/twilio/status")},
        )
        assert answer.status_code == 204
    finally:
        runtime.close()


# -- the whole path: stand-in -> uvicorn on 127.0.0.1 -> app -> database -------------------------


@pytest.fixture
def served(database_url: str) -> Iterator[tuple[Runtime, TwilioStandIn]]:
    """The app under uvicorn on a free loopback port; the outbox sends to the stand-in."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    with TwilioStandIn(auth_token=TOKEN) as standin:
        sender = TwilioSender.build(
            standin.account_sid,
            TOKEN,
            from_number="+15550001111",
            messaging_service_sid=None,
            api_base_url=standin.base_url,
            timeout=2.0,
        )
        settings = make_settings(database_url, public_base_url=f"http://127.0.0.1:{port}")
        runtime = build_runtime(settings, sender=sender)
        config = uvicorn.Config(create_app(runtime), log_level="warning", lifespan="off")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 10
            while not server.started:
                assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
                time.sleep(0.01)
            yield runtime, standin
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            listener.close()
            runtime.close()


def test_the_stand_ins_signed_callback_reaches_the_running_app(
    served: tuple[Runtime, TwilioStandIn],
) -> None:
    runtime, standin = served
    with runtime.sessions.begin() as session:
        enqueue(
            session,
            runtime.clock.now(),
            Outgoing(MessageKind.CHECKIN, PATIENT, "How are you today?", "checkin:1"),
        )
    services.drain_outbox(runtime)
    [recorded] = standin.messages
    assert recorded.status_callback == f"{runtime.settings.public_base_url}/twilio/status"

    assert standin.send_status_callback(recorded, "sent") == 204
    assert standin.send_status_callback(recorded, "undelivered", error_code=30005) == 204
    assert standin.send_status_callback(recorded, "sent") == 204  # late and out of order

    message = stored(runtime)
    assert message.provider_sid == recorded.sid
    assert (message.delivery_status, message.error_code) == ("undelivered", 30005)
    assert [detail["status"] for _, detail in deliveries(runtime) if detail] == [
        "sent",
        "undelivered",
    ]
