"""`dswatch simulate SCENARIO.json`: JSON on stdout; a bad scenario exits 2 naming the field."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from monitor.cli import app
from monitor.settings import get_settings

SCENARIOS = Path(__file__).parents[1] / "fixtures" / "scenarios"
Simulate = Callable[[Path], Result]


@pytest.fixture
def simulate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulate]:
    monkeypatch.setenv("COLUMNS", "500")
    get_settings.cache_clear()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    runner = CliRunner()
    yield lambda path: runner.invoke(app, ["simulate", str(path)])
    root.handlers[:] = handlers
    root.setLevel(level)


def output(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def scenario(tmp_path: Path, name: str, change: Callable[[dict[str, Any]], object]) -> Path:
    """A copy of a fixture scenario with `change` applied to its data."""
    data = json.loads((SCENARIOS / name).read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_simulate_prints_the_journey_as_json(simulate: Simulate) -> None:
    result = simulate(SCENARIOS / "tretinoin_new_york.json")
    data = output(result)
    assert {"messages", "checkins"} <= set(data)
    checkins = [m for m in data["messages"] if m["kind"] == "checkin"]
    assert len(checkins) == 14
    assert checkins[5]["at"] == "2026-03-07T14:00:00Z"
    assert checkins[6]["at"] == "2026-03-08T13:00:00Z"
    assert [m["kind"] for m in data["messages"]].count("closing") == 1
    assert len(data["checkins"]) == 14
    assert result.stderr == ""


def test_simulate_six_months_in_under_ten_seconds(simulate: Simulate) -> None:
    began = time.perf_counter()
    result = simulate(SCENARIOS / "ivosidenib_six_months.json")
    elapsed = time.perf_counter() - began
    data = output(result)
    assert len([m for m in data["messages"] if m["kind"] == "checkin"]) == 180
    assert len(data["checkins"]) == 180
    assert elapsed < 10, f"six months took {elapsed:.1f} s"


@pytest.mark.parametrize(
    "name",
    [
        "overlapping_courses.json",
        "hold_and_resume.json",
        "two_patients_two_languages.json",
    ],
)
def test_every_fixture_scenario_runs(simulate: Simulate, name: str) -> None:
    data = output(simulate(SCENARIOS / name))
    assert data["messages"] and data["checkins"]


def test_unicode_bodies_and_names_survive(simulate: Simulate, tmp_path: Path) -> None:
    def rename(data: dict[str, Any]) -> None:
        data["patients"][0]["name"] = "Íñigo Núñez"
        data["patients"][0]["language"] = "es"

    data = output(simulate(scenario(tmp_path, "tretinoin_new_york.json", rename)))
    welcome = next(m for m in data["messages"] if m["kind"] == "welcome")
    assert welcome["body"].startswith("Hola ")


def test_an_empty_event_list_or_none_at_all_is_fine(simulate: Simulate, tmp_path: Path) -> None:
    with_events = output(simulate(SCENARIOS / "tretinoin_new_york.json"))
    without = scenario(tmp_path, "tretinoin_new_york.json", lambda d: d.pop("events"))
    assert output(simulate(without)) == with_events


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        data = data[int(part)] if part.isdigit() else data[part]  # type: ignore[index]
    if value is None:
        del data[int(last) if last.isdigit() else last]  # type: ignore[arg-type]
    else:
        data[int(last) if last.isdigit() else last] = value  # type: ignore[index]


BAD = [
    pytest.param("start", None, ["start", "Field required"], id="missing-start"),
    pytest.param("end", "2026-02-01T00:00:00Z", ["end must be after start"], id="end-first"),
    pytest.param("start", "2026-03-01T00:00:00", ["start", "offset"], id="naive-datetime"),
    pytest.param(
        "patients.0.courses.0.drug",
        "aspirin",
        ["patients[0]", "ref ana", "unknown drug 'aspirin'"],
        id="unknown-drug",
    ),
    pytest.param(
        "patients.0.phone", "+15551234567", ["patients[0]", "phone", "E.164"], id="invalid-phone"
    ),
    pytest.param("patiens", [], ["patiens", "Extra inputs are not permitted"], id="typo-patiens"),
    pytest.param(
        "patients.0.courses.0.strat",
        "2026-03-02",
        ["patients[0].courses[0].strat"],
        id="typo-in-course",
    ),
]


@pytest.mark.parametrize(("path", "value", "fragments"), BAD)
def test_a_bad_scenario_exits_2_naming_the_field(
    simulate: Simulate, tmp_path: Path, path: str, value: Any, fragments: list[str]
) -> None:
    file = scenario(tmp_path, "tretinoin_new_york.json", lambda d: set_path(d, path, value))
    result = simulate(file)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""  # never half a JSON document
    message = " ".join(result.stderr.split())
    assert str(file) in message
    for fragment in fragments:
        assert fragment in message
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "content",
    [b'{"start": "2026-03-01T00:00:00Z",', b"", b"\xff\xfe{}", b"start: 2026-03-01"],
    ids=["truncated", "empty", "not-utf8", "yaml"],
)
def test_a_file_that_is_not_json_exits_2(
    simulate: Simulate, tmp_path: Path, content: bytes
) -> None:
    file = tmp_path / "scenario.json"
    file.write_bytes(content)
    result = simulate(file)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "not valid JSON" in result.stderr
    assert "Traceback" not in result.output


def test_a_missing_file_exits_2(simulate: Simulate, tmp_path: Path) -> None:
    result = simulate(tmp_path / "nope.json")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_simulate_ignores_the_configured_database(
    simulate: Simulate, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DSWATCH_DATABASE_URL", "postgresql+psycopg://dswatch@127.0.0.1:1/dswatch")
    get_settings.cache_clear()
    assert output(simulate(SCENARIOS / "tretinoin_new_york.json"))["messages"]
