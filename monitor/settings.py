"""Settings: the only reader of environment variables (prefix DSWATCH_, `.env` supported).

Validated once at start; a bad value stops the process with a message that names the variable.
Missing Twilio credentials are not an error: the service falls back to the local sender.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "DSWATCH_"
LEASE_MARGIN_SECONDS = 1


class SettingsError(ValueError):
    """Raised with one line per bad variable, each naming the DSWATCH_ variable to fix."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,  # VAR= means unset, not an invalid empty value
    )

    database_url: str = Field(
        default="sqlite:///dswatch.db",
        description="SQLAlchemy URL: sqlite:///path.db or postgresql+psycopg://user@host/db",
    )
    public_base_url: str | None = Field(
        default=None,
        description="The URL Twilio uses to reach this service, e.g. https://dswatch.example.org; "
        "webhook signatures are checked against it and status callbacks point at it",
    )
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from_number: str | None = None
    twilio_messaging_service_sid: str | None = None
    twilio_api_base_url: str | None = Field(
        default=None,
        description="Send Twilio API calls here instead of https://api.twilio.com (test stand-ins)",
    )
    twilio_skip_signature_check: bool = Field(
        default=False,
        description="Local development only: accept Twilio webhooks without a valid signature",
    )
    drugs_file: Path | None = Field(default=None, description="Drug catalogue TOML")
    protocol_file: Path | None = Field(default=None, description="Protocol timings TOML")
    clinic_phone: str | None = Field(
        default=None, description="Clinic line given to patients (HELP, urgent advice)"
    )
    send_concurrency: int = Field(default=8, ge=1, le=256)
    routine_rate_per_second: float | None = Field(
        default=None, gt=0, description="Cap on routine messages per second, per worker process"
    )
    metrics_token: SecretStr | None = Field(
        default=None, description="When set, /metrics needs Authorization: Bearer <token>"
    )
    max_request_bytes: int = Field(
        default=64 * 1024, ge=4096, description="Larger request bodies are refused (413)"
    )
    twilio_timeout_seconds: float = Field(
        default=10.0, gt=0, le=60, description="How long one call to Twilio may take"
    )
    send_lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A message claimed for sending is taken back after this long if its sender "
        "died; keep it above the provider call timeout",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = "text"

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if value.startswith(("postgresql://", "postgres://")):
            raise ValueError("name the driver: postgresql+psycopg://user@host:5432/dbname")
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError(
                "use sqlite:///path/to/dswatch.db or postgresql+psycopg://user@host:5432/dbname"
            )
        return value

    @field_validator("public_base_url", "twilio_api_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with https:// (or http:// for a local test server)")
        return value.rstrip("/")

    @field_validator("twilio_account_sid")
    @classmethod
    def _account_sid(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not (value.startswith("AC") and len(value) == 34):
            raise ValueError("a Twilio Account SID starts with AC and has 34 characters")
        return value

    @field_validator("twilio_auth_token", "metrics_token", mode="before")
    @classmethod
    def _empty_token(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _twilio_complete(self) -> Settings:
        sender = self.twilio_from_number or self.twilio_messaging_service_sid
        if self.twilio_account_sid and self.twilio_auth_token and not sender:
            raise ValueError(
                "DSWATCH_TWILIO_FROM_NUMBER or DSWATCH_TWILIO_MESSAGING_SERVICE_SID is needed "
                "when Twilio credentials are set"
            )
        return self

    @model_validator(mode="after")
    def _lease_outlasts_a_call(self) -> Settings:
        # A lease that ran out while its sender was still waiting on Twilio would let another
        # worker send the same message again.
        if self.send_lease_seconds <= self.twilio_timeout_seconds + LEASE_MARGIN_SECONDS:
            raise ValueError(
                f"DSWATCH_SEND_LEASE_SECONDS ({self.send_lease_seconds:g}) must be more than "
                f"DSWATCH_TWILIO_TIMEOUT_SECONDS ({self.twilio_timeout_seconds:g}) plus "
                f"{LEASE_MARGIN_SECONDS} s"
            )
        return self

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, turning validation errors into named variables."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        lines = []
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else ""
            name = ENV_PREFIX + field.upper() if field else "settings"
            message = str(item["msg"]).removeprefix("Value error, ")
            lines.append(f"{name}: {message}")
        raise SettingsError("invalid configuration:\n  " + "\n  ".join(lines)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
