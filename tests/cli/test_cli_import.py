"""`dswatch patient import FILE.csv`: every row checked first; all rows written or none."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import func, select

from monitor.db.engine import make_engine
from monitor.db.models import Course, Patient
from tests.support.cli import Invoke, ok

FIXTURES = Path(__file__).parents[1] / "fixtures"
HEADER = "name,phone,timezone,language,checkin_time,care_team,drug,start_date"
GOOD_ROW = "Ana Garcia,+12015550123,America/New_York,en,09:00,Heme clinic,ATRA,2026-03-02"


@pytest.fixture
def counts(database_url: str) -> Iterator[Callable[[], tuple[int, int]]]:
    """(patients, courses) in the database."""
    engine = make_engine(database_url)

    def count() -> tuple[int, int]:
        with engine.connect() as connection:
            patients = connection.scalar(select(func.count()).select_from(Patient))
            courses = connection.scalar(select(func.count()).select_from(Course))
            return patients or 0, courses or 0

    yield count
    engine.dispose()


def error_lines(result: Result) -> list[str]:
    """stderr lines of a refused import (exit code 2, no traceback)."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


def copy(name: str, folder: Path) -> Path:
    return Path(shutil.copy(FIXTURES / name, folder / name))


def test_a_valid_file_imports_every_patient(
    cli: Invoke, counts: Callable[[], tuple[int, int]], tmp_path: Path
) -> None:
    path = copy("patients_valid.csv", tmp_path)
    assert "imported 4 patients from 5 rows" in ok(cli("patient", "import", str(path)))
    assert counts() == (4, 5)
    listing = ok(cli("patient", "list"))
    assert "4 patients" in listing
    for name in ("Ana Garcia", "Luis Martin", "Bea Chen", "Dev Patel"):
        assert name in listing
    ana = ok(cli("patient", "show", "+12015550123"))
    assert "tretinoin" in ana and "ivosidenib" in ana  # two rows, one phone: two courses
    assert "21 d (patient)" in ok(cli("patient", "show", "+34612345678"))


def test_importing_the_same_file_twice_refuses_every_row(
    cli: Invoke, counts: Callable[[], tuple[int, int]], tmp_path: Path
) -> None:
    path = copy("patients_valid.csv", tmp_path)
    ok(cli("patient", "import", str(path)))
    lines = error_lines(cli("patient", "import", str(path)))
    assert sum("already enrolled" in line for line in lines) == 5
    assert counts() == (4, 5)


def test_bad_rows_are_each_reported_with_line_and_reason_and_nothing_is_written(
    cli: Invoke, counts: Callable[[], tuple[int, int]], tmp_path: Path
) -> None:
    path = copy("patients_bad.csv", tmp_path)
    lines = error_lines(cli("patient", "import", str(path)))
    by_line: dict[int, list[str]] = {}
    for line in lines:
        if line.startswith(f"{path}:"):
            number, reason = line.removeprefix(f"{path}:").split(": ", 1)
            by_line.setdefault(int(number), []).append(reason)
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9]
    assert by_line[3][0].startswith("phone:") and "E.164" in by_line[3][0]
    assert "unknown drug 'aspirin'" in by_line[4][0]
    assert by_line[5][0].startswith("start_date: '2026-13-01' is not a date")
    assert by_line[6][0].startswith("window_days: 'abc'")
    assert by_line[7][0].startswith("checkin_time: 22:30 is inside quiet hours")
    assert by_line[8][0].startswith("care_team: 'Nowhere' does not exist")
    assert "same phone as line 2" in by_line[9][0]
    assert "7 of 8 rows have problems; nothing was imported" in " ".join(lines)
    assert counts() == (0, 0)
    assert "0 patients" in ok(cli("patient", "list"))


def test_a_missing_column_is_named(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "no_drug.csv"
    path.write_text(
        "name,phone,timezone,language,checkin_time,care_team,start_date\n"
        "Ana Garcia,+12015550123,America/New_York,en,09:00,Heme clinic,2026-03-02\n",
        encoding="utf-8",
    )
    message = " ".join(error_lines(cli("patient", "import", str(path))))
    assert "missing column(s) drug" in message
    assert "the header needs" in message


def test_an_empty_file_is_refused(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "empty" in " ".join(error_lines(cli("patient", "import", str(path))))


def test_a_file_that_is_not_utf8_is_refused_with_advice(
    cli: Invoke, counts: Callable[[], tuple[int, int]], tmp_path: Path
) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(f"{HEADER}\n{GOOD_ROW.replace('Ana', 'José')}\n".encode("latin-1"))
    message = " ".join(error_lines(cli("patient", "import", str(path))))
    assert "not UTF-8" in message and "CSV UTF-8" in message
    assert counts() == (0, 0)


def test_a_utf8_file_with_a_bom_and_windows_line_ends_imports(
    cli: Invoke, counts: Callable[[], tuple[int, int]], tmp_path: Path
) -> None:
    path = tmp_path / "excel.csv"
    text = f"{HEADER}\r\n{GOOD_ROW.replace('Ana Garcia', 'José Núñez')}\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert "imported 1 patients from 1 rows" in ok(cli("patient", "import", str(path)))
    assert "José Núñez" in ok(cli("patient", "list"))
    assert counts() == (1, 1)


def test_a_missing_file_is_a_usage_error(cli: Invoke, tmp_path: Path) -> None:
    result = cli("patient", "import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_a_large_file_imports_with_a_progress_bar(
    cli: Invoke, counts: Callable[[], tuple[int, int]], tmp_path: Path
) -> None:
    rows = [HEADER] + [
        f"Patient {n},+1201555{n:04d},America/New_York,en,09:00,Heme clinic,ATRA,2026-03-02"
        for n in range(1000, 2000)
    ]
    path = tmp_path / "large.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = cli("patient", "import", str(path))
    assert "imported 1000 patients from 1000 rows" in ok(result)
    assert counts() == (1000, 1000)
    # Not a terminal: the bars are drawn once, finished, on stderr (stdout stays clean).
    bars = result.stderr.splitlines()
    assert bars[0].startswith("checking rows") and "100%" in bars[0]
    assert bars[1].startswith("enrolling") and "100%" in bars[1]


def test_a_large_file_with_one_bad_row_writes_nothing(
    cli: Invoke, counts: Callable[[], tuple[int, int]], tmp_path: Path
) -> None:
    rows = [HEADER] + [
        f"Patient {n},+1201555{n:04d},America/New_York,en,09:00,Heme clinic,ATRA,2026-03-02"
        for n in range(1000, 1300)
    ]
    rows[250] = rows[250].replace("ATRA", "ATRX")
    path = tmp_path / "large.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = error_lines(cli("patient", "import", str(path)))
    assert [line for line in lines if line.startswith(f"{path}:")] == [
        f"{path}:251: course: unknown drug 'ATRX': use a generic name, brand or alias from "
        "`dswatch drugs` (arsenic trioxide, enasidenib, gilteritinib, ivosidenib, midostaurin, "
        "olutasidenib, revumenib, tretinoin, ziftomenib)"
    ]
    assert counts() == (0, 0)
