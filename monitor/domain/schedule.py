"""Schedule arithmetic in the patient's local calendar, safe across DST changes.

All instants returned are aware UTC datetimes; local dates and times are interpreted in the
patient's IANA zone with zoneinfo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from monitor.domain.windows import Course, last_monitored_day, next_monitored_day

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class QuietHours:
    """Local hours with no routine messages. start == end switches quiet hours off."""

    start: time
    end: time

    def contains(self, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


@dataclass(frozen=True)
class CheckinTimings:
    reminder_after: timedelta
    missed_after: timedelta


def _exists(local: datetime) -> bool:
    """True when this wall-clock time happens in its zone (is not in a spring-forward gap)."""
    round_trip = local.astimezone(UTC).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `at` on local `day`.

    A time that does not exist (spring forward) moves forward to the first valid instant, the
    moment the clocks jump; an ambiguous one (fall back) takes the first occurrence.
    """
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    if _exists(wall):
        return wall.astimezone(UTC)
    # Inside a gap: the transition lies between the wall time read with the later offset
    # (an instant before the jump) and with the earlier offset (an instant after it).
    before = wall.replace(fold=1).astimezone(UTC)
    after = wall.replace(fold=0).astimezone(UTC)
    if before > after:
        before, after = after, before
    target_offset = after.astimezone(zone).utcoffset()
    low, high = before, after
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == target_offset:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def is_quiet(instant: datetime, zone: ZoneInfo, quiet: QuietHours) -> bool:
    return quiet.contains(instant.astimezone(zone).time())


def after_quiet_hours(instant: datetime, zone: ZoneInfo, quiet: QuietHours) -> datetime:
    """`instant` itself when it is outside quiet hours, else the instant quiet hours end."""
    local = instant.astimezone(zone)
    if not quiet.contains(local.time()):
        return instant
    end_day = local.date()
    if quiet.start > quiet.end and local.time() >= quiet.start:
        end_day += ONE_DAY
    return local_instant(end_day, quiet.end, zone)


def checkin_time_allowed(at: time, quiet: QuietHours) -> bool:
    return not quiet.contains(at)


def next_checkin(
    courses: Sequence[Course],
    zone: ZoneInfo,
    at: time,
    not_before: datetime,
    after_day: date | None = None,
) -> tuple[date, datetime] | None:
    """The next check-in (local date, UTC instant) no earlier than `not_before`.

    `after_day` excludes dates up to and including it (the last date that already has a check-in,
    which matters when the patient's timezone changed). None when every window has closed.
    """
    candidate = local_date(not_before, zone)
    if after_day is not None and candidate <= after_day:
        candidate = after_day + ONE_DAY
    while True:
        day = next_monitored_day(courses, candidate)
        if day is None:
            return None
        due = local_instant(day, at, zone)
        if due >= not_before:
            return day, due
        candidate = day + ONE_DAY


def reminder_at(
    sent_at: datetime, zone: ZoneInfo, timings: CheckinTimings, quiet: QuietHours
) -> datetime | None:
    """When to remind about an unanswered check-in; None when that would fall in quiet hours."""
    when = sent_at + timings.reminder_after
    return None if is_quiet(when, zone, quiet) else when


def missed_at(sent_at: datetime, timings: CheckinTimings) -> datetime:
    return sent_at + timings.missed_after


def is_stale(due_at: datetime, now: datetime, timings: CheckinTimings) -> bool:
    """A check-in more than the missed delay late is skipped, never sent as a backlog."""
    return now - due_at > timings.missed_after


def closing_at(courses: Sequence[Course], zone: ZoneInfo, quiet: QuietHours) -> datetime | None:
    """When the closing message is due: the start of the day after the last monitored day,
    moved past quiet hours (routine messages wait for them to end)."""
    last = last_monitored_day(courses)
    if last is None:
        return None
    return after_quiet_hours(local_instant(last + ONE_DAY, time(0, 0), zone), zone, quiet)
