"""Shared fixtures: a fresh database per test (SQLite by default, PostgreSQL when
DSWATCH_TEST_DATABASE_URL is set), settings that ignore the developer's environment, and a
runtime wired with a recording sender."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from monitor.db.engine import make_engine
from monitor.db.migrate import upgrade
from monitor.runtime import Runtime, build_runtime
from monitor.settings import Settings, get_settings
from tests.support.fakes import RecordingSender
from tests.support.webhook import Webhook, webhook_settings

PG_BASE_URL = os.environ.get("DSWATCH_TEST_DATABASE_URL")
PG_SCHEMA = "dswatch_test"


def pg_url(schema: str) -> str:
    """The test server's URL with every connection confined to `schema`."""
    assert PG_BASE_URL
    url = make_url(PG_BASE_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def reset_pg_schema(schema: str) -> None:
    assert PG_BASE_URL
    engine = make_engine(PG_BASE_URL)
    try:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()


def pytest_report_header() -> str:
    return f"database: {'PostgreSQL ' + PG_BASE_URL if PG_BASE_URL else 'SQLite'}"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No DSWATCH_ variable or .env file of the developer's reaches a test."""
    for name in list(os.environ):
        if name.startswith("DSWATCH_") and name != "DSWATCH_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def pytest_sessionstart(session: pytest.Session) -> None:
    """The PostgreSQL pass was asked for: fail at once, plainly, if the server is not there."""
    if not PG_BASE_URL:
        return
    engine = make_engine(PG_BASE_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver or network error means the same to the user
        pytest.exit(
            f"DSWATCH_TEST_DATABASE_URL is set but PostgreSQL is not reachable ({error}); "
            "start it or unset the variable to skip the PostgreSQL pass",
            returncode=3,
        )
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrate once per session: a template SQLite file, or the PostgreSQL test schema."""
    if PG_BASE_URL:
        reset_pg_schema(PG_SCHEMA)
        url = pg_url(PG_SCHEMA)
        upgrade(url)
        return url
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(_template: str, tmp_path: Path) -> str:
    """A migrated, empty database for this test."""
    if PG_BASE_URL:
        engine = make_engine(_template)
        try:
            with engine.begin() as connection:
                tables = connection.execute(
                    text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = :schema "
                        "AND tablename <> 'alembic_version'"
                    ),
                    {"schema": PG_SCHEMA},
                ).scalars()
                names = ", ".join(f'"{PG_SCHEMA}"."{name}"' for name in tables)
                if names:
                    connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        finally:
            engine.dispose()
        return _template
    path = tmp_path / "dswatch.db"
    shutil.copyfile(_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        public_base_url="https://dswatch.example.org",
        clinic_phone="+12015550199",
    )


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def rt(settings: Settings, sender: RecordingSender) -> Iterator[Runtime]:
    runtime = build_runtime(settings, sender=sender)
    try:
        yield runtime
    finally:
        runtime.close()


@pytest.fixture
def webhook_rt(database_url: str, sender: RecordingSender) -> Iterator[Runtime]:
    """A runtime whose settings carry a Twilio auth token, so webhooks can be signed."""
    runtime = build_runtime(webhook_settings(database_url), sender=sender)
    try:
        yield runtime
    finally:
        runtime.close()


@pytest.fixture
def webhook(webhook_rt: Runtime) -> Webhook:
    return Webhook(webhook_rt)
