"""Hand-written fakes that record what they were asked to do (preferred over mocks)."""

from __future__ import annotations

import threading
import uuid
from collections import deque
from dataclasses import dataclass

from monitor.sms.sender import Accepted, OutgoingSms, SendError


@dataclass(frozen=True)
class SentSms:
    sms: OutgoingSms
    sid: str


class RecordingSender:
    """Accepts everything unless told otherwise; remembers every accepted message."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[SentSms] = []
        self.attempts = 0
        self._errors_for: dict[str, SendError] = {}
        self._next_errors: deque[SendError] = deque()
        self._lock = threading.Lock()

    def fail_next(self, *errors: SendError) -> None:
        self._next_errors.extend(errors)

    def fail_for(self, phone: str, error: SendError) -> None:
        self._errors_for[phone] = error

    def send(self, sms: OutgoingSms) -> Accepted:
        with self._lock:
            self.attempts += 1
            if sms.to in self._errors_for:
                raise self._errors_for[sms.to]
            if self._next_errors:
                raise self._next_errors.popleft()
            sid = "SM" + uuid.uuid4().hex
            self.sent.append(SentSms(sms, sid))
            return Accepted(provider_sid=sid, status="queued")

    def find_sent(self, sms: OutgoingSms, since: object) -> list[Accepted]:
        """What this fake accepted for the same number and body (it keeps no timestamps)."""
        with self._lock:
            return [
                Accepted(item.sid, "queued")
                for item in self.sent
                if item.sms.to == sms.to and item.sms.body == sms.body
            ]

    def to(self, phone: str) -> list[OutgoingSms]:
        return [item.sms for item in self.sent if item.sms.to == phone]

    def bodies(self, phone: str) -> list[str]:
        return [sms.body for sms in self.to(phone)]
