"""Figure 5: emergency replies while routine check-ins drain.

PostgreSQL; N patients whose check-ins were dispatched (N routine messages queued); the Twilio
stand-in in its own process; a real `dswatch worker` draining the routine messages to it and a
real `dswatch web` taking the replies. 100 patients text "1" (trouble breathing), paced over a
few seconds, each a signed POST /twilio/sms. Measured per reply: request to the TwiML safety
advice (the load generator's clock), and request to the nurse alert accepted by the stand-in
(the stand-in's clock; same machine, same clock).

Bound: the same, on the same database, with no worker and so nothing draining.
"""

from __future__ import annotations

import re
import time
from typing import Any

from .common import NURSES, Database, Row, log, median, percentile
from .idle import _count, end, start_worker
from .inbound import free_port, load, prepare, signed, start_web
from .sending import StandIn

CODE = re.compile(r"\((B\d{7})\)")


def _emergencies(
    port: int, standin: StandIn, patients: list[int], rate: float
) -> tuple[list[float], list[float]]:
    """Send one emergency per patient; returns ms to TwiML and ms to alert accepted, each."""
    requests = [signed(i, "1") for i in patients]
    results = load(
        port,
        requests,
        connections=16,
        duration=len(requests) / rate + 5,
        rate=rate,
        bodies=True,
    )
    twiml_ms = [(done - due) * 1000 for due, done, _, _ in results]
    missing = [r for r in results if "911" not in r[3]]
    if missing:
        raise RuntimeError(f"{len(missing)} emergency replies got no safety advice in TwiML")
    # Request i was due at start + i / rate: in order of due time they follow `patients`.
    ordered = sorted(results, key=lambda r: float(r[0]))
    started = {
        f"B{patient + 1:07d}": float(result[0])
        for result, patient in zip(ordered, patients, strict=True)
    }
    nurse_phones = [phone for _, phone, _ in NURSES]
    deadline = time.monotonic() + 30
    alerts: dict[str, float] = {}
    while time.monotonic() < deadline:
        alerts = {}
        for stamp, _, body in standin.sent(to=nurse_phones, bodies=True):
            match = CODE.search(body)
            if match and match[1] in started and match[1] not in alerts:
                alerts[match[1]] = stamp
        if len(alerts) == len(started):
            break
        time.sleep(0.5)
    if len(alerts) != len(started):
        raise RuntimeError(f"only {len(alerts)} of {len(started)} nurse alerts were accepted")
    alert_ms = [(alerts[code] - due) * 1000 for code, due in started.items()]
    return twiml_ms, alert_ms


def run(db: Database, plan: dict[str, Any]) -> list[Row]:
    n = plan["patients"]
    count = plan["emergencies"]
    rate = plan["rate"]
    prepare(db, n)
    standin = StandIn(plan["latency"])
    port = free_port()
    web = start_web(db.url, standin.base_url, port)
    worker = None
    try:
        # Warm the web process (first requests compile statements), then the quiet bound.
        _emergencies(port, standin, list(range(n - 20, n)), rate)
        quiet = _emergencies(port, standin, list(range(count, 2 * count)), rate)
        worker = start_worker(db.url, standin.base_url)
        before = standin.count()
        deadline = time.monotonic() + 60
        while standin.count() < before + 500 and time.monotonic() < deadline:
            time.sleep(0.2)  # the routine drain is under way
        loaded = _emergencies(port, standin, list(range(count)), rate)
        routine_sent = standin.count() - before
        still_queued = _count(db.url, "SELECT count(*) FROM messages WHERE status = 'queued'")
    finally:
        if worker is not None:
            end(worker)
        end(web)
        standin.close()
    log(
        f"emergency under load: TwiML p99 {percentile(loaded[0], 99):.0f} ms, alert p99 "
        f"{percentile(loaded[1], 99):.0f} ms; quiet: {percentile(quiet[0], 99):.0f} / "
        f"{percentile(quiet[1], 99):.0f} ms; routine sent meanwhile {routine_sent}, "
        f"{still_queued} still queued"
    )
    label = f"{count} while {n // 1000}k routine drain"
    twiml_p99 = percentile(loaded[0], 99)
    alert_p99 = percentile(loaded[1], 99)
    note = (
        f"{rate:.0f}/s; p50 {median(loaded[0]):.0f} ms / {median(loaded[1]):.0f} ms; "
        f"{routine_sent} routine sent meanwhile, {still_queued} still queued at the end"
    )
    return [
        Row(
            name=f"emergency: request to TwiML p99 ({label})",
            value=twiml_p99,
            unit="ms",
            bound=percentile(quiet[0], 99),
            target="< 250 ms",
            met=twiml_p99 < 250,
            note=note + "; bound: same replies, nothing draining",
        ),
        Row(
            name=f"emergency: request to alert accepted p99 ({label})",
            value=alert_p99,
            unit="ms",
            bound=percentile(quiet[1], 99),
            target="< 1000 ms",
            met=alert_p99 < 1000,
            note="alert accepted by the Twilio stand-in; bound: nothing draining",
        ),
    ]
