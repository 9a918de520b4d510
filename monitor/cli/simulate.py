"""`dswatch simulate SCENARIO.json`: a dry run of a protocol, printed as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from jobs.scenario import ScenarioError, parse_scenario
from jobs.simulation import run_scenario
from monitor.catalogue import ConfigFileError
from monitor.cli.common import fail, settings_or_exit
from monitor.logging_setup import configure_logging


def simulate(
    scenario_file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, help="Scenario JSON"
    ),
) -> None:
    """Run a scenario on a simulated clock and print every message that would be sent."""
    settings = settings_or_exit()
    configure_logging("WARNING", settings.log_format)
    try:
        data = json.loads(scenario_file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise fail(f"{scenario_file}: not valid JSON ({error})") from None
    try:
        result = run_scenario(parse_scenario(data), settings)
    except (ScenarioError, ConfigFileError) as error:
        raise fail(f"{scenario_file}: {error}") from None
    json.dump(result, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
