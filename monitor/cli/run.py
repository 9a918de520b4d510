"""`dswatch serve | web | worker`: the long-running processes.

The web stack (FastAPI, uvicorn) is imported only by the commands that serve HTTP, so a worker
process does not carry it (about 23 MB of resident memory).
"""

from __future__ import annotations

import logging
import signal

import typer

from jobs.scheduler import build_scheduler
from monitor.cli.common import runtime

log = logging.getLogger("dswatch")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
) -> None:
    """Web and scheduler in one process (the embedded default)."""
    import uvicorn

    from monitor.web.app import create_app

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
    import uvicorn

    from monitor.web.app import create_app

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
    """Scheduler only: dispatch, reminders, missed check-ins, closing, outbox. Run several.

    SIGTERM (what systemd, Docker and Kubernetes send to stop a process) and Ctrl-C stop it
    cleanly: no new ticks, and the running ones finish (a drain ends within its few seconds), so
    a deploy leaves no message claimed mid-send. Without a handler SIGTERM killed the process
    outright, like kill -9, and every message it held waited out its lease and was reconciled
    with the provider. Crash safety covers that, but a routine stop should not need it.
    """
    with runtime() as rt:
        _log_level(rt.settings.log_level)
        scheduler = build_scheduler(rt, blocking=True)
        signal.signal(signal.SIGTERM, _exit_on_signal)
        log.info("worker started with %d jobs", len(scheduler.get_jobs()))
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            log.info("worker stopping: letting running jobs finish")
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=True)
        log.info("worker stopped")


def _exit_on_signal(signum: int, _frame: object) -> None:
    """Leave the scheduler's loop in the main thread (the jobs run in other threads)."""
    raise SystemExit(0)


def _log_level(level: str) -> None:
    logging.getLogger().setLevel(level)
