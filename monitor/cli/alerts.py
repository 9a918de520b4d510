"""`dswatch triage`, `dswatch alerts`, `dswatch ack`: the clinical side at the terminal."""

from __future__ import annotations

import json
import sys

import typer
from rich.table import Table

from monitor import services
from monitor.cli.common import console, fail, runtime
from monitor.domain.states import EscalationLevel
from monitor.domain.triage import triage_text


def triage(
    lang: str = typer.Option(None, "--lang", help="en or es (default: detect per line)"),
) -> None:
    """Triage replies read one per line from stdin; print one JSON object per line.

    The same rules the webhook applies to a patient with no earlier reports.
    """
    if lang not in (None, "en", "es"):
        raise fail(f"--lang {lang!r}: use en or es")
    out = sys.stdout
    for line in sys.stdin:
        text = line.rstrip("\r\n")
        out.write(json.dumps(triage_text(text, lang), ensure_ascii=False) + "\n")
    out.flush()


def alerts() -> None:
    """Open escalations, oldest first: who, why, which tier, how long unacknowledged."""
    with runtime() as rt:
        items = services.list_open(rt)
        now = rt.clock.now()
    table = Table("code", "level", "patient", "team", "opened (UTC)", "waiting", "tier", "rounds")
    for item in items:
        escalation = item.escalation
        waiting = int((now - escalation.created_at).total_seconds() // 60)
        style = "bold red" if escalation.level == EscalationLevel.EMERGENCY else None
        table.add_row(
            escalation.code,
            escalation.level.value,
            f"{item.patient.name} ({item.patient.code}) {item.patient.phone}",
            item.team,
            f"{escalation.created_at:%Y-%m-%d %H:%M}",
            f"{waiting} min",
            str(escalation.tier),
            str(escalation.alert_rounds),
            style=style,
        )
    console.print(table)
    console.print(f"{len(items)} open")


def ack(
    code: str = typer.Argument(..., help="The alert's code, e.g. A7K2"),
    nurse: str = typer.Option(..., "--nurse", help="Name of the nurse taking it"),
) -> None:
    """Acknowledge an alert for a nurse: re-alerting stops and the other nurses are told."""
    with runtime() as rt:
        try:
            escalation = services.acknowledge_by_name(rt, code, nurse, rt.clock.now())
        except services.EscalationError as error:
            raise fail(str(error)) from None
    console.print(f"{escalation.code} acknowledged by {nurse}")
