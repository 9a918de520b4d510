"""Schedule arithmetic: local instants across DST, quiet hours, next check-in, reminder, missed,
stale and closing instants.

Expected UTC instants are written out by hand from the published tz rules (offsets and
transition dates), never computed with the code under test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from monitor.domain.schedule import (
    CheckinTimings,
    QuietHours,
    after_quiet_hours,
    checkin_time_allowed,
    closing_at,
    is_quiet,
    is_stale,
    local_instant,
    missed_at,
    next_checkin,
    reminder_at,
)
from monitor.domain.windows import Course

NEW_YORK = ZoneInfo("America/New_York")
MADRID = ZoneInfo("Europe/Madrid")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
KOLKATA = ZoneInfo("Asia/Kolkata")
SAO_PAULO = ZoneInfo("America/Sao_Paulo")
SYDNEY = ZoneInfo("Australia/Sydney")
TOKYO = ZoneInfo("Asia/Tokyo")
HONOLULU = ZoneInfo("Pacific/Honolulu")

QUIET = QuietHours(time(21, 0), time(8, 0))
NO_QUIET = QuietHours(time(0, 0), time(0, 0))
TIMINGS = CheckinTimings(reminder_after=timedelta(minutes=180), missed_after=timedelta(minutes=360))
NINE = time(9, 0)


def utc(text: str) -> datetime:
    """An aware UTC instant from 'YYYY-MM-DDTHH:MM[:SS]'."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# 14-day course starting 2026-03-02: monitored 2026-03-02 .. 2026-03-15, across NY's spring DST.
TRETINOIN = Course(drug="tretinoin", start=date(2026, 3, 2), window_days=14)


# --- local_instant ----------------------------------------------------------------------------

LOCAL_INSTANT_CASES = [
    # America/New_York: EST -05:00, EDT -04:00; 2026-03-08 02:00 -> 03:00, 2026-11-01 02:00 -> 01:00
    (NEW_YORK, date(2026, 3, 7), NINE, "2026-03-07T14:00"),
    (NEW_YORK, date(2026, 3, 8), time(1, 59), "2026-03-08T06:59"),
    (NEW_YORK, date(2026, 3, 8), time(2, 0), "2026-03-08T07:00"),
    (NEW_YORK, date(2026, 3, 8), time(2, 30), "2026-03-08T07:00"),
    (NEW_YORK, date(2026, 3, 8), time(3, 0), "2026-03-08T07:00"),
    (NEW_YORK, date(2026, 3, 8), NINE, "2026-03-08T13:00"),
    (NEW_YORK, date(2026, 10, 31), NINE, "2026-10-31T13:00"),
    (NEW_YORK, date(2026, 11, 1), time(0, 59), "2026-11-01T04:59"),
    (NEW_YORK, date(2026, 11, 1), time(1, 30), "2026-11-01T05:30"),
    (NEW_YORK, date(2026, 11, 1), NINE, "2026-11-01T14:00"),
    # Europe/Madrid: CET +01:00, CEST +02:00; 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00
    (MADRID, date(2026, 3, 29), time(2, 30), "2026-03-29T01:00"),
    (MADRID, date(2026, 3, 29), NINE, "2026-03-29T07:00"),
    (MADRID, date(2026, 10, 25), time(2, 30), "2026-10-25T00:30"),
    (MADRID, date(2026, 10, 25), NINE, "2026-10-25T08:00"),
    # Australia/Lord_Howe: +10:30 standard, +11:00 summer, a 30-minute shift.
    # 2026-10-04 02:00 -> 02:30 (02:15 missing); 2026-04-05 02:00 -> 01:30 (01:45 twice).
    (LORD_HOWE, date(2026, 10, 3), NINE, "2026-10-02T22:30"),
    (LORD_HOWE, date(2026, 10, 4), time(2, 15), "2026-10-03T15:30"),
    (LORD_HOWE, date(2026, 10, 4), NINE, "2026-10-03T22:00"),
    (LORD_HOWE, date(2026, 4, 5), time(1, 45), "2026-04-04T14:45"),
    (LORD_HOWE, date(2026, 4, 5), NINE, "2026-04-04T22:30"),
    # Asia/Kolkata: +05:30 all year.
    (KOLKATA, date(2026, 1, 15), NINE, "2026-01-15T03:30"),
    (KOLKATA, date(2026, 7, 15), NINE, "2026-07-15T03:30"),
    (KOLKATA, date(2026, 3, 8), time(0, 0), "2026-03-07T18:30"),
    # America/Sao_Paulo: -03:00 since 2019; in 2018 DST began at midnight (00:00 -> 01:00, -02:00).
    (SAO_PAULO, date(2026, 1, 15), NINE, "2026-01-15T12:00"),
    (SAO_PAULO, date(2026, 7, 15), NINE, "2026-07-15T12:00"),
    (SAO_PAULO, date(2018, 11, 4), time(0, 0), "2018-11-04T03:00"),
    # Australia/Sydney: AEST +10:00, AEDT +11:00;
    # 2026-10-04 02:00 -> 03:00, 2026-04-05 03:00 -> 02:00
    (SYDNEY, date(2026, 1, 15), NINE, "2026-01-14T22:00"),
    (SYDNEY, date(2026, 7, 15), NINE, "2026-07-14T23:00"),
    (SYDNEY, date(2026, 10, 4), time(2, 30), "2026-10-03T16:00"),
    (SYDNEY, date(2026, 4, 5), time(2, 30), "2026-04-04T15:30"),
]
LOCAL_INSTANT_IDS = [
    "new-york-day-before-spring-0900-is-14Z",
    "new-york-spring-0159-still-est",
    "new-york-spring-0200-missing-moves-to-0300-edt",
    "new-york-spring-0230-missing-moves-to-0300-edt",
    "new-york-spring-0300-edt",
    "new-york-spring-0900-is-13Z",
    "new-york-day-before-fall-0900-edt",
    "new-york-fall-0059-edt",
    "new-york-fall-0130-ambiguous-first-is-edt",
    "new-york-fall-0900-is-14Z",
    "madrid-spring-0230-missing-moves-to-0300-cest",
    "madrid-spring-0900-cest",
    "madrid-fall-0230-ambiguous-first-is-cest",
    "madrid-fall-0900-cet",
    "lord-howe-day-before-spring-0900-plus-1030",
    "lord-howe-spring-0215-missing-moves-to-0230-plus-11",
    "lord-howe-spring-0900-plus-11",
    "lord-howe-fall-0145-ambiguous-first-is-plus-11",
    "lord-howe-fall-0900-plus-1030",
    "kolkata-january",
    "kolkata-july",
    "kolkata-midnight-is-previous-utc-day",
    "sao-paulo-january-no-dst",
    "sao-paulo-july",
    "sao-paulo-2018-midnight-missing-moves-to-0100",
    "sydney-summer-aedt",
    "sydney-winter-aest",
    "sydney-spring-0230-missing-moves-to-0300",
    "sydney-fall-0230-ambiguous-first-is-aedt",
]


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"), LOCAL_INSTANT_CASES, ids=LOCAL_INSTANT_IDS
)
def test_local_instant(zone: ZoneInfo, day: date, at: time, expected: str) -> None:
    got = local_instant(day, at, zone)
    assert got == utc(expected)
    assert got.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "zone",
    [NEW_YORK, MADRID, LORD_HOWE, KOLKATA, SAO_PAULO, SYDNEY],
    ids=["new-york", "madrid", "lord-howe", "kolkata", "sao-paulo", "sydney"],
)
@pytest.mark.parametrize("at", [time(0, 0), time(2, 30), NINE], ids=["0000", "0230", "0900"])
def test_local_instant_keeps_each_day_on_its_own_local_date(zone: ZoneInfo, at: time) -> None:
    """Every day of a year gets an instant on that local date, strictly after the day before."""
    day, previous = date(2026, 1, 1), None
    while day.year == 2026:
        got = local_instant(day, at, zone)
        assert got.astimezone(zone).date() == day
        assert previous is None or got > previous
        previous, day = got, day + timedelta(days=1)


# --- quiet hours --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quiet", "local", "expected"),
    [
        (QUIET, time(20, 59), False),
        (QUIET, time(21, 0), True),
        (QUIET, time(23, 59), True),
        (QUIET, time(0, 0), True),
        (QUIET, time(7, 59), True),
        (QUIET, time(8, 0), False),
        (QUIET, time(12, 0), False),
        (QuietHours(time(13, 0), time(15, 0)), time(12, 59), False),
        (QuietHours(time(13, 0), time(15, 0)), time(13, 0), True),
        (QuietHours(time(13, 0), time(15, 0)), time(14, 59), True),
        (QuietHours(time(13, 0), time(15, 0)), time(15, 0), False),
        (QuietHours(time(8, 0), time(8, 0)), time(8, 0), False),
        (QuietHours(time(8, 0), time(8, 0)), time(0, 0), False),
        (QuietHours(time(8, 0), time(8, 0)), time(21, 0), False),
    ],
    ids=[
        "wrapping-2059-no",
        "wrapping-2100-yes",
        "wrapping-2359-yes",
        "wrapping-midnight-yes",
        "wrapping-0759-yes",
        "wrapping-0800-no",
        "wrapping-noon-no",
        "daytime-1259-no",
        "daytime-1300-yes",
        "daytime-1459-yes",
        "daytime-1500-no",
        "off-0800-no",
        "off-midnight-no",
        "off-2100-no",
    ],
)
def test_quiet_hours_contains(quiet: QuietHours, local: time, expected: bool) -> None:
    assert quiet.contains(local) is expected


@pytest.mark.parametrize(
    ("at", "allowed"),
    [(time(8, 0), True), (time(20, 59), True), (time(21, 0), False), (time(7, 59), False)],
    ids=["0800-ok", "2059-ok", "2100-refused", "0759-refused"],
)
def test_checkin_time_allowed(at: time, allowed: bool) -> None:
    assert checkin_time_allowed(at, QUIET) is allowed


@pytest.mark.parametrize(
    ("zone", "instant", "expected"),
    [
        (NEW_YORK, "2026-03-10T00:59", False),  # 20:59 EDT
        (NEW_YORK, "2026-03-10T01:00", True),  # 21:00 EDT
        (NEW_YORK, "2026-03-10T11:59", True),  # 07:59 EDT
        (NEW_YORK, "2026-03-10T12:00", False),  # 08:00 EDT
        (KOLKATA, "2026-03-10T15:30", True),  # 21:00 IST
        (KOLKATA, "2026-03-10T15:29", False),  # 20:59 IST
    ],
    ids=[
        "new-york-2059",
        "new-york-2100",
        "new-york-0759",
        "new-york-0800",
        "kolkata-2100",
        "kolkata-2059",
    ],
)
def test_is_quiet_reads_the_local_clock(zone: ZoneInfo, instant: str, expected: bool) -> None:
    assert is_quiet(utc(instant), zone, QUIET) is expected


@pytest.mark.parametrize(
    ("zone", "quiet", "instant", "expected"),
    [
        (NEW_YORK, QUIET, "2026-03-09T14:00", "2026-03-09T14:00"),
        (NEW_YORK, QUIET, "2026-03-08T04:00", "2026-03-08T12:00"),
        (NEW_YORK, QUIET, "2026-03-08T10:00", "2026-03-08T12:00"),
        (NEW_YORK, QUIET, "2026-11-01T02:00", "2026-11-01T13:00"),
        (MADRID, QUIET, "2026-03-10T20:00", "2026-03-11T07:00"),
        (MADRID, QUIET, "2026-03-10T07:00", "2026-03-10T07:00"),
        (MADRID, QUIET, "2026-03-10T06:59", "2026-03-10T07:00"),
        (LORD_HOWE, QUIET, "2026-10-03T11:30", "2026-10-03T21:00"),
        (KOLKATA, QuietHours(time(1, 0), time(6, 0)), "2026-03-09T21:30", "2026-03-10T00:30"),
        (NEW_YORK, NO_QUIET, "2026-03-08T04:00", "2026-03-08T04:00"),
    ],
    ids=[
        "outside-unchanged",
        "new-york-2300-est-night-into-spring-forward-ends-0800-edt",
        "new-york-0600-edt-ends-0800-same-day",
        "new-york-2200-edt-night-into-fall-back-ends-0800-est",
        "madrid-2100-exactly-waits-for-next-morning",
        "madrid-0800-exactly-unchanged",
        "madrid-0759-waits-one-minute",
        "lord-howe-2200-night-into-spring-ends-0800-plus-11",
        "non-wrapping-0300-ends-0600-same-day",
        "quiet-hours-off-unchanged",
    ],
)
def test_after_quiet_hours(zone: ZoneInfo, quiet: QuietHours, instant: str, expected: str) -> None:
    assert after_quiet_hours(utc(instant), zone, quiet) == utc(expected)


# --- next_checkin -------------------------------------------------------------------------------

HELD = Course(
    drug="tretinoin",
    start=date(2026, 3, 2),
    window_days=14,
    hold=date(2026, 3, 5),
    resume=date(2026, 3, 10),
)  # monitored 03-02 .. 03-04 and 03-10 .. 03-23


@pytest.mark.parametrize(
    ("courses", "zone", "at", "not_before", "after_day", "expected"),
    [
        ([TRETINOIN], NEW_YORK, NINE, "2026-02-20T12:00", None, ("2026-03-02", "2026-03-02T14:00")),
        ([TRETINOIN], NEW_YORK, NINE, "2026-03-02T12:00", None, ("2026-03-02", "2026-03-02T14:00")),
        ([TRETINOIN], NEW_YORK, NINE, "2026-03-02T14:00", None, ("2026-03-02", "2026-03-02T14:00")),
        (
            [TRETINOIN],
            NEW_YORK,
            NINE,
            "2026-03-02T14:00:01",
            None,
            ("2026-03-03", "2026-03-03T14:00"),
        ),
        (
            [TRETINOIN],
            NEW_YORK,
            NINE,
            "2026-03-07T14:00:01",
            None,
            ("2026-03-08", "2026-03-08T13:00"),
        ),
        (
            [TRETINOIN],
            NEW_YORK,
            NINE,
            "2026-03-05T12:00",
            "2026-03-05",
            ("2026-03-06", "2026-03-06T14:00"),
        ),
        (
            [TRETINOIN],
            NEW_YORK,
            NINE,
            "2026-03-02T12:00",
            "2026-03-04",
            ("2026-03-05", "2026-03-05T14:00"),
        ),
        (
            [HELD],
            NEW_YORK,
            NINE,
            "2026-03-04T14:00:01",
            "2026-03-04",
            ("2026-03-10", "2026-03-10T13:00"),
        ),
        ([HELD], NEW_YORK, NINE, "2026-03-06T00:00", None, ("2026-03-10", "2026-03-10T13:00")),
        ([TRETINOIN], NEW_YORK, NINE, "2026-03-15T13:00", None, ("2026-03-15", "2026-03-15T13:00")),
        ([TRETINOIN], NEW_YORK, NINE, "2026-03-15T13:00:01", None, None),
        ([TRETINOIN], NEW_YORK, NINE, "2026-03-14T12:00", "2026-03-15", None),
        (
            [TRETINOIN],
            NEW_YORK,
            time(2, 30),
            "2026-03-07T08:00",
            "2026-03-07",
            ("2026-03-08", "2026-03-08T07:00"),
        ),
        ([TRETINOIN], KOLKATA, NINE, "2026-03-01T22:00", None, ("2026-03-02", "2026-03-02T03:30")),
        ([TRETINOIN], KOLKATA, NINE, "2026-03-02T03:31", None, ("2026-03-03", "2026-03-03T03:30")),
    ],
    ids=[
        "before-the-course-first-day",
        "not-before-earlier-than-the-day-instant",
        "not-before-exactly-the-day-instant",
        "not-before-after-the-day-instant-next-day",
        "across-spring-forward-0900-edt",
        "after-day-excludes-today",
        "after-day-excludes-up-to-it",
        "hold-gap-jumps-to-resume",
        "inside-hold-gap-jumps-to-resume",
        "last-day-still-due",
        "window-ended-none",
        "after-day-is-last-day-none",
        "checkin-time-in-the-dst-gap-moves-to-0300-edt",
        "kolkata-utc-day-before-is-local-day",
        "kolkata-after-the-instant-next-day",
    ],
)
def test_next_checkin(
    courses: list[Course],
    zone: ZoneInfo,
    at: time,
    not_before: str,
    after_day: str | None,
    expected: tuple[str, str] | None,
) -> None:
    got = next_checkin(
        courses,
        zone,
        at,
        utc(not_before),
        date.fromisoformat(after_day) if after_day else None,
    )
    if expected is None:
        assert got is None
    else:
        assert got == (date.fromisoformat(expected[0]), utc(expected[1]))


@pytest.mark.parametrize(
    ("new_zone", "after_day", "expected"),
    [
        (TOKYO, "2026-03-10", ("2026-03-11", "2026-03-11T00:00")),
        (HONOLULU, "2026-03-10", ("2026-03-11", "2026-03-11T19:00")),
        # Without after_day the same local date would come round again in Honolulu.
        (HONOLULU, None, ("2026-03-10", "2026-03-10T19:00")),
    ],
    ids=["moved-east-to-tokyo", "moved-west-to-honolulu", "west-without-after-day-repeats-date"],
)
def test_next_checkin_after_timezone_change(
    new_zone: ZoneInfo, after_day: str | None, expected: tuple[str, str]
) -> None:
    """The last check-in went out in New York on 2026-03-10 at 09:00 EDT (13:00Z); then the
    patient moved."""
    got = next_checkin(
        [TRETINOIN],
        new_zone,
        NINE,
        utc("2026-03-10T13:00:01"),
        date.fromisoformat(after_day) if after_day else None,
    )
    assert got == (date.fromisoformat(expected[0]), utc(expected[1]))


@pytest.mark.parametrize(
    "zones",
    [
        [NEW_YORK] * 4 + [TOKYO] * 4 + [HONOLULU] * 6,
        [HONOLULU] * 5 + [KOLKATA] * 5 + [NEW_YORK] * 4,
        [LORD_HOWE, HONOLULU] * 7,
    ],
    ids=["new-york-tokyo-honolulu", "honolulu-kolkata-new-york", "lord-howe-honolulu-daily-flip"],
)
def test_timezone_changes_mid_course_never_repeat_or_skip_a_local_date(
    zones: list[ZoneInfo],
) -> None:
    """Plan like the service does: after each check-in, plan the next from just after it,
    excluding the dates already used, in whatever zone the patient has now."""
    not_before, after_day = utc("2026-03-01T00:00"), None
    dates: list[date] = []
    instants: list[datetime] = []
    for zone in zones:
        found = next_checkin([TRETINOIN], zone, NINE, not_before, after_day)
        assert found is not None
        day, due = found
        dates.append(day)
        instants.append(due)
        not_before, after_day = due + timedelta(seconds=1), day
    assert next_checkin([TRETINOIN], zones[-1], NINE, not_before, after_day) is None
    assert dates == [date(2026, 3, 2) + timedelta(days=n) for n in range(14)]
    assert instants == sorted(instants)
    assert len(set(instants)) == len(instants)


# --- reminder, missed, stale, closing -----------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "sent_at", "expected"),
    [
        (NEW_YORK, "2026-03-10T13:00", "2026-03-10T16:00"),  # 09:00 EDT -> 12:00 EDT
        (NEW_YORK, "2026-03-10T21:59", "2026-03-11T00:59"),  # 17:59 -> 20:59 EDT
        (NEW_YORK, "2026-03-10T22:00", None),  # 18:00 -> 21:00 EDT, quiet
        (NEW_YORK, "2026-03-10T23:00", None),  # 19:00 -> 22:00 EDT, quiet
        (KOLKATA, "2026-03-10T12:30", None),  # 18:00 -> 21:00 IST, quiet
        (KOLKATA, "2026-03-10T12:29", "2026-03-10T15:29"),  # 17:59 -> 20:59 IST
        # Sent 2026-03-08 00:30 EST is already quiet, and 03:30 EST + 3 h is 04:30 EDT: quiet.
        (NEW_YORK, "2026-03-08T05:30", None),
    ],
    ids=[
        "morning-checkin-reminded-at-noon",
        "reminder-at-2059-allowed",
        "reminder-at-2100-skipped",
        "checkin-1900-reminder-in-quiet-hours-skipped",
        "kolkata-reminder-at-2100-skipped",
        "kolkata-reminder-at-2059-allowed",
        "night-of-spring-forward-skipped",
    ],
)
def test_reminder_at(zone: ZoneInfo, sent_at: str, expected: str | None) -> None:
    got = reminder_at(utc(sent_at), zone, TIMINGS, QUIET)
    assert got == (utc(expected) if expected else None)


def test_missed_at_is_360_minutes_after_the_checkin() -> None:
    assert missed_at(utc("2026-03-10T13:00"), TIMINGS) == utc("2026-03-10T19:00")


@pytest.mark.parametrize(
    ("now", "stale"),
    [
        ("2026-03-10T12:00", False),
        ("2026-03-10T13:00", False),
        ("2026-03-10T18:59:59", False),
        ("2026-03-10T19:00", False),
        ("2026-03-10T19:00:01", True),
        ("2026-03-11T13:00", True),
    ],
    ids=[
        "before-due",
        "on-time",
        "just-under-360-min-late",
        "exactly-360-min-late-not-stale",
        "360-min-and-1-s-late-stale",
        "a-day-late",
    ],
)
def test_is_stale(now: str, stale: bool) -> None:
    assert is_stale(utc("2026-03-10T13:00"), utc(now), TIMINGS) is stale


@pytest.mark.parametrize(
    ("courses", "zone", "quiet", "expected"),
    [
        ([TRETINOIN], NEW_YORK, QUIET, "2026-03-16T12:00"),  # 08:00 EDT on 03-16
        ([TRETINOIN], NEW_YORK, NO_QUIET, "2026-03-16T04:00"),  # 00:00 EDT on 03-16
        ([TRETINOIN], KOLKATA, QuietHours(time(22, 0), time(6, 0)), "2026-03-16T00:30"),
        ([HELD], NEW_YORK, QUIET, "2026-03-24T12:00"),  # resumed 03-10 for 14 days
        (
            [Course(drug="tretinoin", start=date(2026, 10, 19), window_days=14)],
            NEW_YORK,
            QUIET,
            "2026-11-02T13:00",  # last day 11-01 (fall back); 08:00 EST on 11-02
        ),
        (
            [Course(drug="tretinoin", start=date(2018, 10, 21), window_days=14)],
            SAO_PAULO,
            NO_QUIET,
            "2018-11-04T03:00",  # midnight of 11-04 did not exist: 01:00 -02:00
        ),
        (
            [
                Course(
                    drug="tretinoin", start=date(2026, 3, 2), window_days=14, hold=date(2026, 3, 2)
                )
            ],
            NEW_YORK,
            QUIET,
            None,
        ),
        ([], NEW_YORK, QUIET, None),
    ],
    ids=[
        "day-after-last-moved-to-0800",
        "quiet-hours-off-midnight",
        "kolkata-quiet-ends-0600",
        "after-the-resumed-window",
        "after-fall-back-0800-est",
        "sao-paulo-2018-missing-midnight",
        "held-on-day-one-never-monitored",
        "no-courses",
    ],
)
def test_closing_at(
    courses: list[Course], zone: ZoneInfo, quiet: QuietHours, expected: str | None
) -> None:
    got = closing_at(courses, zone, quiet)
    assert got == (utc(expected) if expected else None)
