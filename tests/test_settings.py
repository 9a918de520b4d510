"""Settings read from DSWATCH_ variables and .env, refused with messages naming the variable.

The autouse fixture in conftest.py clears DSWATCH_ variables and runs each test in tmp_path,
so a .env file written there is the only one read.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.runtime import build_sender
from monitor.settings import SettingsError, get_settings, load_settings
from monitor.sms.sender import LocalSender

SID = "AC" + "0123456789abcdef" * 2  # 34 characters
TOKEN = "f" * 32


def test_defaults() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///dswatch.db"
    assert settings.is_sqlite
    assert settings.twilio_enabled is False
    assert settings.public_base_url is None
    assert settings.routine_rate_per_second is None
    assert settings.send_concurrency == 8
    assert settings.log_level == "INFO"


@pytest.mark.parametrize(
    ("env", "check"),
    [
        ({"DSWATCH_DATABASE_URL": "sqlite:////var/lib/dswatch/db.sqlite"}, "sqlite"),
        ({"DSWATCH_DATABASE_URL": "postgresql+psycopg://dswatch@db:5432/dswatch"}, "postgres"),
        ({"DSWATCH_PUBLIC_BASE_URL": "https://dswatch.example.org/"}, "public-url"),
        ({"DSWATCH_PUBLIC_BASE_URL": ""}, "public-url-empty"),
        ({"DSWATCH_TWILIO_ACCOUNT_SID": SID}, "sid-without-token"),
        (
            {
                "DSWATCH_TWILIO_ACCOUNT_SID": SID,
                "DSWATCH_TWILIO_AUTH_TOKEN": TOKEN,
                "DSWATCH_TWILIO_FROM_NUMBER": "+12015550100",
            },
            "twilio",
        ),
        (
            {
                "DSWATCH_TWILIO_ACCOUNT_SID": SID,
                "DSWATCH_TWILIO_AUTH_TOKEN": TOKEN,
                "DSWATCH_TWILIO_MESSAGING_SERVICE_SID": "MG" + "0" * 32,
            },
            "twilio-messaging-service",
        ),
        ({"DSWATCH_TWILIO_ACCOUNT_SID": SID, "DSWATCH_TWILIO_AUTH_TOKEN": ""}, "empty-token"),
        ({"DSWATCH_ROUTINE_RATE_PER_SECOND": "2.5", "DSWATCH_SEND_CONCURRENCY": "16"}, "numbers"),
    ],
    ids=[
        "sqlite-path",
        "postgresql-with-driver",
        "public-url-trailing-slash-dropped",
        "public-url-empty-is-unset",
        "sid-without-token-not-enabled",
        "twilio-complete",
        "twilio-with-messaging-service",
        "empty-token-not-enabled",
        "numbers-parsed",
    ],
)
def test_valid_environments(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], check: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    if check == "sqlite":
        assert settings.database_url == "sqlite:////var/lib/dswatch/db.sqlite"
        assert settings.is_sqlite
    elif check == "postgres":
        assert settings.database_url == "postgresql+psycopg://dswatch@db:5432/dswatch"
        assert not settings.is_sqlite
    elif check == "public-url":
        assert settings.public_base_url == "https://dswatch.example.org"
    elif check == "public-url-empty":
        assert settings.public_base_url is None
    elif check in ("sid-without-token", "empty-token"):
        assert settings.twilio_account_sid == SID
        assert settings.twilio_enabled is False
    elif check in ("twilio", "twilio-messaging-service"):
        assert settings.twilio_enabled is True
        assert settings.twilio_auth_token is not None
        assert settings.twilio_auth_token.get_secret_value() == TOKEN
        assert TOKEN not in repr(settings)
    else:
        assert settings.routine_rate_per_second == 2.5
        assert settings.send_concurrency == 16


@pytest.mark.parametrize(
    ("env", "variable", "hint"),
    [
        ({"DSWATCH_DATABASE_URL": "mysql://u@h/db"}, "DSWATCH_DATABASE_URL", "sqlite:///"),
        (
            {"DSWATCH_DATABASE_URL": "postgresql://u@h/db"},
            "DSWATCH_DATABASE_URL",
            "postgresql+psycopg://",
        ),
        (
            {"DSWATCH_DATABASE_URL": "postgres://u@h/db"},
            "DSWATCH_DATABASE_URL",
            "postgresql+psycopg://",
        ),
        ({"DSWATCH_TWILIO_ACCOUNT_SID": "AC123"}, "DSWATCH_TWILIO_ACCOUNT_SID", "34 characters"),
        (
            {"DSWATCH_TWILIO_ACCOUNT_SID": "SK" + "0" * 32},
            "DSWATCH_TWILIO_ACCOUNT_SID",
            "starts with AC",
        ),
        (
            {"DSWATCH_TWILIO_ACCOUNT_SID": SID, "DSWATCH_TWILIO_AUTH_TOKEN": TOKEN},
            "DSWATCH_TWILIO_FROM_NUMBER",
            "credentials",
        ),
        ({"DSWATCH_PUBLIC_BASE_URL": "dswatch.example.org"}, "DSWATCH_PUBLIC_BASE_URL", "https://"),
        (
            {"DSWATCH_SEND_CONCURRENCY": "0"},
            "DSWATCH_SEND_CONCURRENCY",
            "greater than or equal to 1",
        ),
        ({"DSWATCH_SEND_CONCURRENCY": "many"}, "DSWATCH_SEND_CONCURRENCY", "integer"),
        (
            {"DSWATCH_ROUTINE_RATE_PER_SECOND": "0"},
            "DSWATCH_ROUTINE_RATE_PER_SECOND",
            "greater than 0",
        ),
        ({"DSWATCH_LOG_LEVEL": "LOUD"}, "DSWATCH_LOG_LEVEL", "INFO"),
    ],
    ids=[
        "database-bad-scheme",
        "postgresql-without-driver",
        "postgres-without-driver",
        "sid-too-short",
        "sid-wrong-prefix",
        "credentials-without-from-number",
        "public-url-without-scheme",
        "concurrency-zero",
        "concurrency-not-a-number",
        "rate-zero",
        "unknown-log-level",
    ],
)
def test_bad_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], variable: str, hint: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert variable in message
    assert hint in message
    assert TOKEN not in message


def test_every_bad_variable_is_reported_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DSWATCH_DATABASE_URL", "mysql://u@h/db")
    monkeypatch.setenv("DSWATCH_TWILIO_ACCOUNT_SID", "nope")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "DSWATCH_DATABASE_URL" in str(caught.value)
    assert "DSWATCH_TWILIO_ACCOUNT_SID" in str(caught.value)


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"DSWATCH_TWILIO_ACCOUNT_SID": SID},
        {"DSWATCH_TWILIO_ACCOUNT_SID": SID, "DSWATCH_TWILIO_FROM_NUMBER": "+12015550100"},
        {"DSWATCH_TWILIO_AUTH_TOKEN": TOKEN, "DSWATCH_TWILIO_FROM_NUMBER": "+12015550100"},
    ],
    ids=["nothing", "sid-only", "sid-and-number-no-token", "token-and-number-no-sid"],
)
def test_missing_twilio_credentials_fall_back_to_the_local_sender(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert settings.twilio_enabled is False
    assert isinstance(build_sender(settings), LocalSender)


def test_dotenv_in_the_working_directory_is_read(tmp_path: Path) -> None:
    assert Path.cwd() == tmp_path
    (tmp_path / ".env").write_text(
        "DSWATCH_DATABASE_URL=sqlite:///from-dotenv.db\nDSWATCH_CLINIC_PHONE=+12015550199\n",
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.database_url == "sqlite:///from-dotenv.db"
    assert settings.clinic_phone == "+12015550199"


def test_environment_wins_over_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "DSWATCH_DATABASE_URL=sqlite:///from-dotenv.db\n", encoding="utf-8"
    )
    monkeypatch.setenv("DSWATCH_DATABASE_URL", "sqlite:///from-env.db")
    assert load_settings().database_url == "sqlite:///from-env.db"


def test_bad_value_in_dotenv_names_the_variable(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DSWATCH_DATABASE_URL=oracle://x\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="DSWATCH_DATABASE_URL"):
        load_settings()


def test_dotenv_may_hold_other_programs_variables(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "POSTGRES_PASSWORD=secret\nDSWATCH_LOG_LEVEL=DEBUG\n", encoding="utf-8"
    )
    assert load_settings().log_level == "DEBUG"


def test_keyword_overrides_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DSWATCH_DATABASE_URL", "sqlite:///from-env.db")
    assert load_settings(database_url="sqlite:///given.db").database_url == "sqlite:///given.db"


def test_get_settings_is_cached_and_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DSWATCH_CLINIC_PHONE", "+12015550199")
    first = get_settings()
    assert first.clinic_phone == "+12015550199"
    assert get_settings() is first


def test_an_empty_variable_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DSWATCH_DATABASE_URL", "")
    monkeypatch.setenv("DSWATCH_ROUTINE_RATE_PER_SECOND", "")
    settings = load_settings()
    assert settings.database_url == "sqlite:///dswatch.db"
    assert settings.routine_rate_per_second is None


def test_the_send_lease_must_outlast_a_provider_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DSWATCH_SEND_LEASE_SECONDS", "5")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "DSWATCH_SEND_LEASE_SECONDS" in str(caught.value)
    assert "DSWATCH_TWILIO_TIMEOUT_SECONDS" in str(caught.value)
    monkeypatch.setenv("DSWATCH_TWILIO_TIMEOUT_SECONDS", "2")
    assert load_settings().send_lease_seconds == 5
