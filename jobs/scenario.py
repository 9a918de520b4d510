"""The `dswatch simulate` scenario file, validated so a mistake names its field."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class NurseIn(_Strict):
    name: str
    phone: str
    tier: int = Field(default=1, ge=1)
    on_call: str | None = None


class CareTeamIn(_Strict):
    name: str
    clinic_phone: str | None = None
    timezone: str = "UTC"
    nurses: list[NurseIn] = []


class CourseIn(_Strict):
    drug: str
    start: date
    window_days: int | None = Field(default=None, ge=1)
    hold: date | None = None
    resume: date | None = None
    stop: date | None = None


class PatientIn(_Strict):
    ref: str = Field(min_length=1)
    name: str
    phone: str
    timezone: str
    language: str = "en"
    checkin_time: str
    care_team: str
    courses: list[CourseIn] = Field(min_length=1)


class EventIn(_Strict):
    at: datetime
    from_: str = Field(alias="from")
    body: str

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return _utc(value)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("give a UTC instant with its offset, e.g. 2026-03-02T14:00:00Z")
    return value.astimezone(UTC)


class Scenario(_Strict):
    start: datetime
    end: datetime
    care_teams: list[CareTeamIn] = []
    patients: list[PatientIn] = []
    events: list[EventIn] = []

    @field_validator("start", "end")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return _utc(value)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        refs = [patient.ref for patient in self.patients]
        repeated = sorted({ref for ref in refs if refs.count(ref) > 1})
        if repeated:
            raise ValueError(f"patient refs must be unique: {', '.join(repeated)} repeated")
        for index, event in enumerate(self.events):
            if not self.start <= event.at <= self.end:
                raise ValueError(f"events[{index}].at is outside start..end")
        return self


class ScenarioError(ValueError):
    """A scenario that cannot run; the message names the field."""


def parse_scenario(data: object) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        lines = []
        for item in error.errors():
            where = ""
            for part in item["loc"]:
                where += (
                    f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
                )
            message = str(item["msg"]).removeprefix("Value error, ")
            lines.append(f"{where or 'scenario'}: {message}")
        raise ScenarioError("; ".join(lines)) from None
