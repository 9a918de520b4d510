"""Figure 2: the peer design, one APScheduler 3.11 cron job per patient in a SQLAlchemyJobStore.

The tutorial design: at enrolment (or start-up) `add_job(send_checkin, CronTrigger(hour, minute,
timezone=patient's), id=f"checkin-{id}", replace_existing=True)` into a job store on the same
database. Measured in its own process (bench.child peer) for the same N patients: the time to
register them all, the rate at which the scheduler fires them once they are all due (the job
does nothing; misfire_grace_time=None so none is dropped), and its peak resident memory.

Compared with ours, measured in the same run: dispatch of real check-ins (figure 1) against the
peer's no-op fire rate, and the peak memory of `dswatch worker` at N (figure 6) against the
peer's.
"""

from __future__ import annotations

from typing import Any

from .common import Database, Row, log, median, read_message, seed, spawn, stop


def peer_once(db: Database, n: int) -> dict[str, Any]:
    seed(db, n)
    process = spawn(["peer", "--url", db.url])
    try:
        result = read_message(process, timeout=3600)
    finally:
        stop(process)
    if result["fired"] != n:
        raise RuntimeError(f"the peer fired {result['fired']} of {n} jobs")
    return result


def measure(db: Database, n: int, repeats: int) -> dict[str, Any]:
    runs = []
    for repeat in range(repeats):
        runs.append(peer_once(db, n))
        last = runs[-1]
        log(
            f"peer {db.label} {n}: registered in {last['registered_s']:.1f} s, fired "
            f"{n / last['fire_s']:.0f}/s, peak RSS {last['peak_rss_mb']:.0f} MB "
            f"(run {repeat + 1}/{repeats})"
        )
    return {
        "register_s": median([r["registered_s"] for r in runs]),
        "fire_rate": median([n / r["fire_s"] for r in runs]),
        "peak_mb": median([r["peak_rss_mb"] for r in runs]),
        "fire_rates": [n / r["fire_s"] for r in runs],
        "runs": len(runs),
    }


def rows(
    db: Database,
    n: int,
    peer: dict[str, Any],
    our_rate: float | None,
    our_peak_mb: float | None,
) -> list[Row]:
    label = f"{n // 1000}k"
    runs = f"median of {peer['runs']}" if peer["runs"] > 1 else "one run"
    result = [
        Row(
            name=f"peer: register {label} cron jobs ({db.label})",
            value=peer["register_s"],
            unit="s",
            note=f"{runs}; {n / peer['register_s']:.0f} jobs/s; ours registers nothing "
            "(a patient is a row); no target set by the issue",
        )
    ]
    if our_rate is not None:
        result.append(
            Row(
                name=f"dispatch vs peer no-op fire rate, {label} ({db.label})",
                value=our_rate,
                unit="per s",
                bound=peer["fire_rate"],
                target="ratio >= 10",
                met=our_rate / peer["fire_rate"] >= 10,
                note=f"ours: real check-ins (figure 1); peer: jobs that do nothing, {runs}",
                runs=peer["fire_rates"],
            )
        )
    if our_peak_mb is not None:
        result.append(
            Row(
                name=f"worker vs peer peak RSS, {label} ({db.label})",
                value=our_peak_mb,
                unit="MB",
                bound=peer["peak_mb"],
                target="ratio <= 0.2 (5x smaller)",
                met=our_peak_mb / peer["peak_mb"] <= 0.2,
                note=f"ours: `dswatch worker` (figure 6); peer: registering then firing, {runs}",
            )
        )
    return result
