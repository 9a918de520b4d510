"""The Twilio stand-in, exercised only through the real `twilio` client and real HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from monitor.sms.twilio_http import RebasedHttpClient, make_twilio_client
from tests.support.twilio_standin import TwilioStandIn

PATIENT = "+15551230001"
SENDER = "+15550001111"


@pytest.fixture
def standin() -> Iterator[TwilioStandIn]:
    with TwilioStandIn() as running:
        yield running


@pytest.fixture
def client(standin: TwilioStandIn) -> Client:
    return make_twilio_client(
        standin.account_sid, standin.auth_token, standin.base_url, timeout=2.0, pool_size=8
    )


def send(client: Client, to: str = PATIENT, body: str = "How are you today?", **extra: Any) -> Any:
    return client.messages.create(to=to, from_=SENDER, body=body, **extra)


# -- creating messages ------------------------------------------------------------------------


def test_create_answers_like_twilio_and_records_every_field(
    standin: TwilioStandIn, client: Client
) -> None:
    before = datetime.now(UTC)
    sent = send(client, status_callback="http://127.0.0.1:9/twilio/status", validity_period=600)

    assert sent.sid.startswith("SM") and len(sent.sid) == 34
    assert (sent.status, sent.direction, sent.account_sid) == (
        "queued",
        "outbound-api",
        standin.account_sid,
    )
    assert (sent.to, sent.from_, sent.body) == (PATIENT, SENDER, "How are you today?")
    assert (sent.num_segments, sent.error_code, sent.price) == ("1", None, None)
    assert sent.date_created is not None and sent.date_sent is None
    [recorded] = standin.messages
    assert recorded.sid == sent.sid
    assert recorded.status_callback == "http://127.0.0.1:9/twilio/status"
    assert recorded.validity_period == 600
    assert recorded.form["ValidityPeriod"] == "600"
    assert before <= recorded.accepted_at <= datetime.now(UTC)
    assert standin.messages_to(PATIENT) == [recorded] and standin.count() == 1


def test_messaging_service_send_is_accepted_without_a_from(
    standin: TwilioStandIn, client: Client
) -> None:
    service = "MG" + "0" * 32
    sent = client.messages.create(to=PATIENT, messaging_service_sid=service, body="Hi")

    assert (sent.status, sent.from_, sent.messaging_service_sid) == ("accepted", None, service)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        pytest.param({"to": "", "from_": SENDER, "body": "Hi"}, 21604, id="no-to"),
        pytest.param({"to": PATIENT, "body": "Hi"}, 21603, id="no-from-nor-service"),
        pytest.param({"to": PATIENT, "from_": SENDER}, 21602, id="no-body"),
        pytest.param({"to": PATIENT, "from_": SENDER, "body": "x" * 1601}, 21617, id="too-long"),
        pytest.param(
            {"to": PATIENT, "from_": SENDER, "body": "Hi", "validity_period": 36001},
            21624,
            id="validity-over-10h",
        ),
    ],
)
def test_incomplete_create_is_refused_with_400(
    standin: TwilioStandIn, client: Client, fields: dict[str, Any], code: int
) -> None:
    with pytest.raises(TwilioRestException) as refused:
        client.messages.create(**fields)

    assert (refused.value.status, refused.value.code) == (400, code)
    assert standin.count() == 0


@pytest.mark.parametrize(
    "credentials",
    [
        pytest.param("token", id="wrong-token"),
        pytest.param("account", id="other-account"),
    ],
)
def test_wrong_credentials_are_refused_with_401(standin: TwilioStandIn, credentials: str) -> None:
    sid, token = standin.account_sid, standin.auth_token
    if credentials == "token":
        token = "0" * 32
    else:
        sid = "AC" + "f" * 32
    intruder = make_twilio_client(sid, token, standin.base_url, timeout=2.0, pool_size=1)

    with pytest.raises(TwilioRestException) as refused:
        send(intruder)

    assert (refused.value.status, refused.value.code) == (401, 20003)
    assert standin.count() == 0


def test_error_body_has_twilio_shape(standin: TwilioStandIn) -> None:
    standin.error_for(PATIENT, 21211)
    url = f"{standin.base_url}/2010-04-01/Accounts/{standin.account_sid}/Messages.json"
    answer = httpx.post(
        url,
        data={"To": PATIENT, "From": SENDER, "Body": "Hi"},
        auth=(standin.account_sid, standin.auth_token),
    )

    assert answer.status_code == 400
    assert answer.json() == {
        "code": 21211,
        "message": f"The 'To' number {PATIENT} is not a valid phone number.",
        "more_info": "https://www.twilio.com/docs/errors/21211",
        "status": 400,
    }


@pytest.mark.parametrize("code", [21211, 21614, 21610, 21408])
def test_permanent_error_for_one_recipient(
    standin: TwilioStandIn, client: Client, code: int
) -> None:
    standin.error_for(PATIENT, code)

    with pytest.raises(TwilioRestException) as refused:
        send(client)

    assert (refused.value.status, refused.value.code) == (400, code)
    assert send(client, to="+15551230002").status == "queued"
    assert [m.to for m in standin.messages] == ["+15551230002"]


# -- faults -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "code"), [("429", 20429), ("500", 20500), ("503", 20503)])
def test_scripted_http_error_then_recovery(
    standin: TwilioStandIn, client: Client, kind: Any, code: int
) -> None:
    standin.fail_next(1, kind)

    with pytest.raises(TwilioRestException) as failed:
        send(client)

    assert (failed.value.status, failed.value.code) == (int(kind), code)
    assert standin.count() == 0
    send(client)
    assert standin.count() == 1 and standin.create_attempts == 2


def test_dropped_connection_raises_connection_error_without_retry(
    standin: TwilioStandIn, client: Client
) -> None:
    standin.fail_next(1, "drop")

    with pytest.raises(requests.exceptions.ConnectionError):
        send(client)

    assert standin.create_attempts == 1 and standin.count() == 0


def test_hung_connection_raises_read_timeout(standin: TwilioStandIn) -> None:
    impatient = make_twilio_client(
        standin.account_sid, standin.auth_token, standin.base_url, timeout=0.5, pool_size=1
    )
    standin.fail_next(1, "timeout", hold=3.0)
    started = time.perf_counter()

    with pytest.raises(requests.exceptions.ReadTimeout):
        send(impatient)

    assert 0.4 <= time.perf_counter() - started < 2.5
    assert standin.count() == 0


@pytest.mark.parametrize("kind", ["500", "drop", "timeout"])
def test_fault_after_accept_leaves_a_message_to_reconcile(
    standin: TwilioStandIn, kind: Any
) -> None:
    sender = make_twilio_client(
        standin.account_sid, standin.auth_token, standin.base_url, timeout=0.5, pool_size=1
    )
    standin.fail_next(1, kind, after_accept=True, hold=3.0)

    with pytest.raises((TwilioRestException, requests.exceptions.RequestException)):
        send(sender, body="Reconcile me")

    [found] = sender.messages.list(to=PATIENT, date_sent_after=datetime.now(UTC) - timedelta(1))
    assert (found.body, found.sid) == ("Reconcile me", standin.messages[0].sid)


def test_random_faults_hit_about_the_configured_share() -> None:
    def failures(seed: int) -> int:
        with TwilioStandIn(fault_rate=0.2, fault_kinds=("500", "429", "drop"), seed=seed) as flaky:
            client = make_twilio_client(
                flaky.account_sid, flaky.auth_token, flaky.base_url, timeout=2.0, pool_size=1
            )
            failed = 0
            for _ in range(200):
                try:
                    send(client)
                except (TwilioRestException, requests.exceptions.ConnectionError):
                    failed += 1
            assert failed == flaky.faults_injected and flaky.count() == 200 - failed
            return failed

    first = failures(seed=7)
    assert 20 <= first <= 60
    assert failures(seed=7) == first


def test_latency_is_injected_before_each_answer(standin: TwilioStandIn, client: Client) -> None:
    send(client)  # connect first, so only the injected latency is measured
    standin.latency = 0.15
    started = time.perf_counter()
    send(client)

    assert time.perf_counter() - started >= 0.1


def test_reset_forgets_messages_and_faults(standin: TwilioStandIn, client: Client) -> None:
    send(client)
    standin.fail_next(3, "500")
    standin.error_for(PATIENT, 21610)
    standin.reset()

    assert standin.count() == 0
    send(client)
    assert standin.count() == 1


# -- reading messages back --------------------------------------------------------------------


def test_fetch_by_sid(standin: TwilioStandIn, client: Client) -> None:
    sid = send(client).sid

    assert client.messages(sid).fetch().to == PATIENT
    with pytest.raises(TwilioRestException) as missing:
        client.messages("SM" + "0" * 32).fetch()
    assert (missing.value.status, missing.value.code) == (404, 20404)


def test_list_filters_by_recipient_and_date_and_pages_newest_first(
    standin: TwilioStandIn, client: Client
) -> None:
    bodies = [f"check-in {n}" for n in range(120)]
    for body in bodies:
        send(client, body=body)
    send(client, to="+15551230002")
    now = datetime.now(UTC)

    listed = client.messages.list(to=PATIENT, date_sent_after=now - timedelta(minutes=1))
    assert [m.body for m in listed] == bodies[::-1]
    assert client.messages.list(to=PATIENT, date_sent_after=now + timedelta(minutes=1)) == []
    assert client.messages.list(date_sent_before=now - timedelta(minutes=1)) == []
    first_page = client.messages.page(to=PATIENT, page_size=50)
    assert len(list(first_page)) == 50 and first_page.next_page_url is not None


# -- webhooks to the app ----------------------------------------------------------------------


@dataclass
class Webhook:
    url: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class Receiver:
    """A tiny app on 127.0.0.1 that records the webhooks it receives."""

    base_url: str
    received: list[Webhook] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    received: list[Webhook] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            params = dict(parse_qsl(raw.decode(), keep_blank_values=True))
            url = f"http://{self.headers['Host']}{self.path}"
            received.append(Webhook(url, params, dict(self.headers)))
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", "21")
            self.end_headers()
            self.wfile.write(b"<Response></Response>")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield Receiver(f"http://127.0.0.1:{server.server_address[1]}", received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def signature_is_valid(standin: TwilioStandIn, hook: Webhook) -> bool:
    validator = RequestValidator(standin.auth_token)
    return bool(validator.validate(hook.url, hook.params, hook.headers["X-Twilio-Signature"]))


def test_status_callbacks_are_signed_and_move_the_message(
    standin: TwilioStandIn, client: Client, receiver: Receiver
) -> None:
    callback = f"{receiver.base_url}/twilio/status?patient=7"
    sid = send(client, status_callback=callback).sid

    assert standin.send_status_callback(standin.get(sid), "undelivered", error_code=30003) == 200
    assert standin.deliver_all() == [200]

    undelivered, delivered = receiver.received
    assert all(signature_is_valid(standin, hook) for hook in receiver.received)
    assert undelivered.url == callback
    assert undelivered.params == {
        "SmsSid": sid,
        "SmsStatus": "undelivered",
        "MessageStatus": "undelivered",
        "To": PATIENT,
        "MessageSid": sid,
        "AccountSid": standin.account_sid,
        "From": SENDER,
        "ApiVersion": "2010-04-01",
        "ErrorCode": "30003",
    }
    assert delivered.params["MessageStatus"] == "delivered" and "ErrorCode" not in delivered.params
    assert client.messages(sid).fetch().status == "delivered"


def test_inbound_message_is_signed_with_blank_fields_kept(
    standin: TwilioStandIn, receiver: Receiver
) -> None:
    app_url = f"{receiver.base_url}/twilio/sms"
    status, text = standin.send_inbound(
        app_url,
        PATIENT,
        SENDER,
        "2",
        media_urls=["https://api.twilio.com/media/photo.png"],
        extra={"OptOutType": "STOP"},
    )

    assert (status, text) == (200, "<Response></Response>")
    [hook] = receiver.received
    assert signature_is_valid(standin, hook)
    assert hook.headers["I-Twilio-Idempotency-Token"]
    assert hook.params["FromZip"] == "" and hook.params["SmsStatus"] == "received"
    assert (hook.params["From"], hook.params["To"], hook.params["Body"]) == (PATIENT, SENDER, "2")
    assert hook.params["MessageSid"] == hook.params["SmsSid"] == hook.params["SmsMessageSid"]
    assert (hook.params["NumMedia"], hook.params["MediaContentType0"]) == ("1", "image/png")
    assert hook.params["OptOutType"] == "STOP"


def test_inbound_form_signs_for_a_client_of_the_tests_own(standin: TwilioStandIn) -> None:
    url = "https://dswatch.example.org/twilio/sms"
    params, signature = standin.inbound_form(
        url, PATIENT, SENDER, "STOP", message_sid="SM" + "1" * 32
    )

    assert RequestValidator(standin.auth_token).validate(url, params, signature)
    assert not RequestValidator(standin.auth_token).validate(url + "?x=1", params, signature)


# -- the http client under the real Twilio client ---------------------------------------------


def test_one_client_shared_by_eight_threads_loses_nothing(
    standin: TwilioStandIn, client: Client
) -> None:
    def create(n: int) -> tuple[str, str, str]:
        answer = send(client, to=f"+1555{n:07d}", body=f"message {n}")
        return answer.sid, answer.to, answer.body

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(create, range(400)))

    assert [(to, body) for _, to, body in answers] == [
        (f"+1555{n:07d}", f"message {n}") for n in range(400)
    ]
    assert {sid for sid, _, _ in answers} == {m.sid for m in standin.messages}
    assert standin.count() == 400


def test_rebase_keeps_path_and_query() -> None:
    http = RebasedHttpClient("http://127.0.0.1:8081/")

    assert (
        http.rebase("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?Page=2")
        == "http://127.0.0.1:8081/2010-04-01/Accounts/AC1/Messages.json?Page=2"
    )
    assert RebasedHttpClient(None).rebase("https://api.twilio.com/x") == "https://api.twilio.com/x"


@pytest.mark.parametrize("base_url", ["127.0.0.1:8080", "ftp://h", "http://h/api", "http://h?a=1"])
def test_rebase_refuses_anything_but_scheme_host_and_port(base_url: str) -> None:
    with pytest.raises(ValueError, match="base URL"):
        RebasedHttpClient(base_url)


@pytest.mark.parametrize("base_url", [None, "http://127.0.0.1:8081"])
def test_pool_fits_the_threads_and_never_retries(base_url: str | None) -> None:
    client = make_twilio_client("AC" + "0" * 32, "token", base_url, timeout=5.0, pool_size=24)

    for url in ("http://127.0.0.1:8081/", "https://api.twilio.com/"):
        adapter = client.http_client.session.get_adapter(url)
        assert adapter._pool_maxsize == 24
        assert adapter.max_retries.total == 0
