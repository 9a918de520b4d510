"""INSERT ... ON CONFLICT for both SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from monitor.db.models import Base


def dialect_insert(bind: Session | Engine | Connection) -> ModuleType:
    """The dialect module whose `insert` has `on_conflict_do_*` for this database."""
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    return postgresql if engine.dialect.name == "postgresql" else sqlite


def insert_ignoring_conflicts(
    session: Session, model: type[Base], rows: Sequence[dict[str, Any]], unique: Sequence[str]
) -> None:
    """Insert rows, skipping any that would repeat a unique key (so retries are harmless).

    On the table itself, as one Core executemany: the ORM's bulk-insert bookkeeping per row cost
    more than the database did when dispatch queues thousands of messages.
    """
    if not rows:
        return
    table = Base.metadata.tables[model.__tablename__]
    statement = dialect_insert(session).insert(table)
    statement = statement.on_conflict_do_nothing(index_elements=list(unique))
    session.execute(statement, list(rows))
