"""`dswatch` under typer's CliRunner: wide enough that rich tables never wrap a cell, logging
handlers restored afterwards (the CLI points them at the runner's stderr), and the command
pointed at this test's migrated database."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest
from freezegun import freeze_time
from typer.testing import CliRunner

from monitor.cli import app
from monitor.settings import get_settings
from tests.support.cli import Invoke

NOW = "2026-03-01T17:00:00Z"  # 12:00 in New York, the day before the usual course starts


@pytest.fixture
def use_database(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    def use(url: str) -> None:
        monkeypatch.setenv("DSWATCH_DATABASE_URL", url)
        get_settings.cache_clear()

    return use


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch) -> Iterator[Invoke]:
    """Run `dswatch ARGS...`."""
    monkeypatch.setenv("COLUMNS", "500")
    get_settings.cache_clear()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args))
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def cli(invoke: Invoke, use_database: Callable[[str], None], database_url: str) -> Iterator[Invoke]:
    """`dswatch` against this test's database, at NOW, with the care team "Heme clinic"."""
    use_database(database_url)
    with freeze_time(NOW):
        assert invoke("team", "add", "Heme clinic").exit_code == 0
        yield invoke
