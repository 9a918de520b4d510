"""Replies and escalation: reports, escalations, message links, care-team timezone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEVELS = ("emergency", "urgent", "same_day", "missed", "opted_out", "unclear", "delivery_failure")


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("signs", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("temperature_c", sa.Double(), nullable=True),
        sa.Column("weight_kg", sa.Double(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["checkin_id"], ["checkins.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"]),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
    )
    op.create_index("ix_reports_patient_created", "reports", ["patient_id", "created_at"])

    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("care_team_id", sa.Integer(), nullable=False),
        sa.Column(
            "level",
            sa.Enum(*LEVELS, name="escalationlevel", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("checkin_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.String(length=400), nullable=False),
        sa.Column("words", sa.String(length=400), nullable=True),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("alert_rounds", sa.Integer(), nullable=False),
        sa.Column("next_alert_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_tier_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["acknowledged_by"], ["nurses.id"]),
        sa.ForeignKeyConstraint(["care_team_id"], ["care_teams.id"]),
        sa.ForeignKeyConstraint(["checkin_id"], ["checkins.id"]),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"]),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index(
        "ix_escalations_open_alert", "escalations", ["acknowledged_at", "next_alert_at"]
    )
    op.create_index("ix_escalations_open_tier", "escalations", ["acknowledged_at", "next_tier_at"])
    op.create_index("ix_escalations_patient", "escalations", ["patient_id", "created_at"])

    with op.batch_alter_table("care_teams") as batch_op:
        batch_op.add_column(
            sa.Column("timezone", sa.String(length=64), nullable=False, server_default="UTC")
        )

    with op.batch_alter_table("messages") as batch_op:
        batch_op.add_column(sa.Column("escalation_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("in_reply_to", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_messages_escalation_id", ["escalation_id"])
        batch_op.create_index("ix_messages_in_reply_to", ["in_reply_to"])
        batch_op.create_foreign_key(
            "fk_messages_escalation_id", "escalations", ["escalation_id"], ["id"]
        )
        batch_op.create_foreign_key("fk_messages_in_reply_to", "messages", ["in_reply_to"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_constraint("fk_messages_in_reply_to", type_="foreignkey")
        batch_op.drop_constraint("fk_messages_escalation_id", type_="foreignkey")
        batch_op.drop_index("ix_messages_in_reply_to")
        batch_op.drop_index("ix_messages_escalation_id")
        batch_op.drop_column("processed_at")
        batch_op.drop_column("in_reply_to")
        batch_op.drop_column("escalation_id")
    with op.batch_alter_table("care_teams") as batch_op:
        batch_op.drop_column("timezone")
    op.drop_index("ix_escalations_patient", table_name="escalations")
    op.drop_index("ix_escalations_open_tier", table_name="escalations")
    op.drop_index("ix_escalations_open_alert", table_name="escalations")
    op.drop_table("escalations")
    op.drop_index("ix_reports_patient_created", table_name="reports")
    op.drop_table("reports")
