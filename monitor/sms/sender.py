"""The SmsSender protocol and the local sender (the default when Twilio is not configured)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

log = logging.getLogger("dswatch.sms")


@dataclass(frozen=True)
class OutgoingSms:
    message_id: int
    to: str
    body: str
    status_callback: str | None = None
    validity_seconds: int | None = None  # how long the provider may keep trying (short for alerts)


@dataclass(frozen=True)
class Accepted:
    provider_sid: str
    status: str  # the provider's first status, e.g. "queued"


class SendError(Exception):
    """A send that did not go through.

    `permanent`: retrying cannot help (invalid number, recipient opted out).
    `maybe_sent`: the provider may have accepted it before the failure (5xx, timeout, dropped
    connection), so a retry could double it.
    """

    def __init__(
        self,
        reason: str,
        *,
        code: int | None = None,
        http_status: int | None = None,
        permanent: bool = False,
        maybe_sent: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.http_status = http_status
        self.permanent = permanent
        self.maybe_sent = maybe_sent


class SmsSender(Protocol):
    name: str

    def send(self, sms: OutgoingSms) -> Accepted:
        """Hand one message to the provider; raise SendError when it was not accepted."""
        ...

    def find_sent(self, sms: OutgoingSms, since: datetime) -> list[Accepted]:
        """Messages the provider holds to `sms.to` with this body, created since `since`.

        Used before re-sending a message whose earlier attempt may have gone through (the
        provider has no idempotency key). Raise SendError when the provider cannot be asked.
        """
        ...


class LocalSender:
    """Keeps every message on this machine: the outbox row is the stored copy (`dswatch outbox`).

    Logs one line per message with the message id only: no number, no body.
    """

    name = "local"

    def send(self, sms: OutgoingSms) -> Accepted:
        sid = "LM" + uuid.uuid4().hex
        log.info("local sender stored message id=%s", sms.message_id)
        return Accepted(provider_sid=sid, status="stored")

    def find_sent(self, sms: OutgoingSms, since: datetime) -> list[Accepted]:
        return []  # storing locally cannot half-fail
