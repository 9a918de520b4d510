"""`dswatch patient`, `dswatch course` and `dswatch outbox` against a real database.

The wall clock is frozen at noon in New York on 1 March 2026, the day before the usual start.
"""

from __future__ import annotations

import re

import pytest
from freezegun import freeze_time

from jobs.tasks import drain_outbox
from monitor.runtime import build_runtime
from monitor.settings import get_settings
from tests.support.cli import Invoke, ok, user_error
from tests.support.fakes import RecordingSender

NOW = "2026-03-01T17:00:00Z"  # 12:00 EST
PHONE = "+12015550123"


def add_args(**changes: str) -> list[str]:
    options = {
        "name": "Ana Garcia",
        "phone": PHONE,
        "timezone": "America/New_York",
        "language": "en",
        "checkin-time": "09:00",
        "team": "Heme clinic",
        "drug": "ATRA",
        "start": "2026-03-02",
    }
    options.update({key.replace("_", "-"): value for key, value in changes.items()})
    return ["patient", "add", *(part for k, v in options.items() for part in (f"--{k}", v))]


def enrol(cli: Invoke, **changes: str) -> str:
    """Enrol a patient and return the code printed."""
    match = re.search(r"enrolled (P\w{5})", ok(cli(*add_args(**changes))))
    assert match
    return match.group(1)


def table_row(output: str, key: str) -> list[str]:
    [line] = [line for line in output.splitlines() if key in line]
    return [cell.strip() for cell in line.split("│")[1:-1]]


def test_patient_add_prints_the_code_the_window_and_the_next_checkin(cli: Invoke) -> None:
    output = ok(cli(*add_args()))
    assert re.search(r"^enrolled P[A-Z2-9]{5}; welcome message queued$", output, re.MULTILINE)
    assert table_row(output, "tretinoin")[:3] == ["tretinoin", "2026-03-02", "14 d"]
    assert "2026-03-02..2026-03-15" in output
    assert "next check-in: 2026-03-02 09:00 EST" in output


def test_patient_add_with_a_patient_window(cli: Invoke) -> None:
    output = ok(cli(*add_args(window_days="21")))
    assert "21 d (patient)" in output
    assert "2026-03-02..2026-03-22" in output


def test_a_spanish_patient_in_madrid(cli: Invoke) -> None:
    output = ok(
        cli(*add_args(phone="+34612345678", timezone="Europe/Madrid", language="es", drug="ATO"))
    )
    assert "arsenic trioxide" in output
    assert "next check-in: 2026-03-02 09:00 CET" in output


BAD_FIELDS = [
    pytest.param(
        {"drug": "aspirin"}, ["course:", "unknown drug 'aspirin'", "ivosidenib"], id="drug"
    ),
    pytest.param({"phone": "+15551234567"}, ["phone:", "E.164"], id="phone"),
    pytest.param({"phone": "+34912345678"}, ["phone:", "landline"], id="landline"),
    pytest.param({"timezone": "EST5"}, ["timezone:", "'EST5'", "IANA"], id="posix-zone"),
    pytest.param({"timezone": "Mars/Olympus"}, ["timezone:", "America/New_York"], id="zone"),
    pytest.param({"language": "fr"}, ["language:", "'fr'", "en or es"], id="language"),
    pytest.param({"checkin_time": "22:30"}, ["checkin_time:", "quiet hours", "21:00"], id="quiet"),
    pytest.param({"checkin_time": "9h"}, ["checkin_time:", "HH:MM"], id="time-format"),
    pytest.param({"team": "Nowhere"}, ["care_team:", "dswatch team add", "Heme clinic"], id="team"),
    pytest.param({"start": "2026-01-01"}, ["already ended", "start dates"], id="ended-window"),
    pytest.param({"start": "2026-02-30"}, ["--start", "YYYY-MM-DD"], id="start-not-a-date"),
    pytest.param(
        {"window_days": "-2"}, ["--window-days", "greater than or equal to"], id="negative-window"
    ),
    pytest.param({"name": " "}, ["name:"], id="name"),
]


@pytest.mark.parametrize(("changes", "fragments"), BAD_FIELDS)
def test_patient_add_names_each_bad_field(
    cli: Invoke, changes: dict[str, str], fragments: list[str]
) -> None:
    user_error(cli(*add_args(**changes)), *fragments)
    assert "0 patients" in ok(cli("patient", "list"))


def test_patient_add_refuses_a_zero_day_window(cli: Invoke) -> None:
    user_error(cli(*add_args(window_days="0")), "window")


def test_patient_add_reports_every_problem_at_once(cli: Invoke) -> None:
    message = user_error(
        cli(*add_args(phone="+1555", timezone="EST5", language="fr", checkin_time="22:30"))
    )
    for field in ("phone:", "timezone:", "language:", "checkin_time:"):
        assert field in message


def test_a_phone_is_enrolled_once_however_it_is_written(cli: Invoke) -> None:
    enrol(cli)
    user_error(cli(*add_args(phone="(201) 555-0123", name="Other")), "already enrolled")
    assert "1 patients" in ok(cli("patient", "list"))


def test_patient_list_shows_status_team_and_next_checkin(cli: Invoke) -> None:
    ana = enrol(cli)
    luis = enrol(cli, name="Luis Martin", phone="+12015550124", checkin_time="18:30")
    output = ok(cli("patient", "list"))
    assert "2 patients" in output
    row = table_row(output, ana)
    assert row[1:6] == ["Ana Garcia", PHONE, "active", "Heme clinic", "en"]
    assert row[6] == "09:00 America/New_York"
    assert row[7] == "2026-03-02 09:00 EST"
    assert row[8] == "2026-03-15"
    assert table_row(output, luis)[7] == "2026-03-02 18:30 EST"


def test_patient_list_filters_by_status_and_team(cli: Invoke) -> None:
    ana = enrol(cli)
    luis = enrol(cli, name="Luis Martin", phone="+12015550124")
    ok(cli("patient", "pause", luis))
    paused = ok(cli("patient", "list", "--status", "paused"))
    assert luis in paused and ana not in paused
    assert "1 patients" in paused
    active = ok(cli("patient", "list", "--status", "active"))
    assert ana in active and luis not in active
    assert "0 patients" in ok(cli("patient", "list", "--team", "Solid tumours"))
    assert "2 patients" in ok(cli("patient", "list", "--team", "Heme clinic"))
    assert cli("patient", "list", "--status", "sleeping").exit_code == 2


@pytest.mark.parametrize("ref", ["code", "code-lowercase", PHONE, "(201) 555-0123"])
def test_patient_show_by_code_or_phone(cli: Invoke, ref: str) -> None:
    code = enrol(cli)
    ref = {"code": code, "code-lowercase": code.lower()}.get(ref, ref)
    output = ok(cli("patient", "show", ref))
    assert output.startswith(f"{code} Ana Garcia  {PHONE}  status active")
    assert "team Heme clinic; language en; check-in 09:00 America/New_York" in output
    assert "next check-in: 2026-03-02 09:00 EST" in output
    assert "welcome" in output  # recent messages


@pytest.mark.parametrize("command", ["show", "pause", "resume", "stop", "edit"])
def test_an_unknown_patient_is_a_user_error(cli: Invoke, command: str) -> None:
    enrol(cli)
    user_error(cli("patient", command, "PZZZZZ"), "no patient 'PZZZZZ'", "dswatch patient list")


def test_pause_resume_and_stop(cli: Invoke) -> None:
    code = enrol(cli)
    assert f"{code} is now paused" in ok(cli("patient", "pause", code))
    assert table_row(ok(cli("patient", "list")), code)[7] == "-"  # no check-in while paused
    user_error(cli("patient", "pause", code), "paused, not active")

    assert f"{code} is now active" in ok(cli("patient", "resume", PHONE))
    assert table_row(ok(cli("patient", "list")), code)[7] == "2026-03-02 09:00 EST"
    user_error(cli("patient", "resume", code), "only paused patients can be resumed")

    assert f"{code} is now ended" in ok(cli("patient", "stop", code))
    user_error(cli("patient", "stop", code), "already ended")
    user_error(cli("patient", "resume", code), "only paused patients", "add a course")
    assert table_row(ok(cli("outbox", "--patient", code)), "closing")[3] == "closing"


def test_a_paused_patient_can_be_stopped_without_a_closing_message(cli: Invoke) -> None:
    code = enrol(cli)
    ok(cli("patient", "pause", code))
    assert f"{code} is now ended" in ok(cli("patient", "stop", code))
    assert "closing" not in ok(cli("outbox"))


def test_patient_edit_moves_the_next_checkin_to_the_new_timezone(cli: Invoke) -> None:
    code = enrol(cli)
    assert f"{code} updated" in ok(cli("patient", "edit", code, "--timezone", "Europe/Madrid"))
    output = ok(cli("patient", "show", code))
    assert "check-in 09:00 Europe/Madrid" in output
    assert "next check-in: 2026-03-02 09:00 CET" in output

    ok(cli("patient", "edit", code, "--checkin-time", "18:00", "--language", "es"))
    output = ok(cli("patient", "show", code))
    assert "language es; check-in 18:00 Europe/Madrid" in output
    assert "next check-in: 2026-03-02 18:00 CET" in output


def test_patient_edit_phone(cli: Invoke) -> None:
    code = enrol(cli)
    ok(cli("patient", "edit", code, "--phone", "(201) 555-0199"))
    assert code in ok(cli("patient", "show", "+12015550199"))


@pytest.mark.parametrize(
    ("option", "value", "fragment"),
    [
        ("--timezone", "Mars/Olympus", "IANA"),
        ("--checkin-time", "22:30", "quiet hours"),
        ("--checkin-time", "noon", "HH:MM"),
        ("--language", "fr", "en or es"),
        ("--phone", "+15551234567", "E.164"),
        ("--phone", "+12015550124", "belongs to another patient"),
    ],
)
def test_patient_edit_refuses_bad_values_and_changes_nothing(
    cli: Invoke, option: str, value: str, fragment: str
) -> None:
    code = enrol(cli)
    enrol(cli, name="Luis Martin", phone="+12015550124")
    before = ok(cli("patient", "show", code))
    user_error(cli("patient", "edit", code, option, value), fragment)
    assert ok(cli("patient", "show", code)) == before


def spans(cli: Invoke, code: str, drug: str) -> str:
    return table_row(ok(cli("patient", "show", code)), drug)[-1]


def test_course_add_hold_resume_and_stop(cli: Invoke) -> None:
    code = enrol(cli)
    assert f"course added to {code}" in ok(
        cli("course", "add", code, "--drug", "Tibsovo", "--start", "2026-03-05")
    )
    assert spans(cli, code, "ivosidenib") == "2026-03-05..2026-08-31"

    assert f"hold recorded for {code}" in ok(
        cli("course", "hold", code, "--drug", "ATRA", "--on", "2026-03-05")
    )
    assert spans(cli, code, "tretinoin") == "2026-03-02..2026-03-04"

    assert f"resume recorded for {code}" in ok(
        cli("course", "resume", code, "--drug", "tretinoin", "--on", "2026-03-10")
    )
    assert spans(cli, code, "tretinoin") == "2026-03-02..2026-03-04, 2026-03-10..2026-03-23"

    assert f"stop recorded for {code}" in ok(
        cli("course", "stop", code, "--drug", "tretinoin", "--on", "2026-03-12")
    )
    assert spans(cli, code, "tretinoin") == "2026-03-02..2026-03-04, 2026-03-10..2026-03-11"


def test_course_add_with_a_window_override(cli: Invoke) -> None:
    code = enrol(cli)
    ok(
        cli(
            *("course", "add", code, "--drug", "gilteritinib"),
            *("--start", "2026-03-03", "--window-days", "30"),
        )
    )
    row = table_row(ok(cli("patient", "show", code)), "gilteritinib")
    assert row[2] == "30 d (patient)"
    assert row[-1] == "2026-03-03..2026-04-01"


def kinds(outbox: str) -> list[str]:
    """Message kinds listed by `dswatch outbox`, oldest first."""
    return re.findall(r"│ out +│ (\w+) ", outbox)[::-1]


def test_a_new_course_restarts_an_ended_patient_with_a_new_welcome(cli: Invoke) -> None:
    code = enrol(cli)
    ok(cli("patient", "stop", code))
    with freeze_time("2026-03-01T18:00:00Z"):
        ok(cli("course", "add", code, "--drug", "ATO", "--start", "2026-03-04"))
    output = ok(cli("patient", "show", code))
    assert "status active" in output
    assert kinds(ok(cli("outbox", "--patient", code))) == ["welcome", "closing", "welcome"]


def test_every_stop_of_an_active_patient_queues_a_closing_message(cli: Invoke) -> None:
    code = enrol(cli)
    ok(cli("patient", "stop", code))
    with freeze_time("2026-03-02T18:00:00Z"):
        ok(cli("course", "add", code, "--drug", "ATO", "--start", "2026-03-04"))
    with freeze_time("2026-03-05T18:00:00Z"):
        ok(cli("patient", "stop", code))
    assert kinds(ok(cli("outbox", "--patient", code))) == [
        "welcome",
        "closing",
        "welcome",
        "closing",
    ]


def test_a_restarted_patient_is_not_sent_the_closing_of_the_earlier_stop(cli: Invoke) -> None:
    code = enrol(cli)
    with freeze_time("2026-03-02T03:00:00Z"):  # 22:00 EST: the closing waits for 08:00
        ok(cli("patient", "stop", code))
    with freeze_time("2026-03-02T12:00:00Z"):  # 07:00 EST: the clinic restarts the drug
        ok(cli("course", "add", code, "--drug", "ATO", "--start", "2026-03-03"))
    with freeze_time("2026-03-02T13:00:00Z"):  # 08:00 EST: the outbox drains
        sender = RecordingSender()
        rt = build_runtime(get_settings(), sender=sender)
        try:
            drain_outbox(rt)
        finally:
            rt.close()
    sent = [item.sms.body for item in sender.sent]
    assert sent, "the welcome of the restart is due at 08:00"
    assert not [body for body in sent if "have ended" in body]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["add", "--drug", "aspirin", "--start", "2026-03-05"], "unknown drug"),
        (["add", "--drug", "ATO", "--start", "5 March"], "--start"),
        (["hold", "--drug", "ATRA", "--on", "2026-03-01"], "before the start date"),
        (["hold", "--drug", "ATRA", "--on", "tomorrow"], "--on"),
        (["resume", "--drug", "ATRA", "--on", "2026-03-10"], "needs a hold date"),
        (["stop", "--drug", "ATRA", "--on", "2026-03-02"], "after the start date"),
        (["hold", "--drug", "ivosidenib", "--on", "2026-03-05"], "has no course of ivosidenib"),
        (["hold", "--drug", "aspirin", "--on", "2026-03-05"], "unknown drug"),
    ],
)
def test_bad_course_changes_are_refused(cli: Invoke, args: list[str], fragment: str) -> None:
    code = enrol(cli)
    before = ok(cli("patient", "show", code))
    user_error(cli("course", args[0], code, *args[1:]), fragment)
    assert ok(cli("patient", "show", code)) == before


def test_outbox_lists_the_welcome_after_enrolment(cli: Invoke) -> None:
    enrol(cli)
    output = ok(cli("outbox"))
    row = table_row(output, "welcome")
    assert row[1] == "2026-03-01 17:00:00"
    assert row[2:6] == ["out", "welcome", PHONE, "queued"]
    assert row[7].startswith("Hi Ana, your care team")
    assert len(row[7]) <= 60


def test_outbox_filters_by_patient_and_shows_full_bodies(cli: Invoke) -> None:
    ana = enrol(cli)
    enrol(cli, name="Luis Martin", phone="+12015550124", language="es")
    assert len(re.findall(r"│ welcome ", ok(cli("outbox")))) == 2

    mine = ok(cli("outbox", "--patient", ana))
    assert PHONE in mine and "+12015550124" not in mine
    spanish = ok(cli("outbox", "--patient", "+12015550124", "--full"))
    assert PHONE not in spanish
    assert "Hola Luis" in spanish and "ALTO" in spanish  # ALTO ends a long body
    assert "ALTO" not in ok(cli("outbox", "--patient", "+12015550124"))


def test_outbox_limit_and_unknown_patient(cli: Invoke) -> None:
    enrol(cli)
    enrol(cli, name="Luis Martin", phone="+12015550124")
    assert len(re.findall(r"│ welcome ", ok(cli("outbox", "--limit", "1")))) == 1
    user_error(cli("outbox", "--patient", "PZZZZZ"), "no patient")
    assert cli("outbox", "--limit", "0").exit_code == 2
