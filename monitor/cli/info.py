"""`dswatch drugs` and `dswatch outbox`: what is configured and what was sent."""

from __future__ import annotations

import typer
from rich.table import Table

from monitor import services
from monitor.catalogue import ConfigFileError, load_catalogue
from monitor.cli.common import console, fail, runtime, settings_or_exit


def drugs() -> None:
    """The drug catalogue: names, class, risk window, boxed warning, source."""
    settings = settings_or_exit()
    try:
        catalogue = load_catalogue(settings.drugs_file)
    except ConfigFileError as error:
        raise fail(str(error)) from None
    table = Table("drug", "brands", "aliases", "class", "window", "boxed DS warning", "source")
    for drug in catalogue:
        table.add_row(
            drug.name,
            ", ".join(drug.brands),
            ", ".join(drug.aliases),
            drug.class_label,
            f"{drug.window_days} d" + (" (provisional)" if drug.provisional else ""),
            "yes" if drug.boxed_warning else "no",
            drug.source,
        )
    console.print(table)


def outbox(
    limit: int = typer.Option(50, "--limit", min=1, help="How many messages, newest first"),
    patient: str = typer.Option(None, "--patient", help="Only this patient (code or phone)"),
    full: bool = typer.Option(False, "--full", help="Show whole bodies"),
) -> None:
    """Recent messages (on the local sender, this is where they are stored)."""
    with runtime() as rt:
        try:
            messages = services.recent_messages(rt, limit, patient)
        except services.PatientError as error:
            raise fail(str(error)) from None
    table = Table("id", "created (UTC)", "dir", "kind", "to", "status", "delivery", "body")
    for message in messages:
        body = message.body if full else message.body.replace("\n", " / ")[:60]
        table.add_row(
            str(message.id),
            f"{message.created_at:%Y-%m-%d %H:%M:%S}",
            message.direction.value,
            message.kind.value,
            message.to_phone,
            message.status.value,
            message.delivery_status or "",
            body,
        )
    console.print(table)
