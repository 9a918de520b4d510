"""Twilio webhooks: delivery status callbacks (inbound SMS comes with the replies issue)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from monitor import services
from monitor.web.deps import RuntimeDep, TwilioForm

router = APIRouter(prefix="/twilio")


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
