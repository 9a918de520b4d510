"""Figure 6: the idle cost at N patients, and the worker's resident memory at N patients.

Memory: a real `dswatch worker` process (the production command: scheduler, every job, Twilio
sender pointed at the stand-in) is started on a database with N check-ins due; once it has
dispatched them all and drained for a few seconds, its peak resident memory (VmHWM in
/proc/<pid>/status) is read. Bound: the same command on an empty database.

Idle tick: after N check-ins were dispatched and their messages sent, each scheduled job is
run with nothing due (median of many runs). Bound: the dispatch claim's SQL through the bare
driver in its own transaction, the least a tick that asks the database can cost.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from jobs.tasks import JOBS
from monitor import services
from monitor.db.engine import make_engine
from monitor.runtime import build_runtime
from monitor.sms.sender import LocalSender

from .common import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    PUBLIC,
    REPO,
    SERVICE_NUMBER,
    Database,
    Row,
    child_env,
    log,
    median,
    memory_mb,
    seed,
    settings_for,
)
from .sending import StandIn

DSWATCH = str(Path(sys.executable).parent / "dswatch")
SETTLE_SECONDS = 5.0


def service_env(url: str, base_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production `dswatch` process on `url`, texting the stand-in."""
    return child_env(
        DSWATCH_DATABASE_URL=url,
        DSWATCH_PUBLIC_BASE_URL=PUBLIC,
        DSWATCH_CLINIC_PHONE="+12015550199",
        DSWATCH_TWILIO_ACCOUNT_SID=ACCOUNT_SID,
        DSWATCH_TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        DSWATCH_TWILIO_FROM_NUMBER=SERVICE_NUMBER,
        DSWATCH_TWILIO_API_BASE_URL=base_url,
        DSWATCH_LOG_LEVEL="WARNING",
        **extra,
    )


def start_worker(url: str, base_url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [DSWATCH, "worker"],
        cwd=REPO,
        env=service_env(url, base_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def end(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _count(url: str, sql: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql)).scalar() or 0)
    finally:
        engine.dispose()


def worker_peak(db: Database, n: int, standin: StandIn, timeout: float = 600.0) -> float:
    """Peak RSS (MB) of `dswatch worker` dispatching N due check-ins, then draining a while."""
    worker = start_worker(db.url, standin.base_url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if worker.poll() is not None:
                raise RuntimeError(f"dswatch worker exited with {worker.returncode}")
            if _count(db.url, "SELECT count(*) FROM checkins WHERE status = 'sent'") >= n:
                break
            time.sleep(0.5)
        else:
            raise TimeoutError(f"the worker did not dispatch {n} check-ins in {timeout} s")
        time.sleep(SETTLE_SECONDS)
        peak = memory_mb(worker.pid)["VmHWM"]
    finally:
        end(worker)
    return peak


_EMPTY: list[float] = []  # the bound, measured once per bench run


def worker_memory(db: Database, n: int, repeats: int) -> Row:
    standin = StandIn(0.0)
    peaks: list[float] = []
    try:
        for repeat in range(repeats):
            seed(db, n)
            peaks.append(worker_peak(db, n, standin))
            if len(_EMPTY) < repeats:
                seed(db, 0)
                _EMPTY.append(worker_peak(db, 0, standin))
            empty = _EMPTY
            log(
                f"worker peak RSS at {n}: {peaks[-1]:.0f} MB, on an empty database "
                f"{empty[-1]:.0f} MB (run {repeat + 1}/{repeats})"
            )
    finally:
        standin.close()
    value = median(peaks)
    return Row(
        name=f"worker peak RSS at {n // 1000}k patients ({db.label})",
        value=value,
        unit="MB",
        bound=median(empty),
        target="< 200 MB",
        met=value < 200,
        note="`dswatch worker` dispatching all, then draining 5 s; bound: same, empty database",
        runs=peaks,
    )


def settle_all(db: Database) -> None:
    """Mark every queued message sent, as if the outbox had drained."""
    engine = make_engine(db.url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE messages SET status = 'sent', sent_at = updated_at, "
                    "claimed_until = NULL WHERE status IN ('queued', 'sending')"
                )
            )
        if db.kind == "postgresql":
            with engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("VACUUM ANALYZE messages, checkins, audit_log")
                )
    finally:
        engine.dispose()


def idle_ticks(db: Database, n: int, runs: int) -> list[Row]:
    """Median milliseconds of each job with nothing due, at N patients."""
    seed(db, n)
    rt = build_runtime(settings_for(db.url), sender=LocalSender(), rate_limit=False)
    try:
        report = services.dispatch_due(rt, datetime.now(UTC))
        assert report.sent == n, report
        settle_all(db)
        per_job: dict[str, float] = {}
        for job_id, job, _ in JOBS:
            job(rt)  # warm: statements compiled, connection open
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                job(rt)
                samples.append((time.perf_counter() - started) * 1000)
            per_job[job_id] = median(samples)
    finally:
        rt.close()
    bound = _bare_claim_ms(db, runs)
    slowest = max(per_job, key=lambda k: per_job[k])
    log("idle tick ms: " + ", ".join(f"{k} {v:.2f}" for k, v in per_job.items()))
    label = f"{n // 1000}k"
    return [
        Row(
            name=f"idle tick at {label}: dispatch job ({db.label})",
            value=per_job["dispatch_checkins"],
            unit="ms",
            bound=bound,
            target="< 5 ms",
            met=per_job["dispatch_checkins"] < 5,
            note=f"median of {runs}; bound: the claim's SQL through the bare driver",
        ),
        Row(
            name=f"idle tick at {label}: slowest job, {slowest} ({db.label})",
            value=per_job[slowest],
            unit="ms",
            bound=bound,
            target="< 5 ms",
            met=per_job[slowest] < 5,
            note="all jobs: " + ", ".join(f"{k} {v:.2f}" for k, v in per_job.items()),
        ),
    ]


def _bare_claim_ms(db: Database, runs: int) -> float:
    pg = db.kind == "postgresql"
    sql = (
        "SELECT id, patient_id, local_date, due_at FROM checkins "
        "WHERE status = 'scheduled' AND due_at <= {mark} ORDER BY due_at, id LIMIT 1000"
        + (" FOR UPDATE SKIP LOCKED" if pg else "")
    ).format(mark="%s" if pg else "?")
    now: Any = datetime.now(UTC)
    if not pg:
        now = now.strftime("%Y-%m-%d %H:%M:%S.%f")
    engine = make_engine(db.url)
    samples = []
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            for index in range(runs + 1):
                started = time.perf_counter()
                if not pg:
                    cursor.execute("BEGIN IMMEDIATE")
                cursor.execute(sql, (now,))
                cursor.fetchall()
                if pg:
                    raw.commit()
                else:
                    cursor.execute("COMMIT")
                if index:
                    samples.append((time.perf_counter() - started) * 1000)
        finally:
            raw.close()
    finally:
        engine.dispose()
    return median(samples)
