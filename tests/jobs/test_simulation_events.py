"""`dswatch simulate` with events: texts go through the webhook's path; escalations are listed."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from jobs.scenario import parse_scenario
from jobs.simulation import run_scenario
from monitor.settings import Settings

SCENARIO = Path(__file__).parents[1] / "fixtures" / "scenarios" / "emergency_and_ack.json"


def simulate(data: dict[str, Any]) -> dict[str, Any]:
    return run_scenario(parse_scenario(data), Settings(_env_file=None))  # type: ignore[call-arg]


def test_events_reach_the_same_path_as_the_webhook() -> None:
    data = json.loads(SCENARIO.read_text(encoding="utf-8"))
    result = simulate(data)
    messages = result["messages"]
    to_ana = [m for m in messages if m["to"] == "+12015550123"]
    kinds = Counter(m["kind"] for m in to_ana)
    assert kinds["reply"] == 1  # thanks for the "0"
    assert kinds["safety"] == 1  # emergency advice, at the moment she wrote
    safety = next(m for m in to_ana if m["kind"] == "safety")
    assert safety["at"] == "2026-03-03T14:05:00Z" and "911" in safety["body"]
    assert safety["body"].startswith("Llame al 911")  # in her language

    alerts = [m for m in messages if m["kind"] == "alert"]
    emergency = [m for m in alerts if "EMERGENCY" in m["body"]]
    # Tier 1 at 14:05, again at 14:10, then tier 1 and 2 at 14:15; Omar acknowledged at 14:17.
    assert [(m["at"], m["to"]) for m in emergency] == [
        ("2026-03-03T14:05:00Z", "+12015550101"),
        ("2026-03-03T14:10:00Z", "+12015550101"),
        ("2026-03-03T14:15:00Z", "+12015550101"),
        ("2026-03-03T14:15:00Z", "+12015550102"),
    ]
    acked = [m for m in alerts if "acknowledged by Omar L." in m["body"]]
    assert [m["to"] for m in acked] == ["+12015550101"]

    by_level = {e["level"]: e for e in result["escalations"]}
    assert by_level["emergency"]["acknowledged_at"] == "2026-03-03T14:17:00Z"
    assert by_level["emergency"]["acknowledged_by"] == "Omar Lee"
    assert by_level["emergency"]["patient"] == "ana"
    assert by_level["opted_out"]["created_at"] == "2026-03-04T15:00:00Z"
    assert by_level["opted_out"]["acknowledged_at"] is None

    statuses = {c["local_date"]: c["status"] for c in result["checkins"]}
    assert statuses["2026-03-02"] == "answered"
    assert statuses["2026-03-03"] == "answered"
    assert statuses["2026-03-04"] == "missed"  # asked at 09:00, STOP at 10:00, never answered
    assert "2026-03-05" not in statuses  # no check-ins after STOP

    unknown = [m for m in messages if m["to"] == "+12015550777"]
    assert len(unknown) == 1 and "911" in unknown[0]["body"]


def test_the_same_scenario_always_gives_the_same_output() -> None:
    data = json.loads(SCENARIO.read_text(encoding="utf-8"))
    assert simulate(data) == simulate(data)


def test_an_event_outside_the_scenario_is_refused_naming_it() -> None:
    import pytest

    from jobs.scenario import ScenarioError

    data = json.loads(SCENARIO.read_text(encoding="utf-8"))
    data["events"].append({"at": "2027-01-01T00:00:00Z", "from": "+12015550123", "body": "1"})
    with pytest.raises(ScenarioError, match=r"events\[5\]\.at is outside start..end"):
        parse_scenario(data)
