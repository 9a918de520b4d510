"""Build the APScheduler 3.11 scheduler: interval ticks with fixed ids, nothing per patient."""

from __future__ import annotations

import logging

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from jobs.tasks import JOBS
from monitor.runtime import Runtime

log = logging.getLogger("dswatch.jobs")


def _guarded(job_id: str, job: object, rt: Runtime) -> None:
    """Run one tick; an error is logged and the next tick tries again (the rows are still due)."""
    try:
        job(rt)  # type: ignore[operator]
    except Exception:
        log.exception("job %s failed; it will run again at its next tick", job_id)


def build_scheduler(rt: Runtime, *, blocking: bool) -> BaseScheduler:
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler: BaseScheduler = scheduler_class(
        executors={"default": ThreadPoolExecutor(max_workers=len(JOBS))},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
        timezone="UTC",
    )
    for job_id, job, seconds in JOBS:
        scheduler.add_job(
            _guarded,
            "interval",
            seconds=seconds,
            args=(job_id, job, rt),
            id=job_id,
            name=job_id,
            replace_existing=True,
        )
    return scheduler
