"""Send through Twilio with the official client; map its failures onto SendError."""

from __future__ import annotations

import logging
from datetime import datetime

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError

from monitor.sms.sender import Accepted, OutgoingSms, SendError
from monitor.sms.twilio_http import make_twilio_client

log = logging.getLogger("dswatch.sms")

# Errors at create time that no retry can fix. 21610: the recipient replied STOP.
INVALID_NUMBER = 21211
NOT_MOBILE = 21614
UNSUBSCRIBED = 21610
TOO_MANY_REQUESTS = 20429
RECONCILE_LOOKBACK = 20  # recent messages to one number worth comparing


class TwilioSender:
    name = "twilio"

    def __init__(
        self,
        client: Client,
        *,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
    ) -> None:
        if not (from_number or messaging_service_sid):
            raise ValueError("TwilioSender needs a from number or a messaging service SID")
        self._client = client
        self._from = from_number
        self._service = messaging_service_sid

    @classmethod
    def build(
        cls,
        account_sid: str,
        auth_token: str,
        *,
        from_number: str | None,
        messaging_service_sid: str | None,
        api_base_url: str | None = None,
        timeout: float = 10.0,
        pool_size: int = 8,
    ) -> TwilioSender:
        client = make_twilio_client(account_sid, auth_token, api_base_url, timeout, pool_size)
        return cls(client, from_number=from_number, messaging_service_sid=messaging_service_sid)

    def send(self, sms: OutgoingSms) -> Accepted:
        params: dict[str, object] = {"to": sms.to, "body": sms.body}
        if self._service:
            params["messaging_service_sid"] = self._service
        else:
            params["from_"] = self._from
        if sms.status_callback:
            params["status_callback"] = sms.status_callback
        if sms.validity_seconds:
            params["validity_period"] = sms.validity_seconds
        try:
            created = self._client.messages.create(**params)
        except TwilioRestException as error:
            raise _from_rest_error(error) from error
        except requests.ConnectionError as error:
            # Refused before a byte went out: certainly not sent. Dropped mid-request: maybe.
            refused = isinstance(_root_cause(error), NewConnectionError)
            raise SendError(
                f"connection: {type(error).__name__}", maybe_sent=not refused
            ) from error
        except (requests.RequestException, TwilioException, OSError) as error:
            # Timed out waiting: Twilio may have accepted it before we stopped listening.
            raise SendError(f"connection: {type(error).__name__}", maybe_sent=True) from error
        log.info("twilio accepted message id=%s", sms.message_id)
        return Accepted(provider_sid=str(created.sid), status=str(created.status or "queued"))

    def find_sent(self, sms: OutgoingSms, since: datetime) -> list[Accepted]:
        return _find_sent(self._client, sms, since)


def _find_sent(client: Client, sms: OutgoingSms, since: datetime) -> list[Accepted]:
    """Recent messages to the number with the same body, newest first.

    Listed by recipient, not by DateSent: a message still queued at Twilio has no DateSent.
    """
    try:
        recent = client.messages.list(to=sms.to, limit=RECONCILE_LOOKBACK)
    except TwilioRestException as error:
        raise _from_rest_error(error) from error
    except (requests.RequestException, TwilioException, OSError) as error:
        raise SendError(f"reconcile: {type(error).__name__}") from error
    found = []
    for message in recent:
        created = message.date_created
        if message.body == sms.body and (created is None or created >= since):
            found.append(Accepted(provider_sid=str(message.sid), status=str(message.status)))
    return found


def _root_cause(error: BaseException) -> BaseException | None:
    """Walk requests' wrapping (args and __context__) down to urllib3's own error."""
    seen: BaseException | None = error
    for _ in range(5):
        if seen is None or isinstance(seen, NewConnectionError):
            return seen
        inner = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        seen = inner or seen.__cause__ or seen.__context__
    return seen


def _from_rest_error(error: TwilioRestException) -> SendError:
    status = int(error.status or 0)
    code = int(error.code) if error.code else None
    reason = f"twilio {status} code {code}"
    if status == 429 or code == TOO_MANY_REQUESTS:
        return SendError(reason, code=code, http_status=status)
    if status >= 500:
        return SendError(reason, code=code, http_status=status, maybe_sent=True)
    return SendError(reason, code=code, http_status=status, permanent=True)
