"""Risk windows: which local dates each course, and all of a patient's courses, keep monitored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from monitor.domain.windows import (
    Course,
    CourseError,
    course_spans,
    is_monitored,
    last_monitored_day,
    monitored_days,
    monitored_spans,
    next_monitored_day,
)


def d(month: int, day: int) -> date:
    return date(2026, month, day)


def course(
    start: date,
    window_days: int = 14,
    *,
    hold: date | None = None,
    resume: date | None = None,
    stop: date | None = None,
    drug: str = "tretinoin",
) -> Course:
    return Course(
        drug=drug, start=start, window_days=window_days, hold=hold, resume=resume, stop=stop
    )


S = d(3, 2)  # a Monday; 14 days later (exclusive) is 2026-03-16

# --- one course -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "expected"),
    [
        (course(S), [(d(3, 2), d(3, 15))]),
        (course(S, 1), [(d(3, 2), d(3, 2))]),
        (course(S, 180, drug="ivosidenib"), [(d(3, 2), d(8, 28))]),
        (course(S, hold=d(3, 6)), [(d(3, 2), d(3, 5))]),
        (course(S, hold=S), []),
        (course(S, hold=d(3, 16)), [(d(3, 2), d(3, 15))]),
        (course(S, hold=d(3, 30)), [(d(3, 2), d(3, 15))]),
        (course(S, hold=d(3, 6), resume=d(3, 7)), [(d(3, 2), d(3, 5)), (d(3, 7), d(3, 20))]),
        (course(S, hold=d(3, 6), resume=d(4, 20)), [(d(3, 2), d(3, 5)), (d(4, 20), d(5, 3))]),
        (course(S, hold=S, resume=d(3, 3)), [(d(3, 3), d(3, 16))]),
        (course(S, stop=d(3, 9)), [(d(3, 2), d(3, 8))]),
        (course(S, stop=d(3, 3)), [(d(3, 2), d(3, 2))]),
        (course(S, stop=d(3, 16)), [(d(3, 2), d(3, 15))]),
        (course(S, stop=d(5, 1)), [(d(3, 2), d(3, 15))]),
        (
            course(S, hold=d(3, 6), resume=d(3, 10), stop=d(3, 12)),
            [(d(3, 2), d(3, 5)), (d(3, 10), d(3, 11))],
        ),
        (course(S, hold=d(3, 6), resume=d(3, 10), stop=d(3, 8)), [(d(3, 2), d(3, 5))]),
        (course(S, hold=d(3, 6), resume=d(3, 10), stop=d(3, 10)), [(d(3, 2), d(3, 5))]),
    ],
    ids=[
        "14-days-covers-start-to-start-plus-13",
        "1-day-window",
        "180-days",
        "hold-stops-from-the-hold-day",
        "hold-on-day-one-nothing",
        "hold-the-day-after-the-window-changes-nothing",
        "hold-long-after-the-window-changes-nothing",
        "resume-the-next-day-restarts-a-full-window",
        "resume-weeks-later-restarts-a-full-window",
        "held-on-day-one-then-resumed",
        "stop-ends-the-day-before",
        "stop-the-day-after-start-leaves-one-day",
        "stop-the-day-after-the-window-changes-nothing",
        "stop-long-after-changes-nothing",
        "stop-cuts-the-resumed-span",
        "stop-before-the-resume-drops-it",
        "stop-on-the-resume-day-drops-it",
    ],
)
def test_course_spans(one: Course, expected: list[tuple[date, date]]) -> None:
    assert course_spans(one) == expected


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"window_days": 0}, ["0 days", "at least 1"]),
        ({"window_days": -3}, ["-3 days", "at least 1"]),
        ({"hold": d(3, 1)}, ["hold", "2026-03-01", "before", "2026-03-02"]),
        ({"resume": d(3, 10)}, ["resume", "hold"]),
        ({"hold": d(3, 6), "resume": d(3, 6)}, ["resume", "2026-03-06", "after", "hold"]),
        ({"hold": d(3, 6), "resume": d(3, 4)}, ["resume", "2026-03-04", "2026-03-06"]),
        ({"stop": S}, ["stop", "2026-03-02", "after", "start"]),
        ({"stop": d(2, 20)}, ["stop", "2026-02-20", "2026-03-02"]),
    ],
    ids=[
        "window-0",
        "window-negative",
        "hold-before-start",
        "resume-without-hold",
        "resume-on-hold-day",
        "resume-before-hold",
        "stop-on-start-day",
        "stop-before-start",
    ],
)
def test_invalid_course_dates_raise_a_useful_error(
    kwargs: dict[str, object], words: list[str]
) -> None:
    fields: dict[str, object] = {"drug": "tretinoin", "start": S, "window_days": 14} | kwargs
    with pytest.raises(CourseError) as caught:
        Course(**fields)  # type: ignore[arg-type]
    message = str(caught.value)
    for word in words:
        assert word in message


def test_course_error_is_a_value_error() -> None:
    assert issubclass(CourseError, ValueError)


# --- several courses --------------------------------------------------------------------------

ATRA = course(S)  # 03-02 .. 03-15
ATO_SAME_DAY = course(S, drug="arsenic_trioxide")
ATO_OVERLAP = course(d(3, 10), drug="arsenic_trioxide")  # 03-10 .. 03-23
ATO_ADJACENT = course(d(3, 16), drug="arsenic_trioxide")  # 03-16 .. 03-29
ATO_DISJOINT = course(d(3, 17), drug="arsenic_trioxide")  # 03-17 .. 03-30
IVO_LONG = course(d(2, 20), 180, drug="ivosidenib")  # 02-20 .. 08-18
ATRA_HELD = course(S, hold=d(3, 6), resume=d(3, 12))  # 03-02 .. 03-05, 03-12 .. 03-25
GILT_IN_GAP = course(d(3, 6), 3, drug="gilteritinib")  # 03-06 .. 03-08

SPAN_CASES = [
    ([], []),
    ([ATRA], [(d(3, 2), d(3, 15))]),
    ([ATRA, ATO_SAME_DAY], [(d(3, 2), d(3, 15))]),
    ([ATRA, ATO_OVERLAP], [(d(3, 2), d(3, 23))]),
    ([ATO_OVERLAP, ATRA], [(d(3, 2), d(3, 23))]),
    ([ATRA, ATO_ADJACENT], [(d(3, 2), d(3, 29))]),
    ([ATRA, ATO_DISJOINT], [(d(3, 2), d(3, 15)), (d(3, 17), d(3, 30))]),
    ([ATRA, IVO_LONG], [(d(2, 20), d(8, 18))]),
    ([ATRA_HELD], [(d(3, 2), d(3, 5)), (d(3, 12), d(3, 25))]),
    ([ATRA_HELD, GILT_IN_GAP], [(d(3, 2), d(3, 8)), (d(3, 12), d(3, 25))]),
    ([ATRA_HELD, ATO_OVERLAP], [(d(3, 2), d(3, 5)), (d(3, 10), d(3, 25))]),
]
SPAN_IDS = [
    "no-courses",
    "one-course",
    "two-drugs-same-start",
    "overlapping-merge",
    "overlapping-given-in-reverse-order",
    "adjacent-merge",
    "one-day-apart-stay-separate",
    "short-inside-long",
    "hold-and-resume-leave-a-gap",
    "another-drug-partly-fills-the-gap",
    "another-drug-bridges-into-the-resumed-span",
]


@pytest.mark.parametrize(("courses", "expected"), SPAN_CASES, ids=SPAN_IDS)
def test_monitored_spans(courses: list[Course], expected: list[tuple[date, date]]) -> None:
    assert monitored_spans(courses) == expected


@pytest.mark.parametrize(("courses", "spans"), SPAN_CASES, ids=SPAN_IDS)
def test_monitored_days_and_last_day_agree_with_the_spans(
    courses: list[Course], spans: list[tuple[date, date]]
) -> None:
    expected_days = [
        first + timedelta(days=n) for first, end in spans for n in range((end - first).days + 1)
    ]
    assert monitored_days(courses) == expected_days
    assert last_monitored_day(courses) == (spans[-1][1] if spans else None)


@pytest.mark.parametrize(
    ("courses", "count"),
    [
        ([ATRA], 14),
        ([course(S, 180, drug="ivosidenib")], 180),
        ([ATRA, ATO_SAME_DAY], 14),
        ([ATRA, ATO_OVERLAP], 22),
        ([ATRA_HELD], 4 + 14),
        ([course(S, hold=S)], 0),
    ],
    ids=[
        "14-day-course",
        "180-day-course",
        "same-day-union",
        "overlap-union",
        "hold-resume",
        "held",
    ],
)
def test_number_of_monitored_days(courses: list[Course], count: int) -> None:
    assert len(monitored_days(courses)) == count


@pytest.mark.parametrize(
    ("courses", "day", "expected"),
    [
        ([ATRA], d(3, 1), False),
        ([ATRA], d(3, 2), True),
        ([ATRA], d(3, 15), True),
        ([ATRA], d(3, 16), False),
        ([ATRA_HELD], d(3, 5), True),
        ([ATRA_HELD], d(3, 6), False),
        ([ATRA_HELD], d(3, 11), False),
        ([ATRA_HELD], d(3, 12), True),
        ([ATRA_HELD], d(3, 25), True),
        ([ATRA_HELD], d(3, 26), False),
        ([ATRA_HELD, GILT_IN_GAP], d(3, 7), True),
        ([ATRA, ATO_DISJOINT], d(3, 16), False),
        ([ATRA, ATO_DISJOINT], d(3, 17), True),
        ([], d(3, 2), False),
    ],
    ids=[
        "day-before-start",
        "start",
        "start-plus-13",
        "start-plus-14",
        "day-before-hold",
        "hold-day",
        "day-before-resume",
        "resume-day",
        "resume-plus-13",
        "resume-plus-14",
        "gap-covered-by-another-drug",
        "between-disjoint-courses",
        "second-course-start",
        "no-courses",
    ],
)
def test_is_monitored(courses: list[Course], day: date, expected: bool) -> None:
    assert is_monitored(courses, day) is expected


@pytest.mark.parametrize(
    ("courses", "on_or_after", "expected"),
    [
        ([ATRA], d(2, 1), d(3, 2)),
        ([ATRA], d(3, 2), d(3, 2)),
        ([ATRA], d(3, 9), d(3, 9)),
        ([ATRA], d(3, 15), d(3, 15)),
        ([ATRA], d(3, 16), None),
        ([ATRA_HELD], d(3, 6), d(3, 12)),
        ([ATRA_HELD], d(3, 12), d(3, 12)),
        ([ATRA, ATO_DISJOINT], d(3, 16), d(3, 17)),
        ([ATRA, ATO_DISJOINT], d(3, 31), None),
        ([], d(3, 2), None),
    ],
    ids=[
        "before-start-is-start",
        "start-itself",
        "inside-is-itself",
        "last-day-itself",
        "after-window-none",
        "in-hold-gap-is-resume-day",
        "resume-day-itself",
        "between-courses-is-next-start",
        "after-every-course-none",
        "no-courses-none",
    ],
)
def test_next_monitored_day(
    courses: list[Course], on_or_after: date, expected: date | None
) -> None:
    assert next_monitored_day(courses, on_or_after) == expected
