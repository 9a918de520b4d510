"""Operators' surfaces: /healthz, /metrics, `dswatch status`, and what never leaks."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import anyio
import httpx
import pytest
from fastapi.routing import APIRoute
from freezegun import freeze_time
from typer.testing import CliRunner

from jobs.scheduler import _guarded
from jobs.tasks import JOBS, run_due_work
from monitor.cli import app as cli_app
from monitor.runtime import Runtime, build_runtime
from monitor.web.app import create_app
from tests.support.builders import NURSE_1, PATIENT_PHONE, add_team, enrol, run_until
from tests.support.fakes import RecordingSender
from tests.support.webhook import Webhook, webhook_settings

MORNING = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def call(runtime: Runtime, method: str, path: str, **kwargs: object) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://internal") as client:
            return await client.request(method, path, **kwargs)  # type: ignore[arg-type]

    return anyio.run(go)


def api_routes(routes: list[object]) -> list[APIRoute]:
    """Every endpoint, looking through included routers (however this FastAPI wraps them)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        inner = getattr(route, "original_router", None) or getattr(route, "router", None)
        if inner is not None and hasattr(inner, "routes"):
            found.extend(api_routes(inner.routes))
    return found


def beat_every_job(rt: Runtime) -> None:
    for job_id, job, _ in JOBS:
        _guarded(job_id, job, rt)


def test_healthz_is_ok_when_every_job_has_run_recently(rt: Runtime) -> None:
    with freeze_time(MORNING) as frozen:
        beat_every_job(rt)
        answer = call(rt, "GET", "/healthz")
        assert answer.status_code == 200, answer.json()
        assert answer.json() == {
            "status": "ok",
            "database": "ok",
            "scheduler": "ok",
            "outbox": "ok",
            "sender": "recording",
        }
        frozen.tick(timedelta(minutes=10))  # no worker ran anything since
        stale = call(rt, "GET", "/healthz")
    assert stale.status_code == 503
    assert stale.json()["scheduler"].startswith("stale: ")


def test_healthz_reports_a_stuck_outbox(rt: Runtime, sender: RecordingSender) -> None:
    with freeze_time(MORNING) as frozen:
        add_team(rt, rt.clock.now())
        enrol(rt, rt.clock.now())
        run_until(rt, frozen, datetime(2026, 3, 2, 20, 1, tzinfo=UTC))  # a missed check-in alert
        frozen.tick(timedelta(hours=1))
        beat_every_job(rt)  # jobs "ran" but a queued alert now waits: the sender fails each time
        from monitor.domain.states import MessageKind, Priority
        from monitor.services.outbox_queue import Outgoing, enqueue

        with rt.sessions.begin() as session:
            enqueue(
                session,
                rt.clock.now() - timedelta(minutes=5),
                Outgoing(MessageKind.ALERT, NURSE_1, "test", "stuck", Priority.ALERT),
            )
        answer = call(rt, "GET", "/healthz")
    assert answer.status_code == 503
    assert answer.json()["outbox"].startswith("stuck")


def test_metrics_expose_the_outbox_escalations_and_jobs(rt: Runtime) -> None:
    with freeze_time(datetime(2026, 3, 2, 12, 0, tzinfo=UTC)) as frozen:  # 07:00 local
        add_team(rt, rt.clock.now())
        enrol(rt, rt.clock.now(), courses=[("ATRA", date(2026, 3, 2))])
        run_until(rt, frozen, datetime(2026, 3, 2, 21, 0, tzinfo=UTC))
        beat_every_job(rt)
        text = call(rt, "GET", "/metrics").text
    assert "# TYPE dswatch_outbox_depth gauge" in text
    assert 'dswatch_messages_sent_total{kind="checkin"} 1' in text
    assert 'dswatch_escalations_open{level="missed"} 1' in text
    assert 'dswatch_outbox_oldest_due_seconds{band="urgent"} 0' in text
    assert 'dswatch_job_runs_total{job="dispatch_checkins"} 1' in text
    assert "dswatch_job_duration_seconds" in text
    assert PATIENT_PHONE not in text and "Ana" not in text


def test_metrics_can_require_a_token(database_url: str) -> None:
    settings = webhook_settings(database_url, metrics_token="s3cret-token")
    runtime = build_runtime(settings, sender=RecordingSender())
    try:
        assert call(runtime, "GET", "/metrics").status_code == 401
        ok = call(runtime, "GET", "/metrics", headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200
    finally:
        runtime.close()


def test_no_route_returns_patient_data_without_authentication(webhook_rt: Runtime) -> None:
    """Walk every route of the app without credentials. Twilio routes need a signature; the
    rest may only show aggregates. A new route fails here until it is considered."""
    with freeze_time(MORNING):
        add_team(webhook_rt, webhook_rt.clock.now())
        enrol(webhook_rt, webhook_rt.clock.now())
        Webhook(webhook_rt).text(PATIENT_PHONE, "my chest hurts")
    expectations = {
        ("POST", "/twilio/sms"): 403,
        ("POST", "/twilio/status"): 403,
        ("GET", "/healthz"): None,
        ("GET", "/healthz/live"): None,
        ("GET", "/metrics"): None,
    }
    seen = set()
    for route in api_routes(create_app(webhook_rt).routes):
        for method in route.methods:
            key = (method, route.path)
            assert key in expectations, f"new route {key}: decide its authentication here"
            seen.add(key)
            answer = call(webhook_rt, method, route.path, data={"From": PATIENT_PHONE})
            if expectations[key] is not None:
                assert answer.status_code == expectations[key], key
            for secret in (PATIENT_PHONE, "Ana", "Garcia", "chest", NURSE_1):
                assert secret not in answer.text, (key, secret)
    assert seen == set(expectations)


def test_logs_carry_no_names_numbers_or_bodies(
    webhook_rt: Runtime, webhook: Webhook, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with freeze_time(MORNING) as frozen:
        add_team(webhook_rt, webhook_rt.clock.now())
        enrol(webhook_rt, webhook_rt.clock.now())
        run_until(webhook_rt, frozen, MORNING + timedelta(hours=1))
        webhook.text(PATIENT_PHONE, "cant breathe since lunch")
        webhook.text(NURSE_1, "ACK")
        webhook.text("+12015550777", "hello?")
        run_due_work(webhook_rt)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged  # something was logged
    for secret in (PATIENT_PHONE, NURSE_1, "+12015550777", "Ana", "Garcia", "breathe", "lunch"):
        assert secret not in logged


def test_secrets_never_appear_in_settings_reprs(database_url: str) -> None:
    settings = webhook_settings(database_url, metrics_token="s3cret-token")
    shown = repr(settings) + str(settings)
    assert "s3cret-token" not in shown
    assert "0123456789abcdef0123456789abcdef" not in shown


def test_dswatch_status_prints_the_glance_and_fails_when_unhealthy(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.settings import get_settings

    monkeypatch.setenv("DSWATCH_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    result = runner.invoke(cli_app, ["status"])
    assert result.exit_code == 1  # no worker has run: the scheduler check fails
    assert "scheduler" in result.output and "stale" in result.output
    runtime = build_runtime(get_settings(), sender=RecordingSender())
    try:
        beat_every_job(runtime)
    finally:
        runtime.close()
    result = runner.invoke(cli_app, ["status"])
    assert result.exit_code == 0, result.output
    assert "dispatch_checkins" in result.output


def test_the_asgi_factory_builds_the_app_from_the_environment(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.settings import get_settings
    from monitor.web.asgi import app_from_environment

    monkeypatch.setenv("DSWATCH_DATABASE_URL", database_url)
    get_settings.cache_clear()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        app = app_from_environment()
        runtime = app.state.runtime
        try:
            assert call(runtime, "GET", "/healthz/live").json()["database"] == "ok"
        finally:
            runtime.close()
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
