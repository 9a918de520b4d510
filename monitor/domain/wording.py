"""How people and times are written in messages (short, and never more than needed)."""

from __future__ import annotations

import re
from datetime import time

FIRST_NAME_LIMIT = 10  # keeps the check-in inside two SMS segments


def first_name(full_name: str) -> str:
    parts = full_name.split()
    return parts[0][:FIRST_NAME_LIMIT] if parts else ""


def short_name(full_name: str) -> str:
    """First name and last initial, e.g. "Ana G." (what a nurse alert shows)."""
    parts = full_name.split()
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]} {parts[-1][0]}."


def clock_time(at: time, language: str) -> str:
    """9:00 AM in English, 9:00 in Spanish (24-hour, as Spanish speakers expect)."""
    if language == "es":
        return f"{at.hour}:{at.minute:02d}"
    hour = at.hour % 12 or 12
    return f"{hour}:{at.minute:02d} {'AM' if at.hour < 12 else 'PM'}"


_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*([ap])?\.?\s*(m\.?)?\s*$", re.IGNORECASE)


def parse_clock(text: str | time) -> time:
    """'09:00', '9:00', '9:00 am', '21:30' -> time; ValueError with the expected form."""
    if isinstance(text, time):
        return text.replace(second=0, microsecond=0)
    match = _TIME.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a time: use HH:MM, e.g. 09:00")
    hour, minute, half = int(match.group(1)), int(match.group(2)), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text!r}: hours run 1-12 with am/pm")
        hour = hour % 12 + (12 if half.lower() == "p" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{text!r} is not a time of day: use HH:MM, e.g. 09:00")
    return time(hour, minute)
