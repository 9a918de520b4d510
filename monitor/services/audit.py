"""Append to the audit log: who did what to which row, and when. Ids and states, never PHI."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from monitor.db.models import AuditEntry


def audit(
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    **detail: Any,
) -> None:
    session.execute(
        insert(AuditEntry),
        [
            {
                "at": at,
                "actor": actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "detail": detail or None,
            }
        ],
    )


def audit_many(
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entries: Iterable[tuple[int, dict[str, Any] | None]],
) -> None:
    """One row per entity in a single executemany (dispatch writes thousands at a time)."""
    rows = [
        {
            "at": at,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "detail": detail,
        }
        for entity_id, detail in entries
    ]
    if rows:
        session.execute(insert(AuditEntry), rows)
