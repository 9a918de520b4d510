"""A partial index for inbound texts not yet processed (the retry job's lookup).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHERE = "direction = 'in' AND processed_at IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_messages_unprocessed_inbound",
        "messages",
        ["created_at"],
        postgresql_where=sa.text(WHERE),
        sqlite_where=sa.text(WHERE),
    )


def downgrade() -> None:
    op.drop_index("ix_messages_unprocessed_inbound", table_name="messages")
