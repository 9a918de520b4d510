"""Job functions: read the clock once, call one service, log counts (ids only, never PHI).

The scheduler runs them on fixed intervals; the simulator calls `run_due_work` with a simulated
clock. Either way the same code decides what happens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from monitor import services
from monitor.runtime import Runtime

log = logging.getLogger("dswatch.jobs")


def dispatch_checkins(rt: Runtime) -> None:
    report = services.dispatch_due(rt, rt.clock.now())
    if report.sent or report.skipped or report.replanned:
        log.info(
            "dispatch: sent=%d skipped=%d replanned=%d",
            report.sent,
            report.skipped,
            report.replanned,
        )


def send_reminders(rt: Runtime) -> None:
    report = services.send_reminders(rt, rt.clock.now())
    if report.count:
        log.info("reminders: queued=%d", report.count)


def mark_missed(rt: Runtime) -> None:
    report = services.mark_missed(rt, rt.clock.now())
    if report.count:
        log.info("missed: marked=%d", report.count)


def close_windows(rt: Runtime) -> None:
    report = services.close_ended_windows(rt, rt.clock.now())
    if report.count:
        log.info("windows: closed=%d", report.count)


def drain_outbox(rt: Runtime) -> None:
    report = services.drain_outbox(rt)
    if report.handled:
        log.info(
            "outbox: sent=%d retried=%d failed=%d cancelled=%d expired=%d deferred=%d",
            report.sent,
            report.retried,
            report.failed,
            report.cancelled,
            report.expired,
            report.deferred,
        )


def recover_outbox(rt: Runtime) -> None:
    services.recover_lapsed(rt)


def escalate_alerts(rt: Runtime) -> None:
    rounds = services.escalate_due(rt, rt.clock.now())
    if rounds:
        log.info("escalation: alert rounds=%d", rounds)


def retry_inbound(rt: Runtime) -> None:
    count = services.process_pending(rt, rt.clock.now())
    if count:
        log.warning("inbound: retried %d messages left unprocessed", count)


Job = Callable[[Runtime], None]

# (id, function, interval in seconds). Fixed ids: re-adding replaces, never duplicates.
JOBS: tuple[tuple[str, Job, float], ...] = (
    ("dispatch_checkins", dispatch_checkins, 20.0),
    ("send_reminders", send_reminders, 30.0),
    ("mark_missed", mark_missed, 30.0),
    ("close_windows", close_windows, 60.0),
    ("escalate_alerts", escalate_alerts, 15.0),
    ("drain_outbox", drain_outbox, 1.0),
    ("recover_outbox", recover_outbox, 5.0),  # a dead sender's messages back within seconds
    ("retry_inbound", retry_inbound, 30.0),
)


def run_due_work(rt: Runtime) -> None:
    """Every job once, in the order a day unfolds (the simulator's step)."""
    for _, job, _ in JOBS:
        job(rt)
