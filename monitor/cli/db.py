"""`dswatch db`: schema migrations."""

from __future__ import annotations

import typer
from sqlalchemy.exc import OperationalError

from monitor.cli.common import console, fail, settings_or_exit, unreachable
from monitor.db import migrate

app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision")) -> None:
    """Create or update the schema (safe to run repeatedly)."""
    settings = settings_or_exit()
    try:
        migrate.upgrade(settings.database_url, revision)
        current = migrate.current_revision(settings.database_url)
    except OperationalError as error:
        raise fail(unreachable(settings, error)) from None
    console.print(f"database schema at revision {current}")


@app.command()
def downgrade(revision: str = typer.Argument(..., help="Target revision, or 'base'")) -> None:
    """Step the schema back (operators only: data in dropped columns is lost)."""
    settings = settings_or_exit()
    try:
        migrate.downgrade(settings.database_url, revision)
    except OperationalError as error:
        raise fail(unreachable(settings, error)) from None
    console.print(f"database schema at revision {migrate.current_revision(settings.database_url)}")


@app.command()
def current() -> None:
    """Print the schema revision."""
    settings = settings_or_exit()
    try:
        console.print(migrate.current_revision(settings.database_url) or "empty")
    except OperationalError as error:
        raise fail(unreachable(settings, error)) from None
