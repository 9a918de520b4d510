"""Twilio webhooks: inbound SMS (answered in TwiML) and delivery status callbacks."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, HTTPException, Response
from twilio.twiml.messaging_response import MessagingResponse

from monitor import services
from monitor.web.deps import RuntimeDep, TwilioForm

router = APIRouter(prefix="/twilio")


def twiml(text: str | None) -> Response:
    response = MessagingResponse()
    if text:
        response.message(text)
    return Response(content=str(response), media_type="application/xml")


@router.post("/sms")
def inbound_sms(form: TwilioForm, runtime: RuntimeDep, background: BackgroundTasks) -> Response:
    """Answer a text at once; the patient's advice rides in this very response.

    The message is committed before the answer is built. Alerts it raised are sent right after
    the response by this process, ahead of any routine traffic, without waiting for a tick.
    """
    try:
        sms = services.inbound_from_form(form)
    except services.InboundError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None
    answer = services.receive_sms(runtime, sms, runtime.clock.now())
    if answer.urgent_queued:
        background.add_task(services.drain_outbox, runtime, urgent_only=True, max_seconds=2.0)
    return twiml(answer.text)


@router.post("/status", status_code=204)
def delivery_status(form: TwilioForm, runtime: RuntimeDep) -> Response:
    """Record a delivery callback; repeats and out-of-order statuses are accepted and ignored."""
    sid = form.get("MessageSid", "").strip()
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").strip().lower()
    if not sid or not status:
        raise HTTPException(status_code=400, detail="MessageSid and MessageStatus are required")
    code_text = form.get("ErrorCode", "").strip()
    code = int(code_text) if code_text.isdigit() else None
    services.record_delivery_status(runtime, sid, status, code, runtime.clock.now())
    return Response(status_code=204)
