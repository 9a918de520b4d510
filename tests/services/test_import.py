"""CSV import through the real services: every row checked first, then all written or none."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitor import services
from monitor.db.models import Course, Message, Patient
from monitor.runtime import Runtime
from tests.support.builders import add_team, enrol

FIXTURES = Path(__file__).parents[1] / "fixtures"
NOW = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
HEADER = "name,phone,timezone,language,checkin_time,care_team,drug,start_date"


def row(name: str = "Ana Garcia", phone: str = "+12015550123", **changes: str) -> str:
    fields = {
        "name": name,
        "phone": phone,
        "timezone": "America/New_York",
        "language": "en",
        "checkin_time": "09:00",
        "care_team": "Heme clinic",
        "drug": "tretinoin",
        "start_date": "2026-03-02",
    }
    fields.update(changes)
    return ",".join(fields.values())


def rows_of(text: str) -> list[tuple[int, dict[str, str]]]:
    return services.read_rows(io.StringIO(text, newline=""))


def fixture_rows(name: str) -> list[tuple[int, dict[str, str]]]:
    with (FIXTURES / name).open(newline="", encoding="utf-8-sig") as stream:
        return services.read_rows(stream)


def count(rt: Runtime, model: type) -> int:
    with rt.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def problems_by_line(plan: services.importing.ImportPlan) -> dict[int, str]:
    return {problem.line: " | ".join(problem.problems) for problem in plan.problems}


@pytest.fixture(autouse=True)
def team(rt: Runtime) -> None:
    add_team(rt, NOW)


def test_a_valid_file_becomes_one_patient_per_phone_with_one_course_per_row(rt: Runtime) -> None:
    plan = services.plan_import(rt, fixture_rows("patients_valid.csv"), NOW)
    assert plan.ok, plan.problems
    assert plan.rows == 5
    assert [lines for lines, _ in plan.patients] == [[2, 3], [4], [5], [6]]

    created = services.write_import(rt, plan, NOW)

    assert [p.phone for p in created] == [
        "+12015550123",
        "+34612345678",
        "+12015550124",
        "+12015550125",
    ]
    with rt.sessions() as session:
        courses = {
            (c.patient_id, c.drug): c for c in session.scalars(select(Course).order_by(Course.id))
        }
    ana, luis, bea, dev = (p.id for p in created)
    assert set(courses) == {
        (ana, "tretinoin"),
        (ana, "ivosidenib"),
        (luis, "tretinoin"),
        (bea, "ivosidenib"),
        (dev, "gilteritinib"),
    }
    assert courses[(luis, "tretinoin")].window_days == 21
    assert courses[(ana, "tretinoin")].window_days is None
    assert courses[(bea, "ivosidenib")].hold_date == date(2026, 3, 10)
    assert courses[(bea, "ivosidenib")].resume_date == date(2026, 3, 17)
    assert courses[(dev, "gilteritinib")].stop_date == date(2026, 4, 1)
    assert count(rt, Message) == 4  # one welcome each


def test_every_bad_row_is_reported_with_its_line_and_reason(rt: Runtime) -> None:
    plan = services.plan_import(rt, fixture_rows("patients_bad.csv"), NOW)
    assert not plan.ok
    assert plan.rows == 8
    problems = problems_by_line(plan)
    assert sorted(problems) == [3, 4, 5, 6, 7, 8, 9]  # line 2 is fine; the header is line 1
    assert problems[3].startswith("phone:")
    assert "unknown drug 'aspirin'" in problems[4]
    assert problems[5].startswith("start_date:")
    assert problems[6].startswith("window_days:")
    assert problems[7].startswith("checkin_time:") and "quiet hours" in problems[7]
    assert problems[8].startswith("care_team:")
    assert "same phone as line 2" in problems[9] and "name" in problems[9]
    assert plan.patients == []
    with pytest.raises(ValueError, match="refusing"):
        services.write_import(rt, plan, NOW)
    assert count(rt, Patient) == 0


def test_rows_of_one_phone_must_agree_on_the_patient(rt: Runtime) -> None:
    text = "\n".join(
        [
            HEADER,
            row(),
            row(phone="(201) 555-0123", drug="ivosidenib", timezone="America/Chicago"),
        ]
    )
    plan = services.plan_import(rt, rows_of(text), NOW)
    problem = problems_by_line(plan)[3]
    assert "same phone as line 2" in problem
    assert "timezone" in problem


def test_a_phone_already_enrolled_is_a_bad_row(rt: Runtime) -> None:
    enrol(rt, NOW)
    plan = services.plan_import(rt, rows_of(f"{HEADER}\n{row()}\n"), NOW)
    assert "already enrolled" in problems_by_line(plan)[2]


def test_header_names_are_forgiving_and_extra_columns_ignored(rt: Runtime) -> None:
    header = " Name ,PHONE,Timezone,language,checkin_time,care_team,Drug,start_date,notes"
    line = '"Garcia, Ana",+12015550123,America/New_York,en,09:00,Heme clinic,ATRA,2026-03-02,x'
    text = f"{header}\n{line}\n"
    plan = services.plan_import(rt, rows_of(text), NOW)
    assert plan.ok, plan.problems
    [(lines, request)] = plan.patients
    assert request.name == "Garcia, Ana"
    assert lines == [2]


def test_blank_lines_are_skipped_and_line_numbers_stay_those_of_the_file(rt: Runtime) -> None:
    text = "\n".join([HEADER, row(), "", ",,,,,,,", row("Bad", "+12015550124", drug="x")]) + "\n"
    plan = services.plan_import(rt, rows_of(text), NOW)
    assert plan.rows == 2
    assert list(problems_by_line(plan)) == [5]


def test_missing_columns_are_named(rt: Runtime) -> None:
    with pytest.raises(services.ImportFileError) as caught:
        rows_of("name,phone,timezone,language,checkin_time,care_team\nA,+12015550123,x,en,9,T\n")
    assert "missing column(s) drug, start_date" in str(caught.value)


def test_an_empty_file_is_refused(rt: Runtime) -> None:
    with pytest.raises(services.ImportFileError, match="empty"):
        rows_of("")


def test_a_row_with_no_start_date_says_it_is_required(rt: Runtime) -> None:
    plan = services.plan_import(rt, rows_of(f"{HEADER}\n{row(start_date='')}\n"), NOW)
    assert "start_date: required" in problems_by_line(plan)[2]


def test_progress_is_reported_once_per_row(rt: Runtime) -> None:
    rows = fixture_rows("patients_valid.csv")
    checked: list[int] = []
    written: list[int] = []
    plan = services.plan_import(rt, rows, NOW, checked.append)
    services.write_import(rt, plan, NOW, progress=written.append)
    assert sum(checked) == sum(written) == len(rows)


def test_the_write_is_all_or_nothing_when_a_phone_is_enrolled_meanwhile(rt: Runtime) -> None:
    plan = services.plan_import(rt, fixture_rows("patients_valid.csv"), NOW)
    assert plan.ok
    enrol(rt, NOW, phone="+12015550125", name="Someone Else")  # the last patient of the file

    with pytest.raises(services.EnrolmentError) as caught:
        services.write_import(rt, plan, NOW)

    assert caught.value.problems[0].startswith("line 6: phone:")
    assert count(rt, Patient) == 1
    assert count(rt, Course) == 1
