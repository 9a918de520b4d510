"""The one place wall-clock time is read.

Everything else receives `now` as an argument. Jobs ask their runtime's clock, so the simulator can
drive the same jobs with a simulated clock and tests can freeze the system one with freezegun.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


def utcnow() -> datetime:
    return datetime.now(UTC)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return utcnow()


class SimulatedClock:
    """A clock that only moves when told to (used by `dswatch simulate`)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("simulated clock needs an aware UTC datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        if when < self._now:
            raise ValueError("simulated time cannot go backwards")
        self._now = when.astimezone(UTC)
