"""`dswatch status`: the operator's glance (the same numbers as /metrics and /healthz)."""

from __future__ import annotations

import typer
from rich.table import Table

from jobs.tasks import JOBS
from monitor.cli.common import console, runtime
from monitor.services.operations import health, snapshot


def status() -> None:
    """Health checks, outbox depth, open escalations, and when each job last ran."""
    with runtime() as rt:
        now = rt.clock.now()
        report = health(rt, now, [job_id for job_id, _, _ in JOBS])
        state = snapshot(rt, now)
    checks = Table("check", "state", title="Health")
    for name, value in report.checks.items():
        checks.add_row(name, value, style=None if value == "ok" else "bold red")
    console.print(checks)
    outbox = Table("priority", "queued or sending", title="Outbox")
    for priority, count in sorted(state.outbox_depth.items()):
        outbox.add_row(str(priority), str(count))
    console.print(outbox)
    for band, age in state.oldest_due_seconds.items():
        console.print(f"oldest due {band} message: {age:.0f} s")
    escalations = Table("level", "open", title="Unacknowledged escalations")
    for level, count in sorted(state.open_escalations.items()):
        escalations.add_row(level, str(count))
    console.print(escalations)
    jobs = Table("job", "last run", "duration", "ok", "runs", title="Jobs")
    for job in state.jobs:
        jobs.add_row(
            job.job,
            f"{job.age_seconds:.0f} s ago",
            f"{job.duration_ms:.1f} ms",
            "yes" if job.ok else "NO",
            str(job.runs),
        )
    console.print(jobs)
    failed = ", ".join(f"{code}: {n}" for code, n in sorted(state.failed_by_code.items()))
    console.print(f"failed sends by code: {failed or 'none'}")
    if not report.ok:
        raise typer.Exit(1)
