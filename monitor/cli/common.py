"""What every command shares: the console, the runtime, and turning errors into exit code 2."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from sqlalchemy import make_url
from sqlalchemy.exc import OperationalError

from monitor.catalogue import ConfigFileError
from monitor.db.schema_check import SchemaNotCurrent, ensure_current
from monitor.logging_setup import configure_logging
from monitor.runtime import Runtime, build_runtime
from monitor.settings import Settings, SettingsError, get_settings

console = Console()
errors = Console(stderr=True)

USER_ERROR = 2


def fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(USER_ERROR)


def unreachable(settings: Settings, error: OperationalError) -> str:
    url = make_url(settings.database_url).render_as_string(hide_password=True)
    return f"cannot open the database {url}: {error.orig}; check DSWATCH_DATABASE_URL"


def settings_or_exit() -> Settings:
    try:
        return get_settings()
    except SettingsError as error:
        raise fail(str(error)) from None


@contextmanager
def runtime(*, check_schema: bool = True, log_level: str | None = None) -> Iterator[Runtime]:
    """A runtime for one command; configuration problems exit with code 2 and a clear message."""
    settings = settings_or_exit()
    configure_logging(log_level or "WARNING", settings.log_format)
    try:
        rt = build_runtime(settings)
    except ConfigFileError as error:
        raise fail(str(error)) from None
    try:
        if check_schema:
            try:
                ensure_current(rt.engine)
            except SchemaNotCurrent as error:
                raise fail(str(error)) from None
            except OperationalError as error:
                raise fail(unreachable(settings, error)) from None
        yield rt
    finally:
        rt.close()
