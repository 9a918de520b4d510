"""Refuse to run against a database whose schema is not at the latest migration."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from monitor.db.migrate import alembic_config


class SchemaNotCurrent(RuntimeError):
    pass


def head_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def ensure_current(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    head = head_revision(url)
    if current != head:
        where = "empty" if current is None else f"at revision {current}"
        raise SchemaNotCurrent(
            f"the database schema is {where}, the code needs {head}: run `dswatch db upgrade`"
        )
