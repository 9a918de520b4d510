"""What the dispatcher does with a planned check-in whose instant has come."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from monitor.domain.dispatch import DueAction, due_action
from monitor.domain.schedule import CheckinTimings, QuietHours
from monitor.domain.windows import Course

NEW_YORK = ZoneInfo("America/New_York")
QUIET = QuietHours(time(21, 0), time(8, 0))
TIMINGS = CheckinTimings(reminder_after=timedelta(minutes=180), missed_after=timedelta(minutes=360))
ATRA = Course(drug="tretinoin", start=date(2026, 3, 2), window_days=14)  # 03-02 .. 03-15
HELD = Course(drug="tretinoin", start=date(2026, 3, 2), window_days=14, hold=date(2026, 3, 5))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


DUE = utc("2026-03-05T14:00")  # 09:00 EST on 03-05
EVENING_DUE = utc("2026-03-06T01:00")  # 20:00 EST on 03-05


@pytest.mark.parametrize(
    ("courses", "local_day", "due_at", "now", "expected"),
    [
        ([ATRA], date(2026, 3, 5), DUE, DUE, DueAction.SEND),
        ([ATRA], date(2026, 3, 5), DUE, utc("2026-03-05T14:00:59"), DueAction.SEND),
        ([ATRA], date(2026, 3, 5), DUE, utc("2026-03-05T20:00"), DueAction.SEND),
        ([ATRA], date(2026, 3, 5), DUE, utc("2026-03-05T20:00:01"), DueAction.SKIP),
        ([ATRA], date(2026, 3, 5), DUE, utc("2026-03-06T14:00"), DueAction.SKIP),
        ([ATRA], date(2026, 3, 5), EVENING_DUE, utc("2026-03-06T01:59"), DueAction.SEND),
        ([ATRA], date(2026, 3, 5), EVENING_DUE, utc("2026-03-06T02:00"), DueAction.SKIP),
        ([HELD], date(2026, 3, 5), DUE, DUE, DueAction.REPLAN),
        ([HELD], date(2026, 3, 5), DUE, utc("2026-03-07T00:00"), DueAction.REPLAN),
        (
            [ATRA],
            date(2026, 3, 16),
            utc("2026-03-16T13:00"),
            utc("2026-03-16T13:00"),
            DueAction.REPLAN,
        ),
        ([], date(2026, 3, 5), DUE, DUE, DueAction.REPLAN),
    ],
    ids=[
        "on-time-send",
        "a-tick-late-send",
        "exactly-360-min-late-send",
        "360-min-and-1-s-late-skip-stale",
        "a-day-late-after-outage-skip",
        "evening-checkin-before-2100-send",
        "evening-checkin-reached-at-2100-skip-quiet",
        "day-held-replan",
        "day-held-and-stale-replan-first",
        "window-ended-replan",
        "no-courses-replan",
    ],
)
def test_due_action(
    courses: list[Course], local_day: date, due_at: datetime, now: datetime, expected: DueAction
) -> None:
    got = due_action(
        local_day=local_day,
        due_at=due_at,
        now=now,
        courses=courses,
        zone=NEW_YORK,
        quiet=QUIET,
        timings=TIMINGS,
    )
    assert got is expected
