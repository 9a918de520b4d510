"""The scheduler is only the clock: a few interval jobs with fixed ids, nothing per patient."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text

import jobs.scheduler
from jobs.scheduler import _guarded, build_scheduler
from jobs.tasks import JOBS
from monitor import services
from monitor.runtime import Runtime
from monitor.services.importing import ImportPlan
from tests.support.builders import PATIENT_PHONE, TEAM, add_team, enrol

NOW = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
JOB_IDS = {job_id for job_id, _, _ in JOBS}


def started(scheduler: BaseScheduler) -> BaseScheduler:
    """Start without running anything, so jobs get their defaults as the real start gives."""
    scheduler.start(paused=True)
    return scheduler


def enrol_many(rt: Runtime, count: int) -> None:
    plan = ImportPlan(rows=count)
    plan.patients = [
        (
            [n],
            services.EnrolmentRequest(
                name=f"Patient {n}",
                phone=f"+1201555{n:04d}",
                timezone="America/New_York",
                language="en",
                checkin_time="09:00",
                care_team=TEAM,
                courses=(services.CourseRequest("tretinoin", date(2026, 3, 2)),),
            ),
        )
        for n in range(1000, 1000 + count)
    ]
    services.write_import(rt, plan, NOW)


def test_the_jobs_are_the_fixed_list_with_safe_defaults(rt: Runtime) -> None:
    scheduler = started(build_scheduler(rt, blocking=False))
    try:
        assert isinstance(scheduler, BackgroundScheduler)
        found = scheduler.get_jobs()
        assert sorted(job.id for job in found) == sorted(JOB_IDS)
        assert len(found) == len(JOBS)
        intervals = {job_id: seconds for job_id, _, seconds in JOBS}
        functions = {job_id: function for job_id, function, _ in JOBS}
        for job in found:
            assert job.coalesce is True
            assert job.max_instances == 1
            assert isinstance(job.trigger, IntervalTrigger)
            assert job.trigger.interval == timedelta(seconds=intervals[job.id])
            assert job.func is _guarded
            assert job.args == (job.id, functions[job.id], rt)
    finally:
        scheduler.shutdown(wait=False)


def test_the_worker_gets_a_blocking_scheduler_with_the_same_jobs(rt: Runtime) -> None:
    scheduler = build_scheduler(rt, blocking=True)
    assert isinstance(scheduler, BlockingScheduler)
    assert {job.id for job in scheduler.get_jobs()} == JOB_IDS


def test_the_fixed_jobs_cover_the_daily_cycle() -> None:
    assert {
        "dispatch_checkins",
        "send_reminders",
        "mark_missed",
        "close_windows",
        "drain_outbox",
    } <= JOB_IDS


def test_the_number_of_jobs_does_not_grow_with_patients(rt: Runtime) -> None:
    add_team(rt, NOW)
    enrol(rt, NOW)
    with_one = len(build_scheduler(rt, blocking=False).get_jobs())
    enrol_many(rt, 500)
    assert len(services.list_patients(rt)) == 501
    with_many = len(build_scheduler(rt, blocking=False).get_jobs())
    assert with_one == with_many == len(JOBS)


class RecordingScheduler(BackgroundScheduler):
    """The real scheduler, remembering how each job was added."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.added: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def add_job(self, *args: Any, **kwargs: Any) -> Any:
        self.added.append((args, kwargs))
        return super().add_job(*args, **kwargs)


def test_adding_the_jobs_again_replaces_them(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs.scheduler, "BackgroundScheduler", RecordingScheduler)
    scheduler = build_scheduler(rt, blocking=False)
    assert isinstance(scheduler, RecordingScheduler)
    assert [kwargs["id"] for _, kwargs in scheduler.added] == [job_id for job_id, _, _ in JOBS]
    assert all(kwargs["replace_existing"] is True for _, kwargs in scheduler.added)

    started(scheduler)
    try:
        for args, kwargs in list(scheduler.added):  # as a second start-up would
            scheduler.add_job(*args, **kwargs)
        assert sorted(job.id for job in scheduler.get_jobs()) == sorted(JOB_IDS)
    finally:
        scheduler.shutdown(wait=False)


def test_building_twice_gives_two_independent_schedulers_with_one_job_per_id(
    rt: Runtime,
) -> None:
    first = build_scheduler(rt, blocking=False)
    second = build_scheduler(rt, blocking=False)
    assert first is not second
    for scheduler in (first, second):
        ids = [job.id for job in scheduler.get_jobs()]
        assert sorted(ids) == sorted(JOB_IDS)


def test_a_failing_job_is_logged_and_not_raised(
    rt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_: Runtime) -> None:
        raise RuntimeError("database went away")

    with caplog.at_level(logging.ERROR, logger="dswatch.jobs"):
        _guarded("dispatch_checkins", broken, rt)

    [record] = caplog.records
    assert record.name == "dswatch.jobs"
    assert record.levelno == logging.ERROR
    assert "dispatch_checkins" in record.getMessage()
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)


def test_a_job_that_succeeds_is_called_with_the_runtime(rt: Runtime) -> None:
    seen: list[Runtime] = []
    _guarded("drain_outbox", seen.append, rt)
    assert seen == [rt]


def test_a_job_that_raises_does_not_stop_the_scheduler(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = threading.Semaphore(0)
    ticks = threading.Semaphore(0)

    def broken(_: Runtime) -> None:
        failures.release()
        raise RuntimeError("boom")

    def healthy(_: Runtime) -> None:
        ticks.release()

    fast = (("broken", broken, 0.05), ("healthy", healthy, 0.05))
    monkeypatch.setattr(jobs.scheduler, "JOBS", fast)
    scheduler = build_scheduler(rt, blocking=False)
    scheduler.start()
    try:
        for _ in range(3):  # the failing job keeps being run, and so does the other one
            assert failures.acquire(timeout=5)
            assert ticks.acquire(timeout=5)
        assert scheduler.running
        assert {job.id for job in scheduler.get_jobs()} == {"broken", "healthy"}
    finally:
        scheduler.shutdown(wait=True)


def test_a_failed_database_job_logs_no_phone_number(
    rt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    def query_by_phone(rt: Runtime) -> None:
        with rt.sessions() as session:
            session.execute(
                text("SELECT id FROM no_such_table WHERE phone = :phone"), {"phone": PATIENT_PHONE}
            )

    with caplog.at_level(logging.ERROR, logger="dswatch.jobs"):
        _guarded("dispatch_checkins", query_by_phone, rt)

    assert "no_such_table" in caplog.text  # the failure is logged, with its traceback
    assert PATIENT_PHONE not in caplog.text
