"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI

from monitor import __version__
from monitor.runtime import Runtime
from monitor.web import health, metrics, twilio_routes
from monitor.web.limits import BodyLimit


def create_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(
        title="DSWatch",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.runtime = runtime
    app.add_middleware(BodyLimit, max_bytes=runtime.settings.max_request_bytes)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(twilio_routes.router)
    return app
