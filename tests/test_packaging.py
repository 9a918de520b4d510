"""A non-editable install works: the wheel carries config, templates and migrations, and code run
from an unpacked wheel finds them without the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

PROBE = """
import json, sys
import jobs, jobs.tasks, monitor
from monitor import paths
from monitor.catalogue import load_catalogue
from monitor.db import migrate
from monitor.db.schema_check import head_revision
from monitor.protocol import load_protocol
from monitor.sms.render import Renderer

url = sys.argv[1]
migrate.upgrade(url)
print(json.dumps({
    "monitor": monitor.__file__,
    "jobs": jobs.__file__,
    "config": str(paths.config_dir()),
    "templates": str(paths.templates_dir()),
    "migrations": str(paths.migrations_dir()),
    "revision": migrate.current_revision(url),
    "head": head_revision(url),
    "drugs": [drug.name for drug in load_catalogue()],
    "quiet_start": str(load_protocol().quiet.start),
    "templates_en": Renderer().names("en"),
    "templates_es": Renderer().names("es"),
}))
"""

CLI = "import sys; from monitor.cli import main; sys.argv[0] = 'dswatch'; main()"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(REPO)],
        check=True,
        timeout=240,
        capture_output=True,
    )
    [built] = folder.glob("dswatch-*.whl")
    return built


@pytest.fixture(scope="module")
def unpacked(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(folder)
    return folder


def run_from(unpacked: Path, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Python with the unpacked wheel first on sys.path (the editable install's .pth puts the
    repository on sys.path too, but after PYTHONPATH) and nothing from the developer's setup."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DSWATCH_")}
    clean |= {"PYTHONPATH": str(unpacked), "PYTHONDONTWRITEBYTECODE": "1", **env}
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_wheel_carries_config_templates_jobs_and_migrations(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "dswatch = monitor.cli:main" in archive.read(entry_points).decode()
    for required in (
        "monitor/_data/config/drugs.toml",
        "monitor/_data/config/protocol.toml",
        "monitor/_data/templates/sms/en/checkin.j2",
        "monitor/_data/templates/sms/es/checkin.j2",
        "monitor/_data/templates/sms/en/welcome.j2",
        "monitor/_data/templates/sms/es/welcome.j2",
        "jobs/__init__.py",
        "jobs/tasks.py",
        "jobs/scheduler.py",
        "monitor/cli/__init__.py",
        "monitor/db/migrations/env.py",
        "monitor/db/migrations/script.py.mako",
    ):
        assert required in names
    assert any(
        name.startswith("monitor/db/migrations/versions/") and name.endswith(".py")
        for name in names
    )
    assert not [name for name in names if name.startswith("tests/") or "__pycache__" in name]


def test_the_unpacked_wheel_finds_its_data_and_migrates_a_database(
    unpacked: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    url = f"sqlite:///{tmp_path / 'installed.db'}"

    result = run_from(unpacked, outside, "-c", PROBE, url)

    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    for key in ("monitor", "jobs", "config", "templates", "migrations"):
        assert Path(found[key]).is_relative_to(unpacked), (key, found[key])
        assert not Path(found[key]).is_relative_to(REPO), (key, found[key])
    assert Path(found["config"]) == unpacked / "monitor" / "_data" / "config"
    assert Path(found["templates"]) == unpacked / "monitor" / "_data" / "templates"
    assert found["revision"] == found["head"] is not None
    assert "tretinoin" in found["drugs"] and "ivosidenib" in found["drugs"]
    assert found["quiet_start"] == "21:00:00"
    for language in ("en", "es"):
        assert {"checkin", "closing", "reminder", "welcome"} <= set(found[f"templates_{language}"])


def test_the_dswatch_command_runs_from_the_unpacked_wheel(unpacked: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    url = f"sqlite:///{tmp_path / 'installed.db'}"

    upgrade = run_from(unpacked, outside, "-c", CLI, "db", "upgrade", DSWATCH_DATABASE_URL=url)
    assert upgrade.returncode == 0, upgrade.stderr
    assert "database schema at revision" in upgrade.stdout

    team = run_from(
        unpacked, outside, "-c", CLI, "team", "add", "Heme clinic", DSWATCH_DATABASE_URL=url
    )
    assert team.returncode == 0, team.stderr

    drugs = run_from(unpacked, outside, "-c", CLI, "drugs", COLUMNS="400")
    assert drugs.returncode == 0, drugs.stderr
    assert "tretinoin" in drugs.stdout and "ATRA" in drugs.stdout
