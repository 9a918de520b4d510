"""The inbound bound: a FastAPI endpoint that parses the Twilio form and returns empty TwiML.

Run by `python -m bench.child bare` under uvicorn with the settings of `dswatch web`. Kept in
its own module, imported only by that role, so no other child process carries FastAPI.
"""

from urllib.parse import parse_qsl

from fastapi import FastAPI, Request, Response
from twilio.twiml.messaging_response import MessagingResponse

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


@app.post("/twilio/sms")
async def sms(request: Request) -> Response:
    raw = await request.body()
    form = dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))
    if not form.get("MessageSid"):
        return Response(status_code=400)
    return Response(content=str(MessagingResponse()), media_type="application/xml")
