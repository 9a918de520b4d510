"""The HTTP client under the official `twilio` client: pool size, no retries, optional base URL.

twilio-python has no base-URL setting; its supported hook is `Client(..., http_client=...)`. The
client here sends every request to `base_url` when one is given (a local Twilio stand-in in tests
and benchmarks) and keeps the path and query, so URL building, form encoding, Basic auth, JSON
parsing and the mapping of error bodies to `TwilioRestException` stay the library's own.

One `Client` built by `make_twilio_client` may be shared by the sending threads. The library's
own `TwilioHttpClient.request` stores each response on the instance (`_test_only_last_response`)
and then returns that attribute, so it is only correct while no other thread runs between the
store and the return (true of CPython 3.11's GIL today, not promised). `request` below keeps the
response in a local variable instead. The rest of the path holds no per-request state: `Client`
and its resource objects only cache lazily built children, and the `requests.Session` keeps its
connections in urllib3 pools made for concurrent use.

Failures surface unchanged: an error answer raises `TwilioRestException` (with `.status` and
`.code`); a connection dropped after the request was sent raises
`requests.exceptions.ConnectionError` (cause `RemoteDisconnected`: Twilio may have accepted it), as
does a refused connection (cause `NewConnectionError`: nothing was sent); a slow answer raises
`requests.exceptions.ReadTimeout` (a `requests.exceptions.Timeout`: may have been accepted).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from requests import Request
from requests.adapters import HTTPAdapter
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

DEFAULT_POOL_SIZE = 8


class RebasedHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """Send Twilio API requests to `base_url` (or to Twilio when None), never retrying.

    The library mounts its pool and retry settings for https:// only, so a plain-http stand-in
    would get requests' defaults (10 connections). Both schemes get an adapter here with
    `pool_size` connections, which should be at least the number of sending threads, and no
    automatic retries: the caller owns retry and backoff and must see every failure, because a
    retried create can send a second SMS.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float | None = None,
        pool_size: int = DEFAULT_POOL_SIZE,
        proxy: dict[str, str] | None = None,
    ) -> None:
        if pool_size < 1:
            raise ValueError(f"pool_size must be at least 1, got {pool_size}")
        super().__init__(pool_connections=True, timeout=timeout, proxy=proxy)
        self.base_url = _check_base_url(base_url) if base_url is not None else None
        for prefix in ("https://", "http://"):
            self.session.mount(prefix, HTTPAdapter(pool_maxsize=pool_size, max_retries=0))
        if self.base_url is not None:
            # HTTP(S)_PROXY from the environment would otherwise route a loopback stand-in
            # through a proxy; an explicit `proxy` argument still applies.
            self.session.trust_env = False

    def rebase(self, url: str) -> str:
        """Return `url` with the scheme and host of `base_url`, keeping path and query."""
        if self.base_url is None:
            return url
        base = urlsplit(self.base_url)
        parts = urlsplit(url)
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        """Make one HTTP request; same contract as `TwilioHttpClient.request`.

        Deliberately not logged: the library's request log prints query strings, and list
        filters carry phone numbers.
        """
        if timeout is None:
            timeout = self.timeout
        elif timeout <= 0:
            raise ValueError(timeout)
        is_json = headers is not None and headers.get("Content-Type") in (
            "application/json",
            "application/scim+json",
        )
        request = Request(
            method=method.upper(),
            url=self.rebase(url),
            params=params,
            headers=headers,
            auth=auth,
            hooks=self.request_hooks,
            json=data if is_json else None,
            data=None if is_json else data,
        )
        prepared = self.session.prepare_request(request)
        settings = self.session.merge_environment_settings(
            prepared.url, self.proxy, None, None, None
        )
        response = self.session.send(
            prepared, allow_redirects=allow_redirects, timeout=timeout, **settings
        )
        return Response(int(response.status_code), response.text, response.headers)


def make_twilio_client(
    account_sid: str,
    auth_token: str,
    base_url: str | None,
    timeout: float,
    pool_size: int,
) -> Client:
    """Build a Twilio `Client` that one thread pool of up to `pool_size` threads may share.

    With `base_url` None it talks to Twilio itself; otherwise every request goes to `base_url`.
    """
    http_client = RebasedHttpClient(base_url, timeout=timeout, pool_size=pool_size)
    return Client(account_sid, auth_token, http_client=http_client)


def _check_base_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"Twilio base URL {base_url!r} is not an http(s) URL: use e.g. http://127.0.0.1:8080"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(
            f"Twilio base URL {base_url!r} has a path or query: give only scheme, host and port"
        )
    return f"{parts.scheme}://{parts.netloc}"
