"""GET /healthz: is this process able to do its work."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from monitor.web.deps import RuntimeDep

router = APIRouter()


@router.get("/healthz")
def healthz(runtime: RuntimeDep) -> JSONResponse:
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return JSONResponse({"status": "fail", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok", "sender": runtime.sender.name})
