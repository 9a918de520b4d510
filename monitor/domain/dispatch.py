"""What to do with a planned check-in whose instant has come."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from monitor.domain.schedule import CheckinTimings, QuietHours, is_quiet, is_stale
from monitor.domain.windows import Course, is_monitored


class DueAction(StrEnum):
    SEND = "send"
    SKIP = "skip"  # too late (an outage) or now inside quiet hours: recorded, not sent
    REPLAN = "replan"  # the day is no longer monitored (a window was shortened): plan again


def due_action(
    *,
    local_day: date,
    due_at: datetime,
    now: datetime,
    courses: Sequence[Course],
    zone: ZoneInfo,
    quiet: QuietHours,
    timings: CheckinTimings,
) -> DueAction:
    if not is_monitored(courses, local_day):
        return DueAction.REPLAN
    if is_stale(due_at, now, timings) or is_quiet(now, zone, quiet):
        return DueAction.SKIP
    return DueAction.SEND
