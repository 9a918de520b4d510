"""python -m bench --quick | --full: measure every figure of issue 5 beside its bound.

Writes a table on stdout (progress on stderr) and bench/results/latest.json: a list of
{"name", "value", "unit", "bound", "ratio", "target", "met"} (plus "note" and "runs").
`ratio` is value / bound. `met` is null where the issue sets no target for a row.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import dispatch, emergency, idle, inbound, peer, sending
from .common import RESULTS, Database, Row, machine, pg_available, workdir

FIGURES = ("dispatch", "peer", "sending", "inbound", "emergency", "idle")

QUICK: dict[str, Any] = {
    "label": "quick: 1k and 10k patients (100k skipped), fewer and shorter runs",
    "dispatch_sizes": [1_000, 10_000],
    "dispatch_repeats": {1_000: 3, 10_000: 2},
    "peer_sizes": [(1_000, 1)],
    "scale": 10_000,
    "idle_runs": 30,
    "memory_repeats": 1,
    "sending": {
        "n0": 2_000,
        "threads0": 8,
        "n150": 1_000,
        "threads150": 64,
        "repeats": 2,
        "cap": 100.0,
        "cap_seconds": 4.0,
        "cap_repeats": 1,
    },
    "inbound": {
        "patients": 10_000,
        "duration": 3.0,
        "paced": 2.0,
        "connections": 8,
        "rate": 200.0,
        "repeats": 1,
    },
    "emergency": {"patients": 10_000, "emergencies": 50, "rate": 20.0, "latency": 0.0},
}
FULL: dict[str, Any] = {
    "label": "full: 1k, 10k and 100k patients",
    "dispatch_sizes": [1_000, 10_000, 100_000],
    "dispatch_repeats": {1_000: 5, 10_000: 3, 100_000: 3},
    "peer_sizes": [(10_000, 2), (100_000, 1)],
    "scale": 100_000,
    "idle_runs": 50,
    "memory_repeats": 2,
    "sending": {
        "n0": 10_000,
        "threads0": 8,
        "n150": 10_000,
        "threads150": 64,
        "repeats": 3,
        "cap": 100.0,
        "cap_seconds": 20.0,
        "cap_repeats": 2,
    },
    "inbound": {
        "patients": 10_000,
        "duration": 10.0,
        "paced": 5.0,
        "connections": 8,
        "rate": 200.0,
        "repeats": 3,
    },
    "emergency": {"patients": 100_000, "emergencies": 100, "rate": 10.0, "latency": 0.0},
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="`make bench`: under 3 minutes")
    mode.add_argument("--full", action="store_true", help="`make bench-full`: every size")
    parser.add_argument(
        "--only", action="append", choices=FIGURES, help="run only these figures (repeatable)"
    )
    parser.add_argument("--output", default=str(RESULTS / "latest.json"))
    parser.add_argument(
        "--markdown",
        metavar="RESULTS_JSON",
        help="measure nothing: print an earlier run's results as a Markdown table (README)",
    )
    args = parser.parse_args()
    if args.markdown:
        print_markdown(json.loads(Path(args.markdown).read_text(encoding="utf-8")))
        return 0
    plan = FULL if args.full else QUICK
    figures = args.only or list(FIGURES)
    logging.basicConfig(level=logging.ERROR)
    info = machine()
    print(f"DSWatch benchmarks, {plan['label']}", flush=True)
    print(
        f"machine: {info['cores']} cores ({info['cpu']}), {info['ram_gb']} GB RAM, Python "
        f"{info['python']}, PostgreSQL {info['postgresql'] or 'not reachable'}",
        flush=True,
    )
    started = time.monotonic()
    rows: list[Row] = []
    with workdir() as folder:
        dbs = [Database("sqlite", folder)]
        if pg_available():
            dbs.append(Database("postgresql", folder))
        else:
            print("PostgreSQL not reachable: PostgreSQL figures run on SQLite", flush=True)
        main_db = dbs[-1]

        def save(done: list[Row]) -> None:
            with open(args.output, "w") as output:
                json.dump([row.as_json() for row in done], output, indent=2)
                output.write("\n")

        try:
            run(figures, plan, dbs, main_db, rows, save)
        finally:
            save(rows)
            for db in dbs:
                db.drop()
    elapsed = time.monotonic() - started
    print_table(rows)
    print(
        f"\n{len(rows)} rows, {sum(1 for r in rows if r.met is False)} targets missed, "
        f"{elapsed:.0f} s; written to {args.output}"
    )
    meta = {
        "mode": "full" if args.full else "quick",
        "plan": plan["label"],
        "machine": info,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(elapsed),
    }
    with open(RESULTS / "latest-meta.json", "w") as output:
        json.dump(meta, output, indent=2)
        output.write("\n")
    return 0


def run(
    figures: list[str],
    plan: dict[str, Any],
    dbs: list[Database],
    main_db: Database,
    rows: list[Row],
    save: Any,
) -> list[Row]:
    """Measure the figures, appending to `rows` and saving them after each figure."""
    rates: dict[tuple[str, int], float] = {}
    scale = plan["scale"]
    worker_peak: float | None = None

    def heading(text: str) -> None:
        save(rows)
        print(f"== {text}", file=sys.stderr, flush=True)

    if "dispatch" in figures:
        heading("1. dispatch")
        found, rates = dispatch.run(dbs, plan["dispatch_sizes"], plan["dispatch_repeats"])
        rows.extend(found)
    if "idle" in figures or "peer" in figures:
        heading("6. idle cost and worker memory")
        memory = idle.worker_memory(main_db, scale, plan["memory_repeats"])
        worker_peak = memory.value
        if "idle" in figures:
            rows.extend([*idle.idle_ticks(main_db, scale, plan["idle_runs"]), memory])
    if "peer" in figures:
        heading("2. peer design")
        largest = max(n for n, _ in plan["peer_sizes"])
        for n, repeats in plan["peer_sizes"]:
            for db in dbs if n < 100_000 else [main_db]:
                measured = peer.measure(db, n, repeats)
                ours_mb = None
                if db is main_db and n == largest:
                    ours_mb = worker_peak
                    if n != scale or ours_mb is None:
                        ours_mb = idle.worker_memory(main_db, n, plan["memory_repeats"]).value
                rows.extend(peer.rows(db, n, measured, rates.get((db.kind, n)), ours_mb))
    if "sending" in figures:
        heading("3. sending")
        rows.extend(sending.run(main_db, plan["sending"]))
    if "inbound" in figures:
        heading("4. inbound")
        rows.extend(inbound.run(main_db, plan["inbound"]))
    if "emergency" in figures:
        heading("5. emergency under load")
        rows.extend(emergency.run(main_db, plan["emergency"]))
    return rows


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.1f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def print_table(rows: list[Row]) -> None:
    header = ("figure", "value", "unit", "bound", "ratio", "target", "met")
    lines = [
        (
            row.name,
            _fmt(row.value),
            row.unit,
            _fmt(row.bound),
            _fmt(row.ratio),
            row.target or "-",
            {True: "yes", False: "NO", None: "-"}[row.met],
        )
        for row in rows
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(header, *lines, strict=True)]
    print()
    for index, line in enumerate([header, *lines]):
        cells = [
            str(cell).ljust(width) if i in (0, 2, 5) else str(cell).rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))


def print_markdown(rows: list[dict[str, Any]]) -> None:
    """The table the README's Performance section carries, from a results file."""
    print("| figure | value | unit | bound | ratio | target | met |")
    print("|---|---:|---|---:|---:|---|:---:|")
    for row in rows:
        met = {True: "yes", False: "**no**", None: "–"}[row["met"]]
        cells = [
            row["name"],
            _fmt(row["value"]),
            row["unit"],
            _fmt(row["bound"]).replace("-", "–"),
            _fmt(row["ratio"]).replace("-", "–"),
            row["target"] or "–",
            met,
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())
