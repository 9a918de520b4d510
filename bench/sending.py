"""Figure 3: drain queued check-ins through the Twilio sender to the stand-in, against a bare
loop of `client.messages.create` at the same concurrency; and the accuracy of the rate cap.

The stand-in runs in its own process (as Twilio would), with injected latency. Ours:
`services.drain_outbox` with the real `TwilioSender` (claim, rules, send in a thread pool,
record). Bound: the same messages (recipient, body, status callback) created by a thread pool
of the same size sharing one client, nothing else.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from monitor import services
from monitor.db.engine import make_engine
from monitor.runtime import build_runtime
from monitor.sms.sender import LocalSender
from monitor.sms.twilio_http import make_twilio_client

from .common import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    PUBLIC,
    SERVICE_NUMBER,
    Database,
    Row,
    log,
    median,
    read_message,
    seed,
    settings_for,
    spawn,
    stop,
    tell,
)


class StandIn:
    """The Twilio stand-in in a child process."""

    def __init__(self, latency: float) -> None:
        self.process = spawn(["standin", "--latency", str(latency)])
        self.base_url: str = read_message(self.process)["base_url"]

    def ask(self, **command: Any) -> dict[str, Any]:
        tell(self.process, **command)
        return read_message(self.process)

    def count(self) -> int:
        return int(self.ask(cmd="count")["count"])

    def reset(self) -> None:
        self.ask(cmd="reset")

    def sent(self, to: list[str] | None = None, bodies: bool = False) -> list[list[Any]]:
        found: list[list[Any]] = self.ask(cmd="sent", to=to, bodies=bodies)["sent"]
        return found

    def close(self) -> None:
        try:
            tell(self.process, cmd="stop")
            read_message(self.process, timeout=10)
        except Exception:
            pass
        stop(self.process)


def twilio_settings(url: str, base_url: str, **overrides: Any) -> Any:
    return settings_for(
        url,
        twilio_account_sid=ACCOUNT_SID,
        twilio_from_number=SERVICE_NUMBER,
        twilio_api_base_url=base_url,
        **overrides,
    )


def queue_checkins(db: Database, n: int) -> None:
    """N patients whose check-ins were dispatched: N routine messages queued."""
    seed(db, n)
    rt = build_runtime(settings_for(db.url), sender=LocalSender(), rate_limit=False)
    try:
        report = services.dispatch_due(rt, datetime.now(UTC))
    finally:
        rt.close()
    assert report.sent == n, report


def requeue(db: Database) -> list[tuple[str, str]]:
    """Put every outbound message back in the queue; returns (to, body) of each, by id."""
    engine = make_engine(db.url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE messages SET status = 'queued', provider_sid = NULL, attempts = 0, "
                    "sent_at = NULL, delivery_status = NULL, claimed_until = NULL, "
                    "next_attempt_at = :now WHERE direction = 'out'"
                ),
                {"now": datetime.now(UTC) if db.kind == "postgresql" else _naive()},
            )
            rows = connection.execute(
                text("SELECT to_phone, body FROM messages WHERE direction = 'out' ORDER BY id")
            ).all()
        if db.kind == "postgresql":
            with engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("VACUUM ANALYZE messages")
                )
    finally:
        engine.dispose()
    return [(to, body) for to, body in rows]


def _naive() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def drain_once(db: Database, standin: StandIn, threads: int, n: int) -> float:
    settings = twilio_settings(db.url, standin.base_url, send_concurrency=threads)
    rt = build_runtime(settings, rate_limit=False)
    try:
        with rt.sessions() as session:
            session.connection()
        _warm(rt.sender, threads)
        standin.reset()
        started = time.perf_counter()
        report = services.drain_outbox(rt, max_seconds=3600.0)
        elapsed = time.perf_counter() - started
    finally:
        rt.close()
    sent = standin.count()
    if report.sent != n or sent != n:
        raise RuntimeError(f"drain sent {report.sent} (stand-in got {sent}) of {n}")
    return elapsed


def _warm(sender: Any, threads: int) -> None:
    """Open the sending connections before the clock starts (the bound does the same)."""
    from monitor.sms.sender import OutgoingSms

    def one(i: int) -> None:
        sender.send(OutgoingSms(message_id=0, to="+12015550123", body="warm-up"))

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(threads)))


def bare_loop(standin: StandIn, threads: int, messages: list[tuple[str, str]]) -> float:
    client = make_twilio_client(ACCOUNT_SID, AUTH_TOKEN, standin.base_url, 10.0, threads)
    callback = f"{PUBLIC}/twilio/status"

    def create(item: tuple[str, str]) -> str:
        to, body = item
        created = client.messages.create(
            to=to, from_=SERVICE_NUMBER, body=body, status_callback=callback
        )
        return str(created.sid)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(create, messages[:threads]))
        standin.reset()
        started = time.perf_counter()
        list(pool.map(create, messages))
        elapsed = time.perf_counter() - started
    if standin.count() != len(messages):
        raise RuntimeError("the bare loop lost messages")
    return elapsed


def measure(db: Database, n: int, latency: float, threads: int, repeats: int) -> Row:
    queue_checkins(db, n)
    standin = StandIn(latency)
    ours: list[float] = []
    bound: list[float] = []
    try:
        for repeat in range(repeats):
            messages = requeue(db)
            order = ("ours", "bound") if repeat % 2 == 0 else ("bound", "ours")
            for which in order:
                if which == "ours":
                    messages = requeue(db)
                    ours.append(drain_once(db, standin, threads, n))
                else:
                    bound.append(bare_loop(standin, threads, messages))
            log(
                f"send {n} @{latency * 1000:.0f} ms x{threads}: ours {n / ours[-1]:.0f}/s, "
                f"bound {n / bound[-1]:.0f}/s (run {repeat + 1}/{repeats})"
            )
    finally:
        standin.close()
    rate, bound_rate = n / median(ours), n / median(bound)
    return Row(
        name=f"send {n // 1000}k @{latency * 1000:.0f} ms, {threads} threads ({db.label})",
        value=rate,
        unit="msg/s",
        bound=bound_rate,
        target="ratio >= 0.8",
        met=rate / bound_rate >= 0.8,
        note=f"median of {repeats}: {median(ours):.2f} s vs {median(bound):.2f} s",
        runs=[n / s for s in ours],
    )


def rate_cap(db: Database, cap: float, seconds: float, repeats: int) -> list[Row]:
    """Drain with a cap of `cap` routine messages per second; the stand-in's clock judges."""
    n = int(cap * seconds)
    queue_checkins(db, n)
    standin = StandIn(0.0)
    rates: list[float] = []
    peaks: list[float] = []
    try:
        for repeat in range(repeats):
            requeue(db)
            settings = twilio_settings(db.url, standin.base_url, routine_rate_per_second=cap)
            rt = build_runtime(settings)
            try:
                _warm(rt.sender, 1)
                standin.reset()
                sent = 0
                deadline = time.monotonic() + seconds * 3 + 30
                while sent < n and time.monotonic() < deadline:
                    report = services.drain_outbox(rt, max_seconds=5.0)  # as the worker's job
                    sent += report.sent
            finally:
                rt.close()
            stamps = sorted(item[0] for item in standin.sent())
            if len(stamps) != n:
                raise RuntimeError(f"rate-capped drain sent {len(stamps)} of {n}")
            rates.append((len(stamps) - 1) / (stamps[-1] - stamps[0]))
            peaks.append(_busiest_second(stamps))
            log(
                f"rate cap {cap:.0f}/s: measured {rates[-1]:.2f}/s, busiest second "
                f"{peaks[-1]:.0f} (run {repeat + 1}/{repeats})"
            )
    finally:
        standin.close()
    rate = median(rates)
    return [
        Row(
            name=f"rate cap {cap:.0f}/s: measured rate ({n} msgs)",
            value=rate,
            unit="msg/s",
            bound=cap,
            target="0.95 <= ratio <= 1",
            met=all(0.95 * cap <= r <= cap for r in rates),
            note="first to last acceptance at the stand-in; met only if every run is within",
            runs=rates,
        ),
        Row(
            name=f"rate cap {cap:.0f}/s: busiest 1 s window",
            value=max(peaks),
            unit="msg",
            bound=cap,
            target="<= cap (never above)",
            met=max(peaks) <= cap,
            note="most acceptances in any sliding 1 s window, worst run",
            runs=peaks,
        ),
    ]


def _busiest_second(stamps: list[float]) -> float:
    best, low = 0, 0
    for high, stamp in enumerate(stamps):
        while stamp - stamps[low] >= 1.0:
            low += 1
        best = max(best, high - low + 1)
    return float(best)


def run(db: Database, plan: dict[str, Any]) -> list[Row]:
    rows = [
        measure(db, plan["n0"], 0.0, plan["threads0"], plan["repeats"]),
        measure(db, plan["n150"], 0.150, plan["threads150"], plan["repeats"]),
    ]
    rows.extend(rate_cap(db, plan["cap"], plan["cap_seconds"], plan["cap_repeats"]))
    return rows
