"""Real `dswatch` processes for the multi-process and kill tests, and the world they work on.

    seed = seed_due_checkins(url, 20_000, now)      # patients with a check-in due a minute ago
    with TwilioStandIn() as standin:
        worker = DswatchProcess.worker(url, standin, tmp_path / "w1.log")
        ...
        worker.kill()                                # SIGKILL: no clean-up of any kind

The seeded rows are the ones enrolment writes (care team, patient, course, the planned check-in
and `closes_at`), computed with the same planning functions, but inserted in bulk with
SQLAlchemy Core: the enrolment service validates and audits one patient per transaction, far
too slow for tens of thousands. The welcome message and audit rows are left out: dispatch and
the outbox never read them.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, insert, select

from monitor.catalogue import load_catalogue
from monitor.db.models import CareTeam, CheckIn, Course, Message, Patient
from monitor.domain.schedule import closing_at
from monitor.domain.states import CheckinStatus, MessageKind, OutboxStatus, PatientStatus
from monitor.protocol import load_protocol
from monitor.services.enrolment import CODE_ALPHABET
from monitor.services.planning import domain_courses, next_checkin_row
from tests.support.twilio_standin import TwilioStandIn

FROM_NUMBER = "+12015550000"
SEED_DRUG = "tretinoin"  # 14-day window; the course started 3 days ago
PHONE_BASE = 12012000000  # +1 201 200 0000 onwards: valid NANP numbers, one per patient


# -- the world ---------------------------------------------------------------------------------


def midday_zone(now: datetime) -> ZoneInfo:
    """A fixed-offset IANA zone where `now` is about 14:00 local, far from quiet hours (21-08),
    so neither dispatch nor the outbox skips or expires a check-in whenever the test runs."""
    offset = 14 - now.astimezone(UTC).hour  # -9 .. +14, all of them real Etc/GMT zones
    if offset == 0:
        return ZoneInfo("Etc/GMT")
    # POSIX sign: Etc/GMT-3 is three hours *ahead* of UTC.
    return ZoneInfo(f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}")


def phone_of(index: int) -> str:
    return f"+{PHONE_BASE + index}"


def patient_code(index: int) -> str:
    """Distinct enrolment-style codes (P + 5 characters of the read-aloud alphabet)."""
    base = len(CODE_ALPHABET)
    digits = []
    for _ in range(5):
        index, digit = divmod(index, base)
        digits.append(CODE_ALPHABET[digit])
    return "P" + "".join(reversed(digits))


@dataclass(frozen=True)
class Seed:
    patients: int
    zone: ZoneInfo
    due_at: datetime
    local_date: date
    phones: frozenset[str]


def seed_due_checkins(
    engine: Engine, count: int, now: datetime, *, chunk: int = 5000, due_ago: float = 60.0
) -> Seed:
    """`count` active patients of one care team, each with one check-in due about a minute ago.

    Each patient's check-in time is the local minute `due_ago` seconds before `now` in a zone
    where that is early afternoon, so the planned row is exactly the one `refresh_schedule` would
    have written for that patient (status scheduled, local date today, due_at that instant).
    """
    if count > len(CODE_ALPHABET) ** 5:
        raise ValueError(f"at most {len(CODE_ALPHABET) ** 5} patients")
    catalogue = load_catalogue(None)
    quiet = load_protocol(None).quiet
    zone = midday_zone(now)
    wanted = (now - timedelta(seconds=due_ago)).astimezone(zone)
    at = clock_time(wanted.hour, wanted.minute)
    today = wanted.date()
    course_values = {
        "drug": catalogue.find(SEED_DRUG).key,
        "start_date": today - timedelta(days=3),
        "window_days": None,
        "hold_date": None,
        "resume_date": None,
        "stop_date": None,
        "created_at": now - timedelta(days=3),
    }
    courses = domain_courses(catalogue, [Course(**course_values)])
    closes = closing_at(courses, zone, quiet)
    probe = Patient(id=0, timezone=zone.key, checkin_time=at)
    planned = next_checkin_row(probe, courses, now - timedelta(seconds=due_ago + 60), None)
    assert planned is not None and planned["local_date"] == today and planned["due_at"] <= now
    enrolled = now - timedelta(days=3)
    with engine.begin() as connection:
        team_id = connection.scalar(
            insert(CareTeam)
            .values(name="Seeded clinic", clinic_phone="+12015550199", created_at=enrolled)
            .returning(CareTeam.id)
        )
        for first in range(0, count, chunk):
            indexes = range(first, min(first + chunk, count))
            ids = connection.scalars(
                insert(Patient).returning(Patient.id, sort_by_parameter_order=True),
                [
                    {
                        "code": patient_code(i),
                        "name": f"Seeded Patient{i}",
                        "phone": phone_of(i),
                        "timezone": zone.key,
                        "language": "en",
                        "checkin_time": at,
                        "care_team_id": team_id,
                        "status": PatientStatus.ACTIVE,
                        "phone_problem": None,
                        "closes_at": closes,
                        "enrolled_at": enrolled,
                        "updated_at": enrolled,
                    }
                    for i in indexes
                ],
            ).all()
            connection.execute(
                insert(Course), [{"patient_id": pid, **course_values} for pid in ids]
            )
            connection.execute(
                insert(CheckIn),
                [
                    {
                        "patient_id": pid,
                        "local_date": planned["local_date"],
                        "due_at": planned["due_at"],
                        "status": CheckinStatus.SCHEDULED,
                    }
                    for pid in ids
                ],
            )
    return Seed(
        patients=count,
        zone=zone,
        due_at=planned["due_at"],
        local_date=today,
        phones=frozenset(phone_of(i) for i in range(count)),
    )


@dataclass(frozen=True)
class Progress:
    """Where the seeded day's work stands, read from the database."""

    due_scheduled: int  # check-ins for the seeded day still waiting for dispatch
    checkins_sent: int
    checkins_other: int  # skipped, missed...: none expected
    outbox: dict[str, int]  # check-in messages by status

    @property
    def dispatching(self) -> bool:
        return self.due_scheduled > 0

    def done(self, count: int) -> bool:
        return (
            self.due_scheduled == 0
            and self.checkins_sent == count
            and self.outbox.get(OutboxStatus.SENT, 0) == count
            and sum(self.outbox.values()) == count
        )


def progress(engine: Engine, seed: Seed) -> Progress:
    with engine.connect() as connection:
        by_status = dict(
            connection.execute(
                select(CheckIn.status, func.count())
                .where(CheckIn.local_date == seed.local_date)
                .group_by(CheckIn.status)
            ).all()
        )
        outbox = dict(
            connection.execute(
                select(Message.status, func.count())
                .where(Message.kind == MessageKind.CHECKIN)
                .group_by(Message.status)
            ).all()
        )
    return Progress(
        due_scheduled=by_status.pop(CheckinStatus.SCHEDULED, 0),
        checkins_sent=by_status.pop(CheckinStatus.SENT, 0),
        checkins_other=sum(by_status.values()),
        outbox={str(status): n for status, n in outbox.items()},
    )


def copies_per_phone(standin: TwilioStandIn) -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in standin.messages:
        counts[message.to] = counts.get(message.to, 0) + 1
    return counts


# -- processes ---------------------------------------------------------------------------------


def _command(*args: str) -> list[str]:
    """The installed `dswatch` console script next to this interpreter (what operators run)."""
    script = shutil.which("dswatch", path=str(Path(sys.executable).parent))
    if script is not None:
        return [sys.executable, script, *args]
    return [sys.executable, "-c", "from monitor.cli import main; main()", *args]


def dswatch_env(database_url: str, **settings: object) -> dict[str, str]:
    """The parent's environment without any DSWATCH_ variable, plus the given settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DSWATCH_")}
    env["DSWATCH_DATABASE_URL"] = database_url
    env["DSWATCH_LOG_FORMAT"] = "json"
    env["PYTHONUNBUFFERED"] = "1"
    for name, value in settings.items():
        if value is not None:
            env[f"DSWATCH_{name.upper()}"] = str(value)
    return env


def twilio_settings(standin: TwilioStandIn) -> dict[str, object]:
    return {
        "twilio_account_sid": standin.account_sid,
        "twilio_auth_token": standin.auth_token,
        "twilio_from_number": FROM_NUMBER,
        "twilio_api_base_url": standin.base_url,
    }


class DswatchProcess:
    """One `dswatch` OS process; its stderr (JSON log lines) goes to `log_path`."""

    def __init__(
        self, args: list[str], env: Mapping[str, str], log_path: Path, cwd: Path | None = None
    ) -> None:
        self.log_path = log_path
        self._log: IO[bytes] = open(log_path, "ab")  # noqa: SIM115 - closed in wait()
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            args,
            env=dict(env),
            cwd=cwd or log_path.parent,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
        )

    @classmethod
    def worker(
        cls, database_url: str, standin: TwilioStandIn, log_path: Path, **settings: object
    ) -> DswatchProcess:
        env = dswatch_env(database_url, **twilio_settings(standin), **settings)
        return cls(_command("worker"), env, log_path)

    @classmethod
    def command(cls, args: list[str], env: Mapping[str, str], log_path: Path) -> DswatchProcess:
        return cls(_command(*args), env, log_path)

    @classmethod
    def python(
        cls, code: str, args: list[str], env: Mapping[str, str], log_path: Path
    ) -> DswatchProcess:
        """Run `code` (which ends by calling the CLI) in a fresh interpreter: fault injection."""
        return cls([sys.executable, "-c", code, *args], env, log_path)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to finish or clean up anything."""
        self.signal(signal.SIGKILL)
        self.wait(10)

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, then wait; SIGKILL if it does not end within `timeout`."""
        self.signal(signal.SIGTERM)
        try:
            return self.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def signal(self, signum: int) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signum)

    def wait(self, timeout: float) -> int:
        code = self.process.wait(timeout)
        self._log.close()
        return code

    def ensure_stopped(self) -> None:
        """For `finally:` blocks: nothing this test started may outlive it."""
        if self.alive():
            self.kill()
        else:
            self._log.close()

    def log_entries(self) -> list[dict[str, Any]]:
        entries = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                entry = json.loads(line)
                if isinstance(entry, dict):
                    entries.append(entry)
        return entries

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def wait_for_log(self, text: str, timeout: float) -> float:
        """Seconds since start until a log line contains `text`; raises if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log_path.read_text(errors="replace"):
                return time.monotonic() - self.started_at
            if not self.alive():
                raise AssertionError(f"process exited early:\n{self.log_tail()}")
            time.sleep(0.02)
        raise AssertionError(f"no log line with {text!r} after {timeout} s:\n{self.log_tail()}")


@contextlib.contextmanager
def stopping(processes: list[DswatchProcess]) -> Iterator[list[DswatchProcess]]:
    """Kill whatever is still running when the block ends, however it ends."""
    try:
        yield processes
    finally:
        for process in processes:
            process.ensure_stopped()


def problems_in_logs(processes: list[DswatchProcess]) -> list[str]:
    """Error-level log lines (a failed job, an unexpected sender error), for the assertion."""
    found = []
    for process in processes:
        for entry in process.log_entries():
            if entry.get("level") in ("error", "critical"):
                found.append(f"pid {process.pid}: {entry.get('message')}")
    return found


def wait_until(
    condition: Callable[[], bool],
    timeout: float,
    *,
    interval: float = 0.2,
    watch: Sequence[DswatchProcess] = (),
    what: str = "the condition",
) -> float:
    """Poll until `condition()` holds; seconds taken. Fails early if a watched process died."""
    started = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - started
        for process in watch:
            if not process.alive():
                raise AssertionError(
                    f"pid {process.pid} exited with {process.process.returncode} while waiting "
                    f"for {what}:\n{process.log_tail()}"
                )
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, timeout: float, process: DswatchProcess) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not process.alive():
            raise AssertionError(f"process exited early:\n{process.log_tail()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"nothing listening on port {port} after {timeout} s")


def utcnow() -> datetime:
    return datetime.now(UTC)
