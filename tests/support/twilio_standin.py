"""A Twilio stand-in: the Messages API of Twilio's 2010 REST API on 127.0.0.1, plus webhooks.

Tests and benchmarks point the real `twilio` client at it (monitor.sms.twilio_http) and script
what Twilio would do: error bodies, latency, 429/5xx, dropped or hung connections, faults after a
message was accepted, signed status callbacks and signed inbound messages. Standard library only.

    with TwilioStandIn(latency=0.15) as standin:
        client = make_twilio_client(standin.account_sid, standin.auth_token, standin.base_url, ...)
        standin.fail_next(2, "429")
        ...
        assert standin.count() == 10

One module on purpose (past the usual size): server, recorded state and webhook sender share one
lock and one notion of a message. Every method is safe to call from any thread.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import mimetypes
import random
import re
import socket
import sys
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime
from http.client import HTTPConnection, HTTPSConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, get_args
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

FaultKind = Literal["500", "503", "429", "drop", "timeout"]
FAULT_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)

API_VERSION = "2010-04-01"
SERVICE_SENDER = "+15005550006"  # the From Twilio reports for a Messaging Service send
MAX_BODY = 1600
MAX_PAGE_SIZE = 1000
WEBHOOK_TIMEOUT = 15.0  # Twilio waits this long for the app to answer

_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
_MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages(?:/([^/]+))?\.json$")

PERMANENT_ERRORS: dict[int, str] = {
    21211: "The 'To' number {to} is not a valid phone number.",
    21408: "Permission to send an SMS has not been enabled for the region indicated by the "
    "'To' number: {to}.",
    21610: "Attempt to send to unsubscribed recipient",
    21614: "'To' number {to} is not a valid mobile number",
}
_FAULT_ERRORS: dict[str, tuple[int, str]] = {
    "500": (20500, "Internal Server Error"),
    "503": (20503, "Service Unavailable"),
    "429": (20429, "Too Many Requests"),
}

_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")


def segment_count(body: str) -> int:
    """Count SMS segments as Twilio bills them: GSM-7 160/153, else UCS-2 70/67."""
    if all(c in _GSM7 or c in _GSM7_EXTENDED for c in body):
        units = len(body) + sum(c in _GSM7_EXTENDED for c in body)
        single, concatenated = 160, 153
    else:
        units = len(body.encode("utf-16-le")) // 2
        single, concatenated = 70, 67
    return 1 if units <= single else -(-units // concatenated)


def twilio_error(code: int, message: str, status: int) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def new_sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def _rfc2822(moment: datetime | None) -> str | None:
    return None if moment is None else format_datetime(moment)


@dataclass
class RecordedMessage:
    """One message the stand-in accepted, with every form field it was created with."""

    sid: str
    seq: int
    account_sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    status_callback: str | None
    validity_period: int | None
    media_urls: tuple[str, ...]
    form: dict[str, str]
    accepted_at: datetime
    status: str
    num_segments: int
    error_code: int | None = None
    date_sent: datetime | None = None
    date_updated: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def uri(self) -> str:
        return f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{self.sid}.json"

    def to_json(self) -> dict[str, Any]:
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": self.body,
            "date_created": _rfc2822(self.accepted_at),
            "date_sent": _rfc2822(self.date_sent),
            "date_updated": _rfc2822(self.date_updated),
            "direction": "outbound-api",
            "error_code": self.error_code,
            "error_message": None,
            "from": self.from_,
            "messaging_service_sid": self.messaging_service_sid,
            "num_media": str(len(self.media_urls)),
            "num_segments": str(self.num_segments),
            "price": None,
            "price_unit": "USD",
            "sid": self.sid,
            "status": self.status,
            "subresource_uris": {"media": self.uri.removesuffix(".json") + "/Media.json"},
            "to": self.to,
            "uri": self.uri,
        }


@dataclass(frozen=True)
class _Fault:
    kind: str
    after_accept: bool
    hold: float


class TwilioStandIn:
    """A Twilio Messages API on 127.0.0.1 that records sends and fails on demand."""

    def __init__(
        self,
        *,
        account_sid: str | None = None,
        auth_token: str | None = None,
        port: int = 0,
        latency: float = 0.0,
        latency_jitter: float = 0.0,
        fault_rate: float = 0.0,
        fault_kinds: Sequence[FaultKind] = ("500", "429", "drop"),
        fault_after_accept: float = 0.0,
        timeout_hold: float = 5.0,
        seed: int | None = 0,
    ) -> None:
        self.account_sid = account_sid or new_sid("AC")
        if not _ACCOUNT_SID.match(self.account_sid):
            raise ValueError(f"account_sid {self.account_sid!r} is not AC + 32 hex digits")
        self.auth_token = auth_token or uuid.uuid4().hex
        # Read by the handler threads on every create; plain attributes so tests can change them.
        self.latency = latency
        self.latency_jitter = latency_jitter
        self.fault_rate = fault_rate
        self.fault_kinds: Sequence[FaultKind] = fault_kinds
        self.fault_after_accept = fault_after_accept
        self.timeout_hold = timeout_hold
        self.rng = random.Random(seed)
        self._port = port
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._messages: list[RecordedMessage] = []
        self._by_sid: dict[str, RecordedMessage] = {}
        self._scripted: deque[_Fault] = deque()
        self._errors_for: dict[str, int] = {}
        self._create_attempts = 0
        self._faults_injected = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> TwilioStandIn:
        if self._server is not None:
            raise RuntimeError("the Twilio stand-in is already running")
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", self._port), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="twilio-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()  # wakes handlers sleeping in latency or a "timeout" hold
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> TwilioStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the Twilio stand-in is not running: use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def reset(self) -> None:
        """Forget messages, scripted and random faults, per-recipient errors and counters.

        Latency stays as set.
        """
        with self._lock:
            self._messages.clear()
            self._by_sid.clear()
            self._scripted.clear()
            self._errors_for.clear()
            self._create_attempts = 0
            self._faults_injected = 0
        self.fault_rate = 0.0

    # -- what was sent -----------------------------------------------------------------------

    @property
    def messages(self) -> list[RecordedMessage]:
        """A snapshot of every accepted message, oldest first."""
        with self._lock:
            return list(self._messages)

    def messages_to(self, phone: str) -> list[RecordedMessage]:
        with self._lock:
            return [m for m in self._messages if m.to == phone]

    def get(self, sid: str) -> RecordedMessage:
        with self._lock:
            return self._by_sid[sid]

    def count(self) -> int:
        with self._lock:
            return len(self._messages)

    def wait_for_count(self, n: int, timeout: float = 5.0) -> bool:
        """Block until at least `n` messages were accepted; False if `timeout` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._messages) >= n, timeout)

    @property
    def create_attempts(self) -> int:
        """Create requests received, failed or not (authenticated ones only)."""
        with self._lock:
            return self._create_attempts

    @property
    def faults_injected(self) -> int:
        with self._lock:
            return self._faults_injected

    # -- scripting failures ------------------------------------------------------------------

    def fail_next(
        self, n: int, kind: FaultKind, *, after_accept: bool = False, hold: float | None = None
    ) -> None:
        """Fail the next `n` creates with `kind`; with `after_accept`, record each message first.

        "drop" closes the connection without an answer; "timeout" holds it for `hold` seconds
        (default `timeout_hold`), longer than the client's timeout, then drops it.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}: use one of {FAULT_KINDS}")
        if after_accept and kind == "429":
            raise ValueError("Twilio never accepts a message it answers 429 to")
        fault = _Fault(kind, after_accept, self.timeout_hold if hold is None else hold)
        with self._lock:
            self._scripted.extend([fault] * n)

    def error_for(self, to: str, code: int) -> None:
        """Answer every create to `to` with Twilio's permanent error `code` (HTTP 400)."""
        if code not in PERMANENT_ERRORS:
            raise ValueError(f"no canned error {code}: use one of {sorted(PERMANENT_ERRORS)}")
        with self._lock:
            self._errors_for[to] = code

    def _next_fault(self) -> _Fault | None:
        with self._lock:
            self._create_attempts += 1
            if self._scripted:
                fault: _Fault | None = self._scripted.popleft()
            elif self.fault_rate > 0 and self.rng.random() < self.fault_rate:
                kind = self.rng.choice(self.fault_kinds)
                after = kind != "429" and self.rng.random() < self.fault_after_accept
                fault = _Fault(kind, after, self.timeout_hold)
            else:
                fault = None
            if fault is not None:
                self._faults_injected += 1
            return fault

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    def _create_latency(self) -> float:
        jitter = self.latency_jitter
        return self.latency + (self.rng.uniform(0, jitter) if jitter > 0 else 0.0)

    # -- the API -----------------------------------------------------------------------------

    def _authorised(self, url_sid: str, authorization: str | None) -> bool:
        if url_sid != self.account_sid or not authorization:
            return False
        scheme, _, encoded = authorization.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            given = base64.b64decode(encoded, validate=True)
        except ValueError:
            return False
        expected = f"{self.account_sid}:{self.auth_token}".encode()
        return hmac.compare_digest(given, expected)

    def _refuse(self, form: Mapping[str, str], media: Sequence[str]) -> tuple[int, str] | None:
        """Return (code, message) when Twilio would refuse this create, else None."""
        to = form.get("To", "")
        if not to:
            return 21604, "A 'To' phone number is required."
        if not form.get("From") and not form.get("MessagingServiceSid"):
            return 21603, "A 'From' phone number is required."
        body = form.get("Body", "")
        if not body and not media and not form.get("ContentSid"):
            return 21602, "Message body is required."
        if len(body) > MAX_BODY:
            return 21617, "The concatenated message body exceeds the 1600 character limit."
        validity = form.get("ValidityPeriod")
        if validity is not None and not (validity.isdigit() and 1 <= int(validity) <= 36000):
            return 21624, "Invalid validity period value"
        with self._lock:
            code = self._errors_for.get(to)
        if code is not None:
            return code, PERMANENT_ERRORS[code].format(to=to)
        return None

    def _record(self, form: dict[str, str], media: tuple[str, ...]) -> RecordedMessage:
        now = datetime.now(UTC)
        service = form.get("MessagingServiceSid") or None
        validity = form.get("ValidityPeriod")
        with self._changed:
            message = RecordedMessage(
                sid=new_sid("MM" if media else "SM"),
                seq=len(self._messages),
                account_sid=self.account_sid,
                to=form["To"],
                from_=form.get("From") or None,
                messaging_service_sid=service,
                body=form.get("Body", ""),
                status_callback=form.get("StatusCallback") or None,
                validity_period=int(validity) if validity else None,
                media_urls=media,
                form=form,
                accepted_at=now,
                status="accepted" if service else "queued",
                num_segments=segment_count(form.get("Body", "")),
                date_updated=now,
            )
            self._messages.append(message)
            self._by_sid[message.sid] = message
            self._changed.notify_all()
        return message

    def _page(self, path: str, query: Mapping[str, list[str]]) -> dict[str, Any] | None:
        """Build one page of the Messages list, newest first; None if a filter is malformed."""
        one = {name: values[-1] for name, values in query.items()}
        try:
            size = min(max(int(one.get("PageSize", "50")), 1), MAX_PAGE_SIZE)
            page = int(one.get("Page", "0"))
            below = int(one["PageToken"].removeprefix("PA")) if "PageToken" in one else None
            keep = _message_filter(one)
        except ValueError:
            return None
        with self._lock:
            newest_first = reversed(self._messages if below is None else self._messages[:below])
            found: list[RecordedMessage] = []
            for message in newest_first:
                if keep(message):
                    found.append(message)
                    if len(found) > size:
                        break
        filters = {k: v for k, v in one.items() if k not in ("Page", "PageSize", "PageToken")}
        more = len(found) > size
        found = found[:size]

        def uri(number: int, token: str | None) -> str:
            params = {**filters, "PageSize": str(size), "Page": str(number)}
            if token is not None:
                params["PageToken"] = token
            return f"{path}?{urlencode(params)}"

        next_uri = None
        if more:
            next_uri = uri(page + 1, f"PA{found[-1].seq}")
        return {
            "messages": [message.to_json() for message in found],
            "end": page * size + max(len(found) - 1, 0),
            "first_page_uri": uri(0, None),
            "next_page_uri": next_uri,
            "page": page,
            "page_size": size,
            "previous_page_uri": None,
            "start": page * size,
            "uri": uri(page, one.get("PageToken")),
        }

    # -- webhooks to the app -----------------------------------------------------------------

    def sign(self, url: str, params: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
        """X-Twilio-Signature: base64 HMAC-SHA1 of the URL then each name+value, sorted by name."""
        pairs = params.items() if isinstance(params, Mapping) else params
        by_name: dict[str, set[str]] = {}
        for name, value in pairs:
            by_name.setdefault(name, set()).add(value)
        payload = url + "".join(
            name + value for name in sorted(by_name) for value in sorted(by_name[name])
        )
        digest = hmac.new(self.auth_token.encode(), payload.encode(), hashlib.sha1).digest()
        return base64.b64encode(digest).decode()

    def status_callback_form(
        self, message: RecordedMessage, status: str, error_code: int | None = None
    ) -> dict[str, str]:
        form = {
            "SmsSid": message.sid,
            "SmsStatus": status,
            "MessageStatus": status,
            "To": message.to,
            "MessageSid": message.sid,
            "AccountSid": self.account_sid,
            "From": message.from_ or SERVICE_SENDER,
            "ApiVersion": API_VERSION,
        }
        if message.messaging_service_sid:
            form["MessagingServiceSid"] = message.messaging_service_sid
        if error_code is not None:
            form["ErrorCode"] = str(error_code)
        return form

    def send_status_callback(
        self,
        message: RecordedMessage,
        status: str,
        error_code: int | None = None,
        url: str | None = None,
    ) -> int:
        """Move `message` to `status` and POST the signed callback; return the app's HTTP status."""
        target = url or message.status_callback
        if target is None:
            raise ValueError(f"message {message.sid} has no StatusCallback: pass url=")
        now = datetime.now(UTC)
        with self._lock:
            message.status, message.error_code, message.date_updated = status, error_code, now
            if status in ("sent", "delivered", "undelivered") and message.date_sent is None:
                message.date_sent = now
        form = self.status_callback_form(message, status, error_code)
        return self._post(target, form)[0]

    def deliver_all(self, status: str = "delivered") -> list[int]:
        """Send `status` for every message with a StatusCallback; return the app's answers."""
        return [self.send_status_callback(m, status) for m in self.messages if m.status_callback]

    def inbound_form(
        self,
        app_url: str,
        from_: str,
        to: str,
        body: str,
        message_sid: str | None = None,
        num_media: int = 0,
        media_urls: Sequence[str] = (),
        extra: Mapping[str, str] | None = None,
        *,
        messaging_service_sid: str | None = None,
    ) -> tuple[dict[str, str], str]:
        """Build the form Twilio posts for an inbound SMS to `app_url` and its signature."""
        sid = message_sid or new_sid("MM" if media_urls else "SM")
        form = {
            "ToCountry": "",
            "ToState": "",
            "SmsMessageSid": sid,
            "NumMedia": str(len(media_urls) if media_urls else num_media),
            "ToCity": "",
            "FromZip": "",
            "SmsSid": sid,
            "FromState": "",
            "SmsStatus": "received",
            "FromCity": "",
            "Body": body,
            "FromCountry": "",
            "To": to,
            "ToZip": "",
            "NumSegments": str(segment_count(body)),
            "MessageSid": sid,
            "AccountSid": self.account_sid,
            "From": from_,
            "ApiVersion": API_VERSION,
        }
        if messaging_service_sid:
            form["MessagingServiceSid"] = messaging_service_sid
        for index, media_url in enumerate(media_urls):
            kind = mimetypes.guess_type(urlsplit(media_url).path)[0] or "image/jpeg"
            form[f"MediaContentType{index}"] = kind
            form[f"MediaUrl{index}"] = media_url
        form.update(extra or {})
        return form, self.sign(app_url, form)

    def send_inbound(
        self,
        app_url: str,
        from_: str,
        to: str,
        body: str,
        message_sid: str | None = None,
        num_media: int = 0,
        media_urls: Sequence[str] = (),
        extra: Mapping[str, str] | None = None,
        *,
        messaging_service_sid: str | None = None,
        idempotency_token: str | None = None,
    ) -> tuple[int, str]:
        """POST a signed inbound SMS to `app_url`; return the app's status and response text.

        Reuse `message_sid` and `idempotency_token` to replay a delivery as Twilio's retry would.
        """
        form, _ = self.inbound_form(
            app_url,
            from_,
            to,
            body,
            message_sid,
            num_media,
            media_urls,
            extra,
            messaging_service_sid=messaging_service_sid,
        )
        return self._post(app_url, form, idempotency_token)

    def _post(
        self, url: str, form: Mapping[str, str], idempotency_token: str | None = None
    ) -> tuple[int, str]:
        parts = urlsplit(url)
        connection_type = HTTPSConnection if parts.scheme == "https" else HTTPConnection
        connection = connection_type(parts.hostname or "", parts.port, timeout=WEBHOOK_TIMEOUT)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "TwilioProxy/1.1",
            "X-Twilio-Signature": self.sign(url, form),
            "I-Twilio-Idempotency-Token": idempotency_token or str(uuid.uuid4()),
        }
        try:
            connection.request("POST", target, body=urlencode(form).encode(), headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()


def _message_filter(one: Mapping[str, str]) -> Callable[[RecordedMessage], bool]:
    """Build the To/From/DateSent filter of a list request (DateSent> and < are inclusive)."""
    to, from_ = one.get("To"), one.get("From")
    bounds = [
        (op, _parse_date_sent(one[f"DateSent{op}"]))
        for op in ("", ">", "<")
        if f"DateSent{op}" in one
    ]

    def keep(message: RecordedMessage) -> bool:
        if to is not None and message.to != to:
            return False
        if from_ is not None and (message.from_ or SERVICE_SENDER) != from_:
            return False
        # Twilio sets date_sent once a message leaves; a queued one is matched by creation time.
        sent = (message.date_sent or message.accepted_at).replace(microsecond=0)
        for op, bound in bounds:
            value: date | datetime = sent.date() if type(bound) is date else sent
            if (op == "" and value != bound) or (op == ">" and value < bound):
                return False
            if op == "<" and value > bound:
                return False
        return True

    return keep


def _parse_date_sent(text: str) -> date | datetime:
    if len(text) == 10:
        return date.fromisoformat(text)
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # 4 processes x 8 threads connecting at once must not overflow

    def __init__(
        self, address: tuple[str, int], handler: type[_Handler], standin: TwilioStandIn
    ) -> None:
        self.standin = standin
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Close kept-alive connections so their handler threads end with the server."""
        with self._open_lock:
            open_now = list(self._open)
        for sock in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that hang up; report anything else."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the client's connection pool expects
    disable_nagle_algorithm = True  # ~0.6 ms per create on loopback instead of ~44 ms
    wbufsize = -1  # headers and body leave in one write, flushed after each request
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Stay silent: tens of thousands of requests per test."""

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        route = self._route()
        if route is None:
            return
        _, message_sid = route
        if message_sid is not None:
            self._send_error(405, 20004, "Method not allowed")
            return
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
        self._create(dict(pairs), tuple(v for k, v in pairs if k == "MediaUrl"))

    def do_GET(self) -> None:
        route = self._route()
        if route is None:
            return
        path, message_sid = route
        standin = self.server.standin
        if message_sid is None:
            page = standin._page(path, parse_qs(urlsplit(self.path).query))
            if page is None:
                self._send_error(400, 20001, "Invalid paging or filter parameter")
            else:
                self._send_json(200, page)
            return
        try:
            message = standin.get(message_sid)
        except KeyError:
            self._send_error(404, 20404, f"The requested resource {path} was not found")
            return
        self._send_json(200, message.to_json())

    def _route(self) -> tuple[str, str | None] | None:
        """Match a Messages URL and check credentials; answer and return None if that fails."""
        path = urlsplit(self.path).path
        match = _MESSAGES_PATH.match(path)
        if match is None:
            self._send_error(404, 20404, f"The requested resource {path} was not found")
            return None
        if not self.server.standin._authorised(match[1], self.headers.get("Authorization")):
            challenge = {"WWW-Authenticate": 'Basic realm="Twilio API"'}
            self._send_error(401, 20003, "Authenticate", challenge)
            return None
        return path, match[2]

    def _create(self, form: dict[str, str], media: tuple[str, ...]) -> None:
        standin = self.server.standin
        fault = standin._next_fault()
        standin._pause(standin._create_latency())
        if fault is not None and not fault.after_accept:
            self._fail(fault)
            return
        refusal = standin._refuse(form, media)
        if refusal is not None:
            self._send_error(400, *refusal)
            return
        message = standin._record(form, media)
        if fault is not None:
            self._fail(fault)
            return
        self._send_json(201, message.to_json())

    def _fail(self, fault: _Fault) -> None:
        if fault.kind in _FAULT_ERRORS:
            code, text = _FAULT_ERRORS[fault.kind]
            self._send_error(int(fault.kind), code, text)
            return
        if fault.kind == "timeout":
            self.server.standin._pause(fault.hold)
        self.close_connection = True  # hang up without a word

    def _send_error(
        self, status: int, code: int, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        self._send_json(status, twilio_error(code, message, status), headers)

    def _send_json(
        self, status: int, payload: object, headers: Mapping[str, str] | None = None
    ) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Twilio-Request-Id", new_sid("RQ"))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
