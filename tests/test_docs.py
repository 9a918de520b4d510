"""The README and the example .env describe the service that exists: every setting and every
command is documented, so an operator reading them is never missing a knob or a command."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from monitor.cli import app
from monitor.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE_ENV = (ROOT / "config" / "example.env").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _commands(group: Any, prefix: str = "") -> list[str]:
    # Typer ships its own copy of click, so groups are recognised by their sub-commands.
    names = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            names += _commands(command, f"{prefix}{name} ")
        else:
            names.append(f"{prefix}{name}")
    return names


ENV_VARS = [f"DSWATCH_{name.upper()}" for name in Settings.model_fields]
COMMANDS = _commands(typer.main.get_group(app))


@pytest.mark.parametrize("variable", ENV_VARS)
def test_every_setting_is_in_the_configuration_table_and_the_example_env(variable: str) -> None:
    assert f"`{variable}`" in _section("Configuration")
    assert variable in EXAMPLE_ENV


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_command_reference(command: str) -> None:
    rows = [line for line in _section("Command reference").splitlines() if line.startswith("|")]
    *group, leaf = command.split()
    # A row documents "patient pause|resume|stop" or "team add ..., team list".
    pattern = re.compile(
        rf"`dswatch {' '.join(group)}{' ' if group else ''}(\S*\|)?{leaf}(\\?\|\S*)?[` ]"
        rf"|`{' '.join(group)}{' ' if group else ''}{leaf}[` ]"
    )
    assert any(pattern.search(row) for row in rows), f"`dswatch {command}` is not documented"


def test_the_tables_name_nothing_that_does_not_exist() -> None:
    documented = set(re.findall(r"`(DSWATCH_[A-Z_]+)`", _section("Configuration")))
    assert documented <= set(ENV_VARS)
