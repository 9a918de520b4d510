"""`dswatch serve | web | worker`: the long-running processes."""

from __future__ import annotations

import contextlib
import logging

import typer
import uvicorn

from jobs.scheduler import build_scheduler
from monitor.cli.common import runtime
from monitor.web.app import create_app

log = logging.getLogger("dswatch")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
) -> None:
    """Web and scheduler in one process (the embedded default)."""
    with runtime(log_level=None) as rt:
        _log_level(rt.settings.log_level)
        scheduler = build_scheduler(rt, blocking=False)
        scheduler.start()
        log.info("scheduler started with %d jobs", len(scheduler.get_jobs()))
        try:
            uvicorn.run(create_app(rt), host=host, port=port, log_config=None, access_log=False)
        finally:
            scheduler.shutdown(wait=True)


def web(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    workers: int = typer.Option(1, min=1, help="Server processes sharing the port"),
) -> None:
    """Web only (Twilio webhooks, health, metrics); run as many as needed behind a load balancer."""
    with runtime() as rt:
        _log_level(rt.settings.log_level)
        if workers == 1:
            uvicorn.run(create_app(rt), host=host, port=port, log_config=None, access_log=False)
            return
    uvicorn.run(
        "monitor.web.asgi:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
    )


def worker() -> None:
    """Scheduler only: dispatch, reminders, missed check-ins, closing, outbox. Run several."""
    with runtime() as rt:
        _log_level(rt.settings.log_level)
        scheduler = build_scheduler(rt, blocking=True)
        log.info("worker started with %d jobs", len(scheduler.get_jobs()))
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            scheduler.start()


def _log_level(level: str) -> None:
    logging.getLogger().setLevel(level)
