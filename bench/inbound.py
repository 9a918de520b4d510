"""Figure 4: signed POST /twilio/sms under uvicorn on PostgreSQL, against a bare FastAPI endpoint.

Ours: the production command `dswatch web` (one uvicorn process) on a database of N patients
whose check-ins were sent; each request is a patient's routine answer, signed as Twilio signs,
with its own MessageSid (stored, parsed, triaged, answered in TwiML). Bound: a FastAPI endpoint
under uvicorn with the same settings that parses the same form and returns empty TwiML.

The load generator (bench.child loadgen) is a separate Python process with keep-alive raw
sockets, one thread per connection, the same for both. Closed loop: `connections` requests in
flight for `duration` seconds, giving requests per second and p50/p99. Paced: one request every
1/200 s, latency counted from when each was due.
"""

from __future__ import annotations

import itertools
import socket
import subprocess
import time
from datetime import UTC, datetime
from typing import Any

from twilio.request_validator import RequestValidator

from monitor import services
from monitor.runtime import build_runtime
from monitor.sms.sender import LocalSender

from .common import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    PUBLIC,
    REPO,
    SERVICE_NUMBER,
    Database,
    Row,
    log,
    median,
    percentile,
    phone_for,
    read_message,
    seed,
    settings_for,
    spawn,
    stop,
    tell,
)
from .idle import DSWATCH, end, service_env

PATH = "/twilio/sms"
_sids = itertools.count(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_listening(port: int, process: subprocess.Popen[Any], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server {process.args} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port} after {timeout} s")


def start_web(url: str, base_url: str, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [DSWATCH, "web", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=service_env(url, base_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_listening(port, process)
    return process


def start_bare(port: int) -> subprocess.Popen[str]:
    process = spawn(["bare", "--port", str(port)])
    wait_listening(port, process)
    return process


def signed(patient_index: int, body: str) -> tuple[dict[str, str], str]:
    """A Twilio inbound form from patient `patient_index` and its X-Twilio-Signature."""
    form = {
        "ToCountry": "US",
        "ToState": "NJ",
        "SmsMessageSid": "",
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": "",
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "US",
        "To": SERVICE_NUMBER,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": "",
        "AccountSid": ACCOUNT_SID,
        "From": phone_for(patient_index),
        "ApiVersion": "2010-04-01",
    }
    sid = f"SM{next(_sids):08d}{int(time.time() * 1000):024x}"
    form["SmsMessageSid"] = form["SmsSid"] = form["MessageSid"] = sid
    return form, RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + PATH, form)


def load(
    port: int,
    requests: list[tuple[dict[str, str], str]],
    *,
    connections: int,
    duration: float,
    rate: float = 0.0,
    bodies: bool = False,
) -> list[list[Any]]:
    """Run the load generator; returns [due, done, status, body] per request."""
    args = [
        "loadgen",
        "--port",
        str(port),
        "--connections",
        str(connections),
        "--duration",
        str(duration),
        "--rate",
        str(rate),
    ]
    if bodies:
        args.append("--bodies")
    process = spawn(args)
    try:
        tell(process, path=PATH, requests=requests)
        read_message(process)
        tell(process, at=time.time() + 0.2)
        results: list[list[Any]] = read_message(process, timeout=duration + 120)["results"]
    finally:
        stop(process)
    bad = [r for r in results if r[2] != 200]
    if bad:
        raise RuntimeError(f"{len(bad)} of {len(results)} requests failed, e.g. HTTP {bad[0][2]}")
    return results


def summarise(results: list[list[Any]]) -> dict[str, float]:
    latencies = [(done - due) * 1000 for due, done, _, _ in results]
    span = max(done for _, done, _, _ in results) - min(due for due, _, _, _ in results)
    return {
        "rps": len(results) / span,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "n": len(results),
    }


def prepare(db: Database, n: int) -> None:
    """N patients whose check-ins went out (so a reply answers one)."""
    seed(db, n)
    rt = build_runtime(settings_for(db.url), sender=LocalSender(), rate_limit=False)
    try:
        services.dispatch_due(rt, datetime.now(UTC))
    finally:
        rt.close()


def run(db: Database, plan: dict[str, Any]) -> list[Row]:
    n = plan["patients"]
    prepare(db, n)
    duration = plan["duration"]
    connections = plan["connections"]
    rate = plan["rate"]
    next_patient = itertools.count()
    measured: dict[str, list[dict[str, float]]] = {
        "ours": [],
        "bound": [],
        "ours@": [],
        "bound@": [],
    }
    for repeat in range(plan["repeats"]):
        for which in ("bound", "ours") if repeat % 2 == 0 else ("ours", "bound"):
            port = free_port()
            server: subprocess.Popen[Any] = (
                start_web(db.url, "http://127.0.0.1:9", port)
                if which == "ours"
                else start_bare(port)
            )
            try:
                # Each request a new message from another patient: enough for the closed loop
                # at up to 600 req/s, then the paced run.
                warm = [signed(next(next_patient) % n, "0 temp 36.8") for _ in range(50)]
                load(port, warm, connections=connections, duration=2.0)
                pool = [
                    signed(next(next_patient) % n, "0 temp 36.8")
                    for _ in range(int(600 * duration))
                ]
                closed = summarise(load(port, pool, connections=connections, duration=duration))
                paced_pool = [
                    signed(next(next_patient) % n, "0 temp 36.8")
                    for _ in range(int(rate * plan["paced"]) + 10)
                ]
                paced = summarise(
                    load(port, paced_pool, connections=32, duration=plan["paced"], rate=rate)
                )
            finally:
                if which == "ours":
                    end(server)
                else:
                    stop(server)
            measured[which].append(closed)
            measured[which + "@"].append(paced)
            log(
                f"inbound {which}: {closed['rps']:.0f} req/s p50 {closed['p50']:.1f} ms "
                f"p99 {closed['p99']:.1f} ms; at {rate:.0f}/s p99 {paced['p99']:.1f} ms "
                f"(run {repeat + 1}/{plan['repeats']})"
            )

    def med(which: str, key: str) -> float:
        return median([m[key] for m in measured[which]])

    rps, bound_rps = med("ours", "rps"), med("bound", "rps")
    p99_paced = med("ours@", "p99")
    label = f"{connections} connections"
    return [
        Row(
            name=f"inbound POST /twilio/sms: throughput ({db.label}, {label})",
            value=rps,
            unit="req/s",
            bound=bound_rps,
            target="ratio >= 0.25",
            met=rps / bound_rps >= 0.25,
            note=f"median of {plan['repeats']} runs of {duration:.0f} s; uvicorn, 1 process",
            runs=[m["rps"] for m in measured["ours"]],
        ),
        Row(
            name=f"inbound: p50 at full load ({label})",
            value=med("ours", "p50"),
            unit="ms",
            bound=med("bound", "p50"),
            note="no target set by the issue",
        ),
        Row(
            name=f"inbound: p99 at full load ({label})",
            value=med("ours", "p99"),
            unit="ms",
            bound=med("bound", "p99"),
            note="no target set by the issue",
        ),
        Row(
            name=f"inbound: p99 at {rate:.0f} req/s",
            value=p99_paced,
            unit="ms",
            bound=med("bound@", "p99"),
            target="< 50 ms",
            met=p99_paced < 50,
            note=f"paced, latency from each request's due time; p50 {med('ours@', 'p50'):.1f} ms",
            runs=[m["p99"] for m in measured["ours@"]],
        ),
    ]
