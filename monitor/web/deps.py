"""Typed dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Depends, HTTPException, Request
from twilio.request_validator import RequestValidator

from monitor.runtime import Runtime


async def get_runtime(request: Request) -> Runtime:
    # async: a plain attribute read needs no trip through the thread pool
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def public_url(runtime: Runtime, request: Request) -> str:
    """The URL Twilio signed: the configured public base plus the raw path and query.

    Behind a proxy the app sees another host and scheme, so the request's own URL is used only
    when no public base URL is configured.
    """
    path = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string") or b""
    base = runtime.settings.public_base_url or str(request.base_url).rstrip("/")
    url = base + path.decode("latin-1")
    return url + ("?" + query.decode("latin-1") if query else "")


async def twilio_form(request: Request, runtime: RuntimeDep) -> dict[str, str]:
    """The POSTed form, after checking X-Twilio-Signature over every field (blank ones too)."""
    raw = await request.body()
    params = dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
    settings = runtime.settings
    if settings.twilio_skip_signature_check:
        return params
    token = settings.twilio_auth_token
    signature = request.headers.get("X-Twilio-Signature", "")
    if token is None:
        raise HTTPException(
            status_code=403,
            detail="Twilio webhooks are refused: DSWATCH_TWILIO_AUTH_TOKEN is not set",
        )
    validator = RequestValidator(token.get_secret_value())
    if not signature or not validator.validate(public_url(runtime, request), params, signature):
        raise HTTPException(status_code=403, detail="invalid X-Twilio-Signature")
    return params


TwilioForm = Annotated[dict[str, str], Depends(twilio_form)]
