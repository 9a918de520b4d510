"""GET /healthz/live: 200 while the database answers, 503 (without details) when it does not.
GET /healthz: every check (database, job heartbeats, outbox progress)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest

from monitor.runtime import Runtime, build_runtime
from monitor.settings import Settings
from monitor.web.app import create_app
from tests.support.fakes import RecordingSender


def get(runtime: Runtime, path: str = "/healthz") -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.get(path)

    return anyio.run(call)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_working_database_is_healthy(rt: Runtime) -> None:
    answer = get(rt, "/healthz/live")

    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok", "sender": "recording"}


@pytest.fixture(
    params=[
        pytest.param("postgresql", id="postgresql-on-a-closed-port"),
        pytest.param("sqlite", id="sqlite-in-a-missing-directory"),
    ]
)
def unreachable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Runtime]:
    if request.param == "postgresql":
        url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/test"
    else:
        url = f"sqlite:///{tmp_path / 'no' / 'such' / 'directory' / 'dswatch.db'}"
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    runtime = build_runtime(settings, sender=RecordingSender())
    try:
        yield runtime
    finally:
        runtime.close()


@pytest.mark.parametrize("path", ["/healthz/live", "/healthz"])
def test_an_unreachable_database_is_unhealthy(unreachable: Runtime, path: str) -> None:
    answer = get(unreachable, path)

    assert answer.status_code == 503
    # Says what is wrong, not why: no URL, host or driver message reaches an anonymous caller.
    assert answer.json() == {"status": "fail", "database": "unreachable"}


def test_health_recovers_when_the_database_comes_back(tmp_path: Path) -> None:
    missing = tmp_path / "later"
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=f"sqlite:///{missing / 'dswatch.db'}"
    )
    runtime = build_runtime(settings, sender=RecordingSender())
    try:
        assert get(runtime, "/healthz/live").status_code == 503
        missing.mkdir()  # an empty new SQLite file answers SELECT 1
        assert get(runtime, "/healthz/live").status_code == 200
    finally:
        runtime.close()
