"""Health: /healthz/live for load balancers, /healthz for monitoring (every check).

/healthz/live says whether this process can serve webhooks (it answers and its database does).
/healthz adds what the whole deployment needs: every scheduled job ran recently (in any worker)
and the outbox is making progress. Neither says more than "ok" or what is wrong: no URLs, hosts
or driver messages reach an anonymous caller.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from jobs.tasks import JOBS
from monitor.services.operations import health
from monitor.web.deps import RuntimeDep

router = APIRouter()


@router.get("/healthz/live")
def live(runtime: RuntimeDep) -> JSONResponse:
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return JSONResponse({"status": "fail", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok", "sender": runtime.sender.name})


@router.get("/healthz")
def healthz(runtime: RuntimeDep) -> JSONResponse:
    report = health(runtime, runtime.clock.now(), [job_id for job_id, _, _ in JOBS])
    body = {"status": "ok" if report.ok else "fail", **report.checks}
    if report.checks.get("database") == "ok":
        body["sender"] = runtime.sender.name
    return JSONResponse(body, status_code=200 if report.ok else 503)
