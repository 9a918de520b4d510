"""`dswatch patient` and `dswatch course`: enrol, import, inspect and change monitoring."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from rich.progress import Progress
from rich.table import Table

from monitor import services
from monitor.cli.common import console, errors, fail, runtime
from monitor.domain.states import PatientStatus

patient_app = typer.Typer(
    help="Patients: enrol, import, list, show, pause, resume, stop.", no_args_is_help=True
)
course_app = typer.Typer(help="Treatment courses: add, hold, resume, stop.", no_args_is_help=True)

PROGRESS_THRESHOLD = 200  # rows; smaller files finish before a bar is worth drawing


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r} is not a date: use YYYY-MM-DD") from None


@patient_app.command("add")
def add(
    name: str = typer.Option(..., "--name"),
    phone: str = typer.Option(..., "--phone", help="Mobile number, E.164 (+12015550123)"),
    timezone: str = typer.Option(..., "--timezone", help="IANA zone, e.g. America/New_York"),
    language: str = typer.Option("en", "--language", help="en or es"),
    checkin_time: str = typer.Option("09:00", "--checkin-time", help="Local time, HH:MM"),
    team: str = typer.Option(..., "--team", help="Care team name"),
    drug: str = typer.Option(
        ..., "--drug", help="Generic name, brand or alias (see `dswatch drugs`)"
    ),
    start: str = typer.Option(..., "--start", help="First day of the drug, YYYY-MM-DD"),
    window_days: int = typer.Option(
        None, "--window-days", min=1, help="This patient's window, in days"
    ),
) -> None:
    """Enrol one patient with one course (add more with `dswatch course add`)."""
    request = services.EnrolmentRequest(
        name=name,
        phone=phone,
        timezone=timezone,
        language=language,
        checkin_time=checkin_time,
        care_team=team,
        courses=[services.CourseRequest(drug, _date(start, "--start"), window_days)],
    )
    with runtime() as rt:
        try:
            patient = services.enrol(rt, request, rt.clock.now())
        except services.EnrolmentError as error:
            raise fail("cannot enrol:\n  " + "\n  ".join(error.problems)) from None
        detail = services.patient_detail(rt, patient.code)
    console.print(f"enrolled {patient.code}; welcome message queued")
    _print_schedule(detail)


@patient_app.command("import")
def import_csv(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="CSV file"),
) -> None:
    """Enrol patients from a CSV file; nothing is written unless every row is valid.

    Columns: name, phone, timezone, language, checkin_time, care_team, drug, start_date, and
    optionally window_days, hold_date, resume_date, stop_date. One row per course; rows with the
    same phone are one patient.
    """
    with runtime() as rt:
        try:
            with file.open(newline="", encoding="utf-8-sig") as stream:
                rows = services.read_rows(stream)
        except services.ImportFileError as error:
            raise fail(f"{file}: {error}") from None
        except UnicodeDecodeError:
            raise fail(f"{file}: not UTF-8 text; save the sheet as CSV UTF-8") from None
        now = rt.clock.now()
        with Progress(console=errors, disable=len(rows) < PROGRESS_THRESHOLD) as progress:
            checking = progress.add_task("checking rows", total=len(rows))
            plan = services.plan_import(rt, rows, now, lambda n: progress.advance(checking, n))
            if not plan.ok:
                progress.stop()
                for problem in plan.problems:
                    for text in problem.problems:
                        errors.print(
                            f"{file}:{problem.line}: {text}", highlight=False, soft_wrap=True
                        )
                raise fail(
                    f"{len(plan.problems)} of {plan.rows} rows have problems; nothing was imported"
                )
            writing = progress.add_task("enrolling", total=plan.rows)
            try:
                created = services.write_import(
                    rt, plan, now, progress=lambda n: progress.advance(writing, n)
                )
            except services.EnrolmentError as error:
                raise fail("nothing was imported: " + "; ".join(error.problems)) from None
    console.print(f"imported {len(created)} patients from {plan.rows} rows")


@patient_app.command("list")
def list_(
    status: PatientStatus = typer.Option(None, "--status", help="Only this status"),
    team: str = typer.Option(None, "--team", help="Only this care team"),
) -> None:
    """Enrolled patients, their status and next check-in."""
    with runtime() as rt:
        summaries = services.list_patients(rt, status, team)
    table = Table("code", "name", "phone", "status", "team", "lang", "check-in", "next", "last day")
    for item in summaries:
        patient = item.patient
        nxt = (
            item.next_checkin.astimezone(ZoneInfo(patient.timezone)).strftime("%Y-%m-%d %H:%M %Z")
            if item.next_checkin
            else "-"
        )
        status_text = patient.status.value + (" (bad number)" if patient.phone_problem else "")
        table.add_row(
            patient.code,
            patient.name,
            patient.phone,
            status_text,
            item.team,
            patient.language,
            f"{patient.checkin_time:%H:%M} {patient.timezone}",
            nxt,
            str(item.last_day or "-"),
        )
    console.print(table)
    console.print(f"{len(summaries)} patients")


@patient_app.command("show")
def show(ref: str = typer.Argument(..., help="Patient code or phone")) -> None:
    """One patient: details, courses and windows, check-ins, recent messages."""
    with runtime() as rt:
        try:
            detail = services.patient_detail(rt, ref)
        except services.PatientError as error:
            raise fail(str(error)) from None
    patient = detail.summary.patient
    console.print(
        f"[bold]{patient.code}[/] {patient.name}  {patient.phone}  status {patient.status}"
    )
    if patient.phone_problem:
        console.print(f"[red]phone problem:[/] {patient.phone_problem}")
    console.print(
        f"team {detail.summary.team}; language {patient.language}; check-in "
        f"{patient.checkin_time:%H:%M} {patient.timezone}"
    )
    _print_schedule(detail)
    checkins = Table(
        "local date", "status", "sent (UTC)", "delivery", "answered (UTC)", title="Check-ins"
    )
    for checkin in detail.checkins:
        delivery = detail.delivery.get(checkin.id, "")
        checkins.add_row(
            str(checkin.local_date),
            checkin.status.value,
            f"{checkin.sent_at:%Y-%m-%d %H:%M}" if checkin.sent_at else "",
            delivery,
            f"{checkin.answered_at:%Y-%m-%d %H:%M}" if checkin.answered_at else "",
            style="red" if delivery in ("undelivered", "failed") else None,
        )
    console.print(checkins)
    if detail.undelivered:
        console.print(f"[red]{len(detail.undelivered)} check-in(s) not delivered[/]")
    messages = Table("created (UTC)", "kind", "status", "delivery", title="Recent messages")
    for message in detail.messages:
        messages.add_row(
            f"{message.created_at:%Y-%m-%d %H:%M}",
            message.kind.value,
            message.status.value,
            message.delivery_status or "",
        )
    console.print(messages)


def _print_schedule(detail: services.queries.PatientDetail) -> None:
    table = Table("drug", "start", "window", "hold", "resume", "stop", "monitored", title="Courses")
    for view in detail.courses:
        course = view.course
        spans = ", ".join(f"{first}..{last}" for first, last in view.spans) or "none"
        table.add_row(
            view.drug_name,
            str(course.start_date),
            f"{view.window_days} d" + ("" if course.window_days is None else " (patient)"),
            str(course.hold_date or ""),
            str(course.resume_date or ""),
            str(course.stop_date or ""),
            spans,
        )
    console.print(table)
    patient = detail.summary.patient
    if detail.summary.next_checkin:
        local = detail.summary.next_checkin.astimezone(ZoneInfo(patient.timezone))
        console.print(f"next check-in: {local:%Y-%m-%d %H:%M %Z}")


def _status_command(action: str) -> None:
    operations = {"pause": services.pause, "resume": services.resume, "stop": services.stop}

    @patient_app.command(action)
    def command(ref: str = typer.Argument(..., help="Patient code or phone")) -> None:
        with runtime() as rt:
            try:
                patient = operations[action](rt, ref, rt.clock.now())
            except services.PatientError as error:
                raise fail(str(error)) from None
        console.print(f"{patient.code} is now {patient.status.value}")

    command.__doc__ = {
        "pause": "Stop check-ins for now (the patient stays enrolled).",
        "resume": "Restart check-ins for a paused patient from the next check-in time.",
        "stop": "End monitoring now; the patient gets the closing message.",
    }[action]


for _action in ("pause", "resume", "stop"):
    _status_command(_action)


@patient_app.command("edit")
def edit(
    ref: str = typer.Argument(..., help="Patient code or phone"),
    timezone: str = typer.Option(None, "--timezone"),
    checkin_time: str = typer.Option(None, "--checkin-time"),
    language: str = typer.Option(None, "--language"),
    phone: str = typer.Option(None, "--phone"),
) -> None:
    """Change timezone, check-in time, language or phone; takes effect from the next check-in."""
    with runtime() as rt:
        try:
            patient = services.update_details(
                rt,
                ref,
                rt.clock.now(),
                timezone=timezone,
                checkin_time=checkin_time,
                language=language,
                phone=phone,
            )
        except services.PatientError as error:
            raise fail(str(error)) from None
    console.print(f"{patient.code} updated")


@course_app.command("add")
def course_add(
    ref: str = typer.Argument(..., help="Patient code or phone"),
    drug: str = typer.Option(..., "--drug"),
    start: str = typer.Option(..., "--start", help="YYYY-MM-DD"),
    window_days: int = typer.Option(None, "--window-days", min=1),
) -> None:
    """Add a treatment course (the patient is monitored while any window is open)."""
    with runtime() as rt:
        try:
            patient = services.add_course(
                rt, ref, drug, _date(start, "--start"), rt.clock.now(), window_days
            )
        except services.PatientError as error:
            raise fail(str(error)) from None
    console.print(f"course added to {patient.code}")


def _course_date_command(which: str, help_text: str) -> None:
    @course_app.command(which, help=help_text)
    def command(
        ref: str = typer.Argument(..., help="Patient code or phone"),
        drug: str = typer.Option(..., "--drug"),
        on: str = typer.Option(..., "--on", help="YYYY-MM-DD"),
    ) -> None:
        with runtime() as rt:
            try:
                patient = services.set_course_date(
                    rt, ref, drug, which, _date(on, "--on"), rt.clock.now()
                )
            except services.PatientError as error:
                raise fail(str(error)) from None
        console.print(f"{which} recorded for {patient.code}")


_course_date_command("hold", "The drug is held from this date: no check-ins from it.")
_course_date_command("resume", "The drug restarts: its whole window restarts on this date.")
_course_date_command("stop", "The drug stops for good on this date.")
