"""Build the APScheduler 3.11 scheduler: interval ticks with fixed ids, nothing per patient."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from jobs.tasks import JOBS
from monitor.runtime import Runtime
from monitor.services.operations import record_heartbeat

log = logging.getLogger("dswatch.jobs")


def _guarded(job_id: str, job: object, rt: Runtime) -> None:
    """Run one tick and record its heartbeat; an error is logged and the next tick tries again
    (the rows are still due)."""
    started = time.perf_counter()
    ok = True
    try:
        job(rt)  # type: ignore[operator]
    except Exception:
        ok = False
        log.exception("job %s failed; it will run again at its next tick", job_id)
    elapsed_ms = (time.perf_counter() - started) * 1000
    try:
        record_heartbeat(rt, job_id, rt.clock.now(), elapsed_ms, ok)
    except Exception:
        log.exception("could not record the heartbeat of job %s", job_id)


def build_scheduler(rt: Runtime, *, blocking: bool) -> BaseScheduler:
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler: BaseScheduler = scheduler_class(
        executors={"default": ThreadPoolExecutor(max_workers=len(JOBS))},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
        timezone="UTC",
    )
    start = datetime.now(UTC) + timedelta(seconds=1)  # first ticks at once, not one interval on
    for job_id, job, seconds in JOBS:
        scheduler.add_job(
            _guarded,
            "interval",
            seconds=seconds,
            args=(job_id, job, rt),
            id=job_id,
            name=job_id,
            replace_existing=True,
            next_run_time=start,
        )
    return scheduler
