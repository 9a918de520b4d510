"""Enrol many patients from a CSV file: validate every row first, write all or nothing.

One row per treatment course; rows that share a phone number are one patient and must agree on
the patient's details.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TextIO

from monitor.db.models import Patient
from monitor.domain.wording import parse_clock
from monitor.phones import InvalidPhone, normalise_phone
from monitor.runtime import Runtime
from monitor.services.enrolment import (
    CourseRequest,
    EnrolmentError,
    EnrolmentRequest,
    check_enrolment,
    write_enrolment,
)

REQUIRED = (
    "name",
    "phone",
    "timezone",
    "language",
    "checkin_time",
    "care_team",
    "drug",
    "start_date",
)
OPTIONAL = ("window_days", "hold_date", "resume_date", "stop_date")
PATIENT_FIELDS = ("name", "timezone", "language", "checkin_time", "care_team")

Progress = Callable[[int], None]


class ImportFileError(ValueError):
    """The file as a whole cannot be read (no header, missing columns)."""


@dataclass
class RowProblem:
    line: int
    problems: list[str]


@dataclass
class ImportPlan:
    patients: list[tuple[list[int], EnrolmentRequest]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def read_rows(stream: TextIO) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; line numbers count the header as line 1, as editors do."""
    reader = csv.DictReader(stream)
    if reader.fieldnames is None:
        raise ImportFileError("the file is empty: the first line must name the columns")
    columns = {name.strip().lower() for name in reader.fieldnames if name}
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ImportFileError(
            f"missing column(s) {', '.join(missing)}: the header needs {', '.join(REQUIRED)} "
            f"(optional: {', '.join(OPTIONAL)})"
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        clean = {
            (key or "").strip().lower(): (value or "").strip()
            for key, value in row.items()
            if key is not None
        }
        if any(clean.values()):
            rows.append((reader.line_num, clean))
    if not rows:
        raise ImportFileError("the file has a header but no patient rows")
    return rows


def _date(value: str, column: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{column}: {value!r} is not a date: use YYYY-MM-DD")
        return None


def _course(row: dict[str, str], problems: list[str]) -> CourseRequest | None:
    start = _date(row.get("start_date", ""), "start_date", problems)
    if not row.get("start_date"):
        problems.append("start_date: required (YYYY-MM-DD)")
    window: int | None = None
    if row.get("window_days"):
        try:
            window = int(row["window_days"])
            if window < 1:
                raise ValueError
        except ValueError:
            problems.append(f"window_days: {row['window_days']!r} is not a whole number of days")
    hold = _date(row.get("hold_date", ""), "hold_date", problems)
    resume = _date(row.get("resume_date", ""), "resume_date", problems)
    stop = _date(row.get("stop_date", ""), "stop_date", problems)
    if start is None:
        return None
    return CourseRequest(row.get("drug", ""), start, window, hold, resume, stop)


def _request(row: dict[str, str], courses: Iterable[CourseRequest]) -> EnrolmentRequest:
    return EnrolmentRequest(
        name=row.get("name", ""),
        phone=row.get("phone", ""),
        timezone=row.get("timezone", ""),
        language=row.get("language", ""),
        checkin_time=row.get("checkin_time", ""),
        care_team=row.get("care_team", ""),
        courses=tuple(courses),
    )


def plan_import(
    rt: Runtime,
    rows: list[tuple[int, dict[str, str]]],
    now: datetime,
    progress: Progress | None = None,
) -> ImportPlan:
    """Check every row; nothing is written here."""
    plan = ImportPlan(rows=len(rows))
    groups: dict[str, list[tuple[int, dict[str, str], CourseRequest]]] = {}
    with rt.sessions() as session:
        for line, row in rows:
            problems: list[str] = []
            course = _course(row, problems)
            key = _phone_key(row.get("phone", ""))
            group = groups.get(key, [])
            if group:
                first_line, first_row, _ = group[0]
                differing = [f for f in PATIENT_FIELDS if _same(row, f) != _same(first_row, f)]
                if differing:
                    problems.append(
                        f"same phone as line {first_line} but a different {', '.join(differing)}: "
                        "rows with one phone are one patient and must agree"
                    )
            if course is not None and not problems:
                try:
                    check_enrolment(session, rt, _request(row, [course]), now)
                except EnrolmentError as error:
                    problems.extend(error.problems)
            if problems:
                plan.problems.append(RowProblem(line, problems))
            elif course is not None:
                groups.setdefault(key, []).append((line, row, course))
            if progress:
                progress(1)
    if plan.ok:
        plan.patients = [
            ([line for line, _, _ in group], _request(group[0][1], [c for _, _, c in group]))
            for group in groups.values()
        ]
    return plan


def _same(row: dict[str, str], field: str) -> str:
    """A patient field as compared between rows: 9:00 and 09:00 are the same time."""
    value = " ".join(row.get(field, "").split())
    if field == "checkin_time":
        try:
            return parse_clock(value).isoformat()
        except ValueError:
            return value
    return value.lower() if field in ("language", "timezone") else value


def _phone_key(raw: str) -> str:
    try:
        return normalise_phone(raw)
    except InvalidPhone:
        return raw.strip()


def write_import(
    rt: Runtime,
    plan: ImportPlan,
    now: datetime,
    actor: str = "cli",
    progress: Progress | None = None,
) -> list[Patient]:
    """Enrol every planned patient in one transaction: all rows or none."""
    if not plan.ok:
        raise ValueError("refusing to write an import with problems")
    created = []
    with rt.sessions.begin() as session:
        for lines, request in plan.patients:
            try:
                checked = check_enrolment(session, rt, request, now)
            except EnrolmentError as error:  # e.g. enrolled by someone else meanwhile
                raise EnrolmentError([f"line {lines[0]}: {p}" for p in error.problems]) from None
            created.append(write_enrolment(session, rt, checked, now, actor))
            if progress:
                progress(len(lines))
    return created
