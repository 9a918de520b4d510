"""Processes the bench starts, each in a fresh interpreter: `python -m bench.child ROLE ...`.

standin  the Twilio stand-in (tests/support/twilio_standin.py) on 127.0.0.1, driven by JSON
         commands on stdin (count, wait, reset, latency, sent, stop)
peer     the peer design: one APScheduler cron job per patient in a SQLAlchemyJobStore
bare     the inbound bound: a FastAPI endpoint that parses the form and returns empty TwiML,
         under uvicorn with the same settings as `dswatch web`
loadgen  an HTTP/1.1 load generator (raw keep-alive sockets, one thread per connection)

Each writes JSON lines on stdout; the driver reads them (bench.common.read_message).
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
from datetime import UTC, datetime
from datetime import time as clock_time
from typing import Any
from urllib.parse import urlencode

from .common import memory_mb


def say(**message: Any) -> None:
    print(json.dumps(message), flush=True)


def commands() -> Any:
    for line in sys.stdin:
        line = line.strip()
        if line:
            yield json.loads(line)


# -- the Twilio stand-in ------------------------------------------------------------------


def standin(args: argparse.Namespace) -> None:
    from tests.support.twilio_standin import TwilioStandIn

    from .common import ACCOUNT_SID, AUTH_TOKEN

    server = TwilioStandIn(
        account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, latency=args.latency, port=args.port
    )
    server.start()
    say(base_url=server.base_url)
    for command in commands():
        name = command["cmd"]
        if name == "count":
            say(count=server.count())
        elif name == "wait":
            server.wait_for_count(command["n"], command["timeout"])
            say(count=server.count())
        elif name == "reset":
            server.reset()
            say(ok=True)
        elif name == "latency":
            server.latency = command["value"]
            say(ok=True)
        elif name == "sent":
            wanted = set(command["to"]) if command.get("to") else None
            found = [
                [m.accepted_at.timestamp(), m.to, m.body if command.get("bodies") else ""]
                for m in server.messages
                if wanted is None or m.to in wanted
            ]
            say(sent=found)
        elif name == "stop":
            break
    server.stop()
    say(stopped=True)


# -- the peer design ----------------------------------------------------------------------

FIRED = 0
FIRED_LOCK = threading.Lock()
LAST_FIRE = 0.0


def noop(patient_id: int) -> None:
    """The peer's job: it does nothing but count that it ran."""
    global FIRED, LAST_FIRE
    with FIRED_LOCK:
        FIRED += 1
        LAST_FIRE = time.perf_counter()


def peer(args: argparse.Namespace) -> None:
    """Register one cron job per patient, then fire them all (they are due) and time both."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger
    from sqlalchemy import create_engine, text

    engine = create_engine(args.url)
    with engine.connect() as connection:
        patients = connection.execute(
            text("SELECT id, timezone, checkin_time FROM patients ORDER BY id")
        ).all()
    engine.dispose()
    started_mb = memory_mb()
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=args.url)},
        executors={"default": ThreadPoolExecutor(max_workers=10)},
        # Kind to the peer: nothing is dropped as misfired, however late the scheduler gets.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone="UTC",
    )
    scheduler.start(paused=True)
    due = datetime.now(UTC)
    started = time.perf_counter()
    for patient_id, zone, at in patients:
        at = at if isinstance(at, clock_time) else clock_time.fromisoformat(at)
        scheduler.add_job(
            noop,
            CronTrigger(hour=at.hour, minute=at.minute, timezone=zone),
            args=(patient_id,),
            id=f"checkin-{patient_id}",
            replace_existing=True,
            next_run_time=due,
        )
    registered = time.perf_counter() - started
    registered_mb = memory_mb()
    resumed = time.perf_counter()
    scheduler.resume()
    deadline = resumed + args.timeout
    while time.perf_counter() < deadline:
        with FIRED_LOCK:
            if len(patients) <= FIRED:
                break
        time.sleep(0.01)
    with FIRED_LOCK:
        fired, last = FIRED, LAST_FIRE
    fired_mb = memory_mb()
    scheduler.shutdown(wait=False)
    say(
        n=len(patients),
        registered_s=registered,
        fired=fired,
        fire_s=(last - resumed) if fired else None,
        start_rss_mb=started_mb["VmRSS"],
        registered_rss_mb=registered_mb["VmRSS"],
        rss_mb=fired_mb["VmRSS"],
        peak_rss_mb=fired_mb["VmHWM"],
    )


# -- the inbound bound --------------------------------------------------------------------


def bare(args: argparse.Namespace) -> None:
    import uvicorn

    from .bare_app import app

    uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, access_log=False)


# -- the load generator -------------------------------------------------------------------


def _request(path: str, host: str, form: dict[str, str], signature: str) -> bytes:
    body = urlencode(form).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: TwilioProxy/1.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"X-Twilio-Signature: {signature}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class Connection:
    """One keep-alive HTTP/1.1 connection; `call` sends a request and reads the whole answer."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock = self._open()
        self.buffer = b""

    def _open(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def call(self, request: bytes) -> tuple[int, bytes]:
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length = 0
        close = False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
            elif name.strip().lower() == b"connection" and value.strip().lower() == b"close":
                close = True
        while len(rest) < length:
            self.buffer = rest
            self._fill()
            rest = self.buffer
        body, self.buffer = rest[:length], rest[length:]
        if close:
            self.sock.close()
            self.sock = self._open()
            self.buffer = b""
        return status, body

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buffer += chunk


def loadgen(args: argparse.Namespace) -> None:
    """Send the requests in the JSON spec on stdin; closed loop, or paced at `rate` per second.

    Paced: request i is due at start + i / rate; its latency counts from that instant, so a
    server that falls behind is charged for the wait (no coordinated omission).
    """
    spec = json.loads(sys.stdin.readline())
    host = f"127.0.0.1:{args.port}"
    requests = [_request(spec["path"], host, form, sig) for form, sig in spec["requests"]]
    connections = args.connections
    rate = args.rate
    duration = args.duration
    results: list[list[tuple[float, float, int, bytes]]] = [[] for _ in range(connections)]
    say(ready=True)
    go = json.loads(sys.stdin.readline())
    start = go.get("at", time.time())
    counter = iter(range(len(requests)))
    lock = threading.Lock()

    def worker(slot: int) -> None:
        conn = Connection(args.port)
        mine = results[slot]
        while True:
            if rate:
                index = slot + len(mine) * connections
                if index >= len(requests):
                    return
                due = start + index / rate
                if due - start > duration:
                    return
                pause = due - time.time()
                if pause > 0:
                    time.sleep(pause)
            else:
                with lock:
                    index = next(counter, -1)
                if index < 0:
                    return
                due = time.time()
                if due - start > duration:
                    return
            status, body = conn.call(requests[index])
            done = time.time()
            mine.append((due, done, status, body if args.bodies else b""))

    pause = start - time.time()
    if pause > 0:
        time.sleep(pause)
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flat = [item for part in results for item in part]
    say(
        results=[
            [due, done, status, body.decode("utf-8", "replace")] for due, done, status, body in flat
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    roles = parser.add_subparsers(dest="role", required=True)
    p = roles.add_parser("standin")
    p.add_argument("--latency", type=float, default=0.0)
    p.add_argument("--port", type=int, default=0)
    p = roles.add_parser("peer")
    p.add_argument("--url", required=True)
    p.add_argument("--timeout", type=float, default=900.0)
    p = roles.add_parser("bare")
    p.add_argument("--port", type=int, required=True)
    p = roles.add_parser("loadgen")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--rate", type=float, default=0.0)
    p.add_argument("--duration", type=float, default=5.0)
    p.add_argument("--bodies", action="store_true")
    args = parser.parse_args()
    {"standin": standin, "peer": peer, "bare": bare, "loadgen": loadgen}[args.role](args)


if __name__ == "__main__":
    main()
