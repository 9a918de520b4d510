"""The `dswatch` command. Thin: parse options, call services, print."""

from __future__ import annotations

import typer

from monitor.cli import alerts, db, info, ops, patients, run, simulate, teams

app = typer.Typer(
    help="DSWatch: daily SMS check-ins and nurse escalation for differentiation syndrome.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(teams.team_app, name="team")
app.add_typer(teams.nurse_app, name="nurse")
app.add_typer(patients.patient_app, name="patient")
app.add_typer(patients.course_app, name="course")
app.command()(run.serve)
app.command()(run.web)
app.command()(run.worker)
app.command()(info.drugs)
app.command()(info.outbox)
app.command("simulate")(simulate.simulate)
app.command()(alerts.triage)
app.command()(alerts.alerts)
app.command()(alerts.ack)
app.command()(ops.status)


def main() -> None:
    app()
