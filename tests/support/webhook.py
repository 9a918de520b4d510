"""Post signed Twilio webhooks to the real FastAPI app in-process (httpx's ASGI transport)."""

from __future__ import annotations

import itertools
from typing import Any

import anyio
import httpx
from twilio.request_validator import RequestValidator

from monitor.runtime import Runtime
from monitor.settings import Settings
from monitor.web.app import create_app

TOKEN = "0123456789abcdef0123456789abcdef"
ACCOUNT = "AC" + "1" * 32
PUBLIC = "https://dswatch.example.org"
SERVICE_NUMBER = "+12015550000"


def webhook_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "public_base_url": PUBLIC,
        "twilio_auth_token": TOKEN,
        "clinic_phone": "+12015550199",
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


class Webhook:
    """Texts from phones, as Twilio would deliver them to /twilio/sms."""

    def __init__(self, rt: Runtime) -> None:
        self.app = create_app(rt)
        self._sids = itertools.count(1)

    def form(self, sender: str, body: str, sid: str | None = None, **extra: str) -> dict[str, str]:
        return {
            "MessageSid": sid or f"SM{next(self._sids):032x}",
            "AccountSid": ACCOUNT,
            "From": sender,
            "To": SERVICE_NUMBER,
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
            "FromZip": "",
            **extra,
        }

    def post(
        self, form: dict[str, str], *, signature: str | None = None, path: str = "/twilio/sms"
    ) -> httpx.Response:
        if signature is None:
            signature = RequestValidator(TOKEN).compute_signature(PUBLIC + path, form)

        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://internal") as client:
                return await client.post(path, data=form, headers={"X-Twilio-Signature": signature})

        return anyio.run(call)

    def text(self, sender: str, body: str, **extra: str) -> httpx.Response:
        return self.post(self.form(sender, body, **extra))


def twiml_message(response: httpx.Response) -> str | None:
    """The text of the TwiML <Message>, or None for an empty <Response/>."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(response.text)
    message = root.find("Message")
    return message.text if message is not None else None
