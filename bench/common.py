"""What every figure shares: result rows, timing, databases, seeding, child processes, memory.

Databases: SQLite files under a temporary folder, and a PostgreSQL schema of our own
(`dswatch_bench`, dropped at the end) on DSWATCH_BENCH_DATABASE_URL (default: the local test
server). The test suite's schemas are never touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, make_url, text

from monitor.db.engine import make_engine
from monitor.db.migrate import upgrade
from monitor.domain.schedule import closing_at
from monitor.domain.windows import Course

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
PG_BASE = os.environ.get(
    "DSWATCH_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SCHEMA = "dswatch_bench"
TEAM = "Bench clinic"
CLINIC_PHONE = "+12015550199"
NURSES = (("Nina Tier1", "+12025550101", 1), ("Omar Tier2", "+12025550102", 2))
AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
ACCOUNT_SID = "AC" + "1" * 32
PUBLIC = "https://dswatch.example.org"
SERVICE_NUMBER = "+12015550000"
# Courses as a clinic would have them: several drugs, started on different days.
DRUGS = (("tretinoin", 14), ("arsenic_trioxide", 14), ("enasidenib", 180), ("gilteritinib", 90))
FIRST = ("Ana", "John", "Maria", "Wei", "Fatima", "Luis", "Grace", "Omar", "Sofia", "Ken")
LAST = ("Garcia", "Smith", "Lopez", "Chen", "Khan", "Diaz", "Okafor", "Hassan", "Rossi", "Ito")
# Real zones around the world; those whose local time is mid-day when the bench runs are used,
# so the real clock can drive every process (check-ins are outside quiet hours).
ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Sao_Paulo",
    "Atlantic/Azores",
    "Europe/London",
    "Europe/Madrid",
    "Europe/Athens",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Brisbane",
    "Pacific/Noumea",
    "Pacific/Auckland",
    "Pacific/Tongatapu",
    "America/Mexico_City",
)


# -- results ----------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the results: `ratio` is value / bound (same unit)."""

    name: str
    value: float
    unit: str
    bound: float | None = None
    target: str | None = None
    met: bool | None = None
    note: str = ""
    runs: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.bound in (None, 0):
            return None
        assert self.bound is not None
        return self.value / self.bound

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = None if self.ratio is None else round(self.ratio, 4)
        data["value"] = round(self.value, 4)
        data["bound"] = None if self.bound is None else round(self.bound, 4)
        data["runs"] = [round(r, 4) for r in self.runs]
        order = ("name", "value", "unit", "bound", "ratio", "target", "met", "note", "runs")
        return {key: data[key] for key in order}


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): the value at or below which q% of samples lie."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def log(message: str) -> None:
    print(f"  · {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    started = time.perf_counter()
    ended: list[float] = []
    yield lambda: (ended[0] if ended else time.perf_counter()) - started
    ended.append(time.perf_counter())


# -- databases --------------------------------------------------------------------------------


def pg_url(schema: str) -> str:
    url = make_url(PG_BASE).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def pg_available() -> bool:
    try:
        engine = make_engine(PG_BASE)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception:
        return False
    return True


def pg_version() -> str:
    engine = make_engine(PG_BASE)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar())
    finally:
        engine.dispose()


class Database:
    """A migrated DSWatch database that can be emptied quickly and seeded again.

    kind "sqlite": a file copied from a migrated template; kind "postgresql": a schema of our
    own, migrated once, emptied with TRUNCATE.
    """

    def __init__(self, kind: str, workdir: Path, schema: str = SCHEMA) -> None:
        self.kind = kind
        self.schema = schema
        self._workdir = workdir
        if kind == "sqlite":
            self._template = workdir / f"template-{schema}.db"
            self.path = workdir / f"{schema}.db"
            if not self._template.exists():
                upgrade(f"sqlite:///{self._template}")
            self.url = f"sqlite:///{self.path}"
        else:
            admin = make_engine(PG_BASE)
            try:
                with admin.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                    connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            finally:
                admin.dispose()
            self.url = pg_url(schema)
            upgrade(self.url)

    @property
    def label(self) -> str:
        return "SQLite" if self.kind == "sqlite" else "PostgreSQL"

    def empty(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self._template, self.path)
            return
        engine = make_engine(self.url)
        try:
            with engine.begin() as connection:
                tables = connection.execute(
                    text(
                        "SELECT tablename FROM pg_tables WHERE schemaname = :schema "
                        "AND tablename <> 'alembic_version'"
                    ),
                    {"schema": self.schema},
                ).scalars()
                names = ", ".join(f'"{self.schema}"."{name}"' for name in tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        finally:
            engine.dispose()

    def drop(self) -> None:
        if self.kind == "postgresql":
            admin = make_engine(PG_BASE)
            try:
                with admin.begin() as connection:
                    connection.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            finally:
                admin.dispose()


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="dswatch-bench-") as folder:
        yield Path(folder)


# -- the patients -------------------------------------------------------------------------


def phone_for(index: int) -> str:
    """A distinct, valid US number per patient (index < 1,400,000)."""
    area = (201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216)[index // 100_000]
    exchange = 234 + (index // 10_000) % 10 * 70
    return f"+1{area}{exchange}{index % 10_000:04d}"


def daytime_zones(now: datetime) -> list[str]:
    """Zones where it is between 09:00 and 18:59 now (and was a minute ago)."""
    found = [z for z in ZONES if 9 <= now.astimezone(ZoneInfo(z)).hour <= 18]
    return found or ["Etc/GMT" + f"{(now.hour - 12):+d}".replace("+-", "-")]


@dataclass(frozen=True)
class Seeded:
    n: int
    due_at: datetime
    zones: tuple[str, ...]


def seed(db: Database, n: int, *, due_at: datetime | None = None) -> Seeded:
    """N active patients with one course each and a check-in due at `due_at` (default: one
    minute ago), plus one care team with two nurses. Written in bulk (COPY on PostgreSQL).

    Patients are spread over the zones where it is day now; their courses over four drugs and
    every start day that keeps them monitored today; 10% write in Spanish.
    """
    now = datetime.now(UTC).replace(microsecond=0)
    due = due_at or now.replace(second=0) - timedelta(minutes=1)
    zones = daytime_zones(due)
    local = {z: due.astimezone(ZoneInfo(z)) for z in zones}
    closes_at: dict[tuple[str, str, date], datetime | None] = {}
    team = [(1, TEAM, CLINIC_PHONE, "UTC", now)]
    nurses = [
        (i + 1, 1, name, phone, tier, None, None, now)
        for i, (name, phone, tier) in enumerate(NURSES)
    ]
    patients = []
    courses = []
    checkins = []
    for i in range(n):
        pid = i + 1
        zone_name = zones[i % len(zones)]
        at, day = local[zone_name].time(), local[zone_name].date()
        drug, window = DRUGS[(i // 7) % len(DRUGS)]
        start = day - timedelta(days=(i * 7919) % window)  # started up to `window` days ago
        key = (zone_name, drug, start)
        if key not in closes_at:
            course = Course(drug, start, window)
            closes_at[key] = closing_at([course], ZoneInfo(zone_name), _QUIET)
        closes = closes_at[key]
        name = f"{FIRST[i % 10]} {LAST[(i // 10) % 10]}"
        language = "es" if i % 10 == 9 else "en"
        patients.append(
            (
                pid,
                f"B{pid:07d}",
                name,
                phone_for(i),
                zone_name,
                language,
                at,
                1,
                "active",
                None,
                closes,
                now,
                now,
            )
        )
        courses.append((pid, pid, drug, start, None, None, None, None, now))
        checkins.append((pid, pid, day, due, "scheduled"))
    tables = {
        "care_teams": (("id", "name", "clinic_phone", "timezone", "created_at"), team),
        "nurses": (
            (
                "id",
                "care_team_id",
                "name",
                "phone",
                "tier",
                "on_call_start",
                "on_call_end",
                "created_at",
            ),
            nurses,
        ),
        "patients": (
            (
                "id",
                "code",
                "name",
                "phone",
                "timezone",
                "language",
                "checkin_time",
                "care_team_id",
                "status",
                "phone_problem",
                "closes_at",
                "enrolled_at",
                "updated_at",
            ),
            patients,
        ),
        "courses": (
            (
                "id",
                "patient_id",
                "drug",
                "start_date",
                "window_days",
                "hold_date",
                "resume_date",
                "stop_date",
                "created_at",
            ),
            courses,
        ),
        "checkins": (("id", "patient_id", "local_date", "due_at", "status"), checkins),
    }
    db.empty()
    if db.kind == "postgresql":
        _copy_pg(db, tables)
    else:
        _insert_sqlite(db, tables)
    return Seeded(n, due, tuple(zones))


def _quiet() -> Any:
    from monitor.protocol import load_protocol

    return load_protocol(None).quiet


_QUIET = _quiet()


def _copy_pg(
    db: Database, tables: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]
) -> None:
    engine = make_engine(db.url)
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            for table, (columns, rows) in tables.items():
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                if rows:
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {len(rows)})"
                    )
            raw.commit()
            driver = raw.driver_connection
            driver.autocommit = True  # VACUUM cannot run inside a transaction block
            driver.execute(f"VACUUM ANALYZE {', '.join(tables)}")
            driver.autocommit = False
        finally:
            raw.close()
    finally:
        engine.dispose()


def sqlite_value(value: Any) -> Any:
    """How SQLAlchemy stores a value in SQLite (naive UTC text for datetimes)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "hour"):  # time
        return value.strftime("%H:%M:%S.%f")
    return value


def _insert_sqlite(
    db: Database, tables: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]
) -> None:
    import sqlite3

    connection = sqlite3.connect(db.path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("BEGIN")
        for table, (columns, rows) in tables.items():
            marks = ", ".join("?" for _ in columns)
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                ([sqlite_value(v) for v in row] for row in rows),
            )
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
    finally:
        connection.close()


def settings_for(url: str, **overrides: Any) -> Any:
    from monitor.settings import Settings

    values: dict[str, Any] = {
        "database_url": url,
        "public_base_url": PUBLIC,
        "clinic_phone": CLINIC_PHONE,
        "twilio_auth_token": AUTH_TOKEN,
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


def engine_for(url: str) -> Engine:
    return make_engine(url)


# -- processes and memory -----------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DSWATCH_")}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def spawn(args: Sequence[str], **extra_env: str) -> subprocess.Popen[str]:
    """Start `python -m bench.child ARGS` in a fresh interpreter (its own memory)."""
    return subprocess.Popen(
        [sys.executable, "-m", "bench.child", *args],
        cwd=REPO,
        env=child_env(**extra_env),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )


def read_message(process: subprocess.Popen[str], timeout: float = 600.0) -> dict[str, Any]:
    """The next JSON line a child wrote on its stdout."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"child {process.args} ended with code {process.wait()}")
        line = line.strip()
        if line.startswith("{"):
            message: dict[str, Any] = json.loads(line)
            return message
    raise TimeoutError(f"child {process.args} said nothing for {timeout} s")


def tell(process: subprocess.Popen[str], **message: Any) -> None:
    assert process.stdin is not None
    process.stdin.write(json.dumps(message) + "\n")
    process.stdin.flush()


def stop(process: subprocess.Popen[str], timeout: float = 10.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def memory_mb(pid: int | str = "self") -> dict[str, float]:
    """VmRSS (now) and VmHWM (peak) of a process, in MB, from /proc/<pid>/status."""
    found: dict[str, float] = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(rest.split()[0]) / 1024
    return found


def machine() -> dict[str, Any]:
    with open("/proc/meminfo") as meminfo:
        total_kb = int(meminfo.readline().split()[1])
    cpu = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(total_kb / 1024 / 1024, 1),
        "python": sys.version.split()[0],
        "postgresql": pg_version() if pg_available() else None,
    }
