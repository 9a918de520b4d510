"""Risk windows: which local dates a patient is monitored on.

A course of N days starting on local date S covers S .. S+N-1. A hold on date H ends that span
the day before H; a resume on R restarts the drug's window, covering R .. R+N-1 (DS can recur on
re-exposure). A stop on date D ends every span of that course the day before D. A patient is
monitored on the union of all their courses' spans.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


class CourseError(ValueError):
    """A course whose dates cannot describe a treatment."""


@dataclass(frozen=True)
class Course:
    drug: str
    start: date
    window_days: int
    hold: date | None = None
    resume: date | None = None
    stop: date | None = None

    def __post_init__(self) -> None:
        check_course_dates(self.start, self.window_days, self.hold, self.resume, self.stop)


Span = tuple[date, date]  # inclusive first and last monitored day


def check_course_dates(
    start: date,
    window_days: int,
    hold: date | None,
    resume: date | None,
    stop: date | None,
) -> None:
    """Raise CourseError naming the problem when the dates cannot go together."""
    if window_days < 1:
        raise CourseError(f"window of {window_days} days: it must be at least 1 day")
    if hold is not None and hold < start:
        raise CourseError(f"hold date {hold} is before the start date {start}")
    if resume is not None:
        if hold is None:
            raise CourseError("a resume date needs a hold date before it")
        if resume <= hold:
            raise CourseError(f"resume date {resume} must be after the hold date {hold}")
    if stop is not None and stop <= start:
        raise CourseError(f"stop date {stop} must be after the start date {start}")


def course_spans(course: Course) -> list[Span]:
    """The inclusive date spans one course keeps the patient monitored."""
    length = timedelta(days=course.window_days - 1)
    spans: list[Span] = []
    first_end = course.start + length
    if course.hold is not None:
        first_end = min(first_end, course.hold - ONE_DAY)
    if first_end >= course.start:
        spans.append((course.start, first_end))
    if course.resume is not None:
        spans.append((course.resume, course.resume + length))
    if course.stop is not None:
        last = course.stop - ONE_DAY
        spans = [(first, min(end, last)) for first, end in spans if first <= last]
    return spans


def monitored_spans(courses: Iterable[Course]) -> list[Span]:
    """All spans of all courses, merged where they touch or overlap, in date order."""
    spans = sorted(span for course in courses for span in course_spans(course))
    merged: list[Span] = []
    for first, end in spans:
        if merged and first <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((first, end))
    return merged


def is_monitored(courses: Iterable[Course], day: date) -> bool:
    return any(first <= day <= end for first, end in monitored_spans(courses))


def next_monitored_day(courses: Iterable[Course], on_or_after: date) -> date | None:
    """The first monitored date on or after `on_or_after`, or None when every window has closed."""
    for first, end in monitored_spans(courses):
        if end >= on_or_after:
            return max(first, on_or_after)
    return None


def last_monitored_day(courses: Iterable[Course]) -> date | None:
    spans = monitored_spans(courses)
    return spans[-1][1] if spans else None


def monitored_days(courses: Iterable[Course]) -> list[date]:
    """Every monitored date, in order (for display and tests; windows are at most months long)."""
    days: list[date] = []
    for first, end in monitored_spans(courses):
        day = first
        while day <= end:
            days.append(day)
            day += ONE_DAY
    return days
