"""Alembic environment: the URL comes from the caller (monitor.db.migrate) or from settings."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context

from monitor.db.engine import make_engine
from monitor.db.models import Base
from monitor.db.types import UTCDateTime

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from monitor.settings import get_settings

    return get_settings().database_url


def _render_item(kind: str, item: Any, _context: Any) -> str | Literal[False]:
    # Migrations stay frozen: they spell plain SQLAlchemy types, never the app's own.
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                render_item=_render_item,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
