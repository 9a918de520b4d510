"""`dswatch team` and `dswatch nurse`: care teams and who they page."""

from __future__ import annotations

import typer
from rich.table import Table

from monitor import services
from monitor.cli.common import console, fail, runtime

team_app = typer.Typer(help="Care teams.", no_args_is_help=True)
nurse_app = typer.Typer(help="Nurses who receive alerts.", no_args_is_help=True)


@team_app.command("add")
def team_add(
    name: str = typer.Argument(..., help="Team name, e.g. 'Leukemia clinic'"),
    clinic_phone: str = typer.Option(None, help="Clinic line patients are told to call"),
    timezone: str = typer.Option("UTC", help="IANA zone of the nurses' on-call hours"),
) -> None:
    """Create a care team."""
    with runtime() as rt:
        try:
            team = services.add_team(rt, name, rt.clock.now(), clinic_phone, timezone=timezone)
        except services.CareTeamError as error:
            raise fail(str(error)) from None
    console.print(f"care team {team.name!r} created (id {team.id})")


@team_app.command("list")
def team_list() -> None:
    """Care teams and their nurses by tier."""
    with runtime() as rt:
        teams = services.list_teams(rt)
    table = Table("team", "clinic line", "nurse", "phone", "tier", "on call")
    for team, nurses in teams:
        if not nurses:
            table.add_row(team.name, team.clinic_phone or "", "(none)", "", "", "")
        for nurse in nurses:
            hours = (
                f"{nurse.on_call_start:%H:%M}-{nurse.on_call_end:%H:%M}"
                if nurse.on_call_start and nurse.on_call_end
                else "always"
            )
            table.add_row(
                team.name, team.clinic_phone or "", nurse.name, nurse.phone, str(nurse.tier), hours
            )
    console.print(table)


@nurse_app.command("add")
def nurse_add(
    team: str = typer.Option(..., "--team", help="Care team name"),
    name: str = typer.Option(..., "--name", help="Nurse's name"),
    phone: str = typer.Option(..., "--phone", help="Mobile number, E.164 (+12015550123)"),
    tier: int = typer.Option(1, "--tier", help="1 is paged first; 2 when 1 does not answer"),
    on_call: str = typer.Option(None, "--on-call", help="Hours on call, e.g. 08:00-20:00"),
) -> None:
    """Add a nurse to a care team's escalation roster."""
    with runtime() as rt:
        try:
            nurse = services.add_nurse(rt, team, name, phone, tier, rt.clock.now(), on_call)
        except services.CareTeamError as error:
            raise fail(str(error)) from None
    console.print(f"nurse {nurse.name!r} added to {team!r} at tier {nurse.tier} (id {nurse.id})")
