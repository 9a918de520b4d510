"""Journeys through the real services and jobs, with freezegun moving the wall clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from jobs.tasks import dispatch_checkins, run_due_work
from monitor import services
from monitor.domain.states import CheckinStatus, PatientStatus
from monitor.runtime import Runtime, build_runtime
from monitor.settings import Settings
from tests.support.builders import (
    NURSE_1,
    NURSE_2,
    PATIENT_PHONE,
    add_team,
    checkins,
    enrol,
    outbound,
    run_until,
)
from tests.support.fakes import RecordingSender

NY = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local_times(messages: list, zone: ZoneInfo) -> list[datetime]:
    return [message.sent_at.astimezone(zone) for message in messages]


def test_tretinoin_in_new_york_gets_14_checkins_at_nine_across_the_dst_change(
    rt: Runtime, sender: RecordingSender
) -> None:
    with freeze_time(utc(2026, 3, 1, 17, 0)) as frozen:  # 12:00 EST the day before the start
        add_team(rt, rt.clock.now())
        patient = enrol(rt, rt.clock.now(), courses=[("tretinoin", date(2026, 3, 2))])
        run_until(rt, frozen, utc(2026, 3, 20))

    sent = outbound(rt, "checkin")
    days = [local.date() for local in local_times(sent, NY)]
    assert days == [date(2026, 3, 2) + timedelta(days=n) for n in range(14)]
    assert {local.time() for local in local_times(sent, NY)} == {time(9, 0)}
    # 09:00 EST is 14:00 UTC until 8 March, 09:00 EDT is 13:00 UTC from then on.
    assert sent[5].sent_at == utc(2026, 3, 7, 14, 0)
    assert sent[6].sent_at == utc(2026, 3, 8, 13, 0)
    assert [c.status for c in checkins(rt, patient.id)] == [CheckinStatus.MISSED] * 14
    reminders = outbound(rt, "reminder")
    assert {local.time() for local in local_times(reminders, NY)} == {time(12, 0)}
    assert len(reminders) == 14
    closing = outbound(rt, "closing")
    assert len(closing) == 1
    assert closing[0].sent_at.astimezone(NY) == datetime(2026, 3, 16, 8, 0, tzinfo=NY)
    # welcome, check-ins, reminders, closing: nothing else reached the patient
    assert len(sender.to(PATIENT_PHONE)) == 1 + 14 + 14 + 1
    # Each missed check-in paged tier 1 once; unacknowledged, tier 2 was paged 4 h later.
    assert len(sender.to(NURSE_1)) == 14
    assert len(sender.to(NURSE_2)) == 14
    assert services.patient_detail(rt, patient.code).summary.patient.status == PatientStatus.ENDED


def test_ivosidenib_patient_gets_180_checkins(rt: Runtime) -> None:
    with freeze_time(utc(2026, 1, 1, 15, 0)) as frozen:
        add_team(rt, rt.clock.now())
        patient = enrol(rt, rt.clock.now(), courses=[("Tibsovo", date(2026, 1, 2))])
        run_until(rt, frozen, utc(2026, 7, 15))
    rows = checkins(rt, patient.id)
    assert len(rows) == 180
    assert rows[0].local_date == date(2026, 1, 2)
    assert rows[-1].local_date == date(2026, 6, 30)
    assert len(outbound(rt, "checkin")) == 180
    assert len(outbound(rt, "closing")) == 1


def test_overlapping_courses_give_one_checkin_a_day_until_the_last_window_closes(
    rt: Runtime,
) -> None:
    with freeze_time(utc(2026, 3, 1, 15, 0)) as frozen:
        add_team(rt, rt.clock.now())
        patient = enrol(
            rt,
            rt.clock.now(),
            courses=[("ATRA", date(2026, 3, 2)), ("ATO", date(2026, 3, 10))],
        )
        run_until(rt, frozen, utc(2026, 4, 1))
    days = [c.local_date for c in checkins(rt, patient.id)]
    assert days == [date(2026, 3, 2) + timedelta(days=n) for n in range(22)]  # to 23 March
    assert len(outbound(rt, "checkin")) == 22
    assert len(outbound(rt, "closing")) == 1


def test_hold_stops_checkins_and_resume_restarts_the_whole_window(rt: Runtime) -> None:
    with freeze_time(utc(2026, 3, 1, 15, 0)) as frozen:
        add_team(rt, rt.clock.now())
        patient = enrol(rt, rt.clock.now(), courses=[("tretinoin", date(2026, 3, 2))])
        run_until(rt, frozen, utc(2026, 3, 4, 18, 0))  # three check-ins sent: 2, 3, 4 March
        services.set_course_date(
            rt, patient.code, "tretinoin", "hold", date(2026, 3, 5), rt.clock.now()
        )
        run_until(rt, frozen, utc(2026, 3, 9, 18, 0))
        assert [c.local_date for c in checkins(rt, patient.id)] == [
            date(2026, 3, 2),
            date(2026, 3, 3),
            date(2026, 3, 4),
        ]
        services.set_course_date(
            rt, patient.code, "tretinoin", "resume", date(2026, 3, 10), rt.clock.now()
        )
        run_until(rt, frozen, utc(2026, 4, 1))
    days = [c.local_date for c in checkins(rt, patient.id)]
    assert days[:3] == [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]
    assert days[3:] == [date(2026, 3, 10) + timedelta(days=n) for n in range(14)]
    # A hold with no resume date closes the window; the resume re-opens it with a new welcome.
    assert len(outbound(rt, "closing")) == 2
    assert len(outbound(rt, "welcome")) == 2


def test_a_restart_in_the_middle_of_the_day_never_sends_a_second_checkin(
    settings: Settings, rt: Runtime, sender: RecordingSender
) -> None:
    with freeze_time(utc(2026, 3, 1, 15, 0)) as frozen:
        add_team(rt, rt.clock.now())
        enrol(rt, rt.clock.now())
        run_until(rt, frozen, utc(2026, 3, 2, 14, 30))  # 09:30 local: today's check-in is out
        assert len(outbound(rt, "checkin")) == 1
        # A new process: fresh runtime, fresh scheduler state; the database is all it knows.
        restarted_sender = RecordingSender()
        restarted = build_runtime(settings, sender=restarted_sender)
        try:
            for minutes in range(0, 8 * 60, 15):
                frozen.move_to(utc(2026, 3, 2, 14, 30) + timedelta(minutes=minutes))
                run_due_work(restarted)
                run_due_work(rt)  # the old process too, as if both were alive for a while
        finally:
            restarted.close()
    checkin_messages = [m for m in outbound(rt, "checkin")]
    assert len(checkin_messages) == 1
    assert [s.sms.body for s in restarted_sender.sent if "daily check-in" in s.sms.body] == []


def test_after_an_outage_stale_checkins_are_skipped_not_sent_as_a_backlog(rt: Runtime) -> None:
    with freeze_time(utc(2026, 3, 1, 15, 0)) as frozen:
        add_team(rt, rt.clock.now())
        patient = enrol(rt, rt.clock.now())
        run_until(rt, frozen, utc(2026, 3, 2, 13, 0))  # 08:00 local on day one, nothing yet
        # The service is down from then until 10:00 local on 5 March.
        frozen.move_to(utc(2026, 3, 5, 15, 0))
        run_due_work(rt)
        rows = {c.local_date: c.status for c in checkins(rt, patient.id)}
    assert rows[date(2026, 3, 2)] == CheckinStatus.SKIPPED
    assert rows[date(2026, 3, 3)] == CheckinStatus.SKIPPED
    assert rows[date(2026, 3, 4)] == CheckinStatus.SKIPPED
    # Today's is one hour late, within the missed delay: still worth asking.
    assert rows[date(2026, 3, 5)] == CheckinStatus.SENT
    sent = outbound(rt, "checkin")
    assert len(sent) == 1
    assert sent[0].sent_at == utc(2026, 3, 5, 15, 0)


def test_a_checkin_more_than_the_missed_delay_late_is_skipped(rt: Runtime) -> None:
    with freeze_time(utc(2026, 3, 1, 15, 0)) as frozen:
        add_team(rt, rt.clock.now())
        patient = enrol(rt, rt.clock.now())
        run_until(rt, frozen, utc(2026, 3, 2, 13, 0))
        frozen.move_to(utc(2026, 3, 2, 20, 1))  # 15:01 local: 6 h 1 min late
        dispatch_checkins(rt)
        assert checkins(rt, patient.id)[0].status == CheckinStatus.SKIPPED
        frozen.move_to(utc(2026, 3, 2, 19, 59))  # (time only moves forward in real life)
    assert outbound(rt, "checkin") == []


def test_welcome_waits_for_quiet_hours_to_end_and_late_reminders_are_skipped(
    rt: Runtime,
) -> None:
    # Enrolled at 23:30 local, check-in time 19:00: the reminder would fall at 22:00 (quiet).
    with freeze_time(utc(2026, 3, 2, 4, 30)) as frozen:
        add_team(rt, rt.clock.now())
        enrol(rt, rt.clock.now(), checkin_time="19:00", courses=[("ATRA", date(2026, 3, 2))])
        run_until(rt, frozen, utc(2026, 3, 4, 12, 0))
    welcome = outbound(rt, "welcome")
    assert welcome[0].sent_at.astimezone(NY) == datetime(2026, 3, 2, 8, 0, tzinfo=NY)
    assert {m.sent_at.astimezone(NY).time() for m in outbound(rt, "checkin")} == {time(19, 0)}
    assert outbound(rt, "reminder") == []


def test_a_timezone_change_mid_course_moves_the_next_checkins_without_doubling_a_day(
    rt: Runtime,
) -> None:
    madrid = ZoneInfo("Europe/Madrid")
    with freeze_time(utc(2026, 3, 1, 15, 0)) as frozen:
        add_team(rt, rt.clock.now())
        patient = enrol(rt, rt.clock.now())
        run_until(rt, frozen, utc(2026, 3, 5, 15, 0))  # 10:00 NY, 16:00 Madrid, 5 March
        services.update_details(rt, patient.code, rt.clock.now(), timezone="Europe/Madrid")
        run_until(rt, frozen, utc(2026, 3, 9, 12, 0))
    rows = checkins(rt, patient.id)
    days = [c.local_date for c in rows]
    assert days == sorted(set(days))  # never two on one local date
    assert days[:4] == [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5)]
    assert days[4] == date(2026, 3, 6)
    after = [m for m in outbound(rt, "checkin") if m.sent_at > utc(2026, 3, 5, 15, 0)]
    assert {m.sent_at.astimezone(madrid).time() for m in after} == {time(9, 0)}


def test_spanish_patient_gets_spanish_messages(rt: Runtime, sender: RecordingSender) -> None:
    with freeze_time(utc(2026, 3, 1, 15, 0)) as frozen:
        add_team(rt, rt.clock.now())
        enrol(rt, rt.clock.now(), language="es")
        run_until(rt, frozen, utc(2026, 3, 2, 15, 0))
    bodies = sender.bodies(PATIENT_PHONE)
    assert bodies[0].startswith("Hola Ana")
    assert "control diario" in bodies[1]


def test_pause_stops_checkins_and_resume_restarts_them_from_the_next_day(rt: Runtime) -> None:
    with freeze_time(utc(2026, 3, 1, 15, 0)) as frozen:
        add_team(rt, rt.clock.now())
        patient = enrol(rt, rt.clock.now())
        run_until(rt, frozen, utc(2026, 3, 3, 15, 0))
        services.pause(rt, patient.code, rt.clock.now())
        run_until(rt, frozen, utc(2026, 3, 6, 15, 0))
        services.resume(rt, patient.code, rt.clock.now())  # 10:00 local: today's 09:00 has gone
        run_until(rt, frozen, utc(2026, 3, 8, 15, 0))
    days = [c.local_date for c in checkins(rt, patient.id) if c.status != CheckinStatus.SCHEDULED]
    assert days == [
        date(2026, 3, 2),
        date(2026, 3, 3),
        date(2026, 3, 7),
        date(2026, 3, 8),
    ]


def test_stop_ends_monitoring_with_a_closing_message(rt: Runtime) -> None:
    with freeze_time(utc(2026, 3, 1, 15, 0)) as frozen:
        add_team(rt, rt.clock.now())
        patient = enrol(rt, rt.clock.now())
        run_until(rt, frozen, utc(2026, 3, 3, 15, 0))
        services.stop(rt, patient.code, rt.clock.now())
        run_until(rt, frozen, utc(2026, 3, 10, 15, 0))
    assert len(outbound(rt, "checkin")) == 2
    assert len(outbound(rt, "closing")) == 1
