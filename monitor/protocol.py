"""Load and validate the protocol timings TOML (config/protocol.toml or DSWATCH_PROTOCOL_FILE)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from monitor.catalogue import ConfigFileError, describe_validation_error, read_toml
from monitor.domain.escalation import Cadence, EscalationPolicy
from monitor.domain.schedule import CheckinTimings, QuietHours
from monitor.paths import config_dir


class _QuietHours(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: time
    end: time

    @field_validator("start", "end")
    @classmethod
    def _wall_clock(cls, value: time) -> time:
        # An offset would make QuietHours compare aware with naive times and fail at run time.
        if value.tzinfo is not None:
            raise ValueError('a local time without a UTC offset, e.g. "21:00"')
        return value


class _Checkins(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reminder_after_minutes: int = Field(ge=1, le=24 * 60)
    missed_after_minutes: int = Field(ge=1, le=24 * 60)


class _Cadence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    realert_every_minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    next_tier_after_minutes: int = Field(ge=1, le=7 * 24 * 60)

    def cadence(self) -> Cadence:
        every = self.realert_every_minutes
        return Cadence(
            realert_every=timedelta(minutes=every) if every else None,
            next_tier_after=timedelta(minutes=self.next_tier_after_minutes),
        )


class _Escalation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    emergency: _Cadence
    urgent: _Cadence
    other: _Cadence


class _ProtocolFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quiet_hours: _QuietHours
    checkins: _Checkins
    escalation: _Escalation


@dataclass(frozen=True)
class Protocol:
    quiet: QuietHours
    timings: CheckinTimings
    escalation: EscalationPolicy


def default_protocol_file() -> Path:
    return config_dir() / "protocol.toml"


def load_protocol(path: Path | None = None) -> Protocol:
    path = path or default_protocol_file()
    try:
        parsed = _ProtocolFile.model_validate(read_toml(path))
    except ValidationError as error:
        raise ConfigFileError(describe_validation_error(path, error)) from None
    checkins = parsed.checkins
    if checkins.reminder_after_minutes >= checkins.missed_after_minutes:
        raise ConfigFileError(
            f"{path}: checkins.reminder_after_minutes must be shorter than missed_after_minutes"
        )
    return Protocol(
        quiet=QuietHours(parsed.quiet_hours.start, parsed.quiet_hours.end),
        timings=CheckinTimings(
            reminder_after=timedelta(minutes=checkins.reminder_after_minutes),
            missed_after=timedelta(minutes=checkins.missed_after_minutes),
        ),
        escalation=EscalationPolicy(
            emergency=parsed.escalation.emergency.cadence(),
            urgent=parsed.escalation.urgent.cadence(),
            other=parsed.escalation.other.cadence(),
        ),
    )
