"""What operators watch: job heartbeats, health, and the numbers behind /metrics and `status`.

Everything is read from the database, so any web process reports on every worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from monitor.db.models import CheckIn, Escalation, Heartbeat, Message
from monitor.db.upsert import dialect_insert
from monitor.domain.states import Direction, OutboxStatus, Priority
from monitor.runtime import Runtime

HEARTBEAT_STALE = timedelta(minutes=3)  # a job this long without a run means no worker runs it
URGENT_STUCK = timedelta(minutes=2)  # an alert due this long and unsent: the outbox is stuck
ROUTINE_STUCK = timedelta(minutes=30)
NO_PROGRESS = timedelta(minutes=5)


def record_heartbeat(rt: Runtime, job: str, now: datetime, duration_ms: float, ok: bool) -> None:
    module = dialect_insert(rt.engine)
    statement = module.insert(Heartbeat).values(
        job=job, finished_at=now, duration_ms=duration_ms, ok=ok, runs=1
    )
    statement = statement.on_conflict_do_update(
        index_elements=["job"],
        set_={
            "finished_at": statement.excluded.finished_at,
            "duration_ms": statement.excluded.duration_ms,
            "ok": statement.excluded.ok,
            "runs": Heartbeat.runs + 1,
        },
    )
    with rt.sessions.begin() as session:
        session.execute(statement)


@dataclass(frozen=True)
class JobState:
    job: str
    age_seconds: float
    duration_ms: float
    ok: bool
    runs: int


@dataclass
class Snapshot:
    """Counts and ages at one instant."""

    outbox_depth: dict[int, int] = field(default_factory=dict)  # queued and sending, by priority
    oldest_due_seconds: dict[str, float] = field(default_factory=dict)  # urgent / routine
    sent_by_kind: dict[str, int] = field(default_factory=dict)
    failed_by_code: dict[str, int] = field(default_factory=dict)
    delivery: dict[str, int] = field(default_factory=dict)
    checkins: dict[str, int] = field(default_factory=dict)
    open_escalations: dict[str, int] = field(default_factory=dict)
    oldest_open_escalation_seconds: float = 0.0
    last_sent_seconds: float | None = None
    jobs: list[JobState] = field(default_factory=list)


def snapshot(rt: Runtime, now: datetime) -> Snapshot:
    out = Snapshot()
    with rt.sessions() as session:
        pending = (OutboxStatus.QUEUED, OutboxStatus.SENDING)
        for priority, count in session.execute(
            select(Message.priority, func.count())
            .where(Message.status.in_(pending))
            .group_by(Message.priority)
        ):
            out.outbox_depth[int(priority)] = int(count)
        for band, condition in (
            ("urgent", Message.priority < Priority.ROUTINE),
            ("routine", Message.priority >= Priority.ROUTINE),
        ):
            oldest = session.scalar(
                select(func.min(Message.next_attempt_at)).where(
                    Message.status == OutboxStatus.QUEUED,
                    condition,
                    Message.next_attempt_at <= now,
                )
            )
            out.oldest_due_seconds[band] = _age(now, oldest)
        outbound = Message.direction == Direction.OUTBOUND
        for kind, count in session.execute(
            select(Message.kind, func.count())
            .where(outbound, Message.status == OutboxStatus.SENT)
            .group_by(Message.kind)
        ):
            out.sent_by_kind[str(kind)] = int(count)
        for code, count in session.execute(
            select(Message.error_code, func.count())
            .where(outbound, Message.status == OutboxStatus.FAILED)
            .group_by(Message.error_code)
        ):
            out.failed_by_code[str(code or "none")] = int(count)
        for status, count in session.execute(
            select(Message.delivery_status, func.count())
            .where(outbound, Message.delivery_status.is_not(None))
            .group_by(Message.delivery_status)
        ):
            out.delivery[str(status)] = int(count)
        for status, count in session.execute(
            select(CheckIn.status, func.count()).group_by(CheckIn.status)
        ):
            out.checkins[str(status)] = int(count)
        unacked = Escalation.acknowledged_at.is_(None)
        for level, count in session.execute(
            select(Escalation.level, func.count()).where(unacked).group_by(Escalation.level)
        ):
            out.open_escalations[str(level)] = int(count)
        oldest_open = session.scalar(select(func.min(Escalation.created_at)).where(unacked))
        out.oldest_open_escalation_seconds = _age(now, oldest_open)
        last_sent = session.scalar(select(func.max(Message.sent_at)).where(outbound))
        out.last_sent_seconds = _age(now, last_sent) if last_sent else None
        for beat in session.scalars(select(Heartbeat).order_by(Heartbeat.job)):
            out.jobs.append(
                JobState(
                    beat.job,
                    _age(now, beat.finished_at),
                    beat.duration_ms,
                    beat.ok,
                    beat.runs,
                )
            )
    return out


def _age(now: datetime, then: datetime | None) -> float:
    if then is None:
        return 0.0
    if then.tzinfo is None:  # aggregates on SQLite come back naive (they are UTC)
        then = then.replace(tzinfo=now.tzinfo)
    return max(0.0, (now - then).total_seconds())


@dataclass(frozen=True)
class Health:
    ok: bool
    checks: dict[str, str]


def health(rt: Runtime, now: datetime, expected_jobs: list[str]) -> Health:
    """Database reachable, every scheduled job run recently, outbox making progress."""
    try:
        with rt.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        state = snapshot(rt, now)
    except SQLAlchemyError:
        return Health(False, {"database": "unreachable"})
    checks = {"database": "ok"}
    seen = {job.job: job for job in state.jobs}
    stale = [
        job
        for job in expected_jobs
        if job not in seen or seen[job].age_seconds > HEARTBEAT_STALE.total_seconds()
    ]
    checks["scheduler"] = "ok" if not stale else "stale: " + ", ".join(stale)
    urgent_age = state.oldest_due_seconds.get("urgent", 0.0)
    routine_age = state.oldest_due_seconds.get("routine", 0.0)
    idle = state.last_sent_seconds is None or state.last_sent_seconds > NO_PROGRESS.total_seconds()
    if urgent_age > URGENT_STUCK.total_seconds():
        checks["outbox"] = f"stuck: an alert or reply has waited {urgent_age:.0f} s"
    elif routine_age > ROUTINE_STUCK.total_seconds() and idle:
        checks["outbox"] = f"stuck: routine messages have waited {routine_age:.0f} s"
    else:
        checks["outbox"] = "ok"
    return Health(all(value == "ok" for value in checks.values()), checks)
