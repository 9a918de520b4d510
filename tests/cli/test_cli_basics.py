"""`dswatch` basics: help, database set-up and its errors, drugs, care teams and nurses."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import text

from monitor.catalogue import load_catalogue
from monitor.db.engine import make_engine
from monitor.db.schema_check import head_revision
from monitor.settings import get_settings
from tests.conftest import PG_BASE_URL, pg_url, reset_pg_schema
from tests.support.cli import Invoke, ok, user_error

COMMANDS = {
    "db",
    "serve",
    "web",
    "worker",
    "team",
    "nurse",
    "patient",
    "course",
    "drugs",
    "outbox",
    "simulate",
}


@pytest.fixture
def cli(invoke: Invoke, use_database: Callable[[str], None], database_url: str) -> Invoke:
    """`dswatch` against this test's migrated database."""
    use_database(database_url)
    return invoke


def test_help_lists_every_command(invoke: Invoke) -> None:
    listed = set(re.findall(r"^\W*([a-z]+) {2,}\S", ok(invoke("--help")), re.MULTILINE))
    assert listed >= COMMANDS


def test_no_arguments_shows_the_help(invoke: Invoke) -> None:
    result = invoke()
    assert "Usage" in result.output
    assert "simulate" in result.output


@pytest.mark.parametrize("group", ["db", "team", "nurse", "patient", "course"])
def test_each_group_has_help(invoke: Invoke, group: str) -> None:
    assert "Usage" in ok(invoke(group, "--help"))


def test_db_upgrade_creates_the_schema_in_an_empty_sqlite_file(
    invoke: Invoke, use_database: Callable[[str], None], tmp_path: Path
) -> None:
    path = tmp_path / "fresh" / "dswatch.db"
    path.parent.mkdir()
    url = f"sqlite:///{path}"
    use_database(url)
    head = head_revision(url)

    assert ok(invoke("db", "current")).strip() == "empty"
    assert ok(invoke("db", "upgrade")).strip() == f"database schema at revision {head}"
    assert ok(invoke("db", "current")).strip() == head
    assert ok(invoke("db", "upgrade")).strip() == f"database schema at revision {head}"
    assert "0 patients" in ok(invoke("patient", "list"))


@pytest.mark.skipif(not PG_BASE_URL, reason="needs DSWATCH_TEST_DATABASE_URL")
def test_db_upgrade_creates_the_schema_in_an_empty_postgresql_schema(
    invoke: Invoke, use_database: Callable[[str], None]
) -> None:
    schema = f"dswatch_cli_{uuid.uuid4().hex[:8]}"
    reset_pg_schema(schema)
    url = pg_url(schema)
    use_database(url)
    try:
        assert ok(invoke("db", "current")).strip() == "empty"
        ok(invoke("db", "upgrade"))
        assert ok(invoke("db", "current")).strip() == head_revision(url)
        ok(invoke("team", "add", "Heme clinic"))
    finally:
        assert PG_BASE_URL
        engine = make_engine(PG_BASE_URL)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.mark.parametrize(
    "args",
    [
        ["team", "list"],
        ["team", "add", "Heme clinic"],
        ["nurse", "add", "--team", "Heme clinic", "--name", "Nina", "--phone", "+12015550101"],
        ["patient", "list"],
        ["patient", "show", "P23456"],
        [
            "patient",
            "add",
            "--name",
            "Ana Garcia",
            "--phone",
            "+12015550123",
            "--timezone",
            "America/New_York",
            "--team",
            "Heme clinic",
            "--drug",
            "ATRA",
            "--start",
            "2026-03-02",
        ],
        ["outbox"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_commands_on_an_unmigrated_database_say_to_run_db_upgrade(
    invoke: Invoke, use_database: Callable[[str], None], tmp_path: Path, args: list[str]
) -> None:
    use_database(f"sqlite:///{tmp_path / 'empty.db'}")
    user_error(invoke(*args), "schema is empty", "run `dswatch db upgrade`")


@pytest.mark.parametrize(
    "args", [["team", "list"], ["db", "upgrade"], ["db", "current"], ["outbox"]]
)
def test_an_unreachable_postgresql_names_the_variable_and_hides_the_password(
    invoke: Invoke, use_database: Callable[[str], None], args: list[str]
) -> None:
    use_database("postgresql+psycopg://dswatch:s3cret@127.0.0.1:1/dswatch")
    message = user_error(invoke(*args), "cannot open the database", "DSWATCH_DATABASE_URL")
    assert "s3cret" not in message


def test_an_unopenable_sqlite_path_names_the_variable(
    invoke: Invoke, use_database: Callable[[str], None], tmp_path: Path
) -> None:
    use_database(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'dswatch.db'}")
    user_error(invoke("team", "list"), "DSWATCH_DATABASE_URL")


@pytest.mark.parametrize(
    ("url", "advice"),
    [
        ("mysql://dswatch@127.0.0.1/dswatch", "sqlite:///"),
        ("postgresql://dswatch@127.0.0.1/dswatch", "name the driver"),
        ("postgres://dswatch@127.0.0.1/dswatch", "postgresql+psycopg://"),
        ("dswatch.db", "sqlite:///"),
    ],
)
@pytest.mark.parametrize("args", [["team", "list"], ["db", "upgrade"], ["drugs"]])
def test_a_bad_database_url_names_the_variable(
    invoke: Invoke,
    use_database: Callable[[str], None],
    url: str,
    advice: str,
    args: list[str],
) -> None:
    use_database(url)
    user_error(invoke(*args), "DSWATCH_DATABASE_URL", advice)


def test_drugs_prints_every_drug_with_its_brands_aliases_and_window(invoke: Invoke) -> None:
    output = ok(invoke("drugs"))
    lines = output.splitlines()
    catalogue = load_catalogue()
    assert len(catalogue) >= 9
    for drug in catalogue:
        [line] = [line for line in lines if re.match(rf"\W*{re.escape(drug.name)} ", line)]
        cells = [cell.strip() for cell in re.split(r"[│|]", line) if cell.strip()]
        assert cells[0] == drug.name
        assert cells[1] == ", ".join(drug.brands)
        assert cells[2] == ", ".join(drug.aliases)
        assert cells[4].startswith(f"{drug.window_days} d")
        assert cells[5] == ("yes" if drug.boxed_warning else "no")
    for alias in ("ATRA", "ATO", "AG-120", "all-trans retinoic acid"):
        assert alias in output


def test_drugs_needs_no_database(invoke: Invoke, use_database: Callable[[str], None]) -> None:
    use_database("postgresql+psycopg://dswatch@127.0.0.1:1/dswatch")
    assert "tretinoin" in ok(invoke("drugs"))


def test_drugs_reports_a_broken_catalogue_file(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "drugs.toml"
    broken.write_text("[drugs.tretinoin\n", encoding="utf-8")
    monkeypatch.setenv("DSWATCH_DRUGS_FILE", str(broken))
    get_settings.cache_clear()
    user_error(invoke("drugs"), "drugs.toml", "not valid TOML")


def test_team_add_then_list(cli: Invoke) -> None:
    assert "care team 'Heme clinic' created" in ok(
        cli("team", "add", "Heme clinic", "--clinic-phone", "(201) 555-0199")
    )
    ok(cli("team", "add", "Solid tumours"))
    output = ok(cli("team", "list"))
    [heme] = [line for line in output.splitlines() if "Heme clinic" in line]
    assert "+12015550199" in heme
    [solid] = [line for line in output.splitlines() if "Solid tumours" in line]
    assert "(none)" in solid


def test_a_duplicate_team_is_refused(cli: Invoke) -> None:
    ok(cli("team", "add", "Heme clinic"))
    user_error(cli("team", "add", "  Heme   clinic "), "'Heme clinic' already exists")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["   "], "name is empty"),
        (["Heme clinic", "--clinic-phone", "+15551234567"], "E.164"),
    ],
)
def test_bad_team_details_are_refused(cli: Invoke, args: list[str], fragment: str) -> None:
    user_error(cli("team", "add", *args), fragment)
    assert "Heme clinic" not in ok(cli("team", "list"))


def test_a_team_name_longer_than_the_database_allows_is_refused(cli: Invoke) -> None:
    user_error(cli("team", "add", "H" * 101), "team name")


def nurse(cli: Invoke, *args: str) -> Result:
    return cli("nurse", "add", "--team", "Heme clinic", *args)


def test_nurse_add_then_team_list_shows_tiers_and_hours(cli: Invoke) -> None:
    ok(cli("team", "add", "Heme clinic"))
    assert "added to 'Heme clinic' at tier 1" in ok(
        nurse(cli, "--name", "Nina Tier1", "--phone", "201-555-0101")
    )
    ok(
        nurse(
            cli,
            *("--name", "Omar Tier2", "--phone", "+12015550102"),
            *("--tier", "2", "--on-call", "08:00-20:00"),
        )
    )
    rows = [line for line in ok(cli("team", "list")).splitlines() if "Heme clinic" in line]
    assert len(rows) == 2
    assert "Nina Tier1" in rows[0] and "+12015550101" in rows[0] and "always" in rows[0]
    assert "Omar Tier2" in rows[1] and "08:00-20:00" in rows[1]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--name", "Nina", "--phone", "+15551234567"], ["phone", "E.164"]),
        (["--name", "Nina", "--phone", "nurse station"], ["phone", "E.164"]),
        (["--name", "Nina", "--phone", "+34912345678"], ["landline"]),
        (["--name", "Nina", "--phone", "+12015550101", "--tier", "0"], ["tiers start at 1"]),
        (["--name", "Nina", "--phone", "+12015550101", "--on-call", "8-20"], ["HH:MM-HH:MM"]),
        (["--name", " ", "--phone", "+12015550101"], ["name is empty"]),
    ],
)
def test_bad_nurse_details_are_refused(cli: Invoke, args: list[str], fragments: list[str]) -> None:
    ok(cli("team", "add", "Heme clinic"))
    user_error(nurse(cli, *args), *fragments)
    assert "(none)" in ok(cli("team", "list"))


def test_a_nurse_needs_an_existing_team(cli: Invoke) -> None:
    ok(cli("team", "add", "Heme clinic"))
    user_error(
        cli("nurse", "add", "--team", "Nowhere", "--name", "Nina", "--phone", "+12015550101"),
        "'Nowhere' does not exist",
        "dswatch team add",
        "existing: Heme clinic",
    )


def test_the_same_nurse_phone_twice_in_a_team_is_refused(cli: Invoke) -> None:
    ok(cli("team", "add", "Heme clinic"))
    ok(nurse(cli, "--name", "Nina", "--phone", "+12015550101"))
    user_error(nurse(cli, "--name", "Nina again", "--phone", "(201) 555-0101"), "already in")
