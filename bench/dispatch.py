"""Figure 1: dispatch N check-ins due in the same minute, against bare batched writes.

Ours: `services.dispatch_due` claims the due check-ins in batches, decides each, and writes per
batch the check-in update, the outbox message, the next planned check-in and the audit row
(sender excluded). Bound: the very rows it wrote, read back, written again to a freshly seeded
database through the same driver (DBAPI `executemany`, one transaction per batch of the same
size), with no claim, no reads and no decisions.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from monitor import services
from monitor.db.engine import make_engine
from monitor.runtime import build_runtime
from monitor.services.dispatch import BATCH
from monitor.sms.sender import LocalSender

from .common import Database, Row, log, median, seed, settings_for

MESSAGE_COLUMNS = (
    "direction",
    "kind",
    "priority",
    "patient_id",
    "nurse_id",
    "checkin_id",
    "escalation_id",
    "in_reply_to",
    "processed_at",
    "to_phone",
    "from_phone",
    "body",
    "idempotency_key",
    "status",
    "delivery_status",
    "provider_sid",
    "attempts",
    "next_attempt_at",
    "claimed_until",
    "in_doubt_since",
    "expires_at",
    "last_error",
    "error_code",
    "created_at",
    "sent_at",
    "updated_at",
)
AUDIT_COLUMNS = ("at", "actor", "action", "entity", "entity_id", "detail")


@dataclass
class Written:
    """What one dispatch wrote, as the driver returns it."""

    updated: list[tuple[Any, ...]]  # (status, sent_at, remind_at, deadline_at, id)
    planned: list[tuple[Any, ...]]
    messages: list[tuple[Any, ...]]
    audit: list[tuple[Any, ...]]


def dispatch_once(db: Database, n: int) -> float:
    """Seconds for `dispatch_due` to handle the N due check-ins (fresh runtime, warm pool)."""
    rt = build_runtime(settings_for(db.url), sender=LocalSender(), rate_limit=False)
    try:
        with rt.sessions() as session:  # open the pool's first connection outside the timing
            session.connection()
        started = time.perf_counter()
        report = services.dispatch_due(rt, datetime.now(UTC))
        elapsed = time.perf_counter() - started
    finally:
        rt.close()
    if report.sent != n:
        raise RuntimeError(f"dispatch sent {report.sent} of {n} (skipped {report.skipped})")
    return elapsed


def capture(db: Database) -> Written:
    engine = make_engine(db.url)
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()

            def rows(sql: str) -> list[tuple[Any, ...]]:
                cursor.execute(sql)
                return [tuple(r) for r in cursor.fetchall()]

            written = Written(
                updated=rows(
                    "SELECT status, sent_at, remind_at, deadline_at, id FROM checkins "
                    "WHERE status = 'sent' ORDER BY id"
                ),
                planned=rows(
                    "SELECT patient_id, local_date, due_at, status FROM checkins "
                    "WHERE status = 'scheduled' ORDER BY id"
                ),
                messages=rows(f"SELECT {', '.join(MESSAGE_COLUMNS)} FROM messages ORDER BY id"),
                audit=rows(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_log ORDER BY id"),
            )
            raw.rollback()
        finally:
            raw.close()
    finally:
        engine.dispose()
    if db.kind == "postgresql":
        from psycopg.types.json import Json

        written.audit = [
            (*row[:-1], None if row[-1] is None else Json(row[-1])) for row in written.audit
        ]
    return written


def bare_writes(db: Database, written: Written, batch: int = BATCH) -> float:
    """Seconds to write the same rows with the driver's executemany, one transaction per batch.

    (Multi-row INSERT ... VALUES and unnest() were tried too: on psycopg 3, whose executemany
    pipelines the statements, neither was faster; on SQLite the difference is a few percent.)
    """
    pg = db.kind == "postgresql"
    mark = "%s" if pg else "?"

    def insert(table: str, columns: tuple[str, ...]) -> str:
        return (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(mark for _ in columns)})"
        )

    update_sql = (
        f"UPDATE checkins SET status = {mark}, sent_at = {mark}, remind_at = {mark}, "
        f"deadline_at = {mark} WHERE id = {mark}"
    )
    planned_sql = insert("checkins", ("patient_id", "local_date", "due_at", "status"))
    message_sql = insert("messages", MESSAGE_COLUMNS)
    audit_sql = insert("audit_log", AUDIT_COLUMNS)
    engine = make_engine(db.url)
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            started = time.perf_counter()
            for low in range(0, len(written.updated), batch):
                high = low + batch
                if not pg:
                    cursor.execute("BEGIN IMMEDIATE")
                cursor.executemany(update_sql, written.updated[low:high])
                cursor.executemany(message_sql, written.messages[low:high])
                cursor.executemany(planned_sql, written.planned[low:high])
                cursor.executemany(audit_sql, written.audit[low:high])
                if pg:
                    raw.commit()
                else:
                    cursor.execute("COMMIT")
            elapsed = time.perf_counter() - started
        finally:
            raw.close()
    finally:
        engine.dispose()
    return elapsed


def measure(db: Database, n: int, repeats: int) -> tuple[list[float], list[float]]:
    """Seconds for ours and for the bound, `repeats` times each, alternating which goes first."""
    ours: list[float] = []
    bound: list[float] = []
    written: Written | None = None
    for repeat in range(repeats):
        order = ("ours", "bound") if repeat % 2 == 0 or written is None else ("bound", "ours")
        for which in order:
            seed(db, n)
            if which == "ours":
                ours.append(dispatch_once(db, n))
                if written is None:
                    written = capture(db)
                    if len(written.messages) != n or len(written.updated) != n:
                        raise RuntimeError("dispatch did not send one message per check-in")
            else:
                assert written is not None
                bound.append(bare_writes(db, written))
        log(
            f"dispatch {db.label} {n}: ours {ours[-1]:.3f} s, bound {bound[-1]:.3f} s "
            f"(run {repeat + 1}/{repeats})"
        )
    return ours, bound


def rows_for(db: Database, n: int, ours: list[float], bound: list[float]) -> list[Row]:
    rate, bound_rate = n / median(ours), n / median(bound)
    label = f"{n // 1000}k"
    result = [
        Row(
            name=f"dispatch {label}, {db.label}",
            value=rate,
            unit="check-ins/s",
            bound=bound_rate,
            target="ratio >= 0.33 (within 3x of bare writes)",
            met=rate / bound_rate >= 1 / 3,
            note=f"median of {len(ours)}: {median(ours):.3f} s vs {median(bound):.3f} s",
            runs=[n / s for s in ours],
        )
    ]
    if n == 100_000 and db.kind == "postgresql":
        result.append(
            Row(
                name="dispatch 100k, PostgreSQL: elapsed",
                value=median(ours),
                unit="s",
                bound=median(bound),
                target="<= 5 s",
                met=median(ours) <= 5.0,
                runs=ours,
            )
        )
    return result


def run(dbs: list[Database], sizes: list[int], repeats: dict[int, int]) -> tuple[list[Row], dict]:
    """Rows, and the median dispatch rate per (database, size) for the peer comparison."""
    rows: list[Row] = []
    rates: dict[tuple[str, int], float] = {}
    for db in dbs:
        for n in sizes:
            ours, bound = measure(db, n, repeats[n])
            rows.extend(rows_for(db, n, ours, bound))
            rates[(db.kind, n)] = n / median(ours)
    return rows, rates


if __name__ == "__main__":  # a quick look: python -m bench.dispatch sqlite 10000
    import sys

    from .common import workdir

    with workdir() as folder:
        database = Database(sys.argv[1], folder)
        size = int(sys.argv[2])
        a, b = measure(database, size, int(sys.argv[3]) if len(sys.argv) > 3 else 1)
        print(json.dumps({"ours": a, "bound": b}))
        database.drop()
