"""INSERT ... ON CONFLICT DO NOTHING for both SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from monitor.db.models import Base


def insert_ignoring_conflicts(
    session: Session, model: type[Base], rows: Sequence[dict[str, Any]], unique: Sequence[str]
) -> None:
    """Insert rows, skipping any that would repeat a unique key (so retries are harmless).

    On the table itself, as one Core executemany: the ORM's bulk-insert bookkeeping per row cost
    more than the database did when dispatch queues thousands of messages.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    table = Base.metadata.tables[model.__tablename__]
    statement = module.insert(table).on_conflict_do_nothing(index_elements=list(unique))
    session.execute(statement, list(rows))
