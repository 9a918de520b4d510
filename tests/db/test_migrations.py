"""Migrations: up from empty, down to nothing, up again, and the models agree with them, on
SQLite and (with DSWATCH_TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from monitor.db.engine import make_engine
from monitor.db.migrate import current_revision, downgrade, upgrade
from monitor.db.models import Base
from monitor.db.schema_check import head_revision
from tests.conftest import PG_BASE_URL, pg_url, reset_pg_schema

MIGRATION_SCHEMA = "dswatch_migrations"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    if not PG_BASE_URL:
        pytest.skip("PostgreSQL pass: set DSWATCH_TEST_DATABASE_URL")
    reset_pg_schema(MIGRATION_SCHEMA)
    yield pg_url(MIGRATION_SCHEMA)


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def drift(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_and_no_drift(empty_url: str) -> None:
    upgrade(empty_url)
    assert current_revision(empty_url) == head_revision(empty_url)
    assert tables(empty_url) == set(Base.metadata.tables)
    assert drift(empty_url) == []

    downgrade(empty_url, "base")
    assert current_revision(empty_url) is None
    assert tables(empty_url) == set()

    upgrade(empty_url)
    assert tables(empty_url) == set(Base.metadata.tables)
    assert drift(empty_url) == []


def test_each_step_down_and_up_again(empty_url: str) -> None:
    upgrade(empty_url)
    for target in ("0003", "0002", "0001", "0002", "0003", "head"):
        (downgrade if target < (current_revision(empty_url) or "") else upgrade)(empty_url, target)
        if target != "head":
            assert current_revision(empty_url) == target
    assert drift(empty_url) == []


def test_the_audit_log_is_append_only(empty_url: str) -> None:
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO audit_log (at, actor, action, entity, entity_id) "
                    "VALUES (:at, 'test', 'x.y', 'patient', 1)"
                ),
                {"at": datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)},
            )
        for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
                connection.execute(text(statement))
    finally:
        engine.dispose()
