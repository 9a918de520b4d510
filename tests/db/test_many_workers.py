"""Four real `dswatch worker` processes against PostgreSQL and 20,000 due check-ins.

Invariant 2: any number of workers may run at once with no duplicates. The proof is counted
where it matters, at the (stand-in) provider: every patient receives exactly one check-in.
Run with `pytest -s` to see the figures.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitor.db.engine import make_engine
from monitor.db.migrate import upgrade
from monitor.db.models import CheckIn, Message
from monitor.domain.states import CheckinStatus, OutboxStatus
from tests.conftest import PG_BASE_URL, pg_url, reset_pg_schema
from tests.support.processes import (
    DswatchProcess,
    copies_per_phone,
    problems_in_logs,
    progress,
    seed_due_checkins,
    stopping,
    utcnow,
    wait_until,
)
from tests.support.twilio_standin import TwilioStandIn

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not PG_BASE_URL,
        reason="needs PostgreSQL: set DSWATCH_TEST_DATABASE_URL "
        "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)",
    ),
]

SCHEMA = "dswatch_mp"
PATIENTS = 20_000
WORKERS = 4
TIMEOUT = 75.0  # seconds for the whole send; it takes far less


def test_four_workers_send_each_of_20000_checkins_exactly_once(tmp_path: Path) -> None:
    reset_pg_schema(SCHEMA)
    url = pg_url(SCHEMA)
    upgrade(url)
    engine = make_engine(url)
    try:
        seed = seed_due_checkins(engine, PATIENTS, utcnow())
        with TwilioStandIn() as standin:
            workers = [
                DswatchProcess.worker(url, standin, tmp_path / f"worker{n}.log")
                for n in range(WORKERS)
            ]
            started = time.monotonic()
            with stopping(workers):
                up = max(worker.wait_for_log("worker started", 30) for worker in workers)
                first = wait_until(
                    lambda: standin.count() > 0, 30, interval=0.05, watch=workers, what="a send"
                )
                dispatched = wait_until(
                    lambda: not progress(engine, seed).dispatching,
                    TIMEOUT,
                    watch=workers,
                    what="dispatch of every due check-in",
                )
                wait_until(
                    lambda: progress(engine, seed).done(PATIENTS),
                    TIMEOUT,
                    watch=workers,
                    what="every check-in to be sent",
                )
                elapsed = time.monotonic() - started
                exits = [worker.stop() for worker in workers]
            log_problems = problems_in_logs(workers)
            per_phone = copies_per_phone(standin)
            attempts = standin.create_attempts
        final = progress(engine, seed)
        with engine.connect() as connection:
            tomorrow = connection.scalar(
                select(func.count()).where(
                    CheckIn.status == CheckinStatus.SCHEDULED,
                    CheckIn.local_date == seed.local_date + timedelta(days=1),
                )
            )
            unsent = connection.scalar(
                select(func.count()).where(
                    Message.status.in_((OutboxStatus.QUEUED, OutboxStatus.SENDING))
                )
            )
    finally:
        engine.dispose()

    histogram = Counter(per_phone.values())
    print(
        f"\n{PATIENTS} check-ins, {WORKERS} worker processes: all sent in {elapsed:.1f} s "
        f"({PATIENTS / elapsed:.0f}/s); processes up after {up:.1f} s (first ticks 1 s later), "
        f"first send after {up + first:.1f} s, dispatch done after "
        f"{up + first + dispatched:.1f} s; creates at the stand-in {attempts}; "
        f"copies per patient {dict(histogram)}; worker exit codes {exits}"
    )
    assert set(per_phone) == seed.phones, "every patient got a check-in, nobody else did"
    doubled = {phone: n for phone, n in per_phone.items() if n > 1}
    assert not doubled, f"{len(doubled)} patients got more than one check-in"
    assert attempts == PATIENTS
    assert final.checkins_sent == PATIENTS and final.checkins_other == 0
    assert final.outbox == {OutboxStatus.SENT: PATIENTS}
    assert unsent == 0
    assert tomorrow == PATIENTS, "each dispatch planned the patient's next check-in"
    assert exits == [0] * WORKERS, "SIGTERM stops a worker cleanly"
    assert not log_problems, log_problems
