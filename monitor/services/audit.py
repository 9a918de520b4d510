"""Append to the audit log: who did what to which row, and when. Ids and states, never PHI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.orm import Session

from monitor.db.models import AuditEntry, Base

# The table itself, not the mapped class: a Core INSERT skips the ORM's bulk-insert bookkeeping,
# which cost more than the database did when dispatch writes thousands of entries at a time.
_AUDIT = Base.metadata.tables[AuditEntry.__tablename__]


def audit(
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    **detail: Any,
) -> None:
    # One parameter set, not a list of one: a list goes the executemany way (on psycopg a
    # pipeline set up and torn down for a single row), which cost more than the INSERT.
    session.execute(insert(_AUDIT), _row(at, actor, action, entity, entity_id, detail))


def _row(
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "detail": detail or None,
    }


def audit_many(
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entries: Iterable[tuple[int, dict[str, Any] | None]],
) -> None:
    """One row per entity in a single executemany (dispatch writes thousands at a time)."""
    audit_entries(session, at, actor, [(action, entity, id_, detail) for id_, detail in entries])


def audit_entries(
    session: Session,
    at: datetime,
    actor: str,
    entries: Sequence[tuple[str, str, int | None, dict[str, Any] | None]],
) -> None:
    """Several entries of one actor at one instant, in one INSERT: (action, entity, id, detail)."""
    rows = [_row(at, actor, *entry) for entry in entries]
    if rows:
        session.execute(insert(_AUDIT), rows)


def audit_ids(
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    table: Table,
    ids: Sequence[int],
) -> None:
    """One row without detail per id of `table` (the entity's table), in one INSERT ... SELECT.

    The same rows as `audit_many(..., [(id, None) for id in ids])`, by id order, but built by
    the database from the ids: nothing is bound row by row.
    """
    if not ids:
        return
    columns = _AUDIT.c

    def value(name: str, given: Any) -> Any:
        return bindparam(f"audit_{name}", given, type_=columns[name].type)

    rows = (
        select(
            value("at", at),
            value("actor", actor),
            value("action", action),
            value("entity", entity),
            table.c.id,
            value("detail", None),
        )
        .where(table.c.id.in_(ids))
        .order_by(table.c.id)
    )
    names = ["at", "actor", "action", "entity", "entity_id", "detail"]
    session.execute(insert(_AUDIT).from_select(names, rows))
