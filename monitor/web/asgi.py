"""An app factory for ASGI servers: `uvicorn --factory monitor.web.asgi:app_from_environment`.

Used by `dswatch web --workers N`; each server process builds its own runtime from the
environment (nothing happens at import).
"""

from __future__ import annotations

from fastapi import FastAPI

from monitor.logging_setup import configure_logging
from monitor.runtime import build_runtime
from monitor.settings import get_settings
from monitor.web.app import create_app


def app_from_environment() -> FastAPI:
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(build_runtime(settings))
